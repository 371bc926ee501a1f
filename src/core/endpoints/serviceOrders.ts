/**
 * The Pay Score service-order endpoints (支付分订单) of the three roles, declared once: merchant
 * (直连商户), partner (服务商, `/v3/payscore/partner/…`) and acquiring bank (从业机构,
 * `/v3/payscore/acquiringbank/…`). The shared objects and rules are in `serviceOrderFields.ts`.
 *
 * Declared beyond the three roles' order calls: the merchant and partner send-*message calls (OA
 * gives their bodies; one of each per order, answered 204) and the merchant 先用后付 order
 * (`servicepayondeliveryorder`: the official page, OA and IM's example).
 *
 * Left out, and why:
 * - partner `direct-complete`: only the 2020 wiki page (apiv3_partner Offline chapter6_2_8) and OA's
 *   2020 file describe it, "暂未对外开放"; no sample, no current page;
 * - partner and acquiring-bank `servicepayondeliveryorder`: no published example; the stored partner
 *   page (2024.11.01) is cut before `shopping_info`'s fields and OA makes `shopping_info`'s parts
 *   optional where the merchant definition requires them; the bank has OA only;
 * - `GET /v3/payscore/merchant-bill`, `partner/servicequotas`, `partner/service-account-applications`,
 *   sign plans, the oversea (`apihk`) and legacy 2019 (`payafter-orders`, `smartretail-orders`) APIs:
 *   other products than the service order (SERVICE-ORDERS.md §1d).
 *
 * Paths: `directCompleteServiceOrder` posts to `/v3/payscore/serviceorder/direct-complete`, as OA,
 * IM and SKIT do, like every other service-order path. The current official page
 * (/doc/v3/merchant/4012924361, 2024.11.06) prints `/payscore/serviceorder/direct-complete` without
 * `/v3`, and gopay and wechatpayv3 send that; every APIv3 path starts with `/v3`.
 *
 * Answers: merchant calls answer 200 with a body (`json`), but the send-*message calls (204);
 * partner and acquiring-bank cancel, modify, complete, pay and sync answer 204 (`empty`), per OA and
 * the official pages; creates and queries of every role answer a body.
 *
 * Idempotence (what is retried after an uncertain failure: a timeout, a reset, a 5xx, a 429): the
 * queries (GET); the creates, which the pages of all three roles document as re-entrant with
 * identical parameters (该接口支持原参重入,相同参数重复调用可以返回成功); the merchant cancel, whose page
 * says the same. Nothing else: no page documents a re-send of a modify, complete, pay, sync,
 * direct-complete, message or deduction registration, and several are refused when repeated (one
 * message per order; a modification must lower the amount; a cancelled order answers
 * ORDER_CANCELED), so after an uncertain failure the caller queries the order instead.
 *
 * @internal
 */
import type { Endpoint } from "../endpoint.js"
import * as Fields from "../fields.js"
import { appid, channelId, notifyUrl, openid, reason, serviceId, subAppid, subMchid, subOpenid } from "./common.js"
import { type Goods, goodsList } from "./permissions.js"
import {
  ACQUIRING_BANK_ORDER_ERRORS,
  attach,
  completeTime,
  type Device,
  device,
  goodsTag,
  type JumpLink,
  jumpLink,
  type Location,
  location,
  needUserConfirm,
  oneOrderReference,
  type OptionalNamePostPayment,
  optionalNamePostPayments,
  ORDER_ERRORS,
  ORDER_QUERY_ERRORS,
  ORDER_STATE_ERRORS,
  outOrderNo,
  outOrderNoSegment,
  outTradeNo,
  type PartialTimeRange,
  partialTimeRange,
  type PartnerSyncDetail,
  partnerSyncDetail,
  type PostDiscount,
  postDiscounts,
  type PostPayment,
  postPayments,
  prepaidTime,
  profitSharing,
  queryId,
  type RiskFund,
  riskFund,
  serviceIntroduction,
  type SyncDetail,
  syncDetail,
  type SyncType,
  syncType,
  type TimeRange,
  timeRange,
  totalAmount,
  type WechatPayTime
} from "./serviceOrderFields.js"

const { optional, required } = Fields

// ---------------------------------------------------------------------------------------------
// Idempotence notes
// ---------------------------------------------------------------------------------------------

const QUERY_NOTE = "a GET: sending it twice reads twice"
const CREATE_NOTE =
  "documented as re-entrant (该接口支持原参重入,相同参数重复调用可以返回成功): after an uncertain failure the same body is sent again and answers the same order; other parameters under the same out_order_no are refused (订单重入参数校验失败)"
const MERCHANT_CANCEL_NOTE =
  "documented as re-entrant (若因网络原因未获取到接口返回内容,商户可使用相同参数重试,该接口支持原参重入): retried with the same body, reason included"
const CANCEL_NOTE =
  "a POST that revokes the order; its page documents no re-send and a revoked order answers ORDER_CANCELED: not retried after an uncertain failure (query the order)"
const MODIFY_NOTE =
  "a POST that lowers the amount to collect; no page documents a re-send and each modification must lower the amount (2020 page): not retried after an uncertain failure (query the order)"
const COMPLETE_NOTE =
  "a POST that ends the service and sets what is collected; no page documents a re-send: not retried after an uncertain failure (query the order: DOING/MCH_COMPLETE means it was taken)"
const COLLECT_NOTE =
  "a POST that asks WeChat Pay to collect now; no page documents a re-send: not retried after an uncertain failure (query the order)"
const SYNC_NOTE =
  "a POST that marks the order paid elsewhere (it becomes DONE); no page documents a re-send: not retried after an uncertain failure (query the order)"
const DIRECT_COMPLETE_NOTE =
  "a POST that creates and completes an order in one call (the user is charged); no source documents a re-send: never retried after an uncertain failure (query by out_order_no)"
const MESSAGE_NOTE =
  "one message of each kind per order (一笔服务订单仅可以发送一次): a re-send is refused, so it is not retried after an uncertain failure"
const PAY_ON_DELIVERY_NOTE =
  "a POST that creates a 先用后付 order; its page (as read) does not document a re-send: not retried after an uncertain failure (query by out_order_no)"
const REGISTER_NOTE =
  "a POST that registers a deduction (valid 24 h, one deduction); no page documents a re-send: not retried after an uncertain failure (query the deduction)"

// ---------------------------------------------------------------------------------------------
// Merchant (直连商户)
// ---------------------------------------------------------------------------------------------

