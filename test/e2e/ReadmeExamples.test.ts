/**
 * The README's examples of the permissions family (the blocks declaring `onboarding` and
 * `offboarding`), taken from README.md as written and run against the sandbox.
 */
import { FetchHttpClient } from "@effect/platform"
import { expect, it } from "@effect/vitest"
import { Effect, type Effect as EffectType, Layer } from "effect"
import { PayScorePermissions } from "../../src/index.js"
import { Sandbox } from "../../src/testing/index.js"
import { blockDeclaring, importBlock, readme } from "../helpers/readme.js"

type Program<A> = EffectType.Effect<A, unknown, PayScorePermissions.PayScorePermissions>
const { offboarding, onboarding } = await importBlock<{
  readonly onboarding: Program<string>
  readonly offboarding: Program<void>
}>(blockDeclaring(readme(), "onboarding").code, ["onboarding", "offboarding"])

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
