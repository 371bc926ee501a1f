/**
 * Schemas of the rest of the Pay Score permissions family (PROTOCOL.md §2): the parameters of the
 * apply (预授权), terminate (解除授权) and partner search endpoints, with the documented lengths, and
 * the answer of the apply endpoints (`{ apply_permissions_token }`). The record of the partner
 * search lives with the other records (`AuthorizationRecord.PartnerSearchAuthorizationRecord`).
 *
 * Every parameter keeps its wire name; what goes in the URL path follows the path-segment rules
 * of `AuthorizationRecord.PathParameter`.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { Appid, AuthorizationCode, ChannelId, Openid, Parameter, ServiceId, SubMchid } from "./AuthorizationRecord.js"

// ---------------------------------------------------------------------------------------------
// Fields
// ---------------------------------------------------------------------------------------------

/** @since 0.1.0 @category parameters */
export const SubAppid = Parameter(32)

/**
 * An `openid` sent in a query string or a JSON body (not a path segment).
 *
 * @since 0.1.0
 * @category parameters
 */
export const OpenidValue = Parameter(128)

/** @since 0.1.0 @category parameters */
export const SubOpenid = Parameter(128)

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/**
 * The maximum length of `reason`, in characters (Unicode code points: `用户投诉` is 4).
 *
 * @since 0.1.0
 * @category parameters
 */
export const REASON_MAX_LENGTH = 50

/**
 * Why an authorization is terminated: non-empty, at most 50 characters (any script: Chinese text
 * counts one per character), no control characters, well-formed Unicode.
 *
 * @since 0.1.0
 * @category parameters
 */
export const Reason = Schema.String.pipe(
  Schema.filter((s) => s.length > 0 || "must not be empty"),
  Schema.filter((s) => !LONE_SURROGATE.test(s) || "is not well-formed Unicode (a lone surrogate)"),
  Schema.filter((s) => {
    const length = [...s].length
    return length <= REASON_MAX_LENGTH ||
      `is ${length} characters long; at most ${REASON_MAX_LENGTH} are allowed`
  }),
  Schema.filter((s) => !CONTROL.test(s) || "must not contain control characters (line breaks, tabs, …)")
)

/**
 * The maximum length of `notify_url`: `string[1, 255]` in the documentation of the apply endpoints
 * (商户预授权, 服务商/从业机构预授权).
 *
 * @since 0.1.0
 * @category parameters
 */
export const NOTIFY_URL_MAX_LENGTH = 255

/**
 * Where WeChat Pay sends the authorization notifications: an absolute `https://` (or `http://`)
 * URL, at most 255 characters, printable ASCII (percent-encode anything else).
 *
 * @since 0.1.0
 * @category parameters
 */
export const NotifyUrl = Parameter(NOTIFY_URL_MAX_LENGTH).pipe(
  Schema.filter((s) => {
    let url: URL
    try {
      url = new URL(s)
    } catch {
      return "must be an absolute URL, e.g. https://example.com/payscore/notify"
    }
    return url.protocol === "https:" || url.protocol === "http:" || "must be an https:// (or http://) URL"
  })
)

/**
 * The "exactly one of `openid` / `sub_openid`, and `sub_openid` needs `sub_appid`" rule of the
 * partner search and terminate-by-openid endpoints; the failure names the field to fix.
 */
const oneOpenid = (p: {
  readonly openid?: string | undefined
  readonly sub_openid?: string | undefined
  readonly sub_appid?: string | undefined
}): true | { readonly path: ReadonlyArray<PropertyKey>; readonly message: string } => {
  if (p.openid === undefined && p.sub_openid === undefined) {
    return { path: ["openid"], message: "or sub_openid is required (exactly one of them)" }
  }
  if (p.openid !== undefined && p.sub_openid !== undefined) {
    return { path: ["sub_openid"], message: "must not be given with openid: give exactly one of openid and sub_openid" }
  }
  if (p.sub_openid !== undefined && p.sub_appid === undefined) {
    return { path: ["sub_appid"], message: "is required with sub_openid (the sub_openid is under sub_appid)" }
  }
  return true
}

