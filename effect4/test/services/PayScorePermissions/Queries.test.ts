import { describe, expect, expectTypeOf, it, layer } from "@effect/vitest"
import { DateTime, Effect, Fiber, Result } from "effect"
import { TestClock } from "effect/testing"
import { SIGN_ERROR_HINT } from "../../../../src/core/apiError.js"
import type { AuthorizationRecord, WechatPayError } from "../../../src/index.js"
import { PayScorePermissions, WechatPay } from "../../../src/index.js"
import { FakeWechatPay, Fixtures } from "../../../src/testing/index.js"
import { authorizationFields, makeFake, makeSwitchableFake, verifyRequestSignature } from "../../helpers/merchant.js"

type AnyRecord =
  | AuthorizationRecord.AuthorizationRecord
  | AuthorizationRecord.PartnerAuthorizationRecord
  | AuthorizationRecord.AcquiringBankAuthorizationRecord
  | AuthorizationRecord.OpenidAuthorizationRecord

type Service = PayScorePermissions.PayScorePermissions.Service

const CODE = "1234323JKHDFE1243252"
const OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"
const SERVICE_ID = "500001"
const APPID = "wxd678efh567hg6787"
const SUB_MCHID = "1900000109"
const CHANNEL_ID = "7000000001"
const REQUEST_ID = "TEST-REQUEST-ID-0123456789"

/** "2015-05-20T13:29:35+08:00", computed independently of any parser. */
const TIME_1 = "2015-05-20T13:29:35+08:00"
const TIME_1_MILLIS = Date.UTC(2015, 4, 20, 13 - 8, 29, 35)
const TIME_2 = "2016-01-02T03:04:05+08:00"
const TIME_2_MILLIS = Date.UTC(2016, 0, 1, 19, 4, 5)
const TIME_FIELDS: Record<string, number> = {
  cancel_authorization_time: TIME_1_MILLIS,
  authorization_success_time: TIME_2_MILLIS
}

interface Endpoint {
  readonly name: string
  readonly call: (service: Service) => Effect.Effect<AnyRecord, PayScorePermissions.QueryError>
  readonly path: string
  readonly search: string
  /** Every documented field of the answer (PROTOCOL.md §1), state left out. */
  readonly full: Record<string, unknown>
  /** The required fields only, state left out. */
  readonly minimal: Record<string, unknown>
}

const common = {
  service_id: SERVICE_ID,
  appid: APPID,
  mchid: "1230000109",
  openid: OPENID,
  cancel_authorization_time: TIME_1,
  authorization_success_time: TIME_2
}
const commonRequired = { service_id: SERVICE_ID, appid: APPID, mchid: "1230000109" }

const endpoints: ReadonlyArray<Endpoint> = [
  {
    name: "queryByAuthorizationCode",
    call: (s) => s.queryByAuthorizationCode({ authorization_code: CODE, service_id: SERVICE_ID }),
    path: `/v3/payscore/permissions/authorization-code/${CODE}`,
    search: `?service_id=${SERVICE_ID}`,
    full: {
      ...common,
      authorization_code: CODE,
      notify_url: "https://example.com/notify",
      user_risk_level: 1,
      risk_level_version: 2
    },
    minimal: { ...commonRequired, authorization_code: CODE }
  },
  {
    name: "queryPartnerByAuthorizationCode",
    call: (s) =>
      s.queryPartnerByAuthorizationCode({ authorization_code: CODE, service_id: SERVICE_ID, sub_mchid: SUB_MCHID }),
    path: `/v3/payscore/partner/permissions/authorization-code/${CODE}`,
    search: `?service_id=${SERVICE_ID}&sub_mchid=${SUB_MCHID}`,
    full: {
      ...common,
      sub_mchid: SUB_MCHID,
      authorization_code: CODE,
      sub_appid: "wxd678efh567hg6999",
      sub_openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6p",
      notify_url: "https://example.com/notify",
      user_risk_level: 3,
      risk_level_version: 4
    },
    minimal: { ...commonRequired, sub_mchid: SUB_MCHID }
  },
  {
    name: "queryAcquiringBankByAuthorizationCode",
    call: (s) =>
      s.queryAcquiringBankByAuthorizationCode({
        authorization_code: CODE,
        service_id: SERVICE_ID,
        channel_id: CHANNEL_ID,
        sub_mchid: SUB_MCHID
      }),
    path: `/v3/payscore/acquiringbank/permissions/authorization-code/${CODE}`,
    search: `?service_id=${SERVICE_ID}&channel_id=${CHANNEL_ID}&sub_mchid=${SUB_MCHID}`,
    full: {
      ...common,
      sub_mchid: SUB_MCHID,
      authorization_code: CODE,
      sub_appid: "wxd678efh567hg6999",
      sub_openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6p",
      channel_id: CHANNEL_ID,
      notify_url: "https://example.com/notify"
    },
    minimal: { ...commonRequired, sub_mchid: SUB_MCHID }
  },
  {
    name: "queryByOpenid",
    call: (s) => s.queryByOpenid({ openid: OPENID, service_id: SERVICE_ID, appid: APPID }),
    path: `/v3/payscore/permissions/openid/${OPENID}`,
    search: `?service_id=${SERVICE_ID}&appid=${APPID}`,
    full: {
      ...common,
      authorization_code: CODE,
      user_risk_level: 5,
      risk_level_version: 6
    },
    minimal: { ...commonRequired }
  }
]

