/**
 * `applyPartnerPermissionsForScene` and `assessUserRiskLevel` over each of the three HTTP
 * transports (FetchHttpClient, NodeHttpClient.layerUndici, UndiciHttpClient) against the sandbox on
 * loopback: the nested, multi-byte UTF-8 bodies arrive byte for byte, their signatures hold, and
 * the answers decode the same way.
 */
import { FetchHttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import type * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { PayScorePermissions } from "../../../src/index.js"
import { Sandbox } from "../../../src/testing/index.js"
import { UndiciHttpClient } from "../../../src/undici.js"

const transports: ReadonlyArray<readonly [string, Layer.Layer<HttpClient.HttpClient>]> = [
  ["FetchHttpClient", FetchHttpClient.layer],
  ["NodeHttpClient.layerUndici", NodeHttpClient.layerUndici],
  ["UndiciHttpClient", UndiciHttpClient.layer]
]

const CODE = "1234323JKHDFE1243255"
const OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"

describe.each(transports)("over %s", (_name, transport) => {
  const TestLive = Sandbox.layer({ client: { retries: 0, timeout: "5 seconds" } }).pipe(Layer.provide(transport))

  it.live("scene pre-authorization, bind, assess with Chinese goods names: bodies byte for byte, signatures hold", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.Sandbox
      const permissions = yield* PayScorePermissions.PayScorePermissions
      const scene = yield* permissions.applyPartnerPermissionsForScene({
        service_id: "500001",
        appid: "wxd678efh567hg6787",
        sub_mchid: "1900000109",
        authorization_code: CODE,
        scene: "TRANSACTION",
        transaction_scene_info: { mchid: "1230000109", sub_mchid: "1900000109" }
      })
      expect(scene._tag).toBe("Transaction")
      yield* permissions.applyPermissions({
        service_id: "500001",
        appid: "wxd678efh567hg6787",
        authorization_code: CODE
      })
      yield* sandbox.bindUser({ authorization_code: CODE, openid: OPENID })
      const goods = { name: "森海塞尔 MOMENTUM 4 无线耳机 🎧", picture: "https://e.com/1.png", amount: 550, count: 1 }
      const record = yield* permissions.assessUserRiskLevel({
        service_id: "500001",
        appid: "wxd678efh567hg6787",
        authorization_code: CODE,
        openid: OPENID,
        shopping_info: { goods: [goods] }
      })
      expect([record._tag, record.user_risk_level]).toEqual(["Available", 1])
      const logged = yield* sandbox.requests
      const assess = logged[logged.length - 1]!
      expect(assess.signatureVerified).toBe(true)
      expect(assess.body).toBe(
        `{"service_id":"500001","appid":"wxd678efh567hg6787","authorization_code":"${CODE}","openid":"${OPENID}",` +
          `"shopping_info":{"goods":[${JSON.stringify(goods)}]}}`
      )
      expect(logged.every((request) => request.signatureVerified === true)).toBe(true)
    }).pipe(Effect.provide(TestLive)))
})
