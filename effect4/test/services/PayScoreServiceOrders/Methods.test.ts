/**
 * Every method of the Effect 4 `PayScoreServiceOrders`, the three roles, one after the other
 * against the Effect 4 sandbox over real HTTP on 127.0.0.1 (orders moved through the states each
 * call needs): the request each puts on the wire (method, path, query string, JSON body signed
 * byte for byte: a path parameter never in the body, a query parameter never in it either) and the
 * answer it decodes (an order tagged on `state`, the small answers, `void` for a 204). The table
 * is checked against the service itself and the core's declarations: a method added later without
 * a row fails here.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Endpoints from "../../../../src/core/endpoints/serviceOrders.js"
import type { PayScoreServiceOrders, WechatPayError } from "../../../src/index.js"
import { Sandbox } from "../../../src/testing/index.js"
import { lastRequest, sandboxLayer, type Sent, signatureHolds } from "../../helpers/sandbox.js"
import {
  APPID,
  bankCreate,
  CHANNEL_ID,
  merchantComplete,
  merchantCreate,
  orders,
  partnerCreate,
  SERVICE_ID,
  SUB_MCHID
} from "../../helpers/serviceOrders.js"

type Service = PayScoreServiceOrders.PayScoreServiceOrders.Service
type Json = Record<string, unknown>

interface Step {
  readonly name: keyof Service
  readonly params: Json
  readonly method: "GET" | "POST"
  readonly path: string
  readonly search: string
  /** The JSON body on the wire (`undefined`: none). */
  readonly body: Json | undefined
  readonly status: 200 | 204
  readonly check: (answer: unknown) => void
  /** What the user does in WeChat first (the sandbox's user steps), if the call needs it. */
  readonly before?: (
    sandbox: Sandbox.Sandbox.Service
  ) => Effect.Effect<unknown, unknown, PayScoreServiceOrders.PayScoreServiceOrders>
}

const without = (params: Json, ...names: ReadonlyArray<string>): Json =>
  Object.fromEntries(Object.entries(params).filter(([name]) => !names.includes(name)))

const isTagged = (tag: string, extra: Json = {}) => (answer: unknown) =>
  expect(answer).toMatchObject({ _tag: tag, ...extra })
const isVoid = (answer: unknown) => expect(answer).toBeUndefined()

const M = "M-1"
const P = "P-1"
const B = "B-1"
const base = "/v3/payscore"
const payments = [{ name: "充电宝租借", amount: 300 }]
const message = (extra: Json) => ({
  service_id: SERVICE_ID,
  post_payments: payments,
  total_amount: 300,
  prepaid_time: "20260602",
  ...extra
})

const post = (
  name: keyof Service,
  path: string,
  params: Json,
  status: 200 | 204,
  check: (answer: unknown) => void,
  before?: Step["before"]
): Step => ({
  name,
  params,
  method: "POST",
  path,
  search: "",
  body: without(params, ...(path.includes(`/${String(params.out_order_no)}/`) ? ["out_order_no"] : [])),
  status,
  check,
  ...(before === undefined ? {} : { before })
})