/** One layer for the suite (retries off); tests that need other options build their own. */
const shared = makeSwitchableFake({ retries: 0 })

/** Runs one endpoint against a fake answering `reply` (retries off unless overridden). */
const run = (
  endpoint: Endpoint,
  reply: FakeWechatPay.Reply | ((request: FakeWechatPay.Received, index: number) => FakeWechatPay.Reply),
  overrides?: Partial<WechatPay.Options>
) => {
  const handler = typeof reply === "function" ? reply : () => reply
  if (overrides === undefined) {
    return Effect.sync(() => shared.answer(handler)).pipe(
      Effect.andThen(PayScorePermissions.PayScorePermissions),
      Effect.flatMap(endpoint.call),
      Effect.result,
      Effect.map((result) => ({ result, received: [...shared.received] }))
    )
  }
  const fake = makeFake(handler, { retries: 0, ...overrides })
  return PayScorePermissions.PayScorePermissions.pipe(
    Effect.flatMap(endpoint.call),
    Effect.result,
    Effect.provide(fake.layer),
    Effect.map((result) => ({ result, received: [...fake.received] }))
  )
}

const expectSuccess = <A, E>(result: Result.Result<A, E>): A => {
  if (Result.isFailure(result)) throw new Error(`expected a success, got ${JSON.stringify(result.failure)}`)
  return result.success
}
const expectFailure = <A, E>(result: Result.Result<A, E>): E => {
  if (Result.isSuccess(result)) throw new Error(`expected a failure, got ${JSON.stringify(result.success)}`)
  return result.failure
}

const STATES = [
  { state: "AVAILABLE", tag: "Available" },
  { state: "UNAVAILABLE", tag: "Unavailable" },
  { state: "UNBINDUSER", tag: "UnbindUser" },
  { state: "FROZEN", tag: "UnknownState" },
  { state: "available", tag: "UnknownState" },
  { state: "", tag: "UnknownState" }
] as const

interface ErrorRow {
  readonly name: string
  readonly status: number
  readonly body: unknown
  readonly tag: WechatPayError.ApiErrors["_tag"]
}

const signInformation = {
  method: "GET",
  sign_message_length: 97,
  truncated_sign_message:
    "GET\n/v3/payscore/permissions/authorization-code/1234323JKHDFE1243252?service_id=500001\n1554208460\n",
  url: "/v3/payscore/permissions/authorization-code/1234323JKHDFE1243252?service_id=500001"
}

