/**
 * The sandbox's service orders (支付分订单) of the three roles: the order store, what each endpoint
 * of `core/endpoints/serviceOrders.ts` does to an order once its parameters passed the endpoint's
 * rules, and the two steps that happen in WeChat rather than over the API (the user confirms, the
 * user pays), each of which WeChat Pay notifies.
 *
 * The state machine (test/fixtures/wechatpay/serviceorder/README.md §4.3; the official pages):
 *
 * | from | call or event | to / answer |
 * |---|---|---|
 * | (none) | create (`need_user_confirm` not false) | CREATED |
 * | (none) | create with `need_user_confirm: false` (免确认) | DOING / USER_CONFIRM |
 * | any | create, identical parameters (原参重入) | the same order, as it is now |
 * | any | create, other parameters | 400 INVALID_REQUEST 订单重入参数校验失败 |
 * | CREATED | 30 days on the engine's clock | EXPIRED |
 * | CREATED | the user confirms | DOING / USER_CONFIRM, `PAYSCORE.USER_CONFIRM` notified |
 * | CREATED | complete | 400 INVALID_REQUEST 当前订单状态不合法 (a real answer, community 2023) |
 * | DOING / USER_CONFIRM | complete | DOING / MCH_COMPLETE, collection USER_PAYING |
 * | DOING / MCH_COMPLETE | complete, identical parameters | the order as it is |
 * | DOING / MCH_COMPLETE | complete, other parameters | 400 INVALID_REQUEST 订单重入参数校验失败 |
 * | DOING / MCH_COMPLETE, USER_PAYING | modify (lower only) | the new amount |
 * | DOING / MCH_COMPLETE, USER_PAYING | pay (催收) | unchanged (WeChat Pay collects) |
 * | DOING / MCH_COMPLETE, USER_PAYING | sync | DONE, collection USER_PAID (paid_type MCH) |
 * | DOING / MCH_COMPLETE, USER_PAYING | the user pays | DONE, collection USER_PAID (NEWTON), `PAYSCORE.USER_PAID` notified |
 * | CREATED, DOING (either) | cancel | REVOKED |
 * | REVOKED | merchant cancel, identical parameters (原参重入) | the same answer |
 * | REVOKED | anything else that changes the order | 400 ORDER_CANCELED 单据已取消 |
 * | DONE | cancel, complete, modify, pay, sync | 400 ORDER_DONE 订单已完成 |
 * | EXPIRED | cancel, complete, modify, pay, sync | 400 INVALID_ORDER_STATE 单据状态错误 |
 * | CREATED, DOING / USER_CONFIRM | modify, pay, sync | 400 INVALID_ORDER_STATE 单据状态错误 (仅服务订单支付状态为待支付时,才可使用此能力) |
 *
 * Where the sources disagree, the sandbox follows the official API pages: cancel is allowed while
 * USER_PAYING (the merchant, partner and bank cancel pages; SK's business rules say it is refused
 * with 271316592, as one real answer was); a partner's or bank's create gives CREATED, like the
 * merchant's (the pages disagree: CREATED on create-partner-service-order.html and 4013194023,
 * DOING on 4012692136 and 4012691326). Checked as WeChat Pay does besides the state: `total_amount`
 * = Σ`post_payments.amount` − Σ`post_discounts.amount` on complete and modify (400 PARAM_ERROR
 * 最终总金额计算非法), a complete's `end_time` not later than the call (400 PARAM_ERROR
 * 实际结束时间不能晚于使用完结接口的时间), the same `appid` as the create (SK: 4108), one message of
 * each kind per order, and for the acquiring bank no cancel, modify or sync while a registered
 * deduction is live (24 h). An order is found by `out_order_no` (per merchant, per partner
 * sub-merchant, per bank sub-merchant) or by the `query_id` the confirmation hands back; an order
 * of another `service_id` is not found (404 ORDER_NOT_EXIST 订单不存在).
 *
 * @internal
 */
