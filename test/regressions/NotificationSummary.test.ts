/**
 * Issue 18, defect 7: a notification envelope without `summary` is refused with `DecodeError`, so
 * `httpApp` answers 400 and WeChat Pay re-sends it for a day. Older official examples and other
 * SDKs' models have no `summary`; only what verification and decryption need may be required.
 * A correctly signed and encrypted notification without `summary` must parse into its event
 * (`UserOpenService`), with `summary` absent, and `httpApp` must answer 204.
 *
 * On today's code (recorded when written):
 * - "parse: …": fails with DecodeError ("the verified notification is not the documented
 *   envelope: … [\"summary\"] is missing").
 * - "httpApp: …": answers 400 and the handler is never called.
 */
import { FetchHttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { type Notification, PayScoreNotifications, WechatPay } from "../../src/index.js"
import { describeExit, merchantOptions, post, serveNotifications, signedNotification } from "./helpers.js"

/** The documented envelope, without `summary`. */
const withoutSummary = (resource: Record<string, string>) => ({
  id: "EV-2018022511223320873",
  create_time: "2026-05-20T13:29:35+08:00",
  resource_type: "encrypt-resource",
  event_type: "PAYSCORE.USER_OPEN_SERVICE",
  resource
})

describe("defect 7: a notification without summary is accepted", () => {
  it.live("parse: a signed, encrypted notification without summary is UserOpenService, summary absent", () =>
    Effect.gen(function*() {
      const notification = yield* signedNotification({ envelope: withoutSummary })
      expect(notification.body).not.toContain("summary")
      const exit = yield* Effect.flatMap(
        PayScoreNotifications.PayScoreNotifications,
        (notifications) => Effect.exit(notifications.parse(notification))
      ).pipe(Effect.provide(WechatPay.layer(merchantOptions()).pipe(Layer.provide(FetchHttpClient.layer))))
      expect(describeExit(exit)).toEqual({ succeeded: "UserOpenService" })
      if (exit._tag === "Success") {
        expect((exit.value as { summary?: unknown }).summary).toBeUndefined()
        expect(exit.value.id).toBe("EV-2018022511223320873")
      }
    }))

  it.scopedLive("httpApp: a signed, encrypted notification without summary is handled and answered 204", () =>
    Effect.gen(function*() {
      const handled: Array<Notification.Notification> = []
      const server = yield* serveNotifications((notification) => Effect.sync(() => void handled.push(notification)))
      const notification = yield* signedNotification({ envelope: withoutSummary })
      const answer = yield* post(server.url, notification.body, notification.headers)
      expect({ status: answer.status, body: answer.body, handled: handled.map((n) => n._tag) }).toEqual({
        status: 204,
        body: "",
        handled: ["UserOpenService"]
      })
      expect((handled[0] as { summary?: unknown }).summary).toBeUndefined()
    }))

  it.scopedLive("control: the same notification with summary is handled and answered 204 (the harness can pass)", () =>
    Effect.gen(function*() {
      const handled: Array<Notification.Notification> = []
      const server = yield* serveNotifications((notification) => Effect.sync(() => void handled.push(notification)))
      const notification = yield* signedNotification({})
      const answer = yield* post(server.url, notification.body, notification.headers)
      expect({ status: answer.status, handled: handled.map((n) => n._tag) }).toEqual({
        status: 204,
        handled: ["UserOpenService"]
      })
      expect((handled[0] as { summary?: unknown }).summary).toBe("签约成功")
    }))
})