/** 创建支付分订单 (merchant). @internal */
export interface CreateServiceOrderParams {
  readonly out_order_no: string
  readonly appid: string
  readonly service_id: string
  readonly service_introduction: string
  readonly post_payments?: ReadonlyArray<PostPayment> | undefined
  readonly post_discounts?: ReadonlyArray<PostDiscount> | undefined
  readonly time_range: TimeRange
  readonly location?: Location | undefined
  readonly risk_fund: RiskFund
  readonly attach?: string | undefined
  readonly notify_url: string
  readonly openid?: string | undefined
  readonly need_user_confirm?: boolean | undefined
  readonly device?: Device | undefined
}

/** @internal */
export const createServiceOrder: Endpoint<CreateServiceOrderParams, "createServiceOrder"> = {
  name: "createServiceOrder",
  service: "PayScoreServiceOrders",
  method: "POST",
  path: "/v3/payscore/serviceorder",
  query: [],
  params: Fields.object<CreateServiceOrderParams>({
    out_order_no: required(outOrderNo),
    appid: required(appid),
    service_id: required(serviceId),
    service_introduction: required(serviceIntroduction),
    post_payments: optional(postPayments),
    post_discounts: optional(postDiscounts),
    time_range: required(timeRange),
    location: optional(location),
    risk_fund: required(riskFund),
    attach: optional(attach),
    notify_url: required(notifyUrl),
    openid: optional(openid),
    need_user_confirm: optional(needUserConfirm),
    device: optional(device)
  }),
  answer: "json",
  idempotent: true,
  idempotenceNote: CREATE_NOTE,
  errors: ORDER_ERRORS,
  summary: "merchant: create a service order (answers order_id and the confirmation page's package)",
  documentation: "https://pay.weixin.qq.com/docs/merchant/apis/weixin-pay-score/service-order/create-service-order.html"
}

/** 查询支付分订单 (merchant): exactly one of `out_order_no` and `query_id`. @internal */
export interface QueryServiceOrderParams {
  readonly out_order_no?: string | undefined
  readonly service_id: string
  readonly appid: string
  readonly query_id?: string | undefined
}

/** @internal */
export const queryServiceOrder: Endpoint<QueryServiceOrderParams, "queryServiceOrder"> = {
  name: "queryServiceOrder",
  service: "PayScoreServiceOrders",
  method: "GET",
  path: "/v3/payscore/serviceorder",
  // the order of the page's example URL
  query: ["out_order_no", "service_id", "appid", "query_id"],
  params: Fields.object<QueryServiceOrderParams>({
    out_order_no: optional(outOrderNo),
    service_id: required(serviceId),
    appid: required(appid),
    query_id: optional(queryId)
  }, [oneOrderReference]),
  answer: "json",
  idempotent: true,
  idempotenceNote: QUERY_NOTE,
  errors: ORDER_QUERY_ERRORS,
  summary: "merchant: an order, by out_order_no or query_id",
  documentation: "https://pay.weixin.qq.com/docs/merchant/apis/weixin-pay-score/service-order/get-service-order.html"
}

/**
 * 取消支付分订单 (merchant). `service_id` is 选填 on the current page (2025.02.13), 必填 on the
 * 免确认 page and in OA: optional. `reason` at most 50 (the 2020 page said [1,30]: the wider).
 *
 * @internal
 */
export interface CancelServiceOrderParams {
  readonly out_order_no: string
  readonly appid: string
  readonly service_id?: string | undefined
  readonly reason: string
}

/** @internal */
export const cancelServiceOrder: Endpoint<CancelServiceOrderParams, "cancelServiceOrder"> = {
  name: "cancelServiceOrder",
  service: "PayScoreServiceOrders",
  method: "POST",
  path: "/v3/payscore/serviceorder/{out_order_no}/cancel",
  query: [],
  params: Fields.object<CancelServiceOrderParams>({
    out_order_no: required(outOrderNoSegment),
    appid: required(appid),
    service_id: optional(serviceId),
    reason: required(reason)
  }),
  answer: "json",
  idempotent: true,
  idempotenceNote: MERCHANT_CANCEL_NOTE,
  errors: ORDER_ERRORS,
  summary: "merchant: cancel an order (CREATED, DOING, or completed and unpaid)",
  documentation: "https://pay.weixin.qq.com/docs/merchant/apis/weixin-pay-score/service-order/cancel-service-order.html"
}

/** 修改订单金额 (merchant; only downwards, while USER_PAYING). @internal */
export interface ModifyServiceOrderParams {
  readonly out_order_no: string
  readonly appid: string
  readonly service_id: string
  readonly post_payments: ReadonlyArray<PostPayment>
  readonly post_discounts?: ReadonlyArray<PostDiscount> | undefined
  readonly total_amount: number
  readonly reason: string
  readonly device?: Device | undefined
}

/** @internal */
export const modifyServiceOrder: Endpoint<ModifyServiceOrderParams, "modifyServiceOrder"> = {
  name: "modifyServiceOrder",
  service: "PayScoreServiceOrders",
  method: "POST",
  path: "/v3/payscore/serviceorder/{out_order_no}/modify",
  query: [],
  params: Fields.object<ModifyServiceOrderParams>({
    out_order_no: required(outOrderNoSegment),
    appid: required(appid),
    service_id: required(serviceId),
    post_payments: required(postPayments),
    post_discounts: optional(postDiscounts),
    total_amount: required(totalAmount),
    reason: required(reason),
    device: optional(device)
  }),
  answer: "json",
  idempotent: false,
  idempotenceNote: MODIFY_NOTE,
  errors: ORDER_ERRORS,
  summary: "merchant: lower the amount of a completed, unpaid order",
  documentation: "https://pay.weixin.qq.com/docs/merchant/apis/weixin-pay-score/service-order/modify-service-order.html"
}

/** 完结支付分订单 (merchant). @internal */
export interface CompleteServiceOrderParams {
  readonly out_order_no: string
  readonly appid: string
  readonly service_id: string
  readonly post_payments: ReadonlyArray<PostPayment>
  readonly post_discounts?: ReadonlyArray<PostDiscount> | undefined
  readonly total_amount: number
  readonly time_range?: PartialTimeRange | undefined
  readonly location?: Location | undefined
  readonly profit_sharing?: boolean | undefined
  readonly goods_tag?: string | undefined
  readonly device?: Device | undefined
}

