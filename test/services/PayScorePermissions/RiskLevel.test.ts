/**
 * `assessUserRiskLevel` (评估用户分层, `POST /v3/payscore/permissions/assess-user-risk-level`): every
 * field rule at its limit and one past it, the authorization_code / openid rule both ways (nothing
 * sent when refused), the documented sample byte for byte, the record decoded into its tagged
 * union over a fake WeChat Pay that signs for real (every state, every documented error code, no
 * retry of the POST), and the sandbox over real HTTP (levels of seeded and applied records).
 */
import { describe, expect, expectTypeOf, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import * as Fs from "node:fs"
import { SIGN_ERROR_HINT } from "../../../src/core/apiError.js"
import type { SceneRequests, UserRiskLevel } from "../../../src/index.js"
import { PayScorePermissions } from "../../../src/index.js"
import { FakeWechatPay, Sandbox } from "../../../src/testing/index.js"
import { makeFake, verifyRequestSignature } from "../../helpers/merchant.js"
import {
  APPID,
  CODE,
  lastRequest,
  OPENID,
  permissions,
  rawSigned,
  requests,
  sandboxLayer,
  type Sent,
  SERVICE_ID,
  signatureHolds,
  utf8
} from "../../helpers/sandbox.js"

type Params = UserRiskLevel.AssessUserRiskLevelParams
type Goods = UserRiskLevel.Goods

const sample = (kind: string, name: string): { readonly sample: Record<string, unknown> } =>
  JSON.parse(Fs.readFileSync(new URL(`../../fixtures/wechatpay/${kind}/${name}.json`, import.meta.url), "utf8"))

const GOODS: Goods = {
  name: "森海塞尔 MOMENTUM 4 无线耳机",
  picture: "https://merchant.example.com/goods/1.png",
  amount: 550,
  count: 1,
  category_id: ["6032"]
}
const byCode: Params = { service_id: SERVICE_ID, appid: APPID, authorization_code: CODE }
const byOpenid: Params = { service_id: SERVICE_ID, appid: APPID, openid: OPENID }
const withGoods = (goods: ReadonlyArray<unknown>): Params =>
  ({ ...byCode, shopping_info: { goods } }) as unknown as Params
const untyped = (value: unknown): Params => value as Params

const RECORD = sample("answer", "risk-assess-user-risk-level").sample

describe("assessUserRiskLevel: inputs, checked before anything is sent", () => {
  const fake = makeFake(() => ({ body: RECORD }))
  const call = (params: Params) =>
    Effect.flatMap(PayScorePermissions.PayScorePermissions, (p) => p.assessUserRiskLevel(params)).pipe(
      Effect.either,
      Effect.provide(fake.layer)
    )
  const refusedOn = (field: string) => (result: Either.Either<unknown, { readonly _tag: string }>) => {
    expect(Either.isLeft(result)).toBe(true)
    if (Either.isLeft(result)) {
      expect(result.left._tag).toBe("InvalidInput")
      expect((result.left as { readonly field?: string }).field).toBe(field)
    }
  }

  const limits: ReadonlyArray<readonly [string, number, (v: string) => Params]> = [
    ["service_id", 32, (v) => ({ ...byCode, service_id: v })],
    ["appid", 32, (v) => ({ ...byCode, appid: v })],
    ["authorization_code", 32, (v) => ({ ...byCode, authorization_code: v })],
    ["openid", 128, (v) => ({ ...byOpenid, openid: v })],
    ["shopping_info.goods.0.category_id.0", 32, (v) => withGoods([{ ...GOODS, category_id: [v] }])]
  ]
  for (const [field, max, make] of limits) {
    it.effect(`${field}: ${max} characters pass, ${max + 1} and empty are InvalidInput naming it`, () =>
      Effect.gen(function*() {
        const before = fake.received.length
        expect(Either.isRight(yield* call(make("1".repeat(max))))).toBe(true)
        refusedOn(field)(yield* call(make("1".repeat(max + 1))))
        refusedOn(field)(yield* call(make("")))
        expect(fake.received.length).toBe(before + 1)
      }))
  }

  it.effect("authorization_code / openid both ways: neither is refused (naming authorization_code); either or both pass", () =>
    Effect.gen(function*() {
      const before = fake.received.length
      const neither = yield* call({ service_id: SERVICE_ID, appid: APPID })
      refusedOn("authorization_code")(neither)
      if (Either.isLeft(neither) && neither.left._tag === "InvalidInput") {
        expect(neither.left.message).toBe("authorization_code or openid is required (at least one of them)")
      }
      expect(fake.received.length).toBe(before)
      expect(Either.isRight(yield* call(byCode))).toBe(true)
      expect(Either.isRight(yield* call(byOpenid))).toBe(true)
      // the documentation says 二选一 and its own example sends both: accepted
      expect(Either.isRight(yield* call({ ...byCode, openid: OPENID }))).toBe(true)
      expect(fake.received.length).toBe(before + 3)
    }))

  it.effect("goods: amount 0 passes, -1 and 1.5 fail; count 1 passes, 0 fails; the field is named", () =>
    Effect.gen(function*() {
      expect(Either.isRight(yield* call(withGoods([{ ...GOODS, amount: 0 }])))).toBe(true)
      refusedOn("shopping_info.goods.0.amount")(yield* call(withGoods([{ ...GOODS, amount: -1 }])))
      refusedOn("shopping_info.goods.0.amount")(yield* call(withGoods([{ ...GOODS, amount: 1.5 }])))
      expect(Either.isRight(yield* call(withGoods([{ ...GOODS, count: 1 }])))).toBe(true)
      refusedOn("shopping_info.goods.0.count")(yield* call(withGoods([{ ...GOODS, count: 0 }])))
      refusedOn("shopping_info.goods.1.count")(yield* call(withGoods([GOODS, { ...GOODS, count: 2.5 }])))
    }))

  it.effect("goods: at least one (0 refused, 1 passes); name, picture, amount, count required; category_id optional but not empty", () =>
    Effect.gen(function*() {
      refusedOn("shopping_info.goods")(yield* call(withGoods([])))
      expect(Either.isRight(yield* call(withGoods([GOODS])))).toBe(true)
      for (const name of ["name", "picture", "amount", "count"] as const) {
        const { [name]: _, ...without } = GOODS
        refusedOn(`shopping_info.goods.0.${name}`)(yield* call(withGoods([without])))
      }
      const { category_id: _, ...noCategory } = GOODS
      expect(Either.isRight(yield* call(withGoods([noCategory])))).toBe(true)
      refusedOn("shopping_info.goods.0.category_id")(yield* call(withGoods([{ ...GOODS, category_id: [] }])))
      refusedOn("shopping_info.goods")(yield* call(untyped({ ...byCode, shopping_info: {} })))
    }))

  it.effect("goods name: any script, no control characters, not empty; picture: absolute http(s) URL in ASCII", () =>
    Effect.gen(function*() {
      refusedOn("shopping_info.goods.0.name")(yield* call(withGoods([{ ...GOODS, name: "" }])))
      refusedOn("shopping_info.goods.0.name")(yield* call(withGoods([{ ...GOODS, name: "耳机\n" }])))
      refusedOn("shopping_info.goods.0.name")(yield* call(withGoods([{ ...GOODS, name: "\ud800" }])))
      for (const picture of ["/goods/1.png", "ftp://e.com/1.png", "https://e.com/图.png", "https://e.com/a b.png"]) {
        refusedOn("shopping_info.goods.0.picture")(yield* call(withGoods([{ ...GOODS, picture }])))
      }
      expect(Either.isRight(yield* call(withGoods([{ ...GOODS, picture: "http://e.com/1.png?x=1&y=2" }])))).toBe(true)
    }))
})

describe("assessUserRiskLevel over a fake WeChat Pay that signs its answers", () => {
  const assess = (layer: ReturnType<typeof makeFake>["layer"], params: Params = byCode) =>
    Effect.flatMap(PayScorePermissions.PayScorePermissions, (p) => p.assessUserRiskLevel(params)).pipe(
      Effect.provide(layer)
    )

  it.effect("the documented request: body serialised once in the documented order (nested too), signed byte for byte", () =>
    Effect.gen(function*() {
      const request = sample("request", "risk-assess-user-risk-level").sample
      const fake = makeFake(() => ({ body: RECORD }))
      yield* assess(fake.layer, request as unknown as Params)
      expect(fake.received).toHaveLength(1)
      const wire = fake.received[0]!
      expect(wire.method).toBe("POST")
      expect(wire.url.pathname + wire.url.search).toBe("/v3/payscore/permissions/assess-user-risk-level")
      expect(wire.body).toBe(JSON.stringify(request))
      expect(yield* verifyRequestSignature(wire)).toBe(true)
    }))

  it.effect("the caller's key order does not matter; absent optionals are left out", () =>
    Effect.gen(function*() {
      const fake = makeFake(() => ({ body: RECORD }))
      yield* assess(fake.layer, {
        shopping_info: { goods: [{ count: 2, amount: 100, picture: "https://e.com/1.png", name: "伞" }] },
        openid: OPENID,
        appid: APPID,
        service_id: SERVICE_ID
      })
      expect(fake.received[0]!.body).toBe(
        `{"service_id":"${SERVICE_ID}","appid":"${APPID}","openid":"${OPENID}",` +
          `"shopping_info":{"goods":[{"name":"伞","picture":"https://e.com/1.png","amount":100,"count":2}]}}`
      )
    }))

  it.effect("the documented answer: Unavailable, every field under its wire name, times as DateTime, level a number", () =>
    Effect.gen(function*() {
      const fake = makeFake(() => ({ body: RECORD }))
      const record = yield* assess(fake.layer)
      expect(record._tag).toBe("Unavailable")
      expect(record.authorization_state).toBe("UNAVAILABLE")
      expect(record.authorization_code).toBe("1275342195190894594")
      expect([record.user_risk_level, record.risk_level_version, record.user_label, record.channel_id]).toEqual([
        1,
        1,
        "A",
        "1230000109"
      ])
      expect(record.cancel_authorization_time?.epochMillis).toBe(Date.UTC(2015, 4, 20, 5, 29, 35))
      expect(record.service_id).toBe("2002000000000558128851361561536")
    }))

  const states: ReadonlyArray<readonly [string, string]> = [
    ["AVAILABLE", "Available"],
    ["UNAVAILABLE", "Unavailable"],
    ["UNBINDUSER", "UnbindUser"],
    ["FROZEN", "UnknownState"]
  ]
  for (const [state, tag] of states) {
    it.effect(`authorization_state ${state}: ${tag}; the minimal answer (required fields only) decodes`, () =>
      Effect.gen(function*() {
        const fake = makeFake(() => ({
          body: { service_id: SERVICE_ID, appid: APPID, mchid: "1230000109", authorization_state: state }
        }))
        const record = yield* assess(fake.layer)
        expect(record._tag).toBe(tag)
        expect(record.authorization_state).toBe(state)
        expect(record.user_risk_level).toBeUndefined()
      }))
  }

  it.effect("a level not seen before (e.g. 7, version 3) is data; a level that is not a number is DecodeError", () =>
    Effect.gen(function*() {
      const seven = yield* assess(
        makeFake(() => ({ body: { ...RECORD, user_risk_level: 7, risk_level_version: 3 } })).layer
      )
      expect([seven.user_risk_level, seven.risk_level_version]).toEqual([7, 3])
      for (const body of [{ ...RECORD, user_risk_level: "1" }, { ...RECORD, mchid: undefined }, "[]"]) {
        const error = yield* Effect.flip(assess(makeFake(() => ({ body })).layer))
        expect(error._tag).toBe("DecodeError")
      }
    }))

  it.effect("a tampered answer: VerificationError BadSignature, nothing decoded", () =>
    Effect.gen(function*() {
      const fake = makeFake(() => ({
        body: { ...RECORD, user_risk_level: 9 },
        signedBody: JSON.stringify(RECORD)
      }))
      const error = yield* Effect.flip(assess(fake.layer))
      expect(error._tag === "VerificationError" && error.reason).toBe("BadSignature")
      const stranger = yield* Effect.flip(
        assess(makeFake(() => ({ body: RECORD, signWith: FakeWechatPay.keys.stranger })).layer)
      )
      expect(stranger._tag).toBe("VerificationError")
    }))

  const errors: ReadonlyArray<readonly [number, string, string]> = [
    [400, "PARAM_ERROR", "ParamError"],
    [400, "INVALID_REQUEST", "InvalidRequest"],
    [401, "SIGN_ERROR", "SignError"],
    [403, "NO_AUTH", "NoAuth"],
    [404, "NOT_FOUND", "NotFound"],
    [404, "ORDER_NOT_EXIST", "NotFound"],
    [429, "FREQUENCY_LIMITED", "FrequencyLimited"],
    [500, "SYSTEM_ERROR", "SystemError"]
  ]
  for (const [status, code, tag] of errors) {
    it.effect(`${status} ${code}: ${tag} with status, code and message; the POST is sent once`, () =>
      Effect.gen(function*() {
        const fake = makeFake(() => ({ status, body: { code, message: `文档的 ${code}` } }))
        const error = yield* Effect.flip(assess(fake.layer))
        expect(error._tag).toBe(tag)
        if ("status" in error && "code" in error) {
          expect([error.status, error.code, error.message]).toEqual([
            status,
            code,
            `文档的 ${code}${code === "SIGN_ERROR" ? SIGN_ERROR_HINT : ""}`
          ])
        } else expect.unreachable(`not an API error: ${error._tag}`)
        expect(fake.received).toHaveLength(1)
      }))
  }
})

describe("assessUserRiskLevel against the sandbox over real HTTP", () => {
  const seeded = Sandbox.Seed.Merchant({
    authorization_code: CODE,
    service_id: SERVICE_ID,
    record: {
      authorization_state: "AVAILABLE",
      appid: APPID,
      openid: OPENID,
      user_risk_level: 3,
      risk_level_version: 2,
      user_label: "B"
    }
  })
  const sent: Array<Sent> = []

  it.live("by authorization_code: the seeded record with its level; the body is signed byte for byte", () =>
    Effect.gen(function*() {
      const p = yield* permissions
      const record = yield* p.assessUserRiskLevel({ ...byCode, shopping_info: { goods: [GOODS] } })
      expect(record._tag).toBe("Available")
      expect([record.user_risk_level, record.risk_level_version, record.user_label, record.openid]).toEqual([
        3,
        2,
        "B",
        OPENID
      ])
      expect(sent).toHaveLength(1)
      expect(yield* signatureHolds(sent[0]!)).toBe(true)
      const logged = yield* lastRequest
      expect([logged.url, logged.body, logged.signatureVerified, logged.status]).toEqual([
        "/v3/payscore/permissions/assess-user-risk-level",
        sent[0]!.body,
        true,
        200
      ])
    }).pipe(Effect.provide(sandboxLayer({ records: [seeded] }, sent))))

  it.live("apply → UNBINDUSER (no level yet) → the user binds → by openid: Available, level 1 version 1 by default", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.Sandbox
      const p = yield* permissions
      yield* p.applyPermissions({ service_id: SERVICE_ID, appid: APPID, authorization_code: CODE })
      const pending = yield* p.assessUserRiskLevel(byCode)
      expect([pending._tag, pending.user_risk_level]).toEqual(["UnbindUser", undefined])
      yield* sandbox.bindUser({ authorization_code: CODE, openid: OPENID })
      const bound = yield* p.assessUserRiskLevel(byOpenid)
      expect([bound._tag, bound.authorization_code, bound.user_risk_level, bound.risk_level_version]).toEqual([
        "Available",
        CODE,
        1,
        1
      ])
      const both = yield* p.assessUserRiskLevel({ ...byCode, openid: OPENID })
      expect(both._tag).toBe("Available")
      // terminated: Unavailable, still assessed
      yield* p.terminateByAuthorizationCode({ authorization_code: CODE, service_id: SERVICE_ID, reason: "用户投诉" })
      const ended = yield* p.assessUserRiskLevel(byCode)
      expect(ended._tag).toBe("Unavailable")
      expect(ended.cancel_authorization_time).toBeDefined()
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("no such authorization (code, openid, or another appid): 404 NotFound; code and openid of different users: 400 InvalidRequest", () =>
    Effect.gen(function*() {
      const p = yield* permissions
      const missing = yield* Effect.flip(p.assessUserRiskLevel({ ...byCode, authorization_code: "nobody" }))
      expect(missing._tag).toBe("NotFound")
      if (missing._tag === "NotFound") expect(missing.message).toContain("authorization_code=nobody")
      expect((yield* Effect.flip(p.assessUserRiskLevel({ ...byOpenid, openid: "someone-else" })))._tag).toBe("NotFound")
      expect((yield* Effect.flip(p.assessUserRiskLevel({ ...byCode, appid: "wx0000000000000000" })))._tag).toBe(
        "NotFound"
      )
      const mismatch = yield* Effect.flip(p.assessUserRiskLevel({ ...byCode, openid: "someone-else" }))
      expect(mismatch._tag).toBe("InvalidRequest")
    }).pipe(Effect.provide(sandboxLayer({ records: [seeded] }))))

  it.live("faults: 403, 429, 500 are typed and each POST is sent once", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.Sandbox
      const p = yield* permissions
      for (const [status, tag] of [[403, "NoAuth"], [429, "FrequencyLimited"], [500, "SystemError"]] as const) {
        const before = (yield* requests).length
        yield* sandbox.injectFault(Sandbox.Fault.Status({ status }))
        expect((yield* Effect.flip(p.assessUserRiskLevel(byCode)))._tag).toBe(tag)
        expect((yield* requests).length).toBe(before + 1)
      }
    }).pipe(Effect.provide(sandboxLayer({ records: [seeded], client: { retries: 2 } }))))

  it.live("by hand: the sandbox's own checks answer 400 PARAM_ERROR naming the field", () =>
    Effect.gen(function*() {
      const path = "/v3/payscore/permissions/assess-user-risk-level"
      const post = (body: unknown) =>
        rawSigned({
          method: "POST",
          path,
          body: utf8(JSON.stringify(body)),
          headers: { "content-type": "application/json" }
        })
      const cases: ReadonlyArray<readonly [unknown, string]> = [
        [{ service_id: SERVICE_ID, appid: APPID }, "authorization_code"],
        [{ ...byCode, openid: "o".repeat(129) }, "openid"],
        [{ ...byCode, shopping_info: { goods: [] } }, "shopping_info.goods"],
        [{ ...byCode, shopping_info: { goods: [{ ...GOODS, count: 0 }] } }, "shopping_info.goods[0].count"],
        [{ ...byCode, shopping_info: { goods: [{ ...GOODS, amount: -1 }] } }, "shopping_info.goods[0].amount"],
        [{ ...byCode, shopping_info: { goods: [{ ...GOODS, name: undefined }] } }, "shopping_info.goods[0].name"]
      ]
      for (const [body, field] of cases) {
        const answer = yield* post(body)
        expect([answer.status, answer.json.code]).toEqual([400, "PARAM_ERROR"])
        expect((answer.json.detail as { field?: string }).field).toBe(field)
      }
      expect((yield* rawSigned({ method: "GET", path, body: new Uint8Array() })).status).toBe(405)
    }).pipe(Effect.provide(sandboxLayer({ records: [seeded] }))))
})

