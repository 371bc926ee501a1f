import { describe, expect, it, layer } from "@effect/vitest"
import { Effect, Result } from "effect"
import { TestClock } from "effect/testing"
import type { WechatPayError } from "../../../src/index.js"
import { PayScorePermissions } from "../../../src/index.js"
import { FakeWechatPay, Fixtures } from "../../../src/testing/index.js"
import * as fc from "../../helpers/fc.js"
import { makeFake, makeSwitchableFake } from "../../helpers/merchant.js"

/** A valid answer of `queryByAuthorizationCode`. */
const ANSWER = {
  service_id: "500001",
  appid: "wxd678efh567hg6787",
  mchid: "1230000109",
  authorization_code: "1234323JKHDFE1243252",
  authorization_state: "AVAILABLE"
}
const ANSWER_TEXT = JSON.stringify(ANSWER)

/** Local "now", pinned with TestClock: a whole second. */
const NOW_SECONDS = 1_700_000_000
const NOW_MILLIS = NOW_SECONDS * 1000

const shared = makeSwitchableFake({ retries: 0 })

const query = PayScorePermissions.PayScorePermissions.pipe(
  Effect.flatMap((p) =>
    p.queryByAuthorizationCode({ authorization_code: ANSWER.authorization_code, service_id: "500001" })
  )
)

/** Sends one query answered by `reply`, with "now" pinned; returns the outcome and how many requests were made. */
const answerWith = (reply: FakeWechatPay.Reply) =>
  Effect.gen(function*() {
    yield* TestClock.setTime(NOW_MILLIS)
    shared.answer(() => reply)
    const result = yield* Effect.result(query)
    return { result, attempts: shared.received.length }
  })

const expectVerificationError = (
  result: Result.Result<unknown, PayScorePermissions.QueryError>,
  reason: WechatPayError.VerificationReason
): WechatPayError.VerificationError => {
  if (Result.isSuccess(result)) throw new Error(`expected VerificationError ${reason}, got a success`)
  expect(result.failure._tag).toBe("VerificationError")
  const error = result.failure as WechatPayError.VerificationError
  expect(error.reason).toBe(reason)
  return error
}

const expectVerified = (result: Result.Result<unknown, PayScorePermissions.QueryError>) => {
  if (Result.isFailure(result)) throw new Error(`expected a verified success, got ${result.failure._tag}`)
  expect((result.success as { _tag: string })._tag).toBe("Available")
}

