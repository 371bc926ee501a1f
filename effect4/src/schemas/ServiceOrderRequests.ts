/**
 * The parameters of the Pay Score service-order calls (支付分订单), declared once in the core
 * (`core/endpoints/serviceOrders.ts`): each interface under its name, and a `Schema` that checks
 * what the client checks before sending (presence, types, amounts as whole numbers of fen with 0
 * allowed, lengths in characters, `out_order_no`'s character set, the forms of the times, exactly
 * one of `out_order_no` / `query_id`). A failure's message is the client's `InvalidInput` message.
 *
 * Every parameter keeps its wire name, path and query parameters included (`out_order_no` of
 * `…/{out_order_no}/complete` is a field like the others: it goes in the path, never in the body).
 * Times (`time_range.start_time`, `end_time`, `complete_time`, `detail.paid_time`, `prepaid_time`)
 * are the documented strings or a `DateTime`, which is written in China Standard Time, what WeChat
 * Pay compares them with.
 *
 * Only the wire's own rules are checked: the arithmetic (`total_amount` = payments − discounts),
 * unique names, `openid` beside `sub_openid` and the like stay WeChat Pay's to judge (the published
 * examples break them, and WeChat Pay answers `PARAM_ERROR` with its reason).
 *
 * @since 0.2.0
 */
import type * as Schema from "effect/Schema"
import type * as Fields from "../../../src/core/endpoints/serviceOrderFields.js"
import * as Endpoints from "../../../src/core/endpoints/serviceOrders.js"
import * as ParamsSchema from "../internal/paramsSchema.js"

// ---------------------------------------------------------------------------------------------
// Shared objects
// ---------------------------------------------------------------------------------------------

/**
 * A time as the calls take it: the documented string form, or a point in time (`DateTime`, or
 * anything with `epochMillis`), written in China Standard Time.
 *
 * @since 0.2.0
 * @category parameters
 */
export type TimeInput = Fields.WechatPayTime

/**
 * One `post_payments` item of a merchant call (`name` required): `amount` in fen (0 for no
 * charge), `description`, `count` 1 to 100.
 *
 * @since 0.2.0
 * @category parameters
 */
export interface PostPayment extends Fields.PostPayment {}

/**
 * One `post_payments` item of a partner or acquiring-bank call, or of a message (`name` optional).
 *
 * @since 0.2.0
 * @category parameters
 */
export interface OptionalNamePostPayment extends Fields.OptionalNamePostPayment {}

/**
 * One `post_discounts` item: `amount` in fen.
 *
 * @since 0.2.0
 * @category parameters
 */
export interface PostDiscount extends Fields.PostDiscount {}

/**
 * 服务风险金: `name` DEPOSIT, ADVANCE, CASH_DEPOSIT (先免) or ESTIMATE_ORDER_COST (先享), `amount` in fen.
 *
 * @since 0.2.0
 * @category parameters
 */
export interface RiskFund extends Fields.RiskFund {}

/**
 * 服务时间段 of a create: `start_time` (`yyyyMMddHHmmss`, `yyyyMMdd`, `OnAccept`, or a `DateTime`)
 * required; `end_time` never `OnAccept`.
 *
 * @since 0.2.0
 * @category parameters
 */
export interface TimeRange extends Fields.TimeRange {}

/**
 * 服务时间段 with every field optional (complete, partner create, direct-complete).
 *
 * @since 0.2.0
 * @category parameters
 */
export interface PartialTimeRange extends Fields.PartialTimeRange {}

/** 服务位置. @since 0.2.0 @category parameters */
export interface Location extends Fields.Location {}

/** 设备信息. @since 0.2.0 @category parameters */
export interface Device extends Fields.Device {}

/** `detail` of a merchant or acquiring-bank sync: `paid_time`. @since 0.2.0 @category parameters */
export interface SyncDetail extends Fields.SyncDetail {}

/** `detail` of a partner sync: `paid_time`, and `seq`, `paid_amount` (OA). @since 0.2.0 @category parameters */
export interface PartnerSyncDetail extends Fields.PartnerSyncDetail {}

/** Where a 先用后付 order's detail page jumps to. @since 0.2.0 @category parameters */
export interface JumpLink extends Fields.JumpLink {}

