/**
 * Every method of `PayScorePermissions` beyond the four queries (the apply, scene, risk-level,
 * partner-search and terminate endpoints), through `FakeWechatPay` answering signed: the request
 * as WeChat Pay documents it (method, path, query, JSON body signed byte for byte), the decoded
 * answer or `void` for a 204, the POST retry rule (never after a 5xx; once more after a refused
 * connection), and `InvalidInput` before anything is sent.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Result } from "effect"
import { HttpClient, HttpClientError } from "effect/http"
import * as Endpoints from "../../../../src/core/endpoints/permissions.js"
import { PayScorePermissions, WechatPay } from "../../../src/index.js"
import type { WechatPayError } from "../../../src/index.js"
import { FakeWechatPay, Fixtures } from "../../../src/testing/index.js"
import { makeFake, merchantOptions, verifyRequestSignature } from "../../helpers/merchant.js"

type Service = PayScorePermissions.PayScorePermissions.Service

const CODE = "1234323JKHDFE1243252"
const OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"
const SERVICE_ID = "500001"
const APPID = "wxd678efh567hg6787"
const SUB_APPID = "wxd678efh567hg6999"
const SUB_MCHID = "1900000109"
const CHANNEL_ID = "7000000001"
const NOTIFY_URL = "https://merchant.example/notify"

const record = {
  service_id: SERVICE_ID,
  appid: APPID,
  mchid: Fixtures.mchid,
  authorization_state: "UNBINDUSER",
  authorization_code: CODE,
  authorization_success_time: "2015-05-20T13:29:35+08:00"
}

interface Case {
  readonly name: keyof Service
  readonly call: (service: Service) => Effect.Effect<unknown, WechatPayError.ClientError>
  readonly method: "GET" | "POST"
  readonly path: string
  readonly search: string
  readonly body: unknown
  readonly answer: { readonly status: number; readonly body?: unknown }
  readonly check: (success: unknown) => void
}

const token = { apply_permissions_token: "TOKEN-123" }
const expectToken = (success: unknown) => expect(success).toEqual(token)
const expectVoid = (success: unknown) => expect(success).toBeUndefined()

const cases: ReadonlyArray<Case> = [
  {
    name: "applyPermissions",
    call: (s) =>
      s.applyPermissions({ service_id: SERVICE_ID, appid: APPID, authorization_code: CODE, notify_url: NOTIFY_URL }),
    method: "POST",
    path: "/v3/payscore/permissions",
    search: "",
    body: { service_id: SERVICE_ID, appid: APPID, authorization_code: CODE, notify_url: NOTIFY_URL },
    answer: { status: 200, body: token },
    check: expectToken
  },
  {
    name: "applyPartnerPermissions",
    call: (s) =>
      s.applyPartnerPermissions({
        service_id: SERVICE_ID,
        appid: APPID,
        sub_appid: SUB_APPID,
        sub_mchid: SUB_MCHID,
        authorization_code: CODE
      }),
    method: "POST",
    path: "/v3/payscore/partner/permissions",
    search: "",
    body: {
      service_id: SERVICE_ID,
      appid: APPID,
      sub_appid: SUB_APPID,
      sub_mchid: SUB_MCHID,
      authorization_code: CODE
    },
    answer: { status: 200, body: token },
    check: expectToken
  },
  {
    name: "applyAcquiringBankPermissions",
    call: (s) =>
      s.applyAcquiringBankPermissions({
        service_id: SERVICE_ID,
        channel_id: CHANNEL_ID,
        appid: APPID,
        sub_mchid: SUB_MCHID,
        authorization_code: CODE
      }),
    method: "POST",
    path: "/v3/payscore/acquiringbank/permissions",
    search: "",
    body: {
      service_id: SERVICE_ID,
      channel_id: CHANNEL_ID,
      appid: APPID,
      sub_mchid: SUB_MCHID,
      authorization_code: CODE
    },
    answer: { status: 200, body: token },
    check: expectToken
  },
  {
    name: "applyPartnerPermissionsForScene",
    call: (s) =>
      s.applyPartnerPermissionsForScene({
        service_id: SERVICE_ID,
        appid: APPID,
        sub_mchid: SUB_MCHID,
        authorization_code: CODE,
        scene: "TRANSACTION",
        transaction_scene_info: { mchid: Fixtures.mchid, sub_mchid: SUB_MCHID }
      }),
    method: "POST",
    path: "/v3/payscore/partner/permissions/apply-for-scene",
    search: "",
    body: {
      service_id: SERVICE_ID,
      appid: APPID,
      sub_mchid: SUB_MCHID,
      authorization_code: CODE,
      scene: "TRANSACTION",
      transaction_scene_info: { mchid: Fixtures.mchid, sub_mchid: SUB_MCHID }
    },
    answer: { status: 200, body: { scene: "TRANSACTION", transaction_permissions_token: "TXN" } },
    check: (success) =>
      expect(success).toEqual({ _tag: "Transaction", scene: "TRANSACTION", transaction_permissions_token: "TXN" })
  },
  {
    name: "assessUserRiskLevel",
    call: (s) => s.assessUserRiskLevel({ service_id: SERVICE_ID, appid: APPID, openid: OPENID }),
    method: "POST",
    path: "/v3/payscore/permissions/assess-user-risk-level",
    search: "",
    body: { service_id: SERVICE_ID, appid: APPID, openid: OPENID },
    answer: {
      status: 200,
      body: { ...record, authorization_state: "AVAILABLE", user_risk_level: 3, risk_level_version: 1, user_label: "A" }
    },
    check: (success) =>
      expect(success).toMatchObject({ _tag: "Available", user_risk_level: 3, risk_level_version: 1, user_label: "A" })
  },
  {
    name: "assessPartnerUserRiskLevel",
    call: (s) =>
      s.assessPartnerUserRiskLevel({
        sub_mchid: SUB_MCHID,
        service_id: SERVICE_ID,
        appid: APPID,
        sub_appid: SUB_APPID,
        sub_openid: OPENID
      }),
    method: "POST",
    path: "/v3/payscore/partner/permissions/assess-user-risk-level",
    search: `?sub_mchid=${SUB_MCHID}`,
    // sub_mchid goes in the query string only
    body: { service_id: SERVICE_ID, appid: APPID, sub_appid: SUB_APPID, sub_openid: OPENID },
    answer: {
      status: 200,
      body: {
        ...record,
        authorization_state: "AVAILABLE",
        sub_mchid: SUB_MCHID,
        sub_appid: SUB_APPID,
        sub_openid: OPENID,
        user_risk_level: 2,
        risk_level_version: 1
      }
    },
    check: (success) =>
      expect(success).toMatchObject({
        _tag: "Available",
        sub_mchid: SUB_MCHID,
        sub_openid: OPENID,
        user_risk_level: 2,
        risk_level_version: 1
      })
  },
  {
    name: "queryPartnerByOpenid",
    call: (s) =>
      s.queryPartnerByOpenid({
        service_id: SERVICE_ID,
        appid: APPID,
        sub_mchid: SUB_MCHID,
        sub_appid: SUB_APPID,
        sub_openid: OPENID
      }),
    method: "GET",
    path: "/v3/payscore/partner/permissions/search",
    search:
      `?service_id=${SERVICE_ID}&appid=${APPID}&sub_mchid=${SUB_MCHID}&sub_appid=${SUB_APPID}&sub_openid=${OPENID}`,
    body: undefined,
    answer: { status: 200, body: { ...record, sub_mchid: SUB_MCHID, sub_openid: OPENID } },
    check: (success) => expect(success).toMatchObject({ _tag: "UnbindUser", sub_mchid: SUB_MCHID, sub_openid: OPENID })
  },
  {
    name: "terminateByAuthorizationCode",
    call: (s) =>
      s.terminateByAuthorizationCode({ authorization_code: CODE, service_id: SERVICE_ID, reason: "用户投诉" }),
    method: "POST",
    path: `/v3/payscore/permissions/authorization-code/${CODE}/terminate`,
    search: "",
    body: { service_id: SERVICE_ID, reason: "用户投诉" },
    answer: { status: 204 },
    check: expectVoid
  },
  {
    name: "terminatePartnerByAuthorizationCode",
    call: (s) =>
      s.terminatePartnerByAuthorizationCode({
        authorization_code: CODE,
        service_id: SERVICE_ID,
        sub_mchid: SUB_MCHID,
        reason: "reason"
      }),
    method: "POST",
    path: `/v3/payscore/partner/permissions/authorization-code/${CODE}/terminate`,
    search: "",
    body: { service_id: SERVICE_ID, sub_mchid: SUB_MCHID, reason: "reason" },
    answer: { status: 204 },
    check: expectVoid
  },
  {
    name: "terminateAcquiringBankByAuthorizationCode",
    call: (s) =>
      s.terminateAcquiringBankByAuthorizationCode({
        authorization_code: CODE,
        service_id: SERVICE_ID,
        channel_id: CHANNEL_ID,
        sub_mchid: SUB_MCHID,
        reason: "reason"
      }),
    method: "POST",
    path: `/v3/payscore/acquiringbank/permissions/authorization-code/${CODE}/terminate`,
    search: "",
    body: { service_id: SERVICE_ID, channel_id: CHANNEL_ID, sub_mchid: SUB_MCHID, reason: "reason" },
    answer: { status: 204 },
    check: expectVoid
  },
  {
    name: "terminateByOpenid",
    call: (s) => s.terminateByOpenid({ openid: OPENID, service_id: SERVICE_ID, appid: APPID, reason: "reason" }),
    method: "POST",
    path: `/v3/payscore/permissions/openid/${OPENID}/terminate`,
    search: "",
    body: { service_id: SERVICE_ID, appid: APPID, reason: "reason" },
    answer: { status: 204 },
    check: expectVoid
  },
  {
    name: "terminatePartnerByOpenid",
    call: (s) =>
      s.terminatePartnerByOpenid({
        service_id: SERVICE_ID,
        appid: APPID,
        sub_mchid: SUB_MCHID,
        openid: OPENID,
        reason: "reason"
      }),
    method: "POST",
    path: "/v3/payscore/partner/permissions/terminate",
    search: "",
    body: { service_id: SERVICE_ID, appid: APPID, sub_mchid: SUB_MCHID, openid: OPENID, reason: "reason" },
    answer: { status: 204 },
    check: expectVoid
  }
]

const run = (c: Case, reply: (index: number) => FakeWechatPay.Reply, overrides: Partial<WechatPay.Options> = {}) => {
  const fake = makeFake((_, index) => reply(index), { retries: 0, ...overrides })
  return Effect.flatMap(Effect.service(PayScorePermissions.PayScorePermissions), c.call).pipe(
    Effect.result,
    Effect.provide(fake.layer),
    Effect.map((result) => ({ result, received: [...fake.received] }))
  )
}

describe("PayScorePermissions, every method beyond the four queries", () => {
  it("the table covers every declared endpoint that is not one of the four queries", () => {
    const queries = [
      "queryByAuthorizationCode",
      "queryPartnerByAuthorizationCode",
      "queryAcquiringBankByAuthorizationCode",
      "queryByOpenid"
    ]
    expect(cases.map((c) => c.name).sort()).toEqual(
      Endpoints.all.map((e) => e.name).filter((name) => !queries.includes(name)).sort()
    )
  })

  for (const c of cases) {
    describe(c.name, () => {
      it.effect(`${c.method} ${c.path}: the documented request, signed over its exact bytes; the answer decoded`, () =>
        Effect.gen(function*() {
          const { received, result } = yield* run(c, () => c.answer)
          if (Result.isFailure(result)) throw new Error(`failed: ${JSON.stringify(result.failure)}`)
          c.check(result.success)
          expect(received).toHaveLength(1)
          const request = received[0]!
          expect(request.method).toBe(c.method)
          expect(request.url.pathname).toBe(c.path)
          expect(request.url.search).toBe(c.search)
          if (c.body === undefined) expect(request.body).toBe("")
          else {
            expect(JSON.parse(request.body)).toEqual(c.body)
            expect(request.headers["content-type"]).toBe("application/json")
          }
          expect(yield* verifyRequestSignature(request)).toBe(true)
        }))

      it.effect("a signed error answer fails with its tag (NotFound), WeChat Pay's fields kept", () =>
        Effect.gen(function*() {
          const { result } = yield* run(c, () => ({ status: 404, body: { code: "NOT_FOUND", message: "无此授权" } }))
          if (Result.isSuccess(result)) throw new Error("expected a failure")
          expect(result.failure).toMatchObject({ _tag: "NotFound", status: 404, code: "NOT_FOUND" })
        }))

      if (c.method === "POST") {
        it.effect("a POST is not retried after a 5xx (WeChat Pay may have acted on it)", () =>
          Effect.gen(function*() {
            const { received, result } = yield* run(
              c,
              () => ({ status: 500, body: { code: "SYSTEM_ERROR", message: "x" } }),
              { retries: 2, retryBaseDelay: "1 millis" }
            )
            expect(Result.isFailure(result) && result.failure._tag).toBe("SystemError")
            expect(received).toHaveLength(1)
          }))
      }

      it.effect("no parameters at all is InvalidInput, nothing sent", () =>
        Effect.gen(function*() {
          const { received, result } = yield* run(
            {
              ...c,
              call: (s) => (s[c.name] as (p: unknown) => Effect.Effect<unknown, WechatPayError.ClientError>)({})
            },
            () => c.answer
          )
          expect(Result.isFailure(result) && result.failure._tag).toBe("InvalidInput")
          expect(received).toHaveLength(0)
        }))
    })
  }

  it.live("a POST refused at connect (NeverSent) is sent again, and succeeds", () =>
    Effect.gen(function*() {
      let attempts = 0
      const answer = { apply_permissions_token: "AFTER-RETRY" }
      const fake = FakeWechatPay.layer(() => ({ body: answer }))
      // the first attempt never leaves: a connection refused, as a transport reports it
      const flaky = Layer.effect(
        HttpClient.HttpClient,
        Effect.map(Effect.service(HttpClient.HttpClient), (inner) =>
          HttpClient.make((request) => {
            attempts++
            if (attempts === 1) {
              const cause = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" })
              return Effect.fail(
                new HttpClientError.HttpClientError({ reason: new HttpClientError.TransportError({ request, cause }) })
              )
            }
            return inner.execute(request)
          }))
      ).pipe(Layer.provide(fake))
      const result = yield* Effect.flatMap(
        Effect.service(PayScorePermissions.PayScorePermissions),
        (p) => p.applyPermissions({ service_id: SERVICE_ID, appid: APPID, authorization_code: CODE })
      ).pipe(
        Effect.provide(
          WechatPay.layer(merchantOptions({ retries: 2, retryBaseDelay: "1 millis" })).pipe(Layer.provide(flaky))
        ),
        Effect.result
      )
      expect(Result.isSuccess(result) && result.success).toEqual(answer)
      expect(attempts).toBe(2)
    }))
})
