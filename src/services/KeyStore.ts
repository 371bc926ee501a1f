/**
 * Key management: the merchant signing key, the keys that verify WeChat Pay's answers (by serial or
 * public key id, WeChat Pay public key and platform certificates side by side), which id to send as
 * `Wechatpay-Serial`, and the APIv3 key.
 *
 * Key material is parsed once, when the layer is built, into non-extractable `CryptoKey`s; a bad key
 * fails the layer with `InvalidConfig` naming the option. A custom `KeyStore` layer can keep the
 * merchant key elsewhere (a KMS, an HSM): only `sign` touches it.
 *
 * Platform certificates can also be downloaded (`platformCertificates: "auto"`, or an `apiV3Key` and
 * no verifier): `layerAuto` / `makeAuto` download `GET /v3/certificates` when the layer is built
 * (trust is bootstrapped from the answer itself: decrypted with the APIv3 key, then its signature
 * checked with the certificate it carries), then again on an unknown serial (single flight, at most
 * once per `certificateRefreshMinGap`) and every `certificateRefreshInterval` in a fiber that stops
 * with the layer's scope. Certificates still valid are kept across refreshes, so old and new overlap
 * during a rotation; a failed refresh keeps the current ones and is logged at `Warning`.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import {
  type ApiErrors,
  DecodeError,
  InvalidConfig,
  type TransportError,
  type VerificationError
} from "../errors/WechatPayError.js"
import * as Certificates from "../internal/certificates.js"
import * as Crypto from "../internal/crypto.js"
import * as Direct from "../internal/direct.js"
import * as MerchantKeyCheck from "../internal/merchantKeyCheck.js"
import { DEFAULT_USER_AGENT } from "../internal/version.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface WechatpayPublicKey {
  /** The key id WeChat Pay gives with the key, `PUB_KEY_ID_…`. */
  readonly id: string
  /** The public key, SPKI PEM (`-----BEGIN PUBLIC KEY-----`). */
  readonly pem: string
}

/**
 * @since 0.1.0
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
  readonly certificateRefreshInterval?: Duration.DurationInput | undefined
  /**
   * Downloaded certificates (`"auto"`): an answer signed under an unknown serial triggers a download
   * at most once per this gap (concurrent answers share one download). Default 60 seconds.
   */
  readonly certificateRefreshMinGap?: Duration.DurationInput | undefined
}

/**
 * What downloading certificates needs besides `Options`: the same options as `WechatPayClient`
 * and `Signer` (`WechatPay.Options` has them all).
 *
 * @since 0.1.0
 * @category models
 */
export interface AutoOptions extends Options {
  /** Default `https://api.mch.weixin.qq.com`. */
  readonly baseUrl?: string | undefined
  /** Per attempt. Default 10 seconds. */
  readonly timeout?: Duration.DurationInput | undefined
  /** Retries after the first attempt for transient failures (5xx, 429, transport, timeout); 0 disables. Default 2. */
  readonly retries?: number | undefined
  /** The first backoff delay; each retry doubles it, with jitter. Default 200 millis. */
  readonly retryBaseDelay?: Duration.DurationInput | undefined
  /** Default `effect-wechatpay/<version> (…)`. */
  readonly userAgent?: string | undefined
  /** Answers whose `Wechatpay-Timestamp` is this far or farther from the local clock are rejected. Default 5 minutes. */
  readonly maxClockSkew?: Duration.DurationInput | undefined
}

/**
 * A trusted platform certificate: its serial and validity.
 *
 * @since 0.1.0
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
 * @since 0.1.0
 * @category errors
 */
export type CertificateDownloadError = ApiErrors | TransportError | VerificationError | DecodeError

/**
 * @since 0.1.0
 * @category models
 */