/** @internal */
export const completeServiceOrder: Endpoint<CompleteServiceOrderParams, "completeServiceOrder"> = {
  name: "completeServiceOrder",
  service: "PayScoreServiceOrders",
  method: "POST",
  path: "/v3/payscore/serviceorder/{out_order_no}/complete",
  query: [],
  params: Fields.object<CompleteServiceOrderParams>({
    out_order_no: required(outOrderNoSegment),
    appid: required(appid),
    service_id: required(serviceId),
    post_payments: required(postPayments),
    post_discounts: optional(postDiscounts),
    total_amount: required(totalAmount),
    time_range: optional(partialTimeRange),
    location: optional(location),
    profit_sharing: optional(profitSharing),
    goods_tag: optional(goodsTag),
    device: optional(device)
  }),
  answer: "json",
  idempotent: false,
  idempotenceNote: COMPLETE_NOTE,
  errors: ORDER_STATE_ERRORS,
  summary: "merchant: end the service and set what is collected (the order becomes DOING/MCH_COMPLETE)",
  documentation:
    "https://pay.weixin.qq.com/docs/merchant/apis/weixin-pay-score/service-order/complete-service-order.html"
}

/**
 * 商户发起催收扣款 (merchant). `appid` and `service_id` are 必填 on the page (2025.01.02) and optional
 * in OA: optional.
 *
 * @internal
 */
export interface CollectServiceOrderParams {
  readonly out_order_no: string
  readonly appid?: string | undefined
  readonly service_id?: string | undefined
}

/** @internal */
export const collectServiceOrder: Endpoint<CollectServiceOrderParams, "collectServiceOrder"> = {
  name: "collectServiceOrder",
  service: "PayScoreServiceOrders",
  method: "POST",
  path: "/v3/payscore/serviceorder/{out_order_no}/pay",
  query: [],
  params: Fields.object<CollectServiceOrderParams>({
    out_order_no: required(outOrderNoSegment),
    appid: optional(appid),
    service_id: optional(serviceId)
  }),
  answer: "json",
  idempotent: false,
  idempotenceNote: COLLECT_NOTE,
  errors: ORDER_ERRORS,
  summary: "merchant: ask WeChat Pay to collect an unpaid order now (催收)",
  documentation:
    "https://pay.weixin.qq.com/docs/merchant/apis/weixin-pay-score/service-order/collect-service-order.html"
}

/** 同步服务订单信息 (merchant): the user paid elsewhere. @internal */
export interface SyncServiceOrderParams {
  readonly out_order_no: string
  readonly appid: string
  readonly service_id: string
  readonly type: SyncType
  readonly detail: SyncDetail
}

/** @internal */
export const syncServiceOrder: Endpoint<SyncServiceOrderParams, "syncServiceOrder"> = {
  name: "syncServiceOrder",
  service: "PayScoreServiceOrders",
  method: "POST",
  path: "/v3/payscore/serviceorder/{out_order_no}/sync",
  query: [],
  params: Fields.object<SyncServiceOrderParams>({
    out_order_no: required(outOrderNoSegment),
    appid: required(appid),
    service_id: required(serviceId),
    type: required(syncType),
    detail: required(syncDetail)
  }),
  answer: "json",
  idempotent: false,
  idempotenceNote: SYNC_NOTE,
  errors: ORDER_ERRORS,
  summary: "merchant: tell WeChat Pay the user paid an unpaid order elsewhere (it becomes DONE)",
  documentation: "https://pay.weixin.qq.com/docs/merchant/apis/weixin-pay-score/service-order/sync-service-order.html"
}

/**
 * 创单结单合并 (merchant, 免确认 only, "暂未对外开放"). The page (/doc/v3/merchant/4012924361) marks
 * `openid`, `service_introduction`, `post_payments` (1..100) and `total_amount` 必填, IM and OA's
 * 2020 definition do not: optional. `post_discounts` at most 5 on the page, unlimited in OA/IM: 30.
 *
 * @internal
 */
export interface DirectCompleteServiceOrderParams {
  readonly out_order_no: string
  readonly appid: string
  readonly openid?: string | undefined
  readonly service_id: string
  readonly service_introduction?: string | undefined
  readonly post_payments?: ReadonlyArray<OptionalNamePostPayment> | undefined
  readonly post_discounts?: ReadonlyArray<PostDiscount> | undefined
  readonly time_range: PartialTimeRange
  readonly location?: Location | undefined
  readonly total_amount?: number | undefined
  readonly profit_sharing?: boolean | undefined
  readonly goods_tag?: string | undefined
  readonly attach?: string | undefined
  readonly notify_url?: string | undefined
}

/** @internal */
export const directCompleteServiceOrder: Endpoint<DirectCompleteServiceOrderParams, "directCompleteServiceOrder"> = {
  name: "directCompleteServiceOrder",
  service: "PayScoreServiceOrders",
  method: "POST",
  // with /v3 (OA, IM, SKIT); the current official page prints it without /v3 (see the module comment)
  path: "/v3/payscore/serviceorder/direct-complete",
  query: [],
  params: Fields.object<DirectCompleteServiceOrderParams>({
    out_order_no: required(outOrderNo),
    appid: required(appid),
    openid: optional(openid),
    service_id: required(serviceId),
    service_introduction: optional(serviceIntroduction),
    post_payments: optional(optionalNamePostPayments),
    post_discounts: optional(postDiscounts),
    time_range: required(partialTimeRange),
    location: optional(location),
    total_amount: optional(totalAmount),
    profit_sharing: optional(profitSharing),
    goods_tag: optional(goodsTag),
    attach: optional(attach),
    notify_url: optional(notifyUrl)
  }),
  answer: "json",
  idempotent: false,
  idempotenceNote: DIRECT_COMPLETE_NOTE,
  errors: ORDER_ERRORS,
  summary: "merchant: create and complete an order in one call (免确认; not open by default)",
  documentation: "https://pay.weixin.qq.com/doc/v3/merchant/4012924361"
}

/** 下发服务费用待处理消息 / 下发服务预扣费消息 (merchant; OA). @internal */
export interface SendServiceOrderMessageParams {
  readonly out_order_no: string
  readonly service_id: string
  readonly post_payments: ReadonlyArray<OptionalNamePostPayment>
  readonly post_discounts?: ReadonlyArray<PostDiscount> | undefined
  readonly total_amount: number
  /** `yyyyMMdd`, or a `DateTime` (its day in China Standard Time). */
  readonly prepaid_time: WechatPayTime
}

const sendMessageParams = Fields.object<SendServiceOrderMessageParams>({
  out_order_no: required(outOrderNoSegment),
  service_id: required(serviceId),
  post_payments: required(optionalNamePostPayments),
  post_discounts: optional(postDiscounts),
  total_amount: required(totalAmount),
  prepaid_time: required(prepaidTime)
})

/** @internal */
export const sendServiceOrderPendingMessage: Endpoint<
  SendServiceOrderMessageParams,
  "sendServiceOrderPendingMessage"
