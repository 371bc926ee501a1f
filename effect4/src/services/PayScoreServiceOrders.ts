/**
 * The Pay Score service orders (支付分订单) of the three roles: merchant (直连商户), partner
 * (服务商, `/v3/payscore/partner/…`) and acquiring bank (从业机构, `/v3/payscore/acquiringbank/…`).
 * Every method is one endpoint declared as data in the core (`core/endpoints/serviceOrders.ts`) and
 * runs through the one executor: its parameters (one object of wire-named fields, path and query
 * parameters included) are checked by the core's rules before anything is sent (`InvalidInput`
 * naming the field), split into path, query and body (a path parameter never in the body), sent
 * through `WechatPayClient` (signed, verified), and the answer decoded: an order into `ServiceOrder`
 * (tagged on `state`), a create into `CreatedServiceOrder`, a 204 into `void`.
 *
 * **Retries that cannot double-charge.** What is re-sent after an uncertain failure (a timeout, a
 * reset connection, a 5xx, a 429) is what the documentation says may be sent twice: the queries
 * (GET), the creates of all three roles ("该接口支持原参重入,相同参数重复调用可以返回成功": the
 * identical body answers the same order) and the merchant's cancel (its page says the same). Every
 * other call (modify, complete, pay, sync, direct-complete, the messages, the partner's and the
 * bank's cancel, the deduction registration, 先用后付) is sent once: WeChat Pay may have acted on
 * it, so after an uncertain failure query the order instead. A refused connection (the request
 * provably never left) is re-sent for every call.
 *
 * @since 0.2.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Endpoints from "../../../src/core/endpoints/serviceOrders.js"
import type { ClientError, DecodeError } from "../errors/WechatPayError.js"
import * as Execute from "../internal/execute.js"
import {
  AcquiringBankDeduction,
  CancelServiceOrderResult,
  CollectServiceOrderResult,
  CreatedServiceOrder,
  DeductionRegistration,
  ServiceOrder
} from "../schemas/ServiceOrder.js"
import type {
  CancelAcquiringBankServiceOrderParams,
  CancelPartnerServiceOrderParams,
  CancelServiceOrderParams,
  CollectPartnerServiceOrderParams,
  CollectServiceOrderParams,
  CompleteAcquiringBankServiceOrderParams,
  CompletePartnerServiceOrderParams,
  CompleteServiceOrderParams,
  CreateAcquiringBankServiceOrderParams,
  CreatePartnerServiceOrderParams,
  CreateServiceOrderParams,
  CreateServicePayOnDeliveryOrderParams,
  DirectCompleteServiceOrderParams,
  ModifyAcquiringBankServiceOrderParams,
  ModifyPartnerServiceOrderParams,
  ModifyServiceOrderParams,
  QueryAcquiringBankServiceOrderDeductionParams,
  QueryAcquiringBankServiceOrderParams,
  QueryPartnerServiceOrderParams,
  QueryServiceOrderParams,
  RegisterAcquiringBankServiceOrderDeductionParams,
  SendPartnerServiceOrderMessageParams,
  SendServiceOrderMessageParams,
  SyncAcquiringBankServiceOrderParams,
  SyncPartnerServiceOrderParams,
  SyncServiceOrderParams
} from "../schemas/ServiceOrderRequests.js"
import { WechatPayClient } from "./WechatPayClient.js"

/**
 * What a query can fail with: `NotFound` (404 `ORDER_NOT_EXIST`) for no such order, the API
 * errors, `VerificationError`, `TransportError` (after the retry budget), `DecodeError`,
 * `InvalidInput` (nothing sent).
 *
 * @since 0.2.0
 * @category errors
 */
export type OrderQueryError = ClientError

/**
 * What a call answered with a body can fail with. The order's state refusing the call comes back as
 * WeChat Pay says it: `ApiError` with `code` `ORDER_CANCELED` (单据已取消), `ORDER_DONE` (订单已完成)
 * or `INVALID_ORDER_STATE` (单据状态错误), `InvalidRequest` (当前订单状态不合法, or the same
 * `out_order_no` with other parameters), `ParamError` (e.g. 最终总金额计算非法).
 *
 * @since 0.2.0
 * @category errors
 */
export type OrderCallError = ClientError

/**
 * What a call answered with 204 can fail with: any verified 2xx is a success, so never
 * `DecodeError`; otherwise as `OrderCallError`.
 *
 * @since 0.2.0
 * @category errors
 */
export type OrderNoContentError = Exclude<ClientError, DecodeError>