const errorRows: ReadonlyArray<ErrorRow> = [
  {
    name: "400 PARAM_ERROR",
    status: 400,
    body: {
      code: "PARAM_ERROR",
      message: "参数错误: service_id 不合法",
      detail: { field: "service_id", value: "x", issue: "invalid", location: "query" }
    },
    tag: "ParamError"
  },
  {
    name: "400 INVALID_REQUEST",
    status: 400,
    body: { code: "INVALID_REQUEST", message: "HTTP头缺少Accept或User-Agent" },
    tag: "InvalidRequest"
  },
  {
    name: "401 SIGN_ERROR (detail.sign_information kept)",
    status: 401,
    body: {
      code: "SIGN_ERROR",
      message: "签名错误",
      detail: { detail: { issue: "sign not match" }, sign_information: signInformation }
    },
    tag: "SignError"
  },
  { name: "403 NO_AUTH", status: 403, body: { code: "NO_AUTH", message: "商户无权限" }, tag: "NoAuth" },
  { name: "404 NOT_FOUND", status: 404, body: { code: "NOT_FOUND", message: "记录不存在" }, tag: "NotFound" },
  {
    name: "404 ORDER_NOT_EXIST",
    status: 404,
    body: { code: "ORDER_NOT_EXIST", message: "订单不存在" },
    tag: "NotFound"
  },
  { name: "404 with any other code", status: 404, body: { code: "RESOURCE_GONE", message: "gone" }, tag: "NotFound" },
  { name: "404 with an empty body", status: 404, body: "", tag: "NotFound" },
  {
    name: "429 FREQUENCY_LIMITED",
    status: 429,
    body: { code: "FREQUENCY_LIMITED", message: "频率超限" },
    tag: "FrequencyLimited"
  },
  {
    name: "429 RATELIMIT_EXCEEDED",
    status: 429,
    body: { code: "RATELIMIT_EXCEEDED", message: "too fast" },
    tag: "FrequencyLimited"
  },
  { name: "500 SYSTEM_ERROR", status: 500, body: { code: "SYSTEM_ERROR", message: "系统错误" }, tag: "SystemError" },
  {
    name: "502 with an HTML body",
    status: 502,
    body: "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
    tag: "SystemError"
  },
  {
    name: "503 SERVICE_UNAVAILABLE",
    status: 503,
    body: { code: "SERVICE_UNAVAILABLE", message: "服务不可用" },
    tag: "SystemError"
  },
  { name: "418 (unmapped status)", status: 418, body: { code: "I_AM_A_TEAPOT", message: "teapot" }, tag: "ApiError" },
  { name: "400 OTHER_CODE", status: 400, body: { code: "OTHER_CODE", message: "其他错误" }, tag: "ApiError" },
  { name: "401 with a code other than SIGN_ERROR", status: 401, body: { code: "X", message: "x" }, tag: "ApiError" },
  { name: "403 with a code other than NO_AUTH", status: 403, body: { code: "Y", message: "y" }, tag: "ApiError" }
]

const SIGNING_MODES = [
  { mode: "signed", signWith: undefined },
  { mode: "without signature headers", signWith: false }
] as const