/** 先用后付购物详情: `jump_link` and `goods`. @since 0.2.0 @category parameters */
export interface PayOnDeliveryShoppingInfo extends Endpoints.PayOnDeliveryShoppingInfo {}

// ---------------------------------------------------------------------------------------------
// Merchant (直连商户)
// ---------------------------------------------------------------------------------------------

/**
 * Merchant: `POST /v3/payscore/serviceorder` (创建支付分订单). Re-entrant: the same parameters answer the same order.
 *
 * @since 0.2.0
 * @category parameters
 */
export interface CreateServiceOrderParams extends Endpoints.CreateServiceOrderParams {}
/** @since 0.2.0 @category parameters */
export const CreateServiceOrderParams: Schema.Codec<CreateServiceOrderParams> = ParamsSchema.fromObjectRule(
  Endpoints.createServiceOrder.params,
  "CreateServiceOrderParams"
)

/**
 * Merchant: `GET /v3/payscore/serviceorder` (查询支付分订单), by exactly one of `out_order_no` and `query_id`.
 *
 * @since 0.2.0
 * @category parameters
 */
export interface QueryServiceOrderParams extends Endpoints.QueryServiceOrderParams {}
/** @since 0.2.0 @category parameters */
export const QueryServiceOrderParams: Schema.Codec<QueryServiceOrderParams> = ParamsSchema.fromObjectRule(
  Endpoints.queryServiceOrder.params,
  "QueryServiceOrderParams"
)

/**
 * Merchant: `POST /v3/payscore/serviceorder/{out_order_no}/cancel` (取消支付分订单); `reason` at most 50 characters, shown to the user.
 *
 * @since 0.2.0
 * @category parameters
 */
export interface CancelServiceOrderParams extends Endpoints.CancelServiceOrderParams {}
/** @since 0.2.0 @category parameters */
export const CancelServiceOrderParams: Schema.Codec<CancelServiceOrderParams> = ParamsSchema.fromObjectRule(
  Endpoints.cancelServiceOrder.params,
  "CancelServiceOrderParams"
)

/**
 * Merchant: `POST /v3/payscore/serviceorder/{out_order_no}/modify` (修改订单金额: only downwards, while the user has not paid).
 *
 * @since 0.2.0
 * @category parameters
 */
export interface ModifyServiceOrderParams extends Endpoints.ModifyServiceOrderParams {}
/** @since 0.2.0 @category parameters */
export const ModifyServiceOrderParams: Schema.Codec<ModifyServiceOrderParams> = ParamsSchema.fromObjectRule(
  Endpoints.modifyServiceOrder.params,
  "ModifyServiceOrderParams"
)

/**
 * Merchant: `POST /v3/payscore/serviceorder/{out_order_no}/complete` (完结支付分订单). Times given as `DateTime` are written in China Standard Time.
 *
 * @since 0.2.0
 * @category parameters
 */
export interface CompleteServiceOrderParams extends Endpoints.CompleteServiceOrderParams {}
/** @since 0.2.0 @category parameters */
export const CompleteServiceOrderParams: Schema.Codec<CompleteServiceOrderParams> = ParamsSchema.fromObjectRule(
  Endpoints.completeServiceOrder.params,
  "CompleteServiceOrderParams"
)

/**
 * Merchant: `POST /v3/payscore/serviceorder/{out_order_no}/pay` (商户发起催收扣款).
 *
 * @since 0.2.0
 * @category parameters
 */
export interface CollectServiceOrderParams extends Endpoints.CollectServiceOrderParams {}
/** @since 0.2.0 @category parameters */
export const CollectServiceOrderParams: Schema.Codec<CollectServiceOrderParams> = ParamsSchema.fromObjectRule(
  Endpoints.collectServiceOrder.params,
  "CollectServiceOrderParams"
)

/**
 * Merchant: `POST /v3/payscore/serviceorder/{out_order_no}/sync` (同步服务订单信息: the user paid elsewhere).
 *
 * @since 0.2.0
 * @category parameters
 */
export interface SyncServiceOrderParams extends Endpoints.SyncServiceOrderParams {}
/** @since 0.2.0 @category parameters */
export const SyncServiceOrderParams: Schema.Codec<SyncServiceOrderParams> = ParamsSchema.fromObjectRule(
  Endpoints.syncServiceOrder.params,
  "SyncServiceOrderParams"
)

