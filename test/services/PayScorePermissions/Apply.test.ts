/**
 * The apply (预授权) endpoints of the three modes against the sandbox over real HTTP: the token,
 * the state they create (UNBINDUSER, then AVAILABLE once the user binds), POST bodies signed byte
 * for byte, and their errors.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { WechatPayClient } from "../../../src/index.js"
import { Sandbox } from "../../../src/testing/index.js"
import {
  APPID,
  CHANNEL_ID,
  CODE,
  CODE_19_DIGITS,
  lastRequest,
  NOTIFY_URL,
  OPENID,
  permissions,
  rawSigned,
  requests,
  sandboxLayer,
  type Sent,
  SERVICE_ID,
  signatureHolds,
  SUB_APPID,
  SUB_MCHID,
  SUB_OPENID,
  utf8
} from "../../helpers/sandbox.js"

const apply = { service_id: SERVICE_ID, appid: APPID, authorization_code: CODE, notify_url: NOTIFY_URL }

describe("applyPermissions (merchant)", () => {
  const sent: Array<Sent> = []
  it.live("200 {apply_permissions_token}; the body is signed and sent byte for byte; the record is UNBINDUSER", () =>
    Effect.gen(function*() {
      const p = yield* permissions
      const result = yield* p.applyPermissions(apply)
      expect(Object.keys(result)).toEqual(["apply_permissions_token"])
      expect(result.apply_permissions_token).toMatch(/^[0-9a-f]{40}$/)

      const expectedBody =
        `{"service_id":"${SERVICE_ID}","appid":"${APPID}","authorization_code":"${CODE}","notify_url":"${NOTIFY_URL}"}`
      // what the client put on the wire, and what the sandbox received: the same bytes
      expect(sent).toHaveLength(1)
      const wire = sent[0]!
      expect(wire.method).toBe("POST")
      expect(wire.url.pathname + wire.url.search).toBe("/v3/payscore/permissions")
      expect(wire.body).toBe(expectedBody)
      expect(wire.headers["content-type"]).toBe("application/json")
      expect(yield* signatureHolds(wire)).toBe(true)
      const logged = yield* lastRequest
      expect(logged.method).toBe("POST")
      expect(logged.url).toBe("/v3/payscore/permissions")
      expect(logged.body).toBe(expectedBody)
      expect(logged.signatureVerified).toBe(true)
      expect(logged.status).toBe(200)
      expect(logged.answer?.headers["wechatpay-signature"]).toBeDefined()

      const record = yield* p.queryByAuthorizationCode({ authorization_code: CODE, service_id: SERVICE_ID })
      expect(record._tag).toBe("UnbindUser")
      expect(record.appid).toBe(APPID)
      expect(record.notify_url).toBe(NOTIFY_URL)
      expect(record.openid).toBeUndefined()
    }).pipe(Effect.provide(sandboxLayer({}, sent))))

  it.live("notify_url is optional: left out of the body; a 19-digit code stays a string", () =>
    Effect.gen(function*() {
      const p = yield* permissions
      yield* p.applyPermissions({ service_id: SERVICE_ID, appid: APPID, authorization_code: CODE_19_DIGITS })
      expect((yield* lastRequest).body).toBe(
        `{"service_id":"${SERVICE_ID}","appid":"${APPID}","authorization_code":"${CODE_19_DIGITS}"}`
      )
      const record = yield* p.queryByAuthorizationCode({ authorization_code: CODE_19_DIGITS, service_id: SERVICE_ID })
      expect(record.authorization_code).toBe(CODE_19_DIGITS)
      expect(record.notify_url).toBeUndefined()
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("bindUser → AVAILABLE with openid and authorization_success_time; found by openid too", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.Sandbox
      const p = yield* permissions
      yield* p.applyPermissions(apply)
      const before = Date.now()
      yield* sandbox.bindUser({ authorization_code: CODE, openid: OPENID })
      const byCode = yield* p.queryByAuthorizationCode({ authorization_code: CODE, service_id: SERVICE_ID })
      expect(byCode._tag).toBe("Available")
      expect(byCode.openid).toBe(OPENID)
      expect(byCode.authorization_success_time!.epochMillis).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000)
      const byOpenid = yield* p.queryByOpenid({ openid: OPENID, service_id: SERVICE_ID, appid: APPID })
      expect(byOpenid._tag).toBe("Available")
      expect(byOpenid.authorization_code).toBe(CODE)
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("re-apply while UNBINDUSER rewrites the record; once bound the code is taken: 400 INVALID_REQUEST", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.Sandbox
      const p = yield* permissions
      const first = yield* p.applyPermissions(apply)
      const second = yield* p.applyPermissions({ ...apply, notify_url: "https://merchant.example.com/other" })
      expect(second.apply_permissions_token).not.toBe(first.apply_permissions_token)
      const record = yield* p.queryByAuthorizationCode({ authorization_code: CODE, service_id: SERVICE_ID })
      expect(record.notify_url).toBe("https://merchant.example.com/other")
      yield* sandbox.bindUser({ authorization_code: CODE, openid: OPENID })
      const taken = yield* Effect.flip(p.applyPermissions(apply))
      expect(taken._tag).toBe("InvalidRequest")
      if (taken._tag === "InvalidRequest") {
        expect(taken.status).toBe(400)
        expect(taken.message).toContain("AVAILABLE")
      }
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("403 NO_AUTH (a Status fault): NoAuth, and nothing is created", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.Sandbox
      const p = yield* permissions
      yield* sandbox.injectFault(Sandbox.Fault.Status({ status: 403 }))
      const error = yield* Effect.flip(p.applyPermissions(apply))
      expect(error._tag).toBe("NoAuth")
      if (error._tag === "NoAuth") expect([error.status, error.code]).toEqual([403, "NO_AUTH"])
      const after = yield* Effect.flip(p.queryByAuthorizationCode({ authorization_code: CODE, service_id: SERVICE_ID }))
      expect(after._tag).toBe("NotFound")
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("a body with a missing or bad field: 400 PARAM_ERROR with detail {field, location: body}", () =>
    Effect.gen(function*() {
      const client = yield* WechatPayClient.WechatPayClient
      const post = (body: unknown) =>
        Effect.flip(client.execute({ method: "POST", path: "/v3/payscore/permissions", body }))
      const missing = yield* post({ service_id: SERVICE_ID, appid: APPID })
      expect(missing._tag).toBe("ParamError")
      if (missing._tag === "ParamError") {
        expect(missing.detail).toMatchObject({ field: "authorization_code", location: "body" })
        expect(missing.message).toBe("authorization_code is required")
      }
      const badUrl = yield* post({ ...apply, notify_url: "ftp://merchant.example.com/notify" })
      expect(badUrl._tag === "ParamError" && badUrl.detail).toMatchObject({ field: "notify_url" })
      const tooLong = yield* post({ ...apply, appid: "w".repeat(33) })
      expect(tooLong._tag === "ParamError" && tooLong.detail).toMatchObject({ field: "appid" })
      const number = yield* post({ ...apply, authorization_code: 1275342195190894594 })
      expect(number._tag === "ParamError" && number.message).toBe("authorization_code must be a string")
      const array = yield* post([apply])
      expect(array._tag === "ParamError" && array.message).toBe("the body must be a JSON object")
      // every one of them was signed correctly and verified before the body was looked at
      for (const request of yield* requests) expect(request.signatureVerified).toBe(true)
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("by hand: no JSON Content-Type → 400 INVALID_REQUEST; not JSON or not UTF-8 → 400 PARAM_ERROR", () =>
    Effect.gen(function*() {
      const body = utf8(JSON.stringify(apply))
      const form = yield* rawSigned({
        method: "POST",
        path: "/v3/payscore/permissions",
        body,
        headers: { "content-type": "application/x-www-form-urlencoded" }
      })
      expect([form.status, form.json.code]).toEqual([400, "INVALID_REQUEST"])
      const none = yield* rawSigned({ method: "POST", path: "/v3/payscore/permissions", body })
      expect([none.status, none.json.code]).toEqual([400, "INVALID_REQUEST"])
      const withCharset = yield* rawSigned({
        method: "POST",
        path: "/v3/payscore/permissions",
        body,
        headers: { "content-type": "application/json; charset=utf-8" }
      })
      expect(withCharset.status).toBe(200)
      const notJson = yield* rawSigned({
        method: "POST",
        path: "/v3/payscore/permissions",
        body: utf8("service_id=500001"),
        headers: { "content-type": "application/json" }
      })
      expect([notJson.status, notJson.json.code, notJson.json.message]).toEqual([
        400,
        "PARAM_ERROR",
        "the body is not JSON"
      ])
      // bytes that are not UTF-8: the signature is checked over the bytes as received, and holds
      const latin1 = new Uint8Array([...utf8(`{"service_id":"${SERVICE_ID}","appid":"`), 0xe9, ...utf8(`"}`)])
      const notUtf8 = yield* rawSigned({
        method: "POST",
        path: "/v3/payscore/permissions",
        body: latin1,
        headers: { "content-type": "application/json" }
      })
      expect([notUtf8.status, notUtf8.json.code, notUtf8.json.message]).toEqual([
        400,
        "PARAM_ERROR",
        "the body is not UTF-8"
      ])
      expect((yield* lastRequest).signatureVerified).toBe(true)
      const log = yield* requests
      expect(log.map((r) => r.status)).toEqual([400, 400, 200, 400, 400])
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("GET /v3/payscore/permissions: 405, the endpoint is POST only", () =>
    Effect.gen(function*() {
      const client = yield* WechatPayClient.WechatPayClient
      const error = yield* Effect.flip(client.execute({ method: "GET", path: "/v3/payscore/permissions" }))
      expect(error._tag === "ApiError" && [error.status, error.code]).toEqual([405, "METHOD_NOT_ALLOWED"])
    }).pipe(Effect.provide(sandboxLayer())))
})

describe("applyPartnerPermissions", () => {
  const partnerApply = {
    service_id: SERVICE_ID,
    appid: APPID,
    sub_appid: SUB_APPID,
    sub_mchid: SUB_MCHID,
    authorization_code: CODE,
    notify_url: NOTIFY_URL
  }

  it.live("200 token; body in the documented order; partner query UNBINDUSER, then AVAILABLE by openid and sub_openid", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.Sandbox
      const p = yield* permissions
      const result = yield* p.applyPartnerPermissions(partnerApply)
      expect(typeof result.apply_permissions_token).toBe("string")
      const logged = yield* lastRequest
      expect(logged.url).toBe("/v3/payscore/partner/permissions")
      expect(logged.body).toBe(JSON.stringify(partnerApply))
      expect(logged.signatureVerified).toBe(true)
      const query = { authorization_code: CODE, service_id: SERVICE_ID, sub_mchid: SUB_MCHID }
      const pending = yield* p.queryPartnerByAuthorizationCode(query)
      expect(pending._tag).toBe("UnbindUser")
      expect(pending.sub_appid).toBe(SUB_APPID)

      yield* sandbox.bindUser({ authorization_code: CODE, openid: OPENID, sub_openid: SUB_OPENID })
      const bound = yield* p.queryPartnerByAuthorizationCode(query)
      expect(bound._tag).toBe("Available")
      expect([bound.openid, bound.sub_openid]).toEqual([OPENID, SUB_OPENID])
      const search = { service_id: SERVICE_ID, appid: APPID, sub_mchid: SUB_MCHID }
      const byOpenid = yield* p.queryPartnerByOpenid({ ...search, openid: OPENID })
      expect(byOpenid._tag).toBe("Available")
      expect(byOpenid.authorization_code).toBe(CODE)
      const bySubOpenid = yield* p.queryPartnerByOpenid({ ...search, sub_appid: SUB_APPID, sub_openid: SUB_OPENID })
      expect(bySubOpenid._tag).toBe("Available")
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("sub_appid is optional; another sub-merchant is another record", () =>
    Effect.gen(function*() {
      const p = yield* permissions
      const { sub_appid: _, ...withoutSubAppid } = partnerApply
      yield* p.applyPartnerPermissions(withoutSubAppid)
      expect((yield* lastRequest).body).not.toContain("sub_appid")
      const other = yield* Effect.either(
        p.queryPartnerByAuthorizationCode({ authorization_code: CODE, service_id: SERVICE_ID, sub_mchid: "1900000110" })
      )
      expect(Either.isLeft(other) && other.left._tag).toBe("NotFound")
    }).pipe(Effect.provide(sandboxLayer())))
})

describe("applyAcquiringBankPermissions", () => {
  const bankApply = {
    service_id: SERVICE_ID,
    channel_id: CHANNEL_ID,
    appid: APPID,
    sub_appid: SUB_APPID,
    sub_mchid: SUB_MCHID,
    authorization_code: CODE,
    notify_url: NOTIFY_URL
  }

  it.live("200 token; body byte for byte; acquiring bank query UNBINDUSER, then AVAILABLE", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.Sandbox
      const p = yield* permissions
      yield* p.applyAcquiringBankPermissions(bankApply)
      const logged = yield* lastRequest
      expect(logged.url).toBe("/v3/payscore/acquiringbank/permissions")
      expect(logged.body).toBe(JSON.stringify(bankApply))
      const query = { authorization_code: CODE, service_id: SERVICE_ID, channel_id: CHANNEL_ID, sub_mchid: SUB_MCHID }
      expect((yield* p.queryAcquiringBankByAuthorizationCode(query))._tag).toBe("UnbindUser")
      yield* sandbox.bindUser({ authorization_code: CODE, openid: OPENID, service_id: SERVICE_ID })
      const bound = yield* p.queryAcquiringBankByAuthorizationCode(query)
      expect(bound._tag).toBe("Available")
      expect(bound.channel_id).toBe(CHANNEL_ID)
      expect(bound.openid).toBe(OPENID)
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("a missing channel_id in the body: 400 PARAM_ERROR from the sandbox", () =>
    Effect.gen(function*() {
      const client = yield* WechatPayClient.WechatPayClient
      const { channel_id: _, ...body } = bankApply
      const error = yield* Effect.flip(
        client.execute({ method: "POST", path: "/v3/payscore/acquiringbank/permissions", body })
      )
      expect(error._tag === "ParamError" && error.detail).toMatchObject({ field: "channel_id", location: "body" })
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("bindUser without a pending record dies with a message", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.Sandbox
      const exit = yield* Effect.exit(sandbox.bindUser({ authorization_code: "NOPE", openid: OPENID }))
      expect(exit._tag).toBe("Failure")
      expect(String(exit._tag === "Failure" ? exit.cause : "")).toContain("no UNBINDUSER record")
    }).pipe(Effect.provide(sandboxLayer())))
})
