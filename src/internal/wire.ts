/**
 * The APIv3 wire layout, as pure functions with no service requirement: the request and answer
 * signature messages, the `Authorization` header, nonces, header lookup, and the answer signature
 * check over a key lookup. `Signer` re-exports the public ones; `KeyStore` uses them to download
 * platform certificates without depending on `Signer` (which depends on `KeyStore`).
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as DefaultServices from "effect/DefaultServices"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Random from "effect/Random"
import { VerificationError } from "../errors/WechatPayError.js"
import * as Crypto from "./crypto.js"

/** @internal */
export const SCHEME = "WECHATPAY2-SHA256-RSA2048"

/** @internal */
export const SIGNTEST_PREFIX = "WECHATPAY/SIGNTEST/"

/** @internal */
export const requestMessage = (input: {
  readonly method: string
  readonly url: string
  readonly timestamp: string
  readonly nonce: string
  readonly body: string
}): string => `${input.method}\n${input.url}\n${input.timestamp}\n${input.nonce}\n${input.body}\n`

/** @internal */
export const answerMessage = (input: {
  readonly timestamp: string
  readonly nonce: string
  readonly body: string
}): string => `${input.timestamp}\n${input.nonce}\n${input.body}\n`

/**
 * The `Authorization` header of one merchant with its constant parts joined once: what changes per
 * request (nonce, signature, timestamp) is filled in by the returned function.
 *
 * @internal
 */
export const authorizationFor = (mchid: string, serialNo: string) => {
  const start = `${SCHEME} mchid="${mchid}",nonce_str="`
  const end = `",serial_no="${serialNo}"`
  return (nonce: string, signature: string, timestamp: string): string =>
    `${start}${nonce}",signature="${signature}",timestamp="${timestamp}${end}`
}

/** @internal */
export const formatAuthorization = (input: {
  readonly mchid: string
  readonly nonce: string
  readonly signature: string
  readonly timestamp: string
  readonly serialNo: string
}): string => authorizationFor(input.mchid, input.serialNo)(input.nonce, input.signature, input.timestamp)

const NONCE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

/**
 * Effect's default `Random` (each process seeds its own).
 *
 * @internal
 */
export const defaultRandom = Context.get(DefaultServices.liveServices, Random.Random)

/**
 * Bytes from the CSPRNG, drawn 4 KiB at a time (one `getRandomValues` call per ~120 nonces: the
 * call costs more than the nonce), each used once. A nonce is public once sent; the bytes still in
 * the pool are no more exposed than the merchant key in the same memory.
 */
const pool = new Uint8Array(4096)
let poolOffset = pool.length

/**
 * 32 characters of the alphabet from the platform's CSPRNG (rejection sampling: no bias).
 *
 * @internal
 */
export const cryptoNonce = (): string => {
  let out = ""
  while (out.length < 32) {
    if (poolOffset === pool.length) {
      globalThis.crypto.getRandomValues(pool)
      poolOffset = 0
    }
    const byte = pool[poolOffset]!
    // each byte is used once
    poolOffset += 1
    // 252 = 7 × 36: the bytes above it would favour the first characters
    if (byte < 252) out += NONCE_ALPHABET[byte % 36]
  }
  return out
}

/**
 * 32 random characters of `0-9A-Z`. Under Effect's default `Random` they come from
 * `crypto.getRandomValues` (unpredictable, and one call instead of 32 effects); under any `Random`
 * you provide (`Effect.withRandom`, `Random.fixed` in tests) each character is
 * `ALPHABET[random.nextIntBetween(0, 36)]`, so a test can pin the nonce.
 *
 * @internal
 */
export const nonce: Effect.Effect<string> = Effect.randomWith((random) =>
  random === defaultRandom ? Effect.sync(cryptoNonce) : Effect.gen(function*() {
    let out = ""
    for (let i = 0; i < 32; i++) out += NONCE_ALPHABET[yield* random.nextIntBetween(0, NONCE_ALPHABET.length)]
    return out
  })
)

/** @internal */
export type HeadersInput =
  | globalThis.Headers
  | Readonly<Record<string, string | ReadonlyArray<string> | undefined>>

/** @internal */
export const getHeader = (headers: HeadersInput, name: string): string | undefined => {
  if (
    typeof (headers as globalThis.Headers).get === "function" && typeof Headers !== "undefined" &&
    headers instanceof Headers
  ) {
    return headers.get(name) ?? undefined
  }
  const record = headers as Readonly<Record<string, string | ReadonlyArray<string> | undefined>>
  let value = record[name]
  if (value === undefined) {
    const lower = name.toLowerCase()
    value = record[lower]
    if (value === undefined) {
      for (const key of Object.keys(record)) {
        if (key.toLowerCase() === lower) {
          value = record[key]
          break
        }
      }
    }
  }
  return typeof value === "string" ? value : undefined
}

