/**
 * The README's examples of the permissions family, run against the sandbox (kept in step by hand:
 * same calls, same values).
 */
import { FetchHttpClient } from "@effect/platform"
import { expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { PayScorePermissions } from "../../src/index.js"
import { Sandbox } from "../../src/testing/index.js"

const onboarding = Effect.gen(function*() {
  const permissions = yield* PayScorePermissions.PayScorePermissions

  // pre-authorize: hand the token to the mini program's authorization page
  const { apply_permissions_token } = yield* permissions.applyPermissions({
    service_id: "500001",
    appid: "wxd678efh567hg6787",
    authorization_code: "1234323JKHDFE1243252",
    notify_url: "https://merchant.example.com/payscore/notify"
  })

  // partner mode, for a sub-merchant
  yield* permissions.applyPartnerPermissions({
    service_id: "500001",
    appid: "wxd678efh567hg6787",
    sub_mchid: "1900000109",
    authorization_code: "1234323JKHDFE1243253"
  })

  // acquiring bank mode, for a channel and sub-merchant
  yield* permissions.applyAcquiringBankPermissions({
    service_id: "500001",
    channel_id: "7000000001",
    appid: "wxd678efh567hg6787",
    sub_mchid: "1900000109",
    authorization_code: "1234323JKHDFE1243254"
  })
  return apply_permissions_token
})

const offboarding = Effect.gen(function*() {
  const permissions = yield* PayScorePermissions.PayScorePermissions
  const reason = "用户申请解除授权"

  // by authorization_code, in each mode (204: void)
  yield* permissions.terminateByAuthorizationCode({
    authorization_code: "1234323JKHDFE1243252",
    service_id: "500001",
    reason
  })
  yield* permissions.terminatePartnerByAuthorizationCode({
    authorization_code: "1234323JKHDFE1243253",
    service_id: "500001",
    sub_mchid: "1900000109",
    reason
  })
  yield* permissions.terminateAcquiringBankByAuthorizationCode({
    authorization_code: "1234323JKHDFE1243254",
    service_id: "500001",
    sub_mchid: "1900000109", // channel_id is optional here
    reason
  })

  // by openid: merchant, and partner (by openid, or by sub_openid under sub_appid)
  yield* permissions.terminateByOpenid({
    openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
    service_id: "500001",
    appid: "wxd678efh567hg6787",
    reason
  })
  const record = yield* permissions.queryPartnerByOpenid({
    service_id: "500001",
    appid: "wxd678efh567hg6787",
    sub_mchid: "1900000109",
    sub_appid: "wxd678efh567hg6999",
    sub_openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS99"
  })
  if (record._tag === "Available") {
    yield* permissions.terminatePartnerByOpenid({
      service_id: "500001",
      appid: "wxd678efh567hg6787",
      sub_mchid: "1900000109",
      sub_appid: "wxd678efh567hg6999",
      sub_openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS99",
      reason
    })
  }
}).pipe(
  // a terminate that timed out is not retried (it may have happened): look before acting again
  Effect.catchTag("TransportError", (e) => Effect.logWarning(`terminate outcome unknown: ${e.message}`))
)

const TestLive = Sandbox.layer({ client: { retries: 0 } }).pipe(Layer.provide(FetchHttpClient.layer))

it.live("README: onboarding and offboarding run against the sandbox", () =>
  Effect.gen(function*() {
    const sandbox = yield* Sandbox.Sandbox
    const token = yield* onboarding
    expect(token.length).toBeGreaterThan(0)
    // the merchant and acquiring bank records: bound under one openid each, the partner's with a sub_openid
    yield* sandbox.bindUser({ authorization_code: "1234323JKHDFE1243252", openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o" })
    yield* sandbox.seed(Sandbox.Seed.PartnerOpenid({
      service_id: "500001",
      appid: "wxd678efh567hg6787",
      sub_mchid: "1900000109",
      sub_appid: "wxd678efh567hg6999",
      sub_openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS99",
      record: { authorization_state: "AVAILABLE" }
    }))
    yield* offboarding
    const log = yield* sandbox.requests
    expect(log.map((r) => r.status)).toEqual([200, 200, 200, 204, 204, 204, 204, 200, 204])
  }).pipe(Effect.provide(TestLive)))

it.live("README: apply, bind, terminate", () =>
  Effect.gen(function*() {
    const sandbox = yield* Sandbox.Sandbox
    const permissions = yield* PayScorePermissions.PayScorePermissions
    const code = { authorization_code: "1234323JKHDFE1243252", service_id: "500001" }
    yield* permissions.applyPermissions({ ...code, appid: "wxd678efh567hg6787" })
    yield* sandbox.bindUser({ authorization_code: code.authorization_code, openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o" })
    expect((yield* permissions.queryByAuthorizationCode(code))._tag).toBe("Available")
    yield* permissions.terminateByAuthorizationCode({ ...code, reason: "测试" })
    expect((yield* permissions.queryByAuthorizationCode(code))._tag).toBe("Unavailable")
  }).pipe(Effect.provide(TestLive)))
