/**
 * Verifying WeChat Pay's signature on an answer or a notification: the four
 * `Wechatpay-*` headers present, the timestamp within the window around the caller's clock, the key
 * chosen by `Wechatpay-Serial` (a platform certificate serial or a `PUB_KEY_ID_…`), a SIGNTEST
 * probe refused, then RSA over `TIMESTAMP\nNONCE\nBODY\n`, the body's exact text. The result is data:
 * `undefined` when it holds, else a `VerificationProblem` with the reason.
 *
 * @internal
 */
import { fromBase64 } from "./bytes.js"
import { getHeader, type HeadersInput } from "./headers.js"
import * as Keys from "./keys.js"

/** The prefix of the deliberately wrong signatures WeChat Pay sends to check that merchants verify. @internal */
export const SIGNTEST_PREFIX = "WECHATPAY/SIGNTEST/"

/** @internal */
export const answerMessage = (input: {
  readonly timestamp: string
  readonly nonce: string
  readonly body: string
}): string => `${input.timestamp}\n${input.nonce}\n${input.body}\n`

/** @internal */
export type VerificationReason = "MissingHeaders" | "ClockSkew" | "UnknownSerial" | "BadSignature"

/** @internal */
export interface VerificationProblem {
  readonly _tag: "VerificationProblem"
  readonly reason: VerificationReason
  /** The `Wechatpay-Serial` the message carried, when it had one. */
  readonly serial?: string | undefined
}

/** @internal */
export const verificationProblem = (reason: VerificationReason, serial: string | undefined): VerificationProblem =>
  serial === undefined ? { _tag: "VerificationProblem", reason } : { _tag: "VerificationProblem", reason, serial }

/** @internal */
export const isVerificationProblem = (u: unknown): u is VerificationProblem =>
  typeof u === "object" && u !== null && (u as { _tag?: unknown })._tag === "VerificationProblem"

/** The four signature headers of a signed message, present and in the window. @internal */
export interface SignatureHeaders {
  readonly timestamp: string
  readonly nonce: string
  readonly signature: string
  readonly serial: string
}

/** The names of the four headers, lowercase. @internal */
export const SIGNATURE_HEADERS: ReadonlyArray<string> = [
  "wechatpay-timestamp",
  "wechatpay-nonce",
  "wechatpay-signature",
  "wechatpay-serial"
]

/** Whether any of the four headers is there: an error answer without any is a gateway's, unsigned. @internal */
export const hasSignatureHeaders = (headers: HeadersInput): boolean =>
  SIGNATURE_HEADERS.some((name) => getHeader(headers, name) !== undefined)

const TIMESTAMP = /^\d{1,12}$/

/**
 * The first two steps: the four headers present, then the timestamp within `maxSkewMillis` of
 * `nowMillis` (a difference of exactly the window is refused).
 *
 * @internal
 */
export const readSignatureHeaders = (
  headers: HeadersInput,
  nowMillis: number,
  maxSkewMillis: number
): SignatureHeaders | VerificationProblem => {
  const timestamp = getHeader(headers, "Wechatpay-Timestamp")
  const nonce = getHeader(headers, "Wechatpay-Nonce")
  const signature = getHeader(headers, "Wechatpay-Signature")
  const serial = getHeader(headers, "Wechatpay-Serial")
  if (timestamp === undefined || nonce === undefined || signature === undefined || serial === undefined) {
    return verificationProblem("MissingHeaders", serial)
  }
  if (!TIMESTAMP.test(timestamp) || Math.abs(nowMillis - Number(timestamp) * 1000) >= maxSkewMillis) {
    return verificationProblem("ClockSkew", serial)
  }
  return { timestamp, nonce, signature, serial }
}

/**
 * The last step: the signature over the body with `key`. `false` for a SIGNTEST probe, a signature
 * that is not strict base64, or one that does not hold; never a rejection.
 *
 * @internal
 */
export const signatureHolds = (key: CryptoKey, headers: SignatureHeaders, body: string): Promise<boolean> => {
  if (headers.signature.startsWith(SIGNTEST_PREFIX)) return Promise.resolve(false)
  const bytes = fromBase64(headers.signature)
  if (bytes === undefined) return Promise.resolve(false)
  return Keys.verify(key, bytes, answerMessage({ timestamp: headers.timestamp, nonce: headers.nonce, body }))
}

/**
 * The whole check with a synchronous key lookup (`keyFor` answers the key trusted for a serial
 * now, or `undefined`).
 *
 * @internal
 */
export const verify = async (
  message: { readonly headers: HeadersInput; readonly body: string },
  nowMillis: number,
  maxSkewMillis: number,
  keyFor: (serial: string) => CryptoKey | undefined
): Promise<VerificationProblem | undefined> => {
  const headers = readSignatureHeaders(message.headers, nowMillis, maxSkewMillis)
  if (isVerificationProblem(headers)) return headers
  const key = keyFor(headers.serial)
  if (key === undefined) return verificationProblem("UnknownSerial", headers.serial)
  return (await signatureHolds(key, headers, message.body))
    ? undefined
    : verificationProblem("BadSignature", headers.serial)
}
