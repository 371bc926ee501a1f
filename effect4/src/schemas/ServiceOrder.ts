/**
 * The answers of the Pay Score service-order calls (支付分订单): the order record, decoded into a
 * tagged union on `state` (`Created` | `Doing` | `Done` | `Revoked` | `Expired` | `UnknownState`),
 * and the other answers (cancel, collect, the acquiring bank's deduction registration and query).
 *
 * Every documented field is kept under its wire name, nested objects included (`post_payments`,
 * `post_discounts`, `risk_fund`, `time_range`, `location`, `device`, `collection` with its `details`,
 * their `promotion_detail` and its `goods_detail`, the 先用后付 `shopping_info`). The field set is the
 * union of what the three roles' answers and notification resources carry (test/fixtures/wechatpay/
 * serviceorder/README.md §4.1): `sub_mchid`, `sub_appid`, `sub_openid` (partner, acquiring bank),
 * `channel_id` (acquiring bank), `package` (creates), `out_trade_no` (the acquiring bank's
 * notifications).
 *
 * What the wire may send, and how it reads:
 * - `state` and `state_description` are kept raw; the `_tag` is read from `state`. A state no page
 *   documents (SKIT's direct-complete sample answers `FINISHED`) is `UnknownState`, never a decode
 *   failure. The same state after a partner or acquiring-bank create is documented as `CREATED` by
 *   some pages and `DOING` by others: decode the state, never assume it.
 * - amounts are whole numbers of fen. Every definition types them as integers, but SKIT's three
 *   notification samples send `"total_amount":"40000"` (a string): an amount given as the digits of
 *   a whole number decodes to that number (`Amount`).
 * - `collection.details[].paid_time` (`yyyyMMddHHmmss`, China Standard Time) decodes to a
 *   `DateTime.Utc` (`WechatPayTime`); the `time_range` values stay strings (`start_time` may be
 *   `OnAccept`, and both may be `yyyyMMdd`).
 * - fields WeChat Pay adds are ignored; every field the documentation does not mark required may be
 *   absent (published answers leave out `state_description`, `notify_url`, `openid`, and send
 *   `collection.details: [{}]`, `collection.state: ""`, `risk_fund.name: " ESTIMATE_ORDER_COST"`:
 *   they decode as sent).
 *
 * Required in every order: `appid`, `mchid`, `out_order_no`, `service_id`, `state` (every source and
 * sample has them); in a create's answer also `order_id` and `package` (what the confirmation page
 * needs).
 *
 * @since 0.2.0
 */
import type * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as SchemaGetter from "effect/SchemaGetter"
import * as SchemaIssue from "effect/SchemaIssue"
import * as CoreServiceOrder from "../../../src/core/serviceOrder.js"
import type { VariantSchema } from "./AuthorizationRecord.js"
import { WechatPayTime } from "./WechatPayTime.js"

// ---------------------------------------------------------------------------------------------
// Amounts
// ---------------------------------------------------------------------------------------------

const AmountFromDigits = Schema.String.pipe(
  Schema.decodeTo(Schema.Int, {
    decode: SchemaGetter.transformEffect((text: string) => {
      const value = CoreServiceOrder.amountFromDigits(text)
      return value === undefined
        ? Effect.fail(new SchemaIssue.InvalidValue({ message: CoreServiceOrder.AMOUNT_EXPECTED }, text))
        : Effect.succeed(value)
    }),
    encode: SchemaGetter.transform((value: number) => String(value))
  })
)

/**
 * An amount in fen (分): a whole number. Also read from the digits of a whole number in a string
 * (`"40000"`), as SKIT's published notification samples send `total_amount`. Encoded as a number.
 *
 * @since 0.2.0
 * @category amounts
 */
export const Amount: Schema.Codec<number, number | string> = Schema.Union([Schema.Int, AmountFromDigits]).annotate({
  identifier: "Amount"
})

const Text = Schema.optional(Schema.String)
const OptionalAmount = Schema.optional(Amount)
const OptionalNumber = Schema.optional(Schema.Number)

// ---------------------------------------------------------------------------------------------
// Nested objects
// ---------------------------------------------------------------------------------------------

/**
 * One `post_payments` item (后付费项目): what the user pays for.
 *
 * @since 0.2.0
 * @category objects
 */
