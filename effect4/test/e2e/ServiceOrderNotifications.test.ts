/**
 * The service-order notifications end to end on the Effect 4 line, over real HTTP on 127.0.0.1:
 * the Effect 4 sandbox (as WeChat Pay) moves an order as the user does (`confirmOrder`,
 * `payOrder`) and POSTs the signed, encrypted `PAYSCORE.USER_CONFIRM` / `PAYSCORE.USER_PAID` to the
 * order's `notify_url`, where the Effect 4 `PayScoreNotifications.httpApp` (a web handler behind a
 * node:http server) verifies, decrypts and decodes them into `UserConfirm` / `UserPaid` carrying the
 * order, and acknowledges them (204). A partner routes by `sub_mchid`; a resource that does not
 * decode is `UndecodableEvent`, acknowledged too. The same behaviours as the Effect 3 line's
 * test/e2e/ServiceOrderNotifications.test.ts.
 */
import { describe, expect, it } from "@effect/vitest"
import { DateTime, Effect } from "effect"
import { Notification } from "../../src/index.js"
import { Sandbox } from "../../src/testing/index.js"
import { sandboxLayer } from "../helpers/sandbox.js"
import {
  APPID,
  bankCreate,
  CHANNEL_ID,
  merchantComplete,
  merchantCreate,
  OPENID,
  orders,
  partnerCreate,
  serveMerchant,
  SERVICE_ID,
  SUB_MCHID
} from "../helpers/serviceOrders.js"

const setup = Effect.gen(function*() {
  const sandbox = yield* Sandbox.Sandbox
  const merchant = yield* serveMerchant(Sandbox.wechatPayOptions(sandbox))
  return { sandbox, merchant }
})

