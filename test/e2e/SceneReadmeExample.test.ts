/**
 * The README's example of `applyPartnerPermissionsForScene` and `assessUserRiskLevel`, run against
 * the sandbox (kept in step by hand: same calls, same values).
 */
import { FetchHttpClient } from "@effect/platform"
import { expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { PayScorePermissions } from "../../src/index.js"
import { Sandbox } from "../../src/testing/index.js"

const payLater = Effect.gen(function*() {
  const permissions = yield* PayScorePermissions.PayScorePermissions

  // partner: pre-authorize inside a WeChat Pay transaction of the sub-merchant
  const scene = yield* permissions.applyPartnerPermissionsForScene({
    service_id: "500001",
    appid: "wxd678efh567hg6787",
    sub_mchid: "1900000109",
    authorization_code: "1234323JKHDFE1243255",
    scene: "TRANSACTION",
    transaction_scene_info: { mchid: "1230000109", sub_mchid: "1900000109" }
  })
  const token = scene._tag === "Transaction" ? scene.transaction_permissions_token : undefined

  // merchant: how far may this user go with use-first-pay-later for these goods?
  const level = yield* permissions.assessUserRiskLevel({
    service_id: "500001",
    appid: "wxd678efh567hg6787",
    openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
    shopping_info: {
      goods: [{ name: "雨伞", picture: "https://merchant.example.com/goods/umbrella.png", amount: 2500, count: 1 }]
    }
  }).pipe(
    Effect.map((record) => record._tag === "Available" ? record.user_risk_level : undefined),
    // no authorization for this user yet: not assessed
    Effect.catchTag("NotFound", () => Effect.succeed(undefined))
  )
  return { token, level }
})

const TestLive = Sandbox.layer({ client: { retries: 0 } }).pipe(Layer.provide(FetchHttpClient.layer))

it.live("README: payLater, for a user not authorized yet: a token, no level (NotFound: not assessed)", () =>
  Effect.gen(function*() {
    const { level, token } = yield* payLater
    expect(token).toMatch(/^[0-9a-f]{40}$/)
    expect(level).toBeUndefined()
  }).pipe(Effect.provide(TestLive)))

it.live("README: payLater, for an authorized user: a token and the level", () =>
  Effect.gen(function*() {
    const sandbox = yield* Sandbox.Sandbox
    const permissions = yield* PayScorePermissions.PayScorePermissions
    yield* permissions.applyPermissions({
      service_id: "500001",
      appid: "wxd678efh567hg6787",
      authorization_code: "1234323JKHDFE1243252"
    })
    yield* sandbox.bindUser({ authorization_code: "1234323JKHDFE1243252", openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o" })
    const { level, token } = yield* payLater
    expect(token).toMatch(/^[0-9a-f]{40}$/)
    expect(level).toBe(1)
  }).pipe(Effect.provide(TestLive)))
