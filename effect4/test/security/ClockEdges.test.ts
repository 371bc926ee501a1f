/**
 * The clock window of answers, at its edges, with `TestClock` (the fake WeChat Pay reads the same
 * clock): 299 s of skew accepted and 300 s rejected, in both directions, for a 2xx answer, a signed
 * error answer (whose typed API error is only returned once its signature holds) and a 204 (verified
 * over the empty body); the window moving with the clock both ways; and the sub-second edge
 * (timestamps are whole seconds, the local clock has milliseconds: the window is strictly less than
 * 300,000 ms). `test/services/WechatPayClient/Verification.test.ts` covers the 2xx edges with a pinned clock; this file adds
 * the rest. Notifications' edges belong to `PayScoreNotifications` and its own tests.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Result } from "effect"
import { TestClock } from "effect/testing"
import { PayScorePermissions, WechatPayClient } from "../../src/index.js"
import type { FakeWechatPay } from "../../src/testing/index.js"
import { makeFake } from "../helpers/merchant.js"

const NOW_SECONDS = 1_700_000_000
const RECORD = JSON.stringify({
  service_id: "500001",
  appid: "wxd678efh567hg6787",
  mchid: "1230000109",
  authorization_code: "1234323JKHDFE1243252",
  authorization_state: "AVAILABLE"
})

type Shape = "2xx" | "signed 404" | "204"

const reply = (shape: Shape, timestamp: number): FakeWechatPay.Reply =>
  shape === "2xx"
    ? { body: RECORD, timestamp }
    : shape === "signed 404"
    ? { status: 404, body: { code: "NOT_FOUND", message: "no record" }, timestamp }
    : { status: 204, timestamp }

const tagOf = <A, E extends { readonly _tag: string }, R>(call: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.result(call), (result) =>
    Result.isSuccess(result)
      ? "Ok"
      : result.failure._tag === "VerificationError"
      ? `VerificationError.${(result.failure as { readonly reason?: string }).reason}`
      : result.failure._tag)

/** One call answered with `shape` signed at `timestamp`; its outcome as a tag (`Ok`, an error tag, or `VerificationError.<reason>`). */
const outcome = (shape: Shape, answer: () => FakeWechatPay.Reply) => {
  const fake = makeFake(() => answer(), { retries: 0 })
  const call: Effect.Effect<
    string,
    never,
    WechatPayClient.WechatPayClient | PayScorePermissions.PayScorePermissions
  > = shape === "204"
    ? tagOf(Effect.flatMap(WechatPayClient.WechatPayClient, (client) =>
      client.execute({
        method: "POST",
        path: "/v3/payscore/permissions/authorization-code/X/terminate",
        body: { service_id: "500001", reason: "r" }
      })))
    : tagOf(
      Effect.flatMap(
        PayScorePermissions.PayScorePermissions,
        (p) => p.queryByAuthorizationCode({ authorization_code: "1234323JKHDFE1243252", service_id: "500001" })
      )
    )
  return Effect.provide(call, fake.layer)
}

const verifiedTag = (shape: Shape) => (shape === "signed 404" ? "NotFound" : "Ok")

describe("clock edges of answers (TestClock)", () => {
  for (const shape of ["2xx", "signed 404", "204"] as const) {
    describe(shape, () => {
      for (const [offset, accepted] of [[299, true], [-299, true], [300, false], [-300, false]] as const) {
        it.effect(`${offset > 0 ? "+" : ""}${offset} s (${offset > 0 ? "answer ahead of" : "answer behind"} the clock): ${accepted ? "accepted" : "rejected"}`, () =>
          Effect.gen(function*() {
            yield* TestClock.setTime(NOW_SECONDS * 1000)
            const tag = yield* outcome(shape, () => reply(shape, NOW_SECONDS + offset))
            expect(tag).toBe(accepted ? verifiedTag(shape) : "VerificationError.ClockSkew")
          }))
      }

      it.effect("the clock moving forward: an answer stamped now is accepted until 299 s later, rejected at 300 s", () =>
        Effect.gen(function*() {
          yield* TestClock.setTime(NOW_SECONDS * 1000)
          const stamped = () => reply(shape, NOW_SECONDS)
          expect(yield* outcome(shape, stamped)).toBe(verifiedTag(shape))
          yield* TestClock.adjust("299 seconds")
          expect(yield* outcome(shape, stamped)).toBe(verifiedTag(shape))
          yield* TestClock.adjust("1 second")
          expect(yield* outcome(shape, stamped)).toBe("VerificationError.ClockSkew")
        }))

      it.effect("the clock catching up: an answer stamped 300 s ahead is rejected, then accepted 1 s later", () =>
        Effect.gen(function*() {
          yield* TestClock.setTime(NOW_SECONDS * 1000)
          const ahead = () => reply(shape, NOW_SECONDS + 300)
          expect(yield* outcome(shape, ahead)).toBe("VerificationError.ClockSkew")
          yield* TestClock.adjust("1 second")
          expect(yield* outcome(shape, ahead)).toBe(verifiedTag(shape))
        }))
    })
  }

  describe("sub-second local clock (whole-second timestamps)", () => {
    const cases = [
      // local clock .001 past the second
      [1, -299, true, "299.001 s behind"],
      [1, -300, false, "300.001 s behind"],
      [1, 300, true, "299.999 s ahead"],
      // local clock .999 past the second
      [999, -299, true, "299.999 s behind"],
      [999, 300, true, "299.001 s ahead"],
      [999, 301, false, "300.001 s ahead"],
      [0, 300, false, "exactly 300 s ahead"],
      [0, -300, false, "exactly 300 s behind"]
    ] as const
    for (const [millis, offset, accepted, what] of cases) {
      it.effect(`${what}: ${accepted ? "accepted" : "rejected"}`, () =>
        Effect.gen(function*() {
          yield* TestClock.setTime(NOW_SECONDS * 1000 + millis)
          const tag = yield* outcome("2xx", () => reply("2xx", NOW_SECONDS + offset))
          expect(tag).toBe(accepted ? "Ok" : "VerificationError.ClockSkew")
        }))
    }
  })
})
