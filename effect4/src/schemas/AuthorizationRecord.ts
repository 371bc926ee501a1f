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
 * @since 0.2.0
 */
import type * as DateTime from "effect/DateTime"
import * as Schema from "effect/Schema"
import * as SchemaGetter from "effect/SchemaGetter"
import * as Common from "../../../src/core/endpoints/common.js"
import * as Endpoints from "../../../src/core/endpoints/permissions.js"
import * as Fields from "../../../src/core/fields.js"
import * as ParamsSchema from "../internal/paramsSchema.js"
import { WechatPayTime } from "./WechatPayTime.js"

// ---------------------------------------------------------------------------------------------
// Parameters: the rules are the core's (`core/endpoints`), which the client checks before sending
// ---------------------------------------------------------------------------------------------

/**
 * A parameter sent in the query string or a JSON body: non-empty, at most `maxLength` characters,
 * visible ASCII (no spaces or control characters).
 *
 * @since 0.2.0
 * @category parameters
 */
export const Parameter = (maxLength: number): Schema.Codec<string> => ParamsSchema.fromStringRule(Fields.id(maxLength))

/**
 * A parameter that becomes one segment of the URL path: the rules of {@link Parameter}, and none of
 * `/ \ ? # %`, and not `.` or `..`, so that no value can change which endpoint is called.
 *
 * @since 0.2.0
 * @category parameters
 */
export const PathParameter = (maxLength: number): Schema.Codec<string> =>
  ParamsSchema.fromStringRule(Fields.segment(maxLength))

/**
 * `authorization_code`: at most 32 characters, and only digits, letters and `_ - | *` (the
 * documented rule of the apply endpoints: 只能由数字、大小写字母、_-|* 组成).
 *
 * @since 0.2.0
 * @category parameters
 */
export const AuthorizationCode: Schema.Codec<string> = ParamsSchema.fromStringRule(Common.authorizationCode)
/** @since 0.2.0 @category parameters */
export const Openid: Schema.Codec<string> = ParamsSchema.fromStringRule(Common.openidSegment)
/** @since 0.2.0 @category parameters */
export const ServiceId: Schema.Codec<string> = ParamsSchema.fromStringRule(Common.serviceId)
/** @since 0.2.0 @category parameters */
export const Appid: Schema.Codec<string> = ParamsSchema.fromStringRule(Common.appid)
/** @since 0.2.0 @category parameters */
export const SubMchid: Schema.Codec<string> = ParamsSchema.fromStringRule(Common.subMchid)
/** @since 0.2.0 @category parameters */
export const ChannelId: Schema.Codec<string> = ParamsSchema.fromStringRule(Common.channelId)

/**
 * Merchant query by `authorization_code`.
 *
 * @since 0.2.0
 * @category parameters
 */
export interface QueryByAuthorizationCodeParams extends Endpoints.QueryByAuthorizationCodeParams {}
/** @since 0.2.0 @category parameters */
export const QueryByAuthorizationCodeParams: Schema.Codec<QueryByAuthorizationCodeParams> = ParamsSchema
  .fromObjectRule(Endpoints.queryByAuthorizationCode.params, "QueryByAuthorizationCodeParams")

/**
 * Partner (服务商) query by `authorization_code`, for a sub-merchant.
 *
 * @since 0.2.0
 * @category parameters
 */
export interface QueryPartnerByAuthorizationCodeParams extends Endpoints.QueryPartnerByAuthorizationCodeParams {}
/** @since 0.2.0 @category parameters */
export const QueryPartnerByAuthorizationCodeParams: Schema.Codec<QueryPartnerByAuthorizationCodeParams> = ParamsSchema
  .fromObjectRule(Endpoints.queryPartnerByAuthorizationCode.params, "QueryPartnerByAuthorizationCodeParams")

/**
 * Acquiring bank (从业机构) query by `authorization_code`, for a channel and sub-merchant.
 *
 * @since 0.2.0
 * @category parameters
 */