// ---------------------------------------------------------------------------------------------
// Apply (预授权)
// ---------------------------------------------------------------------------------------------

/**
 * Merchant: `POST /v3/payscore/permissions`.
 *
 * @since 0.1.0
 * @category parameters
 */
export interface ApplyPermissionsParams {
  readonly service_id: string
  readonly appid: string
  readonly authorization_code: string
  readonly notify_url?: string | undefined
}
/** @since 0.1.0 @category parameters */
export const ApplyPermissionsParams: Schema.Schema<ApplyPermissionsParams> = Schema.Struct({
  service_id: ServiceId,
  appid: Appid,
  authorization_code: AuthorizationCode,
  notify_url: Schema.optional(NotifyUrl)
})

/**
 * Partner (服务商): `POST /v3/payscore/partner/permissions`, for a sub-merchant.
 *
 * @since 0.1.0
 * @category parameters
 */
export interface ApplyPartnerPermissionsParams {
  readonly service_id: string
  readonly appid: string
  readonly sub_appid?: string | undefined
  readonly sub_mchid: string
  readonly authorization_code: string
  readonly notify_url?: string | undefined
}
/** @since 0.1.0 @category parameters */
export const ApplyPartnerPermissionsParams: Schema.Schema<ApplyPartnerPermissionsParams> = Schema.Struct({
  service_id: ServiceId,
  appid: Appid,
  sub_appid: Schema.optional(SubAppid),
  sub_mchid: SubMchid,
  authorization_code: AuthorizationCode,
  notify_url: Schema.optional(NotifyUrl)
})

/**
 * Acquiring bank (从业机构): `POST /v3/payscore/acquiringbank/permissions`, for a channel and sub-merchant.
 *
 * @since 0.1.0
 * @category parameters
 */
export interface ApplyAcquiringBankPermissionsParams {
  readonly service_id: string
  readonly channel_id: string
  readonly appid: string
  readonly sub_appid?: string | undefined
  readonly sub_mchid: string
  readonly authorization_code: string
  readonly notify_url?: string | undefined
}
/** @since 0.1.0 @category parameters */
export const ApplyAcquiringBankPermissionsParams: Schema.Schema<ApplyAcquiringBankPermissionsParams> = Schema.Struct({
  service_id: ServiceId,
  channel_id: ChannelId,
  appid: Appid,
  sub_appid: Schema.optional(SubAppid),
  sub_mchid: SubMchid,
  authorization_code: AuthorizationCode,
  notify_url: Schema.optional(NotifyUrl)
})

/**
 * The answer of the three apply endpoints: the token the mini program or app hands to the
 * authorization page (`apply_permissions_token`).
 *
 * @since 0.1.0
 * @category answers
 */
export interface ApplyPermissionsResult {
  readonly apply_permissions_token: string
}
/** @since 0.1.0 @category answers */
export const ApplyPermissionsResult: Schema.Schema<ApplyPermissionsResult> = Schema.Struct({
  apply_permissions_token: Schema.String
})

// ---------------------------------------------------------------------------------------------
// Terminate (解除授权)
// ---------------------------------------------------------------------------------------------

/**
 * Merchant: `POST /v3/payscore/permissions/authorization-code/{authorization_code}/terminate`.
 *
 * @since 0.1.0
 * @category parameters
 */
export interface TerminateByAuthorizationCodeParams {
  readonly authorization_code: string
  readonly service_id: string
  readonly reason: string
}
/** @since 0.1.0 @category parameters */
export const TerminateByAuthorizationCodeParams: Schema.Schema<TerminateByAuthorizationCodeParams> = Schema.Struct({
  authorization_code: AuthorizationCode,
  service_id: ServiceId,
  reason: Reason
})

/**
 * Partner: `POST /v3/payscore/partner/permissions/authorization-code/{authorization_code}/terminate`.
 *
 * @since 0.1.0
 * @category parameters
 */
