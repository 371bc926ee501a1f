/**
 * Signing requests (the `Authorization` header) and verifying WeChat Pay's signatures on answers
 * and notifications. Timestamps come from `Clock` and nonces from `Random`, so tests pin both with
 * `TestClock` and a fixed `Random`.
 *
 * The wire layout is kept in three small pure functions (`requestMessage`, `answerMessage`,
 * `formatAuthorization`), testable against the official SDKs' known answers.
 *
 * @since 0.2.0
 */
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Random from "effect/Random"
import * as Authorization from "../../../src/core/authorization.js"
import * as Headers from "../../../src/core/headers.js"
import * as CoreOptions from "../../../src/core/options.js"
import * as Verification from "../../../src/core/verification.js"
import type { InvalidConfig, VerificationError } from "../errors/WechatPayError.js"
import * as Errors from "../internal/errors.js"
import * as InternalOptions from "../internal/options.js"
import { KeyStore } from "./KeyStore.js"

/**
 * The `Authorization` scheme of APIv3.
 *
 * @since 0.2.0
 * @category constants
 */
export const SCHEME: typeof Authorization.SCHEME = Authorization.SCHEME

/**
 * The prefix of the deliberately wrong signatures WeChat Pay sends to check that merchants verify.
 *
 * @since 0.2.0
 * @category constants
 */
export const SIGNTEST_PREFIX: typeof Verification.SIGNTEST_PREFIX = Verification.SIGNTEST_PREFIX

/**
 * The message a request signature covers: `METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n`, where `URL` is the
 * path and query exactly as sent and `BODY` the exact body (empty for GET).
 *
 * @since 0.2.0
 * @category wire
 */
export const requestMessage: typeof Authorization.requestMessage = Authorization.requestMessage

/**
 * The message an answer or notification signature covers: `TIMESTAMP\nNONCE\nBODY\n` over the raw body.
 *
 * @since 0.2.0
 * @category wire
 */
export const answerMessage: typeof Verification.answerMessage = Verification.answerMessage

/**
 * The `Authorization` header value.
 *
 * @since 0.2.0
 * @category wire
 */
export const formatAuthorization: typeof Authorization.formatAuthorization = Authorization.formatAuthorization

/**
 * Reads an `Authorization` header back into its fields (any order); `undefined` if it is not one.
 *
 * @since 0.2.0
 * @category wire
 */
export const parseAuthorization: (header: string) => Record<string, string> | undefined =
  Authorization.parseAuthorization

/**
 * 32 random characters of `0-9A-Z` from the fiber's `Random`: four draws of a `[0, 1)` double
 * (`nextDoubleUnsafe`), each giving 8 characters (`Authorization.nonceFromFractions`). Providing a
 * `Random` (`Random.withSeed`, or your own `{ nextDoubleUnsafe, nextIntUnsafe }` giving the
 * fractions of a nonce) pins them in tests.
 *
 * @since 0.2.0
 * @category wire
 */
export const nonce: Effect.Effect<string> = Effect.withFiber((fiber) => {
  const random = fiber.getRef(Random.Random)
  return Effect.succeed(Authorization.nonceFromFractions([
    random.nextDoubleUnsafe(),
    random.nextDoubleUnsafe(),
    random.nextDoubleUnsafe(),
    random.nextDoubleUnsafe()
  ]))
})

/**
 * What a signature check reads: the headers (any casing; a `Headers`, a record or a web `Headers`)
 * and the raw body text.
 *
 * @since 0.2.0
 * @category models
 */
export interface SignedMessage {
  readonly headers: HeadersInput
  readonly body: string
}

/**
 * @since 0.2.0
 * @category models
 */
export type HeadersInput = Headers.HeadersInput

/**
 * One header, case-insensitively; repeated headers (arrays) count as absent, since they cannot
 * be what WeChat Pay signed.
 *
 * @since 0.2.0
 * @category wire
 */
export const getHeader: (headers: HeadersInput, name: string) => string | undefined = Headers.getHeader

/**
 * @since 0.2.0
 * @category models
 */
export interface Options {
  /** Answers whose `Wechatpay-Timestamp` is this far or farther from the local clock are rejected. Default 5 minutes. */
  readonly maxClockSkew?: Duration.Input | undefined
}

/**
 * @since 0.2.0
 * @category models
 */
export declare namespace Signer {
  /**
   * @since 0.2.0
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
 * @since 0.2.0
 * @category tags
 */
export class Signer extends Context.Service<Signer, Signer.Service>()("effect-wechatpay/Signer") {
  /** See `layer`. @since 0.2.0 */
  static readonly layer = (options: Options = {}): Layer.Layer<Signer, InvalidConfig, KeyStore> => layer(options)
}

/**
 * Signs with the `KeyStore`'s merchant key, time from the fiber's `Clock` and nonce from its
 * `Random` (read once per request, so `TestClock` and a fixed `Random` pin both); verifies with
 * the core's check over the `KeyStore`'s keys (an unknown certificate serial may bring a download,
 * with downloaded certificates).
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<Signer.Service, InvalidConfig, KeyStore> =>
  Effect.gen(function*() {
    const keys = yield* KeyStore
    const { maxClockSkewMillis } = yield* InternalOptions.orInvalidConfig(
      CoreOptions.checkSigner({ maxClockSkew: InternalOptions.readDuration(options.maxClockSkew) })
    )
    // the constant parts of the header joined once
    const header = Authorization.authorizationFor(keys.mchid, keys.merchantSerialNo)

    const authorization = (request: { readonly method: string; readonly url: string; readonly body: string }) =>
      Effect.clockWith((clock) => {
        const timestamp = Authorization.timestampOf(clock.currentTimeMillisUnsafe())
        return Effect.flatMap(nonce, (nonceStr) =>
          Effect.map(
            keys.sign(
              Authorization.requestMessage({
                method: request.method,
                url: request.url,
                timestamp,
                nonce: nonceStr,
                body: request.body
              })
            ),
            (signature) => header(nonceStr, signature, timestamp)
          ))
      })

    // an unknown serial or a bad signature names the keys this client trusts next to the one the
    // answer carried (read at failure time: downloaded certificates rotate)
    const verify = (message: SignedMessage): Effect.Effect<void, VerificationError> =>
      Effect.clockWith((clock) => {
        const headers = Verification.readSignatureHeaders(
          message.headers,
          clock.currentTimeMillisUnsafe(),
          maxClockSkewMillis
        )
        if (Verification.isVerificationProblem(headers)) return Effect.fail(Errors.verificationError(headers))
        return Effect.flatMap(keys.verifyingKey(headers.serial), (key) => {
          if (Option.isNone(key)) {
            return Effect.fail(Errors.verificationError(
              Verification.verificationProblem("UnknownSerial", headers.serial),
              keys.serials
            ))
          }
          return Effect.flatMap(
            Effect.promise(() => Verification.signatureHolds(key.value, headers, message.body)),
            (holds) =>
              holds ? Effect.void : Effect.fail(Errors.verificationError(
                Verification.verificationProblem("BadSignature", headers.serial),
                keys.serials
              ))
          )
        })
      })

    return Signer.of({ authorization, verify })
  })

/**
 * @since 0.2.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<Signer, InvalidConfig, KeyStore> =>
  Layer.effect(Signer, make(options))
