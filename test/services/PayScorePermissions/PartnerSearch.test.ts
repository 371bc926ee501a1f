/**
 * The partner search (`GET /v3/payscore/partner/permissions/search`) against the sandbox over real
 * HTTP: by openid and by sub_openid, every state, its own record (authorization_success_time and
 * sub_mchid required), and its errors.
 */
import { describe, expect, it } from "@effect/vitest"
import { DateTime, Effect } from "effect"
import { AuthorizationRecord, WechatPayClient } from "../../../src/index.js"
import { Fixtures, Sandbox } from "../../../src/testing/index.js"
import {
  APPID,
  CODE,
  lastRequest,
  OPENID,
  permissions,
  sandboxLayer,
  SERVICE_ID,
  SUB_APPID,
  SUB_MCHID,
  SUB_OPENID
} from "../../helpers/sandbox.js"

const search = { service_id: SERVICE_ID, appid: APPID, sub_mchid: SUB_MCHID }
const TIME = "2015-05-20T13:29:35+08:00"

const STATES = [
  ["AVAILABLE", "Available"],
  ["UNAVAILABLE", "Unavailable"],
  ["UNBINDUSER", "UnbindUser"],
  ["SOMETHING_NEW", "UnknownState"]
] as const

describe("queryPartnerByOpenid", () => {
  it.live("by openid: every state, the seeded fields, the query in the documented order", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.Sandbox
      const p = yield* permissions
      for (const [state, tag] of STATES) {
        yield* sandbox.seed(Sandbox.Seed.PartnerOpenid({
          ...search,
          openid: OPENID,
          record: { authorization_state: state, authorization_code: CODE, user_risk_level: 2 }
        }))
        const record = yield* p.queryPartnerByOpenid({ ...search, openid: OPENID })
        expect(record._tag).toBe(tag)
        expect(record.sub_mchid).toBe(SUB_MCHID)
        expect(record.mchid).toBe(Fixtures.mchid)
        expect(record.openid).toBe(OPENID)
        expect(record.authorization_code).toBe(CODE)
        expect(record.user_risk_level).toBe(2)
        expect(record.authorization_success_time.epochMillis).toBe(Date.UTC(2015, 4, 20, 5, 29, 35))
      }
      expect((yield* lastRequest).url).toBe(
        `/v3/payscore/partner/permissions/search?service_id=${SERVICE_ID}&appid=${APPID}&sub_mchid=${SUB_MCHID}&openid=${OPENID}`
      )
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("by sub_openid under sub_appid; sub_appid is sent before the openid fields", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.Sandbox
      const p = yield* permissions
      yield* sandbox.seed(Sandbox.Seed.PartnerOpenid({
        ...search,
        sub_appid: SUB_APPID,
        sub_openid: SUB_OPENID,
        record: { authorization_state: "AVAILABLE", authorization_success_time: TIME }
      }))
      const record = yield* p.queryPartnerByOpenid({ ...search, sub_appid: SUB_APPID, sub_openid: SUB_OPENID })
      expect(record._tag).toBe("Available")
      expect([record.sub_appid, record.sub_openid]).toEqual([SUB_APPID, SUB_OPENID])
      expect((yield* lastRequest).url).toBe(
        `/v3/payscore/partner/permissions/search?service_id=${SERVICE_ID}&appid=${APPID}&sub_mchid=${SUB_MCHID}&sub_appid=${SUB_APPID}&sub_openid=${SUB_OPENID}`
      )
      // the same sub_openid under another sub_appid is another user
      const other = yield* Effect.flip(
        p.queryPartnerByOpenid({ ...search, sub_appid: "wx_other", sub_openid: SUB_OPENID })
      )
      expect(other._tag).toBe("NotFound")
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("nothing there: 404 NotFound; 403 via a fault: NoAuth", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.Sandbox
      const p = yield* permissions
      const missing = yield* Effect.flip(p.queryPartnerByOpenid({ ...search, openid: OPENID }))
      expect(missing._tag).toBe("NotFound")
      yield* sandbox.injectFault(Sandbox.Fault.Status({ status: 403 }))
      const denied = yield* Effect.flip(p.queryPartnerByOpenid({ ...search, openid: OPENID }))
      expect(denied._tag).toBe("NoAuth")
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("authorization_success_time and sub_mchid are required in this answer: DecodeError without them", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.Sandbox
      const p = yield* permissions
      yield* sandbox.seed(Sandbox.Seed.PartnerOpenid({
        ...search,
        openid: OPENID,
        record: { authorization_state: "AVAILABLE", authorization_success_time: undefined }
      }))
      expect((yield* Effect.flip(p.queryPartnerByOpenid({ ...search, openid: OPENID })))._tag).toBe("DecodeError")
      yield* sandbox.seed(Sandbox.Seed.PartnerOpenid({
        ...search,
        openid: OPENID,
        record: { authorization_state: "AVAILABLE", sub_mchid: undefined }
      }))
      expect((yield* Effect.flip(p.queryPartnerByOpenid({ ...search, openid: OPENID })))._tag).toBe("DecodeError")
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("the sandbox refuses what the library never sends: both ids, neither, sub_openid without sub_appid (400 PARAM_ERROR)", () =>
    Effect.gen(function*() {
      const client = yield* WechatPayClient.WechatPayClient
      const get = (query: Record<string, string>) =>
        Effect.flip(client.request({
          method: "GET",
          path: "/v3/payscore/partner/permissions/search",
          query: { ...search, ...query },
          schema: AuthorizationRecord.PartnerSearchAuthorizationRecord
        }))
      const both = yield* get({ openid: OPENID, sub_appid: SUB_APPID, sub_openid: SUB_OPENID })
      expect(both._tag === "ParamError" && both.detail).toMatchObject({ field: "sub_openid", location: "query" })
      const neither = yield* get({})
      expect(neither._tag === "ParamError" && neither.detail).toMatchObject({ field: "openid", location: "query" })
      const noSubAppid = yield* get({ sub_openid: SUB_OPENID })
      expect(noSubAppid._tag === "ParamError" && noSubAppid.detail).toMatchObject({ field: "sub_appid" })
      const tooLong = yield* get({ openid: "o".repeat(129) })
      expect(tooLong._tag === "ParamError" && tooLong.detail).toMatchObject({ field: "openid" })
    }).pipe(Effect.provide(sandboxLayer())))

  it("PartnerSearchAuthorizationRecordVariants build records for mocks", () => {
    const record = AuthorizationRecord.PartnerSearchAuthorizationRecordVariants.Available.make({
      service_id: SERVICE_ID,
      appid: APPID,
      mchid: Fixtures.mchid,
      sub_mchid: SUB_MCHID,
      authorization_state: "AVAILABLE",
      authorization_success_time: DateTime.unsafeMake(0)
    })
    expect(record._tag).toBe("Available")
  })
})