export interface QueryAcquiringBankByAuthorizationCodeParams
  extends Endpoints.QueryAcquiringBankByAuthorizationCodeParams
{}
/** @since 0.2.0 @category parameters */
export const QueryAcquiringBankByAuthorizationCodeParams: Schema.Codec<QueryAcquiringBankByAuthorizationCodeParams> =
  ParamsSchema.fromObjectRule(
    Endpoints.queryAcquiringBankByAuthorizationCode.params,
    "QueryAcquiringBankByAuthorizationCodeParams"
  )

/**
 * Merchant query by `openid`.
 *
 * @since 0.2.0
 * @category parameters
 */
export interface QueryByOpenidParams extends Endpoints.QueryByOpenidParams {}
/** @since 0.2.0 @category parameters */
export const QueryByOpenidParams: Schema.Codec<QueryByOpenidParams> = ParamsSchema.fromObjectRule(
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
 * @since 0.2.0
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
 * @since 0.2.0
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
 * The fields every record has ({@link CommonFields}), decoded.
 *
 * @since 0.2.0
 * @category records
 */
export interface CommonRecordFields {
  readonly service_id: string
  readonly appid: string
  readonly mchid: string
  /** As sent (`AVAILABLE`, `UNAVAILABLE`, `UNBINDUSER`, or a state added later); the `_tag` is read from it. */
  readonly authorization_state: string
  readonly openid?: string | undefined
  readonly cancel_authorization_time?: DateTime.Utc | undefined
  readonly authorization_success_time?: DateTime.Utc | undefined
}

/**
 * Decoded fields as sent: each `DateTime.Utc` is the string WeChat Pay wrote, every other field
 * as it is.
 *
 * @since 0.2.0
 * @category records
 */
export type EncodedFields<Fields> = { readonly [K in keyof Fields]: EncodedValue<Fields[K]> }

/**
 * A decoded value as sent: a `DateTime.Utc` is a string.
 *
 * @since 0.2.0
 * @category records
 */
export type EncodedValue<A> = A extends DateTime.Utc ? string : A

/**
 * The fields every record has ({@link CommonFields}), as sent: times are strings.
 *
 * @since 0.2.0
 * @category records
 */
export interface CommonRecordFieldsEncoded extends EncodedFields<CommonRecordFields> {}

/**
 * The schema of one variant of a tagged union (`A`, encoded as `I` with the same `_tag`): it
 * decodes that variant, and `make` builds one, `_tag` filled in (mock layers, tests).
 *
 * @since 0.2.0
 * @category records
 */
export interface VariantSchema<A extends { readonly _tag: string }, I> extends Schema.Codec<A, I & Pick<A, "_tag">> {
  make(props: Omit<A, "_tag"> & { readonly _tag?: A["_tag"] }, options?: Schema.MakeOptions): A
}

/** The `authorization_state` of a decoded wire record, for {@link stateTag}. */
const stateOf = (wire: object): string => "authorization_state" in wire ? String(wire.authorization_state) : ""

/** A variant's wire fields: everything but its `_tag`. */
const untagged = ({ _tag: _, ...wire }: { readonly _tag?: unknown }): object => wire

/**
 * What {@link makeRecord} builds from an endpoint's wire fields: the answer schema (`Record`), each
 * variant's schema, their union, and the wire struct.
 *
 * @since 0.2.0
 * @category records
 */
export interface RecordSchemas<Fields extends Schema.Struct.Fields> {
  readonly Record: Schema.Codec<
    Schema.Struct<Fields>["Type"] & { readonly _tag: ReturnType<typeof stateTag> },
    Schema.Struct<Fields>["Encoded"]
  >
  readonly Available: Schema.TaggedStruct<"Available", Fields>
  readonly Unavailable: Schema.TaggedStruct<"Unavailable", Fields>
  readonly UnbindUser: Schema.TaggedStruct<"UnbindUser", Fields>
  readonly UnknownState: Schema.TaggedStruct<"UnknownState", Fields>
  readonly Variants: Schema.Union<
    readonly [
      Schema.TaggedStruct<"Available", Fields>,
      Schema.TaggedStruct<"Unavailable", Fields>,
      Schema.TaggedStruct<"UnbindUser", Fields>,
      Schema.TaggedStruct<"UnknownState", Fields>
    ]
  >
  readonly Wire: Schema.Struct<Fields>
}

/**
 * Builds an endpoint's answer schema: the wire struct decoded into the four tagged variants.
 *
 * @since 0.2.0
 * @category records
 */
export const makeRecord = <Fields extends Schema.Struct.Fields>(fields: Fields): RecordSchemas<Fields> => {
  const Available = Schema.TaggedStruct("Available", fields)
  const Unavailable = Schema.TaggedStruct("Unavailable", fields)
  const UnbindUser = Schema.TaggedStruct("UnbindUser", fields)
  const UnknownState = Schema.TaggedStruct("UnknownState", fields)
  const Variants = Schema.Union([Available, Unavailable, UnbindUser, UnknownState] as const)
  const Wire = Schema.Struct(fields)
  // the tag is read from authorization_state; the variants' own schema checks the decoded value
  const Record = Wire.pipe(Schema.decodeTo(Schema.toType(Variants), {
    decode: SchemaGetter.transform((wire) => ({ ...wire, _tag: stateTag(stateOf(wire)) }) as never),
    encode: SchemaGetter.transform((variant) => untagged(variant) as never)
  }))
  return {
    Record: Record as unknown as RecordSchemas<Fields>["Record"],
    Available,
    Unavailable,
    UnbindUser,
    UnknownState,
    Variants,
    Wire
  }
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
 * Merchant query by `authorization_code` (endpoint 1): `Available` | `Unavailable` | `UnbindUser` |
 * `UnknownState`, tagged on `authorization_state`.
 *
 * @since 0.2.0
 * @category records
 */
export type AuthorizationRecord =
  | AuthorizationRecord.Available
  | AuthorizationRecord.Unavailable
  | AuthorizationRecord.UnbindUser
  | AuthorizationRecord.UnknownState

/**
 * The variants of `AuthorizationRecord` (`AuthorizationRecord.Available`, …), their fields
 * (`AuthorizationRecord.Fields`) and the wire form (`AuthorizationRecord.Encoded`).
 *
 * @since 0.2.0
 * @category records
 */
export declare namespace AuthorizationRecord {
  /** The fields of every variant, decoded (times are `DateTime.Utc`). @since 0.2.0 */
  export interface Fields extends CommonRecordFields {
    readonly authorization_code: string
    readonly notify_url?: string | undefined
    readonly user_risk_level?: number | undefined
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
  /** The schemas of the variants (`AuthorizationRecordVariants`), each with `make`. @since 0.2.0 */
  export interface Variants {
    readonly Available: VariantSchema<Available, Encoded>
    readonly Unavailable: VariantSchema<Unavailable, Encoded>
    readonly UnbindUser: VariantSchema<UnbindUser, Encoded>
    readonly UnknownState: VariantSchema<UnknownState, Encoded>
  }
}

/** @since 0.2.0 @category records */
export const AuthorizationRecord: Schema.Codec<AuthorizationRecord, AuthorizationRecord.Encoded> = merchantByCode.Record

/**
 * The variants of each record, for users who construct records (mock layers, tests):
 * `AuthorizationRecordVariants.Available.make({...})`.
 *
 * @since 0.2.0
 * @category records
 */
export const AuthorizationRecordVariants: AuthorizationRecord.Variants = {
  Available: merchantByCode.Available,
  Unavailable: merchantByCode.Unavailable,
  UnbindUser: merchantByCode.UnbindUser,
  UnknownState: merchantByCode.UnknownState
}

/**
 * Partner query by `authorization_code` (endpoint 2).
 *
 * @since 0.2.0
 * @category records
 */
export type PartnerAuthorizationRecord =
  | PartnerAuthorizationRecord.Available
  | PartnerAuthorizationRecord.Unavailable
  | PartnerAuthorizationRecord.UnbindUser
  | PartnerAuthorizationRecord.UnknownState

/**
 * The variants of `PartnerAuthorizationRecord` (`PartnerAuthorizationRecord.Available`, …), their fields
 * (`PartnerAuthorizationRecord.Fields`) and the wire form (`PartnerAuthorizationRecord.Encoded`).
 *
 * @since 0.2.0
 * @category records
 */
export declare namespace PartnerAuthorizationRecord {
  /** The fields of every variant, decoded (times are `DateTime.Utc`). @since 0.2.0 */
  export interface Fields extends CommonRecordFields {
    readonly sub_mchid: string
    readonly authorization_code?: string | undefined
    readonly sub_appid?: string | undefined
    readonly sub_openid?: string | undefined
    readonly notify_url?: string | undefined
    readonly user_risk_level?: number | undefined
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
  /** The schemas of the variants (`PartnerAuthorizationRecordVariants`), each with `make`. @since 0.2.0 */
  export interface Variants {
    readonly Available: VariantSchema<Available, Encoded>
    readonly Unavailable: VariantSchema<Unavailable, Encoded>
    readonly UnbindUser: VariantSchema<UnbindUser, Encoded>
    readonly UnknownState: VariantSchema<UnknownState, Encoded>
  }
}

/** @since 0.2.0 @category records */
export const PartnerAuthorizationRecord: Schema.Codec<PartnerAuthorizationRecord, PartnerAuthorizationRecord.Encoded> =
  partnerByCode.Record

/** @since 0.2.0 @category records */
export const PartnerAuthorizationRecordVariants: PartnerAuthorizationRecord.Variants = {
  Available: partnerByCode.Available,
  Unavailable: partnerByCode.Unavailable,
  UnbindUser: partnerByCode.UnbindUser,
  UnknownState: partnerByCode.UnknownState
}

/**
 * Acquiring bank query by `authorization_code` (endpoint 3).
 *
 * @since 0.2.0
 * @category records
 */
export type AcquiringBankAuthorizationRecord =
  | AcquiringBankAuthorizationRecord.Available
  | AcquiringBankAuthorizationRecord.Unavailable
  | AcquiringBankAuthorizationRecord.UnbindUser
  | AcquiringBankAuthorizationRecord.UnknownState

/**
 * The variants of `AcquiringBankAuthorizationRecord` (`AcquiringBankAuthorizationRecord.Available`, …), their fields
 * (`AcquiringBankAuthorizationRecord.Fields`) and the wire form (`AcquiringBankAuthorizationRecord.Encoded`).
 *
 * @since 0.2.0
 * @category records
 */
export declare namespace AcquiringBankAuthorizationRecord {
  /** The fields of every variant, decoded (times are `DateTime.Utc`). @since 0.2.0 */
  export interface Fields extends CommonRecordFields {
    readonly sub_mchid: string
    readonly authorization_code?: string | undefined
    readonly sub_appid?: string | undefined
    readonly sub_openid?: string | undefined
    readonly channel_id?: string | undefined
    readonly notify_url?: string | undefined
    /** Not in the official field table; in the sample of fudiwei/DotNetCore.SKIT.FlurlHttpClient.Wechat. */
    readonly user_label?: string | undefined
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
  /** The schemas of the variants (`AcquiringBankAuthorizationRecordVariants`), each with `make`. @since 0.2.0 */
  export interface Variants {
    readonly Available: VariantSchema<Available, Encoded>
    readonly Unavailable: VariantSchema<Unavailable, Encoded>
    readonly UnbindUser: VariantSchema<UnbindUser, Encoded>
    readonly UnknownState: VariantSchema<UnknownState, Encoded>
  }
}

/** @since 0.2.0 @category records */
export const AcquiringBankAuthorizationRecord: Schema.Codec<
  AcquiringBankAuthorizationRecord,
  AcquiringBankAuthorizationRecord.Encoded
> = acquiringBankByCode.Record

/** @since 0.2.0 @category records */
export const AcquiringBankAuthorizationRecordVariants: AcquiringBankAuthorizationRecord.Variants = {
  Available: acquiringBankByCode.Available,
  Unavailable: acquiringBankByCode.Unavailable,
  UnbindUser: acquiringBankByCode.UnbindUser,
  UnknownState: acquiringBankByCode.UnknownState
}

/**
 * Partner query by `openid` or `sub_openid` (`GET /v3/payscore/partner/permissions/search`): the
 * fields of the partner record, with `sub_mchid` and `authorization_success_time` required.
 *
 * @since 0.2.0
 * @category records
 */
export type PartnerSearchAuthorizationRecord =
  | PartnerSearchAuthorizationRecord.Available
  | PartnerSearchAuthorizationRecord.Unavailable
  | PartnerSearchAuthorizationRecord.UnbindUser
  | PartnerSearchAuthorizationRecord.UnknownState

/**
 * The variants of `PartnerSearchAuthorizationRecord` (`PartnerSearchAuthorizationRecord.Available`, …), their fields
 * (`PartnerSearchAuthorizationRecord.Fields`) and the wire form (`PartnerSearchAuthorizationRecord.Encoded`).
 *
 * @since 0.2.0
 * @category records
 */
export declare namespace PartnerSearchAuthorizationRecord {
  /** The fields of every variant, decoded (times are `DateTime.Utc`). @since 0.2.0 */
  export interface Fields extends CommonRecordFields {
    readonly sub_mchid: string
    /** Required in this answer. */
    readonly authorization_success_time: DateTime.Utc
    readonly authorization_code?: string | undefined
    readonly sub_appid?: string | undefined
    readonly sub_openid?: string | undefined
    readonly notify_url?: string | undefined
    readonly user_risk_level?: number | undefined
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
  /** The schemas of the variants (`PartnerSearchAuthorizationRecordVariants`), each with `make`. @since 0.2.0 */
  export interface Variants {
    readonly Available: VariantSchema<Available, Encoded>
    readonly Unavailable: VariantSchema<Unavailable, Encoded>
    readonly UnbindUser: VariantSchema<UnbindUser, Encoded>
    readonly UnknownState: VariantSchema<UnknownState, Encoded>
  }
}

/** @since 0.2.0 @category records */
export const PartnerSearchAuthorizationRecord: Schema.Codec<
  PartnerSearchAuthorizationRecord,
  PartnerSearchAuthorizationRecord.Encoded
> = partnerSearch.Record

/** @since 0.2.0 @category records */
export const PartnerSearchAuthorizationRecordVariants: PartnerSearchAuthorizationRecord.Variants = {
  Available: partnerSearch.Available,
  Unavailable: partnerSearch.Unavailable,
  UnbindUser: partnerSearch.UnbindUser,
  UnknownState: partnerSearch.UnknownState
}

/**
 * Merchant query by `openid` (endpoint 4).
 *
 * @since 0.2.0
 * @category records
 */
export type OpenidAuthorizationRecord =
  | OpenidAuthorizationRecord.Available
  | OpenidAuthorizationRecord.Unavailable
  | OpenidAuthorizationRecord.UnbindUser
  | OpenidAuthorizationRecord.UnknownState

/**
 * The variants of `OpenidAuthorizationRecord` (`OpenidAuthorizationRecord.Available`, …), their fields
 * (`OpenidAuthorizationRecord.Fields`) and the wire form (`OpenidAuthorizationRecord.Encoded`).
 *
 * @since 0.2.0
 * @category records
 */
export declare namespace OpenidAuthorizationRecord {
  /** The fields of every variant, decoded (times are `DateTime.Utc`). @since 0.2.0 */
  export interface Fields extends CommonRecordFields {
    readonly authorization_code?: string | undefined
    /** Not in the official field table; in the sample of fudiwei/DotNetCore.SKIT.FlurlHttpClient.Wechat. */
    readonly notify_url?: string | undefined
    readonly user_risk_level?: number | undefined
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
  /** The schemas of the variants (`OpenidAuthorizationRecordVariants`), each with `make`. @since 0.2.0 */
  export interface Variants {
    readonly Available: VariantSchema<Available, Encoded>
    readonly Unavailable: VariantSchema<Unavailable, Encoded>
    readonly UnbindUser: VariantSchema<UnbindUser, Encoded>
    readonly UnknownState: VariantSchema<UnknownState, Encoded>
  }
}

/** @since 0.2.0 @category records */
export const OpenidAuthorizationRecord: Schema.Codec<OpenidAuthorizationRecord, OpenidAuthorizationRecord.Encoded> =
  merchantByOpenid.Record

/** @since 0.2.0 @category records */
export const OpenidAuthorizationRecordVariants: OpenidAuthorizationRecord.Variants = {
  Available: merchantByOpenid.Available,
  Unavailable: merchantByOpenid.Unavailable,
  UnbindUser: merchantByOpenid.UnbindUser,
  UnknownState: merchantByOpenid.UnknownState
}
