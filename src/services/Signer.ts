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
import * as DefaultServices from "effect/DefaultServices"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Random from "effect/Random"
import { VerificationError } from "../errors/WechatPayError.js"
import * as Direct from "../internal/direct.js"
import * as Wire from "../internal/wire.js"
import { KeyStore } from "./KeyStore.js"

/**
 * The `Authorization` scheme of APIv3.
 *
 * @since 0.1.0
 * @category constants
 */
export const SCHEME: typeof Wire.SCHEME = Wire.SCHEME

/**
 * The prefix of the deliberately wrong signatures WeChat Pay sends to check that merchants verify.
 *
 * @since 0.1.0
 * @category constants
 */
export const SIGNTEST_PREFIX: typeof Wire.SIGNTEST_PREFIX = Wire.SIGNTEST_PREFIX

/**
 * The message a request signature covers: `METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n`, where `URL` is the
 * path and query exactly as sent and `BODY` the exact body (empty for GET).
 *
 * @since 0.1.0
 * @category wire
 */
export const requestMessage: typeof Wire.requestMessage = Wire.requestMessage

/**
 * The message an answer or notification signature covers: `TIMESTAMP\nNONCE\nBODY\n` over the raw body.
 *
 * @since 0.1.0
 * @category wire
 */
export const answerMessage: typeof Wire.answerMessage = Wire.answerMessage

/**
 * The `Authorization` header value.
 *
 * @since 0.1.0
 * @category wire
 */
export const formatAuthorization: typeof Wire.formatAuthorization = Wire.formatAuthorization

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

/**
 * 32 random characters of `0-9A-Z`: from `crypto.getRandomValues` under Effect's default `Random`,
 * from your `Random` when you provide one (`Effect.withRandom`), so tests can pin nonces.
 *
 * @since 0.1.0
 * @category wire
 */
export const nonce: Effect.Effect<string> = Wire.nonce

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
export type HeadersInput = Wire.HeadersInput

/**
 * One header, case-insensitively; repeated headers (arrays) count as absent, since they cannot
 * be what WeChat Pay signed.
 *
 * @since 0.1.0
 * @category wire
 */
export const getHeader: (headers: HeadersInput, name: string) => string | undefined = Wire.getHeader

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

interface AuthorizationRequest {
  readonly method: string
  readonly url: string
  readonly body: string
}

/**
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<Signer.Service, never, KeyStore> =>
  Effect.gen(function*() {
    const keys = yield* KeyStore
    const maxSkewMillis = Duration.toMillis(Duration.decode(options.maxClockSkew ?? "5 minutes"))
    // the constant parts of the header joined once
    const header = Wire.authorizationFor(keys.mchid, keys.merchantSerialNo)

    const signed = (request: AuthorizationRequest, timestamp: string, nonceStr: string): Effect.Effect<string> =>
      Effect.map(
        keys.sign(
          requestMessage({ method: request.method, url: request.url, timestamp, nonce: nonceStr, body: request.body })
        ),
        (signature) => header(nonceStr, signature, timestamp)
      )

    // the time and the nonce read straight from the fiber's services when the `Random` is Effect's
    // default (one effect, the signature, instead of three); a `Random` you provide is drawn from
    const authorization = (request: AuthorizationRequest): Effect.Effect<string> =>
      Effect.withFiberRuntime((fiber) => {
        const services = fiber.getFiberRef(DefaultServices.currentServices)
        const timestamp = String(Math.floor(Context.get(services, Clock.Clock).unsafeCurrentTimeMillis() / 1000))
        return Context.get(services, Random.Random) === Wire.defaultRandom
          ? signed(request, timestamp, Wire.cryptoNonce())
          : Effect.flatMap(nonce, (nonceStr) => signed(request, timestamp, nonceStr))
      })

    // an unknown serial or a bad signature names the keys this client trusts next to the one the
    // answer carried (read at failure time: downloaded certificates rotate)
    const verify = (message: SignedMessage): Effect.Effect<void, VerificationError> =>
      Wire.verifySigned(message, maxSkewMillis, keys.verifyingKey).pipe(
        Effect.mapError((error) =>
          error.reason === "UnknownSerial" || error.reason === "BadSignature"
            ? new VerificationError({
              reason: error.reason,
              ...(error.serial === undefined ? {} : { serial: error.serial }),
              trusted: keys.serials
            })
            : error
        )
      )

    const service = Signer.of({ authorization, verify })
    // over one of our KeyStores, the same two steps without Effect, for WechatPayClient's direct
    // attempt (taken only under the live Clock and the default Random: see internal/direct.ts)
    const direct = Direct.keysOf(keys)
    return direct === undefined ? service : Direct.withSigner(service, {
      authorization: (method, url, body) => {
        const timestamp = String(Math.floor(Date.now() / 1000))
        const nonceStr = Wire.cryptoNonce()
        return direct.sign(requestMessage({ method, url, timestamp, nonce: nonceStr, body })).then((signature) =>
          header(nonceStr, signature, timestamp)
        )
      },
      verifiesNow: (message) => Wire.verifiesNow(message, Date.now(), maxSkewMillis, direct.knownKey)
    })
  })

/**
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<Signer, never, KeyStore> =>
  Layer.effect(Signer, make(options))