export declare namespace KeyStore {
  /**
   * @since 0.1.0
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
 * @since 0.1.0
 * @category tags
 */
export class KeyStore extends Context.Tag("effect-wechatpay/KeyStore")<KeyStore, KeyStore.Service>() {}

const MCHID = /^[0-9A-Za-z_-]{1,32}$/
const HEX = /^[0-9A-Fa-f]{1,64}$/
const KEY_ID = /^[\x21-\x7e]{1,128}$/

const invalid = (option: string, message: string) => new InvalidConfig({ option, message: `${option} ${message}` })

const reveal = (value: Redacted.Redacted<string> | string): string =>
  Redacted.isRedacted(value) ? Redacted.value(value) : value

const importPrivateKey = (value: Redacted.Redacted<string> | string) =>
  Effect.gen(function*() {
    const option = "merchantPrivateKey"
    const pem = reveal(value)
    if (typeof pem !== "string") return yield* invalid(option, "must be a PEM string")
    const blocks = Crypto.parsePem(pem)
    if (!Array.isArray(blocks)) {
      return yield* invalid(option, Crypto.describePemProblem(blocks as Crypto.PemProblem, "PRIVATE KEY"))
    }
    const block = (blocks as ReadonlyArray<Crypto.PemBlock>)[0]!
    let pkcs8: Uint8Array<ArrayBuffer>
    switch (block.label) {
      case "PRIVATE KEY":
        pkcs8 = block.der
        break
      case "RSA PRIVATE KEY":
        pkcs8 = Crypto.pkcs1ToPkcs8(block.der)
        break
      case "ENCRYPTED PRIVATE KEY":
        return yield* invalid(
          option,
          "is encrypted (BEGIN ENCRYPTED PRIVATE KEY): decrypt it first, e.g. `openssl pkey -in key.pem -out plain.pem`"
        )
      case "PUBLIC KEY":
      case "RSA PUBLIC KEY":
      case "CERTIFICATE":
        return yield* invalid(
          option,
          `is a ${block.label.toLowerCase()}, not a private key: give apiclient_key.pem, the merchant API private key`
        )
      default:
        return yield* invalid(
          option,
          `has a "${block.label}" block; expected "PRIVATE KEY" (PKCS#8) or "RSA PRIVATE KEY" (PKCS#1)`
        )
    }
    const key = yield* Effect.tryPromise({
      try: () => Crypto.importSigningKey(pkcs8),
      catch: () =>
        invalid(
          option,
          `could not be read as an RSA private key (${block.label} block): wrong algorithm or a corrupted key`
        )
    })
    // WebCrypto does not check that the key's parts agree (see internal/merchantKeyCheck.ts)
    if (!(yield* Effect.promise(() => MerchantKeyCheck.isConsistent(pkcs8)))) {
      return yield* invalid(
        option,
        `is damaged (${block.label} block): its parts do not agree (a signature made with it does not verify with its own public half), so WeChat Pay would answer every request with SIGN_ERROR; copy apiclient_key.pem again`
      )
    }
    return key
  })

const importPublicKey = (option: string, pem: string) =>
  Effect.gen(function*() {
    if (typeof pem !== "string") return yield* invalid(option, "must be a PEM string")
    const blocks = Crypto.parsePem(pem)
    if (!Array.isArray(blocks)) {
      return yield* invalid(option, Crypto.describePemProblem(blocks as Crypto.PemProblem, "PUBLIC KEY"))
    }
    const block = (blocks as ReadonlyArray<Crypto.PemBlock>)[0]!
    let spki: Uint8Array<ArrayBuffer>
    switch (block.label) {
      case "PUBLIC KEY":
        spki = block.der
        break
      case "RSA PUBLIC KEY":
        spki = Crypto.pkcs1PublicToSpki(block.der)
        break
      case "CERTIFICATE":
        return yield* invalid(option, "is a certificate, not a public key: give certificates in platformCertificates")
      default:
        return yield* invalid(
          option,
          `has a "${block.label}" block, which is not a public key; expected "-----BEGIN PUBLIC KEY-----" (pub_key.pem from the merchant platform)`
        )
    }
    return yield* Effect.tryPromise({
      try: () => Crypto.importVerifyingKey(spki),
      catch: () => invalid(option, "could not be read as an RSA public key: wrong algorithm or a corrupted key")
    })
  })

interface Verifier {
  readonly serial: string
  readonly key: CryptoKey
  readonly notBefore: number
  readonly notAfter: number
  /** `effective_time` of a downloaded certificate. */
  readonly effectiveTime?: number | undefined
  /** `expire_time` of a downloaded certificate. */
  readonly expireTime?: number | undefined
}

/** From when a certificate is in effect: `effective_time` when WeChat Pay gave one, else `notBefore`. */
const effectiveFrom = (c: Verifier): number => Math.max(c.notBefore, c.effectiveTime ?? Number.NEGATIVE_INFINITY)

/** Until when a certificate is trusted: the earlier of `notAfter` and `expire_time` (弃用时间). */
const trustedUntil = (c: Verifier): number => Math.min(c.notAfter, c.expireTime ?? Number.POSITIVE_INFINITY)

const importCertificates = (pems: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const option = "platformCertificates"
    if (!Array.isArray(pems)) return yield* invalid(option, "must be an array of X.509 PEM strings")
    const verifiers: Array<Verifier> = []
    for (let i = 0; i < pems.length; i++) {
      const at = `${option}[${i}]`
      const pem = pems[i]
      if (typeof pem !== "string") return yield* invalid(at, "must be a PEM string")
      const blocks = Crypto.parsePem(pem)
      if (!Array.isArray(blocks)) {
        return yield* invalid(at, Crypto.describePemProblem(blocks as Crypto.PemProblem, "CERTIFICATE"))
      }
      for (const block of blocks as ReadonlyArray<Crypto.PemBlock>) {
        if (block.label !== "CERTIFICATE") {
          return yield* invalid(
            at,
            `has a "${block.label}" block; expected "-----BEGIN CERTIFICATE-----" (wechatpay_<serial>.pem)`
          )
        }
        const certificate = yield* Effect.try({
          try: () => Crypto.readCertificate(block.der),
          catch: (e) => invalid(at, `is not a readable X.509 certificate (${Crypto.certificateReason(e)})`)
        })
        const key = yield* Effect.tryPromise({
          try: () => Crypto.importVerifyingKey(certificate.spki),
          catch: () => invalid(at, "does not hold an RSA public key")
        })
        verifiers.push({
          serial: certificate.serial,
          key,
          notBefore: certificate.notBefore,
          notAfter: certificate.notAfter
        })
      }
    }
    return verifiers
  })

