/**
 * Key management, keys only: the merchant signing key, the keys that verify WeChat Pay's answers (by
 * serial or public key id, WeChat Pay public key and platform certificates side by side), which id
 * to send as `Wechatpay-Serial`, and the APIv3 key. No HTTP.
 *
 * Key material is parsed once, when the layer is built, into non-extractable `CryptoKey`s; a bad key
 * fails the layer with `InvalidConfig` naming the option. A custom `KeyStore` layer can keep the
 * merchant key elsewhere (a KMS, an HSM): only `sign` touches it.
 *
 * Downloaded platform certificates (`platformCertificates: "auto"`, or an `apiV3Key` and no
 * verifier) are `PlatformCertificates`' work: it downloads `GET /v3/certificates` through
 * `WechatPayClient` and provides the `KeyStore` that trusts what it downloaded. `layerAuto` /
 * `makeAuto` put the two together (what `WechatPay.layer` does).
 *
 * @since 0.2.0
 */
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as HttpClient from "effect/http/HttpClient"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import type * as CoreCertificates from "../../../src/core/certificates.js"
import * as Keys from "../../../src/core/keys.js"
import * as CoreOptions from "../../../src/core/options.js"
import type {
  ApiErrors,
  DecodeError,
  InvalidConfig,
  TransportError,
  VerificationError
} from "../errors/WechatPayError.js"
import * as Errors from "../internal/errors.js"
import * as InternalOptions from "../internal/options.js"
import * as PlatformCertificates from "./PlatformCertificates.js"

/**
 * @since 0.2.0
 * @category models
 */
export interface WechatpayPublicKey {
  /** The key id WeChat Pay gives with the key, `PUB_KEY_ID_…`. */
  readonly id: string
  /** The public key, SPKI PEM (`-----BEGIN PUBLIC KEY-----`). */
  readonly pem: string
}

/**
 * @since 0.2.0
 * @category models
 */
export interface Options {
  /** The merchant id (商户号). */
  readonly mchid: string
  /** The serial of the merchant API certificate, hex. */
  readonly merchantSerialNo: string
  /** The merchant API private key, PEM, PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1 (`BEGIN RSA PRIVATE KEY`). */
  readonly merchantPrivateKey: Redacted.Redacted<string> | string
  /** The WeChat Pay public key and its id (public-key mode). */
  readonly wechatpayPublicKey?: WechatpayPublicKey | undefined
  /**
   * Platform certificates, X.509 PEM (certificate mode); the serial is read from each certificate.
   * `"auto"`: downloaded from `GET /v3/certificates` and kept fresh (needs `apiV3Key`, and
   * `layerAuto` / `WechatPay.layer`). Left out with an `apiV3Key` and no `wechatpayPublicKey`: `"auto"`.
   */
  readonly platformCertificates?: ReadonlyArray<string> | "auto" | undefined
  /** The APIv3 key: exactly 32 bytes. Needed for notifications and certificate download. */
  readonly apiV3Key?: Redacted.Redacted<string> | string | undefined
  /**
   * Downloaded certificates (`"auto"`): how often they are downloaded again, in a fiber that stops
   * with the layer's scope. Default 12 hours.
   */
  readonly certificateRefreshInterval?: Duration.Input | undefined
  /**
   * Downloaded certificates (`"auto"`): an answer signed under an unknown serial triggers a download
   * at most once per this gap (concurrent answers share one download). Default 60 seconds.
   */
  readonly certificateRefreshMinGap?: Duration.Input | undefined
}

/**
 * What downloading certificates needs besides `Options`: the same options as `WechatPayClient`
 * and `Signer` (`WechatPay.Options` has them all).
 *
 * @since 0.2.0
 * @category models
 */
