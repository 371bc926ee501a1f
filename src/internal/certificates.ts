/**
 * Downloading the platform certificates (`GET /v3/certificates`, PROTOCOL.md §6) with nothing but
 * an `HttpClient`, the merchant signing function and the APIv3 key: the request is signed with the
 * pure wire functions, each `encrypt_certificate` is decrypted (AEAD_AES_256_GCM) and read (with its
 * `effective_time` / `expire_time`, `WechatPayTime`), and the
 * answer's signature is checked with the certificates it carries (trust bootstrap) or with a key
 * already trusted. Used by `KeyStore`, which cannot use `Signer` or `WechatPayClient` (both depend
 * on it).
 *
 * @internal
 */
import * as Headers from "@effect/platform/Headers"
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Clock from "effect/Clock"
import * as DateTime from "effect/DateTime"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import { type ApiErrors, DecodeError, TransportError, VerificationError } from "../errors/WechatPayError.js"
import { WechatPayTime } from "../schemas/WechatPayTime.js"
import { toApiError } from "./apiError.js"
import * as Crypto from "./crypto.js"
import * as Redirects from "./redirects.js"
import * as TransportFailure from "./transportFailure.js"
import * as Wire from "./wire.js"

/**
 * The path of the download.
 *
 * @internal
 */
export const CERTIFICATES_PATH = "/v3/certificates"

/**
 * A certificate of the answer: decrypted, read, its serial checked against `serial_no`.
 *
 * @internal
 */
export interface DownloadedCertificate {
  readonly serial: string
  readonly key: CryptoKey
  /** Milliseconds since the epoch. */
  readonly notBefore: number
  readonly notAfter: number
  /** `effective_time` of the answer (启用时间), when given: not named in `Wechatpay-Serial` before it. */
  readonly effectiveTime?: number | undefined
  /** `expire_time` of the answer (弃用时间), when given: not trusted from then on. */
  readonly expireTime?: number | undefined
}

/**
 * What a download can fail with.
 *
 * @internal
 */
export type DownloadError = ApiErrors | TransportError | VerificationError | DecodeError

/**
 * Everything a download needs, fixed when the `KeyStore` is built.
 *
 * @internal
 */
export interface Downloader {
  readonly httpClient: HttpClient.HttpClient
  /** The base URL, without a trailing slash. */
  readonly baseUrl: string
  readonly userAgent: string
  readonly timeout: Duration.Duration
  readonly retries: number
  readonly retryBaseDelay: Duration.Duration
  readonly maxSkewMillis: number
  readonly mchid: string
  readonly merchantSerialNo: string
  readonly sign: (message: string) => Effect.Effect<string>
  readonly apiV3Key: CryptoKey
}

const MAX_BODY_BYTES = 1_048_576

/**
 * The answer of `GET /v3/certificates`, decoded.
 *
 * @internal
 */
export const CertificatesAnswer = Schema.Struct({
  data: Schema.Array(Schema.Struct({
    serial_no: Schema.String,
    effective_time: Schema.optional(WechatPayTime),
    expire_time: Schema.optional(WechatPayTime),
    encrypt_certificate: Schema.Struct({
      algorithm: Schema.String,
      associated_data: Schema.optional(Schema.String),
      nonce: Schema.String,
      ciphertext: Schema.String
    })
  }))
})
const decodeAnswer = Schema.decodeUnknownEither(Schema.parseJson(CertificatesAnswer))

/**
 * The encrypted certificate entry of the answer.
 *
 * @internal
 */
export type EncryptedCertificate = (typeof CertificatesAnswer.Type)["data"][number]

// strict: bytes that are not UTF-8 have no exact text, and no signature can hold over them
const utf8Decoder = new TextDecoder("utf-8", { ignoreBOM: true, fatal: true })

const decodeUtf8 = (bytes: ArrayBuffer): string | undefined => {
  try {
    return utf8Decoder.decode(bytes)
  } catch {
    return undefined
  }
}

const isTransient = (error: DownloadError): boolean =>
  error._tag === "TransportError" || error._tag === "FrequencyLimited" || error._tag === "SystemError"