/** @since 0.2.0 @category errors */
export type CreateServiceOrderError = OrderCallError
/** @since 0.2.0 @category errors */
export type QueryServiceOrderError = OrderQueryError
/** @since 0.2.0 @category errors */
export type CancelServiceOrderError = OrderCallError
/** @since 0.2.0 @category errors */
export type ModifyServiceOrderError = OrderCallError
/** @since 0.2.0 @category errors */
export type CompleteServiceOrderError = OrderCallError
/** @since 0.2.0 @category errors */
export type CollectServiceOrderError = OrderCallError
/** @since 0.2.0 @category errors */
export type SyncServiceOrderError = OrderCallError
/** @since 0.2.0 @category errors */
export type DirectCompleteServiceOrderError = OrderCallError
/** @since 0.2.0 @category errors */
export type SendServiceOrderPendingMessageError = OrderNoContentError
/** @since 0.2.0 @category errors */
export type SendServiceOrderPrepaidMessageError = OrderNoContentError
/** @since 0.2.0 @category errors */
export type CreateServicePayOnDeliveryOrderError = OrderCallError
/** @since 0.2.0 @category errors */
export type CreatePartnerServiceOrderError = OrderCallError
/** @since 0.2.0 @category errors */
export type QueryPartnerServiceOrderError = OrderQueryError
/** @since 0.2.0 @category errors */
export type CancelPartnerServiceOrderError = OrderNoContentError
/** @since 0.2.0 @category errors */
export type ModifyPartnerServiceOrderError = OrderNoContentError
/** @since 0.2.0 @category errors */
export type CompletePartnerServiceOrderError = OrderNoContentError
/** @since 0.2.0 @category errors */
export type CollectPartnerServiceOrderError = OrderNoContentError
/** @since 0.2.0 @category errors */
export type SyncPartnerServiceOrderError = OrderNoContentError
/** @since 0.2.0 @category errors */
export type SendPartnerServiceOrderPendingMessageError = OrderNoContentError
/** @since 0.2.0 @category errors */
export type SendPartnerServiceOrderPrepaidMessageError = OrderNoContentError
/** @since 0.2.0 @category errors */
export type CreateAcquiringBankServiceOrderError = OrderCallError
/** @since 0.2.0 @category errors */
export type QueryAcquiringBankServiceOrderError = OrderQueryError
/** @since 0.2.0 @category errors */
export type CancelAcquiringBankServiceOrderError = OrderNoContentError
/** @since 0.2.0 @category errors */
export type ModifyAcquiringBankServiceOrderError = OrderNoContentError
/** @since 0.2.0 @category errors */
export type CompleteAcquiringBankServiceOrderError = OrderNoContentError
/** @since 0.2.0 @category errors */
export type SyncAcquiringBankServiceOrderError = OrderNoContentError
/** @since 0.2.0 @category errors */
export type RegisterAcquiringBankServiceOrderDeductionError = OrderCallError
/** @since 0.2.0 @category errors */
export type QueryAcquiringBankServiceOrderDeductionError = OrderQueryError

/**
 * @since 0.2.0
 * @category models
 */
