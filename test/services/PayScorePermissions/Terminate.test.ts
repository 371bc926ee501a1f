/**
 * The terminate (解除授权) endpoints against the sandbox over real HTTP: 204 verified over the empty
 * body, the state change they make (UNAVAILABLE with cancel_authorization_time, seen by every query
 * of the record), bodies signed byte for byte, and their errors.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { WechatPayClient } from "../../../src/index.js"
import { Sandbox } from "../../../src/testing/index.js"
import { makeFake } from "../../helpers/merchant.js"
import {
  APPID,
  CHANNEL_ID,
  CODE,
  lastRequest,
  OPENID,
  permissions,
  REASON,
  sandboxLayer,
  type Sent,
  SERVICE_ID,
  signatureHolds,
  SUB_APPID,
  SUB_MCHID,
  SUB_OPENID
} from "../../helpers/sandbox.js"

const merchantCode = { authorization_code: CODE, service_id: SERVICE_ID }
const partnerCode = { ...merchantCode, sub_mchid: SUB_MCHID }
const bankCode = { ...merchantCode, channel_id: CHANNEL_ID, sub_mchid: SUB_MCHID }
const partnerSearch = { service_id: SERVICE_ID, appid: APPID, sub_mchid: SUB_MCHID }

/** Applies and binds a merchant authorization: AVAILABLE, found by code and by openid. */
const merchantAuthorized = Effect.gen(function*() {
  const p = yield* permissions
  const sandbox = yield* Sandbox.Sandbox
  yield* p.applyPermissions({ service_id: SERVICE_ID, appid: APPID, authorization_code: CODE })
  yield* sandbox.bindUser({ authorization_code: CODE, openid: OPENID })
  yield* sandbox.clearRequests
})

const partnerAuthorized = Effect.gen(function*() {
  const p = yield* permissions
  const sandbox = yield* Sandbox.Sandbox
  yield* p.applyPartnerPermissions({
    service_id: SERVICE_ID,
    appid: APPID,
    sub_appid: SUB_APPID,
    sub_mchid: SUB_MCHID,
    authorization_code: CODE
  })
  yield* sandbox.bindUser({ authorization_code: CODE, openid: OPENID, sub_openid: SUB_OPENID })
  yield* sandbox.clearRequests
})

/** The last request was answered 204, with an empty body, signed, after its own signature verified. */
const expect204 = (url: string, body: string) =>
  Effect.gen(function*() {
    const logged = yield* lastRequest
    expect(logged.method).toBe("POST")
    expect(logged.url).toBe(url)
    expect(logged.body).toBe(body)
    expect(logged.signatureVerified).toBe(true)
    expect(logged.status).toBe(204)
    expect(logged.answer?.body).toBe("")
    expect(logged.answer?.headers["content-length"]).toBeUndefined()
    for (const name of ["wechatpay-timestamp", "wechatpay-nonce", "wechatpay-signature", "wechatpay-serial"]) {
      expect(logged.answer?.headers[name]).toBeDefined()
    }
  })