export interface TerminatePartnerByAuthorizationCodeParams {
  readonly authorization_code: string
  readonly service_id: string
  readonly sub_mchid: string
  readonly reason: string
}
/** @since 0.1.0 @category parameters */
export const TerminatePartnerByAuthorizationCodeParams: Schema.Schema<TerminatePartnerByAuthorizationCodeParams> =
  Schema.Struct({
    authorization_code: AuthorizationCode,
    service_id: ServiceId,
    sub_mchid: SubMchid,
    reason: Reason
  })

/**
 * Acquiring bank: `POST /v3/payscore/acquiringbank/permissions/authorization-code/{authorization_code}/terminate`
 * (`channel_id` optional here).
 *
 * @since 0.1.0
 * @category parameters
 */
export interface TerminateAcquiringBankByAuthorizationCodeParams {
  readonly authorization_code: string
  readonly service_id: string
  readonly channel_id?: string | undefined
  readonly sub_mchid: string
  readonly reason: string
}
/** @since 0.1.0 @category parameters */
export const TerminateAcquiringBankByAuthorizationCodeParams: Schema.Schema<
  TerminateAcquiringBankByAuthorizationCodeParams
> = Schema.Struct({
  authorization_code: AuthorizationCode,
  service_id: ServiceId,
  channel_id: Schema.optional(ChannelId),
  sub_mchid: SubMchid,
  reason: Reason
})

/**
 * Merchant: `POST /v3/payscore/permissions/openid/{openid}/terminate`.
 *
 * @since 0.1.0
 * @category parameters
 */
export interface TerminateByOpenidParams {
  readonly openid: string
  readonly service_id: string
  readonly appid: string
  readonly reason: string
}
/** @since 0.1.0 @category parameters */
export const TerminateByOpenidParams: Schema.Schema<TerminateByOpenidParams> = Schema.Struct({
  openid: Openid,
  service_id: ServiceId,
  appid: Appid,
  reason: Reason
})

/**
 * Partner: `POST /v3/payscore/partner/permissions/terminate`, by the user's `openid` (under
 * `appid`) or `sub_openid` (under `sub_appid`, which it then requires): exactly one of them.
 *
 * @since 0.1.0
 * @category parameters
 */
export interface TerminatePartnerByOpenidParams {
  readonly service_id: string
  readonly appid: string
  readonly sub_mchid: string
  readonly reason: string
  readonly sub_appid?: string | undefined
  readonly openid?: string | undefined
  readonly sub_openid?: string | undefined
}
/** @since 0.1.0 @category parameters */
export const TerminatePartnerByOpenidParams: Schema.Schema<TerminatePartnerByOpenidParams> = Schema.Struct({
  service_id: ServiceId,
  appid: Appid,
  sub_mchid: SubMchid,
  reason: Reason,
  sub_appid: Schema.optional(SubAppid),
  openid: Schema.optional(OpenidValue),
  sub_openid: Schema.optional(SubOpenid)
}).pipe(Schema.filter(oneOpenid))

// ---------------------------------------------------------------------------------------------
// Partner search
// ---------------------------------------------------------------------------------------------

/**
 * Partner: `GET /v3/payscore/partner/permissions/search?service_id=…&appid=…&sub_mchid=…[&sub_appid=…]&openid=…|sub_openid=…`:
 * exactly one of `openid` / `sub_openid`, and `sub_openid` needs `sub_appid`.
 *
 * @since 0.1.0
 * @category parameters
 */
export interface QueryPartnerByOpenidParams {
  readonly service_id: string
  readonly appid: string
  readonly sub_mchid: string
  readonly sub_appid?: string | undefined
  readonly openid?: string | undefined
  readonly sub_openid?: string | undefined
}
/** @since 0.1.0 @category parameters */
export const QueryPartnerByOpenidParams: Schema.Schema<QueryPartnerByOpenidParams> = Schema.Struct({
  service_id: ServiceId,
  appid: Appid,
  sub_mchid: SubMchid,
  sub_appid: Schema.optional(SubAppid),
  openid: Schema.optional(OpenidValue),
  sub_openid: Schema.optional(SubOpenid)
}).pipe(Schema.filter(oneOpenid))