export declare namespace PayScoreServiceOrders {
  /**
   * @since 0.2.0
   * @category models
   */
  export interface Service {
    // Merchant (直连商户)
    /** Merchant: `POST /v3/payscore/serviceorder` → the order (`Created`, or `Doing` with `need_user_confirm: false`) with `order_id` and `package` (the confirmation page's). Re-entrant: after an uncertain failure (timeout, reset, 5xx, 429) the same body is sent again and answers the same order. */
    readonly createServiceOrder: (
      params: CreateServiceOrderParams
    ) => Effect.Effect<CreatedServiceOrder, CreateServiceOrderError>
    /** Merchant: `GET /v3/payscore/serviceorder?out_order_no=…|query_id=…&service_id=…&appid=…` → the order. */
    readonly queryServiceOrder: (params: QueryServiceOrderParams) => Effect.Effect<ServiceOrder, QueryServiceOrderError>
    /** Merchant: `POST /v3/payscore/serviceorder/{out_order_no}/cancel` `{appid, service_id?, reason}` → `{appid, mchid, out_order_no, service_id, order_id}`. Re-entrant with the same parameters (its page): retried after an uncertain failure. */
    readonly cancelServiceOrder: (
      params: CancelServiceOrderParams
    ) => Effect.Effect<CancelServiceOrderResult, CancelServiceOrderError>
    /** Merchant: `POST /v3/payscore/serviceorder/{out_order_no}/modify` → the order. Never re-sent after an uncertain failure. */
    readonly modifyServiceOrder: (
      params: ModifyServiceOrderParams
    ) => Effect.Effect<ServiceOrder, ModifyServiceOrderError>
    /** Merchant: `POST /v3/payscore/serviceorder/{out_order_no}/complete` → the order (DOING/MCH_COMPLETE, collection USER_PAYING). Never re-sent after an uncertain failure: query the order. */
    readonly completeServiceOrder: (
      params: CompleteServiceOrderParams
    ) => Effect.Effect<ServiceOrder, CompleteServiceOrderError>
    /** Merchant: `POST /v3/payscore/serviceorder/{out_order_no}/pay` (催收) → `{appid, mchid?, out_order_no, service_id, order_id}`. Never re-sent after an uncertain failure. */
    readonly collectServiceOrder: (
      params: CollectServiceOrderParams
    ) => Effect.Effect<CollectServiceOrderResult, CollectServiceOrderError>
    /** Merchant: `POST /v3/payscore/serviceorder/{out_order_no}/sync` `{appid, service_id, type: "Order_Paid", detail: {paid_time}}` → the order (DONE). Never re-sent after an uncertain failure. */
    readonly syncServiceOrder: (params: SyncServiceOrderParams) => Effect.Effect<ServiceOrder, SyncServiceOrderError>
    /** Merchant: `POST /v3/payscore/serviceorder/direct-complete` (创单结单合并) → the order. Never re-sent after an uncertain failure. */
    readonly directCompleteServiceOrder: (
      params: DirectCompleteServiceOrderParams
    ) => Effect.Effect<ServiceOrder, DirectCompleteServiceOrderError>
    /** Merchant: `POST /v3/payscore/serviceorder/{out_order_no}/send-pendingmessage` → 204. One per order: never re-sent after an uncertain failure. */
    readonly sendServiceOrderPendingMessage: (
      params: SendServiceOrderMessageParams
    ) => Effect.Effect<void, SendServiceOrderPendingMessageError>
    /** Merchant: `POST /v3/payscore/serviceorder/{out_order_no}/send-prepaidmessage` → 204. One per order: never re-sent after an uncertain failure. */
    readonly sendServiceOrderPrepaidMessage: (
      params: SendServiceOrderMessageParams
    ) => Effect.Effect<void, SendServiceOrderPrepaidMessageError>
    /** Merchant: `POST /v3/payscore/servicepayondeliveryorder` (先用后付) → the order with `order_id`, `package` and `shopping_info`. Its page documents no re-send: never re-sent after an uncertain failure. */
    readonly createServicePayOnDeliveryOrder: (
      params: CreateServicePayOnDeliveryOrderParams
    ) => Effect.Effect<CreatedServiceOrder, CreateServicePayOnDeliveryOrderError>

    // Partner (服务商)
    /** Partner: `POST /v3/payscore/partner/serviceorder` → the order with `order_id` and `package`. Re-entrant: re-sent after an uncertain failure. */
    readonly createPartnerServiceOrder: (
      params: CreatePartnerServiceOrderParams
    ) => Effect.Effect<CreatedServiceOrder, CreatePartnerServiceOrderError>
    /** Partner: `GET /v3/payscore/partner/serviceorder?service_id=…&sub_mchid=…&out_order_no=…|query_id=…` → the order. */
    readonly queryPartnerServiceOrder: (
      params: QueryPartnerServiceOrderParams
    ) => Effect.Effect<ServiceOrder, QueryPartnerServiceOrderError>
    /** Partner: `POST /v3/payscore/partner/serviceorder/{out_order_no}/cancel` → 204. Never re-sent after an uncertain failure. */
    readonly cancelPartnerServiceOrder: (
      params: CancelPartnerServiceOrderParams
    ) => Effect.Effect<void, CancelPartnerServiceOrderError>
    /** Partner: `POST /v3/payscore/partner/serviceorder/{out_order_no}/modify` → 204. Never re-sent after an uncertain failure. */
    readonly modifyPartnerServiceOrder: (
      params: ModifyPartnerServiceOrderParams
    ) => Effect.Effect<void, ModifyPartnerServiceOrderError>
    /** Partner: `POST /v3/payscore/partner/serviceorder/{out_order_no}/complete` → 204. Never re-sent after an uncertain failure. */
    readonly completePartnerServiceOrder: (
      params: CompletePartnerServiceOrderParams
    ) => Effect.Effect<void, CompletePartnerServiceOrderError>
    /** Partner: `POST /v3/payscore/partner/serviceorder/{out_order_no}/pay` → 204. Never re-sent after an uncertain failure. */
    readonly collectPartnerServiceOrder: (
      params: CollectPartnerServiceOrderParams
    ) => Effect.Effect<void, CollectPartnerServiceOrderError>
    /** Partner: `POST /v3/payscore/partner/serviceorder/{out_order_no}/sync` → 204. Never re-sent after an uncertain failure. */
    readonly syncPartnerServiceOrder: (
      params: SyncPartnerServiceOrderParams
    ) => Effect.Effect<void, SyncPartnerServiceOrderError>
    /** Partner: `POST /v3/payscore/partner/serviceorder/{out_order_no}/send-pendingmessage` → 204. */
    readonly sendPartnerServiceOrderPendingMessage: (
      params: SendPartnerServiceOrderMessageParams
    ) => Effect.Effect<void, SendPartnerServiceOrderPendingMessageError>
    /** Partner: `POST /v3/payscore/partner/serviceorder/{out_order_no}/send-prepaidmessage` → 204. */
    readonly sendPartnerServiceOrderPrepaidMessage: (
      params: SendPartnerServiceOrderMessageParams
    ) => Effect.Effect<void, SendPartnerServiceOrderPrepaidMessageError>

