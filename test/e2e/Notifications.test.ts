/**
 * End to end over real HTTP on loopback: the sandbox (as WeChat Pay) POSTs signed, encrypted
 * notifications → `PayScoreNotifications.httpApp` served by `@effect/platform-node`'s
 * `NodeHttpServer` on 127.0.0.1 → the user's handler. Public-key mode, certificate mode, and a
 * migration (certificates and a public key side by side); every refusal is counted at the handler.
 */
import { FetchHttpClient, HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Layer, Logger, LogLevel, TestClock } from "effect"
import { createServer } from "node:http"
import { Notification, PayScoreNotifications, WechatPay } from "../../src/index.js"
import { Fixtures, Sandbox } from "../../src/testing/index.js"

type Mode = "publicKey" | "certificate" | "both"

const sandboxOptions = (mode: Mode): Sandbox.Options =>
  mode === "publicKey"
    ? { platformCertificates: [] }
    : mode === "certificate"
    ? { wechatpayPublicKey: false }
    : {}

interface Merchant {
  readonly url: string
  /** Every notification the handler received, in order. */
  readonly calls: Array<Notification.Notification>
}

/**
 * The merchant's notification endpoint: the HttpApp served on 127.0.0.1 (free port) in the current
 * scope, with the `WechatPay` layer built from `options`. `fail`: the handler fails instead.
 */
const serveMerchant = (options: WechatPay.Options, handlerOptions: { readonly fail?: boolean } = {}) =>
  Effect.gen(function*() {
    const calls: Array<Notification.Notification> = []
    const app = PayScoreNotifications.httpApp((notification) =>
      Effect.suspend(() => {
        calls.push(notification)
        return handlerOptions.fail === true
          ? Effect.fail(new Error(`database down; secret ${Fixtures.apiV3Key}`))
          : Effect.void
      })
    )
    const context = yield* Layer.build(
      HttpServer.serve(app).pipe(
        Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" })),
        Layer.provide(WechatPay.layer(options)),
        Layer.provide(FetchHttpClient.layer)
      )
    ).pipe(Logger.withMinimumLogLevel(LogLevel.None)) // the refusals are logged as warnings: keep test output quiet
    const address = Context.get(context, HttpServer.HttpServer).address
    if (address._tag !== "TcpAddress") return yield* Effect.dieMessage("not a TCP server")
    return { url: `http://127.0.0.1:${address.port}/payscore/notify`, calls } satisfies Merchant
  })

/** A sandbox in `mode` and a merchant configured from it (with `overrides`). */
const setup = (mode: Mode, overrides: Partial<WechatPay.Options> = {}, handlerOptions = {}) =>
  Effect.gen(function*() {
    const sandbox = yield* Sandbox.make(sandboxOptions(mode))
    const merchant = yield* serveMerchant(Sandbox.wechatPayOptions(sandbox, overrides), handlerOptions)
    return { sandbox, merchant }
  })

const failBody = (body: string) => JSON.parse(body) as { readonly code: string; readonly message: string }