const importApiV3Key = (value: Redacted.Redacted<string> | string) =>
  Effect.gen(function*() {
    const option = "apiV3Key"
    const key = reveal(value)
    if (typeof key !== "string") return yield* invalid(option, "must be a string")
    const bytes = Crypto.utf8(key)
    if (bytes.length !== 32) {
      const hint = key.trim().length !== key.length ? " (it has leading or trailing whitespace)" : ""
      return yield* invalid(option, `must be exactly 32 bytes; this one is ${bytes.length}${hint}`)
    }
    return yield* Effect.tryPromise({
      try: () => Crypto.importAesKey(bytes),
      catch: () => invalid(option, "could not be imported as an AES-256 key")
    })
  })

interface Prepared {
  readonly signingKey: CryptoKey
  readonly publicKey: { readonly id: string; readonly key: CryptoKey } | undefined
  /** Configured certificates (none in downloaded mode). */
  readonly certificates: ReadonlyArray<Verifier>
  readonly apiV3Key: Option.Option<CryptoKey>
  /** Whether the certificates are downloaded. */
  readonly auto: boolean
}

/** Whether the options ask for downloaded certificates. */
const isAuto = (options: Options): boolean =>
  options.platformCertificates === "auto" ||
  (options.platformCertificates === undefined && options.wechatpayPublicKey === undefined &&
    options.apiV3Key !== undefined)