    // Acquiring bank (从业机构)
    /** Acquiring bank: `POST /v3/payscore/acquiringbank/serviceorder` → the order with `order_id` and `package`. Re-entrant: re-sent after an uncertain failure. */
    readonly createAcquiringBankServiceOrder: (
      params: CreateAcquiringBankServiceOrderParams
    ) => Effect.Effect<CreatedServiceOrder, CreateAcquiringBankServiceOrderError>
    /** Acquiring bank: `GET /v3/payscore/acquiringbank/serviceorder?service_id=…&sub_mchid=…&channel_id=…&out_order_no=…|query_id=…` → the order. */
    readonly queryAcquiringBankServiceOrder: (
      params: QueryAcquiringBankServiceOrderParams
    ) => Effect.Effect<ServiceOrder, QueryAcquiringBankServiceOrderError>
    /** Acquiring bank: `POST /v3/payscore/acquiringbank/serviceorder/{out_order_no}/cancel` → 204. Never re-sent after an uncertain failure. */
    readonly cancelAcquiringBankServiceOrder: (
      params: CancelAcquiringBankServiceOrderParams
    ) => Effect.Effect<void, CancelAcquiringBankServiceOrderError>
    /** Acquiring bank: `POST /v3/payscore/acquiringbank/serviceorder/{out_order_no}/modify` → 204. Never re-sent after an uncertain failure. */
    readonly modifyAcquiringBankServiceOrder: (
      params: ModifyAcquiringBankServiceOrderParams
    ) => Effect.Effect<void, ModifyAcquiringBankServiceOrderError>
    /** Acquiring bank: `POST /v3/payscore/acquiringbank/serviceorder/{out_order_no}/complete` → 204 (no automatic deduction: register one). Never re-sent after an uncertain failure. */
    readonly completeAcquiringBankServiceOrder: (
      params: CompleteAcquiringBankServiceOrderParams
    ) => Effect.Effect<void, CompleteAcquiringBankServiceOrderError>
    /** Acquiring bank: `POST /v3/payscore/acquiringbank/serviceorder/{out_order_no}/sync` → 204. Never re-sent after an uncertain failure. */
    readonly syncAcquiringBankServiceOrder: (
      params: SyncAcquiringBankServiceOrderParams
    ) => Effect.Effect<void, SyncAcquiringBankServiceOrderError>
    /** Acquiring bank: `POST /v3/payscore/acquiringbank/serviceorder/{out_order_no}/registerdeductinfo` → `{description}` (valid 24 h, one deduction). Never re-sent after an uncertain failure. */
    readonly registerAcquiringBankServiceOrderDeduction: (
      params: RegisterAcquiringBankServiceOrderDeductionParams
    ) => Effect.Effect<DeductionRegistration, RegisterAcquiringBankServiceOrderDeductionError>
    /** Acquiring bank: `GET /v3/payscore/acquiringbank/serviceorder/deduction?…` → `{description, out_trade_no}`. */
    readonly queryAcquiringBankServiceOrderDeduction: (
      params: QueryAcquiringBankServiceOrderDeductionParams
    ) => Effect.Effect<AcquiringBankDeduction, QueryAcquiringBankServiceOrderDeductionError>
  }
}

