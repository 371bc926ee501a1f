/**
 * The all-in-one layer: `KeyStore` → `Signer` → `WechatPayClient` → `PayScorePermissions`,
 * `PayScoreServiceOrders`, `PayScoreNotifications`, from one
 * options object (`layer`) or from the environment (`layerConfig`). Provide an `HttpClient`
 * (`FetchHttpClient.layer`, or `NodeHttpClient.layerUndici` for speed).
 *
 * Each call builds its own layer: two merchants in one program are two layers, with no shared state.
 *
 * @since 0.2.0
 */
import * as Config from "effect/Config"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import type * as HttpClient from "effect/http/HttpClient"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import * as Environment from "../../src/core/environment.js"
import * as CoreOptions from "../../src/core/options.js"
import { InvalidConfig } from "./errors/WechatPayError.js"
import * as InternalOptions from "./internal/options.js"
import * as KeyStore from "./services/KeyStore.js"
import * as PayScoreNotifications from "./services/PayScoreNotifications.js"
import * as PayScorePermissions from "./services/PayScorePermissions.js"
import * as PayScoreServiceOrders from "./services/PayScoreServiceOrders.js"
import * as PlatformCertificates from "./services/PlatformCertificates.js"
import * as Signer from "./services/Signer.js"
import * as WechatPayClient from "./services/WechatPayClient.js"

/**
 * Every option of the library (see the README for defaults).
 *
 * @since 0.2.0
 * @category models
 */
export interface Options extends KeyStore.Options, Signer.Options, WechatPayClient.Options {}

/**
 * Every option checked, as `layer` checks them first (before anything is imported or sent): the
 * first problem as `InvalidConfig` naming the option.
 *
 * @since 0.2.0
 * @category constructors
 */
export const checkOptions = (options: Options): Effect.Effect<void, InvalidConfig> =>
  Effect.asVoid(InternalOptions.orInvalidConfig(CoreOptions.check(InternalOptions.input(options))))

/**
 * What `layer` provides.
 *
 * @since 0.2.0
 * @category models
 */
export type Services =
  | PayScorePermissions.PayScorePermissions
  | PayScoreServiceOrders.PayScoreServiceOrders
  | PayScoreNotifications.PayScoreNotifications
  | PlatformCertificates.PlatformCertificates
  | WechatPayClient.WechatPayClient
  | Signer.Signer
  | KeyStore.KeyStore

/**
 * @since 0.2.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<Services, InvalidConfig, HttpClient.HttpClient> => {
  const keys = Layer.effectContext(Effect.gen(function*() {
    // every option of every mode, before anything is imported or sent
    const checked = yield* InternalOptions.orInvalidConfig(CoreOptions.check(InternalOptions.input(options)))
    if (checked.certificates === "auto") {
      const { keyStore, service } = yield* PlatformCertificates.makeWithKeyStore(options)
      return Context.make(KeyStore.KeyStore, keyStore).pipe(
        Context.add(PlatformCertificates.PlatformCertificates, service)
      )
    }
    const keyStore = yield* KeyStore.make(options)
    return Context.make(KeyStore.KeyStore, keyStore).pipe(
      Context.add(PlatformCertificates.PlatformCertificates, PlatformCertificates.configured(keyStore))
    )
  }))
  const signer = Signer.layer(options).pipe(Layer.provideMerge(keys))
  const client = WechatPayClient.layer(options).pipe(Layer.provideMerge(signer))
  // fresh layers for this call: Effect 4 memoizes layers by reference across the provides of one
  // program (and of a test suite's shared layer), so the module's constant `PayScorePermissions.layer`
  // would be built once and serve every merchant's layer with the first merchant's client
  const permissions = Layer.effect(PayScorePermissions.PayScorePermissions, PayScorePermissions.make)
  const serviceOrders = Layer.effect(PayScoreServiceOrders.PayScoreServiceOrders, PayScoreServiceOrders.make)
  const notifications = Layer.effect(PayScoreNotifications.PayScoreNotifications, PayScoreNotifications.make)
  return permissions.pipe(Layer.merge(serviceOrders), Layer.merge(notifications), Layer.provideMerge(client))
}

/** What a `ConfigError` says, named by the variable: Effect 4's messages name a path, not a variable. */
const configProblem = (error: Config.ConfigError, variable: string): Environment.Problem => ({
  variable,
  message: Environment.messages.unreadable(variable, error.cause.message)
})

/**
 * Whether `variable` is set to an empty value: Effect 4's providers read `""` as missing, but the
 * container above a value still lists its key (`fromEnv`: `WECHATPAY_…_KEY` lists `FILE`;
 * `fromUnknown`: the root lists the whole name). An empty `*_FILE` is then told as empty, as the
 * Effect 3 line tells it.
 */
