/**
 * The objects and identifiers the Pay Score service-order endpoints share (支付分订单), as named
 * parameter interfaces with their rules, and the errors the documentation lists for them.
 *
 * What is checked is only what the documentation states without ambiguity and its own examples
 * obey: presence, types, amounts as whole numbers of fen (0 allowed), lengths in characters (every
 * character counts 1: 汉字、数字、字母、特殊符号都按照1个字符计算), `out_order_no`'s character set,
 * the forms of the times. Two principles settle the rest:
 *
 * - a field is required where every source read for that endpoint marks it required (the official
 *   page and wechatpay-openapi/wechatpay.im); where one says 选填, it is optional;
 * - where sources disagree on a limit, the wider one is accepted, and the comment names the sources.
 *
 * Cross-field arithmetic and business rules stay WeChat Pay's: `total_amount` = Σ`post_payments.amount`
 * − Σ`post_discounts.amount` (almost every published example breaks it, and WeChat Pay answers
 * `PARAM_ERROR 最终总金额计算非法`), names unique within an order, `openid` beside `sub_openid`,
 * `openid` required when `need_user_confirm` is false (the official examples break both), amounts
 * under the service's risk cap, an end time not later than the call.
 *
 * Sources (see test/fixtures/wechatpay/serviceorder/README.md): the official pages on
 * pay.weixin.qq.com ("the page"), TheNorthMemory/wechatpay-openapi `docs/v3/payscore/**` ("OA"),
 * wechatpay-im/website `openapi/v3/payscore/**` ("IM"), the 2020 API pages ("the 2020 page").
 *
 * @internal
 */
import type { DocumentedError } from "../endpoint.js"
import * as Fields from "../fields.js"
import type { DateTimeLike } from "../time.js"
import { AUTHORIZATION_CODE_CHARSET, COMMON_ERRORS } from "./common.js"

export type { DateTimeLike } from "../time.js"

const { optional, required } = Fields

// ---------------------------------------------------------------------------------------------
// Identifiers
// ---------------------------------------------------------------------------------------------

/**
 * `out_order_no`'s documented character set: 只能是数字、大小写字母_-|* (every page but the 2025
 * merchant create page, which prints `_-|` without `*`: the wider set is accepted). The same set
 * as `authorization_code` and the acquiring bank's `out_trade_no`.
 *
 * @internal
 */
export const OUT_ORDER_NO_CHARSET = AUTHORIZATION_CODE_CHARSET

/**
 * `out_order_no`'s length: 32 characters (要求32个字符内). The merchant complete page prints its
 * path parameter as string(64) but describes it as "32个字符内", and the order it names was created
 * with at most 32: 32 everywhere.
 *
 * @internal
 */
export const OUT_ORDER_NO_MAX_LENGTH = 32

const inCharset = (s: string): string | undefined =>
  OUT_ORDER_NO_CHARSET.test(s)
    ? undefined
    : "may only contain digits, letters and _ - | * (the documented character set)"

/** `out_order_no` in a body or a query. @internal */
export const outOrderNo: Fields.StringRule = {
  ...Fields.id(OUT_ORDER_NO_MAX_LENGTH, "商户服务订单号: the merchant's order number, unique per merchant"),
  checks: [inCharset]
}

/** `out_order_no` as a path parameter. @internal */
export const outOrderNoSegment: Fields.StringRule = {
  ...Fields.segment(OUT_ORDER_NO_MAX_LENGTH, "商户服务订单号: the merchant's order number, unique per merchant"),
  checks: [inCharset]
}

/**
 * `query_id`: string(512) on the current query pages; the 2020 page said [1,64] and the mini
 * program receives it as string(64): the wider is accepted.
 *
 * @internal
 */
export const queryId: Fields.StringRule = Fields.id(
  512,
  "回跳查询ID: the id the confirmation page hands back to the merchant's front end"
)

/** The acquiring bank's deduction number (`out_trade_no`): string(32), the `out_order_no` set. @internal */
export const outTradeNo: Fields.StringRule = {
  ...Fields.id(32, "商户扣款单号: the order number the deduction carries to UnionPay/NetsUnion"),
  checks: [inCharset]
}

/** `service_introduction`: string(20). @internal */
export const serviceIntroduction: Fields.StringRule = Fields.text(20, "服务信息: what the order is for (20 characters)")

/** `attach`: string(256), returned in both notifications (the pages ask for it urlencoded; not checked). @internal */
export const attach: Fields.StringRule = Fields.text(
  256,
  "商户数据包: the merchant's own data, returned in the notifications"
)