export interface PostPayment {
  readonly name?: string | undefined
  /** In fen. */
  readonly amount?: number | undefined
  readonly description?: string | undefined
  readonly count?: number | undefined
}

/**
 * @since 0.2.0
 * @category objects
 */
export declare namespace PostPayment {
  /** As sent: `amount` a number (or its digits). @since 0.2.0 */
  export interface Encoded {
    readonly name?: string | undefined
    readonly amount?: number | string | undefined
    readonly description?: string | undefined
    readonly count?: number | undefined
  }
}

/** @since 0.2.0 @category objects */
export const PostPayment: Schema.Codec<PostPayment, PostPayment.Encoded> = Schema.Struct({
  name: Text,
  amount: OptionalAmount,
  description: Text,
  count: OptionalNumber
}).annotate({ identifier: "PostPayment" })

/**
 * One `post_discounts` item (商户优惠).
 *
 * @since 0.2.0
 * @category objects
 */
export interface PostDiscount {
  readonly name?: string | undefined
  readonly description?: string | undefined
  /** In fen. */
  readonly amount?: number | undefined
  readonly count?: number | undefined
}

/**
 * @since 0.2.0
 * @category objects
 */
export declare namespace PostDiscount {
  /** As sent. @since 0.2.0 */
  export interface Encoded {
    readonly name?: string | undefined
    readonly description?: string | undefined
    readonly amount?: number | string | undefined
    readonly count?: number | undefined
  }
}

/** @since 0.2.0 @category objects */
export const PostDiscount: Schema.Codec<PostDiscount, PostDiscount.Encoded> = Schema.Struct({
  name: Text,
  description: Text,
  amount: OptionalAmount,
  count: OptionalNumber
}).annotate({ identifier: "PostDiscount" })

/**
 * 服务风险金. `name` is kept raw: DEPOSIT, ADVANCE, CASH_DEPOSIT (先免) or ESTIMATE_ORDER_COST
 * (先享) are documented; published answers also send `" ESTIMATE_ORDER_COST"` and `"预估订单费用"`.
 *
 * @since 0.2.0
 * @category objects
 */
export interface RiskFund {
  readonly name: string
  /** In fen. */
  readonly amount: number
  readonly description?: string | undefined
}

/**
 * @since 0.2.0
 * @category objects
 */
export declare namespace RiskFund {
  /** As sent. @since 0.2.0 */
  export interface Encoded {
    readonly name: string
    readonly amount: number | string
    readonly description?: string | undefined
  }
}

/** @since 0.2.0 @category objects */
export const RiskFund: Schema.Codec<RiskFund, RiskFund.Encoded> = Schema.Struct({
  name: Schema.String,
  amount: Amount,
  description: Text
}).annotate({ identifier: "RiskFund" })

/**
 * 服务时间段, as sent: `start_time` is `yyyyMMddHHmmss`, `yyyyMMdd` or `OnAccept`, `end_time`
 * `yyyyMMddHHmmss` or `yyyyMMdd` (China Standard Time); kept as strings.
 *
 * @since 0.2.0
 * @category objects
 */
export interface TimeRange {
  readonly start_time?: string | undefined
  readonly end_time?: string | undefined
  readonly start_time_remark?: string | undefined
  readonly end_time_remark?: string | undefined
}

/** @since 0.2.0 @category objects */
export const TimeRange: Schema.Codec<TimeRange> = Schema.Struct({
  start_time: Text,
  end_time: Text,
  start_time_remark: Text,
  end_time_remark: Text
}).annotate({ identifier: "TimeRange" })

/**
 * 服务位置.
 *
 * @since 0.2.0
 * @category objects
 */
export interface Location {
  readonly start_location?: string | undefined
  readonly end_location?: string | undefined
}

/** @since 0.2.0 @category objects */
export const Location: Schema.Codec<Location> = Schema.Struct({
  start_location: Text,
  end_location: Text
}).annotate({ identifier: "Location" })

/**
 * 设备信息.
 *
 * @since 0.2.0
 * @category objects
 */
export interface Device {
  readonly start_device_id?: string | undefined
  readonly end_device_id?: string | undefined
  readonly materiel_no?: string | undefined
}

