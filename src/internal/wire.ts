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
 * 32 characters of the alphabet from the platform's CSPRNG (rejection sampling: no bias).
 *
 * @internal
 */
export const cryptoNonce = (): string => {
  let out = ""
  while (out.length < 32) {
    const bytes = globalThis.crypto.getRandomValues(new Uint8Array(40))
    for (let i = 0; i < bytes.length && out.length < 32; i++) {
      // 252 = 7 × 36: the bytes above it would favour the first characters
      if (bytes[i]! < 252) out += NONCE_ALPHABET[bytes[i]! % 36]
    }
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
  const timestamp = getHeader(message.headers, "Wechatpay-Timestamp")
  const nonceStr = getHeader(message.headers, "Wechatpay-Nonce")
  const signature = getHeader(message.headers, "Wechatpay-Signature")
  const serial = getHeader(message.headers, "Wechatpay-Serial")
  if (timestamp === undefined || nonceStr === undefined || signature === undefined || serial === undefined) {
    return yield* new VerificationError({ reason: "MissingHeaders", ...(serial === undefined ? {} : { serial }) })
  }
  const now = yield* Clock.currentTimeMillis
  if (!TIMESTAMP.test(timestamp) || Math.abs(now - Number(timestamp) * 1000) >= maxSkewMillis) {
    return yield* new VerificationError({ reason: "ClockSkew", serial })
  }
  const key = yield* lookup(serial)
  if (Option.isNone(key)) return yield* new VerificationError({ reason: "UnknownSerial", serial })
  const bytes = signature.startsWith(SIGNTEST_PREFIX) ? undefined : Crypto.fromBase64(signature)
  if (bytes === undefined) return yield* new VerificationError({ reason: "BadSignature", serial })
  const ok = yield* Effect.promise(() =>
    Crypto.verify(key.value, bytes, answerMessage({ timestamp, nonce: nonceStr, body: message.body })).catch(() =>
      false
    )
  )
  if (!ok) return yield* new VerificationError({ reason: "BadSignature", serial })
})
