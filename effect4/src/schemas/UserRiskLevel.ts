/**
 * Schemas of 评估用户分层 (assess a user's risk level), merchant mode
 * (`POST /v3/payscore/permissions/assess-user-risk-level`) and partner mode
 * (`POST /v3/payscore/partner/permissions/assess-user-risk-level?sub_mchid=…`, the same answer). The parameters (the documented lengths,
 * the `authorization_code` / `openid` rule, the goods of a use-first-pay-later purchase) and the
 * answer: the user's authorization record with `user_risk_level` (用户分层), `risk_level_version`,
 * `user_label` and `channel_id`, decoded like every record into a tagged union on
 * `authorization_state`: `Available` | `Unavailable` | `UnbindUser` | `UnknownState`.
 *
 * @since 0.2.0
 */
import * as Schema from "effect/Schema"
import * as Endpoints from "../../../src/core/endpoints/permissions.js"
import * as ParamsSchema from "../internal/paramsSchema.js"
import {
  CommonFields,
  type CommonRecordFields,
  type EncodedFields,
  makeRecord,
  type VariantSchema
} from "./AuthorizationRecord.js"

// ---------------------------------------------------------------------------------------------
// Parameters: the rules are the core's (`core/endpoints`), which the client checks before sending
// ---------------------------------------------------------------------------------------------

/**
 * One goods of `shopping_info`: name, picture URL, amount in fen (a whole number, 0 or more), count
 * (1 or more), and optional category ids.
 *
 * @since 0.2.0
 * @category parameters
 */
export interface Goods extends Endpoints.Goods {}

/**
 * The goods of the order being assessed (at least one).
 *
 * @since 0.2.0
 * @category parameters
 */
export interface ShoppingInfo extends Endpoints.ShoppingInfo {}
/** @since 0.2.0 @category parameters */
export const ShoppingInfo: Schema.Codec<ShoppingInfo> = ParamsSchema.fromObjectRule(
  Endpoints.shoppingInfo,
  "ShoppingInfo"
)

/**
 * Merchant: `POST /v3/payscore/permissions/assess-user-risk-level` (at least one of
 * `authorization_code` / `openid`).
 *
 * @since 0.2.0
 * @category parameters
 */
export interface AssessUserRiskLevelParams extends Endpoints.AssessUserRiskLevelParams {}
/** @since 0.2.0 @category parameters */
export const AssessUserRiskLevelParams: Schema.Codec<AssessUserRiskLevelParams> = ParamsSchema.fromObjectRule(
  Endpoints.assessUserRiskLevel.params,
  "AssessUserRiskLevelParams"
)

/**
 * Partner (服务商): `POST /v3/payscore/partner/permissions/assess-user-risk-level?sub_mchid=…`
 * (`sub_mchid` in the query string, the rest in the body).
 *
 * @since 0.2.0
 * @category parameters
 */
export interface AssessPartnerUserRiskLevelParams extends Endpoints.AssessPartnerUserRiskLevelParams {}
/** @since 0.2.0 @category parameters */
export const AssessPartnerUserRiskLevelParams: Schema.Codec<AssessPartnerUserRiskLevelParams> = ParamsSchema
  .fromObjectRule(Endpoints.assessPartnerUserRiskLevel.params, "AssessPartnerUserRiskLevelParams")

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
 * The answer of `assessUserRiskLevel` and `assessPartnerUserRiskLevel` (whose answers add
 * `sub_mchid`, `sub_appid`, `sub_openid`): the record, tagged on `authorization_state`, with the
 * user's level: `Available` | `Unavailable` | `UnbindUser` | `UnknownState`.
 *
 * @since 0.2.0
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
 * @since 0.2.0
 * @category answers
 */
export declare namespace UserRiskLevelRecord {
  /** The fields of every variant, decoded (times are `DateTime.Utc`). @since 0.2.0 */
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
  /** The answer as sent: the wire fields, times as strings, no `_tag`. @since 0.2.0 */
  export interface Encoded extends EncodedFields<Fields> {}
  /** `authorization_state: "AVAILABLE"`: the user has authorized the service. @since 0.2.0 */
  export interface Available extends Fields {
    readonly _tag: "Available"
  }
  /** `authorization_state: "UNAVAILABLE"`: authorized once, since revoked (or terminated). @since 0.2.0 */
  export interface Unavailable extends Fields {
    readonly _tag: "Unavailable"
  }
  /** `authorization_state: "UNBINDUSER"`: pre-authorized, no user bound yet. @since 0.2.0 */
  export interface UnbindUser extends Fields {
    readonly _tag: "UnbindUser"
  }
  /** Any other `authorization_state` (WeChat Pay adds states over time): kept as data. @since 0.2.0 */
  export interface UnknownState extends Fields {
    readonly _tag: "UnknownState"
  }
  /** The schemas of the variants (`UserRiskLevelRecordVariants`), each with `make`. @since 0.2.0 */
  export interface Variants {
    readonly Available: VariantSchema<Available, Encoded>
    readonly Unavailable: VariantSchema<Unavailable, Encoded>
    readonly UnbindUser: VariantSchema<UnbindUser, Encoded>
    readonly UnknownState: VariantSchema<UnknownState, Encoded>
  }
}

/** @since 0.2.0 @category answers */
export const UserRiskLevelRecord: Schema.Codec<UserRiskLevelRecord, UserRiskLevelRecord.Encoded> = riskLevel.Record

/**
 * The variants, for users who construct answers (mock layers, tests).
 *
 * @since 0.2.0
 * @category answers
 */
export const UserRiskLevelRecordVariants: UserRiskLevelRecord.Variants = {
  Available: riskLevel.Available,
  Unavailable: riskLevel.Unavailable,
  UnbindUser: riskLevel.UnbindUser,
  UnknownState: riskLevel.UnknownState
}