/** @since 0.2.0 @category objects */
export const Device: Schema.Codec<Device> = Schema.Struct({
  start_device_id: Text,
  end_device_id: Text,
  materiel_no: Text
}).annotate({ identifier: "Device" })

/**
 * One goods of a promotion (`goods_detail`, 单品列表).
 *
 * @since 0.2.0
 * @category objects
 */
export interface GoodsDetail {
  readonly goods_id?: string | undefined
  readonly quantity?: number | undefined
  /** In fen. */
  readonly unit_price?: number | undefined
  /** In fen. */
  readonly discount_amount?: number | undefined
  readonly goods_remark?: string | undefined
}

/**
 * @since 0.2.0
 * @category objects
 */
export declare namespace GoodsDetail {
  /** As sent. @since 0.2.0 */
  export interface Encoded {
    readonly goods_id?: string | undefined
    readonly quantity?: number | undefined
    readonly unit_price?: number | string | undefined
    readonly discount_amount?: number | string | undefined
    readonly goods_remark?: string | undefined
  }
}

/** @since 0.2.0 @category objects */
export const GoodsDetail: Schema.Codec<GoodsDetail, GoodsDetail.Encoded> = Schema.Struct({
  goods_id: Text,
  quantity: OptionalNumber,
  unit_price: OptionalAmount,
  discount_amount: OptionalAmount,
  goods_remark: Text
}).annotate({ identifier: "GoodsDetail" })

/**
 * One promotion of a payment (`promotion_detail`, 优惠功能): `scope` GLOBAL or SINGLE, `type` CASH or
 * NOCASH (kept raw).
 *
 * @since 0.2.0
 * @category objects
 */
export interface PromotionDetail {
  readonly coupon_id?: string | undefined
  readonly name?: string | undefined
  readonly scope?: string | undefined
  readonly type?: string | undefined
  /** In fen. */
  readonly amount?: number | undefined
  readonly stock_id?: string | undefined
  /** In fen. */
  readonly wechatpay_contribute?: number | undefined
  /** In fen. */
  readonly merchant_contribute?: number | undefined
  /** In fen. */
  readonly other_contribute?: number | undefined
  readonly currency?: string | undefined
  readonly goods_detail?: ReadonlyArray<GoodsDetail> | undefined
}

/**
 * @since 0.2.0
 * @category objects
 */
export declare namespace PromotionDetail {
  /** As sent. @since 0.2.0 */
  export interface Encoded {
    readonly coupon_id?: string | undefined
    readonly name?: string | undefined
    readonly scope?: string | undefined
    readonly type?: string | undefined
    readonly amount?: number | string | undefined
    readonly stock_id?: string | undefined
    readonly wechatpay_contribute?: number | string | undefined
    readonly merchant_contribute?: number | string | undefined
    readonly other_contribute?: number | string | undefined
    readonly currency?: string | undefined
    readonly goods_detail?: ReadonlyArray<GoodsDetail.Encoded> | undefined
  }
}

/** @since 0.2.0 @category objects */
export const PromotionDetail: Schema.Codec<PromotionDetail, PromotionDetail.Encoded> = Schema.Struct({
  coupon_id: Text,
  name: Text,
  scope: Text,
  type: Text,
  amount: OptionalAmount,
  stock_id: Text,
  wechatpay_contribute: OptionalAmount,
  merchant_contribute: OptionalAmount,
  other_contribute: OptionalAmount,
  currency: Text,
  goods_detail: Schema.optional(Schema.Array(GoodsDetail))
}).annotate({ identifier: "PromotionDetail" })

/**
 * One collection (`collection.details`, 收款明细): `paid_type` NEWTON (微信支付分) or MCH (the
 * merchant collected it), kept raw; `paid_time` decoded from `yyyyMMddHHmmss` (China Standard Time).
 *
 * @since 0.2.0
 * @category objects
 */
export interface CollectionDetail {
  readonly seq?: number | undefined
  /** In fen. */
  readonly amount?: number | undefined
  readonly paid_type?: string | undefined
  readonly paid_time?: DateTime.Utc | undefined
  readonly transaction_id?: string | undefined
  readonly promotion_detail?: ReadonlyArray<PromotionDetail> | undefined
}

/**
 * @since 0.2.0
 * @category objects
 */