> = {
  name: "sendServiceOrderPendingMessage",
  service: "PayScoreServiceOrders",
  method: "POST",
  path: "/v3/payscore/serviceorder/{out_order_no}/send-pendingmessage",
  query: [],
  params: sendMessageParams,
  answer: "empty",
  idempotent: false,
  idempotenceNote: MESSAGE_NOTE,
  errors: ORDER_ERRORS,
  summary: "merchant: send the user the fees pending message (once per order)"
}

/** @internal */
export const sendServiceOrderPrepaidMessage: Endpoint<
  SendServiceOrderMessageParams,
  "sendServiceOrderPrepaidMessage"
> = {
  name: "sendServiceOrderPrepaidMessage",
  service: "PayScoreServiceOrders",
  method: "POST",
  path: "/v3/payscore/serviceorder/{out_order_no}/send-prepaidmessage",
  query: [],
  params: sendMessageParams,
  answer: "empty",
  idempotent: false,
  idempotenceNote: MESSAGE_NOTE,
  errors: ORDER_ERRORS,
  summary: "merchant: send the user the pre-deduction message (once per order)"
}

/**
 * 先用后付 `shopping_info` (merchant; OA requires `jump_link` and `goods`, the page marks
 * `shopping_info` 必填).
 *
 * @internal
 */
export interface PayOnDeliveryShoppingInfo {
  readonly real_merchant_appid?: string | undefined
  readonly jump_link: JumpLink
  readonly goods: ReadonlyArray<Goods>
}

/** @internal */
export const payOnDeliveryShoppingInfo: Fields.ObjectRule<PayOnDeliveryShoppingInfo> = Fields.object<
  PayOnDeliveryShoppingInfo
>(
  {
    real_merchant_appid: optional(Fields.id(32, "实际购物商家公众号ID")),
    jump_link: required(jumpLink),
    goods: required(goodsList)
  },
  undefined,
  "先用后付购物详情"
)

/** 创建先用后付订单 (merchant): the create fields, `mchid` and `shopping_info`. @internal */
export interface CreateServicePayOnDeliveryOrderParams {
  readonly out_order_no: string
  readonly appid: string
  readonly service_id: string
  readonly service_introduction: string
  readonly post_payments?: ReadonlyArray<PostPayment> | undefined
  readonly post_discounts?: ReadonlyArray<PostDiscount> | undefined
  readonly time_range: TimeRange
  readonly location?: Location | undefined
  readonly risk_fund: RiskFund
  readonly attach?: string | undefined
  readonly notify_url: string
  readonly openid?: string | undefined
  readonly need_user_confirm?: boolean | undefined
  /** 直连商户号: 平台商必填. */
  readonly mchid?: string | undefined
  readonly shopping_info: PayOnDeliveryShoppingInfo
}

/** @internal */
export const createServicePayOnDeliveryOrder: Endpoint<
  CreateServicePayOnDeliveryOrderParams,
  "createServicePayOnDeliveryOrder"
> = {
  name: "createServicePayOnDeliveryOrder",
  service: "PayScoreServiceOrders",
  method: "POST",
  path: "/v3/payscore/servicepayondeliveryorder",
  query: [],
  params: Fields.object<CreateServicePayOnDeliveryOrderParams>({
    out_order_no: required(outOrderNo),
    appid: required(appid),
    service_id: required(serviceId),
    service_introduction: required(serviceIntroduction),
    post_payments: optional(postPayments),
    post_discounts: optional(postDiscounts),
    time_range: required(timeRange),
    location: optional(location),
    risk_fund: required(riskFund),
    attach: optional(attach),
    notify_url: required(notifyUrl),
    openid: optional(openid),
    need_user_confirm: optional(needUserConfirm),
    mchid: optional(Fields.id(32, "直连商户号 (平台商必填)")),
    shopping_info: required(payOnDeliveryShoppingInfo)
  }),
  answer: "json",
  idempotent: false,
  idempotenceNote: PAY_ON_DELIVERY_NOTE,
  errors: ORDER_ERRORS,
  summary: "merchant: create a 先用后付 (pay on delivery) order",
  documentation:
    "https://pay.weixin.qq.com/docs/merchant/apis/weixin-pay-score/service-order/create-pay-on-delivery-service-order.html"
}

// ---------------------------------------------------------------------------------------------
// Partner (服务商)
// ---------------------------------------------------------------------------------------------

/**
 * 创建支付分订单 (partner). When `need_user_confirm` is false the pages want exactly one of `openid`
 * and `sub_openid` (and `sub_appid` with `sub_openid`); the official and SKIT examples break that:
 * WeChat Pay's to judge.
 *
 * @internal
 */
export interface CreatePartnerServiceOrderParams {
  readonly service_id: string
  readonly appid: string
  readonly sub_mchid: string
  readonly sub_appid?: string | undefined
  readonly out_order_no: string
  readonly service_introduction: string
  readonly post_payments?: ReadonlyArray<OptionalNamePostPayment> | undefined
  readonly post_discounts?: ReadonlyArray<PostDiscount> | undefined
  readonly risk_fund: RiskFund
  readonly time_range: PartialTimeRange
  readonly location?: Location | undefined
  readonly openid?: string | undefined
  readonly sub_openid?: string | undefined
  readonly need_user_confirm?: boolean | undefined
  readonly notify_url: string
  readonly attach?: string | undefined
  readonly device?: Device | undefined
}

/** @internal */
export const createPartnerServiceOrder: Endpoint<CreatePartnerServiceOrderParams, "createPartnerServiceOrder"> = {
  name: "createPartnerServiceOrder",
  service: "PayScoreServiceOrders",
  method: "POST",
  path: "/v3/payscore/partner/serviceorder",
  query: [],
  params: Fields.object<CreatePartnerServiceOrderParams>({
    service_id: required(serviceId),
    appid: required(appid),
    sub_mchid: required(subMchid),
    sub_appid: optional(subAppid),
    out_order_no: required(outOrderNo),
    service_introduction: required(serviceIntroduction),
    post_payments: optional(optionalNamePostPayments),
    post_discounts: optional(postDiscounts),
    risk_fund: required(riskFund),
    time_range: required(partialTimeRange),
    location: optional(location),
    openid: optional(openid),
    sub_openid: optional(subOpenid),
    need_user_confirm: optional(needUserConfirm),
    notify_url: required(notifyUrl),
    attach: optional(attach),
    device: optional(device)
  }),
  answer: "json",
  idempotent: true,
  idempotenceNote: CREATE_NOTE,
  errors: ORDER_ERRORS,
  summary: "partner: create a service order for a sub-merchant",
  documentation: "https://pay.weixin.qq.com/doc/v3/partner/4012692136"
}