import * as ServiceOrders from "../../core/endpoints/serviceOrders.js"
import * as Time from "../../core/time.js"
import { apiError, json } from "./answers.js"
import type { Behaviour } from "./permissions.js"
import type { Plan } from "./types.js"

/** `PAYSCORE.USER_CONFIRM` and `PAYSCORE.USER_PAID` (the core's). @internal */
export { USER_CONFIRM, USER_PAID } from "../../core/notification.js"

/** Whose order. @internal */
export type Role = "Merchant" | "Partner" | "AcquiringBank"

/** A CREATED order unchanged for this long expires (30 days). @internal */
export const EXPIRY_MILLIS = 30 * 24 * 3_600_000

/** A registered deduction is live this long (24 h). @internal */
export const DEDUCTION_MILLIS = 24 * 3_600_000

/** The openid the user confirms with when the order and the caller name none. @internal */
export const DEFAULT_OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"

/** The wire fields of an order, in the order the answers print them. */
const ORDER_FIELDS = [
  "appid",
  "mchid",
  "sub_appid",
  "sub_mchid",
  "channel_id",
  "out_order_no",
  "service_id",
  "service_introduction",
  "state",
  "state_description",
  "post_payments",
  "post_discounts",
  "risk_fund",
  "total_amount",
  "need_collection",
  "collection",
  "time_range",
  "location",
  "attach",
  "notify_url",
  "openid",
  "sub_openid",
  "order_id",
  "shopping_info"
] as const

type Json = Record<string, unknown>

/** @internal */
export interface StoredOrder {
  readonly role: Role
  readonly key: string
  /** The create's parameters, canonical JSON (re-entry compares them). */
  readonly created: string
  readonly createdAt: number
  readonly queryId: string
  readonly package: string
  /** The order's wire fields (state included). */
  fields: Json
  /** The parameters of the cancel that revoked it, canonical JSON. */
  cancelled?: string | undefined
  /** The parameters of the complete, canonical JSON. */
  completed?: string | undefined
  readonly messages: Set<string>
  deduction?: { readonly out_trade_no: string; readonly at: number } | undefined
}

/** How a caller names an order (the sandbox's control methods). @internal */
export interface OrderRef {
  readonly out_order_no: string
  readonly sub_mchid?: string | undefined
  readonly role?: Role | undefined
}

const canonical = (value: unknown): string =>
  JSON.stringify(value, (_, v: unknown) =>
    typeof v === "object" && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Json).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v)

const digits = (length: number): string =>
  Array.from(globalThis.crypto.getRandomValues(new Uint8Array(length)), (b) => String(b % 10)).join("")

const base64 = (bytes: number): string => {
  const raw = globalThis.crypto.getRandomValues(new Uint8Array(bytes))
  let text = ""
  for (const b of raw) text += String.fromCharCode(b)
  return btoa(text)
}

const keyOf = (role: Role, fields: { readonly out_order_no?: unknown; readonly sub_mchid?: unknown }): string =>
  JSON.stringify(role === "Merchant" ? [role, fields.out_order_no] : [role, fields.sub_mchid, fields.out_order_no])

/** The orders of one sandbox. @internal */
export class OrderStore {
  private readonly orders = new Map<string, StoredOrder>()
  private readonly queryIds = new Map<string, string>()

  /** The order under `key`, expired first when its 30 days are over. */
  private at(key: string | undefined, now: number): StoredOrder | undefined {
    const order = key === undefined ? undefined : this.orders.get(key)
    if (order !== undefined && order.fields.state === "CREATED" && now - order.createdAt >= EXPIRY_MILLIS) {
      order.fields = { ...order.fields, state: "EXPIRED" }
    }
    return order
  }