/** A transport failure of the download, said as for any call (which side of the line), secrets scrubbed. */
const describeTransport = (error: HttpClientError.HttpClientError): TransportError => {
  const described = TransportFailure.describe(error, error.request.headers)
  return new TransportError({
    message: `GET ${CERTIFICATES_PATH}: ${described.message}`,
    ...(described.cause === undefined ? {} : { cause: described.cause })
  })
}

/**
 * Decrypts and reads one entry; fails with `DecodeError` saying which serial and why (never key
 * material or plaintext).
 *
 * @internal
 */
export const decryptCertificate = (
  apiV3Key: CryptoKey,
  entry: EncryptedCertificate
): Effect.Effect<DownloadedCertificate, DecodeError> =>
  Effect.gen(function*() {
    const serialNo = entry.serial_no.toUpperCase()
    const bad = (why: string) => new DecodeError({ message: `the certificate ${entry.serial_no} ${why}` })
    const encrypted = entry.encrypt_certificate
    if (encrypted.algorithm !== "AEAD_AES_256_GCM") {
      return yield* bad(`is encrypted with ${encrypted.algorithm}, not AEAD_AES_256_GCM`)
    }
    const plain = yield* Effect.tryPromise({
      try: () =>
        Crypto.decryptAeadAes256Gcm(apiV3Key, {
          ciphertext: encrypted.ciphertext,
          nonce: encrypted.nonce,
          associatedData: encrypted.associated_data ?? ""
        }),
      catch: () =>
        bad("does not decrypt with the APIv3 key (is apiV3Key this merchant's? or the answer was changed on the way)")
    })
    const pem = yield* Effect.try({ try: () => Crypto.fromUtf8(plain), catch: () => bad("is not PEM text") })
    const blocks = Crypto.parsePem(pem)
    const block = Array.isArray(blocks)
      ? (blocks as ReadonlyArray<Crypto.PemBlock>).find((b) => b.label === "CERTIFICATE")
      : undefined
    if (block === undefined) return yield* bad("decrypts to something other than a PEM certificate")
    const certificate = yield* Effect.try({
      try: () => Crypto.readCertificate(block.der),
      catch: (e) => bad(`is not a readable X.509 certificate (${Crypto.certificateReason(e)})`)
    })
    if (certificate.serial !== serialNo) {
      return yield* bad(`decrypts to a certificate whose serial is ${certificate.serial}, not serial_no`)
    }
    const key = yield* Effect.tryPromise({
      try: () => Crypto.importVerifyingKey(certificate.spki),
      catch: () => bad("does not hold an RSA public key")
    })
    return {
      serial: certificate.serial,
      key,
      notBefore: certificate.notBefore,
      notAfter: certificate.notAfter,
      ...(entry.effective_time === undefined ? {} : { effectiveTime: DateTime.toEpochMillis(entry.effective_time) }),
      ...(entry.expire_time === undefined ? {} : { expireTime: DateTime.toEpochMillis(entry.expire_time) })
    }
  })

/**
 * One download: sign and send `GET /v3/certificates` (retrying transient failures like any call),
 * decrypt and read every certificate, then check the answer's signature with `trusted` or, for a
 * serial not trusted yet, with the certificate of that serial the answer itself carries.
 *
 * @internal
 */