describe("terminateByAuthorizationCode (merchant)", () => {
  const sent: Array<Sent> = []
  it.live("204 → void; body {service_id, reason} signed byte for byte; the record is UNAVAILABLE by code and by openid", () =>
    Effect.gen(function*() {
      const p = yield* permissions
      yield* merchantAuthorized
      sent.length = 0
      const before = Date.now()
      const result = yield* p.terminateByAuthorizationCode({ ...merchantCode, reason: REASON })
      expect(result).toBeUndefined()
      const body = `{"service_id":"${SERVICE_ID}","reason":"${REASON}"}`
      yield* expect204(`/v3/payscore/permissions/authorization-code/${CODE}/terminate`, body)
      expect(sent).toHaveLength(1)
      expect(sent[0]!.body).toBe(body)
      expect(Buffer.from(sent[0]!.bytes).equals(Buffer.from(body, "utf8"))).toBe(true)
      expect(yield* signatureHolds(sent[0]!)).toBe(true)

      const byCode = yield* p.queryByAuthorizationCode(merchantCode)
      expect(byCode._tag).toBe("Unavailable")
      expect(byCode.cancel_authorization_time!.epochMillis).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000)
      const byOpenid = yield* p.queryByOpenid({ openid: OPENID, service_id: SERVICE_ID, appid: APPID })
      expect(byOpenid._tag).toBe("Unavailable")
    }).pipe(Effect.provide(sandboxLayer({}, sent))))

  it.live("a pre-authorization (UNBINDUSER) can be terminated too; a seeded record as well", () =>
    Effect.gen(function*() {
      const p = yield* permissions
      const sandbox = yield* Sandbox.Sandbox
      yield* p.applyPermissions({ service_id: SERVICE_ID, appid: APPID, authorization_code: CODE })
      yield* p.terminateByAuthorizationCode({ ...merchantCode, reason: "预授权取消" })
      expect((yield* p.queryByAuthorizationCode(merchantCode))._tag).toBe("Unavailable")
      yield* sandbox.seed(Sandbox.Seed.Merchant({
        authorization_code: "SEEDED",
        service_id: SERVICE_ID,
        record: { authorization_state: "AVAILABLE" }
      }))
      yield* p.terminateByAuthorizationCode({ authorization_code: "SEEDED", service_id: SERVICE_ID, reason: "x" })
      expect((yield* p.queryByAuthorizationCode({ authorization_code: "SEEDED", service_id: SERVICE_ID }))._tag)
        .toBe("Unavailable")
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("an unknown code: 404 NotFound; another service_id: 404 too", () =>
    Effect.gen(function*() {
      const p = yield* permissions
      yield* merchantAuthorized
      const unknown = yield* Effect.flip(
        p.terminateByAuthorizationCode({ authorization_code: "UNKNOWN", service_id: SERVICE_ID, reason: REASON })
      )
      expect(unknown._tag).toBe("NotFound")
      if (unknown._tag === "NotFound") expect([unknown.status, unknown.code]).toEqual([404, "NOT_FOUND"])
      const other = yield* Effect.flip(
        p.terminateByAuthorizationCode({ ...merchantCode, service_id: "500002", reason: REASON })
      )
      expect(other._tag).toBe("NotFound")
      expect((yield* p.queryByAuthorizationCode(merchantCode))._tag).toBe("Available")
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("403 NO_AUTH (a Status fault): NoAuth, and the record stays AVAILABLE", () =>
    Effect.gen(function*() {
      const p = yield* permissions
      const sandbox = yield* Sandbox.Sandbox
      yield* merchantAuthorized
      yield* sandbox.injectFault(Sandbox.Fault.Status({ status: 403 }))
      const error = yield* Effect.flip(p.terminateByAuthorizationCode({ ...merchantCode, reason: REASON }))
      expect(error._tag).toBe("NoAuth")
      expect((yield* p.queryByAuthorizationCode(merchantCode))._tag).toBe("Available")
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("a reason over 50 characters sent anyway (raw client): 400 PARAM_ERROR on reason", () =>
    Effect.gen(function*() {
      const client = yield* WechatPayClient.WechatPayClient
      yield* merchantAuthorized
      const error = yield* Effect.flip(client.requestVoid({
        method: "POST",
        path: `/v3/payscore/permissions/authorization-code/${CODE}/terminate`,
        body: { service_id: SERVICE_ID, reason: "长".repeat(51) }
      }))
      expect(error._tag).toBe("ParamError")
      if (error._tag === "ParamError") {
        expect(error.detail).toMatchObject({ field: "reason", location: "body" })
        expect(error.message).toBe("reason is 51 characters long; at most 50 are allowed")
      }
      const missing = yield* Effect.flip(client.requestVoid({
        method: "POST",
        path: `/v3/payscore/permissions/authorization-code/${CODE}/terminate`,
        body: { service_id: SERVICE_ID }
      }))
      expect(missing._tag === "ParamError" && missing.message).toBe("reason is required")
    }).pipe(Effect.provide(sandboxLayer())))
})

describe("204 verification", () => {
  const faults = [
    ["a wrong key (tampered signature)", Sandbox.Fault.WrongKey({}), "BadSignature"],
    ["a SIGNTEST probe", Sandbox.Fault.SignTest(), "BadSignature"],
    ["no Wechatpay-Signature", Sandbox.Fault.MissingHeader({}), "MissingHeaders"],
    ["no Wechatpay-Timestamp", Sandbox.Fault.MissingHeader({ header: "Wechatpay-Timestamp" }), "MissingHeaders"],
    ["a ten-minute-old timestamp", Sandbox.Fault.ClockSkew({}), "ClockSkew"]
  ] as const
  for (const [name, fault, reason] of faults) {
    it.live(`a 204 with ${name}: VerificationError ${reason}, never a success`, () =>
      Effect.gen(function*() {
        const p = yield* permissions
        const sandbox = yield* Sandbox.Sandbox
        yield* merchantAuthorized
        yield* sandbox.injectFault(fault)
        const error = yield* Effect.flip(p.terminateByAuthorizationCode({ ...merchantCode, reason: REASON }))
        expect(error._tag).toBe("VerificationError")
        if (error._tag === "VerificationError") expect(error.reason).toBe(reason)
        const logged = yield* lastRequest
        expect(logged.status).toBe(204)
        // WeChat Pay acted on it: the answer, not the request, was bad
        expect((yield* p.queryByAuthorizationCode(merchantCode))._tag).toBe("Unavailable")
      }).pipe(Effect.provide(sandboxLayer())))
  }

  it.effect('a 204 is verified over the empty body: signed over "" holds, signed over anything else does not', () =>
    Effect.gen(function*() {
      const call = (signedBody: string | undefined) => {
        const fake = makeFake(() => ({ status: 204, ...(signedBody === undefined ? {} : { signedBody }) }))
        return Effect.flatMap(
          WechatPayClient.WechatPayClient,
          (client) => client.requestVoid({ method: "POST", path: "/v3/x/terminate", body: { reason: "r" } })
        ).pipe(Effect.provide(fake.layer), Effect.either)
      }
      const ok = yield* call(undefined)
      expect(ok._tag).toBe("Right")
      const tampered = yield* call("{}")
      expect(tampered._tag === "Left" && tampered.left._tag === "VerificationError" && tampered.left.reason).toBe(
        "BadSignature"
      )
    }))

  it.effect("a 200 with a body to a terminate: any verified 2xx is a success (the body is ignored), a bad one is not", () =>
    Effect.gen(function*() {
      const call = (reply: { readonly status: number; readonly body: unknown; readonly signedBody?: string }) =>
        Effect.flatMap(permissions, (p) => p.terminateByAuthorizationCode({ ...merchantCode, reason: REASON })).pipe(
          Effect.provide(makeFake(() => reply).layer),
          Effect.either
        )
      expect((yield* call({ status: 200, body: { result: "ok" } }))._tag).toBe("Right")
      expect((yield* call({ status: 202, body: "not even JSON" }))._tag).toBe("Right")
      const bad = yield* call({ status: 200, body: { result: "ok" }, signedBody: "{}" })
      expect(bad._tag === "Left" && bad.left._tag).toBe("VerificationError")
    }))
})

describe("terminatePartnerByAuthorizationCode", () => {
  it.live("204; body {service_id, sub_mchid, reason}; the partner record is UNAVAILABLE by code and by openid", () =>
    Effect.gen(function*() {
      const p = yield* permissions
      yield* partnerAuthorized
      yield* p.terminatePartnerByAuthorizationCode({ ...partnerCode, reason: REASON })
      yield* expect204(
        `/v3/payscore/partner/permissions/authorization-code/${CODE}/terminate`,
        JSON.stringify({ service_id: SERVICE_ID, sub_mchid: SUB_MCHID, reason: REASON })
      )
      expect((yield* p.queryPartnerByAuthorizationCode(partnerCode))._tag).toBe("Unavailable")
      const search = yield* p.queryPartnerByOpenid({ ...partnerSearch, openid: OPENID })
      expect(search._tag).toBe("Unavailable")
      expect(search.cancel_authorization_time).toBeDefined()
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("another sub_mchid: 404 NotFound", () =>
    Effect.gen(function*() {
      const p = yield* permissions
      yield* partnerAuthorized
      const error = yield* Effect.flip(
        p.terminatePartnerByAuthorizationCode({ ...partnerCode, sub_mchid: "1900000110", reason: REASON })
      )
      expect(error._tag).toBe("NotFound")
    }).pipe(Effect.provide(sandboxLayer())))
})

describe("terminateAcquiringBankByAuthorizationCode", () => {
  const bankAuthorized = Effect.gen(function*() {
    const p = yield* permissions
    yield* p.applyAcquiringBankPermissions({
      service_id: SERVICE_ID,
      channel_id: CHANNEL_ID,
      appid: APPID,
      sub_mchid: SUB_MCHID,
      authorization_code: CODE
    })
    yield* Effect.flatMap(Sandbox.Sandbox, (s) => s.bindUser({ authorization_code: CODE, openid: OPENID }))
  })

  it.live("204 with channel_id; the record is UNAVAILABLE", () =>
    Effect.gen(function*() {
      const p = yield* permissions
      yield* bankAuthorized
      yield* p.terminateAcquiringBankByAuthorizationCode({ ...bankCode, reason: REASON })
      yield* expect204(
        `/v3/payscore/acquiringbank/permissions/authorization-code/${CODE}/terminate`,
        JSON.stringify({ service_id: SERVICE_ID, channel_id: CHANNEL_ID, sub_mchid: SUB_MCHID, reason: REASON })
      )
      expect((yield* p.queryAcquiringBankByAuthorizationCode(bankCode))._tag).toBe("Unavailable")
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("channel_id is optional: left out of the body, the record of that code and sub-merchant is found", () =>
    Effect.gen(function*() {
      const p = yield* permissions
      yield* bankAuthorized
      yield* p.terminateAcquiringBankByAuthorizationCode({
        authorization_code: CODE,
        service_id: SERVICE_ID,
        sub_mchid: SUB_MCHID,
        reason: REASON
      })
      expect((yield* lastRequest).body).toBe(
        JSON.stringify({ service_id: SERVICE_ID, sub_mchid: SUB_MCHID, reason: REASON })
      )
      expect((yield* p.queryAcquiringBankByAuthorizationCode(bankCode))._tag).toBe("Unavailable")
      const wrongChannel = yield* Effect.flip(
        p.terminateAcquiringBankByAuthorizationCode({ ...bankCode, channel_id: "7000000002", reason: REASON })
      )
      expect(wrongChannel._tag).toBe("NotFound")
    }).pipe(Effect.provide(sandboxLayer())))
})

describe("terminateByOpenid (merchant)", () => {
  it.live("204; body {service_id, appid, reason}; the record is UNAVAILABLE by openid and by code", () =>
    Effect.gen(function*() {
      const p = yield* permissions
      yield* merchantAuthorized
      yield* p.terminateByOpenid({ openid: OPENID, service_id: SERVICE_ID, appid: APPID, reason: REASON })
      yield* expect204(
        `/v3/payscore/permissions/openid/${OPENID}/terminate`,
        JSON.stringify({ service_id: SERVICE_ID, appid: APPID, reason: REASON })
      )
      expect((yield* p.queryByOpenid({ openid: OPENID, service_id: SERVICE_ID, appid: APPID }))._tag).toBe(
        "Unavailable"
      )
      expect((yield* p.queryByAuthorizationCode(merchantCode))._tag).toBe("Unavailable")
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("an unknown openid, or another appid: 404 NotFound", () =>
    Effect.gen(function*() {
      const p = yield* permissions
      yield* merchantAuthorized
      const unknown = yield* Effect.flip(
        p.terminateByOpenid({ openid: "o_unknown", service_id: SERVICE_ID, appid: APPID, reason: REASON })
      )
      expect(unknown._tag).toBe("NotFound")
      const otherApp = yield* Effect.flip(
        p.terminateByOpenid({ openid: OPENID, service_id: SERVICE_ID, appid: "wx0000000000000000", reason: REASON })
      )
      expect(otherApp._tag).toBe("NotFound")
    }).pipe(Effect.provide(sandboxLayer())))
})

describe("terminatePartnerByOpenid", () => {
  it.live("by openid: 204; body in the documented order; UNAVAILABLE in every query of the record", () =>
    Effect.gen(function*() {
      const p = yield* permissions
      yield* partnerAuthorized
      yield* p.terminatePartnerByOpenid({ ...partnerSearch, openid: OPENID, reason: REASON })
      yield* expect204(
        "/v3/payscore/partner/permissions/terminate",
        JSON.stringify({ ...partnerSearch, reason: REASON, openid: OPENID })
      )
      expect((yield* p.queryPartnerByAuthorizationCode(partnerCode))._tag).toBe("Unavailable")
      expect((yield* p.queryPartnerByOpenid({ ...partnerSearch, sub_appid: SUB_APPID, sub_openid: SUB_OPENID }))._tag)
        .toBe("Unavailable")
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("by sub_openid (with sub_appid): 204; an unknown sub_openid: 404", () =>
    Effect.gen(function*() {
      const p = yield* permissions
      yield* partnerAuthorized
      const unknown = yield* Effect.flip(p.terminatePartnerByOpenid({
        ...partnerSearch,
        sub_appid: SUB_APPID,
        sub_openid: "o_unknown",
        reason: REASON
      }))
      expect(unknown._tag).toBe("NotFound")
      yield* p.terminatePartnerByOpenid({
        ...partnerSearch,
        sub_appid: SUB_APPID,
        sub_openid: SUB_OPENID,
        reason: REASON
      })
      expect((yield* lastRequest).body).toBe(
        JSON.stringify({ ...partnerSearch, reason: REASON, sub_appid: SUB_APPID, sub_openid: SUB_OPENID })
      )
      expect((yield* p.queryPartnerByOpenid({ ...partnerSearch, openid: OPENID }))._tag).toBe("Unavailable")
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("both openid and sub_openid, or sub_openid without sub_appid, sent anyway: 400 PARAM_ERROR", () =>
    Effect.gen(function*() {
      const client = yield* WechatPayClient.WechatPayClient
      yield* partnerAuthorized
      const post = (body: Record<string, string>) =>
        Effect.flip(client.requestVoid({
          method: "POST",
          path: "/v3/payscore/partner/permissions/terminate",
          body: { ...partnerSearch, reason: REASON, ...body }
        }))
      const both = yield* post({ openid: OPENID, sub_appid: SUB_APPID, sub_openid: SUB_OPENID })
      expect(both._tag === "ParamError" && both.detail).toMatchObject({ field: "sub_openid", location: "body" })
      const noSubAppid = yield* post({ sub_openid: SUB_OPENID })
      expect(noSubAppid._tag === "ParamError" && noSubAppid.detail).toMatchObject({ field: "sub_appid" })
      const neither = yield* post({})
      expect(neither._tag === "ParamError" && neither.detail).toMatchObject({ field: "openid" })
    }).pipe(Effect.provide(sandboxLayer())))
})