describe("the types of the two methods", () => {
  type Service = PayScorePermissions.PayScorePermissions.Service
  it("each method has its own exported error union, with InvalidInput and the API errors in it", () => {
    type AssessError = Effect.Effect.Error<ReturnType<Service["assessUserRiskLevel"]>>
    type SceneError = Effect.Effect.Error<ReturnType<Service["applyPartnerPermissionsForScene"]>>
    expectTypeOf<AssessError>().toEqualTypeOf<PayScorePermissions.AssessUserRiskLevelError>()
    expectTypeOf<SceneError>().toEqualTypeOf<PayScorePermissions.ApplyPartnerPermissionsForSceneError>()
    expectTypeOf<Effect.Effect.Success<ReturnType<Service["assessUserRiskLevel"]>>>().toEqualTypeOf<
      UserRiskLevel.UserRiskLevelRecord
    >()
    expectTypeOf<Effect.Effect.Success<ReturnType<Service["applyPartnerPermissionsForScene"]>>>().toEqualTypeOf<
      SceneRequests.ApplyForSceneResult
    >()
    type Tags<E> = E extends { readonly _tag: infer T } ? T : never
    const tags: ReadonlyArray<Tags<AssessError>> = [
      "InvalidInput",
      "ParamError",
      "InvalidRequest",
      "SignError",
      "NoAuth",
      "NotFound",
      "FrequencyLimited",
      "SystemError",
      "ApiError",
      "VerificationError",
      "TransportError",
      "DecodeError"
    ]
    const sceneTags: ReadonlyArray<Tags<SceneError>> = tags
    expect(sceneTags).toHaveLength(12)
    expectTypeOf<Tags<SceneRequests.ApplyForSceneResult>>().toEqualTypeOf<"Transaction" | "UnknownScene">()
    expectTypeOf<Tags<UserRiskLevel.UserRiskLevelRecord>>().toEqualTypeOf<
      "Available" | "Unavailable" | "UnbindUser" | "UnknownState"
    >()
  })
})