/** `goods_tag`: string(32) (the direct-complete page; the other pages print no length). @internal */
export const goodsTag: Fields.StringRule = Fields.text(32, "订单优惠标记: the order's promotion tag")

/** `profit_sharing`. @internal */
export const profitSharing: Fields.BooleanRule = Fields.boolean("微信支付服务分账标记: whether the payment is shared")

/** `need_user_confirm`. @internal */
export const needUserConfirm: Fields.BooleanRule = Fields.boolean(
  "是否需要用户确认: false for the confirmation-free mode (免确认)"
)

/**
 * An amount in fen: a whole number, 0 allowed (等于0时表示不需要扣费). The pages state 大于等于0
 * for `post_payments.amount`; an amount of money in fen is never negative, so the other amounts
 * take the same floor.
 *
 * @internal
 */
export const amount = (description: string): Fields.IntegerRule => Fields.integer(0, undefined, description)

/** `total_amount`. @internal */
export const totalAmount: Fields.IntegerRule = amount(
  "总金额: what to collect, in fen (WeChat Pay checks it equals payments minus discounts)"
)

// ---------------------------------------------------------------------------------------------
// post_payments, post_discounts
// ---------------------------------------------------------------------------------------------

/** At most 100 `post_payments` (最多100条). @internal */
export const POST_PAYMENTS_MAX_ITEMS = 100

/**
 * At most 30 `post_discounts` (最多30条). The direct-complete page says 5, the other sources for
 * it (OA, IM) give no limit: the shared 30 is accepted there too.
 *
 * @internal
 */
export const POST_DISCOUNTS_MAX_ITEMS = 30

/**
 * One `post_payments` item (后付费项目) of a merchant call: the merchant create, modify and
 * complete pages and OA/IM mark `name` 必填.
 *
 * @internal
 */
export interface PostPayment {
  readonly name: string
  /** In fen, 0 allowed. */
  readonly amount?: number | undefined
  readonly description?: string | undefined
  readonly count?: number | undefined
}

/**
 * One `post_payments` item where `name` is optional: the partner and acquiring-bank pages mark it
 * 选填 (OA marks it required: the wider is accepted), and OA's send-*message bodies leave it optional.
 *
 * @internal
 */
export interface OptionalNamePostPayment {
  readonly name?: string | undefined
  /** In fen, 0 allowed. */
  readonly amount?: number | undefined
  readonly description?: string | undefined
  readonly count?: number | undefined
}

const paymentName = Fields.text(20, "付费名称 (20 characters)")
const paymentAmount = amount("付费金额: in fen, 0 for no charge")
const paymentDescription = Fields.text(30, "付费说明 (30 characters)")
/** count: [1,100] (the create pages; the 2020 page: 数量限制100,不填时默认1). */
const paymentCount = Fields.integer(1, 100, "付费数量: 1 to 100")

/** @internal */
export const postPayment: Fields.ObjectRule<PostPayment> = Fields.object<PostPayment>({
  name: required(paymentName),
  amount: optional(paymentAmount),
  description: optional(paymentDescription),
  count: optional(paymentCount)
})

/** @internal */
export const optionalNamePostPayment: Fields.ObjectRule<OptionalNamePostPayment> = Fields.object<
  OptionalNamePostPayment
>({
  name: optional(paymentName),
  amount: optional(paymentAmount),
  description: optional(paymentDescription),
  count: optional(paymentCount)
})

/** @internal */
export const postPayments: Fields.ArrayRule<PostPayment> = Fields.array<PostPayment>(postPayment, {
  maxItems: POST_PAYMENTS_MAX_ITEMS,
  description: "后付费项目: what the user pays for (at most 100)"
})

/** @internal */
export const optionalNamePostPayments: Fields.ArrayRule<OptionalNamePostPayment> = Fields.array<
  OptionalNamePostPayment
>(optionalNamePostPayment, {
  maxItems: POST_PAYMENTS_MAX_ITEMS,
  description: "后付费项目: what the user pays for (at most 100)"
})

/**
 * One `post_discounts` item (商户优惠). Every field optional: the merchant create page marks `name`
 * 必填, the merchant modify page and every partner page 选填, OA requires `description` on create
 * only and `amount` on complete only, and the published create examples leave `amount` out (IM,
 * SKIT) while a complete example leaves `count` out: one shape, the wider.
 *
 * @internal
 */
export interface PostDiscount {
  readonly name?: string | undefined
  readonly description?: string | undefined
  /** In fen. */
  readonly amount?: number | undefined
  readonly count?: number | undefined
}

