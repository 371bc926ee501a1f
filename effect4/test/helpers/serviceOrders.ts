/**
 * Shared by the service-order suites: the parameters of an order of each role, and the merchant's
 * notification endpoint (`PayScoreNotifications.httpApp` as a web handler behind a node:http server
 * on 127.0.0.1, a free port, started and stopped by the test's scope). The sandbox and the wire
 * capture are `sandbox.ts`'s.
 */
import { Effect, Layer, References } from "effect"
import { FetchHttpClient, HttpEffect } from "effect/http"
import { type Notification, PayScoreNotifications, PayScoreServiceOrders, WechatPay } from "../../src/index.js"
import { serveWeb } from "./server.js"

export const SERVICE_ID = "500001"
export const APPID = "wxd678efh567hg6787"
export const SUB_APPID = "wxd678efh567hg6999"
export const SUB_MCHID = "1900000109"
export const CHANNEL_ID = "7000000001"
export const OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"
export const NOTIFY_URL = "https://merchant.example.com/payscore/notify"

export const orders = Effect.service(PayScoreServiceOrders.PayScoreServiceOrders)

/** A merchant create (需确认, 先享: ESTIMATE_ORDER_COST), `out_order_no` chosen by the caller. */
export const merchantCreate = (out_order_no: string, notify_url: string = NOTIFY_URL) => ({
  out_order_no,
  appid: APPID,
  service_id: SERVICE_ID,
  service_introduction: "共享充电宝",
  post_payments: [{ name: "充电宝租借", amount: 300, description: "3元/小时", count: 1 }],
  time_range: { start_time: "OnAccept" },
  risk_fund: { name: "ESTIMATE_ORDER_COST" as const, amount: 9900 },
  notify_url
})

/** The complete of `merchantCreate`: 3 yuan of use, 1 yuan off (total 200 fen). */
export const merchantComplete = (out_order_no: string) => ({
  out_order_no,
  appid: APPID,
  service_id: SERVICE_ID,
  post_payments: [{ name: "充电宝租借", amount: 300, description: "3元/小时", count: 1 }],
  post_discounts: [{ name: "新用户立减", description: "首单减1元", amount: 100, count: 1 }],
  total_amount: 200
})

/** A partner create for `SUB_MCHID`. */
export const partnerCreate = (out_order_no: string, notify_url: string = NOTIFY_URL) => ({
  service_id: SERVICE_ID,
  appid: APPID,
  sub_mchid: SUB_MCHID,
  sub_appid: SUB_APPID,
  out_order_no,
  service_introduction: "共享充电宝",
  post_payments: [{ name: "充电宝租借", amount: 300 }],
  risk_fund: { name: "DEPOSIT" as const, amount: 9900 },
  time_range: { start_time: "20260601080000" },
  notify_url
})

/** An acquiring-bank create for `CHANNEL_ID` / `SUB_MCHID`. */
export const bankCreate = (out_order_no: string, notify_url: string = NOTIFY_URL) => ({
  service_id: SERVICE_ID,
  appid: APPID,
  sub_mchid: SUB_MCHID,
  channel_id: CHANNEL_ID,
  out_order_no,
  service_introduction: "共享充电宝",
  post_payments: [{ name: "充电宝租借", amount: 300 }],
  risk_fund: { name: "DEPOSIT" as const, amount: 9900 },
  time_range: { start_time: "OnAccept" },
  notify_url
})

/** The merchant's notification endpoint. */
export interface Merchant {
  readonly url: string
  /** Every notification the handler received, in order. */
  readonly calls: Array<Notification.Notification>
}

/**
 * The merchant's notification endpoint: `PayScoreNotifications.httpApp` served on 127.0.0.1 (a
 * free port) in the current scope, with the `WechatPay` layer of `options` (over fetch).
 */
export const serveMerchant = (options: WechatPay.Options) =>
  Effect.gen(function*() {
    const calls: Array<Notification.Notification> = []
    const app = PayScoreNotifications.httpApp((notification) => Effect.sync(() => void calls.push(notification)))
    const { dispose, handler } = HttpEffect.toWebHandlerLayer(
      app.pipe(Effect.provideService(References.MinimumLogLevel, "None")),
      WechatPay.layer(options).pipe(Layer.provide(FetchHttpClient.layer))
    )
    yield* Effect.addFinalizer(() => Effect.promise(dispose))
    const { url } = yield* serveWeb((request) => handler(request))
    return { url: `${url}/payscore/notify`, calls } satisfies Merchant
  })