export interface AutoOptions extends Options {
  /** Default `https://api.mch.weixin.qq.com`. */
  readonly baseUrl?: string | undefined
  /** Per attempt. Default 10 seconds. */
  readonly timeout?: Duration.Input | undefined
  /** Retries after the first attempt for transient failures (5xx, 429, transport, timeout); 0 disables. Default 2. */
  readonly retries?: number | undefined
  /** The first backoff delay; each retry doubles it, with jitter. Default 200 millis. */
  readonly retryBaseDelay?: Duration.Input | undefined
  /** Default `effect-wechatpay/<version> (…)`. */
  readonly userAgent?: string | undefined
  /** Answers whose `Wechatpay-Timestamp` is this far or farther from the local clock are rejected. Default 5 minutes. */
  readonly maxClockSkew?: Duration.Input | undefined
  /** The largest answer body read, in bytes. Default 1 MiB. */
  readonly maxResponseBytes?: number | undefined
}

/**
 * A trusted platform certificate: its serial and validity.
 *
 * @since 0.2.0
 * @category models
 */
export interface PlatformCertificate {
  readonly serial: string
  readonly notBefore: DateTime.Utc
  readonly notAfter: DateTime.Utc
  /** Downloaded certificates: `effective_time` (启用时间) of `GET /v3/certificates`, when given. */
  readonly effectiveTime?: DateTime.Utc | undefined
  /** Downloaded certificates: `expire_time` (弃用时间), when given; not trusted from then on. */
  readonly expireTime?: DateTime.Utc | undefined
}

/**
 * Why a certificate download failed: WeChat Pay's error answer, the network, an answer whose
 * signature does not hold, or one that does not decrypt or read.
 *
 * @since 0.2.0
 * @category errors
 */
export type CertificateDownloadError = ApiErrors | TransportError | VerificationError | DecodeError

/**
 * @since 0.2.0
 * @category models
 */
export declare namespace KeyStore {
  /**
   * @since 0.2.0
   * @category models
   */
  export interface Service {
    readonly mchid: string
    readonly merchantSerialNo: string
    /**
     * The id sent as `Wechatpay-Serial`: the public key id when there is one, else the newest
     * certificate's serial (with downloaded certificates, read it at the time of use: it follows rotations).
     */
    readonly wechatpaySerial: string
    /** Every trusted serial / key id (with downloaded certificates, at the time of reading). */
    readonly serials: ReadonlyArray<string>
    /** RSASSA-PKCS1-v1_5/SHA-256 over the UTF-8 message with the merchant key, base64. */
    readonly sign: (message: string) => Effect.Effect<string>
    /**
     * The key that verifies answers signed under `serial`, if trusted. With downloaded
     * certificates, an unknown certificate serial first triggers a refresh (single flight, rate limited).
     */
    readonly verifyingKey: (serial: string) => Effect.Effect<Option.Option<CryptoKey>>
    /** The APIv3 key as an AES-256-GCM `CryptoKey`, when configured. */
    readonly apiV3Key: Option.Option<CryptoKey>
    /** The trusted platform certificates, configured or downloaded. */
    readonly certificates: Effect.Effect<ReadonlyArray<PlatformCertificate>>
    /**
     * Downloads the certificates now (downloaded mode; a no-op with configured keys), not rate
     * limited. On failure the current certificates stay.
     */
    readonly refresh: Effect.Effect<void, CertificateDownloadError>
  }
}

/**
 * @since 0.2.0
 * @category tags
 */
export class KeyStore extends Context.Service<KeyStore, KeyStore.Service>()("effect-wechatpay/KeyStore") {
  /** Configured keys only (see `layer`). @since 0.2.0 */
  static readonly layer = (options: Options): Layer.Layer<KeyStore, InvalidConfig> => layer(options)
  /** Configured or downloaded keys (see `layerAuto`). @since 0.2.0 */
  static readonly layerAuto = (options: AutoOptions): Layer.Layer<KeyStore, InvalidConfig, HttpClient.HttpClient> =>
    layerAuto(options)
}

/**
 * A verifier: a serial or key id and its key, with the certificate's validity when it is one
 * (epoch millis; a public key has none).
 */
interface Prepared {
  readonly signingKey: CryptoKey
  readonly publicKey: { readonly id: string; readonly key: CryptoKey } | undefined
  /** Configured certificates (none in downloaded mode). */
  readonly certificates: ReadonlyArray<CoreCertificates.Trusted>
  readonly apiV3Key: Option.Option<CryptoKey>
  readonly checked: CoreOptions.CheckedKeys
}