/** @internal */
export const postDiscount: Fields.ObjectRule<PostDiscount> = Fields.object<PostDiscount>({
  name: optional(Fields.text(20, "优惠名称 (20 characters)")),
  description: optional(Fields.text(30, "优惠说明 (30 characters)")),
  amount: optional(amount("优惠金额: in fen")),
  // documented only as 整型 (no range)
  count: optional(Fields.integer(undefined, undefined, "优惠数量"))
})

/** @internal */
export const postDiscounts: Fields.ArrayRule<PostDiscount> = Fields.array<PostDiscount>(postDiscount, {
  maxItems: POST_DISCOUNTS_MAX_ITEMS,
  description: "商户优惠: the merchant's discounts (at most 30)"
})

// ---------------------------------------------------------------------------------------------
// risk_fund
// ---------------------------------------------------------------------------------------------

/**
 * The documented `risk_fund.name`s: DEPOSIT 押金, ADVANCE 预付款, CASH_DEPOSIT 保证金 (先免模式),
 * ESTIMATE_ORDER_COST 预估订单费用 (先享模式). (OA's enumeration file misspells `UDEPOSIT`.)
 *
 * @internal
 */
export type RiskFundName = "DEPOSIT" | "ADVANCE" | "CASH_DEPOSIT" | "ESTIMATE_ORDER_COST"

/** @internal */
export const RISK_FUND_NAMES: ReadonlyArray<RiskFundName> = [
  "DEPOSIT",
  "ADVANCE",
  "CASH_DEPOSIT",
  "ESTIMATE_ORDER_COST"
]

/** 服务风险金. @internal */
export interface RiskFund {
  readonly name: RiskFundName
  /** In fen (at most the service's risk cap: WeChat Pay's to judge). */
  readonly amount: number
  readonly description?: string | undefined
}

/** @internal */
export const riskFund: Fields.ObjectRule<RiskFund> = Fields.object<RiskFund>({
  name: required<Fields.StringRule<RiskFundName>>({
    kind: "string",
    charset: "visible",
    values: RISK_FUND_NAMES,
    description: "风险金名称: DEPOSIT, ADVANCE, CASH_DEPOSIT (先免) or ESTIMATE_ORDER_COST (先享)"
  }),
  amount: required(amount("风险金额: in fen")),
  description: optional(Fields.text(30, "风险说明 (30 characters)"))
})

// ---------------------------------------------------------------------------------------------
// time_range, location, device
// ---------------------------------------------------------------------------------------------

/** A WeChat Pay time: a string in the documented form, or a `DateTime` (written in China Standard Time). @internal */
export type WechatPayTime = string | DateTimeLike

/** `start_time`: `yyyyMMddHHmmss`, `yyyyMMdd` or `OnAccept` (OA's pattern `\d{8}|\d{14}|OnAccept`). @internal */
export const startTime: Fields.TimeRule = Fields.time(
  ["compact", "day", "OnAccept"],
  "服务开始时间: yyyyMMddHHmmss, yyyyMMdd or OnAccept (when the user confirms)"
)

/** `end_time`: `yyyyMMddHHmmss` or `yyyyMMdd`, never `OnAccept` (OA's pattern `\d{8}|\d{14}`). @internal */
export const endTime: Fields.TimeRule = Fields.time(["compact", "day"], "服务结束时间: yyyyMMddHHmmss or yyyyMMdd")

/** `start_time_remark`: 20 characters (OA; a copy of the official text says 20 too). @internal */
export const startTimeRemark: Fields.StringRule = Fields.text(20, "服务开始时间备注 (20 characters)")

/**
 * `end_time_remark`: 50 characters (OA's `maxLength: 50`; a copy of the official text says 20: the
 * wider is accepted).
 *
 * @internal
 */
export const endTimeRemark: Fields.StringRule = Fields.text(50, "服务结束时间备注 (50 characters)")

/**
 * 服务时间段 of a create: `start_time` required (the merchant create page, OA and IM; OA and IM for
 * the acquiring bank).
 *
 * @internal
 */
export interface TimeRange {
  readonly start_time: WechatPayTime
  readonly end_time?: WechatPayTime | undefined
  readonly start_time_remark?: string | undefined
  readonly end_time_remark?: string | undefined
}

/**
 * 服务时间段 with every field optional: the actual times given at complete (a real complete body
 * sends `end_time` only), the partner create (OA and IM do not require `start_time`) and
 * direct-complete (IM does not).
 *
 * @internal
 */
export interface PartialTimeRange {
  readonly start_time?: WechatPayTime | undefined
  readonly end_time?: WechatPayTime | undefined
  readonly start_time_remark?: string | undefined
  readonly end_time_remark?: string | undefined
}