/**
 * @since 0.2.0
 * @category tags
 */
export class PayScoreServiceOrders extends Context.Service<PayScoreServiceOrders, PayScoreServiceOrders.Service>()(
  "effect-wechatpay/PayScoreServiceOrders"
) {
  /** The service over the `WechatPayClient` in context (see `layer`). @since 0.2.0 */
  static get layer(): Layer.Layer<PayScoreServiceOrders, never, WechatPayClient> {
    return layer
  }
}

/**
 * @since 0.2.0
 * @category constructors
 */
export const make: Effect.Effect<PayScoreServiceOrders.Service, never, WechatPayClient> = Effect.map(
  Effect.service(WechatPayClient),
  (client) => {
    const call = Execute.executor(client)
    return PayScoreServiceOrders.of({
      // Merchant (直连商户)
      createServiceOrder: call(Endpoints.createServiceOrder, CreatedServiceOrder),
      queryServiceOrder: call(Endpoints.queryServiceOrder, ServiceOrder),
      cancelServiceOrder: call(Endpoints.cancelServiceOrder, CancelServiceOrderResult),
      modifyServiceOrder: call(Endpoints.modifyServiceOrder, ServiceOrder),
      completeServiceOrder: call(Endpoints.completeServiceOrder, ServiceOrder),
      collectServiceOrder: call(Endpoints.collectServiceOrder, CollectServiceOrderResult),
      syncServiceOrder: call(Endpoints.syncServiceOrder, ServiceOrder),
      directCompleteServiceOrder: call(Endpoints.directCompleteServiceOrder, ServiceOrder),
      sendServiceOrderPendingMessage: Execute.noContent(client, Endpoints.sendServiceOrderPendingMessage),
      sendServiceOrderPrepaidMessage: Execute.noContent(client, Endpoints.sendServiceOrderPrepaidMessage),
      createServicePayOnDeliveryOrder: call(Endpoints.createServicePayOnDeliveryOrder, CreatedServiceOrder),
      // Partner (服务商)
      createPartnerServiceOrder: call(Endpoints.createPartnerServiceOrder, CreatedServiceOrder),
      queryPartnerServiceOrder: call(Endpoints.queryPartnerServiceOrder, ServiceOrder),
      cancelPartnerServiceOrder: Execute.noContent(client, Endpoints.cancelPartnerServiceOrder),
      modifyPartnerServiceOrder: Execute.noContent(client, Endpoints.modifyPartnerServiceOrder),
      completePartnerServiceOrder: Execute.noContent(client, Endpoints.completePartnerServiceOrder),
      collectPartnerServiceOrder: Execute.noContent(client, Endpoints.collectPartnerServiceOrder),
      syncPartnerServiceOrder: Execute.noContent(client, Endpoints.syncPartnerServiceOrder),
      sendPartnerServiceOrderPendingMessage: Execute.noContent(client, Endpoints.sendPartnerServiceOrderPendingMessage),
      sendPartnerServiceOrderPrepaidMessage: Execute.noContent(client, Endpoints.sendPartnerServiceOrderPrepaidMessage),
      // Acquiring bank (从业机构)
      createAcquiringBankServiceOrder: call(Endpoints.createAcquiringBankServiceOrder, CreatedServiceOrder),
      queryAcquiringBankServiceOrder: call(Endpoints.queryAcquiringBankServiceOrder, ServiceOrder),
      cancelAcquiringBankServiceOrder: Execute.noContent(client, Endpoints.cancelAcquiringBankServiceOrder),
      modifyAcquiringBankServiceOrder: Execute.noContent(client, Endpoints.modifyAcquiringBankServiceOrder),
      completeAcquiringBankServiceOrder: Execute.noContent(client, Endpoints.completeAcquiringBankServiceOrder),
      syncAcquiringBankServiceOrder: Execute.noContent(client, Endpoints.syncAcquiringBankServiceOrder),
      registerAcquiringBankServiceOrderDeduction: call(
        Endpoints.registerAcquiringBankServiceOrderDeduction,
        DeductionRegistration
      ),
      queryAcquiringBankServiceOrderDeduction: call(
        Endpoints.queryAcquiringBankServiceOrderDeduction,
        AcquiringBankDeduction
      )
    })
  }
)

/**
 * @since 0.2.0
 * @category layers
 */
export const layer: Layer.Layer<PayScoreServiceOrders, never, WechatPayClient> = Layer.effect(
  PayScoreServiceOrders,
  make
)