  /** By `out_order_no`, or by `query_id`. */
  find(role: Role, fields: Readonly<Json>, now: number): StoredOrder | undefined {
    if (typeof fields.out_order_no === "string") return this.at(keyOf(role, fields), now)
    if (typeof fields.query_id === "string") {
      const order = this.at(this.queryIds.get(fields.query_id), now)
      return order?.role === role && (role === "Merchant" || order.fields.sub_mchid === fields.sub_mchid)
        ? order
        : undefined
    }
    return undefined
  }

  /** The order a control method names: the role given, else partner then bank with a `sub_mchid`, else merchant. */
  lookup(ref: OrderRef, now: number): StoredOrder | undefined {
    const roles: ReadonlyArray<Role> = ref.role !== undefined
      ? [ref.role]
      : ref.sub_mchid !== undefined
      ? ["Partner", "AcquiringBank"]
      : ["Merchant"]
    for (const role of roles) {
      const order = this.find(role, { out_order_no: ref.out_order_no, sub_mchid: ref.sub_mchid }, now)
      if (order !== undefined) return order
    }
    return undefined
  }

  add(order: StoredOrder): void {
    this.orders.set(order.key, order)
    this.queryIds.set(order.queryId, order.key)
  }

  clear(): void {
    this.orders.clear()
    this.queryIds.clear()
  }
}

/** The order's wire fields in the documented order (`package` only in a create's answer). @internal */
export const orderAnswer = (order: StoredOrder, withPackage = false): Json => {
  const out: Json = {}
  for (const name of ORDER_FIELDS) if (order.fields[name] !== undefined) out[name] = order.fields[name]
  if (withPackage) out.package = order.package
  return out
}

/** What the notifications carry: the order, with the bank's registered `out_trade_no`. @internal */
export const notificationResource = (order: StoredOrder): Json => ({
  ...orderAnswer(order),
  ...(order.role === "AcquiringBank" && order.deduction !== undefined
    ? { out_trade_no: order.deduction.out_trade_no }
    : {})
})

// ---------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------

const notFound = (params: Readonly<Json>): Plan =>
  apiError(
    404,
    "ORDER_NOT_EXIST",
    `订单不存在 (no order ${
      typeof params.out_order_no === "string"
        ? `out_order_no ${params.out_order_no}`
        : `query_id ${String(params.query_id)}`
    }${typeof params.sub_mchid === "string" ? ` of sub_mchid ${params.sub_mchid}` : ""})`
  )

const CANCELED = apiError(400, "ORDER_CANCELED", "单据已取消")
const DONE = apiError(400, "ORDER_DONE", "订单已完成")
const INVALID_STATE = apiError(400, "INVALID_ORDER_STATE", "单据状态错误")
const NOT_PAYING = apiError(400, "INVALID_ORDER_STATE", "单据状态错误: 仅服务订单支付状态为待支付时,才可使用此能力")
const REENTRY = (outOrderNo: unknown) =>
  apiError(
    400,
    "INVALID_REQUEST",
    `订单重入参数校验失败: out_order_no ${
      String(outOrderNo)
    } was sent before with other parameters (请确认相同单号是否使用了不同的参数)`
  )
const DEDUCTING = apiError(
  400,
  "INVALID_REQUEST",
  "存在登记生效的扣款单,无法取消支付分订单/修改订单金额/同步订单状态 (a registered deduction is live for 24 h)"
)
const NO_CONTENT: Plan = { status: 204, body: "", code: undefined }

/** The refusal of a call that needs a completed, unpaid order; `undefined` when it is one. */
const unlessPaying = (order: StoredOrder): Plan | undefined => {
  const { collection, state, state_description } = order.fields
  if (state === "REVOKED") return CANCELED
  if (state === "DONE") return DONE
  if (state === "EXPIRED") return INVALID_STATE
  return state === "DOING" && state_description === "MCH_COMPLETE" &&
      (collection as Json | undefined)?.state === "USER_PAYING"
    ? undefined
    : NOT_PAYING
}

const deductionLive = (order: StoredOrder, now: number): boolean =>
  order.deduction !== undefined && now - order.deduction.at < DEDUCTION_MILLIS