layer(shared.layer)("PayScorePermissions", (it) => {
  for (const endpoint of endpoints) {
    describe(endpoint.name, () => {
      describe("request", () => {
        it.effect("GET to the documented path and query, with Accept, User-Agent, Wechatpay-Serial", () =>
          Effect.gen(function*() {
            const { received, result } = yield* run(endpoint, {
              body: { ...endpoint.full, authorization_state: "AVAILABLE" }
            })
            expectSuccess(result)
            expect(received).toHaveLength(1)
            const request = received[0]!
            expect(request.method).toBe("GET")
            expect(request.url.origin).toBe("https://api.mch.weixin.qq.com")
            expect(request.url.pathname).toBe(endpoint.path)
            expect(request.url.search).toBe(endpoint.search)
            expect(request.body).toBe("")
            expect(request.headers["accept"]).toBe("application/json")
            expect(request.headers["user-agent"]).toBe(WechatPay.defaults.userAgent)
            expect(request.headers["user-agent"]).toMatch(/^effect-wechatpay\/\d+\.\d+\.\d+ /)
            expect(request.headers["wechatpay-serial"]).toBe(Fixtures.wechatpayPublicKeyId)
          }))

        it.effect("a custom userAgent and baseUrl are used", () =>
          Effect.gen(function*() {
            const { received } = yield* run(
              endpoint,
              { body: { ...endpoint.full, authorization_state: "AVAILABLE" } },
              {
                userAgent: "my-shop/1.2.3",
                baseUrl: "https://api2.mch.weixin.qq.com"
              }
            )
            expect(received[0]!.headers["user-agent"]).toBe("my-shop/1.2.3")
            expect(received[0]!.url.origin).toBe("https://api2.mch.weixin.qq.com")
            expect(received[0]!.url.pathname).toBe(endpoint.path)
          }))

        it.effect("the Authorization header verifies with the merchant public key over GET\\n<path?query>\\n<ts>\\n<nonce>\\n\\n", () =>
          Effect.gen(function*() {
            yield* TestClock.setTime(1_554_208_460_123)
            const { received } = yield* run(endpoint, { body: { ...endpoint.full, authorization_state: "AVAILABLE" } })
            const request = received[0]!
            const fields = authorizationFields(request.headers["authorization"])
            expect(fields.mchid).toBe(Fixtures.mchid)
            expect(fields.serial_no).toBe(Fixtures.merchantSerialNo)
            expect(fields.timestamp).toBe("1554208460")
            expect(fields.nonce_str).toMatch(/^[0-9A-Za-z]{32}$/)
            expect(yield* verifyRequestSignature(request)).toBe(true)
            // and it does not verify over another URL: the check above can fail
            const other = new URL(request.url.href)
            other.searchParams.set("service_id", "other")
            expect(yield* verifyRequestSignature({ ...request, url: other })).toBe(false)
          }))
      })

      describe("success variants", () => {
        for (const { state, tag } of STATES) {
          it.effect(`authorization_state ${JSON.stringify(state)} → _tag ${tag}, state kept raw`, () =>
            Effect.gen(function*() {
              const { result } = yield* run(endpoint, { body: { ...endpoint.full, authorization_state: state } })
              const record = expectSuccess(result)
              expect(record._tag).toBe(tag)
              expect(record.authorization_state).toBe(state)
            }))
        }
      })

      describe("fields", () => {
        it.effect("every documented field is decoded under its wire name (times DateTime.Utc, numbers numbers)", () =>
          Effect.gen(function*() {
            const wire = { ...endpoint.full, authorization_state: "UNAVAILABLE" }
            const { result } = yield* run(endpoint, { body: wire })
            const record = expectSuccess(result) as unknown as Record<string, unknown>
            expect(Object.keys(record).sort()).toEqual([...Object.keys(wire), "_tag"].sort())
            for (const [key, value] of Object.entries(wire)) {
              if (key in TIME_FIELDS) {
                const time = record[key]
                expect(DateTime.isDateTime(time)).toBe(true)
                expect(DateTime.isUtc(time as DateTime.DateTime)).toBe(true)
                expect(DateTime.toEpochMillis(time as DateTime.DateTime)).toBe(TIME_FIELDS[key])
              } else {
                expect(typeof record[key]).toBe(typeof value)
                expect(record[key]).toBe(value)
              }
            }
          }))

        it.effect('"2015-05-20T13:29:35+08:00" is exactly 2015-05-20T05:29:35Z', () =>
          Effect.gen(function*() {
            const { result } = yield* run(endpoint, {
              body: { ...endpoint.minimal, authorization_state: "AVAILABLE", authorization_success_time: TIME_1 }
            })
            const record = expectSuccess(result)
            const time = record.authorization_success_time
            expect(time !== undefined && DateTime.isDateTime(time)).toBe(true)
            expect(DateTime.toEpochMillis(time!)).toBe(1432099775000)
            expect(DateTime.formatIso(time!)).toBe("2015-05-20T05:29:35.000Z")
          }))

        it.effect("optional fields are absent when absent", () =>
          Effect.gen(function*() {
            const wire = { ...endpoint.minimal, authorization_state: "UNBINDUSER" }
            const { result } = yield* run(endpoint, { body: wire })
            const record = expectSuccess(result) as unknown as Record<string, unknown>
            expect(record._tag).toBe("UnbindUser")
            expect(Object.keys(record).sort()).toEqual([...Object.keys(wire), "_tag"].sort())
            for (const key of Object.keys(endpoint.full)) {
              if (!(key in endpoint.minimal)) expect(key in record).toBe(false)
            }
          }))

        it.effect("fields not in the documentation are dropped, not a failure", () =>
          Effect.gen(function*() {
            const { result } = yield* run(endpoint, {
              body: { ...endpoint.minimal, authorization_state: "AVAILABLE", brand_new_field: { x: 1 } }
            })
            const record = expectSuccess(result) as unknown as Record<string, unknown>
            expect(record._tag).toBe("Available")
            expect("brand_new_field" in record).toBe(false)
          }))
      })

      describe("errors", () => {
        for (const row of errorRows) {
          for (const { mode, signWith } of SIGNING_MODES) {
            it.effect(`${row.name} → ${row.tag} (${mode})`, () =>
              Effect.gen(function*() {
                const { received, result } = yield* run(endpoint, {
                  status: row.status,
                  body: row.body,
                  headers: { "request-id": REQUEST_ID },
                  ...(signWith === false ? { signWith } : {})
                })
                expect(received).toHaveLength(1)
                const error = expectFailure(result)
                expect(error._tag).toBe(row.tag)
                if (!("status" in error)) throw new Error(`not an API error: ${error._tag}`)
                expect(error.status).toBe(row.status)
                expect(error.requestId).toBe(REQUEST_ID)
                if (typeof row.body === "object" && row.body !== null) {
                  const body = row.body as { code: string; message: string; detail?: unknown }
                  expect(error.code).toBe(body.code)
                  // a SIGN_ERROR is followed by its likely local causes (test/errors/WechatPayError.test.ts)
                  expect(error.message).toBe(body.code === "SIGN_ERROR" ? body.message + SIGN_ERROR_HINT : body.message)
                  expect(error.detail).toEqual(body.detail)
                } else {
                  expect(error.code).toBe(`HTTP_${row.status}`)
                  expect(error.message).toContain(String(row.status))
                  expect(error.detail).toBeUndefined()
                }
                if (row.tag === "SignError") {
                  expect((error.detail as { sign_information: unknown }).sign_information).toEqual(signInformation)
                }
              }))
          }
        }

        it.effect("an error answer without Request-ID has requestId undefined", () =>
          Effect.gen(function*() {
            const { result } = yield* run(endpoint, {
              status: 404,
              body: { code: "NOT_FOUND", message: "nope" },
              omitHeaders: ["request-id"]
            })
            const error = expectFailure(result)
            expect(error._tag).toBe("NotFound")
            expect((error as WechatPayError.NotFound).requestId).toBeUndefined()
          }))

        it.effect("an error answer with all four headers but a tampered body → VerificationError", () =>
          Effect.gen(function*() {
            const { result } = yield* run(endpoint, {
              status: 404,
              body: { code: "NOT_FOUND", message: "记录不存在" },
              signedBody: JSON.stringify({ code: "NOT_FOUND", message: "something else" })
            })
            const error = expectFailure(result)
            expect(error._tag).toBe("VerificationError")
            expect((error as WechatPayError.VerificationError).reason).toBe("BadSignature")
          }))

        it.effect("an error answer with all four headers signed by a stranger → VerificationError", () =>
          Effect.gen(function*() {
            const { result } = yield* run(endpoint, {
              status: 500,
              body: { code: "SYSTEM_ERROR", message: "x" },
              signWith: FakeWechatPay.keys.stranger
            })
            const error = expectFailure(result)
            expect(error._tag).toBe("VerificationError")
            expect((error as WechatPayError.VerificationError).reason).toBe("BadSignature")
          }))

        it.effect("a retried 429 surfaces as FrequencyLimited once the budget is spent", () =>
          Effect.gen(function*() {
            const program = run(endpoint, {
              status: 429,
              body: { code: "FREQUENCY_LIMITED", message: "频率超限" }
            }, { retries: 2, retryBaseDelay: "1 second", timeout: "1 hour" })
            const fiber = yield* Effect.forkChild(program)
            // the backoff sleeps on the TestClock: move time on until the call is done
            for (let i = 0; i < 2000 && fiber.pollUnsafe() === undefined; i++) {
              yield* TestClock.adjust("1 second")
              yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 1)))
            }
            const { received, result } = yield* Fiber.join(fiber)
            expect(received).toHaveLength(3)
            const error = expectFailure(result)
            expect(error._tag).toBe("FrequencyLimited")
            expect((error as WechatPayError.FrequencyLimited).code).toBe("FREQUENCY_LIMITED")
          }))
      })

      describe("DecodeError for a verified 2xx that is not the documented shape", () => {
        const cases: ReadonlyArray<{ readonly name: string; readonly body: unknown }> = [
          { name: "not JSON", body: "<html>ok</html>" },
          { name: "an empty body", body: "" },
          { name: "a JSON array", body: [] },
          { name: "missing authorization_state", body: { ...endpoint.minimal } },
          {
            name: "missing service_id",
            body: { ...endpoint.minimal, service_id: undefined, authorization_state: "AVAILABLE" }
          },
          {
            name: "a number where a string belongs",
            body: { ...endpoint.minimal, authorization_state: "AVAILABLE", mchid: 1230000109 }
          },
          {
            name: "a time that is not a time",
            body: { ...endpoint.minimal, authorization_state: "AVAILABLE", authorization_success_time: "yesterday" }
          },
          {
            name: "a string where a number belongs",
            body: { ...endpoint.minimal, authorization_state: "AVAILABLE", user_risk_level: "1" }
          }
        ]
        for (const c of cases) {
          // the acquiring-bank answer has no user_risk_level: an extra field is dropped, not a failure
          if (c.name === "a string where a number belongs" && !("user_risk_level" in endpoint.full)) continue
          it.effect(c.name, () =>
            Effect.gen(function*() {
              const { result } = yield* run(endpoint, { body: c.body })
              const error = expectFailure(result)
              expect(error._tag).toBe("DecodeError")
              expect((error as WechatPayError.DecodeError).message.length).toBeGreaterThan(0)
            }))
        }
      })
    })
  }
})

