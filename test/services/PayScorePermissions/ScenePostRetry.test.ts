/**
 * The POST retry rule for `applyPartnerPermissionsForScene` and `assessUserRiskLevel`, against the
 * sandbox with a client that retries (2 retries): after an uncertain failure (a timeout, a reset,
 * a 5xx, a 429) each POST is sent once; a refused connection (the request never left) is retried.
 */
import { FetchHttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as Net from "node:net"
import type { WechatPayError } from "../../../src/index.js"
import { PayScorePermissions, WechatPay } from "../../../src/index.js"
import { Sandbox } from "../../../src/testing/index.js"
import { merchantOptions } from "../../helpers/merchant.js"
import { capturingFetch, type Sent } from "../../helpers/sandbox.js"

const closedPort = Effect.async<number>((resume) => {
  const server = Net.createServer()
  server.listen(0, "127.0.0.1", () => {
    const port = (server.address() as Net.AddressInfo).port
    server.close(() => resume(Effect.succeed(port)))
  })
})

const CODE = "1234323JKHDFE1243252"
const OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"
const sceneParams = {
  service_id: "500001",
  appid: "wxd678efh567hg6787",
  sub_mchid: "1900000109",
  authorization_code: CODE,
  scene: "TRANSACTION",
  transaction_scene_info: { mchid: "1230000109", sub_mchid: "1900000109" }
} as const
const assessParams = { service_id: "500001", appid: "wxd678efh567hg6787", authorization_code: CODE }

const retryingSandbox = Sandbox.layer({
  faultDelay: "2500 millis",
  records: [
    Sandbox.Seed.Merchant({
      authorization_code: CODE,
      service_id: "500001",
      record: { authorization_state: "AVAILABLE", appid: "wxd678efh567hg6787", openid: OPENID }
    })
  ],
  client: { retries: 2, retryBaseDelay: "10 millis", timeout: "1 second" }
}).pipe(Layer.provide(FetchHttpClient.layer))

const calls: ReadonlyArray<
  readonly [string, Effect.Effect<unknown, WechatPayError.WechatPayError, PayScorePermissions.PayScorePermissions>]
> = [
  [
    "applyPartnerPermissionsForScene",
    Effect.flatMap(PayScorePermissions.PayScorePermissions, (p) => p.applyPartnerPermissionsForScene(sceneParams))
  ],
  [
    "assessUserRiskLevel",
    Effect.flatMap(PayScorePermissions.PayScorePermissions, (p) => p.assessUserRiskLevel(assessParams))
  ]
]

const faults = [
  ["a timeout (Delay)", Sandbox.Fault.Delay({}), "TransportError"],
  ["500 SYSTEM_ERROR", Sandbox.Fault.Status({ status: 500 }), "SystemError"],
  ["a 502 HTML gateway page", Sandbox.Fault.GatewayHtml({}), "SystemError"],
  ["429 FREQUENCY_LIMITED", Sandbox.Fault.Status({ status: 429 }), "FrequencyLimited"],
  ["a reset connection", Sandbox.Fault.ConnectionReset(), "TransportError"]
] as const

describe.each(calls)("%s", (_name, call) => {
  for (const [name, fault, tag] of faults) {
    it.live(`${name}: ${tag}, and the POST reached WeChat Pay once`, () =>
      Effect.gen(function*() {
        const sandbox = yield* Sandbox.Sandbox
        yield* sandbox.injectFault(fault, { times: Infinity })
        const error = yield* Effect.flip(call)
        expect(error._tag).toBe(tag)
        expect((yield* sandbox.requests).length).toBe(1)
      }).pipe(Effect.provide(retryingSandbox)))
  }

  it.live("a refused connection (a closed port): the request never left, so 1 + 2 attempts, then TransportError", () =>
    Effect.gen(function*() {
      const port = yield* closedPort
      const sent: Array<Sent> = []
      const layer = WechatPay.layer(merchantOptions({
        baseUrl: `http://127.0.0.1:${port}`,
        retries: 2,
        retryBaseDelay: "10 millis"
      })).pipe(Layer.provide(capturingFetch(sent)), Layer.orDie)
      const error = yield* Effect.flip(Effect.provide(call, layer))
      expect(error._tag).toBe("TransportError")
      expect(error.message).toContain("ECONNREFUSED")
      expect(sent).toHaveLength(3)
      // the same bytes each time, each attempt re-signed with a fresh nonce
      expect(new Set(sent.map((s) => s.body)).size).toBe(1)
      expect(new Set(sent.map((s) => s.headers["authorization"])).size).toBe(3)
    }))
})
