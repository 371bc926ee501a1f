/**
 * The README's example of `applyPartnerPermissionsForScene` and `assessUserRiskLevel` (the block
 * declaring `payLater`), taken from README.md as written and run against the sandbox.
 */
import { FetchHttpClient } from "@effect/platform"
import { expect, it } from "@effect/vitest"
import { Effect, type Effect as EffectType, Layer } from "effect"
import { PayScorePermissions } from "../../src/index.js"
import { Sandbox } from "../../src/testing/index.js"
import { blockDeclaring, importBlock, readme } from "../helpers/readme.js"

const { payLater } = await importBlock<{
  readonly payLater: EffectType.Effect<
    { readonly token: string | undefined; readonly level: number | undefined },
    unknown,
    PayScorePermissions.PayScorePermissions
  >
}>(blockDeclaring(readme(), "payLater").code, ["payLater"])

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