describe("catchTags on a method's result", () => {
  const program = Effect.gen(function*() {
    const permissions = yield* PayScorePermissions.PayScorePermissions
    const record = yield* permissions.queryByAuthorizationCode({ authorization_code: CODE, service_id: SERVICE_ID })
    return record._tag === "Available" ? "authorized" as const : "not authorized" as const
  }).pipe(
    Effect.catchTags({
      NotFound: (e) => Effect.succeed(`not found: ${e.code}` as const),
      FrequencyLimited: (e) => Effect.succeed(`slow down: ${e.status}` as const)
    })
  )

  it("type-checks: the handled tags leave the error union", () => {
    type Remaining = Effect.Error<typeof program>
    expectTypeOf<Extract<Remaining, { _tag: "NotFound" }>>().toEqualTypeOf<never>()
    expectTypeOf<Extract<Remaining, { _tag: "FrequencyLimited" }>>().toEqualTypeOf<never>()
    expectTypeOf<Extract<Remaining, { _tag: "SystemError" }>>().toEqualTypeOf<WechatPayError.SystemError>()
    expectTypeOf<Effect.Success<typeof program>>().toEqualTypeOf<
      "authorized" | "not authorized" | `not found: ${string}` | `slow down: ${number}`
    >()
    // the method's own error union is exactly QueryError
    expectTypeOf<ReturnType<Service["queryByAuthorizationCode"]>>().toEqualTypeOf<
      Effect.Effect<AuthorizationRecord.AuthorizationRecord, PayScorePermissions.QueryByAuthorizationCodeError>
    >()
  })

  const answer = (reply: FakeWechatPay.Reply) =>
    program.pipe(Effect.result, Effect.provide(makeFake(() => reply, { retries: 0 }).layer))

  it.effect("NotFound is caught", () =>
    Effect.gen(function*() {
      const result = yield* answer({ status: 404, body: { code: "NOT_FOUND", message: "nope" } })
      expect(result).toEqual(Result.succeed("not found: NOT_FOUND"))
    }))

  it.effect("FrequencyLimited is caught", () =>
    Effect.gen(function*() {
      const result = yield* answer({ status: 429, body: { code: "FREQUENCY_LIMITED", message: "slow" } })
      expect(result).toEqual(Result.succeed("slow down: 429"))
    }))

  it.effect("other errors pass through", () =>
    Effect.gen(function*() {
      const result = yield* answer({ status: 403, body: { code: "NO_AUTH", message: "no" } })
      expect(Result.isFailure(result) && result.failure._tag).toBe("NoAuth")
    }))

  it.effect("a success is untouched", () =>
    Effect.gen(function*() {
      const result = yield* answer({
        body: { ...endpoints[0]!.full, authorization_state: "AVAILABLE" }
      })
      expect(result).toEqual(Result.succeed("authorized"))
    }))
})