layer(shared.layer)("answer verification (2xx)", (it) => {
  it.effect("control: a correctly signed answer verifies", () =>
    Effect.gen(function*() {
      const { result, attempts } = yield* answerWith({ body: ANSWER_TEXT })
      expectVerified(result)
      expect(attempts).toBe(1)
    }))

  describe("BadSignature", () => {
    it.effect("tampered body (signedBody differs from body)", () =>
      Effect.gen(function*() {
        const { result } = yield* answerWith({
          body: JSON.stringify({ ...ANSWER, authorization_state: "UNAVAILABLE" }),
          signedBody: ANSWER_TEXT
        })
        expectVerificationError(result, "BadSignature")
      }))

    it.effect("a body re-serialised with other whitespace does not verify (the raw body is what is signed)", () =>
      Effect.gen(function*() {
        const { result } = yield* answerWith({ body: JSON.stringify(ANSWER, null, 2), signedBody: ANSWER_TEXT })
        expectVerificationError(result, "BadSignature")
      }))

    it.effect("another key's signature under the trusted serial (FakeWechatPay.keys.stranger)", () =>
      Effect.gen(function*() {
        const { result } = yield* answerWith({ body: ANSWER_TEXT, signWith: FakeWechatPay.keys.stranger })
        const error = expectVerificationError(result, "BadSignature")
        expect(error.serial).toBe(Fixtures.wechatpayPublicKeyId)
      }))

    it.effect("a WECHATPAY/SIGNTEST/ probe", () =>
      Effect.gen(function*() {
        const { result } = yield* answerWith({
          body: ANSWER_TEXT,
          headers: { "wechatpay-signature": "WECHATPAY/SIGNTEST/abc" }
        })
        expectVerificationError(result, "BadSignature")
      }))

    it.effect("a SIGNTEST probe whose tail is valid base64", () =>
      Effect.gen(function*() {
        const { result } = yield* answerWith({
          body: ANSWER_TEXT,
          headers: { "wechatpay-signature": "WECHATPAY/SIGNTEST/QUJDRA==" }
        })
        expectVerificationError(result, "BadSignature")
      }))

    for (const signature of ["not base64!!", "abc", "====", "QUJD RA==", "QUJDRA", "\u00e9\u00e9\u00e9\u00e9"]) {
      it.effect(`a non-base64 signature ${JSON.stringify(signature)}`, () =>
        Effect.gen(function*() {
          const { result } = yield* answerWith({ body: ANSWER_TEXT, headers: { "wechatpay-signature": signature } })
          expectVerificationError(result, "BadSignature")
        }))
    }

    it.effect("valid base64 of the wrong length", () =>
      Effect.gen(function*() {
        const { result } = yield* answerWith({ body: ANSWER_TEXT, headers: { "wechatpay-signature": "QUJDRA==" } })
        expectVerificationError(result, "BadSignature")
      }))

    it.effect("a signature over another nonce", () =>
      Effect.gen(function*() {
        const { result } = yield* answerWith({ body: ANSWER_TEXT, headers: { "wechatpay-nonce": "another-nonce" } })
        expectVerificationError(result, "BadSignature")
      }))

    it.effect("a signature over another timestamp (still inside the window)", () =>
      Effect.gen(function*() {
        const { result } = yield* answerWith({
          body: ANSWER_TEXT,
          timestamp: NOW_SECONDS,
          headers: { "wechatpay-timestamp": String(NOW_SECONDS + 1) }
        })
        expectVerificationError(result, "BadSignature")
      }))
  })

  describe("UnknownSerial", () => {
    it.effect("the WeChat Pay key under an unknown serial", () =>
      Effect.gen(function*() {
        const { result } = yield* answerWith({
          body: ANSWER_TEXT,
          signWith: { privateKey: Fixtures.wechatpayPrivateKey, serial: "PUB_KEY_ID_0000000000UNKNOWN" }
        })
        const error = expectVerificationError(result, "UnknownSerial")
        expect(error.serial).toBe("PUB_KEY_ID_0000000000UNKNOWN")
      }))

    it.effect("a platform certificate serial that this public-key merchant does not trust", () =>
      Effect.gen(function*() {
        const { result } = yield* answerWith({ body: ANSWER_TEXT, signWith: FakeWechatPay.keys.platform1 })
        const error = expectVerificationError(result, "UnknownSerial")
        expect(error.serial).toBe(Fixtures.platformSerialNo1)
      }))
  })

  describe("ClockSkew (window: strictly less than 5 minutes)", () => {
    for (const seconds of [299, -299, 0, 1, -1]) {
      it.effect(`${seconds} s of skew is accepted`, () =>
        Effect.gen(function*() {
          const { result } = yield* answerWith({ body: ANSWER_TEXT, timestamp: NOW_SECONDS + seconds })
          expectVerified(result)
        }))
    }

    for (const seconds of [300, -300, 301, -301, 3600, -3600]) {
      it.effect(`${seconds} s of skew is rejected`, () =>
        Effect.gen(function*() {
          const { result } = yield* answerWith({ body: ANSWER_TEXT, timestamp: NOW_SECONDS + seconds })
          expectVerificationError(result, "ClockSkew")
        }))
    }

    for (const timestamp of [0, 1, 9_999_999_999, 99_999_999_999]) {
      it.effect(`a timestamp far off (${timestamp}) is rejected`, () =>
        Effect.gen(function*() {
          const { result } = yield* answerWith({ body: ANSWER_TEXT, timestamp })
          expectVerificationError(result, "ClockSkew")
        }))
    }

    for (
      const timestamp of ["abc", "1.7e9", `${NOW_SECONDS}.5`, `-${NOW_SECONDS}`, "0x6553F100", `${NOW_SECONDS}abc`]
    ) {
      it.effect(`a non-numeric timestamp ${JSON.stringify(timestamp)} is rejected`, () =>
        Effect.gen(function*() {
          const { result } = yield* answerWith({ body: ANSWER_TEXT, headers: { "wechatpay-timestamp": timestamp } })
          expectVerificationError(result, "ClockSkew")
        }))
    }

    it.effect("the window follows the clock: an answer that verifies now fails 5 minutes later", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(NOW_MILLIS)
        // signed "now" by the fake, which reads the same TestClock
        shared.answer(() => ({ body: ANSWER_TEXT }))
        expectVerified(yield* Effect.result(query))
        const stale = { body: ANSWER_TEXT, timestamp: NOW_SECONDS }
        yield* TestClock.adjust("299 seconds")
        shared.answer(() => stale)
        expectVerified(yield* Effect.result(query))
        yield* TestClock.adjust("1 second")
        expectVerificationError(yield* Effect.result(query), "ClockSkew")
      }))
  })

  describe("MissingHeaders", () => {
    const names = ["Wechatpay-Timestamp", "Wechatpay-Nonce", "Wechatpay-Signature", "Wechatpay-Serial"]
    for (const name of names) {
      it.effect(`${name} missing`, () =>
        Effect.gen(function*() {
          const { result } = yield* answerWith({ body: ANSWER_TEXT, omitHeaders: [name] })
          expectVerificationError(result, "MissingHeaders")
        }))
    }

    it.effect("all four missing (an unsigned 2xx is forged)", () =>
      Effect.gen(function*() {
        const { result } = yield* answerWith({ body: ANSWER_TEXT, signWith: false })
        expectVerificationError(result, "MissingHeaders")
      }))

    it.effect("a 204 without signature headers is not accepted either", () =>
      Effect.gen(function*() {
        const { result } = yield* answerWith({ status: 204, signWith: false })
        expectVerificationError(result, "MissingHeaders")
      }))
  })

  describe("verification comes before parsing", () => {
    it.effect("an unsigned body that is not JSON is a VerificationError, not a DecodeError", () =>
      Effect.gen(function*() {
        const { result } = yield* answerWith({ body: "<html>", signWith: false })
        expectVerificationError(result, "MissingHeaders")
      }))
  })

  describe("property: no tampered body ever verifies", () => {
    // two different strings, by construction: Effect 4's generation starts at size 0 (both
    // strings empty), and discards do not make it grow, so a filter on "different" never runs
    const pair = (make: () => fc.Arbitrary<string>) =>
      fc.map(
        fc.tuple(fc.tuple(make(), make()), fc.char()),
        ([[signed, sent], extra]): [string, string] => [signed, signed === sent ? sent + extra : sent]
      )

    it.effect.prop(
      "random ASCII strings",
      [pair(() => fc.string({ maxLength: 200 }))],
      ([[signed, sent]]) =>
        Effect.gen(function*() {
          const { result, attempts } = yield* answerWith({ body: sent, signedBody: signed })
          expect(attempts).toBe(1)
          expectVerificationError(result, "BadSignature")
        }),
      { arbitrary: { runs: 30 } }
    )

    it.effect.prop(
      "random full-Unicode strings",
      [pair(() => fc.fullUnicodeString({ maxLength: 200 }))],
      ([[signed, sent]]) =>
        Effect.gen(function*() {
          const { result } = yield* answerWith({ body: sent, signedBody: signed })
          expectVerificationError(result, "BadSignature")
        }),
      { arbitrary: { runs: 30 } }
    )

    it.effect.prop(
      "one character of a valid answer changed",
      [fc.nat({ max: ANSWER_TEXT.length - 1 }), fc.char()],
      ([index, char]) =>
        Effect.gen(function*() {
          // a "change" to the same character is no change: nothing to check
          if (ANSWER_TEXT[index] === char) return
          const sent = ANSWER_TEXT.slice(0, index) + char + ANSWER_TEXT.slice(index + 1)
          const { result } = yield* answerWith({ body: sent, signedBody: ANSWER_TEXT })
          expectVerificationError(result, "BadSignature")
        }),
      { arbitrary: { runs: 30 } }
    )
  })
})

describe("maxClockSkew option (1 minute)", () => {
  const cases = [[59, true], [-59, true], [60, false], [-60, false]] as const
  for (const [offset, accepted] of cases) {
    it.effect(`${offset} s of skew is ${accepted ? "accepted" : "rejected"}`, () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(NOW_MILLIS)
        const fake = makeFake(() => ({ body: ANSWER_TEXT, timestamp: NOW_SECONDS + offset }), {
          retries: 0,
          maxClockSkew: "1 minute"
        })
        const result = yield* Effect.result(Effect.provide(query, fake.layer))
        if (accepted) expectVerified(result)
        else expectVerificationError(result, "ClockSkew")
      }))
  }
})