const setButEmpty = (variable: string): Effect.Effect<boolean> =>
  Effect.gen(function*() {
    const provider = yield* ConfigProvider.ConfigProvider
    const keysAt = (path: ReadonlyArray<string>) =>
      Effect.map(
        Effect.orElseSucceed(provider.load(path), () => undefined),
        (node) => (node?._tag === "Record" ? node.keys : undefined)
      )
    if ((yield* keysAt([]))?.has(variable) === true) return true
    const segments = variable.split("_")
    return (yield* keysAt(segments.slice(0, -1)))?.has(segments[segments.length - 1]!) === true
  })

/** Every variable, through the `ConfigProvider` in context: the text of each one set (secrets `Redacted`). */
const readVariables = (prefix: string): Effect.Effect<Environment.Read<Redacted.Redacted<string>>> =>
  Effect.gen(function*() {
    const text: Partial<Record<Environment.TextSuffix, string>> = {}
    const secrets: Partial<Record<Environment.SecretSuffix, Redacted.Redacted<string>>> = {}
    const problems: Array<Environment.Problem> = []
    for (const suffix of Environment.SUFFIXES) {
      const variable = `${prefix}_${suffix}`
      const secret = (Environment.SECRETS as ReadonlyArray<string>).includes(suffix)
      const config: Config.Config<Option.Option<string | Redacted.Redacted<string>>> = secret
        ? Config.option(Config.Redacted(variable))
        : Config.option(Config.String(variable))
      const got = yield* Effect.result(config)
      if (Result.isFailure(got)) problems.push(configProblem(got.failure, variable))
      else if (Option.isSome(got.success)) {
        if (secret) secrets[suffix as Environment.SecretSuffix] = got.success.value as Redacted.Redacted<string>
        else text[suffix as Environment.TextSuffix] = got.success.value as string
      } else if (suffix.endsWith("_FILE") && (yield* setButEmpty(variable))) {
        text[suffix as Environment.TextSuffix] = ""
      }
    }
    return { text, secrets, problems }
  })

/**
 * Node's (and Bun's, Deno's) own file reading, found at run time on `process.getBuiltinModule`
 * (Node ≥ 20.16): nothing is imported, so bundlers and runtimes without Node see no built-in.
 */
const builtinReadFile = (): ((path: string, encoding: "utf8") => Promise<string>) | undefined => {
  const process = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
  const fs = typeof process?.getBuiltinModule === "function" ? process.getBuiltinModule("fs") : undefined
  const readFile = (fs as { promises?: { readFile?: unknown } } | undefined)?.promises?.readFile
  return typeof readFile === "function" ? (readFile as (path: string, encoding: "utf8") => Promise<string>) : undefined
}

const errorCode = (text: string | undefined): string | undefined => /\b(E[A-Z]{2,})\b/.exec(text ?? "")?.[1]

/**
 * A `*_FILE` variable's file, through the `FileSystem` in context (`NodeFileSystem.layer`,
 * `BunFileSystem.layer`, or any other); without one, through the runtime's own reading where
 * it has one (Node, Bun, Deno).
 */
const readFile = (path: string): Effect.Effect<Environment.FileRead> =>
  Effect.flatMap(Effect.serviceOption(FileSystem.FileSystem), (fs): Effect.Effect<Environment.FileRead> => {
    if (Option.isSome(fs)) {
      return fs.value.readFileString(path).pipe(
        Effect.map((text): Environment.FileRead => ({ _tag: "Text", text })),
        Effect.catch((e) => {
          const reason = e.reason
          return Effect.succeed<Environment.FileRead>(
            reason._tag === "BadArgument"
              ? { _tag: "Failed", detail: reason.message }
              : { _tag: "Failed", reason: reason._tag, code: errorCode(reason.description) }
          )
        })
      )
    }
    const builtin = builtinReadFile()
    if (builtin === undefined) return Effect.succeed({ _tag: "NoFileSystem" })
    return Effect.promise(() =>
      builtin(path, "utf8").then(
        (text): Environment.FileRead => ({ _tag: "Text", text }),
        (e: unknown): Environment.FileRead => {
          const code = (e as { code?: unknown } | null)?.code
          return typeof code === "string"
            ? { _tag: "Failed", code }
            : { _tag: "Failed", detail: e instanceof Error ? e.message : undefined }
        }
      )
    )
  })

/** The options of the environment and the variable (and file) each came from. */
const readEnvironment = (
  prefix: string
): Effect.Effect<
  { readonly options: Options; readonly sources: Readonly<Record<string, Environment.Source>> },
  InvalidConfig