/** @internal */
export const timeRange: Fields.ObjectRule<TimeRange> = Fields.object<TimeRange>(
  {
    start_time: required(startTime),
    end_time: optional(endTime),
    start_time_remark: optional(startTimeRemark),
    end_time_remark: optional(endTimeRemark)
  },
  undefined,
  "服务时间段"
)

/** @internal */
export const partialTimeRange: Fields.ObjectRule<PartialTimeRange> = Fields.object<PartialTimeRange>(
  {
    start_time: optional(startTime),
    end_time: optional(endTime),
    start_time_remark: optional(startTimeRemark),
    end_time_remark: optional(endTimeRemark)
  },
  undefined,
  "服务时间段"
)

/**
 * 服务位置. OA and IM give complete only `end_location`; the official Java complete sample sends
 * `start_location` too: both are accepted everywhere. No source states a length.
 *
 * @internal
 */
export interface Location {
  readonly start_location?: string | undefined
  readonly end_location?: string | undefined
}

/** @internal */
export const location: Fields.ObjectRule<Location> = Fields.object<Location>(
  {
    start_location: optional(Fields.text(undefined, "服务开始地点")),
    end_location: optional(Fields.text(undefined, "服务结束地点"))
  },
  undefined,
  "服务位置"
)

/** 设备信息 (added 2025; no source states a length). @internal */
export interface Device {
  readonly start_device_id?: string | undefined
  readonly end_device_id?: string | undefined
  readonly materiel_no?: string | undefined
}

/** @internal */
export const device: Fields.ObjectRule<Device> = Fields.object<Device>(
  {
    start_device_id: optional(Fields.text(undefined, "服务开始的设备ID")),
    end_device_id: optional(Fields.text(undefined, "服务结束的设备ID")),
    materiel_no: optional(Fields.text(undefined, "物料URL"))
  },
  undefined,
  "设备信息"
)

/**
 * `complete_time` (partner and acquiring-bank complete): RFC 3339 with an offset, e.g.
 * `2019-11-11T16:24:05+08:00`; a `DateTime` is written in China Standard Time.
 *
 * @internal
 */
export const completeTime: Fields.TimeRule = Fields.time(
  ["rfc3339"],
  "完结服务时间: RFC 3339 (2019-11-11T16:24:05+08:00)"
)

/** `prepaid_time` (send-*message): `yyyyMMdd`, e.g. `20231218`. @internal */
export const prepaidTime: Fields.TimeRule = Fields.time(["day"], "预计扣费日期: yyyyMMdd")

// ---------------------------------------------------------------------------------------------
// sync
// ---------------------------------------------------------------------------------------------

/** The one documented sync `type`. @internal */
export type SyncType = "Order_Paid"

/** @internal */
export const syncType: Fields.StringRule<SyncType> = {
  kind: "string",
  charset: "visible",
  values: ["Order_Paid"],
  valuesMessage: (actual) => `must be Order_Paid (the one documented type), not ${JSON.stringify(actual)}`,
  description: "场景类型: Order_Paid (the user paid elsewhere)"
}

/** `detail.paid_time`: `yyyyMMddHHmmss` or `yyyyMMdd` (= 00:00:00 that day). @internal */
export const paidTime: Fields.TimeRule = Fields.time(["compact", "day"], "收款成功时间: yyyyMMddHHmmss or yyyyMMdd")

/** 内容信息详情 of a merchant or acquiring-bank sync. @internal */
export interface SyncDetail {
  readonly paid_time: WechatPayTime
}

/** @internal */
export const syncDetail: Fields.ObjectRule<SyncDetail> = Fields.object<SyncDetail>({
  paid_time: required(paidTime)
})

/**
 * 内容信息详情 of a partner sync: OA's partner sync adds `seq` and `paid_amount` (SKIT's sample sends
 * them); the official partner page lists `paid_time` only: the wider is accepted.
 *
 * @internal
 */
export interface PartnerSyncDetail {
  readonly seq?: number | undefined
  readonly paid_time: WechatPayTime
  /** In fen. */
  readonly paid_amount?: number | undefined
}

/** @internal */
export const partnerSyncDetail: Fields.ObjectRule<PartnerSyncDetail> = Fields.object<PartnerSyncDetail>({
  seq: optional(Fields.integer(undefined, undefined, "收款序号")),
  paid_time: required(paidTime),
  paid_amount: optional(amount("收款金额: in fen"))
})

// ---------------------------------------------------------------------------------------------
// 先用后付 shopping_info
// ---------------------------------------------------------------------------------------------

