/**
 * PayScoreNotifications.httpApp as a web handler (`HttpEffect.toWebHandlerLayer`: any runtime with
 * `Request`/`Response`), for what the Node end-to-end tests do not reach: a chunked body over the
 * cap (no Content-Length), a BOM kept in the signed bytes, a custom cap, and the status mapping.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, References } from "effect"
import { HttpEffect } from "effect/http"
import { Notification, PayScoreNotifications, WechatPayError } from "../../../src/index.js"
import { FakeWechatPay } from "../../../src/testing/index.js"
import { buildNotification, notificationsLayer } from "../../helpers/notifications.js"

const webHandler = (options: PayScoreNotifications.HttpAppOptions = {}) => {
  const calls: Array<Notification.Notification> = []
  const app = PayScoreNotifications.httpApp((notification) => Effect.sync(() => void calls.push(notification)), options)
  const { dispose, handler } = HttpEffect.toWebHandlerLayer(
    app.pipe(Effect.provideService(References.MinimumLogLevel, "None")),
    notificationsLayer()
  )
  return { calls, dispose, handler }
}

const now = () => Math.floor(Date.now() / 1000)

const post = (body: BodyInit, headers: Record<string, string>) =>
  new Request("http://merchant.example/notify", { method: "POST", body, headers, duplex: "half" } as RequestInit)

/** A body of `size` bytes streamed in 8 KiB chunks, with no Content-Length. */
const chunked = (size: number) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (let sent = 0; sent < size; sent += 8192) controller.enqueue(new Uint8Array(Math.min(8192, size - sent)))
      controller.close()
    }
  })

describe("httpApp (web handler)", () => {
  it.live("acknowledges a good notification with 204 and an empty body", () =>
    Effect.gen(function*() {
      const { calls, dispose, handler } = webHandler()
      const notification = yield* buildNotification({ timestamp: now() })
      const response = yield* Effect.promise(() => handler(post(notification.body, notification.headers)))
      expect(response.status).toBe(204)
      expect(yield* Effect.promise(() => response.text())).toBe("")
      expect(calls.map((n) => n._tag)).toEqual(["UserOpenService"])
      yield* Effect.promise(dispose)
    }))

  it.live("refuses a chunked body over the cap with 413 without calling the handler", () =>
    Effect.gen(function*() {
      const { calls, dispose, handler } = webHandler()
      const response = yield* Effect.promise(() =>
        handler(post(chunked(PayScoreNotifications.DEFAULT_MAX_BODY_BYTES + 1), { "content-type": "application/json" }))
      )
      expect(response.status).toBe(413)
      expect(yield* Effect.promise(() => response.json())).toMatchObject({ code: "FAIL" })
      expect(calls).toHaveLength(0)
      yield* Effect.promise(dispose)
    }))

  it.live("honours maxBodyBytes", () =>
    Effect.gen(function*() {
      const { calls, dispose, handler } = webHandler({ maxBodyBytes: 100 })
      const notification = yield* buildNotification({ timestamp: now() })
      const response = yield* Effect.promise(() => handler(post(notification.body, notification.headers)))
      expect(response.status).toBe(413)
      expect(calls).toHaveLength(0)
      yield* Effect.promise(dispose)
    }))

  it.live("verifies over the exact bytes: a leading BOM that was signed is kept (and then is not JSON: 400)", () =>
    Effect.gen(function*() {
      const { calls, dispose, handler } = webHandler()
      const notification = yield* buildNotification({ timestamp: now() })
      const body = `\uFEFF${notification.body}`
      const headers = yield* Effect.promise(() =>
        FakeWechatPay.signAnswer({ key: FakeWechatPay.keys.publicKey, body, timestamp: now() })
      )
      const response = yield* Effect.promise(() => handler(post(body, headers)))
      // the signature holds (not 401): the BOM reached the verifier; the envelope is then not JSON
      expect(response.status).toBe(400)
      expect(calls).toHaveLength(0)
      yield* Effect.promise(dispose)
    }))

  it("maps every parse error to its status", () => {
    expect(PayScoreNotifications.statusOf(new WechatPayError.VerificationError({ reason: "BadSignature" }))).toBe(401)
    expect(PayScoreNotifications.statusOf(new WechatPayError.DecryptionError({ reason: "AuthenticationFailed" })))
      .toBe(400)
    expect(PayScoreNotifications.statusOf(new WechatPayError.DecodeError({ message: "x" }))).toBe(400)
    expect(PayScoreNotifications.statusOf(new WechatPayError.InvalidConfig({ option: "apiV3Key", message: "x" })))
      .toBe(500)
  })
})
