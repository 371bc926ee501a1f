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
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import type * as HttpClient from "effect/http/HttpClient"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
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

/** One thing wrong with the environment, named by its variable. */
interface Problem {
  readonly variable: string
  readonly message: string
}

const problemsToInvalidConfig = (problems: ReadonlyArray<Problem>): InvalidConfig =>
  new InvalidConfig({ option: problems[0]!.variable, message: problems.map((p) => p.message).join("; ") })

/** What a `ConfigError` says, named by the variable: Effect 4's messages name a path, not a variable. */
const configProblems = (error: Config.ConfigError, variable: string): ReadonlyArray<Problem> => {
  const text = (error.cause._tag === "SourceError" ? error.cause.message : error.cause.message).split("\n")[0]!
  return [{ variable, message: `invalid ${variable}: ${text}` }]
}

/**
 * Reads one variable; absent is `None` (a required one is reported as missing by its reader); a
 * problem rather than a failure, so that every variable is reported.
 */
const read = <A>(
  variable: string,
  config: Config.Config<Option.Option<A>>
): Effect.Effect<Result.Result<Option.Option<A>, ReadonlyArray<Problem>>> =>
  Effect.result(Effect.mapError(config, (error: Config.ConfigError) => configProblems(error, variable)))

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

const errorCode = (e: unknown): string | undefined => {
  const code = (e as { code?: unknown } | null)?.code
  return typeof code === "string" ? code : undefined
}

/**
 * A `*_FILE` variable's file, through the `FileSystem` in context (`NodeFileSystem.layer`,
 * `BunFileSystem.layer`, or any other); without one, through the runtime's own reading where
 * it has one (Node, Bun, Deno); else a problem saying what to provide.
 */
const readFile = (variable: string, path: string): Effect.Effect<Result.Result<string, Problem>> =>
  Effect.flatMap(Effect.serviceOption(FileSystem.FileSystem), (fs) => {
    const cannot = (why: string): Problem => ({ variable, message: `${variable}: cannot read ${path}: ${why}` })
    if (Option.isSome(fs)) {
      return Effect.result(Effect.mapError(fs.value.readFileString(path), (e) => {
        const reason = e.reason
        if (reason._tag === "BadArgument") return cannot(reason.message)
        const code = /^(E[A-Z]+)\b/.exec(reason.description ?? "")?.[1]
        return cannot(`${reason._tag}${code === undefined ? "" : ` (${code})`}`)
      }))
    }
    const builtin = builtinReadFile()
    if (builtin === undefined) {
      return Effect.succeed(Result.fail(cannot(
        "no FileSystem here: provide one (NodeFileSystem.layer, BunFileSystem.layer, …) or set the value itself in the variable without _FILE"
      )))
    }
    return Effect.result(Effect.tryPromise({
      try: () => builtin(path, "utf8"),
      catch: (e) => cannot(errorCode(e) ?? (e instanceof Error ? e.message : "unknown error"))
    }))
  })

const DEFAULT_PREFIX = "WECHATPAY"

/**
 * Reads the options from the environment (through Effect's `ConfigProvider`):
 * `WECHATPAY_MCHID`, `WECHATPAY_MERCHANT_SERIAL_NO`, `WECHATPAY_MERCHANT_PRIVATE_KEY` or
 * `WECHATPAY_MERCHANT_PRIVATE_KEY_FILE`, `WECHATPAY_PUBLIC_KEY_ID`, `WECHATPAY_PUBLIC_KEY` or
 * `WECHATPAY_PUBLIC_KEY_FILE`, `WECHATPAY_PLATFORM_CERTIFICATES_FILE` (one file, one or more PEM
 * certificates), `WECHATPAY_APIV3_KEY`, `WECHATPAY_BASE_URL`, `WECHATPAY_TIMEOUT` (e.g. `5 seconds`),
 * `WECHATPAY_RETRIES`, `WECHATPAY_MAX_CLOCK_SKEW`, `WECHATPAY_USER_AGENT`. Secrets are read with
 * `Config.redacted`. Any problem fails with `InvalidConfig` naming the variable; every missing or
 * invalid variable is listed in its message at once (`option` is the first).
 *
 * `*_FILE` files are read through the `FileSystem` in context when there is one, else with the
 * runtime's own file reading (Node ≥ 20.16, Bun, Deno); where there is neither (Workers, browsers),
 * set the values themselves.
 *
 * @since 0.2.0
 * @category constructors
 */
