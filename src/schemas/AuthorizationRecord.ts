/**
 * Schemas of the Pay Score permission queries: the parameters of each endpoint (with the documented
 * lengths and the path-segment rules) and each endpoint's answer, decoded into a tagged union on
 * `authorization_state`: `Available` | `Unavailable` | `UnbindUser` | `UnknownState`.
 *
 * Every variant keeps the wire field names and every documented field; times are `DateTime.Utc`
 * (decoded by `WechatPayTime`: RFC 3339 with an offset, or `yyyyMMddHHmmss` in China Standard Time),
 * numbers numbers, ids strings (a 19-digit `authorization_code` never passes through a JS number).
 * Fields WeChat Pay adds later are ignored.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as Common from "../core/endpoints/common.js"
import * as Endpoints from "../core/endpoints/permissions.js"
import * as Fields from "../core/fields.js"
import * as ParamsSchema from "../internal/paramsSchema.js"
import { WechatPayTime } from "./WechatPayTime.js"

// ---------------------------------------------------------------------------------------------
// Parameters: the rules are the core's (`core/endpoints`), which the client checks before sending
// ---------------------------------------------------------------------------------------------

/**
 * A parameter sent in the query string or a JSON body: non-empty, at most `maxLength` characters,
 * visible ASCII (no spaces or control characters).
 *
 * @since 0.1.0
 * @category parameters
 */
export const Parameter = (maxLength: number): Schema.Schema<string> => ParamsSchema.fromStringRule(Fields.id(maxLength))

/**
 * A parameter that becomes one segment of the URL path: the rules of {@link Parameter}, and none of
 * `/ \ ? # %`, and not `.` or `..`, so that no value can change which endpoint is called.
 *
 * @since 0.1.0
 * @category parameters
 */
export const PathParameter = (maxLength: number): Schema.Schema<string> =>
  ParamsSchema.fromStringRule(Fields.segment(maxLength))

/**
 * `authorization_code`: at most 32 characters, and only digits, letters and `_ - | *` (the
 * documented rule of the apply endpoints: 只能由数字、大小写字母、_-|* 组成).
 *
 * @since 0.1.0
 * @category parameters
 */
export const AuthorizationCode: Schema.Schema<string> = ParamsSchema.fromStringRule(Common.authorizationCode)
/** @since 0.1.0 @category parameters */
export const Openid: Schema.Schema<string> = ParamsSchema.fromStringRule(Common.openidSegment)
/** @since 0.1.0 @category parameters */
export const ServiceId: Schema.Schema<string> = ParamsSchema.fromStringRule(Common.serviceId)
/** @since 0.1.0 @category parameters */
export const Appid: Schema.Schema<string> = ParamsSchema.fromStringRule(Common.appid)
/** @since 0.1.0 @category parameters */
export const SubMchid: Schema.Schema<string> = ParamsSchema.fromStringRule(Common.subMchid)
/** @since 0.1.0 @category parameters */
export const ChannelId: Schema.Schema<string> = ParamsSchema.fromStringRule(Common.channelId)

/**
 * Merchant query by `authorization_code`.
 *
 * @since 0.1.0
 * @category parameters
 */
export interface QueryByAuthorizationCodeParams extends Endpoints.QueryByAuthorizationCodeParams {}
/** @since 0.1.0 @category parameters */
export const QueryByAuthorizationCodeParams: Schema.Schema<QueryByAuthorizationCodeParams> = ParamsSchema
  .fromObjectRule(Endpoints.queryByAuthorizationCode.params, "QueryByAuthorizationCodeParams")

/**
 * Partner (服务商) query by `authorization_code`, for a sub-merchant.
 *
 * @since 0.1.0
 * @category parameters
 */
export interface QueryPartnerByAuthorizationCodeParams extends Endpoints.QueryPartnerByAuthorizationCodeParams {}
/** @since 0.1.0 @category parameters */
export const QueryPartnerByAuthorizationCodeParams: Schema.Schema<QueryPartnerByAuthorizationCodeParams> = ParamsSchema
  .fromObjectRule(Endpoints.queryPartnerByAuthorizationCode.params, "QueryPartnerByAuthorizationCodeParams")