export declare namespace CollectionDetail {
  /** As sent: `paid_time` a string. @since 0.2.0 */
  export interface Encoded {
    readonly seq?: number | undefined
    readonly amount?: number | string | undefined
    readonly paid_type?: string | undefined
    readonly paid_time?: string | undefined
    readonly transaction_id?: string | undefined
    readonly promotion_detail?: ReadonlyArray<PromotionDetail.Encoded> | undefined
  }
}

/** @since 0.2.0 @category objects */
export const CollectionDetail: Schema.Codec<CollectionDetail, CollectionDetail.Encoded> = Schema.Struct({
  seq: OptionalNumber,
  amount: OptionalAmount,
  paid_type: Text,
  paid_time: Schema.optional(WechatPayTime),
  transaction_id: Text,
  promotion_detail: Schema.optional(Schema.Array(PromotionDetail))
}).annotate({ identifier: "CollectionDetail" })

/**
 * 收款信息: `state` USER_PAYING (待支付) or USER_PAID (已支付), kept raw.
 *
 * @since 0.2.0
 * @category objects
 */
export interface Collection {
  readonly state?: string | undefined
  /** In fen. */
  readonly total_amount?: number | undefined
  /** In fen. */
  readonly paying_amount?: number | undefined
  /** In fen. */
  readonly paid_amount?: number | undefined
  readonly details?: ReadonlyArray<CollectionDetail> | undefined
  readonly bank_type?: string | undefined
}

/**
 * @since 0.2.0
 * @category objects
 */
export declare namespace Collection {
  /** As sent. @since 0.2.0 */
  export interface Encoded {
    readonly state?: string | undefined
    readonly total_amount?: number | string | undefined
    readonly paying_amount?: number | string | undefined
    readonly paid_amount?: number | string | undefined
    readonly details?: ReadonlyArray<CollectionDetail.Encoded> | undefined
    readonly bank_type?: string | undefined
  }
}

/** @since 0.2.0 @category objects */
export const Collection: Schema.Codec<Collection, Collection.Encoded> = Schema.Struct({
  state: Text,
  total_amount: OptionalAmount,
  paying_amount: OptionalAmount,
  paid_amount: OptionalAmount,
  details: Schema.optional(Schema.Array(CollectionDetail)),
  bank_type: Text
}).annotate({ identifier: "Collection" })

/**
 * Where the 先用后付 order's detail page jumps to.
 *
 * @since 0.2.0
 * @category objects
 */
export interface JumpLink {
  readonly jump_link_type?: string | undefined
  readonly appid?: string | undefined
  readonly path?: string | undefined
}

/** @since 0.2.0 @category objects */
export const JumpLink: Schema.Codec<JumpLink> = Schema.Struct({
  jump_link_type: Text,
  appid: Text,
  path: Text
}).annotate({ identifier: "JumpLink" })

/**
 * One goods of a 先用后付 order.
 *
 * @since 0.2.0
 * @category objects
 */
export interface ShoppingGoods {
  readonly name?: string | undefined
  readonly picture?: string | undefined
  /** In fen. */
  readonly amount?: number | undefined
  readonly count?: number | undefined
  readonly category_id?: ReadonlyArray<string> | undefined
}

/**
 * @since 0.2.0
 * @category objects
 */
export declare namespace ShoppingGoods {
  /** As sent. @since 0.2.0 */
  export interface Encoded {
    readonly name?: string | undefined
    readonly picture?: string | undefined
    readonly amount?: number | string | undefined
    readonly count?: number | undefined
    readonly category_id?: ReadonlyArray<string> | undefined
  }
}

/** @since 0.2.0 @category objects */
export const ShoppingGoods: Schema.Codec<ShoppingGoods, ShoppingGoods.Encoded> = Schema.Struct({
  name: Text,
  picture: Text,
  amount: OptionalAmount,
  count: OptionalNumber,
  category_id: Schema.optional(Schema.Array(Schema.String))
}).annotate({ identifier: "ShoppingGoods" })

/**
 * 先用后付购物详情 (the answer of `createServicePayOnDeliveryOrder`).
 *
 * @since 0.2.0
 * @category objects
 */
export interface ShoppingInfo {
  readonly real_merchant_appid?: string | undefined
  readonly jump_link?: JumpLink | undefined
  readonly goods?: ReadonlyArray<ShoppingGoods> | undefined
}

