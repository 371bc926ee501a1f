/**
 * How an application tests its own program (the README's "Testing your program"): with a mocked
 * `PayScorePermissions` layer, and with the real stack over `FakeWechatPay`.
 */
import { describe, expect, it } from "@effect/vitest"
import { DateTime, Effect, Layer, Redacted } from "effect"
import { AuthorizationRecord, PayScorePermissions, WechatPay, WechatPayError } from "../../src/index.js"
import { FakeWechatPay, Fixtures, Mocks } from "../../src/testing/index.js"

// --- the user's program --------------------------------------------------------------------------

class TryLater extends Error {
  readonly _tag = "TryLater"
}

/** Whether a user may use the service now: authorized → true; no record → false. */
const canServe = (authorization_code: string) =>
  Effect.gen(function*() {
    const permissions = yield* PayScorePermissions.PayScorePermissions
    const record = yield* permissions.queryByAuthorizationCode({ authorization_code, service_id: "500001" })
    return record._tag === "Available"
  }).pipe(
    Effect.catchTags({
      NotFound: () => Effect.succeed(false),
      FrequencyLimited: () => Effect.fail(new TryLater())
    })
  )

// --- its tests --------------------------------------------------------------------------------------

const Authorized = Layer.mock(PayScorePermissions.PayScorePermissions, {
  queryByAuthorizationCode: ({ authorization_code, service_id }) =>
    Effect.succeed(AuthorizationRecord.AuthorizationRecordVariants.Available.make({
      service_id,
      authorization_code,
      appid: "wx1",
      mchid: "1900000001",
      authorization_state: "AVAILABLE",
      authorization_success_time: DateTime.makeUnsafe("2026-01-01T00:00:00Z")
    }))
})

const Unknown = Layer.mock(PayScorePermissions.PayScorePermissions, {
  queryByAuthorizationCode: () =>
    Effect.fail(new WechatPayError.NotFound({ status: 404, code: "NOT_FOUND", message: "no record" }))
})

const Limited = Layer.mock(PayScorePermissions.PayScorePermissions, {
  queryByAuthorizationCode: () =>
    Effect.fail(new WechatPayError.FrequencyLimited({ status: 429, code: "FREQUENCY_LIMITED", message: "slow down" }))
})

describe("a user's program, tested with mocked layers", () => {
  it.effect("serves an authorized user", () =>
    Effect.gen(function*() {
      expect(yield* canServe("code-1")).toBe(true)
    }).pipe(Effect.provide(Authorized)))

  it.effect("does not serve a user without a record", () =>
    Effect.gen(function*() {
      expect(yield* canServe("code-1")).toBe(false)
    }).pipe(Effect.provide(Unknown)))

  it.effect("asks to try later when rate limited", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(canServe("code-1"))
      expect(error).toBeInstanceOf(TryLater)
    }).pipe(Effect.provide(Limited)))

  it.effect("a method the mock does not implement dies loudly", () =>
    Effect.gen(function*() {
      const permissions = yield* PayScorePermissions.PayScorePermissions
      const exit = yield* Effect.exit(permissions.queryByOpenid({ openid: "o", service_id: "1", appid: "wx" }))
      expect(exit._tag).toBe("Failure")
    }).pipe(Effect.provide(Authorized)))
})

describe("a user's program, tested through the real stack with FakeWechatPay", () => {
  const layer = (state: string, status = 200) =>
    WechatPay.layer({
      mchid: Fixtures.mchid,
      merchantSerialNo: Fixtures.merchantSerialNo,
      merchantPrivateKey: Redacted.make(Fixtures.merchantPrivateKeyPkcs8),
      wechatpayPublicKey: { id: Fixtures.wechatpayPublicKeyId, pem: Fixtures.wechatpayPublicKey },
      retries: 0
    }).pipe(
      Layer.provide(FakeWechatPay.layer((request) => {
        const code = decodeURIComponent(request.url.pathname.split("/").pop()!)
        return status === 200
          ? {
            body: {
              service_id: request.url.searchParams.get("service_id"),
              appid: "wx1",
              mchid: Fixtures.mchid,
              authorization_code: code,
              authorization_state: state
            }
          }
          : { status, body: { code: "NOT_FOUND", message: "授权记录不存在" } }
      }))
    )

  it.effect("AVAILABLE → served", () =>
    Effect.gen(function*() {
      expect(yield* canServe("1275342195190894594")).toBe(true)
    }).pipe(Effect.provide(layer("AVAILABLE"))))

  it.effect("UNAVAILABLE → not served", () =>
    Effect.gen(function*() {
      expect(yield* canServe("1275342195190894594")).toBe(false)
    }).pipe(Effect.provide(layer("UNAVAILABLE"))))

  it.effect("404 → not served", () =>
    Effect.gen(function*() {
      expect(yield* canServe("1275342195190894594")).toBe(false)
    }).pipe(Effect.provide(layer("AVAILABLE", 404))))
})

describe("the same program against the testing entry's mock layers (Mocks)", () => {
  it.effect("Mocks.permissions with the one method the program calls; records built with Mocks.record", () =>
    Effect.gen(function*() {
      expect(yield* canServe("1275342195190894594")).toBe(true)
    }).pipe(Effect.provide(Mocks.permissions({
      queryByAuthorizationCode: (params) =>
        Effect.succeed(Mocks.record.Available.make({
          service_id: params.service_id,
          appid: "wx1",
          mchid: Fixtures.mchid,
          authorization_code: params.authorization_code,
          authorization_state: "AVAILABLE"
        }))
    }))))

  it.effect("a method the mock does not implement dies, naming the service and the method", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(canServe("1275342195190894594"))
      expect(exit._tag).toBe("Failure")
      expect(String(exit._tag === "Failure" ? exit.cause : "")).toMatch(
        /effect-wechatpay\/PayScorePermissions.*queryByAuthorizationCode/
      )
    }).pipe(Effect.provide(Mocks.permissions({ queryByOpenid: () => Effect.die("unused") }))))
})