const merchant: ReadonlyArray<Step> = [
  post("createServiceOrder", `${base}/serviceorder`, merchantCreate(M), 200, isTagged("Created", { out_order_no: M })),
  {
    name: "queryServiceOrder",
    params: { out_order_no: M, service_id: SERVICE_ID, appid: APPID },
    method: "GET",
    path: `${base}/serviceorder`,
    search: `?out_order_no=${M}&service_id=${SERVICE_ID}&appid=${APPID}`,
    body: undefined,
    status: 200,
    check: isTagged("Created", { state: "CREATED" })
  },
  post(
    "completeServiceOrder",
    `${base}/serviceorder/${M}/complete`,
    merchantComplete(M),
    200,
    isTagged("Doing", { state_description: "MCH_COMPLETE", total_amount: 200 }),
    (s) => s.confirmOrder({ out_order_no: M, notify: false })
  ),
  post(
    "modifyServiceOrder",
    `${base}/serviceorder/${M}/modify`,
    {
      out_order_no: M,
      appid: APPID,
      service_id: SERVICE_ID,
      post_payments: [{ name: "充电宝租借", amount: 150 }],
      total_amount: 150,
      reason: "调整"
    },
    200,
    isTagged("Doing", { total_amount: 150 })
  ),
  post(
    "collectServiceOrder",
    `${base}/serviceorder/${M}/pay`,
    { out_order_no: M, appid: APPID, service_id: SERVICE_ID },
    200,
    (answer) => expect(answer).toMatchObject({ out_order_no: M, appid: APPID, service_id: SERVICE_ID })
  ),
  post(
    "sendServiceOrderPendingMessage",
    `${base}/serviceorder/${M}/send-pendingmessage`,
    message({ out_order_no: M }),
    204,
    isVoid
  ),
  post(
    "sendServiceOrderPrepaidMessage",
    `${base}/serviceorder/${M}/send-prepaidmessage`,
    message({ out_order_no: M }),
    204,
    isVoid
  ),
  post(
    "syncServiceOrder",
    `${base}/serviceorder/${M}/sync`,
    { out_order_no: M, appid: APPID, service_id: SERVICE_ID, type: "Order_Paid", detail: { paid_time: "20260601" } },
    200,
    isTagged("Done", { state: "DONE" })
  ),
  post(
    "cancelServiceOrder",
    `${base}/serviceorder/M-2/cancel`,
    { out_order_no: "M-2", appid: APPID, service_id: SERVICE_ID, reason: "用户投诉" },
    200,
    (answer) => expect(answer).toMatchObject({ out_order_no: "M-2", appid: APPID, service_id: SERVICE_ID }),
    () => Effect.flatMap(orders, (o) => o.createServiceOrder(merchantCreate("M-2")))
  ),
  post(
    "directCompleteServiceOrder",
    `${base}/serviceorder/direct-complete`,
    {
      out_order_no: "M-3",
      appid: APPID,
      openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
      service_id: SERVICE_ID,
      service_introduction: "共享充电宝",
      post_payments: payments,
      time_range: { start_time: "20260601080000", end_time: "20260601090000" },
      total_amount: 300,
      notify_url: "https://merchant.example.com/payscore/notify"
    },
    200,
    isTagged("Doing", { state_description: "MCH_COMPLETE" })
  ),
  post(
    "createServicePayOnDeliveryOrder",
    `${base}/servicepayondeliveryorder`,
    {
      ...merchantCreate("M-4"),
      shopping_info: {
        jump_link: { jump_link_type: "JUMP_LINK_MINI_PROGRAM", appid: APPID, path: "pages/order" },
        goods: [{ name: "耳机", picture: "https://example.com/p.png", amount: 9900, count: 1 }]
      }
    },
    200,
    isTagged("Created", { out_order_no: "M-4" })
  )
]