/**
 * 查询支付分订单 (partner): no `appid`; `service_id` is 选填 on the page (2024.12.06) and required in
 * OA: optional. Exactly one of `out_order_no` and `query_id`.
 *
 * @internal
 */
export interface QueryPartnerServiceOrderParams {
  readonly service_id?: string | undefined
  readonly sub_mchid: string
  readonly out_order_no?: string | undefined
  readonly query_id?: string | undefined
}

/** @internal */
export const queryPartnerServiceOrder: Endpoint<QueryPartnerServiceOrderParams, "queryPartnerServiceOrder"> = {
  name: "queryPartnerServiceOrder",
  service: "PayScoreServiceOrders",
  method: "GET",
  path: "/v3/payscore/partner/serviceorder",
  query: ["service_id", "sub_mchid", "out_order_no", "query_id"],
  params: Fields.object<QueryPartnerServiceOrderParams>({
    service_id: optional(serviceId),
    sub_mchid: required(subMchid),
    out_order_no: optional(outOrderNo),
    query_id: optional(queryId)
  }, [oneOrderReference]),
  answer: "json",
  idempotent: true,
  idempotenceNote: QUERY_NOTE,
  errors: ORDER_QUERY_ERRORS,
  summary: "partner: a sub-merchant's order, by out_order_no or query_id",
  documentation:
    "https://pay.weixin.qq.com/docs/partner/apis/partner-weixin-pay-score/partner-service-order/get-partner-service-order.html"
}

/** 取消支付分订单 (partner): no `appid`; `service_id` 选填 on the page, required in OA: optional. @internal */
export interface CancelPartnerServiceOrderParams {
  readonly out_order_no: string
  readonly service_id?: string | undefined
  readonly sub_mchid: string
  readonly reason: string
}

/** @internal */
export const cancelPartnerServiceOrder: Endpoint<CancelPartnerServiceOrderParams, "cancelPartnerServiceOrder"> = {
  name: "cancelPartnerServiceOrder",
  service: "PayScoreServiceOrders",
  method: "POST",
  path: "/v3/payscore/partner/serviceorder/{out_order_no}/cancel",
  query: [],
  params: Fields.object<CancelPartnerServiceOrderParams>({
    out_order_no: required(outOrderNoSegment),
    service_id: optional(serviceId),
    sub_mchid: required(subMchid),
    reason: required(reason)
  }),
  answer: "empty",
  idempotent: false,
  idempotenceNote: CANCEL_NOTE,
  errors: ORDER_ERRORS,
  summary: "partner: cancel a sub-merchant's order",
  documentation: "https://pay.weixin.qq.com/doc/v3/partner/4012458758"
}

/** 修改订单金额 (partner): `service_id` 选填 on the page, absent from OA: optional. @internal */
export interface ModifyPartnerServiceOrderParams {
  readonly out_order_no: string
  readonly service_id?: string | undefined
  readonly sub_mchid: string
  readonly post_payments: ReadonlyArray<OptionalNamePostPayment>
  readonly post_discounts?: ReadonlyArray<PostDiscount> | undefined
  readonly total_amount: number
  readonly reason: string
  readonly device?: Device | undefined
}

/** @internal */
export const modifyPartnerServiceOrder: Endpoint<ModifyPartnerServiceOrderParams, "modifyPartnerServiceOrder"> = {
  name: "modifyPartnerServiceOrder",
  service: "PayScoreServiceOrders",
  method: "POST",
  path: "/v3/payscore/partner/serviceorder/{out_order_no}/modify",
  query: [],
  params: Fields.object<ModifyPartnerServiceOrderParams>({
    out_order_no: required(outOrderNoSegment),
    service_id: optional(serviceId),
    sub_mchid: required(subMchid),
    post_payments: required(optionalNamePostPayments),
    post_discounts: optional(postDiscounts),
    total_amount: required(totalAmount),
    reason: required(reason),
    device: optional(device)
  }),
  answer: "empty",
  idempotent: false,
  idempotenceNote: MODIFY_NOTE,
  errors: ORDER_ERRORS,
  summary: "partner: lower the amount of a sub-merchant's completed, unpaid order",
  documentation: "https://pay.weixin.qq.com/doc/v3/partner/4012692360"
}

/** 完结支付分订单 (partner): adds `complete_time` (RFC 3339). @internal */
export interface CompletePartnerServiceOrderParams {
  readonly out_order_no: string
  readonly service_id: string
  readonly sub_mchid: string
  readonly post_payments: ReadonlyArray<OptionalNamePostPayment>
  readonly post_discounts?: ReadonlyArray<PostDiscount> | undefined
  readonly total_amount: number
  readonly time_range?: PartialTimeRange | undefined
  readonly location?: Location | undefined
  readonly profit_sharing?: boolean | undefined
  /** RFC 3339 (`2019-11-11T16:24:05+08:00`), or a `DateTime` (written in China Standard Time). */
  readonly complete_time?: WechatPayTime | undefined
  readonly goods_tag?: string | undefined
  readonly device?: Device | undefined
}

/** @internal */
export const completePartnerServiceOrder: Endpoint<
  CompletePartnerServiceOrderParams,
  "completePartnerServiceOrder"
> = {
  name: "completePartnerServiceOrder",
  service: "PayScoreServiceOrders",
  method: "POST",
  path: "/v3/payscore/partner/serviceorder/{out_order_no}/complete",
  query: [],
  params: Fields.object<CompletePartnerServiceOrderParams>({
    out_order_no: required(outOrderNoSegment),
    service_id: required(serviceId),
    sub_mchid: required(subMchid),
    post_payments: required(optionalNamePostPayments),
    post_discounts: optional(postDiscounts),
    total_amount: required(totalAmount),
    time_range: optional(partialTimeRange),
    location: optional(location),
    profit_sharing: optional(profitSharing),
    complete_time: optional(completeTime),
    goods_tag: optional(goodsTag),
    device: optional(device)
  }),
  answer: "empty",
  idempotent: false,
  idempotenceNote: COMPLETE_NOTE,
  errors: ORDER_ERRORS,
  summary: "partner: end a sub-merchant's service and set what is collected",
  documentation: "https://pay.weixin.qq.com/doc/v3/partner/4012692408"
}

/** 商户发起催收扣款 (partner): OA's body is `{sub_mchid}`; SKIT adds `service_id`: optional. @internal */
export interface CollectPartnerServiceOrderParams {
  readonly out_order_no: string
  readonly service_id?: string | undefined
  readonly sub_mchid: string
}