/**
 * @since 0.2.0
 * @category objects
 */
export declare namespace ShoppingInfo {
  /** As sent. @since 0.2.0 */
  export interface Encoded {
    readonly real_merchant_appid?: string | undefined
    readonly jump_link?: JumpLink | undefined
    readonly goods?: ReadonlyArray<ShoppingGoods.Encoded> | undefined
  }
}

/** @since 0.2.0 @category objects */
export const ShoppingInfo: Schema.Codec<ShoppingInfo, ShoppingInfo.Encoded> = Schema.Struct({
  real_merchant_appid: Text,
  jump_link: Schema.optional(JumpLink),
  goods: Schema.optional(Schema.Array(ShoppingGoods))
}).annotate({ identifier: "ShoppingInfo" })

// ---------------------------------------------------------------------------------------------
// The order
// ---------------------------------------------------------------------------------------------

/**
 * The documented `state`s: `CREATED` 商户已创建服务订单, `DOING` 服务订单进行中, `DONE` 服务订单完成,
 * `REVOKED` 商户取消服务订单, `EXPIRED` 服务订单已失效 (30 days in CREATED).
 *
 * @since 0.2.0
 * @category orders
 */
export type OrderStateTag = "Created" | "Doing" | "Done" | "Revoked" | "Expired" | "UnknownState"

/**
 * The `_tag` of a `state`; any other state is `UnknownState` (kept as data).
 *
 * @since 0.2.0
 * @category orders
 */
export const stateTag = (state: string): OrderStateTag => CoreServiceOrder.orderStateTag(state)

const orderFields = {
  appid: Schema.String,
  mchid: Schema.String,
  out_order_no: Schema.String,
  service_id: Schema.String,
  state: Schema.String,
  state_description: Text,
  service_introduction: Text,
  sub_mchid: Text,
  sub_appid: Text,
  channel_id: Text,
  openid: Text,
  sub_openid: Text,
  post_payments: Schema.optional(Schema.Array(PostPayment)),
  post_discounts: Schema.optional(Schema.Array(PostDiscount)),
  risk_fund: Schema.optional(RiskFund),
  total_amount: OptionalAmount,
  need_collection: Schema.optional(Schema.Boolean),
  collection: Schema.optional(Collection),
  time_range: Schema.optional(TimeRange),
  location: Schema.optional(Location),
  device: Schema.optional(Device),
  attach: Text,
  notify_url: Text,
  order_id: Text,
  package: Text,
  shopping_info: Schema.optional(ShoppingInfo),
  out_trade_no: Text
}

const createdFields = { ...orderFields, order_id: Schema.String, package: Schema.String }

/** The `state` of a decoded wire order, for {@link stateTag}. */
const stateOf = (wire: object): string => "state" in wire ? String(wire.state) : ""

/** A variant's wire fields: everything but its `_tag`. */
const untagged = ({ _tag: _, ...wire }: { readonly _tag?: unknown }): object => wire

/** The answer schema of an order's wire fields, decoded into the six variants, and each variant's schema. */
const makeOrder = <Fields extends Schema.Struct.Fields>(fields: Fields) => {
  const Created = Schema.TaggedStruct("Created", fields)
  const Doing = Schema.TaggedStruct("Doing", fields)
  const Done = Schema.TaggedStruct("Done", fields)
  const Revoked = Schema.TaggedStruct("Revoked", fields)
  const Expired = Schema.TaggedStruct("Expired", fields)
  const UnknownState = Schema.TaggedStruct("UnknownState", fields)
  const Variants = Schema.Union([Created, Doing, Done, Revoked, Expired, UnknownState] as const)
  // the tag is read from state; the variants' own schema checks the decoded value
  const Order = Schema.Struct(fields).pipe(Schema.decodeTo(Schema.toType(Variants), {
    decode: SchemaGetter.transform((wire) => ({ ...wire, _tag: stateTag(stateOf(wire)) }) as never),
    encode: SchemaGetter.transform((variant) => untagged(variant) as never)
  }))
  return { Order, Created, Doing, Done, Revoked, Expired, UnknownState }
}

const order = makeOrder(orderFields)
const created = makeOrder(createdFields)