const partner: ReadonlyArray<Step> = [
  post(
    "createPartnerServiceOrder",
    `${base}/partner/serviceorder`,
    partnerCreate(P),
    200,
    isTagged("Created", { sub_mchid: SUB_MCHID })
  ),
  {
    name: "queryPartnerServiceOrder",
    params: { out_order_no: P, service_id: SERVICE_ID, sub_mchid: SUB_MCHID },
    method: "GET",
    path: `${base}/partner/serviceorder`,
    search: `?service_id=${SERVICE_ID}&sub_mchid=${SUB_MCHID}&out_order_no=${P}`,
    body: undefined,
    status: 200,
    check: isTagged("Created", { sub_mchid: SUB_MCHID })
  },
  post(
    "completePartnerServiceOrder",
    `${base}/partner/serviceorder/${P}/complete`,
    { out_order_no: P, service_id: SERVICE_ID, sub_mchid: SUB_MCHID, post_payments: payments, total_amount: 300 },
    204,
    isVoid,
    (s) => s.confirmOrder({ out_order_no: P, sub_mchid: SUB_MCHID, notify: false })
  ),
  post(
    "modifyPartnerServiceOrder",
    `${base}/partner/serviceorder/${P}/modify`,
    {
      out_order_no: P,
      sub_mchid: SUB_MCHID,
      post_payments: [{ name: "充电宝租借", amount: 250 }],
      total_amount: 250,
      reason: "调整"
    },
    204,
    isVoid
  ),
  post(
    "collectPartnerServiceOrder",
    `${base}/partner/serviceorder/${P}/pay`,
    { out_order_no: P, sub_mchid: SUB_MCHID },
    204,
    isVoid
  ),
  post(
    "sendPartnerServiceOrderPendingMessage",
    `${base}/partner/serviceorder/${P}/send-pendingmessage`,
    message({ out_order_no: P, sub_mchid: SUB_MCHID }),
    204,
    isVoid
  ),
  post(
    "sendPartnerServiceOrderPrepaidMessage",
    `${base}/partner/serviceorder/${P}/send-prepaidmessage`,
    message({ out_order_no: P, sub_mchid: SUB_MCHID }),
    204,
    isVoid
  ),
  post(
    "syncPartnerServiceOrder",
    `${base}/partner/serviceorder/${P}/sync`,
    {
      out_order_no: P,
      service_id: SERVICE_ID,
      sub_mchid: SUB_MCHID,
      type: "Order_Paid",
      detail: { paid_time: "20260601120000" }
    },
    204,
    isVoid
  ),
  post(
    "cancelPartnerServiceOrder",
    `${base}/partner/serviceorder/P-2/cancel`,
    { out_order_no: "P-2", sub_mchid: SUB_MCHID, reason: "用户取消" },
    204,
    isVoid,
    () => Effect.flatMap(orders, (o) => o.createPartnerServiceOrder(partnerCreate("P-2")))
  )
]

const bank: ReadonlyArray<Step> = [
  post(
    "createAcquiringBankServiceOrder",
    `${base}/acquiringbank/serviceorder`,
    bankCreate(B),
    200,
    isTagged("Created", { channel_id: CHANNEL_ID })
  ),
  {
    name: "queryAcquiringBankServiceOrder",
    params: { out_order_no: B, service_id: SERVICE_ID, sub_mchid: SUB_MCHID, channel_id: CHANNEL_ID },
    method: "GET",
    path: `${base}/acquiringbank/serviceorder`,
    search: `?service_id=${SERVICE_ID}&sub_mchid=${SUB_MCHID}&channel_id=${CHANNEL_ID}&out_order_no=${B}`,
    body: undefined,
    status: 200,
    check: isTagged("Created", { channel_id: CHANNEL_ID })
  },
  post(
    "completeAcquiringBankServiceOrder",
    `${base}/acquiringbank/serviceorder/${B}/complete`,
    {
      out_order_no: B,
      service_id: SERVICE_ID,
      sub_mchid: SUB_MCHID,
      channel_id: CHANNEL_ID,
      post_payments: [{ amount: 300 }],
      total_amount: 300,
      complete_time: "2026-06-01T12:00:00+08:00"
    },
    204,
    isVoid,
    (s) => s.confirmOrder({ out_order_no: B, sub_mchid: SUB_MCHID, role: "AcquiringBank", notify: false })
  ),
  post(
    "modifyAcquiringBankServiceOrder",
    `${base}/acquiringbank/serviceorder/${B}/modify`,
    {
      out_order_no: B,
      service_id: SERVICE_ID,
      sub_mchid: SUB_MCHID,
      channel_id: CHANNEL_ID,
      post_payments: [{ amount: 250 }],
      total_amount: 250,
      reason: "调整"
    },
    204,
    isVoid
  ),
  post(
    "registerAcquiringBankServiceOrderDeduction",
    `${base}/acquiringbank/serviceorder/${B}/registerdeductinfo`,
    {
      out_order_no: B,
      service_id: SERVICE_ID,
      appid: APPID,
      sub_mchid: SUB_MCHID,
      channel_id: CHANNEL_ID,
      out_trade_no: "DEDUCT-0001"
    },
    200,
    (answer) => expect(answer).toEqual({ description: "共享充电宝" })
  ),
  {
    name: "queryAcquiringBankServiceOrderDeduction",
    params: { service_id: SERVICE_ID, appid: APPID, sub_mchid: SUB_MCHID, channel_id: CHANNEL_ID, out_order_no: B },
    method: "GET",
    path: `${base}/acquiringbank/serviceorder/deduction`,
    search:
      `?service_id=${SERVICE_ID}&appid=${APPID}&sub_mchid=${SUB_MCHID}&channel_id=${CHANNEL_ID}&out_order_no=${B}`,
    body: undefined,
    status: 200,
    check: (answer) => expect(answer).toEqual({ description: "共享充电宝", out_trade_no: "DEDUCT-0001" })
  },
  post(
    "syncAcquiringBankServiceOrder",
    `${base}/acquiringbank/serviceorder/B-2/sync`,
    {
      out_order_no: "B-2",
      service_id: SERVICE_ID,
      sub_mchid: SUB_MCHID,
      channel_id: CHANNEL_ID,
      type: "Order_Paid",
      detail: { paid_time: "20260601120000" }
    },
    204,
    isVoid,
    (s) =>
      Effect.gen(function*() {
        const o = yield* orders
        yield* o.createAcquiringBankServiceOrder(bankCreate("B-2"))
        yield* s.confirmOrder({ out_order_no: "B-2", sub_mchid: SUB_MCHID, role: "AcquiringBank", notify: false })
        yield* o.completeAcquiringBankServiceOrder({
          out_order_no: "B-2",
          service_id: SERVICE_ID,
          sub_mchid: SUB_MCHID,
          channel_id: CHANNEL_ID,
          post_payments: [{ amount: 300 }],
          total_amount: 300
        })
      })
  ),
  post(
    "cancelAcquiringBankServiceOrder",
    `${base}/acquiringbank/serviceorder/B-3/cancel`,
    { out_order_no: "B-3", sub_mchid: SUB_MCHID, channel_id: CHANNEL_ID, reason: "用户取消" },
    204,
    isVoid,
    () => Effect.flatMap(orders, (o) => o.createAcquiringBankServiceOrder(bankCreate("B-3")))
  )
]