const sumAmounts = (items: unknown): number =>
  Array.isArray(items) ? items.reduce<number>((sum, item) => sum + (Number((item as Json).amount) || 0), 0) : 0

/** `total_amount` = Σ`post_payments.amount` − Σ`post_discounts.amount`, as WeChat Pay checks it. */
const badTotal = (params: Readonly<Json>): Plan | undefined =>
  typeof params.total_amount === "number" &&
    params.total_amount !== sumAmounts(params.post_payments) - sumAmounts(params.post_discounts)
    ? apiError(
      400,
      "PARAM_ERROR",
      `最终总金额计算非法 (total_amount ${params.total_amount} is not post_payments ${
        sumAmounts(params.post_payments)
      } − post_discounts ${sumAmounts(params.post_discounts)})`
    )
    : undefined

/** The epoch millis of a time as the rules write it (`yyyyMMddHHmmss`, or `yyyyMMdd` = 00:00:00), China Standard Time. */
const millisOfOrderTime = (text: unknown): number | undefined =>
  typeof text !== "string" ? undefined : Time.parseMillis(/^\d{8}$/.test(text) ? `${text}000000` : text)

const compactTime = (text: string): string => (/^\d{8}$/.test(text) ? `${text}000000` : text)

/** An order of this call's role named by the parameters, with its `service_id` and `appid` as the caller says. */
const withOrder = (
  role: Role,
  run: (order: StoredOrder, params: Readonly<Json>, context: Parameters<Behaviour>[1]) => Plan
): Behaviour =>
(params, context) => {
  const order = context.orders.find(role, params, context.now)
  if (
    order === undefined || (typeof params.service_id === "string" && params.service_id !== order.fields.service_id) ||
    (typeof params.channel_id === "string" && order.fields.channel_id !== undefined &&
      params.channel_id !== order.fields.channel_id)
  ) {
    return notFound(params)
  }
  if (role === "Merchant" && typeof params.appid === "string" && params.appid !== order.fields.appid) {
    return apiError(
      400,
      "INVALID_REQUEST",
      `appid ${params.appid} is not the appid the order was created with (${
        String(order.fields.appid)
      }): create, complete and cancel take the same appid`
    )
  }
  return run(order, params, context)
}

const reference = (order: StoredOrder): Json => ({
  appid: order.fields.appid,
  mchid: order.fields.mchid,
  out_order_no: order.fields.out_order_no,
  service_id: order.fields.service_id,
  order_id: order.fields.order_id
})

// ---------------------------------------------------------------------------------------------
// Behaviours
// ---------------------------------------------------------------------------------------------

const CREATE_COPIED = [
  "appid",
  "sub_appid",
  "sub_mchid",
  "channel_id",
  "out_order_no",
  "service_id",
  "service_introduction",
  "post_payments",
  "post_discounts",
  "risk_fund",
  "time_range",
  "location",
  "attach",
  "notify_url",
  "openid",
  "sub_openid",
  "shopping_info"
] as const

const create = (role: Role): Behaviour => (params, { keys, now, orders, write }) => {
  const key = keyOf(role, params)
  const existing = orders.find(role, params, now)
  const created = canonical(params)
  if (existing !== undefined) {
    return existing.created === created ? json(200, orderAnswer(existing, true)) : REENTRY(params.out_order_no)
  }
  const confirmFree = params.need_user_confirm === false
  const fields: Json = { mchid: keys.mchid }
  for (const name of CREATE_COPIED) if (params[name] !== undefined) fields[name] = params[name]
  fields.state = confirmFree ? "DOING" : "CREATED"
  if (confirmFree) fields.state_description = "USER_CONFIRM"
  fields.order_id = `${digits(4)}${Time.formatCompact(now)}${digits(12)}`
  const order: StoredOrder = {
    role,
    key,
    created,
    createdAt: now,
    queryId: base64(24),
    package: base64(48),
    fields,
    messages: new Set()
  }
  if (write) orders.add(order)
  return json(200, orderAnswer(order, true))
}

