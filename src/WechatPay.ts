/**
 * The all-in-one layer: `KeyStore` → `Signer` → `WechatPayClient` → `PayScorePermissions`, from one
 * options object (`layer`) or from the environment (`layerConfig`). Provide an `HttpClient`
 * (`FetchHttpClient.layer`, or `NodeHttpClient.layerUndici` for speed).
 *
 * Each call builds its own layer: two merchants in one program are two layers, with no shared state.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { InvalidConfig } from "./errors/WechatPayError.js"
import * as KeyStore from "./services/KeyStore.js"
import * as PayScoreNotifications from "./services/PayScoreNotifications.js"
import * as PayScorePermissions from "./services/PayScorePermissions.js"
import * as Signer from "./services/Signer.js"
import * as WechatPayClient from "./services/WechatPayClient.js"

/**
 * Every option of the library (see the README for defaults).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends KeyStore.Options, Signer.Options, WechatPayClient.Options {}

/**
 * What `layer` provides.
 *
 * @since 0.1.0
 * @category models
 */
export type Services =
  | PayScorePermissions.PayScorePermissions
  | PayScoreNotifications.PayScoreNotifications
  | WechatPayClient.WechatPayClient
  | Signer.Signer
  | KeyStore.KeyStore

/**
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<Services, InvalidConfig, HttpClient.HttpClient> => {
  const keyStore = KeyStore.layerAuto(options)
  const signer = Signer.layer(options).pipe(Layer.provideMerge(keyStore))
  const client = WechatPayClient.layer(options).pipe(Layer.provideMerge(signer))
  return PayScorePermissions.layer.pipe(Layer.merge(PayScoreNotifications.layer), Layer.provideMerge(client))
}

const readFile = (option: string, path: string): Effect.Effect<string, InvalidConfig> =>
  Effect.tryPromise({
    try: () => import("node:fs/promises").then((fs) => fs.readFile(path, "utf8")),
    catch: (e) =>
      new InvalidConfig({
        option,
        message: `${option}: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`
      })
  })

/** A secret from `NAME` or from the file named by `NAME_FILE`. */
const secretOrFile = (name: string): Config.Config<Option.Option<Redacted.Redacted<string>> | { file: string }> =>
  Config.all([Config.option(Config.redacted(name)), Config.option(Config.string(`${name}_FILE`))]).pipe(
    Config.map(([value, file]) => Option.isSome(value) || Option.isNone(file) ? value : { file: file.value })
  )

const DEFAULT_PREFIX = "WECHATPAY"

const config = (prefix: string) => {
  const name = (suffix: string) => `${prefix}_${suffix}`
  return Config.all({
    mchid: Config.string(name("MCHID")),
    merchantSerialNo: Config.string(name("MERCHANT_SERIAL_NO")),
    merchantPrivateKey: secretOrFile(name("MERCHANT_PRIVATE_KEY")),
    publicKeyId: Config.option(Config.string(name("PUBLIC_KEY_ID"))),
    publicKey: secretOrFile(name("PUBLIC_KEY")),
    platformCertificatesFile: Config.option(Config.string(name("PLATFORM_CERTIFICATES_FILE"))),
    apiV3Key: Config.option(Config.redacted(name("APIV3_KEY"))),
    baseUrl: Config.option(Config.string(name("BASE_URL"))),
    timeout: Config.option(Config.duration(name("TIMEOUT"))),
    retries: Config.option(Config.integer(name("RETRIES"))),
    maxClockSkew: Config.option(Config.duration(name("MAX_CLOCK_SKEW"))),
    userAgent: Config.option(Config.string(name("USER_AGENT")))
  })
}

const configErrorToInvalidConfig = (error: ConfigError.ConfigError): InvalidConfig => {
  const path = firstPath(error)
  return new InvalidConfig({
    option: path ?? "environment",
    message: String(error).replace(/^\(([\s\S]*)\)$/, "$1").replace(/^Missing data at /, "missing ").replace(
      /^Invalid data at /,
      "invalid "
    )
  })
}

const firstPath = (error: ConfigError.ConfigError): string | undefined => {
  switch (error._op) {
    case "And":
    case "Or":
      return firstPath(error.left) ?? firstPath(error.right)
    case "InvalidData":
    case "MissingData":
    case "SourceUnavailable":
    case "Unsupported":
      return error.path.join("_") || undefined
  }
}