/** @internal */
export const collectPartnerServiceOrder: Endpoint<CollectPartnerServiceOrderParams, "collectPartnerServiceOrder"> = {
  name: "collectPartnerServiceOrder",
  service: "PayScoreServiceOrders",
  method: "POST",
  path: "/v3/payscore/partner/serviceorder/{out_order_no}/pay",
  query: [],
  params: Fields.object<CollectPartnerServiceOrderParams>({
    out_order_no: required(outOrderNoSegment),
    service_id: optional(serviceId),
    sub_mchid: required(subMchid)
  }),
  answer: "empty",
  idempotent: false,
  idempotenceNote: COLLECT_NOTE,
  errors: ORDER_ERRORS,
  summary: "partner: ask WeChat Pay to collect a sub-merchant's unpaid order now (催收)"
}

/** 同步订单信息 (partner). @internal */
export interface SyncPartnerServiceOrderParams {
  readonly out_order_no: string
  readonly service_id: string
  readonly sub_mchid: string
  readonly type: SyncType
  readonly detail: PartnerSyncDetail
}

/** @internal */
export const syncPartnerServiceOrder: Endpoint<SyncPartnerServiceOrderParams, "syncPartnerServiceOrder"> = {
  name: "syncPartnerServiceOrder",
  service: "PayScoreServiceOrders",
  method: "POST",
  path: "/v3/payscore/partner/serviceorder/{out_order_no}/sync",
  query: [],
  params: Fields.object<SyncPartnerServiceOrderParams>({
    out_order_no: required(outOrderNoSegment),
    service_id: required(serviceId),
    sub_mchid: required(subMchid),
    type: required(syncType),
    detail: required(partnerSyncDetail)
  }),
  answer: "empty",
  idempotent: false,
  idempotenceNote: SYNC_NOTE,
  errors: ORDER_ERRORS,
  summary: "partner: tell WeChat Pay a sub-merchant's user paid elsewhere (the order becomes DONE)",
  documentation:
    "https://pay.weixin.qq.com/docs/partner/apis/partner-weixin-pay-score/partner-service-order/sync-partner-service-order.html"
}

/** 下发服务费用待处理消息 / 下发服务预扣费消息 (partner; OA): the merchant body and `sub_mchid`. @internal */
export interface SendPartnerServiceOrderMessageParams {
  readonly out_order_no: string
  readonly service_id: string
  readonly sub_mchid: string
  readonly post_payments: ReadonlyArray<OptionalNamePostPayment>
  readonly post_discounts?: ReadonlyArray<PostDiscount> | undefined
  readonly total_amount: number
  /** `yyyyMMdd`, or a `DateTime` (its day in China Standard Time). */
  readonly prepaid_time: WechatPayTime
}

const sendPartnerMessageParams = Fields.object<SendPartnerServiceOrderMessageParams>({
  out_order_no: required(outOrderNoSegment),
  service_id: required(serviceId),
  sub_mchid: required(subMchid),
  post_payments: required(optionalNamePostPayments),
  post_discounts: optional(postDiscounts),
  total_amount: required(totalAmount),
  prepaid_time: required(prepaidTime)
})

/** @internal */
export const sendPartnerServiceOrderPendingMessage: Endpoint<
  SendPartnerServiceOrderMessageParams,
  "sendPartnerServiceOrderPendingMessage"
> = {
  name: "sendPartnerServiceOrderPendingMessage",
  service: "PayScoreServiceOrders",
  method: "POST",
  path: "/v3/payscore/partner/serviceorder/{out_order_no}/send-pendingmessage",
  query: [],
  params: sendPartnerMessageParams,
  answer: "empty",
  idempotent: false,
  idempotenceNote: MESSAGE_NOTE,
  errors: ORDER_ERRORS,
  summary: "partner: send a sub-merchant's user the fees pending message (once per order)"
}

/** @internal */
export const sendPartnerServiceOrderPrepaidMessage: Endpoint<
  SendPartnerServiceOrderMessageParams,
  "sendPartnerServiceOrderPrepaidMessage"
> = {
  name: "sendPartnerServiceOrderPrepaidMessage",
  service: "PayScoreServiceOrders",
  method: "POST",
  path: "/v3/payscore/partner/serviceorder/{out_order_no}/send-prepaidmessage",
  query: [],
  params: sendPartnerMessageParams,
  answer: "empty",
  idempotent: false,
  idempotenceNote: MESSAGE_NOTE,
  errors: ORDER_ERRORS,
  summary: "partner: send a sub-merchant's user the pre-deduction message (once per order)"
}

// ---------------------------------------------------------------------------------------------
// Acquiring bank (从业机构)
// ---------------------------------------------------------------------------------------------

/** 创建支付分订单 (acquiring bank): the partner's fields, `channel_id`, no `device`. @internal */
export interface CreateAcquiringBankServiceOrderParams {
  readonly service_id: string
  readonly appid: string
  readonly sub_mchid: string
  readonly sub_appid?: string | undefined
  readonly channel_id: string
  readonly out_order_no: string
  readonly service_introduction: string
  readonly post_payments?: ReadonlyArray<OptionalNamePostPayment> | undefined
  readonly post_discounts?: ReadonlyArray<PostDiscount> | undefined
  readonly risk_fund: RiskFund
  readonly time_range: TimeRange
  readonly location?: Location | undefined
  readonly openid?: string | undefined
  readonly sub_openid?: string | undefined
  readonly need_user_confirm?: boolean | undefined
  readonly notify_url: string
  readonly attach?: string | undefined
}

/** @internal */
export const createAcquiringBankServiceOrder: Endpoint<
  CreateAcquiringBankServiceOrderParams,
  "createAcquiringBankServiceOrder"
> = {
  name: "createAcquiringBankServiceOrder",
  service: "PayScoreServiceOrders",
  method: "POST",
  path: "/v3/payscore/acquiringbank/serviceorder",
  query: [],
  params: Fields.object<CreateAcquiringBankServiceOrderParams>({
    service_id: required(serviceId),
    appid: required(appid),
    sub_mchid: required(subMchid),
    sub_appid: optional(subAppid),
    channel_id: required(channelId),
    out_order_no: required(outOrderNo),
    service_introduction: required(serviceIntroduction),
    post_payments: optional(optionalNamePostPayments),
    post_discounts: optional(postDiscounts),
    risk_fund: required(riskFund),
    time_range: required(timeRange),
    location: optional(location),
    openid: optional(openid),
    sub_openid: optional(subOpenid),
    need_user_confirm: optional(needUserConfirm),
    notify_url: required(notifyUrl),
    attach: optional(attach)
  }),
  answer: "json",
  idempotent: true,
  idempotenceNote: CREATE_NOTE,
  errors: ORDER_ERRORS,
  summary: "acquiring bank: create a service order for a channel's sub-merchant",
  documentation: "https://pay.weixin.qq.com/doc/v3/partner/4012691326"
}