const query = (role: Role): Behaviour => (params, { now, orders }) => {
  const order = orders.find(role, params, now)
  return order === undefined ||
      (typeof params.service_id === "string" && params.service_id !== order.fields.service_id) ||
      (typeof params.appid === "string" && role === "Merchant" && params.appid !== order.fields.appid) ||
      (typeof params.channel_id === "string" && params.channel_id !== order.fields.channel_id)
    ? notFound(params)
    : json(200, orderAnswer(order))
}

const cancel = (role: Role) =>
  withOrder(role, (order, params, { now, write }) => {
    const answer = () => role === "Merchant" ? json(200, reference(order)) : NO_CONTENT
    switch (order.fields.state) {
      case "REVOKED":
        // the merchant cancel is documented as re-entrant with the same parameters (reason included)
        return role === "Merchant" && order.cancelled === canonical(params) ? answer() : CANCELED
      case "DONE":
        return DONE
      case "EXPIRED":
        return INVALID_STATE
      case "CREATED":
      case "DOING": {
        if (role === "AcquiringBank" && deductionLive(order, now)) return DEDUCTING
        if (write) {
          const { state_description: _, ...rest } = order.fields
          order.fields = { ...rest, state: "REVOKED" }
          order.cancelled = canonical(params)
        }
        return answer()
      }
      default:
        return INVALID_STATE
    }
  })

const complete = (role: Role) =>
  withOrder(role, (order, params, { now, write }) => {
    const { state, state_description } = order.fields
    if (state === "REVOKED") return CANCELED
    if (state === "DONE") return DONE
    if (state === "EXPIRED") return INVALID_STATE
    if (state === "CREATED") return apiError(400, "INVALID_REQUEST", "当前订单状态不合法")
    const answer = () => role === "Merchant" ? json(200, orderAnswer(order)) : NO_CONTENT
    if (state === "DOING" && state_description === "MCH_COMPLETE") {
      return order.completed === canonical(params) ? answer() : REENTRY(params.out_order_no)
    }
    const total = badTotal(params)
    if (total !== undefined) return total
    const timeRange = params.time_range as Json | undefined
    const end = millisOfOrderTime(timeRange?.end_time)
    if (end !== undefined && end > now) {
      return apiError(
        400,
        "PARAM_ERROR",
        `实际结束时间不能晚于使用完结接口的时间 (end_time ${String(timeRange?.end_time)} is after ${
          Time.formatCompact(now)
        }, China Standard Time)`
      )
    }
    if (write) {
      const amount = params.total_amount as number
      const { post_discounts: _, ...rest } = order.fields
      order.fields = {
        ...rest,
        state: "DOING",
        state_description: "MCH_COMPLETE",
        post_payments: params.post_payments,
        ...(params.post_discounts === undefined ? {} : { post_discounts: params.post_discounts }),
        total_amount: amount,
        need_collection: true,
        collection: { state: "USER_PAYING", total_amount: amount, paying_amount: amount, paid_amount: 0 },
        ...(timeRange === undefined ? {} : { time_range: { ...(order.fields.time_range as Json), ...timeRange } }),
        ...(params.location === undefined
          ? {}
          : { location: { ...(order.fields.location as Json), ...(params.location as Json) } })
      }
      order.completed = canonical(params)
    }
    return answer()
  })

