/**
 * The Effect 4 `PayScoreServiceOrders` over real HTTP on 127.0.0.1 against the Effect 4 sandbox:
 * each role's methods put the documented request on the wire (method, path, query, body; a path
 * parameter never in the body), answers decode into `ServiceOrder` / `CreatedServiceOrder` tagged
 * on `state` (204s into `void`), times given as `DateTime` go out in China Standard Time, and bad
 * input is `InvalidInput` naming the field, with nothing sent. The same behaviours as the Effect 3
 * line's test/services/PayScoreServiceOrders/Orders.test.ts.
 */
import { describe, expect, it } from "@effect/vitest"
import { DateTime, Effect } from "effect"
import { PayScorePermissions, type PayScoreServiceOrders, type WechatPayError } from "../../../src/index.js"
import { Sandbox } from "../../../src/testing/index.js"
import { requests, sandboxLayer, type Sent } from "../../helpers/sandbox.js"
import {
  APPID,
  bankCreate,
  CHANNEL_ID,
  merchantComplete,
  merchantCreate,
  OPENID,
  orders,
  partnerCreate,
  SERVICE_ID,
  SUB_APPID,
  SUB_MCHID
} from "../../helpers/serviceOrders.js"

const sandbox = Effect.service(Sandbox.Sandbox)

const bodyOf = (sent: Sent): Record<string, unknown> => JSON.parse(sent.body) as Record<string, unknown>

describe("merchant: one order through every state", () => {
  const sent: Array<Sent> = []
  it.live("create → query → the user confirms → complete → the user pays → query; each request as documented", () =>
    Effect.gen(function*() {
      const s = yield* sandbox
      const o = yield* orders
      const created = yield* o.createServiceOrder(merchantCreate("LIFE-0001"))
      expect(created._tag).toBe("Created")
      expect(created.state).toBe("CREATED")
      expect(created.state_description).toBeUndefined()
      expect(created.package.length).toBeGreaterThan(20)
      expect(created.order_id).toMatch(/^\d{30}$/)
      expect(created.mchid).toBe(s.wechatPayOptions.mchid)
      expect(created.risk_fund).toEqual({ name: "ESTIMATE_ORDER_COST", amount: 9900 })
      expect(created.time_range).toEqual({ start_time: "OnAccept" })

      const createRequest = sent.at(-1)!
      expect([createRequest.method, createRequest.url.pathname, createRequest.url.search]).toEqual([
        "POST",
        "/v3/payscore/serviceorder",
        ""
      ])
      expect(bodyOf(createRequest)).toEqual(merchantCreate("LIFE-0001"))

      const queried = yield* o.queryServiceOrder({ out_order_no: "LIFE-0001", service_id: SERVICE_ID, appid: APPID })
      expect(queried._tag).toBe("Created")
      expect(queried.order_id).toBe(created.order_id)
      expect(queried.package).toBeUndefined()
      expect(sent.at(-1)!.url.search).toBe(`?out_order_no=LIFE-0001&service_id=${SERVICE_ID}&appid=${APPID}`)
      expect(sent.at(-1)!.body).toBe("")

      const confirmed = yield* s.confirmOrder({ out_order_no: "LIFE-0001", openid: OPENID, notify: false })
      expect(confirmed.order._tag).toBe("Doing")
      expect(confirmed.notification).toBeUndefined()
      const byQueryId = yield* o.queryServiceOrder({
        query_id: confirmed.query_id,
        service_id: SERVICE_ID,
        appid: APPID
      })
      expect([byQueryId._tag, byQueryId.state, byQueryId.state_description, byQueryId.openid]).toEqual([
        "Doing",
        "DOING",
        "USER_CONFIRM",
        OPENID
      ])
      // OnAccept became the moment of confirmation
      expect(byQueryId.time_range?.start_time).toMatch(/^\d{14}$/)

      const completed = yield* o.completeServiceOrder(merchantComplete("LIFE-0001"))
      const completeRequest = sent.at(-1)!
      expect(completeRequest.url.pathname).toBe("/v3/payscore/serviceorder/LIFE-0001/complete")
      expect(bodyOf(completeRequest)).not.toHaveProperty("out_order_no")
      expect([completed._tag, completed.state_description, completed.total_amount, completed.need_collection]).toEqual([
        "Doing",
        "MCH_COMPLETE",
        200,
        true
      ])
      expect(completed.collection).toEqual({
        state: "USER_PAYING",
        total_amount: 200,
        paying_amount: 200,
        paid_amount: 0
      })

      const paid = yield* s.payOrder({ out_order_no: "LIFE-0001", notify: false, transaction_id: "4200001" })
      expect(paid.order._tag).toBe("Done")
      const done = yield* o.queryServiceOrder({ out_order_no: "LIFE-0001", service_id: SERVICE_ID, appid: APPID })
      expect(done._tag).toBe("Done")
      expect(done.state_description).toBeUndefined()
      expect(done.collection?.state).toBe("USER_PAID")
      expect(done.collection?.paid_amount).toBe(200)
      expect(done.collection?.paying_amount).toBe(0)
      const detail = done.collection?.details?.[0]
      expect([detail?.seq, detail?.amount, detail?.paid_type, detail?.transaction_id]).toEqual([
        1,
        200,
        "NEWTON",
        "4200001"
      ])
      expect(DateTime.isDateTime(detail?.paid_time)).toBe(true)
      expect((yield* requests).every((r) => r.signatureVerified === true)).toBe(true)
    }).pipe(Effect.provide(sandboxLayer({}, sent))))
})