/**
 * Reads the options from the environment (through Effect's `ConfigProvider`):
 * `WECHATPAY_MCHID`, `WECHATPAY_MERCHANT_SERIAL_NO`, `WECHATPAY_MERCHANT_PRIVATE_KEY` or
 * `WECHATPAY_MERCHANT_PRIVATE_KEY_FILE`, `WECHATPAY_PUBLIC_KEY_ID`, `WECHATPAY_PUBLIC_KEY` or
 * `WECHATPAY_PUBLIC_KEY_FILE`, `WECHATPAY_PLATFORM_CERTIFICATES_FILE` (one file, one or more PEM
 * certificates), `WECHATPAY_APIV3_KEY`, `WECHATPAY_BASE_URL`, `WECHATPAY_TIMEOUT` (e.g. `5 seconds`),
 * `WECHATPAY_RETRIES`, `WECHATPAY_MAX_CLOCK_SKEW`, `WECHATPAY_USER_AGENT`. Secrets are read with
 * `Config.redacted`. Any problem fails with `InvalidConfig` naming the variable.
 *
 * @since 0.1.0
 * @category constructors
 */
export const options = (prefix: string = DEFAULT_PREFIX): Effect.Effect<Options, InvalidConfig> =>
  Effect.gen(function*() {
    const c = yield* Effect.mapError(config(prefix), configErrorToInvalidConfig)
    const name = (suffix: string) => `${prefix}_${suffix}`
    const resolve = (option: string, value: Option.Option<Redacted.Redacted<string>> | { file: string }) =>
      "file" in value
        ? Effect.map(readFile(`${option}_FILE`, value.file), (text) => Option.some(Redacted.make(text)))
        : Effect.succeed(value)

    const merchantPrivateKey = yield* resolve(name("MERCHANT_PRIVATE_KEY"), c.merchantPrivateKey)
    if (Option.isNone(merchantPrivateKey)) {
      return yield* new InvalidConfig({
        option: name("MERCHANT_PRIVATE_KEY"),
        message: `${name("MERCHANT_PRIVATE_KEY")} or ${name("MERCHANT_PRIVATE_KEY_FILE")} is required`
      })
    }
    const publicKey = yield* resolve(name("PUBLIC_KEY"), c.publicKey)
    if (Option.isSome(publicKey) !== Option.isSome(c.publicKeyId)) {
      return yield* new InvalidConfig({
        option: name("PUBLIC_KEY_ID"),
        message: `${name("PUBLIC_KEY_ID")} and ${name("PUBLIC_KEY")} (or ${name("PUBLIC_KEY_FILE")}) go together`
      })
    }
    const certificates = Option.isSome(c.platformCertificatesFile)
      ? Option.some(yield* readFile(name("PLATFORM_CERTIFICATES_FILE"), c.platformCertificatesFile.value))
      : Option.none()

    const result: Options = {
      mchid: c.mchid,
      merchantSerialNo: c.merchantSerialNo,
      merchantPrivateKey: merchantPrivateKey.value,
      ...(Option.isSome(publicKey) && Option.isSome(c.publicKeyId)
        ? { wechatpayPublicKey: { id: c.publicKeyId.value, pem: Redacted.value(publicKey.value) } }
        : {}),
      ...(Option.isSome(certificates) ? { platformCertificates: splitCertificates(certificates.value) } : {}),
      ...(Option.isSome(c.apiV3Key) ? { apiV3Key: c.apiV3Key.value } : {}),
      ...(Option.isSome(c.baseUrl) ? { baseUrl: c.baseUrl.value } : {}),
      ...(Option.isSome(c.timeout) ? { timeout: c.timeout.value } : {}),
      ...(Option.isSome(c.retries) ? { retries: c.retries.value } : {}),
      ...(Option.isSome(c.maxClockSkew) ? { maxClockSkew: c.maxClockSkew.value } : {}),
      ...(Option.isSome(c.userAgent) ? { userAgent: c.userAgent.value } : {})
    }
    return result
  })

/** Errors of `make` name options; from the environment, name the variables instead. */
const renameOptions = (prefix: string) => (error: InvalidConfig): InvalidConfig => {
  const variable = ({
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
  } as Record<string, string>)[error.option.replace(/\[\d+\]$/, "")]
  return variable === undefined
    ? error
    : new InvalidConfig({ option: `${prefix}_${variable}`, message: `${prefix}_${variable} (${error.message})` })
}

const splitCertificates = (text: string): ReadonlyArray<string> => {
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)
  return blocks === null ? [text] : blocks
}

/**
 * `layer`, with the options read from the environment by `options(prefix)`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  prefix: string = DEFAULT_PREFIX
): Layer.Layer<Services, InvalidConfig, HttpClient.HttpClient> =>
  Layer.unwrapEffect(
    Effect.map(options(prefix), (options) => layer(options).pipe(Layer.mapError(renameOptions(prefix))))
  )

/**
 * The defaults, for reference.
 *
 * @since 0.1.0
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