/**
 * A service order, tagged on `state`: `Created` | `Doing` | `Done` | `Revoked` | `Expired` |
 * `UnknownState`. The answer of the queries, of the merchant's modify, complete, sync and
 * direct-complete, and the resource of the `PAYSCORE.USER_CONFIRM` / `PAYSCORE.USER_PAID`
 * notifications, for all three roles.
 *
 * @since 0.2.0
 * @category orders
 */
export type ServiceOrder =
  | ServiceOrder.Created
  | ServiceOrder.Doing
  | ServiceOrder.Done
  | ServiceOrder.Revoked
  | ServiceOrder.Expired
  | ServiceOrder.UnknownState

/**
 * The variants of `ServiceOrder` (`ServiceOrder.Created`, …), their fields (`ServiceOrder.Fields`)
 * and the wire form (`ServiceOrder.Encoded`).
 *
 * @since 0.2.0
 * @category orders
 */
export declare namespace ServiceOrder {
  /** The fields of every variant, decoded. @since 0.2.0 */
  export interface Fields {
    /** The appid the order was created under (the partner's / bank's `appid` in those roles). */
    readonly appid: string
    /** The merchant (or the partner, the acquiring bank) that created the order. */
    readonly mchid: string
    /** 商户服务订单号. */
    readonly out_order_no: string
    readonly service_id: string
    /** As sent (`CREATED`, `DOING`, `DONE`, `REVOKED`, `EXPIRED`, or another); the `_tag` is read from it. */
    readonly state: string
    /** As sent: `USER_CONFIRM` (用户已确认) or `MCH_COMPLETE` (商户已完结) while DOING, or another. */
    readonly state_description?: string | undefined
    readonly service_introduction?: string | undefined
    /** Partner and acquiring bank: the sub-merchant (route notifications by it). */
    readonly sub_mchid?: string | undefined
    readonly sub_appid?: string | undefined
    /** Acquiring bank: the channel (渠道商商户号). */
    readonly channel_id?: string | undefined
    readonly openid?: string | undefined
    readonly sub_openid?: string | undefined
    readonly post_payments?: ReadonlyArray<PostPayment> | undefined
    readonly post_discounts?: ReadonlyArray<PostDiscount> | undefined
    readonly risk_fund?: RiskFund | undefined
    /** 总金额, in fen (read from a number, or from its digits in a string). */
    readonly total_amount?: number | undefined
    /** Whether WeChat Pay collects the money (是否需要收款). */
    readonly need_collection?: boolean | undefined
    readonly collection?: Collection | undefined
    readonly time_range?: TimeRange | undefined
    readonly location?: Location | undefined
    readonly device?: Device | undefined
    readonly attach?: string | undefined
    readonly notify_url?: string | undefined
    /** 微信支付服务订单号. */
    readonly order_id?: string | undefined
    /** The confirmation page's parameter (creates only; valid about one hour). */
    readonly package?: string | undefined
    /** 先用后付 orders. */
    readonly shopping_info?: ShoppingInfo | undefined
    /** Acquiring bank: 商户扣款单号 (in its notifications). */
    readonly out_trade_no?: string | undefined
  }
  /** The order as sent: the wire fields, no `_tag`. @since 0.2.0 */
  export interface Encoded {
    readonly appid: string
    readonly mchid: string
    readonly out_order_no: string
    readonly service_id: string
    readonly state: string
    readonly state_description?: string | undefined
    readonly service_introduction?: string | undefined
    readonly sub_mchid?: string | undefined
    readonly sub_appid?: string | undefined
    readonly channel_id?: string | undefined
    readonly openid?: string | undefined
    readonly sub_openid?: string | undefined
    readonly post_payments?: ReadonlyArray<PostPayment.Encoded> | undefined
    readonly post_discounts?: ReadonlyArray<PostDiscount.Encoded> | undefined
    readonly risk_fund?: RiskFund.Encoded | undefined
    readonly total_amount?: number | string | undefined
    readonly need_collection?: boolean | undefined
    readonly collection?: Collection.Encoded | undefined
    readonly time_range?: TimeRange | undefined
    readonly location?: Location | undefined
    readonly device?: Device | undefined
    readonly attach?: string | undefined
    readonly notify_url?: string | undefined
    readonly order_id?: string | undefined
    readonly package?: string | undefined
    readonly shopping_info?: ShoppingInfo.Encoded | undefined
    readonly out_trade_no?: string | undefined
  }
  /** `state: "CREATED"`: waiting for the user's confirmation (expires after 30 days). @since 0.2.0 */
  export interface Created extends Fields {
    readonly _tag: "Created"
  }
  /** `state: "DOING"`: confirmed (`USER_CONFIRM`), or completed and not yet paid (`MCH_COMPLETE`). @since 0.2.0 */
  export interface Doing extends Fields {
    readonly _tag: "Doing"
  }
  /** `state: "DONE"`: paid (final). @since 0.2.0 */
  export interface Done extends Fields {
    readonly _tag: "Done"
  }
  /** `state: "REVOKED"`: cancelled by the merchant (final). @since 0.2.0 */
  export interface Revoked extends Fields {
    readonly _tag: "Revoked"
  }
  /** `state: "EXPIRED"`: 30 days in CREATED (final). @since 0.2.0 */
  export interface Expired extends Fields {
    readonly _tag: "Expired"
  }
  /** Any other `state` (e.g. `FINISHED` in a published sample): kept as data. @since 0.2.0 */
  export interface UnknownState extends Fields {
    readonly _tag: "UnknownState"
  }
  /** The schemas of the variants (`ServiceOrderVariants`), each with `make`. @since 0.2.0 */
  export interface Variants {
    readonly Created: VariantSchema<Created, Encoded>
    readonly Doing: VariantSchema<Doing, Encoded>
    readonly Done: VariantSchema<Done, Encoded>
    readonly Revoked: VariantSchema<Revoked, Encoded>
    readonly Expired: VariantSchema<Expired, Encoded>
    readonly UnknownState: VariantSchema<UnknownState, Encoded>
  }
}