/**
 * Acquiring bank (从业机构) query by `authorization_code`, for a channel and sub-merchant.
 *
 * @since 0.1.0
 * @category parameters
 */
export interface QueryAcquiringBankByAuthorizationCodeParams
  extends Endpoints.QueryAcquiringBankByAuthorizationCodeParams
{}
/** @since 0.1.0 @category parameters */
export const QueryAcquiringBankByAuthorizationCodeParams: Schema.Schema<QueryAcquiringBankByAuthorizationCodeParams> =
  ParamsSchema.fromObjectRule(
    Endpoints.queryAcquiringBankByAuthorizationCode.params,
    "QueryAcquiringBankByAuthorizationCodeParams"
  )

/**
 * Merchant query by `openid`.
 *
 * @since 0.1.0
 * @category parameters
 */
export interface QueryByOpenidParams extends Endpoints.QueryByOpenidParams {}
/** @since 0.1.0 @category parameters */
export const QueryByOpenidParams: Schema.Schema<QueryByOpenidParams> = ParamsSchema.fromObjectRule(
  Endpoints.queryByOpenid.params,
  "QueryByOpenidParams"
)

// ---------------------------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------------------------

/**
 * The `_tag` of each `authorization_state`; any other state is `UnknownState` (WeChat Pay adds
 * values over time: an unknown one is data, never a decode failure).
 *
 * @since 0.1.0
 * @category records
 */
export const stateTag = (state: string): "Available" | "Unavailable" | "UnbindUser" | "UnknownState" => {
  switch (state) {
    case "AVAILABLE":
      return "Available"
    case "UNAVAILABLE":
      return "Unavailable"
    case "UNBINDUSER":
      return "UnbindUser"
    default:
      return "UnknownState"
  }
}

const Time = Schema.optional(WechatPayTime)
const Text = Schema.optional(Schema.String)
const Num = Schema.optional(Schema.Number)

/**
 * Fields common to the four answers.
 *
 * @since 0.1.0
 * @category records
 */
export const CommonFields = {
  service_id: Schema.String,
  appid: Schema.String,
  mchid: Schema.String,
  authorization_state: Schema.String,
  openid: Text,
  cancel_authorization_time: Time,
  authorization_success_time: Time
}

/**
 * Builds an endpoint's answer schema: the wire struct decoded into the four tagged variants.
 *
 * @since 0.1.0
 * @category records
 */
export const makeRecord = <Fields extends Schema.Struct.Fields>(fields: Fields) => {
  const Available = Schema.TaggedStruct("Available", fields)
  const Unavailable = Schema.TaggedStruct("Unavailable", fields)
  const UnbindUser = Schema.TaggedStruct("UnbindUser", fields)
  const UnknownState = Schema.TaggedStruct("UnknownState", fields)
  const Variants = Schema.Union(Available, Unavailable, UnbindUser, UnknownState)
  const Wire = Schema.Struct(fields)
  const Record = Schema.transform(Wire, Schema.typeSchema(Variants), {
    strict: false,
    decode: (wire) => {
      const fields = wire as unknown as Readonly<Record<string, unknown>>
      return { ...fields, _tag: stateTag(String(fields.authorization_state)) }
    },
    encode: (variant) => {
      const { _tag: _, ...wire } = variant as unknown as Readonly<Record<string, unknown>>
      return wire
    }
  }) as unknown as Schema.Schema<typeof Variants.Type, typeof Wire.Encoded>
  return { Record, Available, Unavailable, UnbindUser, UnknownState, Variants, Wire } as const
}

const merchantByCode = makeRecord({
  ...CommonFields,
  authorization_code: Schema.String,
  notify_url: Text,
  user_risk_level: Num,
  risk_level_version: Num
})

const merchantByOpenid = makeRecord({
  ...CommonFields,
  authorization_code: Text,
  // not in the official field table; in the sample of fudiwei/DotNetCore.SKIT.FlurlHttpClient.Wechat
  notify_url: Text,
  user_risk_level: Num,
  risk_level_version: Num
})

const partnerByCode = makeRecord({
  ...CommonFields,
  sub_mchid: Schema.String,
  authorization_code: Text,
  sub_appid: Text,
  sub_openid: Text,
  notify_url: Text,
  user_risk_level: Num,
  risk_level_version: Num
})