const ROLES = { merchant, partner, "acquiring bank": bank } as const

describe("the table", () => {
  it.live("holds every method of the service once, and every endpoint the core declares", () =>
    Effect.gen(function*() {
      const service = yield* orders
      const names = Object.values(ROLES).flat().map((step) => step.name).sort()
      expect(new Set(names).size).toBe(names.length)
      expect(names).toEqual(Object.keys(service).sort())
      expect(names).toEqual(Endpoints.all.map((e) => e.name).sort())
    }).pipe(Effect.provide(sandboxLayer())))
})

for (const [role, steps] of Object.entries(ROLES)) {
  describe(`${role}: every method, one order through its states`, () => {
    const sent: Array<Sent> = []
    it.live(steps.map((s) => s.name).join(", "), () =>
      Effect.gen(function*() {
        const sandbox = yield* Effect.service(Sandbox.Sandbox)
        const service = yield* orders
        for (const step of steps) {
          if (step.before !== undefined) yield* step.before(sandbox)
          const method = service[step.name] as unknown as (
            params: Json
          ) => Effect.Effect<unknown, WechatPayError.ClientError>
          const answer = yield* method(step.params)
          step.check(answer)
          const wire = sent.at(-1)!
          expect([step.name, wire.method, wire.url.pathname, wire.url.search]).toEqual([
            step.name,
            step.method,
            step.path,
            step.search
          ])
          if (step.body === undefined) {
            expect(wire.body, step.name).toBe("")
          } else {
            expect(JSON.parse(wire.body), step.name).toEqual(step.body)
            expect(wire.headers["content-type"], step.name).toBe("application/json")
          }
          expect(yield* signatureHolds(wire), step.name).toBe(true)
          const logged = yield* lastRequest
          expect([step.name, logged.status, logged.signatureVerified]).toEqual([step.name, step.status, true])
        }
      }).pipe(Effect.provide(sandboxLayer({}, sent))))
  })
}
