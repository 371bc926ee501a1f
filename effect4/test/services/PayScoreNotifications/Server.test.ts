/**
 * `PayScoreNotifications.httpApp` behind a real HTTP server on 127.0.0.1 (a node:http server
 * handing each request, body streamed, to the handler as a web handler), every status WeChat Pay
 * can get: 204 handled, 401 bad signature, 400 not the envelope, 413 over the cap, 408 a body that
 * does not arrive in time, 405 not a POST, 500 the handler failed (or no APIv3 key).
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, References } from "effect"
import { HttpEffect } from "effect/http"
import * as Http from "node:http"
import type { Notification } from "../../../src/index.js"
import { PayScoreNotifications } from "../../../src/index.js"
import { FakeWechatPay } from "../../../src/testing/index.js"
import { buildNotification, notificationsLayer } from "../../helpers/notifications.js"
import { serveWeb } from "../../helpers/server.js"

const now = () => Math.floor(Date.now() / 1000)

/** The handler behind a real server; `fail` makes the user's handler fail. */
const server = (
  options: PayScoreNotifications.HttpAppOptions & { readonly fail?: boolean; readonly noApiV3Key?: boolean } = {}
) =>
  Effect.gen(function*() {
    const calls: Array<Notification.Notification> = []
    const app = PayScoreNotifications.httpApp(
      (notification) =>
        options.fail === true
          ? Effect.fail("the shop's database is down")
          : Effect.sync(() => void calls.push(notification)),
      options
    )
    const { dispose, handler } = HttpEffect.toWebHandlerLayer(
      app.pipe(Effect.provideService(References.MinimumLogLevel, "None")),
      notificationsLayer(options.noApiV3Key === true ? { apiV3Key: undefined } : {})
    )
    yield* Effect.addFinalizer(() => Effect.promise(dispose))
    const { url } = yield* serveWeb((request) => handler(request))
    return { calls, url: `${url}/notify` }
  })

const post = (url: string, body: string, headers: Record<string, string>) =>
  Effect.promise(async () => {
    const response = await fetch(url, { method: "POST", body, headers })
    return { status: response.status, text: await response.text() }
  })

describe("httpApp behind a real server", () => {
  it.live("204 for a verified notification; the handler sees it once", () =>
    Effect.gen(function*() {
      const { calls, url } = yield* server()
      const notification = yield* buildNotification({ timestamp: now() })
      const response = yield* post(url, notification.body, notification.headers)
      expect([response.status, response.text]).toEqual([204, ""])
      expect(calls.map((n) => n._tag)).toEqual(["UserOpenService"])
    }))

  it.live("401 for a signature by a stranger, the handler not called", () =>
    Effect.gen(function*() {
      const { calls, url } = yield* server()
      const notification = yield* buildNotification({ timestamp: now(), key: FakeWechatPay.keys.stranger })
      const response = yield* post(url, notification.body, notification.headers)
      expect(response.status).toBe(401)
      expect(JSON.parse(response.text)).toMatchObject({ code: "FAIL" })
      expect(calls).toHaveLength(0)
    }))

  it.live("400 for a signed body that is not the envelope", () =>
    Effect.gen(function*() {
      const { url } = yield* server()
      const body = JSON.stringify({ hello: "world" })
      const headers = yield* Effect.promise(() =>
        FakeWechatPay.signAnswer({ key: FakeWechatPay.keys.publicKey, body, timestamp: now() })
      )
      const response = yield* post(url, body, headers)
      expect(response.status).toBe(400)
    }))

  it.live("413 for a body over the cap (Content-Length), with Connection: close", () =>
    Effect.gen(function*() {
      const { url } = yield* server({ maxBodyBytes: 1024 })
      const response = yield* post(url, "x".repeat(2048), { "content-type": "application/json" })
      expect(response.status).toBe(413)
    }))

  it.live("408 for a body that does not arrive within bodyTimeout (trickled)", () =>
    Effect.gen(function*() {
      const { url } = yield* server({ bodyTimeout: "300 millis" })
      const status = yield* Effect.callback<number>((resume) => {
        const request = Http.request(
          url,
          { method: "POST", headers: { "content-type": "application/json" } },
          (res) => {
            res.resume()
            resume(Effect.succeed(res.statusCode ?? 0))
          }
        )
        request.on("error", () => resume(Effect.succeed(-1)))
        request.write('{"id":')
        // the rest never comes
        return Effect.sync(() => request.destroy())
      })
      expect(status).toBe(408)
    }))

  it.live("405 for a GET", () =>
    Effect.gen(function*() {
      const { url } = yield* server()
      const response = yield* Effect.promise(() => fetch(url))
      expect(response.status).toBe(405)
    }))

  it.live("500 when the user's handler fails (WeChat Pay will retry), the error not in the answer", () =>
    Effect.gen(function*() {
      const { url } = yield* server({ fail: true })
      const notification = yield* buildNotification({ timestamp: now() })
      const response = yield* post(url, notification.body, notification.headers)
      expect(response.status).toBe(500)
      expect(response.text).not.toContain("database")
    }))

  it.live("500 when the merchant has no APIv3 key (a configuration problem on this side)", () =>
    Effect.gen(function*() {
      const { url } = yield* server({ noApiV3Key: true })
      const notification = yield* buildNotification({ timestamp: now() })
      const response = yield* post(url, notification.body, notification.headers)
      expect(response.status).toBe(500)
    }))
})