const prepare = (options: Options): Effect.Effect<Prepared, InvalidConfig> =>
  Effect.gen(function*() {
    if (typeof options.mchid !== "string" || !MCHID.test(options.mchid)) {
      return yield* invalid("mchid", "must be the merchant id: 1 to 32 letters or digits")
    }
    if (typeof options.merchantSerialNo !== "string" || !HEX.test(options.merchantSerialNo)) {
      return yield* invalid("merchantSerialNo", "must be the hex serial number of the merchant API certificate")
    }
    const signingKey = yield* importPrivateKey(options.merchantPrivateKey)

    let publicKey: Prepared["publicKey"]
    if (options.wechatpayPublicKey !== undefined) {
      const { id, pem } = options.wechatpayPublicKey
      if (typeof id !== "string" || !KEY_ID.test(id)) {
        return yield* invalid("wechatpayPublicKey.id", "must be the public key id (PUB_KEY_ID_…), printable ASCII")
      }
      publicKey = { id, key: yield* importPublicKey("wechatpayPublicKey.pem", pem) }
    }
    const auto = isAuto(options)
    const certificates = options.platformCertificates === undefined || options.platformCertificates === "auto"
      ? []
      : yield* importCertificates(options.platformCertificates)
    if (!auto && publicKey === undefined && certificates.length === 0) {
      return yield* invalid(
        "wechatpayPublicKey",
        "or platformCertificates is required: without a key to verify WeChat Pay's answers, no answer can be trusted"
      )
    }
    if (auto && options.apiV3Key === undefined) {
      return yield* invalid(
        "apiV3Key",
        'is required to download the platform certificates (platformCertificates: "auto"): they come encrypted with it'
      )
    }
    const apiV3Key = options.apiV3Key === undefined
      ? Option.none<CryptoKey>()
      : Option.some(yield* importApiV3Key(options.apiV3Key))
    return { signingKey, publicKey, certificates, apiV3Key, auto }
  })

/**
 * The newest certificate already in effect at `now` (else the newest), by `effective_time` (else
 * `notBefore`).
 */
const newest = (certificates: Iterable<Verifier>, now: number): Verifier | undefined => {
  let best: Verifier | undefined
  let bestInEffect: Verifier | undefined
  for (const c of certificates) {
    const from = effectiveFrom(c)
    if (best === undefined || from > effectiveFrom(best)) best = c
    if (from <= now && (bestInEffect === undefined || from > effectiveFrom(bestInEffect))) bestInEffect = c
  }
  return bestInEffect ?? best
}

const describeCertificates = (certificates: Iterable<Verifier>): ReadonlyArray<PlatformCertificate> =>
  Array.from(certificates, (c) => ({
    serial: c.serial,
    notBefore: DateTime.unsafeMake(c.notBefore),
    notAfter: DateTime.unsafeMake(c.notAfter),
    ...(c.effectiveTime === undefined ? {} : { effectiveTime: DateTime.unsafeMake(c.effectiveTime) }),
    ...(c.expireTime === undefined ? {} : { expireTime: DateTime.unsafeMake(c.expireTime) })
  }))

/**
 * Parses and imports every key of the options. Fails with `InvalidConfig` naming the option.
 * Configured keys only: with `platformCertificates: "auto"` (or an `apiV3Key` and no verifier) it
 * fails with `InvalidConfig` `platformCertificates`, since downloading needs an `HttpClient`: use
 * `makeAuto` / `layerAuto` (which `WechatPay.layer` uses).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<KeyStore.Service, InvalidConfig> =>
  Effect.flatMap(prepare(options), (prepared) =>
    prepared.auto
      ? Effect.fail(
        invalid(
          "platformCertificates",
          'are downloaded ("auto", or an apiV3Key and no verifier), which needs an HttpClient: build the KeyStore with KeyStore.layerAuto (WechatPay.layer does), or give wechatpayPublicKey / platformCertificates'
        )
      )
      : Effect.succeed(makeStatic(options, prepared)))

const makeStatic = (options: Options, prepared: Prepared): KeyStore.Service => {
  const { apiV3Key, publicKey, signingKey } = prepared
  const verifiers = new Map<string, CryptoKey>()
  if (publicKey !== undefined) verifiers.set(publicKey.id, publicKey.key)
  let newestCertificate: Verifier | undefined
  for (const verifier of prepared.certificates) {
    verifiers.set(verifier.serial, verifier.key)
    if (newestCertificate === undefined || verifier.notBefore > newestCertificate.notBefore) {
      newestCertificate = verifier
    }
  }
  // prepare checked that there is at least one verifier
  const wechatpaySerial = publicKey?.id ?? newestCertificate!.serial
  const serials = Array.from(verifiers.keys())
  const certificates = Effect.succeed(describeCertificates(prepared.certificates))
  return Direct.withKeys(
    KeyStore.of({
      mchid: options.mchid,
      merchantSerialNo: options.merchantSerialNo,
      wechatpaySerial,
      serials,
      sign: (message) => Effect.promise(() => Crypto.sign(signingKey, message)),
      verifyingKey: (serial) => Effect.sync(() => Option.fromNullable(verifiers.get(serial))),
      apiV3Key,
      certificates,
      refresh: Effect.void
    }),
    { sign: (message) => Crypto.sign(signingKey, message), knownKey: (serial) => verifiers.get(serial) }
  )
}

/** A serial a certificate could have: only these trigger a refresh when unknown. */
const CERTIFICATE_SERIAL = /^[0-9A-Fa-f]{1,64}$/

