/**
 * The sandbox's pure parts, without HTTP: routing and parameter checks, `sign_information`,
 * record answers, and how faults bend an answer.
 */
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect } from "effect"
import { FakeWechatPay, Fixtures, Sandbox } from "../../../src/testing/index.js"
import { json, render, tamper } from "../../../src/testing/internal/sandboxAnswers.js"
import { recordAnswer, recordKey, seedKey } from "../../../src/testing/internal/sandboxRecords.js"
import { signInformation } from "../../../src/testing/internal/sandboxRequestCheck.js"
import { matchRoute } from "../../../src/testing/internal/sandboxRoutes.js"

describe("sandbox routes", () => {
  it("matches each endpoint and decodes path parameters one segment at a time", () => {
    const match = matchRoute("GET", "/v3/payscore/permissions/authorization-code/a%2Fb?service_id=500001")
    expect(match._tag).toBe("Matched")
    if (match._tag !== "Matched") return
    expect(match.route.endpoint).toBe("Merchant")
    expect(match.params).toEqual({ authorization_code: "a/b", service_id: "500001" })
    const openid = matchRoute("GET", "/v3/payscore/permissions/openid/o1?appid=wx1&service_id=5")
    expect(openid._tag === "Matched" && openid.params).toEqual({ openid: "o1", service_id: "5", appid: "wx1" })
  })

  it("tells a missing route from a wrong method and from bad parameters", () => {
    expect(matchRoute("GET", "/v3/payscore/no-such-api")._tag).toBe("NoRoute")
    expect(matchRoute("POST", "/v3/payscore/permissions/openid/o1?appid=wx1&service_id=5")).toEqual({
      _tag: "MethodNotAllowed",
      allowed: "GET"
    })
    const bad = matchRoute("GET", "/v3/payscore/permissions/openid/%E0%A4%A?appid=wx1&service_id=5")
    expect(bad._tag === "ParamError" && bad.problem.field).toBe("openid")
  })
})

describe("sandbox records", () => {
  it("keys a seed like the request that finds it", () => {
    const seed = Sandbox.Seed.AcquiringBank({
      authorization_code: "c",
      service_id: "s",
      channel_id: "ch",
      sub_mchid: "m",
      record: { authorization_state: "AVAILABLE" }
    })
    expect(seedKey(seed)).toBe(
      recordKey("AcquiringBank", { authorization_code: "c", service_id: "s", channel_id: "ch", sub_mchid: "m" })
    )
    expect(seedKey(seed)).not.toBe(recordKey("Partner", { authorization_code: "c", service_id: "s", sub_mchid: "m" }))
  })

  it("fills required fields, lets the record override them or drop them", () => {
    const seed = Sandbox.Seed.Merchant({
      authorization_code: "c",
      service_id: "s",
      record: { authorization_state: "X", appid: undefined, extra: 1 }
    })
    expect(recordAnswer(seed, "1900000001")).toEqual({
      service_id: "s",
      mchid: "1900000001",
      authorization_code: "c",
      authorization_state: "X",
      extra: 1
    })
  })
})

describe("sandbox answers", () => {
  it("sign_information cuts the body short and counts bytes", () => {
    const info = signInformation({ method: "POST", url: "/v3/x", timestamp: "1", nonce: "N", body: '{"amount":1}' })
    expect(info).toEqual({
      method: "POST",
      url: "/v3/x",
      truncated_sign_message: 'POST\n/v3/x\n1\nN\n{"amount\n',
      sign_message_length: 'POST\n/v3/x\n1\nN\n{"amount":1}\n'.length
    })
  })

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