/** The one documented `jump_link_type`. @internal */
export type JumpLinkType = "JUMP_LINK_MINI_PROGRAM"

/** 单详跳转链接 (OA: every field optional). @internal */
export interface JumpLink {
  readonly jump_link_type?: JumpLinkType | undefined
  readonly appid?: string | undefined
  readonly path?: string | undefined
}

/** @internal */
export const jumpLink: Fields.ObjectRule<JumpLink> = Fields.object<JumpLink>({
  jump_link_type: optional<Fields.StringRule<JumpLinkType>>({
    kind: "string",
    charset: "visible",
    values: ["JUMP_LINK_MINI_PROGRAM"],
    description: "跳转链接类型: JUMP_LINK_MINI_PROGRAM"
  }),
  appid: optional(Fields.id(32, "小程序跳转AppID")),
  path: optional(Fields.text(undefined, "小程序跳转path"))
})

// ---------------------------------------------------------------------------------------------
// Queries: exactly one of out_order_no and query_id
// ---------------------------------------------------------------------------------------------

/**
 * "必填一个(不允许都填写或都不填写)": exactly one of `out_order_no` and `query_id` (the merchant query
 * page; the partner and acquiring-bank queries take the same pair). The pages' own example URLs
 * send both; WeChat Pay's rule is the text.
 *
 * @internal
 */
export const oneOrderReference = (p: {
  readonly out_order_no?: string | undefined
  readonly query_id?: string | undefined
}): Fields.ObjectProblem | undefined => {
  if (p.out_order_no === undefined && p.query_id === undefined) {
    return { path: ["out_order_no"], message: "or query_id is required (exactly one of them)" }
  }
  if (p.out_order_no !== undefined && p.query_id !== undefined) {
    return {
      path: ["query_id"],
      message: "must not be given with out_order_no: give exactly one of out_order_no and query_id"
    }
  }
  return undefined
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/** The common errors of every service-order call (no page read lists more for most of them). @internal */
export const ORDER_ERRORS: ReadonlyArray<DocumentedError> = COMMON_ERRORS

/**
 * What the merchant complete page's table adds (quoted by WeChat Pay staff, community post
 * 000628f8…): the order's state refuses the call.
 *
 * @internal
 */
export const ORDER_STATE_ERRORS: ReadonlyArray<DocumentedError> = [
  ...COMMON_ERRORS.map((e) =>
    e.code === "INVALID_REQUEST"
      ? {
        ...e,
        meaning:
          "the request breaks the APIv3 rules, or fits the format but not the business rules, e.g. the order's state (当前订单状态不合法)"
      }
      : e
  ),
  { status: 400, code: "INVALID_ORDER_STATE", meaning: "the order's state does not allow it (单据状态错误)" },
  { status: 400, code: "ORDER_CANCELED", meaning: "the order was cancelled (单据已取消)" },
  { status: 400, code: "ORDER_DONE", meaning: "the order is done (订单已完成)" }
]

/**
 * The acquiring bank's cancel, modify and sync tables (2025.03.14): the above, `404 ORDER_NOT_EXIST`,
 * and `403 NO_AUTH` as 商户信息不合法. The table lists INVALID_REQUEST twice (the APIv3 rules; the
 * business rules, "请确认相同单号是否使用了不同的参数"): one entry here.
 *
 * @internal
 */
export const ACQUIRING_BANK_ORDER_ERRORS: ReadonlyArray<DocumentedError> = [
  ...ORDER_STATE_ERRORS.map((e) =>
    e.code === "INVALID_REQUEST"
      ? {
        ...e,
        meaning:
          "the request breaks the APIv3 rules, or fits the format but not the business rules (e.g. the same out_order_no with other parameters)"
      }
      : e.code === "NO_AUTH"
      ? { ...e, meaning: "the merchant information is not valid (商户信息不合法)" }
      : e
  ),
  { status: 404, code: "ORDER_NOT_EXIST", meaning: "no such order (订单不存在)" }
]

/**
 * A query's errors: the common ones and `404 ORDER_NOT_EXIST`. No query page's table was read: the
 * code is the one the acquiring bank's order tables give for 订单不存在 (SK lists 271317510
 * 查询单据不存在 as a Request-ID suffix, not a code).
 *
 * @internal
 */
export const ORDER_QUERY_ERRORS: ReadonlyArray<DocumentedError> = [
  ...COMMON_ERRORS,
  { status: 404, code: "ORDER_NOT_EXIST", meaning: "no such order (订单不存在; the acquiring bank tables' code)" }
]