/**
 * Merchant: `POST /v3/payscore/serviceorder/direct-complete` (创单结单合并, 免确认 only, not open by default).
 *
 * @since 0.2.0
 * @category parameters
 */
export interface DirectCompleteServiceOrderParams extends Endpoints.DirectCompleteServiceOrderParams {}
/** @since 0.2.0 @category parameters */
export const DirectCompleteServiceOrderParams: Schema.Codec<DirectCompleteServiceOrderParams> = ParamsSchema
  .fromObjectRule(
    Endpoints.directCompleteServiceOrder.params,
    "DirectCompleteServiceOrderParams"
  )

/**
 * Merchant: `POST /v3/payscore/serviceorder/{out_order_no}/send-pendingmessage` and `…/send-prepaidmessage` (one of each per order).
 *
 * @since 0.2.0
 * @category parameters
 */
export interface SendServiceOrderMessageParams extends Endpoints.SendServiceOrderMessageParams {}
/** @since 0.2.0 @category parameters */
export const SendServiceOrderMessageParams: Schema.Codec<SendServiceOrderMessageParams> = ParamsSchema.fromObjectRule(
  Endpoints.sendServiceOrderPendingMessage.params,
  "SendServiceOrderMessageParams"
)

/**
 * Merchant: `POST /v3/payscore/servicepayondeliveryorder` (创建先用后付订单).
 *
 * @since 0.2.0
 * @category parameters
 */
export interface CreateServicePayOnDeliveryOrderParams extends Endpoints.CreateServicePayOnDeliveryOrderParams {}
/** @since 0.2.0 @category parameters */
export const CreateServicePayOnDeliveryOrderParams: Schema.Codec<CreateServicePayOnDeliveryOrderParams> = ParamsSchema
  .fromObjectRule(
    Endpoints.createServicePayOnDeliveryOrder.params,
    "CreateServicePayOnDeliveryOrderParams"
  )

// ---------------------------------------------------------------------------------------------
// Partner (服务商)
// ---------------------------------------------------------------------------------------------

/**
 * Partner (服务商): `POST /v3/payscore/partner/serviceorder`, for `sub_mchid`.
 *
 * @since 0.2.0
 * @category parameters
 */
export interface CreatePartnerServiceOrderParams extends Endpoints.CreatePartnerServiceOrderParams {}
/** @since 0.2.0 @category parameters */
export const CreatePartnerServiceOrderParams: Schema.Codec<CreatePartnerServiceOrderParams> = ParamsSchema
  .fromObjectRule(
    Endpoints.createPartnerServiceOrder.params,
    "CreatePartnerServiceOrderParams"
  )

/**
 * Partner: `GET /v3/payscore/partner/serviceorder` (no `appid`), by exactly one of `out_order_no` and `query_id`.
 *
 * @since 0.2.0
 * @category parameters
 */
export interface QueryPartnerServiceOrderParams extends Endpoints.QueryPartnerServiceOrderParams {}
/** @since 0.2.0 @category parameters */
export const QueryPartnerServiceOrderParams: Schema.Codec<QueryPartnerServiceOrderParams> = ParamsSchema
  .fromObjectRule(
    Endpoints.queryPartnerServiceOrder.params,
    "QueryPartnerServiceOrderParams"
  )

/**
 * Partner: `POST /v3/payscore/partner/serviceorder/{out_order_no}/cancel` (answered 204).
 *
 * @since 0.2.0
 * @category parameters
 */
export interface CancelPartnerServiceOrderParams extends Endpoints.CancelPartnerServiceOrderParams {}
/** @since 0.2.0 @category parameters */
export const CancelPartnerServiceOrderParams: Schema.Codec<CancelPartnerServiceOrderParams> = ParamsSchema
  .fromObjectRule(
    Endpoints.cancelPartnerServiceOrder.params,
    "CancelPartnerServiceOrderParams"
  )

/**
 * Partner: `POST /v3/payscore/partner/serviceorder/{out_order_no}/modify` (answered 204).
 *
 * @since 0.2.0
 * @category parameters
 */