const TIMESTAMP = /^\d{1,12}$/

/** The four signature headers of a signed answer or notification, present and in the window. */
interface SignatureHeaders {
  readonly timestamp: string
  readonly nonce: string
  readonly signature: string
  readonly serial: string
}

/**
 * The first two steps of the check: the four headers present, then the timestamp within
 * `maxSkewMillis` of `nowMillis`.
 */
const signatureHeaders = (
  headers: HeadersInput,
  nowMillis: number,
  maxSkewMillis: number
): SignatureHeaders | VerificationError => {
  const timestamp = getHeader(headers, "Wechatpay-Timestamp")
  const nonceStr = getHeader(headers, "Wechatpay-Nonce")
  const signature = getHeader(headers, "Wechatpay-Signature")
  const serial = getHeader(headers, "Wechatpay-Serial")
  if (timestamp === undefined || nonceStr === undefined || signature === undefined || serial === undefined) {
    return new VerificationError({ reason: "MissingHeaders", ...(serial === undefined ? {} : { serial }) })
  }
  if (!TIMESTAMP.test(timestamp) || Math.abs(nowMillis - Number(timestamp) * 1000) >= maxSkewMillis) {
    return new VerificationError({ reason: "ClockSkew", serial })
  }
  return { timestamp, nonce: nonceStr, signature, serial }
}

/** The signature's bytes: `undefined` for a SIGNTEST probe or anything that is not strict base64. */
const signatureBytes = (signature: string): Uint8Array<ArrayBuffer> | undefined =>
  signature.startsWith(SIGNTEST_PREFIX) ? undefined : Crypto.fromBase64(signature)

/**
 * The answer / notification signature check: the four headers, the timestamp window around the
 * `Clock`, the key `lookup` gives for `Wechatpay-Serial`, a SIGNTEST probe rejected, then the
 * signature over `TIMESTAMP\nNONCE\nBODY\n`.
 *
 * @internal
 */
export const verifySigned: (
  message: { readonly headers: HeadersInput; readonly body: string },
  maxSkewMillis: number,
  lookup: (serial: string) => Effect.Effect<Option.Option<CryptoKey>>
) => Effect.Effect<void, VerificationError> = Effect.fnUntraced(function*(
  message: { readonly headers: HeadersInput; readonly body: string },
  maxSkewMillis: number,
  lookup: (serial: string) => Effect.Effect<Option.Option<CryptoKey>>
) {
  const checked = signatureHeaders(message.headers, yield* Clock.currentTimeMillis, maxSkewMillis)
  if (checked instanceof VerificationError) return yield* checked
  const { serial } = checked
  const key = yield* lookup(serial)
  if (Option.isNone(key)) return yield* new VerificationError({ reason: "UnknownSerial", serial })
  const bytes = signatureBytes(checked.signature)
  if (bytes === undefined) return yield* new VerificationError({ reason: "BadSignature", serial })
  const ok = yield* Effect.promise(() =>
    Crypto.verify(
      key.value,
      bytes,
      answerMessage({ timestamp: checked.timestamp, nonce: checked.nonce, body: message.body })
    )
      .catch(() => false)
  )
  if (!ok) return yield* new VerificationError({ reason: "BadSignature", serial })
})

/**
 * The same check without Effect, for the direct attempt (`WechatPayClient`): resolves `true` only
 * when `verifySigned` would succeed with the key `knownKey` gives now (no refresh, no waiting).
 * `false` says nothing more: the caller runs `verifySigned`, which gives the precise error, or
 * finds the key after a refresh.
 *
 * @internal
 */
export const verifiesNow = (
  message: { readonly headers: HeadersInput; readonly body: string },
  nowMillis: number,
  maxSkewMillis: number,
  knownKey: (serial: string) => CryptoKey | undefined
): Promise<boolean> => {
  const checked = signatureHeaders(message.headers, nowMillis, maxSkewMillis)
  if (checked instanceof VerificationError) return Promise.resolve(false)
  const key = knownKey(checked.serial)
  const bytes = key === undefined ? undefined : signatureBytes(checked.signature)
  if (key === undefined || bytes === undefined) return Promise.resolve(false)
  return Crypto.verify(
    key,
    bytes,
    answerMessage({ timestamp: checked.timestamp, nonce: checked.nonce, body: message.body })
  )
    .catch(() => false)
}