const partnerSearch = makeRecord({
  ...CommonFields,
  sub_mchid: Schema.String,
  authorization_success_time: WechatPayTime,
  authorization_code: Text,
  sub_appid: Text,
  sub_openid: Text,
  notify_url: Text,
  user_risk_level: Num,
  risk_level_version: Num
})

const acquiringBankByCode = makeRecord({
  ...CommonFields,
  sub_mchid: Schema.String,
  authorization_code: Text,
  sub_appid: Text,
  sub_openid: Text,
  channel_id: Text,
  notify_url: Text,
  // not in the official field table; in the sample of fudiwei/DotNetCore.SKIT.FlurlHttpClient.Wechat
  user_label: Text
})

/**
 * Merchant query by `authorization_code` (endpoint 1).
 *
 * @since 0.1.0
 * @category records
 */
export const AuthorizationRecord = merchantByCode.Record
/** @since 0.1.0 @category records */
export type AuthorizationRecord = typeof AuthorizationRecord.Type

/**
 * Partner query by `authorization_code` (endpoint 2).
 *
 * @since 0.1.0
 * @category records
 */
export const PartnerAuthorizationRecord = partnerByCode.Record
/** @since 0.1.0 @category records */
export type PartnerAuthorizationRecord = typeof PartnerAuthorizationRecord.Type

/**
 * Acquiring bank query by `authorization_code` (endpoint 3).
 *
 * @since 0.1.0
 * @category records
 */
export const AcquiringBankAuthorizationRecord = acquiringBankByCode.Record
/** @since 0.1.0 @category records */
export type AcquiringBankAuthorizationRecord = typeof AcquiringBankAuthorizationRecord.Type

/**
 * Partner query by `openid` or `sub_openid` (`GET /v3/payscore/partner/permissions/search`): the
 * fields of the partner record, with `sub_mchid` and `authorization_success_time` required.
 *
 * @since 0.1.0
 * @category records
 */
export const PartnerSearchAuthorizationRecord = partnerSearch.Record
/** @since 0.1.0 @category records */
export type PartnerSearchAuthorizationRecord = typeof PartnerSearchAuthorizationRecord.Type

/**
 * Merchant query by `openid` (endpoint 4).
 *
 * @since 0.1.0
 * @category records
 */
export const OpenidAuthorizationRecord = merchantByOpenid.Record
/** @since 0.1.0 @category records */
export type OpenidAuthorizationRecord = typeof OpenidAuthorizationRecord.Type

/**
 * The variants of each record, for users who construct records (mock layers, tests):
 * `AuthorizationRecordVariants.Available.make({...})`.
 *
 * @since 0.1.0
 * @category records
 */
export const AuthorizationRecordVariants = {
  Available: merchantByCode.Available,
  Unavailable: merchantByCode.Unavailable,
  UnbindUser: merchantByCode.UnbindUser,
  UnknownState: merchantByCode.UnknownState
}
/** @since 0.1.0 @category records */
export const PartnerAuthorizationRecordVariants = {
  Available: partnerByCode.Available,
  Unavailable: partnerByCode.Unavailable,
  UnbindUser: partnerByCode.UnbindUser,
  UnknownState: partnerByCode.UnknownState
}
/** @since 0.1.0 @category records */
export const AcquiringBankAuthorizationRecordVariants = {
  Available: acquiringBankByCode.Available,
  Unavailable: acquiringBankByCode.Unavailable,
  UnbindUser: acquiringBankByCode.UnbindUser,
  UnknownState: acquiringBankByCode.UnknownState
}
/** @since 0.1.0 @category records */
export const OpenidAuthorizationRecordVariants = {
  Available: merchantByOpenid.Available,
  Unavailable: merchantByOpenid.Unavailable,
  UnbindUser: merchantByOpenid.UnbindUser,
  UnknownState: merchantByOpenid.UnknownState
}
/** @since 0.1.0 @category records */
export const PartnerSearchAuthorizationRecordVariants = {
  Available: partnerSearch.Available,
  Unavailable: partnerSearch.Unavailable,
  UnbindUser: partnerSearch.UnbindUser,
  UnknownState: partnerSearch.UnknownState
}
