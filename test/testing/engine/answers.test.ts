/**
 * The sandbox's answers (src/testing/engine/answers.ts): tampering, and how a plan goes on the wire
 * under each fault.
 */
import { describe, expect, it } from "@effect/vitest"
import { json, render, tamper } from "../../../src/testing/engine/answers.js"
import { FakeWechatPay, Fixtures, Sandbox } from "../../../src/testing/index.js"

describe("sandbox answers", () => {
  it("tamper flips a record's state, else changes the body", () => {
    expect(JSON.parse(tamper('{"authorization_state":"AVAILABLE"}')).authorization_state).toBe("UNAVAILABLE")
    expect(tamper("{}")).not.toBe("{}")
    expect(tamper("text")).not.toBe("text")
  })

  it("render signs with the requested key, or bends the answer by the fault", async () => {
    const context = {
      signing: FakeWechatPay.keys.platform2,
      now: 1_700_000_000,
      requestId: "RID",
      delayMillis: 3000
    }
    const plan = json(200, { authorization_state: "AVAILABLE" })
    const normal = await render(plan, { ...context, fault: undefined })
    expect(normal._tag === "Respond" && normal.headers["wechatpay-serial"]).toBe(Fixtures.platformSerialNo2)
    expect(normal._tag === "Respond" && normal.headers["wechatpay-timestamp"]).toBe("1700000000")
    const skewed = await render(plan, { ...context, fault: Sandbox.Fault.ClockSkew({ seconds: 900 }) })
    expect(skewed._tag === "Respond" && skewed.headers["wechatpay-timestamp"]).toBe("1700000900")
    const delayed = await render(plan, { ...context, fault: Sandbox.Fault.Delay({}) })
    expect(delayed._tag === "Respond" && delayed.delayMillis).toBe(3000)
    const status = await render(plan, { ...context, fault: Sandbox.Fault.Status({ status: 418, code: "TEAPOT" }) })
    expect(status._tag === "Respond" && [status.status, status.code]).toEqual([418, "TEAPOT"])
    expect((await render(plan, { ...context, fault: Sandbox.Fault.ConnectionReset() }))._tag).toBe("Reset")
    const missing = await render(plan, {
      ...context,
      fault: Sandbox.Fault.MissingHeader({ header: "Wechatpay-Nonce" })
    })
    expect(missing._tag === "Respond" && Object.keys(missing.headers)).not.toContain("wechatpay-nonce")
  })
})
