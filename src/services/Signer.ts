/**
 * Signing requests (the `Authorization` header) and verifying WeChat Pay's signatures on answers
 * and notifications. Timestamps come from `Clock` and nonces from `Random`, so tests pin both with
 * `TestClock` and a fixed `Random`.
 *
 * The wire layout is kept in three small pure functions (`requestMessage`, `answerMessage`,
 * `formatAuthorization`), testable against the official SDKs' known answers.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Random from "effect/Random"
import { VerificationError } from "../errors/WechatPayError.js"
import * as Crypto from "../internal/crypto.js"
import { KeyStore } from "./KeyStore.js"

/**
 * The `Authorization` scheme of APIv3.
 *
 * @since 0.1.0
 * @category constants
 */
export const SCHEME = "WECHATPAY2-SHA256-RSA2048"

/**
 * The prefix of the deliberately wrong signatures WeChat Pay sends to check that merchants verify.
 *
 * @since 0.1.0
 * @category constants
 */
export const SIGNTEST_PREFIX = "WECHATPAY/SIGNTEST/"

/**
 * The message a request signature covers: `METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n`, where `URL` is the
 * path and query exactly as sent and `BODY` the exact body (empty for GET).
 *
 * @since 0.1.0
 * @category wire
 */
export const requestMessage = (input: {
  readonly method: string
  readonly url: string
  readonly timestamp: string
  readonly nonce: string
  readonly body: string
}): string => `${input.method}\n${input.url}\n${input.timestamp}\n${input.nonce}\n${input.body}\n`

/**
 * The message an answer or notification signature covers: `TIMESTAMP\nNONCE\nBODY\n` over the raw body.
 *
 * @since 0.1.0
 * @category wire
 */
export const answerMessage = (input: {
  readonly timestamp: string
  readonly nonce: string
  readonly body: string
}): string => `${input.timestamp}\n${input.nonce}\n${input.body}\n`

/**
 * The `Authorization` header value.
 *
 * @since 0.1.0
 * @category wire
 */
export const formatAuthorization = (input: {
  readonly mchid: string
  readonly nonce: string
  readonly signature: string
  readonly timestamp: string
  readonly serialNo: string
}): string =>
  `${SCHEME} mchid="${input.mchid}",nonce_str="${input.nonce}",signature="${input.signature}",timestamp="${input.timestamp}",serial_no="${input.serialNo}"`

/**
 * Reads an `Authorization` header back into its fields (any order); `undefined` if it is not one.
 *
 * @since 0.1.0
 * @category wire
 */
export const parseAuthorization = (header: string): Record<string, string> | undefined => {
  if (!header.startsWith(`${SCHEME} `)) return undefined
  const fields: Record<string, string> = {}
  const pattern = /\s*([a-z_]+)="([^"]*)"\s*(?:,|$)/gy
  const rest = header.slice(SCHEME.length + 1)
  pattern.lastIndex = 0
  let match: RegExpExecArray | null
  let end = 0
  while ((match = pattern.exec(rest)) !== null) {
    fields[match[1]!] = match[2]!
    end = pattern.lastIndex
    if (end >= rest.length) break
  }
  return end === rest.length ? fields : undefined
}

const NONCE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

/**
 * 32 random alphanumeric characters from the `Random` service.
 *
 * @since 0.1.0
 * @category wire
 */
export const nonce: Effect.Effect<string> = Random.randomWith((random) =>
  Effect.gen(function*() {
    let out = ""
    for (let i = 0; i < 32; i++) out += NONCE_ALPHABET[yield* random.nextIntBetween(0, NONCE_ALPHABET.length)]
    return out
  })
)

/**
 * What a signature check reads: the headers (any casing; a `Headers`, a record or a web `Headers`)
 * and the raw body text.
 *
 * @since 0.1.0
 * @category models
 */
export interface SignedMessage {
  readonly headers: HeadersInput
  readonly body: string
}

/**
 * @since 0.1.0
 * @category models
 */
export type HeadersInput =
  | globalThis.Headers
  | Readonly<Record<string, string | ReadonlyArray<string> | undefined>>

/**
 * One header, case-insensitively; repeated headers (arrays) count as absent, since they cannot
 * be what WeChat Pay signed.
 *
 * @since 0.1.0
 * @category wire
 */
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

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Answers whose `Wechatpay-Timestamp` is this far or farther from the local clock are rejected. Default 5 minutes. */
  readonly maxClockSkew?: Duration.DurationInput | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export declare namespace Signer {
  /**
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** The `Authorization` header for a request: signs `METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n` with a fresh nonce. */
    readonly authorization: (request: {
      readonly method: string
      readonly url: string
      readonly body: string
    }) => Effect.Effect<string>
    /** Checks WeChat Pay's signature over a raw answer or notification: headers, window, serial, signature. */
    readonly verify: (message: SignedMessage) => Effect.Effect<void, VerificationError>
  }
}

/**
 * @since 0.1.0
 * @category tags
 */
export class Signer extends Context.Tag("effect-wechatpay/Signer")<Signer, Signer.Service>() {}

const TIMESTAMP = /^\d{1,12}$/

/**
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<Signer.Service, never, KeyStore> =>
  Effect.gen(function*() {
    const keys = yield* KeyStore
    const maxSkewMillis = Duration.toMillis(Duration.decode(options.maxClockSkew ?? "5 minutes"))

    const authorization = Effect.fnUntraced(function*(request: {
      readonly method: string
      readonly url: string
      readonly body: string
    }) {
      const timestamp = String(Math.floor((yield* Clock.currentTimeMillis) / 1000))
      const nonceStr = yield* nonce
      const signature = yield* keys.sign(
        requestMessage({ method: request.method, url: request.url, timestamp, nonce: nonceStr, body: request.body })
      )
      return formatAuthorization({
        mchid: keys.mchid,
        nonce: nonceStr,
        signature,
        timestamp,
        serialNo: keys.merchantSerialNo
      })
    })

    const verify = Effect.fnUntraced(function*(message: SignedMessage) {
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
      const key = yield* keys.verifyingKey(serial)
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

    return Signer.of({ authorization, verify })
  })

/**
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<Signer, never, KeyStore> =>
  Layer.effect(Signer, make(options))