const fail = (option: string, problem: Keys.KeyProblem): Effect.Effect<never, InvalidConfig> =>
  Effect.fail(Errors.invalidConfig({ _tag: "OptionProblem", option, message: `${option} ${problem.message}` }))

const imported = <A>(option: string, result: Promise<A | Keys.KeyProblem>): Effect.Effect<A, InvalidConfig> =>
  Effect.flatMap(Effect.promise(() => result), (a) => Keys.isKeyProblem(a) ? fail(option, a) : Effect.succeed(a))

/** Checks the options, then imports every key: the first problem fails with `InvalidConfig` naming the option. */
const prepare = (options: Options): Effect.Effect<Prepared, InvalidConfig> =>
  Effect.gen(function*() {
    const checked = yield* InternalOptions.orInvalidConfig(CoreOptions.checkKeys({
      mchid: options.mchid,
      merchantSerialNo: options.merchantSerialNo,
      wechatpayPublicKey: options.wechatpayPublicKey,
      platformCertificates: options.platformCertificates,
      apiV3KeyGiven: options.apiV3Key !== undefined
    }))
    const signingKey = yield* imported(
      "merchantPrivateKey",
      Keys.importMerchantKey(InternalOptions.reveal(options.merchantPrivateKey))
    )
    let publicKey: Prepared["publicKey"]
    if (options.wechatpayPublicKey !== undefined && checked.publicKeyId !== undefined) {
      const key = yield* imported("wechatpayPublicKey.pem", Keys.importPublicKey(options.wechatpayPublicKey.pem))
      publicKey = { id: checked.publicKeyId, key }
    }
    const certificates: Array<CoreCertificates.Trusted> = []
    if (Array.isArray(options.platformCertificates)) {
      const pems: ReadonlyArray<unknown> = options.platformCertificates
      for (let i = 0; i < pems.length; i++) {
        certificates.push(...(yield* imported(`platformCertificates[${i}]`, Keys.importCertificates(pems[i]))))
      }
    }
    const apiV3Key = options.apiV3Key === undefined
      ? Option.none<CryptoKey>()
      : Option.some(yield* imported("apiV3Key", Keys.importApiV3Key(InternalOptions.reveal(options.apiV3Key))))
    return { signingKey, publicKey, certificates, apiV3Key, checked }
  })

/**
 * What a trusted certificate says of itself.
 *
 * @internal
 */
export const describeCertificates = (
  certificates: Iterable<CoreCertificates.Trusted>
): ReadonlyArray<PlatformCertificate> =>
  Array.from(certificates, (c) => ({
    serial: c.serial,
    notBefore: DateTime.makeUnsafe(c.notBefore),
    notAfter: DateTime.makeUnsafe(c.notAfter),
    ...(c.effectiveTime === undefined ? {} : { effectiveTime: DateTime.makeUnsafe(c.effectiveTime) }),
    ...(c.expireTime === undefined ? {} : { expireTime: DateTime.makeUnsafe(c.expireTime) })
  }))

const makeStatic = (prepared: Prepared): KeyStore.Service => {
  const { apiV3Key, publicKey, signingKey } = prepared
  const verifiers = new Map<string, CryptoKey>()
  if (publicKey !== undefined) verifiers.set(publicKey.id, publicKey.key)
  let newestCertificate: CoreCertificates.Trusted | undefined
  for (const certificate of prepared.certificates) {
    verifiers.set(certificate.serial, certificate.key)
    if (newestCertificate === undefined || certificate.notBefore > newestCertificate.notBefore) {
      newestCertificate = certificate
    }
  }
  // with downloaded certificates and no public key, none yet: `PlatformCertificates` names one
  const wechatpaySerial = publicKey?.id ?? newestCertificate?.serial ?? ""
  const serials = Array.from(verifiers.keys())
  const certificates = Effect.succeed(describeCertificates(prepared.certificates))
  return KeyStore.of({
    mchid: prepared.checked.mchid,
    merchantSerialNo: prepared.checked.merchantSerialNo,
    wechatpaySerial,
    serials,
    sign: (message) => Effect.promise(() => Keys.sign(signingKey, message)),
    verifyingKey: (serial) => Effect.sync(() => Option.fromNullishOr(verifiers.get(serial))),
    apiV3Key,
    certificates,
    refresh: Effect.void
  })
}