> =>
  Effect.gen(function*() {
    const read = yield* readVariables(prefix)
    const files: Partial<Record<Environment.FileSuffix, Environment.FileRead>> = {}
    for (const file of Environment.filesToRead(prefix, read)) files[file.suffix] = yield* readFile(file.path)
    const assembled = Environment.assemble(prefix, read, files, (text) => Redacted.make(text))
    if (assembled._tag === "Problems") {
      const problems = assembled.problems
      return yield* new InvalidConfig({
        option: problems[0]!.variable,
        message: problems.map((p) => p.message).join("; ")
      })
    }
    const v = assembled.values
    const options: Options = {
      mchid: v.mchid,
      merchantSerialNo: v.merchantSerialNo,
      merchantPrivateKey: v.merchantPrivateKey,
      ...(v.wechatpayPublicKey !== undefined ? { wechatpayPublicKey: v.wechatpayPublicKey } : {}),
      ...(v.platformCertificates !== undefined ? { platformCertificates: v.platformCertificates } : {}),
      ...(v.apiV3Key !== undefined ? { apiV3Key: v.apiV3Key } : {}),
      ...(v.baseUrl !== undefined ? { baseUrl: v.baseUrl } : {}),
      ...(v.timeoutMillis !== undefined ? { timeout: Duration.millis(v.timeoutMillis) } : {}),
      ...(v.retries !== undefined ? { retries: v.retries } : {}),
      ...(v.maxClockSkewMillis !== undefined ? { maxClockSkew: Duration.millis(v.maxClockSkewMillis) } : {}),
      ...(v.userAgent !== undefined ? { userAgent: v.userAgent } : {})
    }
    return { options, sources: assembled.sources }
  })

/**
 * Reads the options from the environment (through Effect's `ConfigProvider`):
 * `WECHATPAY_MCHID`, `WECHATPAY_MERCHANT_SERIAL_NO`, `WECHATPAY_MERCHANT_PRIVATE_KEY` or
 * `WECHATPAY_MERCHANT_PRIVATE_KEY_FILE`, `WECHATPAY_PUBLIC_KEY_ID`, `WECHATPAY_PUBLIC_KEY` or
 * `WECHATPAY_PUBLIC_KEY_FILE`, `WECHATPAY_PLATFORM_CERTIFICATES_FILE` (one file, one or more PEM
 * certificates), `WECHATPAY_APIV3_KEY`, `WECHATPAY_BASE_URL`, `WECHATPAY_TIMEOUT` (e.g. `5 seconds`),
 * `WECHATPAY_RETRIES`, `WECHATPAY_MAX_CLOCK_SKEW`, `WECHATPAY_USER_AGENT`. Secrets are read with
 * `Config.Redacted`. Any problem fails with `InvalidConfig` naming the variable (and a `*_FILE`
 * variable's path); every missing or invalid variable is listed in its message at once (`option` is
 * the first). A value that does not parse is quoted with an accepted one (`expected a duration such
 * as "5 seconds", not "5s"`); secrets never are. The same rules and words as the Effect 3 line.
 *
 * `*_FILE` files are read through the `FileSystem` in context when there is one, else with the
 * runtime's own file reading (Node ≥ 20.16, Bun, Deno); where there is neither (Workers, browsers),
 * set the values themselves.
 *
 * @since 0.2.0
 * @category constructors
 */
export const options = (prefix: string = Environment.DEFAULT_PREFIX): Effect.Effect<Options, InvalidConfig> =>
  Effect.map(readEnvironment(prefix), (read) => read.options)

/**
 * `layer`, with the options read from the environment by `options(prefix)`. The layer's problems
 * name the variable an option came from (`WECHATPAY_MERCHANT_PRIVATE_KEY_FILE (/etc/wechatpay/key.pem)
 * is a certificate, not a private key: …`).
 *
 * @since 0.2.0
 * @category layers
 */
export const layerConfig = (
  prefix: string = Environment.DEFAULT_PREFIX
): Layer.Layer<Services, InvalidConfig, HttpClient.HttpClient> =>
  Layer.unwrap(
    Effect.map(
      readEnvironment(prefix),
      ({ options, sources }) =>
        layer(options).pipe(
          Layer.catchTag("InvalidConfig", (error) => {
            const renamed = Environment.renameProblem(prefix, sources, error)
            return Layer.effectContext<Services, InvalidConfig, never>(
              Effect.fail(renamed === undefined ? error : new InvalidConfig(renamed))
            )
          })
        )
    )
  )

/**
 * The defaults, for reference.
 *
 * @since 0.2.0
 * @category constants
 */
export const defaults = {
  baseUrl: WechatPayClient.DEFAULT_BASE_URL,
  timeout: Duration.seconds(10),
  retries: 2,
  maxClockSkew: Duration.minutes(5),
  userAgent: WechatPayClient.DEFAULT_USER_AGENT,
  maxResponseBytes: WechatPayClient.DEFAULT_MAX_RESPONSE_BYTES
} as const
