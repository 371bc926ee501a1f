/**
 * The sandbox's answers, without HTTP: how a record is tampered with, and how faults bend an answer.
 */
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect } from "effect"
import { FakeWechatPay, Fixtures, Sandbox } from "../../../src/testing/index.js"
import { json, render, tamper } from "../../../src/testing/internal/sandboxAnswers.js"

describe("sandbox answers", () => {
  it("tamper flips a record's state, else changes the body", () => {
    expect(JSON.parse(tamper('{"authorization_state":"AVAILABLE"}')).authorization_state).toBe("UNAVAILABLE")
    expect(tamper("{}")).not.toBe("{}")
    expect(tamper("text")).not.toBe("text")
  })

  it.effect("render signs with the requested key, or bends the answer by the fault", () =>
    Effect.gen(function*() {
      const context = {
        signing: FakeWechatPay.keys.platform2,
        now: 1_700_000_000,
        requestId: "RID",
        defaultDelay: Duration.seconds(3)
      }
      const plan = json(200, { authorization_state: "AVAILABLE" })
      const normal = yield* render(plan, { ...context, fault: undefined })
      expect(normal._tag === "Respond" && normal.headers["wechatpay-serial"]).toBe(Fixtures.platformSerialNo2)
      expect(normal._tag === "Respond" && normal.headers["wechatpay-timestamp"]).toBe("1700000000")
      const skewed = yield* render(plan, { ...context, fault: Sandbox.Fault.ClockSkew({ seconds: 900 }) })
      expect(skewed._tag === "Respond" && skewed.headers["wechatpay-timestamp"]).toBe("1700000900")
      const delayed = yield* render(plan, { ...context, fault: Sandbox.Fault.Delay({}) })
      expect(delayed._tag === "Respond" && delayed.delay).toEqual(Duration.seconds(3))
      const status = yield* render(plan, { ...context, fault: Sandbox.Fault.Status({ status: 418, code: "TEAPOT" }) })
      expect(status._tag === "Respond" && [status.status, status.code]).toEqual([418, "TEAPOT"])
      expect((yield* render(plan, { ...context, fault: Sandbox.Fault.ConnectionReset() }))._tag).toBe("Reset")
      const missing = yield* render(plan, {
        ...context,
        fault: Sandbox.Fault.MissingHeader({ header: "Wechatpay-Nonce" })
      })
      expect(missing._tag === "Respond" && Object.keys(missing.headers)).not.toContain("wechatpay-nonce")
    }))
})