/**
 * The keys of the options, configured ones only: the public key and the given certificates. With
 * downloaded certificates (`"auto"`, or an APIv3 key and no verifier) it fails with `InvalidConfig`
 * `platformCertificates`: downloading needs an `HttpClient` (use `layerAuto`, which
 * `WechatPay.layer` uses).
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<KeyStore.Service, InvalidConfig> =>
  Effect.flatMap(prepare(options), (prepared) =>
    prepared.checked.certificates === "auto"
      ? Effect.fail(Errors.invalidConfig({
        _tag: "OptionProblem",
        option: "platformCertificates",
        message:
          'platformCertificates are downloaded ("auto", or an apiV3Key and no verifier), which needs an HttpClient: build the KeyStore with KeyStore.layerAuto (WechatPay.layer does), or give wechatpayPublicKey / platformCertificates'
      }))
      : Effect.succeed(makeStatic(prepared)))

/**
 * The keys of the options as they are, downloaded certificates or not: a `KeyStore` that trusts the
 * configured keys (none yet in downloaded mode), for `PlatformCertificates` to build on.
 *
 * @since 0.2.0
 * @category constructors
 */
export const makeConfigured = (options: Options): Effect.Effect<KeyStore.Service, InvalidConfig> =>
  Effect.map(prepare(options), makeStatic)

/**
 * The default of `certificateRefreshInterval`: 12 hours.
 *
 * @since 0.2.0
 * @category constants
 */
export const DEFAULT_CERTIFICATE_REFRESH_INTERVAL: Duration.Duration = PlatformCertificates
  .DEFAULT_CERTIFICATE_REFRESH_INTERVAL

/**
 * The default of `certificateRefreshMinGap`: 60 seconds.
 *
 * @since 0.2.0
 * @category constants
 */
export const DEFAULT_CERTIFICATE_REFRESH_MIN_GAP: Duration.Duration = PlatformCertificates
  .DEFAULT_CERTIFICATE_REFRESH_MIN_GAP

/**
 * `make`, and downloaded certificates: every option is checked first, then with
 * `platformCertificates: "auto"` (or an `apiV3Key` and no verifier) `PlatformCertificates` downloads
 * them through a `WechatPayClient` of these options (see there), and the `KeyStore` returned trusts
 * them and follows their refreshes. A first download that fails fails with `InvalidConfig`
 * `platformCertificates` naming the cause. With configured keys only, it is `make`.
 *
 * @since 0.2.0
 * @category constructors
 */
export const makeAuto = (
  options: AutoOptions
): Effect.Effect<KeyStore.Service, InvalidConfig, HttpClient.HttpClient | Scope.Scope> =>
  Effect.suspend(() => {
    const all = CoreOptions.check(InternalOptions.input(options))
    if (CoreOptions.isOptionProblem(all)) return Effect.fail(Errors.invalidConfig(all))
    if (all.certificates !== "auto") return make(options)
    return Effect.map(PlatformCertificates.makeWithKeyStore(options), ({ keyStore }) => keyStore)
  })

/**
 * Configured keys only (see `make`); `layerAuto` for downloaded certificates.
 *
 * @since 0.2.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<KeyStore, InvalidConfig> => Layer.effect(KeyStore, make(options))

/**
 * `makeAuto` as a layer: downloaded certificates are refreshed by a fiber that stops with the
 * layer's scope. With configured keys only, the same as `layer`.
 *
 * @since 0.2.0
 * @category layers
 */
export const layerAuto = (options: AutoOptions): Layer.Layer<KeyStore, InvalidConfig, HttpClient.HttpClient> =>
  Layer.effect(KeyStore, makeAuto(options))