export const options = (prefix: string = DEFAULT_PREFIX): Effect.Effect<Options, InvalidConfig> =>
  Effect.gen(function*() {
    const name = (suffix: string) => `${prefix}_${suffix}`
    const problems: Array<Problem> = []
    const value = <A>(result: Result.Result<Option.Option<A>, ReadonlyArray<Problem>>): Option.Option<A> => {
      if (Result.isSuccess(result)) return result.success
      problems.push(...result.failure)
      return Option.none()
    }
    const optional = <A>(suffix: string, config: (name: string) => Config.Config<A>) =>
      Effect.map(read(name(suffix), Config.option(config(name(suffix)))), value)
    const required = (suffix: string) =>
      Effect.map(optional(suffix, Config.String), (found) => {
        if (Option.isNone(found)) problems.push({ variable: name(suffix), message: `missing ${name(suffix)}` })
        return found
      })
    const fileText = (variable: string, path: Option.Option<string>) =>
      Option.isNone(path) ? Effect.succeed(Option.none<string>()) : Effect.map(readFile(variable, path.value), (e) => {
        if (Result.isSuccess(e)) return Option.some(e.success)
        problems.push(e.failure)
        return Option.none<string>()
      })
    /** `NAME`, else the file named by `NAME_FILE` (the inline value wins). */
    const secretOrFile = (suffix: string) =>
      Effect.gen(function*() {
        const inline = yield* optional(suffix, (n) => Config.Redacted(n))
        if (Option.isSome(inline)) return { value: inline, given: true }
        const path = yield* optional(`${suffix}_FILE`, Config.String)
        const text = yield* fileText(name(`${suffix}_FILE`), path)
        return { value: Option.map(text, (t) => Redacted.make(t)), given: Option.isSome(path) }
      })

    const mchid = yield* required("MCHID")
    const merchantSerialNo = yield* required("MERCHANT_SERIAL_NO")
    const merchantPrivateKey = yield* secretOrFile("MERCHANT_PRIVATE_KEY")
    if (!merchantPrivateKey.given) {
      problems.push({
        variable: name("MERCHANT_PRIVATE_KEY"),
        message: `${name("MERCHANT_PRIVATE_KEY")} or ${name("MERCHANT_PRIVATE_KEY_FILE")} is required`
      })
    }
    const publicKeyId = yield* optional("PUBLIC_KEY_ID", Config.String)
    const publicKey = yield* secretOrFile("PUBLIC_KEY")
    if (publicKey.given !== Option.isSome(publicKeyId)) {
      problems.push({
        variable: name("PUBLIC_KEY_ID"),
        message: `${name("PUBLIC_KEY_ID")} and ${name("PUBLIC_KEY")} (or ${name("PUBLIC_KEY_FILE")}) go together`
      })
    }
    const certificatesFile = yield* optional("PLATFORM_CERTIFICATES_FILE", Config.String)
    const certificates = yield* fileText(name("PLATFORM_CERTIFICATES_FILE"), certificatesFile)
    const apiV3Key = yield* optional("APIV3_KEY", (n) => Config.Redacted(n))
    if (!publicKey.given && Option.isNone(publicKeyId) && Option.isNone(certificatesFile) && Option.isNone(apiV3Key)) {
      problems.push({
        variable: name("PUBLIC_KEY"),
        message: `one of ${name("PUBLIC_KEY_ID")} with ${name("PUBLIC_KEY")} (or ${name("PUBLIC_KEY_FILE")}), ${
          name("PLATFORM_CERTIFICATES_FILE")
        } or ${
          name("APIV3_KEY")
        } (to download the platform certificates) is required: without a key to verify WeChat Pay's answers, no answer can be trusted`
      })
    }
    const baseUrl = yield* optional("BASE_URL", Config.String)
    /** A variable read as text, then parsed here: the message shows the value and an accepted one. */
    const parsed = <A>(suffix: string, parse: (text: string) => A | undefined, expected: string) =>
      Effect.map(optional(suffix, Config.String), (text) => {
        if (Option.isNone(text)) return Option.none<A>()
        const value = parse(text.value.trim())
        if (value !== undefined) return Option.some(value)
        problems.push({
          variable: name(suffix),
          message: `invalid ${name(suffix)}: expected ${expected}, not ${JSON.stringify(text.value)}`
        })
        return Option.none<A>()
      })
    const duration = (text: string) =>
      /^\d+(\.\d+)? [a-z]+$/.test(text) ? Option.getOrUndefined(InternalOptions.decodeDuration(text)) : undefined
    const integer = (text: string) => (/^-?\d+$/.test(text) ? Number(text) : undefined)
    const timeout = yield* parsed("TIMEOUT", duration, 'a duration such as "5 seconds"')
    const retries = yield* parsed("RETRIES", integer, "a whole number such as 2")
    const maxClockSkew = yield* parsed("MAX_CLOCK_SKEW", duration, 'a duration such as "5 minutes"')
    const userAgent = yield* optional("USER_AGENT", Config.String)

    if (
      problems.length > 0 || Option.isNone(mchid) || Option.isNone(merchantSerialNo) ||
      Option.isNone(merchantPrivateKey.value)
    ) {
      return yield* problemsToInvalidConfig(problems)
    }
    const result: Options = {
      mchid: mchid.value,
      merchantSerialNo: merchantSerialNo.value,
      merchantPrivateKey: merchantPrivateKey.value.value,
      ...(Option.isSome(publicKey.value) && Option.isSome(publicKeyId)
        ? { wechatpayPublicKey: { id: publicKeyId.value, pem: Redacted.value(publicKey.value.value) } }
        : {}),
      ...(Option.isSome(certificates) ? { platformCertificates: splitCertificates(certificates.value) } : {}),
      ...(Option.isSome(apiV3Key) ? { apiV3Key: apiV3Key.value } : {}),
      ...(Option.isSome(baseUrl) ? { baseUrl: baseUrl.value } : {}),
      ...(Option.isSome(timeout) ? { timeout: timeout.value } : {}),
      ...(Option.isSome(retries) ? { retries: retries.value } : {}),
      ...(Option.isSome(maxClockSkew) ? { maxClockSkew: maxClockSkew.value } : {}),
      ...(Option.isSome(userAgent) ? { userAgent: userAgent.value } : {})
    }
    return result
  })