export interface ModifyPartnerServiceOrderParams extends Endpoints.ModifyPartnerServiceOrderParams {}
/** @since 0.2.0 @category parameters */
export const ModifyPartnerServiceOrderParams: Schema.Codec<ModifyPartnerServiceOrderParams> = ParamsSchema
  .fromObjectRule(
    Endpoints.modifyPartnerServiceOrder.params,
    "ModifyPartnerServiceOrderParams"
  )

/**
 * Partner: `POST /v3/payscore/partner/serviceorder/{out_order_no}/complete` (answered 204); `complete_time` RFC 3339, or a `DateTime` written in China Standard Time.
 *
 * @since 0.2.0
 * @category parameters
 */
export interface CompletePartnerServiceOrderParams extends Endpoints.CompletePartnerServiceOrderParams {}
/** @since 0.2.0 @category parameters */
export const CompletePartnerServiceOrderParams: Schema.Codec<CompletePartnerServiceOrderParams> = ParamsSchema
  .fromObjectRule(
    Endpoints.completePartnerServiceOrder.params,
    "CompletePartnerServiceOrderParams"
  )

/**
 * Partner: `POST /v3/payscore/partner/serviceorder/{out_order_no}/pay` (answered 204).
 *
 * @since 0.2.0
 * @category parameters
 */
export interface CollectPartnerServiceOrderParams extends Endpoints.CollectPartnerServiceOrderParams {}
/** @since 0.2.0 @category parameters */
export const CollectPartnerServiceOrderParams: Schema.Codec<CollectPartnerServiceOrderParams> = ParamsSchema
  .fromObjectRule(
    Endpoints.collectPartnerServiceOrder.params,
    "CollectPartnerServiceOrderParams"
  )

/**
 * Partner: `POST /v3/payscore/partner/serviceorder/{out_order_no}/sync` (answered 204).
 *
 * @since 0.2.0
 * @category parameters
 */
export interface SyncPartnerServiceOrderParams extends Endpoints.SyncPartnerServiceOrderParams {}
/** @since 0.2.0 @category parameters */
export const SyncPartnerServiceOrderParams: Schema.Codec<SyncPartnerServiceOrderParams> = ParamsSchema.fromObjectRule(
  Endpoints.syncPartnerServiceOrder.params,
  "SyncPartnerServiceOrderParams"
)

/**
 * Partner: `…/partner/serviceorder/{out_order_no}/send-pendingmessage` and `…/send-prepaidmessage` (answered 204).
 *
 * @since 0.2.0
 * @category parameters
 */
export interface SendPartnerServiceOrderMessageParams extends Endpoints.SendPartnerServiceOrderMessageParams {}
/** @since 0.2.0 @category parameters */
export const SendPartnerServiceOrderMessageParams: Schema.Codec<SendPartnerServiceOrderMessageParams> = ParamsSchema
  .fromObjectRule(
    Endpoints.sendPartnerServiceOrderPendingMessage.params,
    "SendPartnerServiceOrderMessageParams"
  )

// ---------------------------------------------------------------------------------------------
// Acquiring bank (从业机构)
// ---------------------------------------------------------------------------------------------

/**
 * Acquiring bank (从业机构): `POST /v3/payscore/acquiringbank/serviceorder`, for `channel_id` and `sub_mchid`.
 *
 * @since 0.2.0
 * @category parameters
 */
export interface CreateAcquiringBankServiceOrderParams extends Endpoints.CreateAcquiringBankServiceOrderParams {}
/** @since 0.2.0 @category parameters */
export const CreateAcquiringBankServiceOrderParams: Schema.Codec<CreateAcquiringBankServiceOrderParams> = ParamsSchema
  .fromObjectRule(
    Endpoints.createAcquiringBankServiceOrder.params,
    "CreateAcquiringBankServiceOrderParams"
  )

/**
 * Acquiring bank: `GET /v3/payscore/acquiringbank/serviceorder`, by exactly one of `out_order_no` and `query_id`.
 *
 * @since 0.2.0
 * @category parameters
 */
export interface QueryAcquiringBankServiceOrderParams extends Endpoints.QueryAcquiringBankServiceOrderParams {}
/** @since 0.2.0 @category parameters */
export const QueryAcquiringBankServiceOrderParams: Schema.Codec<QueryAcquiringBankServiceOrderParams> = ParamsSchema
  .fromObjectRule(
    Endpoints.queryAcquiringBankServiceOrder.params,
    "QueryAcquiringBankServiceOrderParams"
  )