/** 查询支付分订单 (acquiring bank): exactly one of `out_order_no` and `query_id`. @internal */
export interface QueryAcquiringBankServiceOrderParams {
  readonly service_id: string
  readonly sub_mchid: string
  readonly channel_id: string
  readonly out_order_no?: string | undefined
  readonly query_id?: string | undefined
}

/** @internal */
export const queryAcquiringBankServiceOrder: Endpoint<
  QueryAcquiringBankServiceOrderParams,
  "queryAcquiringBankServiceOrder"
> = {
  name: "queryAcquiringBankServiceOrder",
  service: "PayScoreServiceOrders",
  method: "GET",
  path: "/v3/payscore/acquiringbank/serviceorder",
  query: ["service_id", "sub_mchid", "channel_id", "out_order_no", "query_id"],
  params: Fields.object<QueryAcquiringBankServiceOrderParams>({
    service_id: required(serviceId),
    sub_mchid: required(subMchid),
    channel_id: required(channelId),
    out_order_no: optional(outOrderNo),
    query_id: optional(queryId)
  }, [oneOrderReference]),
  answer: "json",
  idempotent: true,
  idempotenceNote: QUERY_NOTE,
  errors: ORDER_QUERY_ERRORS,
  summary: "acquiring bank: a channel's sub-merchant's order, by out_order_no or query_id",
  documentation: "https://pay.weixin.qq.com/doc/v3/partner/4013194035"
}

/** 取消支付分订单 (acquiring bank): `service_id` 选填 on the pages, required in OA: optional. @internal */
export interface CancelAcquiringBankServiceOrderParams {
  readonly out_order_no: string
  readonly service_id?: string | undefined
  readonly sub_mchid: string
  readonly channel_id: string
  readonly reason: string
}

/** @internal */
export const cancelAcquiringBankServiceOrder: Endpoint<
  CancelAcquiringBankServiceOrderParams,
  "cancelAcquiringBankServiceOrder"
> = {
  name: "cancelAcquiringBankServiceOrder",
  service: "PayScoreServiceOrders",
  method: "POST",
  path: "/v3/payscore/acquiringbank/serviceorder/{out_order_no}/cancel",
  query: [],
  params: Fields.object<CancelAcquiringBankServiceOrderParams>({
    out_order_no: required(outOrderNoSegment),
    service_id: optional(serviceId),
    sub_mchid: required(subMchid),
    channel_id: required(channelId),
    reason: required(reason)
  }),
  answer: "empty",
  idempotent: false,
  idempotenceNote: CANCEL_NOTE,
  errors: ACQUIRING_BANK_ORDER_ERRORS,
  summary: "acquiring bank: cancel a channel's sub-merchant's order (not while a deduction is registered)",
  documentation: "https://pay.weixin.qq.com/doc/v3/partner/4013194058"
}

/**
 * 修改订单金额 (acquiring bank): `channel_id` and `post_payments` (at least 1) 必填 on the page,
 * optional in OA: optional, no minimum.
 *
 * @internal
 */
export interface ModifyAcquiringBankServiceOrderParams {
  readonly out_order_no: string
  readonly service_id: string
  readonly sub_mchid: string
  readonly channel_id?: string | undefined
  readonly post_payments?: ReadonlyArray<OptionalNamePostPayment> | undefined
  readonly post_discounts?: ReadonlyArray<PostDiscount> | undefined
  readonly total_amount: number
  readonly reason: string
}

/** @internal */
export const modifyAcquiringBankServiceOrder: Endpoint<
  ModifyAcquiringBankServiceOrderParams,
  "modifyAcquiringBankServiceOrder"
> = {
  name: "modifyAcquiringBankServiceOrder",
  service: "PayScoreServiceOrders",
  method: "POST",
  path: "/v3/payscore/acquiringbank/serviceorder/{out_order_no}/modify",
  query: [],
  params: Fields.object<ModifyAcquiringBankServiceOrderParams>({
    out_order_no: required(outOrderNoSegment),
    service_id: required(serviceId),
    sub_mchid: required(subMchid),
    channel_id: optional(channelId),
    post_payments: optional(optionalNamePostPayments),
    post_discounts: optional(postDiscounts),
    total_amount: required(totalAmount),
    reason: required(reason)
  }),
  answer: "empty",
  idempotent: false,
  idempotenceNote: MODIFY_NOTE,
  errors: ACQUIRING_BANK_ORDER_ERRORS,
  summary: "acquiring bank: lower the amount of a completed order (not while a deduction is registered)",
  documentation: "https://pay.weixin.qq.com/doc/v3/partner/4013194282"
}

/**
 * 完结支付分订单 (acquiring bank): `channel_id` optional (OA), `complete_time` RFC 3339. Completing
 * starts no automatic deduction: the bank registers one (`registerAcquiringBankServiceOrderDeduction`).
 *
 * @internal
 */
export interface CompleteAcquiringBankServiceOrderParams {
  readonly out_order_no: string
  readonly service_id: string
  readonly sub_mchid: string
  readonly channel_id?: string | undefined
  readonly post_payments: ReadonlyArray<OptionalNamePostPayment>
  readonly post_discounts?: ReadonlyArray<PostDiscount> | undefined
  readonly total_amount: number
  readonly time_range?: PartialTimeRange | undefined
  readonly location?: Location | undefined
  readonly profit_sharing?: boolean | undefined
  /** RFC 3339 (`2019-11-11T16:24:05+08:00`), or a `DateTime` (written in China Standard Time). */
  readonly complete_time?: WechatPayTime | undefined
  readonly goods_tag?: string | undefined
}

/** @internal */
export const completeAcquiringBankServiceOrder: Endpoint<
  CompleteAcquiringBankServiceOrderParams,
  "completeAcquiringBankServiceOrder"
> = {
  name: "completeAcquiringBankServiceOrder",
  service: "PayScoreServiceOrders",
  method: "POST",
  path: "/v3/payscore/acquiringbank/serviceorder/{out_order_no}/complete",
  query: [],
  params: Fields.object<CompleteAcquiringBankServiceOrderParams>({
    out_order_no: required(outOrderNoSegment),
    service_id: required(serviceId),
    sub_mchid: required(subMchid),
    channel_id: optional(channelId),
    post_payments: required(optionalNamePostPayments),
    post_discounts: optional(postDiscounts),
    total_amount: required(totalAmount),
    time_range: optional(partialTimeRange),
    location: optional(location),
    profit_sharing: optional(profitSharing),
    complete_time: optional(completeTime),
    goods_tag: optional(goodsTag)
  }),
  answer: "empty",
  idempotent: false,
  idempotenceNote: COMPLETE_NOTE,
  errors: ORDER_ERRORS,
  summary: "acquiring bank: end the service and set what is collected (no automatic deduction)"
}