const positiveDuration = (option: string, value: Duration.DurationInput) => {
  const decoded = Duration.decodeUnknown(value)
  return Option.isSome(decoded) && Duration.greaterThan(decoded.value, Duration.zero)
    ? Effect.succeed(decoded.value)
    : Effect.fail(invalid(option, 'must be a positive duration, e.g. "12 hours"'))
}

const checkBaseUrl = (baseUrl: string): Effect.Effect<string, InvalidConfig> => {
  let url: URL | undefined
  try {
    url = typeof baseUrl === "string" ? new URL(baseUrl) : undefined
  } catch {
    url = undefined
  }
  if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:")) {
    return Effect.fail(invalid("baseUrl", "is not an http(s) URL: expected e.g. https://api.mch.weixin.qq.com"))
  }
  return Effect.succeed(url.href.replace(/\/+$/, ""))
}

const describeDownloadError = (error: CertificateDownloadError): string =>
  "status" in error
    ? `${error._tag}: HTTP ${error.status} ${error.code}: ${error.message}`
    : `${error._tag}: ${error.message}`

/**
 * `make`, and downloaded certificates: with `platformCertificates: "auto"` (or an `apiV3Key` and no
 * verifier) it downloads `GET /v3/certificates` through the `HttpClient` (signed like any request),
 * decrypts each certificate with the APIv3 key, checks each serial against `serial_no`, and checks
 * the answer's signature with the certificate it carries under its `Wechatpay-Serial` (trust
 * bootstrap). A first download that fails fails with `InvalidConfig` `platformCertificates`, whose
 * message carries the cause (e.g. `NotFound: HTTP 404 RESOURCE_NOT_EXISTS: …` for an account that
 * has only a WeChat Pay public key).
 *
 * Then it refreshes: when an answer names an unknown certificate serial (one download for all
 * concurrent misses, at most one per `certificateRefreshMinGap`), and every
 * `certificateRefreshInterval` in a fiber of the scope. Every certificate still trusted is kept, so
 * old and new overlap during a rotation. A downloaded certificate is trusted until the earlier of its
 * X.509 `notAfter` and the `expire_time` (弃用时间) of the list, checked at each verification;
 * `wechatpaySerial` names the newest already in effect by `effective_time` (else `notBefore`); a failed refresh keeps the current certificates and is
 * logged at `Warning` (tag and message of the error only). A configured `wechatpayPublicKey` is kept
 * side by side. With configured keys only, it is `make`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeAuto = (
  options: AutoOptions
): Effect.Effect<KeyStore.Service, InvalidConfig, HttpClient.HttpClient | Scope.Scope> =>
  Effect.gen(function*() {
    const prepared = yield* prepare(options)
    if (!prepared.auto) return makeStatic(options, prepared)
    const { publicKey, signingKey } = prepared
    const apiV3Key = Option.getOrThrow(prepared.apiV3Key)
    const interval = yield* positiveDuration(
      "certificateRefreshInterval",
      options.certificateRefreshInterval ?? DEFAULT_CERTIFICATE_REFRESH_INTERVAL
    )
    const minGapMillis = Duration.toMillis(
      yield* positiveDuration(
        "certificateRefreshMinGap",
        options.certificateRefreshMinGap ?? DEFAULT_CERTIFICATE_REFRESH_MIN_GAP
      )
    )
    const timeout = yield* positiveDuration("timeout", options.timeout ?? "10 seconds")
    const retries = options.retries ?? 2
    if (!Number.isInteger(retries) || retries < 0) {
      return yield* invalid("retries", "must be a whole number, 0 or more")
    }
    const retryBaseDelay = Duration.decodeUnknown(options.retryBaseDelay ?? "200 millis")
    if (Option.isNone(retryBaseDelay)) return yield* invalid("retryBaseDelay", "must be a duration")
    const maxClockSkew = yield* positiveDuration("maxClockSkew", options.maxClockSkew ?? "5 minutes")
    const userAgent = options.userAgent ?? DEFAULT_USER_AGENT
    if (typeof userAgent !== "string" || !/^[\x20-\x7e]+$/.test(userAgent)) {
      return yield* invalid("userAgent", "must be printable ASCII")
    }
    const baseUrl = yield* checkBaseUrl(options.baseUrl ?? "https://api.mch.weixin.qq.com")
    const sign = (message: string) => Effect.promise(() => Crypto.sign(signingKey, message))
    const downloader: Certificates.Downloader = {
      httpClient: yield* HttpClient.HttpClient,
      baseUrl,
      userAgent,
      timeout,
      retries,
      retryBaseDelay: retryBaseDelay.value,
      maxSkewMillis: Duration.toMillis(maxClockSkew),
      mchid: options.mchid,
      merchantSerialNo: options.merchantSerialNo,
      sign,
      apiV3Key
    }

    // The state: replaced as a whole by each successful download, read without any lock. A lookup
    // of a known serial is one Map read, as with configured keys.
    let certificates: ReadonlyMap<string, Verifier> = new Map()
    let verifiers: ReadonlyMap<string, CryptoKey> = new Map()
    let wechatpaySerial: string | undefined = publicKey?.id
    let lastMissRefresh = Number.NEGATIVE_INFINITY

    const download = Effect.flatMap(
      Effect.sync(() => ({ wechatpaySerial, trusted: (serial: string) => verifiers.get(serial) })),
      (input) => Certificates.download(downloader, input)
    )
    /**
     * Keeps every certificate still trusted and adds the downloaded ones (what the answer says of a
     * serial, `expire_time` included, replaces what was known); fails when none is trusted.
     */
    const apply = (downloaded: ReadonlyArray<Certificates.DownloadedCertificate>) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => {
        const fresh = downloaded.filter((c) => trustedUntil(c) > now)
        if (fresh.length === 0) {
          return Effect.fail<CertificateDownloadError>(
            new DecodeError({
              message:
                `every certificate of the ${Certificates.CERTIFICATES_PATH} answer has expired (notAfter or expire_time passed)`
            })
          )
        }
        const named = new Set(downloaded.map((c) => c.serial))
        const next = new Map<string, Verifier>()
        for (const c of certificates.values()) {
          if (trustedUntil(c) > now && !named.has(c.serial)) next.set(c.serial, c)
        }
        for (const c of fresh) next.set(c.serial, c)
        const keys = new Map<string, CryptoKey>()
        if (publicKey !== undefined) keys.set(publicKey.id, publicKey.key)
        for (const c of next.values()) keys.set(c.serial, c.key)
        certificates = next
        verifiers = keys
        wechatpaySerial = publicKey?.id ?? newest(next.values(), now)!.serial
        return Effect.void
      })
    const semaphore = yield* Effect.makeSemaphore(1)
    /** One download at a time: refreshes wait for the one under way. */
    const refresh = semaphore.withPermits(1)(Effect.flatMap(download, apply))
    const refreshOrWarn = (trigger: string) =>
      Effect.catchAll(refresh, (error) =>
        Effect.logWarning(
          "effect-wechatpay: platform certificate refresh failed; the current certificates are kept",
          { trigger, error: describeDownloadError(error), serials: Array.from(certificates.keys()) }
        ))

    const clock = yield* Effect.clock
    /**
     * The key of `serial` if trusted at `now`: the public key, or a certificate before its
     * `expire_time` and `notAfter`. A certificate past them stays known (no refresh for it) but
     * verifies nothing.
     */
    const trustedKey = (serial: string, now: number): CryptoKey | undefined => {
      const certificate = certificates.get(serial)
      if (certificate !== undefined) return trustedUntil(certificate) > now ? certificate.key : undefined
      return verifiers.get(serial)
    }
    const onUnknownSerial = (serial: string): Effect.Effect<Option.Option<CryptoKey>> =>
      semaphore.withPermits(1)(Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        // a download that finished while this one waited may have brought the serial
        const known = trustedKey(serial, now)
        if (known !== undefined) return Option.some(known)
        if (now - lastMissRefresh < minGapMillis) return Option.none()
        lastMissRefresh = now
        const result = yield* Effect.either(Effect.flatMap(download, apply))
        if (result._tag === "Left") {
          yield* Effect.logWarning(
            "effect-wechatpay: platform certificate refresh failed; the current certificates are kept",
            {
              trigger: `unknown serial ${serial}`,
              error: describeDownloadError(result.left),
              serials: Array.from(certificates.keys())
            }
          )
        }
        return Option.fromNullable(trustedKey(serial, yield* Clock.currentTimeMillis))
      }))

    yield* Effect.mapError(
      refresh,
      (error) =>
        invalid(
          "platformCertificates",
          `could not be downloaded from ${Certificates.CERTIFICATES_PATH} (${describeDownloadError(error)})`
        )
    )
    yield* Effect.sleep(interval).pipe(
      Effect.zipRight(refreshOrWarn("schedule")),
      Effect.forever,
      Effect.interruptible,
      Effect.forkScoped
    )

    return Direct.withKeys(
      KeyStore.of({
        mchid: options.mchid,
        merchantSerialNo: options.merchantSerialNo,
        get wechatpaySerial() {
          if (publicKey !== undefined) return publicKey.id
          // the newest certificate in effect now among those still trusted (rotations happen
          // between downloads: an expire_time or effective_time may have passed since the last one)
          const now = clock.unsafeCurrentTimeMillis()
          const trusted = Array.from(certificates.values()).filter((c) => trustedUntil(c) > now)
          return (newest(trusted, now) ?? newest(certificates.values(), now))?.serial ?? wechatpaySerial!
        },
        get serials() {
          const now = clock.unsafeCurrentTimeMillis()
          return Array.from(verifiers.keys()).filter((serial) => trustedKey(serial, now) !== undefined)
        },
        sign,
        verifyingKey: (serial) => {
          if (!verifiers.has(serial)) {
            return CERTIFICATE_SERIAL.test(serial) ? onUnknownSerial(serial) : Effect.succeed(Option.none())
          }
          return Effect.map(Clock.currentTimeMillis, (now) => Option.fromNullable(trustedKey(serial, now)))
        },
        apiV3Key: prepared.apiV3Key,
        certificates: Effect.sync(() => describeCertificates(certificates.values())),
        refresh
      }),
      // an unknown serial is left to `verifyingKey` above, which refreshes
      {
        sign: (message) => Crypto.sign(signingKey, message),
        knownKey: (serial) => trustedKey(serial, clock.unsafeCurrentTimeMillis())
      }
    )
  })

/**
 * The default of `certificateRefreshInterval`.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_CERTIFICATE_REFRESH_INTERVAL: Duration.Duration = Duration.hours(12)

/**
 * The default of `certificateRefreshMinGap`.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_CERTIFICATE_REFRESH_MIN_GAP: Duration.Duration = Duration.seconds(60)

/**
 * Configured keys only (see `make`); `layerAuto` for downloaded certificates.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<KeyStore, InvalidConfig> => Layer.effect(KeyStore, make(options))

/**
 * `makeAuto` as a layer: downloaded certificates are refreshed by a fiber that stops with the
 * layer's scope. With configured keys only, the same as `layer`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerAuto = (options: AutoOptions): Layer.Layer<KeyStore, InvalidConfig, HttpClient.HttpClient> =>
  Layer.scoped(KeyStore, makeAuto(options))