describe("UserConfirm and UserPaid", () => {
  it.live("merchant: the user's confirmation and payment reach the handler as the decoded order, acknowledged 204", () =>
    Effect.gen(function*() {
      const { merchant, sandbox } = yield* setup
      const o = yield* orders
      const created = yield* o.createServiceOrder({ ...merchantCreate("N-1", merchant.url), attach: "table%3D7" })
      const confirmed = yield* sandbox.confirmOrder({ out_order_no: "N-1" })
      expect(confirmed.notification?.status).toBe(204)
      const confirm = merchant.calls[0]!
      expect(confirm._tag).toBe("UserConfirm")
      if (confirm._tag !== "UserConfirm") return
      expect([confirm.event_type, confirm.summary, confirm.original_type]).toEqual([
        Notification.USER_CONFIRM,
        "确认订单",
        "payscore"
      ])
      expect(confirm.id).toBe(confirmed.notification?.id)
      const order = confirm.resource
      expect([order._tag, order.state, order.state_description, order.out_order_no, order.order_id]).toEqual([
        "Doing",
        "DOING",
        "USER_CONFIRM",
        "N-1",
        created.order_id
      ])
      expect([order.openid, order.attach, order.notify_url]).toEqual([OPENID, "table%3D7", merchant.url])
      expect(order.package).toBeUndefined()

      yield* o.completeServiceOrder(merchantComplete("N-1"))
      const paid = yield* sandbox.payOrder({ out_order_no: "N-1", transaction_id: "4200000001" })
      expect(paid.notification?.status).toBe(204)
      const paidEvent = merchant.calls[1]!
      expect(paidEvent._tag).toBe("UserPaid")
      if (paidEvent._tag !== "UserPaid") return
      expect([paidEvent.event_type, paidEvent.summary]).toEqual([Notification.USER_PAID, "支付成功"])
      const done = paidEvent.resource
      expect([done._tag, done.total_amount, done.collection?.state, done.collection?.paid_amount]).toEqual([
        "Done",
        200,
        "USER_PAID",
        200
      ])
      const detail = done.collection?.details?.[0]
      expect(detail?.transaction_id).toBe("4200000001")
      expect(DateTime.isDateTime(detail?.paid_time)).toBe(true)
      // the notification, as sent: encrypted (no plaintext in the body), signed, with WeChat Pay's envelope
      const sent = JSON.parse(paid.notification!.sent.body) as Record<string, Record<string, unknown>>
      expect(sent.resource!.algorithm).toBe("AEAD_AES_256_GCM")
      expect(paid.notification!.sent.body).not.toContain("N-1") // base64 has no "-"
      expect(paid.notification!.sent.headers["wechatpay-signature"]).toBeDefined()
      expect(merchant.calls).toHaveLength(2)
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("partner: one notify_url for every sub-merchant, routed by resource.sub_mchid", () =>
    Effect.gen(function*() {
      const { merchant, sandbox } = yield* setup
      const o = yield* orders
      yield* o.createPartnerServiceOrder(partnerCreate("PN-1", merchant.url))
      yield* o.createPartnerServiceOrder({ ...partnerCreate("PN-1", merchant.url), sub_mchid: "1900000222" })
      yield* sandbox.confirmOrder({ out_order_no: "PN-1", sub_mchid: "1900000222" })
      yield* sandbox.confirmOrder({ out_order_no: "PN-1", sub_mchid: SUB_MCHID })
      const routed = merchant.calls.map((n) =>
        n._tag === "UserConfirm" ? `${n.resource.sub_mchid} ${n.resource.out_order_no} ${n.resource.state}` : n._tag
      )
      expect(routed).toEqual([`1900000222 PN-1 DOING`, `${SUB_MCHID} PN-1 DOING`])
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("acquiring bank: the paid order carries channel_id and the registered out_trade_no", () =>
    Effect.gen(function*() {
      const { merchant, sandbox } = yield* setup
      const o = yield* orders
      yield* o.createAcquiringBankServiceOrder(bankCreate("BN-1", merchant.url))
      yield* sandbox.confirmOrder({ out_order_no: "BN-1", sub_mchid: SUB_MCHID })
      yield* o.completeAcquiringBankServiceOrder({
        out_order_no: "BN-1",
        service_id: SERVICE_ID,
        sub_mchid: SUB_MCHID,
        channel_id: CHANNEL_ID,
        post_payments: [{ amount: 300 }],
        total_amount: 300
      })
      yield* o.registerAcquiringBankServiceOrderDeduction({
        out_order_no: "BN-1",
        service_id: SERVICE_ID,
        appid: APPID,
        sub_mchid: SUB_MCHID,
        channel_id: CHANNEL_ID,
        out_trade_no: "DEDUCT-7"
      })
      yield* sandbox.payOrder({ out_order_no: "BN-1", sub_mchid: SUB_MCHID })
      const paid = merchant.calls[1]!
      expect(paid._tag).toBe("UserPaid")
      if (paid._tag !== "UserPaid") return
      expect([paid.resource.channel_id, paid.resource.sub_mchid, paid.resource.out_trade_no]).toEqual([
        CHANNEL_ID,
        SUB_MCHID,
        "DEDUCT-7"
      ])
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("a USER_PAID whose verified resource is not an order: UndecodableEvent, acknowledged; the amount as a string decodes", () =>
    Effect.gen(function*() {
      const { merchant, sandbox } = yield* setup
      const broken = yield* sandbox.notify({
        url: merchant.url,
        event: Notification.USER_PAID,
        resource: JSON.stringify({ out_order_no: "N-2", state: "DONE" })
      })
      expect(broken.status).toBe(204)
      const undecodable = merchant.calls[0]!
      expect(undecodable._tag).toBe("UndecodableEvent")
      if (undecodable._tag !== "UndecodableEvent") return
      expect(undecodable.resource).toEqual({ out_order_no: "N-2", state: "DONE" })
      expect(undecodable.message).toContain("a required field is missing")

      const order = { appid: APPID, mchid: "1230000109", out_order_no: "N-3", service_id: SERVICE_ID }
      yield* sandbox.notify({
        url: merchant.url,
        event: Notification.USER_CONFIRM,
        resource: JSON.stringify({ ...order, state: "DOING", total_amount: "40000" })
      })
      const confirm = merchant.calls[1]!
      expect(confirm._tag === "UserConfirm" && confirm.resource.total_amount).toBe(40000)
      // a tampered one is refused before the handler
      const tampered = yield* sandbox.notify({
        url: merchant.url,
        event: Notification.USER_CONFIRM,
        resource: JSON.stringify({ ...order, state: "DOING" }),
        tamper: true
      })
      expect(tampered.status).toBe(401)
      expect(merchant.calls).toHaveLength(2)
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("notify: false moves the order without a notification; url sends it elsewhere", () =>
    Effect.gen(function*() {
      const { merchant, sandbox } = yield* setup
      const o = yield* orders
      yield* o.createServiceOrder(merchantCreate("N-4"))
      const silent = yield* sandbox.confirmOrder({ out_order_no: "N-4", notify: false })
      expect(silent.notification).toBeUndefined()
      yield* o.completeServiceOrder(merchantComplete("N-4"))
      const elsewhere = yield* sandbox.payOrder({ out_order_no: "N-4", url: merchant.url })
      expect(elsewhere.notification?.status).toBe(204)
      expect(merchant.calls.map((n) => n._tag)).toEqual(["UserPaid"])
    }).pipe(Effect.provide(sandboxLayer())))
})

describe("the Sandbox's user steps as a layer", () => {
  it.live("an unreachable notify_url: the order moved, then TransportError", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.Sandbox
      const o = yield* orders
      yield* o.createServiceOrder(merchantCreate("N-5", "http://127.0.0.1:1/payscore/notify"))
      const error = yield* Effect.flip(sandbox.confirmOrder({ out_order_no: "N-5" }))
      expect(error._tag).toBe("TransportError")
      const order = yield* o.queryServiceOrder({ out_order_no: "N-5", service_id: SERVICE_ID, appid: APPID })
      expect(order.state_description).toBe("USER_CONFIRM")
    }).pipe(Effect.provide(sandboxLayer())))
})
