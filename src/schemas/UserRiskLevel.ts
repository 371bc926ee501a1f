/**
 * Schemas of 评估用户分层 (assess a user's risk level), merchant mode:
 * `POST /v3/payscore/permissions/assess-user-risk-level`. The parameters (the documented lengths,
 * the `authorization_code` / `openid` rule, the goods of a use-first-pay-later purchase) and the
 * answer: the user's authorization record with `user_risk_level` (用户分层), `risk_level_version`,
 * `user_label` and `channel_id`, decoded like every record into a tagged union on
 * `authorization_state`: `Available` | `Unavailable` | `UnbindUser` | `UnknownState`.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import {
  Appid,
  AuthorizationCode,
  CommonFields,
  type CommonRecordFields,
  type EncodedFields,
  makeRecord,
  Parameter,
  ServiceId,
  type VariantSchema
} from "./AuthorizationRecord.js"
import { OpenidValue } from "./PermissionRequests.js"

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/**
 * A goods name: any script (`森海塞尔 MOMENTUM 4 …`), non-empty, well-formed Unicode, no control
 * characters. The page prints no maximum length, so none is imposed here.
 *
 * @since 0.1.0
 * @category parameters
 */
export const GoodsName = Schema.String.pipe(
  Schema.filter((s) => s.length > 0 || "must not be empty"),
  Schema.filter((s) => !LONE_SURROGATE.test(s) || "is not well-formed Unicode (a lone surrogate)"),
  Schema.filter((s) => !CONTROL.test(s) || "must not contain control characters (line breaks, tabs, …)")
)

/**
 * A goods picture: an absolute `http(s)://` URL in printable ASCII (percent-encode anything else).
 *
 * @since 0.1.0
 * @category parameters
 */
export const GoodsPicture = Schema.String.pipe(
  Schema.filter((s) => s.length > 0 || "must not be empty"),
  Schema.filter((s) => /^[\x21-\x7e]*$/.test(s) || "must be printable ASCII without spaces (percent-encode the rest)"),
  Schema.filter((s) => {
    let url: URL
    try {
      url = new URL(s)
    } catch {
      return "must be an absolute URL, e.g. https://example.com/goods.png"
    }
    return url.protocol === "https:" || url.protocol === "http:" || "must be an https:// (or http://) URL"
  })
)

const nonNegativeInteger = Schema.Number.pipe(
  Schema.filter((n) => Number.isSafeInteger(n) || "must be a whole number"),
  Schema.filter((n) => n >= 0 || "must not be negative")
)

/**
 * One of the goods: `name`, `picture`, `amount` (the unit price, in fen: 分), `count` (at least 1)
 * and the optional `category_id` list, in the documented order.
 *
 * @since 0.1.0
 * @category parameters
 */
export interface Goods {
  readonly name: string
  /** An absolute `http(s)://` URL. */
  readonly picture: string
  /** The unit price, in fen (分). */
  readonly amount: number
  /** At least 1. */
  readonly count: number
  readonly category_id?: ReadonlyArray<string> | undefined
}
/** @since 0.1.0 @category parameters */
export const Goods: Schema.Schema<Goods> = Schema.Struct({
  name: GoodsName,
  picture: GoodsPicture,
  amount: nonNegativeInteger,
  count: nonNegativeInteger.pipe(Schema.filter((n) => n >= 1 || "must be at least 1")),
  category_id: Schema.optional(
    Schema.Array(Parameter(32)).pipe(Schema.filter((a) => a.length > 0 || "must not be empty (leave it out instead)"))
  )
})

/**
 * `shopping_info` (先用后付商品信息): the goods, at least one.
 *
 * @since 0.1.0
 * @category parameters
 */
export interface ShoppingInfo {
  readonly goods: ReadonlyArray<Goods>
}
/** @since 0.1.0 @category parameters */
export const ShoppingInfo: Schema.Schema<ShoppingInfo> = Schema.Struct({
  goods: Schema.Array(Goods).pipe(Schema.filter((a) => a.length > 0 || "must list at least one goods"))
})

/**
 * The page says "authorization_code、openid二选一" (choose one of the two), and its own request
 * example sends both: at least one is required, both are accepted.
 */
const codeOrOpenid = (p: {
  readonly authorization_code?: string | undefined
  readonly openid?: string | undefined
}): true | { readonly path: ReadonlyArray<PropertyKey>; readonly message: string } =>
  p.authorization_code === undefined && p.openid === undefined
    ? { path: ["authorization_code"], message: "or openid is required (at least one of them)" }
    : true

/**
 * Merchant: `POST /v3/payscore/permissions/assess-user-risk-level`.
 *
 * @since 0.1.0
 * @category parameters
 */