/** @since 0.2.0 @category orders */
export const ServiceOrder: Schema.Codec<ServiceOrder, ServiceOrder.Encoded> = order.Order

/**
 * The variants of `ServiceOrder`, for users who construct orders (mock layers, tests):
 * `ServiceOrderVariants.Doing.make({...})`.
 *
 * @since 0.2.0
 * @category orders
 */
export const ServiceOrderVariants: ServiceOrder.Variants = {
  Created: order.Created,
  Doing: order.Doing,
  Done: order.Done,
  Revoked: order.Revoked,
  Expired: order.Expired,
  UnknownState: order.UnknownState
}

/**
 * The answer of a create (merchant, partner, acquiring bank, 先用后付): the order, with `order_id`
 * and `package` (what the confirmation page needs) required. Tagged on `state` like `ServiceOrder`:
 * `Created` (需确认) or `Doing` (免确认, and some pages' word for partner and bank creates).
 *
 * @since 0.2.0
 * @category orders
 */
export type CreatedServiceOrder =
  | CreatedServiceOrder.Created
  | CreatedServiceOrder.Doing
  | CreatedServiceOrder.Done
  | CreatedServiceOrder.Revoked
  | CreatedServiceOrder.Expired
  | CreatedServiceOrder.UnknownState

/**
 * The variants of `CreatedServiceOrder`, their fields and the wire form.
 *
 * @since 0.2.0
 * @category orders
 */
export declare namespace CreatedServiceOrder {
  /** The order's fields, `order_id` and `package` required. @since 0.2.0 */
  export interface Fields extends ServiceOrder.Fields {
    readonly order_id: string
    /** The confirmation page's parameter (valid about one hour): see `ServiceOrderConfirmation`. */
    readonly package: string
  }
  /** As sent. @since 0.2.0 */
  export interface Encoded extends ServiceOrder.Encoded {
    readonly order_id: string
    readonly package: string
  }
  /** `state: "CREATED"`. @since 0.2.0 */
  export interface Created extends Fields {
    readonly _tag: "Created"
  }
  /** `state: "DOING"`. @since 0.2.0 */
  export interface Doing extends Fields {
    readonly _tag: "Doing"
  }
  /** `state: "DONE"` (a re-sent create of an order since paid). @since 0.2.0 */
  export interface Done extends Fields {
    readonly _tag: "Done"
  }
  /** `state: "REVOKED"` (a re-sent create of an order since cancelled). @since 0.2.0 */
  export interface Revoked extends Fields {
    readonly _tag: "Revoked"
  }
  /** `state: "EXPIRED"` (a re-sent create of an order since expired). @since 0.2.0 */
  export interface Expired extends Fields {
    readonly _tag: "Expired"
  }
  /** Any other `state`: kept as data. @since 0.2.0 */
  export interface UnknownState extends Fields {
    readonly _tag: "UnknownState"
  }
  /** The schemas of the variants, each with `make`. @since 0.2.0 */
  export interface Variants {
    readonly Created: VariantSchema<Created, Encoded>
    readonly Doing: VariantSchema<Doing, Encoded>
    readonly Done: VariantSchema<Done, Encoded>
    readonly Revoked: VariantSchema<Revoked, Encoded>
    readonly Expired: VariantSchema<Expired, Encoded>
    readonly UnknownState: VariantSchema<UnknownState, Encoded>
  }
}