const VARIABLES: Record<string, string> = {
  mchid: "MCHID",
  merchantSerialNo: "MERCHANT_SERIAL_NO",
  merchantPrivateKey: "MERCHANT_PRIVATE_KEY",
  "wechatpayPublicKey.id": "PUBLIC_KEY_ID",
  "wechatpayPublicKey.pem": "PUBLIC_KEY",
  wechatpayPublicKey: "PUBLIC_KEY",
  platformCertificates: "PLATFORM_CERTIFICATES_FILE",
  apiV3Key: "APIV3_KEY",
  baseUrl: "BASE_URL",
  timeout: "TIMEOUT",
  retries: "RETRIES",
  maxClockSkew: "MAX_CLOCK_SKEW",
  userAgent: "USER_AGENT"
}

/**
 * Errors of `make` name options (`"mchid must be …"`); from the environment, name the variables
 * instead (`"WECHATPAY_MCHID must be …"`), and a certificate of the file by its place in it.
 */
const renameOptions = (prefix: string) => (error: InvalidConfig): InvalidConfig => {
  const indexed = /^(.*)\[(\d+)\]$/.exec(error.option)
  const option = indexed === null ? error.option : indexed[1]!
  const suffix = VARIABLES[option]
  if (suffix === undefined) return error
  const variable = `${prefix}_${suffix}`
  const place = indexed === null ? "" : ` (certificate ${Number(indexed[2]) + 1} of the file)`
  const rest = error.message.startsWith(error.option) ? error.message.slice(error.option.length) : `: ${error.message}`
  return new InvalidConfig({ option: variable, message: `${variable}${place}${rest}` })
}

const splitCertificates = (text: string): ReadonlyArray<string> => {
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)
  return blocks === null ? [text] : blocks
}

/**
 * `layer`, with the options read from the environment by `options(prefix)`.
 *
 * @since 0.2.0
 * @category layers
 */
export const layerConfig = (
  prefix: string = DEFAULT_PREFIX
): Layer.Layer<Services, InvalidConfig, HttpClient.HttpClient> =>
  Layer.unwrap(
    Effect.map(
      options(prefix),
      (options) =>
        layer(options).pipe(
          Layer.catchTag(
            "InvalidConfig",
            (error) => Layer.effectContext<Services, InvalidConfig, never>(Effect.fail(renameOptions(prefix)(error)))
          )
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