const modify = (role: Role) =>
  withOrder(role, (order, params, { now, write }) => {
    const refused = unlessPaying(order)
    if (refused !== undefined) return refused
    if (role === "AcquiringBank" && deductionLive(order, now)) return DEDUCTING
    const total = badTotal(params)
    if (total !== undefined) return total
    const amount = params.total_amount as number
    const current = Number(order.fields.total_amount)
    if (!(amount < current)) {
      return apiError(
        400,
        "INVALID_REQUEST",
        `修改金额只能下调 (total_amount ${amount} is not lower than the order's ${current}: 下调收款金额)`
      )
    }
    if (write) {
      const { post_discounts: _, ...rest } = order.fields
      const collection = order.fields.collection as Json
      order.fields = {
        ...rest,
        ...(params.post_payments === undefined ? {} : { post_payments: params.post_payments }),
        ...(params.post_discounts === undefined ? {} : { post_discounts: params.post_discounts }),
        total_amount: amount,
        collection: { ...collection, total_amount: amount, paying_amount: amount - Number(collection.paid_amount ?? 0) }
      }
    }
    return role === "Merchant" ? json(200, orderAnswer(order)) : NO_CONTENT
  })

const collect = (role: Role) =>
  withOrder(role, (order) => {
    const refused = unlessPaying(order)
    if (refused !== undefined) return refused
    return role === "Merchant" ? json(200, reference(order)) : NO_CONTENT
  })

/** The order paid: DONE, the whole amount collected by `paidType` at `paidTime`. */
const paid = (order: StoredOrder, paidType: "NEWTON" | "MCH", paidTime: string, transactionId?: string): void => {
  const { state_description: _, ...rest } = order.fields
  const collection = order.fields.collection as Json
  const amount = Number(collection.paying_amount ?? order.fields.total_amount ?? 0)
  order.fields = {
    ...rest,
    state: "DONE",
    collection: {
      ...collection,
      state: "USER_PAID",
      paying_amount: 0,
      paid_amount: Number(collection.paid_amount ?? 0) + amount,
      details: [
        ...(Array.isArray(collection.details) ? collection.details : []),
        {
          seq: (Array.isArray(collection.details) ? collection.details.length : 0) + 1,
          amount,
          paid_type: paidType,
          paid_time: paidTime,
          ...(transactionId === undefined ? {} : { transaction_id: transactionId })
        }
      ]
    }
  }
}

const sync = (role: Role) =>
  withOrder(role, (order, params, { now, write }) => {
    const refused = unlessPaying(order)
    if (refused !== undefined) return refused
    if (role === "AcquiringBank" && deductionLive(order, now)) return DEDUCTING
    if (write) paid(order, "MCH", compactTime(String((params.detail as Json).paid_time)))
    return role === "Merchant" ? json(200, orderAnswer(order)) : NO_CONTENT
  })

const directComplete: Behaviour = (params, context) => {
  const { keys, now, orders, write } = context
  const existing = orders.find("Merchant", params, now)
  if (existing !== undefined) {
    return existing.created === canonical(params) ? json(200, orderAnswer(existing)) : REENTRY(params.out_order_no)
  }
  const total = badTotal(params)
  if (total !== undefined) return total
  const amount = typeof params.total_amount === "number"
    ? params.total_amount
    : sumAmounts(params.post_payments) - sumAmounts(params.post_discounts)
  const fields: Json = { mchid: keys.mchid }
  for (const name of CREATE_COPIED) if (params[name] !== undefined) fields[name] = params[name]
  Object.assign(fields, {
    state: "DOING",
    state_description: "MCH_COMPLETE",
    total_amount: amount,
    need_collection: true,
    collection: { state: "USER_PAYING", total_amount: amount, paying_amount: amount, paid_amount: 0 },
    order_id: `${digits(4)}${Time.formatCompact(now)}${digits(12)}`
  })
  const order: StoredOrder = {
    role: "Merchant",
    key: keyOf("Merchant", params),
    created: canonical(params),
    createdAt: now,
    queryId: base64(24),
    package: base64(48),
    fields,
    messages: new Set(),
    completed: canonical(params)
  }
  if (write) orders.add(order)
  return json(200, orderAnswer(order))
}