/**
 * Acquiring bank: `POST /v3/payscore/acquiringbank/serviceorder/{out_order_no}/cancel` (answered 204).
 *
 * @since 0.2.0
 * @category parameters
 */
export interface CancelAcquiringBankServiceOrderParams extends Endpoints.CancelAcquiringBankServiceOrderParams {}
/** @since 0.2.0 @category parameters */
export const CancelAcquiringBankServiceOrderParams: Schema.Codec<CancelAcquiringBankServiceOrderParams> = ParamsSchema
  .fromObjectRule(
    Endpoints.cancelAcquiringBankServiceOrder.params,
    "CancelAcquiringBankServiceOrderParams"
  )

/**
 * Acquiring bank: `POST /v3/payscore/acquiringbank/serviceorder/{out_order_no}/modify` (answered 204).
 *
 * @since 0.2.0
 * @category parameters
 */
export interface ModifyAcquiringBankServiceOrderParams extends Endpoints.ModifyAcquiringBankServiceOrderParams {}
/** @since 0.2.0 @category parameters */
export const ModifyAcquiringBankServiceOrderParams: Schema.Codec<ModifyAcquiringBankServiceOrderParams> = ParamsSchema
  .fromObjectRule(
    Endpoints.modifyAcquiringBankServiceOrder.params,
    "ModifyAcquiringBankServiceOrderParams"
  )

/**
 * Acquiring bank: `POST /v3/payscore/acquiringbank/serviceorder/{out_order_no}/complete` (answered 204; no automatic deduction follows).
 *
 * @since 0.2.0
 * @category parameters
 */
export interface CompleteAcquiringBankServiceOrderParams extends Endpoints.CompleteAcquiringBankServiceOrderParams {}
/** @since 0.2.0 @category parameters */
export const CompleteAcquiringBankServiceOrderParams: Schema.Codec<CompleteAcquiringBankServiceOrderParams> =
  ParamsSchema.fromObjectRule(
    Endpoints.completeAcquiringBankServiceOrder.params,
    "CompleteAcquiringBankServiceOrderParams"
  )

/**
 * Acquiring bank: `POST /v3/payscore/acquiringbank/serviceorder/{out_order_no}/sync` (answered 204).
 *
 * @since 0.2.0
 * @category parameters
 */
export interface SyncAcquiringBankServiceOrderParams extends Endpoints.SyncAcquiringBankServiceOrderParams {}
/** @since 0.2.0 @category parameters */
export const SyncAcquiringBankServiceOrderParams: Schema.Codec<SyncAcquiringBankServiceOrderParams> = ParamsSchema
  .fromObjectRule(
    Endpoints.syncAcquiringBankServiceOrder.params,
    "SyncAcquiringBankServiceOrderParams"
  )

/**
 * Acquiring bank: `POST /v3/payscore/acquiringbank/serviceorder/{out_order_no}/registerdeductinfo` (登记扣款信息, valid 24 h, one deduction).
 *
 * @since 0.2.0
 * @category parameters
 */
export interface RegisterAcquiringBankServiceOrderDeductionParams
  extends Endpoints.RegisterAcquiringBankServiceOrderDeductionParams
{}
/** @since 0.2.0 @category parameters */
export const RegisterAcquiringBankServiceOrderDeductionParams: Schema.Codec<
  RegisterAcquiringBankServiceOrderDeductionParams
> = ParamsSchema.fromObjectRule(
  Endpoints.registerAcquiringBankServiceOrderDeduction.params,
  "RegisterAcquiringBankServiceOrderDeductionParams"
)

/**
 * Acquiring bank: `GET /v3/payscore/acquiringbank/serviceorder/deduction` (查询扣款信息).
 *
 * @since 0.2.0
 * @category parameters
 */
export interface QueryAcquiringBankServiceOrderDeductionParams
  extends Endpoints.QueryAcquiringBankServiceOrderDeductionParams
{}
/** @since 0.2.0 @category parameters */
export const QueryAcquiringBankServiceOrderDeductionParams: Schema.Codec<
  QueryAcquiringBankServiceOrderDeductionParams
> = ParamsSchema.fromObjectRule(
  Endpoints.queryAcquiringBankServiceOrderDeduction.params,
  "QueryAcquiringBankServiceOrderDeductionParams"
)
