/**
 * The sandbox speaking like WeChat Pay: compact `openorclose_time` by default (RFC 3339 on request),
 * certificate lists with `effective_time` / `expire_time`, and a listed certificate past its
 * `expire_time` that the library no longer trusts. (The time codec on its own:
 * test/schemas/WechatPayTime.test.ts.)
 */
import { FetchHttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Layer, Option } from "effect"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import * as Aead from "../../src/core/aead.js"
import * as Bytes from "../../src/core/bytes.js"
import { KeyStore, PayScorePermissions, WechatPay } from "../../src/index.js"
import { Fixtures, Sandbox } from "../../src/testing/index.js"

/** A merchant endpoint that records the bodies it receives and answers 204. */
const recorder = Effect.acquireRelease(
  Effect.promise(() =>
    new Promise<{ url: string; bodies: Array<string>; server: Http.Server }>((resolve) => {
      const bodies: Array<string> = []
      const server = Http.createServer((req, res) => {
        const chunks: Array<Buffer> = []
        req.on("data", (c: Buffer) => chunks.push(c))
        req.on("end", () => {
          bodies.push(Buffer.concat(chunks).toString("utf8"))
          res.writeHead(204).end()
        })
      })
      server.listen(0, "127.0.0.1", () =>
        resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`, bodies, server }))
    })
  ),
  ({ server }) => Effect.promise(() => new Promise<void>((resolve) => server.close(() => resolve())))
)

const decryptResource = (body: string) =>
  Effect.promise(async () => {
    const { resource } = JSON.parse(body) as {
      resource: { ciphertext: string; nonce: string; associated_data: string }
    }
    const key = await Aead.importKey(Bytes.utf8(Fixtures.apiV3Key))
    const plain = await Aead.decryptBytes(key, {
      ciphertext: resource.ciphertext,
      nonce: resource.nonce,
      associatedData: resource.associated_data
    })
    return JSON.parse(Bytes.fromUtf8(plain)) as Record<string, unknown>
  })

describe("the sandbox speaks like WeChat Pay", () => {
  it.scopedLive("notifications: openorclose_time compact by default, RFC 3339 on request; the documented fields", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.make()
      const merchant = yield* recorder
      expect((yield* sandbox.notify({ url: merchant.url })).status).toBe(204)
      expect((yield* sandbox.notify({ url: merchant.url, timeFormat: "rfc3339" })).status).toBe(204)
      const compact = yield* decryptResource(merchant.bodies[0]!)
      const rfc = yield* decryptResource(merchant.bodies[1]!)
      expect(compact.openorclose_time).toMatch(/^\d{14}$/)
      expect(rfc.openorclose_time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/)
      expect(Object.keys(compact).sort()).toEqual(
        ["appid", "mchid", "openid", "openorclose_time", "out_request_no", "service_id", "user_service_status"]
      )
      expect(JSON.parse(merchant.bodies[0]!).create_time).toMatch(/\+08:00$/)
    }))

  it.scopedLive("a listed certificate past its expire_time is not trusted; Wechatpay-Serial names the one in use", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.make({
        wechatpayPublicKey: false,
        platformCertificates: [
          {
            certificate: Fixtures.platformCertificate1,
            privateKey: Fixtures.platformPrivateKey1,
            expireTime: Date.now() - 60_000
          },
          { certificate: Fixtures.platformCertificate2, privateKey: Fixtures.platformPrivateKey2 }
        ]
      })
      yield* sandbox.seed(
        Sandbox.Seed.Merchant({
          authorization_code: "1234323JKHDFE1243252",
          service_id: "500001",
          record: { authorization_state: "AVAILABLE" }
        })
      )
      const client = yield* Layer.build(
        WechatPay.layer(
          Sandbox.wechatPayOptions(sandbox, {
            wechatpayPublicKey: undefined,
            platformCertificates: undefined,
            retries: 0
          })
        ).pipe(Layer.provide(FetchHttpClient.layer))
      )
      const keys = Context.get(client, KeyStore.KeyStore)
      expect(keys.wechatpaySerial).toBe(Fixtures.platformSerialNo2)
      expect(keys.serials).toEqual([Fixtures.platformSerialNo2])
      expect(Option.isNone(yield* keys.verifyingKey(Fixtures.platformSerialNo1))).toBe(true)
      const listed = yield* keys.certificates
      const retired = listed.find((c) => c.serial === Fixtures.platformSerialNo1)
      expect(retired).toBeUndefined()
      const record = yield* Effect.flatMap(
        PayScorePermissions.PayScorePermissions,
        (p) => p.queryByAuthorizationCode({ authorization_code: "1234323JKHDFE1243252", service_id: "500001" })
      ).pipe(Effect.provide(client))
      expect(record._tag).toBe("Available")
    }))
})