export const download = (
  downloader: Downloader,
  input: {
    /** Sent as `Wechatpay-Serial`, when there is one. */
    readonly wechatpaySerial: string | undefined
    readonly trusted: (serial: string) => CryptoKey | undefined
  }
): Effect.Effect<ReadonlyArray<DownloadedCertificate>, DownloadError> => {
  const url = new URL(downloader.baseUrl + CERTIFICATES_PATH)
  const target = url.pathname + url.search
  const attempt = Effect.gen(function*() {
    const timestamp = String(Math.floor((yield* Clock.currentTimeMillis) / 1000))
    const nonce = yield* Wire.nonce
    const signature = yield* downloader.sign(
      Wire.requestMessage({ method: "GET", url: target, timestamp, nonce, body: "" })
    )
    const authorization = Wire.formatAuthorization({
      mchid: downloader.mchid,
      nonce,
      signature,
      timestamp,
      serialNo: downloader.merchantSerialNo
    })
    const request = HttpClientRequest.get(url.href).pipe(
      HttpClientRequest.setHeaders({
        accept: "application/json",
        "user-agent": downloader.userAgent,
        authorization,
        ...(input.wechatpaySerial === undefined ? {} : { "wechatpay-serial": input.wechatpaySerial })
      })
    )
    const raw = yield* Effect.gen(function*() {
      const response = yield* Redirects.noRedirects(downloader.httpClient.execute(request))
      if (Redirects.isRedirect(response.status)) {
        return yield* Redirects.redirectError(response.status, response.headers)
      }
      const declared = response.headers["content-length"]
      if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > MAX_BODY_BYTES) {
        return yield* new TransportError({ message: `GET ${CERTIFICATES_PATH}: the answer is over 1 MiB; not read` })
      }
      const bytes = yield* response.arrayBuffer
      if (bytes.byteLength > MAX_BODY_BYTES) {
        return yield* new TransportError({ message: `GET ${CERTIFICATES_PATH}: the answer is over 1 MiB` })
      }
      const body = decodeUtf8(bytes)
      if (body === undefined) {
        const serial = Wire.getHeader(response.headers, "wechatpay-serial")
        return yield* new VerificationError({ reason: "BadSignature", ...(serial === undefined ? {} : { serial }) })
      }
      return { status: response.status, headers: response.headers, body }
    }).pipe(
      Effect.catchTags({
        RequestError: (error) => Effect.fail(describeTransport(error)),
        ResponseError: (error) => Effect.fail(describeTransport(error))
      })
    )
    if (raw.status < 200 || raw.status > 299) {
      return yield* toApiError(raw.status, raw.body, Wire.getHeader(raw.headers, "request-id"))
    }
    return raw
  }).pipe(
    Effect.timeoutFail({
      duration: downloader.timeout,
      onTimeout: () => new TransportError({ message: `GET ${CERTIFICATES_PATH}: no answer in time (timeout)` })
    })
  )
  const schedule = Schedule.exponential(downloader.retryBaseDelay).pipe(
    Schedule.jittered,
    Schedule.intersect(Schedule.recurs(downloader.retries))
  )
  return Effect.gen(function*() {
    const raw = yield* attempt.pipe(Effect.retry({ schedule, while: isTransient }))
    const decoded = decodeAnswer(raw.body)
    if (Either.isLeft(decoded)) {
      return yield* new DecodeError({
        message: `the ${CERTIFICATES_PATH} answer does not have the documented shape: ${
          ParseResult.TreeFormatter.formatErrorSync(decoded.left)
        }`
      })
    }
    if (decoded.right.data.length === 0) {
      return yield* new DecodeError({ message: `the ${CERTIFICATES_PATH} answer holds no certificate` })
    }
    const certificates: Array<DownloadedCertificate> = []
    for (const entry of decoded.right.data) {
      certificates.push(yield* decryptCertificate(downloader.apiV3Key, entry))
    }
    // trust bootstrap: a serial not trusted yet is checked with the certificate the answer carries
    // (decrypted with the APIv3 key above, so it comes from WeChat Pay or from someone with that key)
    const carried = new Map(certificates.map((c) => [c.serial, c.key] as const))
    yield* Wire.verifySigned(
      raw,
      downloader.maxSkewMillis,
      (serial) => Effect.succeed(Option.fromNullable(input.trusted(serial) ?? carried.get(serial)))
    )
    return certificates
  }).pipe(
    Effect.locallyWith(Headers.currentRedactedNames, (names) => [...names, "authorization", "wechatpay-signature"]),
    Effect.withSpan("KeyStore.downloadCertificates", {
      kind: "client",
      attributes: { "http.request.method": "GET", "url.template": CERTIFICATES_PATH }
    })
  )
}
