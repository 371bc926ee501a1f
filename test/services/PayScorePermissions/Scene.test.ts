/**
 * `applyPartnerPermissionsForScene` (服务商场景中预授权, `POST /v3/payscore/partner/permissions/apply-for-scene`):
 * every field rule at its limit and one past it, the scene / transaction_scene_info rule both
 * ways (nothing sent when refused), the documented sample byte for byte, the tagged answer over a
 * fake WeChat Pay that signs for real (every variant, every documented error code, no retry of
 * the POST), and the sandbox over real HTTP (the record it creates, its errors).
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import * as Fs from "node:fs"
import { SIGN_ERROR_HINT } from "../../../src/core/apiError.js"
import type { SceneRequests } from "../../../src/index.js"
import { PayScorePermissions } from "../../../src/index.js"
import { FakeWechatPay, Sandbox } from "../../../src/testing/index.js"
import { makeFake, verifyRequestSignature } from "../../helpers/merchant.js"
import {
  APPID,
  CODE,
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

type Params = SceneRequests.ApplyPartnerPermissionsForSceneParams

const sample = (kind: string, name: string): { readonly sample: Record<string, unknown>; readonly source: string } =>
  JSON.parse(Fs.readFileSync(new URL(`../../fixtures/wechatpay/${kind}/${name}.json`, import.meta.url), "utf8"))

const PARTNER_MCHID = "1230000109"
const base: Params = {
  service_id: SERVICE_ID,
  appid: APPID,
  sub_mchid: SUB_MCHID,
  authorization_code: CODE,
  scene: "TRANSACTION",
  transaction_scene_info: { mchid: PARTNER_MCHID, sub_mchid: SUB_MCHID }
}
const untyped = (value: unknown): Params => value as Params

const TOKEN_ANSWER = { scene: "TRANSACTION", transaction_permissions_token: "transaction_permissions_token" }

describe("applyPartnerPermissionsForScene: inputs, checked before anything is sent", () => {
  const fake = makeFake(() => ({ body: TOKEN_ANSWER }))
  const call = (params: Params) =>
    Effect.flatMap(PayScorePermissions.PayScorePermissions, (p) => p.applyPartnerPermissionsForScene(params)).pipe(
      Effect.either,
      Effect.provide(fake.layer)
    )

  const limits: ReadonlyArray<readonly [string, number, (v: string) => Params]> = [
    ["service_id", 32, (v) => ({ ...base, service_id: v })],
    ["appid", 32, (v) => ({ ...base, appid: v })],
    ["sub_appid", 32, (v) => ({ ...base, sub_appid: v })],
    ["sub_mchid", 32, (v) => ({ ...base, sub_mchid: v })],
    ["authorization_code", 32, (v) => ({ ...base, authorization_code: v })],
    [
      "transaction_scene_info.mchid",
      32,
      (v) => ({ ...base, transaction_scene_info: { mchid: v, sub_mchid: SUB_MCHID } })
    ],
    [
      "transaction_scene_info.sub_mchid",
      32,
      (v) => ({ ...base, transaction_scene_info: { mchid: PARTNER_MCHID, sub_mchid: v } })
    ]
  ]
  for (const [field, max, make] of limits) {
    it.effect(`${field}: ${max} characters pass, ${max + 1} and empty are InvalidInput naming it`, () =>
      Effect.gen(function*() {
        const before = fake.received.length
        expect(Either.isRight(yield* call(make("1".repeat(max))))).toBe(true)
        expect(fake.received.length).toBe(before + 1)
        for (const bad of ["1".repeat(max + 1), ""]) {
          const result = yield* call(make(bad))
          expect(Either.isLeft(result)).toBe(true)
          if (Either.isLeft(result)) {
            expect(result.left._tag).toBe("InvalidInput")
            if (result.left._tag === "InvalidInput") expect(result.left.field).toBe(field)
          }
        }
        expect(fake.received.length).toBe(before + 1)
      }))
  }

  it.effect("notify_url: 255 characters pass (the documented string(255)), 256 fail; a relative or ftp URL fails", () =>
    Effect.gen(function*() {
      const url255 = `https://e.com/${"a".repeat(241)}`
      expect(url255.length).toBe(255)
      expect(Either.isRight(yield* call({ ...base, notify_url: url255 }))).toBe(true)
      for (const bad of [`${url255}a`, "merchant.example.com/notify", "ftp://merchant.example.com/notify"]) {
        const result = yield* call({ ...base, notify_url: bad })
        expect(Either.isLeft(result) && result.left._tag === "InvalidInput" && result.left.field).toBe("notify_url")
      }
    }))

  it.effect("scene is an enum: TRANSACTION passes; anything else (lower case, empty, another word) is refused", () =>
    Effect.gen(function*() {
      const before = fake.received.length
      for (const scene of ["transaction", "", "PAYMENT", "TRANSACTION "]) {
        const result = yield* call(untyped({ ...base, scene }))
        expect(Either.isLeft(result) && result.left._tag === "InvalidInput" && result.left.field).toBe("scene")
        expect(Either.isLeft(result) && result.left.message).toBe(
          `scene must be TRANSACTION (the one documented scene), not ${JSON.stringify(scene)}`
        )
      }
      const { scene: _, ...withoutScene } = base
      const missing = yield* call(untyped(withoutScene))
      expect(Either.isLeft(missing) && missing.left._tag === "InvalidInput" && missing.left.message).toBe(
        "scene is required"
      )
      expect(fake.received.length).toBe(before)
    }))

  it.effect("transaction_scene_info both ways: required with TRANSACTION (named), and given it passes", () =>
    Effect.gen(function*() {
      const before = fake.received.length
      const { transaction_scene_info: _, ...without } = base
      const refused = yield* call(without)
      expect(Either.isLeft(refused)).toBe(true)
      if (Either.isLeft(refused) && refused.left._tag === "InvalidInput") {
        expect(refused.left.field).toBe("transaction_scene_info")
        expect(refused.left.message).toBe("transaction_scene_info is required when scene is TRANSACTION")
      } else expect.unreachable("not InvalidInput")
      expect(fake.received.length).toBe(before)
      expect(Either.isRight(yield* call(base))).toBe(true)
      expect(fake.received.length).toBe(before + 1)
      const partial = yield* call(untyped({ ...base, transaction_scene_info: { mchid: PARTNER_MCHID } }))
      expect(Either.isLeft(partial) && partial.left._tag === "InvalidInput" && partial.left.field).toBe(
        "transaction_scene_info.sub_mchid"
      )
    }))

  it.effect("authorization_code: no path-breaking or non-ASCII characters (the sample's 实例 prefix is refused)", () =>
    Effect.gen(function*() {
      for (const bad of ["实例1234323JKHDFE1243252", "a/b", "a b", "..", "a%2F"]) {
        const result = yield* call({ ...base, authorization_code: bad })
        expect(Either.isLeft(result) && result.left._tag === "InvalidInput" && result.left.field).toBe(
          "authorization_code"
        )
      }
    }))
})

describe("applyPartnerPermissionsForScene over a fake WeChat Pay that signs its answers", () => {
  it.effect("the documented sample: body serialised once, in the documented order, signed byte for byte", () =>
    Effect.gen(function*() {
      const request = sample("request", "scene-apply-partner-permissions-for-scene").sample
      // the sample's placeholder code (实例…) breaks the documented character rule: same field, ASCII value
      const params = { ...request, authorization_code: "1234323JKHDFE1243252" } as unknown as Params
      const fake = makeFake(() => ({ body: sample("answer", "scene-apply-partner-permissions-for-scene").sample }))
      const result = yield* Effect.flatMap(
        PayScorePermissions.PayScorePermissions,
        (p) => p.applyPartnerPermissionsForScene(params)
      ).pipe(Effect.provide(fake.layer))
      expect(result).toEqual({ _tag: "Transaction", ...TOKEN_ANSWER })
      expect(fake.received).toHaveLength(1)
      const wire = fake.received[0]!
      expect(wire.method).toBe("POST")
      expect(wire.url.pathname + wire.url.search).toBe("/v3/payscore/partner/permissions/apply-for-scene")
      expect(wire.body).toBe(JSON.stringify({ ...request, authorization_code: "1234323JKHDFE1243252" }))
      expect(Object.keys(JSON.parse(wire.body))).toEqual(Object.keys(request))
      expect(wire.headers["content-type"]).toBe("application/json")
      expect(yield* verifyRequestSignature(wire)).toBe(true)
    }))

  it.effect("keys in the documented order whatever the caller's order; absent optionals left out", () =>
    Effect.gen(function*() {
      const fake = makeFake(() => ({ body: TOKEN_ANSWER }))
      yield* Effect.flatMap(PayScorePermissions.PayScorePermissions, (p) =>
        p.applyPartnerPermissionsForScene({
          transaction_scene_info: { sub_mchid: SUB_MCHID, mchid: PARTNER_MCHID },
          scene: "TRANSACTION",
          authorization_code: CODE,
          sub_mchid: SUB_MCHID,
          appid: APPID,
          service_id: SERVICE_ID
        })).pipe(Effect.provide(fake.layer))
      expect(fake.received[0]!.body).toBe(
        `{"service_id":"${SERVICE_ID}","appid":"${APPID}","sub_mchid":"${SUB_MCHID}","authorization_code":"${CODE}",` +
          `"scene":"TRANSACTION","transaction_scene_info":{"mchid":"${PARTNER_MCHID}","sub_mchid":"${SUB_MCHID}"}}`
      )
    }))

  const answers: ReadonlyArray<readonly [string, unknown, Record<string, unknown>]> = [
    ["TRANSACTION with a token", TOKEN_ANSWER, { _tag: "Transaction", ...TOKEN_ANSWER }],
    ["TRANSACTION without a token (optional)", { scene: "TRANSACTION" }, { _tag: "Transaction", scene: "TRANSACTION" }],
    [
      "a scene not known yet: UnknownScene, data not a failure",
      { scene: "OFFLINE_STORE", transaction_permissions_token: "t" },
      { _tag: "UnknownScene", scene: "OFFLINE_STORE", transaction_permissions_token: "t" }
    ],
    [
      "unknown fields are ignored",
      { ...TOKEN_ANSWER, new_field: 1 },
      { _tag: "Transaction", ...TOKEN_ANSWER }
    ]
  ]
  for (const [name, body, expected] of answers) {
    it.effect(`200 ${name}`, () =>
      Effect.gen(function*() {
        const fake = makeFake(() => ({ body }))
        const result = yield* Effect.flatMap(
          PayScorePermissions.PayScorePermissions,
          (p) => p.applyPartnerPermissionsForScene(base)
        ).pipe(Effect.provide(fake.layer))
        expect(result).toEqual(expected)
      }))
  }

  it.effect("200 without scene, or scene not a string: DecodeError", () =>
    Effect.gen(function*() {
      for (const body of [{ transaction_permissions_token: "t" }, { scene: 1 }, "not json"]) {
        const fake = makeFake(() => ({ body }))
        const error = yield* Effect.flip(
          Effect.flatMap(PayScorePermissions.PayScorePermissions, (p) => p.applyPartnerPermissionsForScene(base)).pipe(
            Effect.provide(fake.layer)
          )
        )
        expect(error._tag).toBe("DecodeError")
      }
    }))

  it.effect("a 200 signed by a stranger: VerificationError BadSignature", () =>
    Effect.gen(function*() {
      const fake = makeFake(() => ({ body: TOKEN_ANSWER, signWith: FakeWechatPay.keys.stranger }))
      const error = yield* Effect.flip(
        Effect.flatMap(PayScorePermissions.PayScorePermissions, (p) => p.applyPartnerPermissionsForScene(base)).pipe(
          Effect.provide(fake.layer)
        )
      )
      expect(error._tag === "VerificationError" && error.reason).toBe("BadSignature")
    }))

  const errors: ReadonlyArray<readonly [number, string, string]> = [
    [400, "PARAM_ERROR", "ParamError"],
    [400, "INVALID_REQUEST", "InvalidRequest"],
    [401, "SIGN_ERROR", "SignError"],
    [403, "NO_AUTH", "NoAuth"],
    [404, "NOT_FOUND", "NotFound"],
    [429, "FREQUENCY_LIMITED", "FrequencyLimited"],
    [500, "SYSTEM_ERROR", "SystemError"]
  ]
  for (const [status, code, tag] of errors) {
    it.effect(`${status} ${code}: ${tag}, status, code, message and requestId kept; the POST is sent once`, () =>
      Effect.gen(function*() {
        const fake = makeFake(() => ({ status, body: { code, message: `文档的 ${code}` } }))
        const error = yield* Effect.flip(
          Effect.flatMap(PayScorePermissions.PayScorePermissions, (p) => p.applyPartnerPermissionsForScene(base)).pipe(
            Effect.provide(fake.layer)
          )
        )
        expect(error._tag).toBe(tag)
        if ("status" in error && "code" in error) {
          expect([error.status, error.code, error.message]).toEqual([
            status,
            code,
            `文档的 ${code}${code === "SIGN_ERROR" ? SIGN_ERROR_HINT : ""}`
          ])
          expect(error.requestId).toBe("08F0B0B5B00610B8F4B1C3B0F4A39D2F1A0018E4BE0320A0F10628D3C50430F7")
        } else expect.unreachable(`not an API error: ${error._tag}`)
        // retries: 2 by default, yet a POST answered 429 / 5xx may have been acted on: not retried
        expect(fake.received).toHaveLength(1)
      }))
  }
})

describe("applyPartnerPermissionsForScene against the sandbox over real HTTP", () => {
  const sent: Array<Sent> = []
  it.live("200 Transaction with a token; the body is sent and signed byte for byte; the record is UNBINDUSER", () =>
    Effect.gen(function*() {
      const p = yield* permissions
      const result = yield* p.applyPartnerPermissionsForScene({ ...base, sub_appid: SUB_APPID, notify_url: NOTIFY_URL })
      expect(result._tag).toBe("Transaction")
      expect(result.scene).toBe("TRANSACTION")
      expect(result.transaction_permissions_token).toMatch(/^[0-9a-f]{40}$/)
      const expected = `{"service_id":"${SERVICE_ID}","appid":"${APPID}","sub_appid":"${SUB_APPID}",` +
        `"sub_mchid":"${SUB_MCHID}","authorization_code":"${CODE}","notify_url":"${NOTIFY_URL}",` +
        `"scene":"TRANSACTION","transaction_scene_info":{"mchid":"${PARTNER_MCHID}","sub_mchid":"${SUB_MCHID}"}}`
      expect(sent).toHaveLength(1)
      expect(sent[0]!.body).toBe(expected)
      expect(yield* signatureHolds(sent[0]!)).toBe(true)
      const logged = yield* lastRequest
      expect([logged.method, logged.url, logged.body, logged.signatureVerified, logged.status]).toEqual([
        "POST",
        "/v3/payscore/partner/permissions/apply-for-scene",
        expected,
        true,
        200
      ])

      const record = yield* p.queryPartnerByAuthorizationCode({
        authorization_code: CODE,
        service_id: SERVICE_ID,
        sub_mchid: SUB_MCHID
      })
      expect(record._tag).toBe("UnbindUser")
      expect([record.sub_appid, record.notify_url]).toEqual([SUB_APPID, NOTIFY_URL])
    }).pipe(Effect.provide(sandboxLayer({}, sent))))

  it.live("the user binds: AVAILABLE, found by the partner search; the code is then taken (400 INVALID_REQUEST)", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.Sandbox
      const p = yield* permissions
      const first = yield* p.applyPartnerPermissionsForScene({ ...base, sub_appid: SUB_APPID })
      // re-applying while UNBINDUSER is accepted (a new token), like applyPartnerPermissions
      const second = yield* p.applyPartnerPermissionsForScene({ ...base, sub_appid: SUB_APPID })
      expect(second.transaction_permissions_token).not.toBe(first.transaction_permissions_token)
      yield* sandbox.bindUser({ authorization_code: CODE, openid: OPENID, sub_openid: SUB_OPENID })
      const found = yield* p.queryPartnerByOpenid({
        service_id: SERVICE_ID,
        appid: APPID,
        sub_mchid: SUB_MCHID,
        openid: OPENID
      })
      expect([found._tag, found.authorization_code]).toEqual(["Available", CODE])
      const taken = yield* Effect.flip(p.applyPartnerPermissionsForScene(base))
      expect(taken._tag).toBe("InvalidRequest")
      if (taken._tag === "InvalidRequest") expect(taken.message).toContain("AVAILABLE")
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("faults: 403 NO_AUTH, 429, 500 (each sent once), and nothing is created", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.Sandbox
      const p = yield* permissions
      for (const [status, tag] of [[403, "NoAuth"], [429, "FrequencyLimited"], [500, "SystemError"]] as const) {
        const before = (yield* requests).length
        yield* sandbox.injectFault(Sandbox.Fault.Status({ status }))
        const error = yield* Effect.flip(p.applyPartnerPermissionsForScene(base))
        expect(error._tag).toBe(tag)
        expect((yield* requests).length).toBe(before + 1)
      }
      const missing = yield* Effect.flip(
        p.queryPartnerByAuthorizationCode({ authorization_code: CODE, service_id: SERVICE_ID, sub_mchid: SUB_MCHID })
      )
      expect(missing._tag).toBe("NotFound")
    }).pipe(Effect.provide(sandboxLayer({ client: { retries: 2 } }))))

  it.live("by hand: the sandbox's own checks (scene, transaction_scene_info, lengths) answer 400 PARAM_ERROR", () =>
    Effect.gen(function*() {
      const path = "/v3/payscore/partner/permissions/apply-for-scene"
      const post = (body: unknown) =>
        rawSigned({
          method: "POST",
          path,
          body: utf8(JSON.stringify(body)),
          headers: { "content-type": "application/json" }
        })
      const cases: ReadonlyArray<readonly [unknown, string]> = [
        [{ ...base, scene: "PAYMENT" }, "scene"],
        [{ ...base, scene: undefined }, "scene"],
        [{ ...base, transaction_scene_info: undefined }, "transaction_scene_info"],
        [{ ...base, transaction_scene_info: { mchid: PARTNER_MCHID } }, "transaction_scene_info.sub_mchid"],
        [
          { ...base, transaction_scene_info: { mchid: "1".repeat(33), sub_mchid: SUB_MCHID } },
          "transaction_scene_info.mchid"
        ],
        [{ ...base, sub_mchid: "1".repeat(33) }, "sub_mchid"]
      ]
      for (const [body, field] of cases) {
        const answer = yield* post(body)
        expect([answer.status, answer.json.code]).toEqual([400, "PARAM_ERROR"])
        expect((answer.json.detail as { field?: string }).field).toBe(field)
      }
      const json = yield* rawSigned({ method: "POST", path, body: utf8(JSON.stringify(base)) })
      expect([json.status, json.json.code]).toEqual([400, "INVALID_REQUEST"])
      const get = yield* rawSigned({ method: "GET", path, body: new Uint8Array() })
      expect(get.status).toBe(405)
    }).pipe(Effect.provide(sandboxLayer())))
})