export interface AssessUserRiskLevelParams {
  readonly service_id: string
  readonly appid: string
  readonly authorization_code?: string | undefined
  readonly openid?: string | undefined
  readonly shopping_info?: ShoppingInfo | undefined
}
/** @since 0.1.0 @category parameters */
export const AssessUserRiskLevelParams: Schema.Schema<AssessUserRiskLevelParams> = Schema.Struct({
  service_id: ServiceId,
  appid: Appid,
  authorization_code: Schema.optional(AuthorizationCode),
  openid: Schema.optional(OpenidValue),
  shopping_info: Schema.optional(ShoppingInfo)
}).pipe(Schema.filter(codeOrOpenid))

// ---------------------------------------------------------------------------------------------
// Answer
// ---------------------------------------------------------------------------------------------

const Text = Schema.optional(Schema.String)
const Num = Schema.optional(Schema.Number)

const riskLevel = makeRecord({
  ...CommonFields,
  authorization_code: Text,
  notify_url: Text,
  sub_mchid: Text,
  sub_appid: Text,
  sub_openid: Text,
  /** 用户标签, e.g. `A`. */
  user_label: Text,
  /** 渠道商商户号 */
  channel_id: Text,
  /** 用户分层: a number whose meaning depends on `risk_level_version` (no fixed list is published). */
  user_risk_level: Num,
  /** 分层版本 */
  risk_level_version: Num
})

/**
 * The answer of `assessUserRiskLevel`: the record, tagged on `authorization_state`, with the
 * user's level: `Available` | `Unavailable` | `UnbindUser` | `UnknownState`.
 *
 * @since 0.1.0
 * @category answers
 */
export type UserRiskLevelRecord =
  | UserRiskLevelRecord.Available
  | UserRiskLevelRecord.Unavailable
  | UserRiskLevelRecord.UnbindUser
  | UserRiskLevelRecord.UnknownState

/**
 * The variants of `UserRiskLevelRecord` (`UserRiskLevelRecord.Available`, …), their fields
 * (`UserRiskLevelRecord.Fields`) and the wire form (`UserRiskLevelRecord.Encoded`).
 *
 * @since 0.1.0
 * @category answers
 */
export declare namespace UserRiskLevelRecord {
  /** The fields of every variant, decoded (times are `DateTime.Utc`). @since 0.1.0 */
  export interface Fields extends CommonRecordFields {
    readonly authorization_code?: string | undefined
    readonly notify_url?: string | undefined
    readonly sub_mchid?: string | undefined
    readonly sub_appid?: string | undefined
    readonly sub_openid?: string | undefined
    /** 用户标签, e.g. `A`. */
    readonly user_label?: string | undefined
    /** 渠道商商户号 */
    readonly channel_id?: string | undefined
    /** 用户分层: a number whose meaning depends on `risk_level_version` (no fixed list is published). */
    readonly user_risk_level?: number | undefined
    /** 分层版本 */
    readonly risk_level_version?: number | undefined
  }
  /** The answer as sent: the wire fields, times as strings, no `_tag`. @since 0.1.0 */
  export interface Encoded extends EncodedFields<Fields> {}
  /** `authorization_state: "AVAILABLE"`: the user has authorized the service. @since 0.1.0 */
  export interface Available extends Fields {
    readonly _tag: "Available"
  }
  /** `authorization_state: "UNAVAILABLE"`: authorized once, since revoked (or terminated). @since 0.1.0 */
  export interface Unavailable extends Fields {
    readonly _tag: "Unavailable"
  }
  /** `authorization_state: "UNBINDUSER"`: pre-authorized, no user bound yet. @since 0.1.0 */
  export interface UnbindUser extends Fields {
    readonly _tag: "UnbindUser"
  }
  /** Any other `authorization_state` (WeChat Pay adds states over time): kept as data. @since 0.1.0 */
  export interface UnknownState extends Fields {
    readonly _tag: "UnknownState"
  }
  /** The schemas of the variants (`UserRiskLevelRecordVariants`), each with `make`. @since 0.1.0 */
  export interface Variants {
    readonly Available: VariantSchema<Available, Encoded>
    readonly Unavailable: VariantSchema<Unavailable, Encoded>
    readonly UnbindUser: VariantSchema<UnbindUser, Encoded>
    readonly UnknownState: VariantSchema<UnknownState, Encoded>
  }
}

/** @since 0.1.0 @category answers */
export const UserRiskLevelRecord: Schema.Schema<UserRiskLevelRecord, UserRiskLevelRecord.Encoded> = riskLevel.Record

/**
 * The variants, for users who construct answers (mock layers, tests).
 *
 * @since 0.1.0
 * @category answers
 */
export const UserRiskLevelRecordVariants: UserRiskLevelRecord.Variants = {
  Available: riskLevel.Available,
  Unavailable: riskLevel.Unavailable,
  UnbindUser: riskLevel.UnbindUser,
  UnknownState: riskLevel.UnknownState
}