const message = (role: Role, kind: "pending" | "prepaid") =>
  withOrder(role, (order, _, { write }) => {
    const { state } = order.fields
    if (state === "REVOKED") return CANCELED
    if (state === "DONE") return DONE
    if (state === "EXPIRED") return INVALID_STATE
    if (order.messages.has(kind)) {
      return apiError(400, "INVALID_REQUEST", `一笔服务订单仅可以发送一次 (the ${kind} message of this order was sent)`)
    }
    if (write) order.messages.add(kind)
    return NO_CONTENT
  })

const registerDeduction = withOrder("AcquiringBank", (order, params, { now, write }) => {
  const refused = unlessPaying(order)
  if (refused !== undefined) return refused
  if (deductionLive(order, now)) {
    return apiError(400, "INVALID_REQUEST", "存在登记生效的扣款单 (a registered deduction is live for 24 h)")
  }
  if (write) {
    order.deduction = {
      out_trade_no: typeof params.out_trade_no === "string" ? params.out_trade_no : `DEDUCT${digits(20)}`,
      at: now
    }
  }
  return json(200, { description: order.fields.service_introduction ?? "" })
})

const queryDeduction: Behaviour = (params, context) => {
  if (typeof params.out_order_no !== "string") {
    return apiError(400, "PARAM_ERROR", "out_order_no is required (the page marks it 必填)", {
      field: "out_order_no",
      value: "",
      issue: "out_order_no is required",
      location: "query"
    })
  }
  return withOrder("AcquiringBank", (order) =>
    order.deduction === undefined
      ? apiError(404, "ORDER_NOT_EXIST", "扣款单不存在 (no deduction registered for this order)")
      : json(200, {
        description: order.fields.service_introduction ?? "",
        out_trade_no: order.deduction.out_trade_no
      }))(
      params,
      context
    )
}

/**
 * What the sandbox does for each service-order endpoint, keyed by the endpoint's name.
 *
 * @internal
 */
export const behaviours: ReadonlyMap<string, Behaviour> = new Map<string, Behaviour>([
  [ServiceOrders.createServiceOrder.name, create("Merchant")],
  [ServiceOrders.queryServiceOrder.name, query("Merchant")],
  [ServiceOrders.cancelServiceOrder.name, cancel("Merchant")],
  [ServiceOrders.modifyServiceOrder.name, modify("Merchant")],
  [ServiceOrders.completeServiceOrder.name, complete("Merchant")],
  [ServiceOrders.collectServiceOrder.name, collect("Merchant")],
  [ServiceOrders.syncServiceOrder.name, sync("Merchant")],
  [ServiceOrders.directCompleteServiceOrder.name, directComplete],
  [ServiceOrders.sendServiceOrderPendingMessage.name, message("Merchant", "pending")],
  [ServiceOrders.sendServiceOrderPrepaidMessage.name, message("Merchant", "prepaid")],
  [ServiceOrders.createServicePayOnDeliveryOrder.name, create("Merchant")],
  [ServiceOrders.createPartnerServiceOrder.name, create("Partner")],
  [ServiceOrders.queryPartnerServiceOrder.name, query("Partner")],
  [ServiceOrders.cancelPartnerServiceOrder.name, cancel("Partner")],
  [ServiceOrders.modifyPartnerServiceOrder.name, modify("Partner")],
  [ServiceOrders.completePartnerServiceOrder.name, complete("Partner")],
  [ServiceOrders.collectPartnerServiceOrder.name, collect("Partner")],
  [ServiceOrders.syncPartnerServiceOrder.name, sync("Partner")],
  [ServiceOrders.sendPartnerServiceOrderPendingMessage.name, message("Partner", "pending")],
  [ServiceOrders.sendPartnerServiceOrderPrepaidMessage.name, message("Partner", "prepaid")],
  [ServiceOrders.createAcquiringBankServiceOrder.name, create("AcquiringBank")],
  [ServiceOrders.queryAcquiringBankServiceOrder.name, query("AcquiringBank")],
  [ServiceOrders.cancelAcquiringBankServiceOrder.name, cancel("AcquiringBank")],
  [ServiceOrders.modifyAcquiringBankServiceOrder.name, modify("AcquiringBank")],
  [ServiceOrders.completeAcquiringBankServiceOrder.name, complete("AcquiringBank")],
  [ServiceOrders.syncAcquiringBankServiceOrder.name, sync("AcquiringBank")],
  [ServiceOrders.registerAcquiringBankServiceOrderDeduction.name, registerDeduction],
  [ServiceOrders.queryAcquiringBankServiceOrderDeduction.name, queryDeduction]
])