/** @since 0.2.0 @category orders */
export const CreatedServiceOrder: Schema.Codec<CreatedServiceOrder, CreatedServiceOrder.Encoded> = created.Order

/** @since 0.2.0 @category orders */
export const CreatedServiceOrderVariants: CreatedServiceOrder.Variants = {
  Created: created.Created,
  Doing: created.Doing,
  Done: created.Done,
  Revoked: created.Revoked,
  Expired: created.Expired,
  UnknownState: created.UnknownState
}

// ---------------------------------------------------------------------------------------------
// The other answers
// ---------------------------------------------------------------------------------------------

/**
 * The answer of the merchant's `cancelServiceOrder`: which order was cancelled.
 *
 * @since 0.2.0
 * @category answers
 */
export interface CancelServiceOrderResult {
  readonly appid: string
  /** Documented as required; optional here like every merchant id of these small answers. */
  readonly mchid?: string | undefined
  readonly out_order_no: string
  readonly service_id: string
  readonly order_id: string
}

/** @since 0.2.0 @category answers */
export const CancelServiceOrderResult: Schema.Codec<CancelServiceOrderResult> = Schema.Struct({
  appid: Schema.String,
  mchid: Text,
  out_order_no: Schema.String,
  service_id: Schema.String,
  order_id: Schema.String
}).annotate({ identifier: "CancelServiceOrderResult" })

/**
 * The answer of the merchant's `collectServiceOrder` (催收): which order WeChat Pay will collect.
 * The page lists no `mchid` (OA: optional; SKIT's sample has it).
 *
 * @since 0.2.0
 * @category answers
 */
export interface CollectServiceOrderResult {
  readonly appid: string
  readonly mchid?: string | undefined
  readonly out_order_no: string
  readonly service_id: string
  readonly order_id: string
}

/** @since 0.2.0 @category answers */
export const CollectServiceOrderResult: Schema.Codec<CollectServiceOrderResult> = Schema.Struct({
  appid: Schema.String,
  mchid: Text,
  out_order_no: Schema.String,
  service_id: Schema.String,
  order_id: Schema.String
}).annotate({ identifier: "CollectServiceOrderResult" })

/**
 * The answer of the acquiring bank's `registerAcquiringBankServiceOrderDeduction` (登记扣款信息).
 *
 * @since 0.2.0
 * @category answers
 */
export interface DeductionRegistration {
  /** 服务信息 (e.g. `QQ充电宝服务`). */
  readonly description: string
}

/** @since 0.2.0 @category answers */
export const DeductionRegistration: Schema.Codec<DeductionRegistration> = Schema.Struct({
  description: Schema.String
}).annotate({ identifier: "DeductionRegistration" })

/**
 * The answer of `queryAcquiringBankServiceOrderDeduction` (查询扣款信息): the registered deduction.
 *
 * @since 0.2.0
 * @category answers
 */
export interface AcquiringBankDeduction {
  readonly description: string
  /** 商户扣款单号: what the deduction carries to UnionPay / NetsUnion. */
  readonly out_trade_no: string
}

/** @since 0.2.0 @category answers */
export const AcquiringBankDeduction: Schema.Codec<AcquiringBankDeduction> = Schema.Struct({
  description: Schema.String,
  out_trade_no: Schema.String
}).annotate({ identifier: "AcquiringBankDeduction" })