/** 同步订单信息 (acquiring bank): `channel_id` 必填 on the page, optional in OA: optional. @internal */
export interface SyncAcquiringBankServiceOrderParams {
  readonly out_order_no: string
  readonly service_id: string
  readonly sub_mchid: string
  readonly channel_id?: string | undefined
  readonly type: SyncType
  readonly detail: SyncDetail
}

/** @internal */
export const syncAcquiringBankServiceOrder: Endpoint<
  SyncAcquiringBankServiceOrderParams,
  "syncAcquiringBankServiceOrder"
> = {
  name: "syncAcquiringBankServiceOrder",
  service: "PayScoreServiceOrders",
  method: "POST",
  path: "/v3/payscore/acquiringbank/serviceorder/{out_order_no}/sync",
  query: [],
  params: Fields.object<SyncAcquiringBankServiceOrderParams>({
    out_order_no: required(outOrderNoSegment),
    service_id: required(serviceId),
    sub_mchid: required(subMchid),
    channel_id: optional(channelId),
    type: required(syncType),
    detail: required(syncDetail)
  }),
  answer: "empty",
  idempotent: false,
  idempotenceNote: SYNC_NOTE,
  errors: ACQUIRING_BANK_ORDER_ERRORS,
  summary: "acquiring bank: tell WeChat Pay the user paid elsewhere (not while a deduction is registered)",
  documentation: "https://pay.weixin.qq.com/doc/v3/partner/4013194292"
}

/**
 * 登记扣款信息 (acquiring bank): `appid` and `out_trade_no` 必填 on the page (2024.12.09), optional in
 * OA: optional. A registration is valid 24 h, for one deduction through UnionPay/NetsUnion.
 *
 * @internal
 */
export interface RegisterAcquiringBankServiceOrderDeductionParams {
  readonly out_order_no: string
  readonly service_id: string
  readonly appid?: string | undefined
  readonly sub_mchid: string
  readonly sub_appid?: string | undefined
  readonly channel_id: string
  readonly out_trade_no?: string | undefined
}

/** @internal */
export const registerAcquiringBankServiceOrderDeduction: Endpoint<
  RegisterAcquiringBankServiceOrderDeductionParams,
  "registerAcquiringBankServiceOrderDeduction"
> = {
  name: "registerAcquiringBankServiceOrderDeduction",
  service: "PayScoreServiceOrders",
  method: "POST",
  path: "/v3/payscore/acquiringbank/serviceorder/{out_order_no}/registerdeductinfo",
  query: [],
  params: Fields.object<RegisterAcquiringBankServiceOrderDeductionParams>({
    out_order_no: required(outOrderNoSegment),
    service_id: required(serviceId),
    appid: optional(appid),
    sub_mchid: required(subMchid),
    sub_appid: optional(subAppid),
    channel_id: required(channelId),
    out_trade_no: optional(outTradeNo)
  }),
  answer: "json",
  idempotent: false,
  idempotenceNote: REGISTER_NOTE,
  errors: ORDER_ERRORS,
  summary: "acquiring bank: register the deduction of a completed order (valid 24 h, one deduction)",
  documentation:
    "https://pay.weixin.qq.com/docs/partner/apis/partner-institution-weixin-pay-score/acquiring-bank-service-order/register-deduct-info.html"
}

/**
 * 查询扣款信息 (acquiring bank): `out_order_no` in the query; 必填 on the page, optional in OA:
 * optional.
 *
 * @internal
 */
export interface QueryAcquiringBankServiceOrderDeductionParams {
  readonly service_id: string
  readonly appid: string
  readonly sub_mchid: string
  readonly sub_appid?: string | undefined
  readonly channel_id: string
  readonly out_order_no?: string | undefined
}

/** @internal */
export const queryAcquiringBankServiceOrderDeduction: Endpoint<
  QueryAcquiringBankServiceOrderDeductionParams,
  "queryAcquiringBankServiceOrderDeduction"
> = {
  name: "queryAcquiringBankServiceOrderDeduction",
  service: "PayScoreServiceOrders",
  method: "GET",
  path: "/v3/payscore/acquiringbank/serviceorder/deduction",
  query: ["service_id", "appid", "sub_mchid", "sub_appid", "channel_id", "out_order_no"],
  params: Fields.object<QueryAcquiringBankServiceOrderDeductionParams>({
    service_id: required(serviceId),
    appid: required(appid),
    sub_mchid: required(subMchid),
    sub_appid: optional(subAppid),
    channel_id: required(channelId),
    out_order_no: optional(outOrderNo)
  }),
  answer: "json",
  idempotent: true,
  idempotenceNote: QUERY_NOTE,
  errors: ORDER_QUERY_ERRORS,
  summary: "acquiring bank: the registered deduction of an order (DOING/MCH_COMPLETE or DONE)",
  documentation:
    "https://pay.weixin.qq.com/docs/partner/apis/partner-institution-weixin-pay-score/acquiring-bank-service-order/get-acquiring-bank-deduct-info.html"
}

/** Every service-order endpoint, in the order of the service's methods. @internal */
export const all = [
  createServiceOrder,
  queryServiceOrder,
  cancelServiceOrder,
  modifyServiceOrder,
  completeServiceOrder,
  collectServiceOrder,
  syncServiceOrder,
  directCompleteServiceOrder,
  sendServiceOrderPendingMessage,
  sendServiceOrderPrepaidMessage,
  createServicePayOnDeliveryOrder,
  createPartnerServiceOrder,
  queryPartnerServiceOrder,
  cancelPartnerServiceOrder,
  modifyPartnerServiceOrder,
  completePartnerServiceOrder,
  collectPartnerServiceOrder,
  syncPartnerServiceOrder,
  sendPartnerServiceOrderPendingMessage,
  sendPartnerServiceOrderPrepaidMessage,
  createAcquiringBankServiceOrder,
  queryAcquiringBankServiceOrder,
  cancelAcquiringBankServiceOrder,
  modifyAcquiringBankServiceOrder,
  completeAcquiringBankServiceOrder,
  syncAcquiringBankServiceOrder,
  registerAcquiringBankServiceOrderDeduction,
  queryAcquiringBankServiceOrderDeduction
] as const