/** The service-order endpoints. @internal */
export const endpoints = ServiceOrders.all

// ---------------------------------------------------------------------------------------------
// What the user does in WeChat
// ---------------------------------------------------------------------------------------------

/** An order moved by the user, or why it cannot be. @internal */
export type UserStep = { readonly _tag: "Moved"; readonly order: StoredOrder } | {
  readonly _tag: "Refused"
  readonly message: string
}

const describeRef = (ref: OrderRef): string =>
  `out_order_no ${ref.out_order_no}${ref.sub_mchid === undefined ? "" : ` of sub_mchid ${ref.sub_mchid}`}`

const stateText = (order: StoredOrder): string =>
  `${String(order.fields.state)}${
    order.fields.state_description === undefined ? "" : `/${String(order.fields.state_description)}`
  }`

/**
 * The user confirms the order on WeChat's confirmation page: CREATED → DOING / USER_CONFIRM, with
 * the user's openid (`sub_openid` for a partner or bank order created with `sub_appid`), and a
 * `start_time` of `OnAccept` becomes the moment of confirmation.
 *
 * @internal
 */
export const confirm = (
  orders: OrderStore,
  ref: OrderRef & { readonly openid?: string | undefined; readonly sub_openid?: string | undefined },
  now: number
): UserStep => {
  const order = orders.lookup(ref, now)
  if (order === undefined) return { _tag: "Refused", message: `no order ${describeRef(ref)}` }
  if (order.fields.state !== "CREATED") {
    return { _tag: "Refused", message: `order ${describeRef(ref)} is ${stateText(order)}, not CREATED` }
  }
  const underSubAppid = order.role !== "Merchant" && order.fields.sub_appid !== undefined
  const who: Json = ref.sub_openid !== undefined
    ? { sub_openid: ref.sub_openid }
    : ref.openid !== undefined
    ? { openid: ref.openid }
    : order.fields.openid !== undefined || order.fields.sub_openid !== undefined
    ? {}
    : underSubAppid
    ? { sub_openid: DEFAULT_OPENID }
    : { openid: DEFAULT_OPENID }
  const timeRange = order.fields.time_range as Json | undefined
  order.fields = {
    ...order.fields,
    ...who,
    state: "DOING",
    state_description: "USER_CONFIRM",
    ...(timeRange?.start_time === "OnAccept"
      ? { time_range: { ...timeRange, start_time: Time.formatCompact(now) } }
      : {})
  }
  return { _tag: "Moved", order }
}

/**
 * The user pays what the merchant completed (or WeChat Pay's deduction succeeds): DOING /
 * MCH_COMPLETE with collection USER_PAYING → DONE, collection USER_PAID (paid_type NEWTON).
 *
 * @internal
 */
export const pay = (
  orders: OrderStore,
  ref: OrderRef & { readonly transaction_id?: string | undefined },
  now: number
): UserStep => {
  const order = orders.lookup(ref, now)
  if (order === undefined) return { _tag: "Refused", message: `no order ${describeRef(ref)}` }
  if (unlessPaying(order) !== undefined) {
    return {
      _tag: "Refused",
      message: `order ${describeRef(ref)} is ${stateText(order)}, not completed and waiting for payment (USER_PAYING)`
    }
  }
  paid(order, "NEWTON", Time.formatCompact(now), ref.transaction_id ?? `4200${digits(24)}`)
  return { _tag: "Moved", order }
}