describe("merchant: the other calls", () => {
  it.live("cancel answers {appid, mchid, out_order_no, service_id, order_id}; collect, modify, sync", () =>
    Effect.gen(function*() {
      const s = yield* sandbox
      const o = yield* orders
      const created = yield* o.createServiceOrder(merchantCreate("CANCEL-1"))
      const cancelled = yield* o.cancelServiceOrder({
        out_order_no: "CANCEL-1",
        appid: APPID,
        service_id: SERVICE_ID,
        reason: "用户投诉"
      })
      expect(cancelled).toEqual({
        appid: APPID,
        mchid: s.wechatPayOptions.mchid,
        out_order_no: "CANCEL-1",
        service_id: SERVICE_ID,
        order_id: created.order_id
      })
      const logged = (yield* requests).at(-1)!
      expect(logged.url).toBe("/v3/payscore/serviceorder/CANCEL-1/cancel")
      expect(JSON.parse(logged.body)).toEqual({ appid: APPID, service_id: SERVICE_ID, reason: "用户投诉" })
      expect(
        (yield* o.queryServiceOrder({ out_order_no: "CANCEL-1", service_id: SERVICE_ID, appid: APPID }))._tag
      ).toBe("Revoked")

      yield* o.createServiceOrder(merchantCreate("PAY-1"))
      yield* s.confirmOrder({ out_order_no: "PAY-1", notify: false })
      yield* o.completeServiceOrder(merchantComplete("PAY-1"))
      const collected = yield* o.collectServiceOrder({ out_order_no: "PAY-1", appid: APPID, service_id: SERVICE_ID })
      expect(collected.out_order_no).toBe("PAY-1")
      expect((yield* requests).at(-1)!.url).toBe("/v3/payscore/serviceorder/PAY-1/pay")
      const modified = yield* o.modifyServiceOrder({
        out_order_no: "PAY-1",
        appid: APPID,
        service_id: SERVICE_ID,
        post_payments: [{ name: "充电宝租借", amount: 150 }],
        total_amount: 150,
        reason: "用户投诉"
      })
      expect([modified.total_amount, modified.collection?.paying_amount, modified.post_discounts]).toEqual([
        150,
        150,
        undefined
      ])
      const synced = yield* o.syncServiceOrder({
        out_order_no: "PAY-1",
        appid: APPID,
        service_id: SERVICE_ID,
        type: "Order_Paid",
        detail: { paid_time: "20260601" }
      })
      expect(synced._tag).toBe("Done")
      expect(synced.collection?.details?.[0]?.paid_type).toBe("MCH")
      expect(synced.collection?.details?.[0]?.paid_time).toEqual(DateTime.makeUnsafe("2026-05-31T16:00:00Z"))
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("create with need_user_confirm false (免确认): DOING / USER_CONFIRM at once; direct-complete; messages (204)", () =>
    Effect.gen(function*() {
      const o = yield* orders
      const free = yield* o.createServiceOrder({
        ...merchantCreate("FREE-1"),
        need_user_confirm: false,
        openid: OPENID
      })
      expect([free._tag, free.state_description, free.openid]).toEqual(["Doing", "USER_CONFIRM", OPENID])
      const direct = yield* o.directCompleteServiceOrder({
        out_order_no: "DIRECT-1",
        appid: APPID,
        openid: OPENID,
        service_id: SERVICE_ID,
        service_introduction: "共享充电宝",
        post_payments: [{ name: "充电宝租借", amount: 300 }],
        time_range: { start_time: "20260601080000", end_time: "20260601090000" },
        total_amount: 300,
        notify_url: "https://merchant.example.com/payscore/notify"
      })
      expect([direct._tag, direct.state_description, direct.collection?.state]).toEqual([
        "Doing",
        "MCH_COMPLETE",
        "USER_PAYING"
      ])
      expect((yield* requests).at(-1)!.url).toBe("/v3/payscore/serviceorder/direct-complete")
      const message = {
        out_order_no: "DIRECT-1",
        service_id: SERVICE_ID,
        post_payments: [{ name: "充电宝租借", amount: 300 }],
        total_amount: 300,
        prepaid_time: "20260602"
      }
      const pending: void = yield* o.sendServiceOrderPendingMessage(message)
      expect(pending).toBeUndefined()
      yield* o.sendServiceOrderPrepaidMessage(message)
      expect((yield* requests).slice(-2).map((r) => `${r.url} ${r.status}`)).toEqual([
        "/v3/payscore/serviceorder/DIRECT-1/send-pendingmessage 204",
        "/v3/payscore/serviceorder/DIRECT-1/send-prepaidmessage 204"
      ])
      // one of each per order
      const again = yield* Effect.flip(o.sendServiceOrderPendingMessage(message))
      expect([again._tag, "code" in again && again.code]).toEqual(["InvalidRequest", "INVALID_REQUEST"])
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("先用后付: createServicePayOnDeliveryOrder answers the order with package and shopping_info", () =>
    Effect.gen(function*() {
      const o = yield* orders
      const shopping_info = {
        jump_link: { jump_link_type: "JUMP_LINK_MINI_PROGRAM" as const, appid: APPID, path: "pages/order" },
        goods: [{ name: "耳机", picture: "https://example.com/p.png", amount: 9900, count: 1 }]
      }
      const created = yield* o.createServicePayOnDeliveryOrder({ ...merchantCreate("POD-1"), shopping_info })
      expect(created._tag).toBe("Created")
      expect(created.shopping_info).toEqual(shopping_info)
      expect((yield* requests).at(-1)!.url).toBe("/v3/payscore/servicepayondeliveryorder")
    }).pipe(Effect.provide(sandboxLayer())))
})

describe("times given as DateTime are sent in China Standard Time", () => {
  const sent: Array<Sent> = []
  it.live("time_range, complete_time, paid_time, prepaid_time", () =>
    Effect.gen(function*() {
      const s = yield* sandbox
      const o = yield* orders
      // 2026-06-01T00:30:00Z is 08:30 in China: the day is the same, the hour is not
      const start = DateTime.makeUnsafe("2026-06-01T00:30:00Z")
      const late = DateTime.makeUnsafe("2026-06-01T17:30:00Z") // 2026-06-02 01:30 in China
      yield* o.createServiceOrder({ ...merchantCreate("TIME-1"), time_range: { start_time: start } })
      expect(bodyOf(sent.at(-1)!).time_range).toEqual({ start_time: "20260601083000" })
      yield* s.confirmOrder({ out_order_no: "TIME-1", notify: false })
      yield* o.completeServiceOrder({ ...merchantComplete("TIME-1"), time_range: { end_time: start } })
      expect(bodyOf(sent.at(-1)!).time_range).toEqual({ end_time: "20260601083000" })
      yield* o.syncServiceOrder({
        out_order_no: "TIME-1",
        appid: APPID,
        service_id: SERVICE_ID,
        type: "Order_Paid",
        detail: { paid_time: late }
      })
      expect(bodyOf(sent.at(-1)!).detail).toEqual({ paid_time: "20260602013000" })

      yield* o.createPartnerServiceOrder(partnerCreate("TIME-2"))
      yield* s.confirmOrder({ out_order_no: "TIME-2", sub_mchid: SUB_MCHID, notify: false })
      yield* o.completePartnerServiceOrder({
        out_order_no: "TIME-2",
        service_id: SERVICE_ID,
        sub_mchid: SUB_MCHID,
        post_payments: [{ name: "充电宝租借", amount: 300 }],
        total_amount: 300,
        complete_time: late
      })
      expect(bodyOf(sent.at(-1)!).complete_time).toBe("2026-06-02T01:30:00+08:00")
      yield* o.sendPartnerServiceOrderPrepaidMessage({
        out_order_no: "TIME-2",
        service_id: SERVICE_ID,
        sub_mchid: SUB_MCHID,
        post_payments: [{ name: "充电宝租借", amount: 300 }],
        total_amount: 300,
        prepaid_time: late
      })
      expect(bodyOf(sent.at(-1)!).prepaid_time).toBe("20260602")
    }).pipe(Effect.provide(sandboxLayer({}, sent))))
})

describe("partner (服务商)", () => {
  it.live("create → confirm → complete (204, void) → pay → sync (204) → query; cancel (204); sub_mchid in every body", () =>
    Effect.gen(function*() {
      const s = yield* sandbox
      const o = yield* orders
      const created = yield* o.createPartnerServiceOrder(partnerCreate("P-1"))
      expect([created._tag, created.sub_mchid, created.sub_appid]).toEqual(["Created", SUB_MCHID, SUB_APPID])
      const confirmed = yield* s.confirmOrder({ out_order_no: "P-1", sub_mchid: SUB_MCHID, notify: false })
      // created with sub_appid: the user is known by sub_openid
      expect(confirmed.order.sub_openid).toBe(OPENID)
      const completed: void = yield* o.completePartnerServiceOrder({
        out_order_no: "P-1",
        service_id: SERVICE_ID,
        sub_mchid: SUB_MCHID,
        post_payments: [{ name: "充电宝租借", amount: 300 }],
        total_amount: 300
      })
      expect(completed).toBeUndefined()
      const completeRequest = (yield* requests).at(-1)!
      expect([completeRequest.url, completeRequest.status, completeRequest.answer?.body]).toEqual([
        "/v3/payscore/partner/serviceorder/P-1/complete",
        204,
        ""
      ])
      expect(JSON.parse(completeRequest.body)).toMatchObject({ sub_mchid: SUB_MCHID })
      yield* o.collectPartnerServiceOrder({ out_order_no: "P-1", sub_mchid: SUB_MCHID })
      yield* o.modifyPartnerServiceOrder({
        out_order_no: "P-1",
        sub_mchid: SUB_MCHID,
        post_payments: [{ name: "充电宝租借", amount: 250 }],
        total_amount: 250,
        reason: "调整"
      })
      yield* o.syncPartnerServiceOrder({
        out_order_no: "P-1",
        service_id: SERVICE_ID,
        sub_mchid: SUB_MCHID,
        type: "Order_Paid",
        detail: { paid_time: "20260601120000" }
      })
      const done = yield* o.queryPartnerServiceOrder({
        out_order_no: "P-1",
        service_id: SERVICE_ID,
        sub_mchid: SUB_MCHID
      })
      expect([done._tag, done.total_amount, done.collection?.paid_amount]).toEqual(["Done", 250, 250])
      expect((yield* requests).at(-1)!.url).toBe(
        `/v3/payscore/partner/serviceorder?service_id=${SERVICE_ID}&sub_mchid=${SUB_MCHID}&out_order_no=P-1`
      )

      yield* o.createPartnerServiceOrder(partnerCreate("P-2"))
      yield* o.cancelPartnerServiceOrder({ out_order_no: "P-2", sub_mchid: SUB_MCHID, reason: "用户取消" })
      expect((yield* requests).at(-1)!.status).toBe(204)
      // another sub-merchant's order of the same number is another order
      const other = yield* Effect.flip(o.queryPartnerServiceOrder({ out_order_no: "P-2", sub_mchid: "1900000999" }))
      expect(other._tag).toBe("NotFound")
    }).pipe(Effect.provide(sandboxLayer())))
})

describe("acquiring bank (从业机构)", () => {
  it.live("create → confirm → complete (204) → register a deduction → query it; cancel and sync refused while it is live", () =>
    Effect.gen(function*() {
      const s = yield* sandbox
      const o = yield* orders
      const created = yield* o.createAcquiringBankServiceOrder(bankCreate("B-1"))
      expect([created._tag, created.channel_id]).toEqual(["Created", CHANNEL_ID])
      yield* s.confirmOrder({ out_order_no: "B-1", sub_mchid: SUB_MCHID, role: "AcquiringBank", notify: false })
      yield* o.completeAcquiringBankServiceOrder({
        out_order_no: "B-1",
        service_id: SERVICE_ID,
        sub_mchid: SUB_MCHID,
        channel_id: CHANNEL_ID,
        post_payments: [{ amount: 300 }],
        total_amount: 300,
        complete_time: "2026-06-01T12:00:00+08:00"
      })
      const registered = yield* o.registerAcquiringBankServiceOrderDeduction({
        out_order_no: "B-1",
        service_id: SERVICE_ID,
        appid: APPID,
        sub_mchid: SUB_MCHID,
        channel_id: CHANNEL_ID,
        out_trade_no: "DEDUCT-0001"
      })
      expect(registered).toEqual({ description: "共享充电宝" })
      const deduction = yield* o.queryAcquiringBankServiceOrderDeduction({
        service_id: SERVICE_ID,
        appid: APPID,
        sub_mchid: SUB_MCHID,
        channel_id: CHANNEL_ID,
        out_order_no: "B-1"
      })
      expect(deduction).toEqual({ description: "共享充电宝", out_trade_no: "DEDUCT-0001" })
      expect((yield* requests).at(-1)!.url).toBe(
        `/v3/payscore/acquiringbank/serviceorder/deduction?service_id=${SERVICE_ID}&appid=${APPID}&sub_mchid=${SUB_MCHID}&channel_id=${CHANNEL_ID}&out_order_no=B-1`
      )
      const cancel = yield* Effect.flip(o.cancelAcquiringBankServiceOrder({
        out_order_no: "B-1",
        sub_mchid: SUB_MCHID,
        channel_id: CHANNEL_ID,
        reason: "用户取消"
      }))
      expect(cancel._tag).toBe("InvalidRequest")
      expect(cancel.message).toContain("存在登记生效的扣款单")
      const queried = yield* o.queryAcquiringBankServiceOrder({
        service_id: SERVICE_ID,
        sub_mchid: SUB_MCHID,
        channel_id: CHANNEL_ID,
        out_order_no: "B-1"
      })
      expect([queried._tag, queried.state_description, queried.channel_id]).toEqual([
        "Doing",
        "MCH_COMPLETE",
        CHANNEL_ID
      ])
    }).pipe(Effect.provide(sandboxLayer())))
})

describe("PayScorePermissions.assessPartnerUserRiskLevel", () => {
  it.live("POST …/partner/permissions/assess-user-risk-level?sub_mchid=…, sub_mchid not in the body; the record with the level", () =>
    Effect.gen(function*() {
      const s = yield* sandbox
      yield* s.seed(Sandbox.Seed.Partner({
        authorization_code: "1275342195190894594",
        service_id: SERVICE_ID,
        sub_mchid: SUB_MCHID,
        record: { authorization_state: "AVAILABLE", sub_openid: OPENID, user_label: "A" }
      }))
      const permissions = yield* PayScorePermissions.PayScorePermissions
      const record = yield* permissions.assessPartnerUserRiskLevel({
        sub_mchid: SUB_MCHID,
        service_id: SERVICE_ID,
        appid: APPID,
        authorization_code: "1275342195190894594"
      })
      expect([record._tag, record.sub_mchid, record.user_risk_level, record.risk_level_version, record.user_label])
        .toEqual(["Available", SUB_MCHID, 1, 1, "A"])
      const logged = (yield* requests).at(-1)!
      expect(`${logged.method} ${logged.url}`).toBe(
        `POST /v3/payscore/partner/permissions/assess-user-risk-level?sub_mchid=${SUB_MCHID}`
      )
      expect(JSON.parse(logged.body)).toEqual({
        service_id: SERVICE_ID,
        appid: APPID,
        authorization_code: "1275342195190894594"
      })
      const missing = yield* Effect.flip(permissions.assessPartnerUserRiskLevel({
        sub_mchid: SUB_MCHID,
        service_id: SERVICE_ID,
        appid: APPID,
        authorization_code: "NO-SUCH-CODE"
      }))
      expect(missing._tag).toBe("NotFound")
    }).pipe(Effect.provide(sandboxLayer())))
})

describe("bad input: InvalidInput naming the field, nothing sent", () => {
  const cases: ReadonlyArray<
    readonly [
      string,
      (o: PayScoreServiceOrders.PayScoreServiceOrders.Service) => Effect.Effect<unknown, WechatPayError.WechatPayError>,
      string
    ]
  > = [
    ["out_order_no of 33 characters", (o) => o.createServiceOrder(merchantCreate("A".repeat(33))), "out_order_no"],
    ["out_order_no outside 0-9A-Za-z_-|*", (o) => o.createServiceOrder(merchantCreate("ORDER#1")), "out_order_no"],
    [
      "a path parameter that is not one segment",
      (o) => o.completeServiceOrder(merchantComplete("../pay")),
      "out_order_no"
    ],
    [
      "a negative amount",
      (o) => o.completeServiceOrder({ ...merchantComplete("X-1"), total_amount: -1 }),
      "total_amount"
    ],
    [
      "a fraction of a fen",
      (o) => o.completeServiceOrder({ ...merchantComplete("X-1"), post_payments: [{ name: "租借", amount: 1.5 }] }),
      "post_payments.0.amount"
    ],
    [
      "both out_order_no and query_id",
      (o) => o.queryServiceOrder({ out_order_no: "X-1", query_id: "Q", service_id: SERVICE_ID, appid: APPID }),
      "query_id"
    ],
    [
      "neither out_order_no nor query_id",
      (o) => o.queryServiceOrder({ service_id: SERVICE_ID, appid: APPID }),
      "out_order_no"
    ],
    [
      "start_time in no documented form",
      (o) => o.createServiceOrder({ ...merchantCreate("X-1"), time_range: { start_time: "2026-06-01 08:00" } }),
      "time_range.start_time"
    ],
    [
      "end_time OnAccept",
      (o) =>
        o.createServiceOrder({
          ...merchantCreate("X-1"),
          time_range: { start_time: "OnAccept", end_time: "OnAccept" }
        }),
      "time_range.end_time"
    ],
    [
      "a service_introduction of 21 characters",
      (o) => o.createServiceOrder({ ...merchantCreate("X-1"), service_introduction: "共".repeat(21) }),
      "service_introduction"
    ],
    [
      "a reason of 51 characters",
      (o) => o.cancelServiceOrder({ out_order_no: "X-1", appid: APPID, reason: "因".repeat(51) }),
      "reason"
    ],
    [
      "an unknown risk_fund name",
      (o) =>
        o.createServiceOrder({
          ...merchantCreate("X-1"),
          risk_fund: { name: "UDEPOSIT" as "DEPOSIT", amount: 1 }
        }),
      "risk_fund.name"
    ],
    [
      "partner: no sub_mchid",
      (o) => o.cancelPartnerServiceOrder({ out_order_no: "X-1", reason: "r" } as never),
      "sub_mchid"
    ]
  ]
  for (const [name, call, field] of cases) {
    it.live(name, () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(call(yield* orders))
        expect(error._tag).toBe("InvalidInput")
        if (error._tag === "InvalidInput") expect(error.field).toBe(field)
        expect(yield* requests).toHaveLength(0)
      }).pipe(Effect.provide(sandboxLayer())))
  }

  it.live("at the limits: 32 characters, 0 fen, 20 and 50 characters pass", () =>
    Effect.gen(function*() {
      const s = yield* sandbox
      const o = yield* orders
      const number = "A-Z_a|z*".padEnd(32, "0")
      yield* o.createServiceOrder({ ...merchantCreate(number), service_introduction: "共".repeat(20) })
      yield* s.confirmOrder({ out_order_no: number, notify: false })
      const completed = yield* o.completeServiceOrder({
        ...merchantComplete(number),
        post_payments: [{ name: "免费", amount: 0 }],
        post_discounts: [],
        total_amount: 0
      })
      expect(completed.total_amount).toBe(0)
      expect((yield* requests).at(-1)!.url).toBe(`/v3/payscore/serviceorder/${encodeURIComponent(number)}/complete`)
      yield* o.cancelServiceOrder({ out_order_no: number, appid: APPID, reason: "因".repeat(50) })
    }).pipe(Effect.provide(sandboxLayer())))
})