describe("notifications end to end (sandbox → HTTP → HttpApp → handler)", () => {
  for (const mode of ["publicKey", "certificate"] as const) {
    it.scopedLive(`${mode} mode: open and close events reach the handler and are acknowledged with 204`, () =>
      Effect.gen(function*() {
        const { merchant, sandbox } = yield* setup(mode)
        const opened = yield* sandbox.notify({ url: merchant.url, event: Notification.USER_OPEN_SERVICE })
        const closed = yield* sandbox.notify({
          url: merchant.url,
          event: Notification.USER_CLOSE_SERVICE,
          resource: { authorization_code: "1275342195190894594" }
        })
        expect([opened.status, closed.status]).toEqual([204, 204])
        expect([opened.body, closed.body]).toEqual(["", ""])
        expect(
          mode === "publicKey"
            ? [Fixtures.wechatpayPublicKeyId]
            : [Fixtures.platformSerialNo1, Fixtures.platformSerialNo2]
        ).toContain(opened.sent.headers["wechatpay-serial"])
        expect(merchant.calls.map((n) => [n._tag, n.id])).toEqual([
          ["UserOpenService", opened.id],
          ["UserCloseService", closed.id]
        ])
        const [open, close] = merchant.calls
        expect(open?._tag === "UserOpenService" && open.resource).toMatchObject({
          mchid: Fixtures.mchid,
          service_id: "500001",
          openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
          user_service_status: "USER_OPEN_SERVICE"
        })
        expect(close?._tag === "UserCloseService" && close.resource).toMatchObject({
          user_service_status: "USER_CLOSE_SERVICE",
          authorization_code: "1275342195190894594"
        })
      }))
  }

  it.scopedLive("certificate mode with a public key also configured: a PUB_KEY_ID_… serial is accepted", () =>
    Effect.gen(function*() {
      const { merchant, sandbox } = yield* setup("both")
      const byPublicKey = yield* sandbox.notify({ url: merchant.url, signWith: "publicKey" })
      const byCertificate1 = yield* sandbox.notify({
        url: merchant.url,
        signWith: { serial: Fixtures.platformSerialNo1 }
      })
      const byCertificate2 = yield* sandbox.notify({ url: merchant.url, signWith: "certificate" })
      expect(byPublicKey.sent.headers["wechatpay-serial"]).toBe(Fixtures.wechatpayPublicKeyId)
      expect(byCertificate1.sent.headers["wechatpay-serial"]).toBe(Fixtures.platformSerialNo1)
      expect([byPublicKey.status, byCertificate1.status, byCertificate2.status]).toEqual([204, 204, 204])
      expect(merchant.calls.map((n) => n.id)).toEqual([byPublicKey.id, byCertificate1.id, byCertificate2.id])
    }))

  it.scopedLive("certificate mode without the public key: a PUB_KEY_ID_… serial is refused with 401", () =>
    Effect.gen(function*() {
      const { merchant, sandbox } = yield* setup("both", { wechatpayPublicKey: undefined })
      const answer = yield* sandbox.notify({ url: merchant.url, signWith: "publicKey" })
      expect(answer.status).toBe(401)
      expect(failBody(answer.body).code).toBe("FAIL")
      expect(failBody(answer.body).message).toContain(Fixtures.wechatpayPublicKeyId)
      expect(merchant.calls).toHaveLength(0)
    }))

  it.scopedLive(
    "tampered, replayed outside the window, wrong-key, SIGNTEST and unsigned notifications: 401, never the handler",
    () =>
      Effect.gen(function*() {
        const { merchant, sandbox } = yield* setup("publicKey")
        const refused = [
          yield* sandbox.notify({ url: merchant.url, tamper: true }),
          yield* sandbox.notify({ url: merchant.url, clockSkewSeconds: -300 }),
          // well past the edge: a timestamp ahead of the live clock gets nearer to it while a loaded
          // machine delivers the notification (the exact edges run under TestClock)
          yield* sandbox.notify({ url: merchant.url, clockSkewSeconds: 330 }),
          yield* sandbox.notify({ url: merchant.url, signWith: "stranger" }),
          yield* sandbox.notify({ url: merchant.url, signTest: true }),
          yield* sandbox.notify({ url: merchant.url, omitHeaders: ["Wechatpay-Signature"] }),
          yield* sandbox.notify({ url: merchant.url, signWith: { serial: "PUB_KEY_ID_UNKNOWN" } })
        ]
        expect(refused.map((answer) => answer.status)).toEqual([401, 401, 401, 401, 401, 401, 401])
        for (const answer of refused) {
          expect(answer.headers["content-type"]).toContain("application/json")
          const body = failBody(answer.body)
          expect(body.code).toBe("FAIL")
          expect(body.message.length).toBeGreaterThan(0)
          expect(answer.body).not.toContain(Fixtures.apiV3Key)
        }
        expect(merchant.calls).toHaveLength(0)
        // and the merchant still takes a good one
        expect((yield* sandbox.notify({ url: merchant.url })).status).toBe(204)
        expect(merchant.calls).toHaveLength(1)
      })
  )

  it.scopedLive("another APIv3 key or a resource that is not JSON: 400; an undecodable resource: 204 as UndecodableEvent; an oversized body: 413; a GET: 405", () =>
    Effect.gen(function*() {
      const { merchant, sandbox } = yield* setup("publicKey")
      const wrongApiV3Key = yield* sandbox.notify({ url: merchant.url, apiV3Key: "0123456789abcdef0123456789abcdef" })
      const badResource = yield* sandbox.notify({ url: merchant.url, resource: { openorclose_time: "yesterday" } })
      const notJson = yield* sandbox.notify({ url: merchant.url, resource: "plain text" })
      expect([wrongApiV3Key.status, badResource.status, notJson.status]).toEqual([400, 204, 400])
      expect(failBody(wrongApiV3Key.body).message).toContain("APIv3 key")
      expect(notJson.body).not.toContain("plain text")
      expect(merchant.calls).toHaveLength(1)
      const undecodable = merchant.calls[0]!
      if (undecodable._tag !== "UndecodableEvent") throw new Error(`expected UndecodableEvent, got ${undecodable._tag}`)
      expect(undecodable.message).toContain("openorclose_time")
      expect(undecodable.message).not.toContain("yesterday")
      expect(undecodable.resource).toMatchObject({ openorclose_time: "yesterday" })
      merchant.calls.length = 0

      const huge = yield* sandbox.notify({ url: merchant.url, summary: "x".repeat(70 * 1024) })
      expect(huge.status).toBe(413)
      expect(failBody(huge.body).code).toBe("FAIL")

      const get = yield* Effect.promise(() => fetch(merchant.url))
      expect(get.status).toBe(405)
      expect(merchant.calls).toHaveLength(0)
    }))

  it.scopedLive("a duplicate reaches the handler twice with the same id (no hidden dedupe)", () =>
    Effect.gen(function*() {
      const { merchant, sandbox } = yield* setup("publicKey")
      const first = yield* sandbox.notify({ url: merchant.url, id: "EV-DUPLICATE-1" })
      const again = yield* sandbox.notify({ url: merchant.url, id: "EV-DUPLICATE-1" })
      const replayed = yield* sandbox.notify({ url: merchant.url, replay: first.sent })
      expect([first.status, again.status, replayed.status]).toEqual([204, 204, 204])
      expect(merchant.calls.map((n) => n.id)).toEqual(["EV-DUPLICATE-1", "EV-DUPLICATE-1", "EV-DUPLICATE-1"])
    }))

  it.scoped("a byte-for-byte replay is accepted 299 s later and refused 300 s later (TestClock)", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.parse("2026-05-20T05:29:35Z"))
      const { merchant, sandbox } = yield* setup("publicKey")
      const first = yield* sandbox.notify({ url: merchant.url })
      yield* TestClock.adjust("299 seconds")
      const within = yield* sandbox.notify({ url: merchant.url, replay: first.sent })
      yield* TestClock.adjust("1 second")
      const outside = yield* sandbox.notify({ url: merchant.url, replay: first.sent })
      expect([first.status, within.status, outside.status]).toEqual([204, 204, 401])
      expect(failBody(outside.body).message).toContain("outside the 5-minute window")
      expect(merchant.calls).toHaveLength(2)
    }))

  it.scopedLive("the handler fails: 500 with a FAIL body that does not leak the handler's error", () =>
    Effect.gen(function*() {
      const { merchant, sandbox } = yield* setup("publicKey", {}, { fail: true })
      const answer = yield* sandbox.notify({ url: merchant.url })
      expect(answer.status).toBe(500)
      expect(failBody(answer.body).code).toBe("FAIL")
      expect(answer.body).not.toContain("database down")
      expect(answer.body).not.toContain(Fixtures.apiV3Key)
      expect(merchant.calls).toHaveLength(1)
    }))

  it.scopedLive("a merchant without an APIv3 key answers 500 (WeChat Pay retries once it is configured)", () =>
    Effect.gen(function*() {
      const { merchant, sandbox } = yield* setup("publicKey", { apiV3Key: undefined })
      const answer = yield* sandbox.notify({ url: merchant.url })
      expect(answer.status).toBe(500)
      expect(failBody(answer.body).code).toBe("FAIL")
      expect(merchant.calls).toHaveLength(0)
    }))
})
