/**
 * Schemas of the rest of the Pay Score permissions family (declared in `core/endpoints/permissions.ts`): the parameters of the
 * apply (预授权), terminate (解除授权) and partner search endpoints, with the documented lengths, and
 * the answer of the apply endpoints (`{ apply_permissions_token }`). The record of the partner
 * search lives with the other records (`AuthorizationRecord.PartnerSearchAuthorizationRecord`).
 *
 * Every parameter keeps its wire name; what goes in the URL path follows the path-segment rules
 * of `AuthorizationRecord.PathParameter`.
 *
 * @since 0.2.0
 */
import * as Schema from "effect/Schema"
import * as Common from "../../../src/core/endpoints/common.js"
import * as Endpoints from "../../../src/core/endpoints/permissions.js"
import * as ParamsSchema from "../internal/paramsSchema.js"

// ---------------------------------------------------------------------------------------------
// Fields: the rules are the core's (`core/endpoints`), which the client checks before sending
// ---------------------------------------------------------------------------------------------

/** @since 0.2.0 @category parameters */
export const SubAppid: Schema.Codec<string> = ParamsSchema.fromStringRule(Common.subAppid)

/**
 * An `openid` sent in a query string or a JSON body (not a path segment).
 *
 * @since 0.2.0
 * @category parameters
 */
export const OpenidValue: Schema.Codec<string> = ParamsSchema.fromStringRule(Common.openid)

/** @since 0.2.0 @category parameters */
export const SubOpenid: Schema.Codec<string> = ParamsSchema.fromStringRule(Common.subOpenid)

/**
 * The maximum length of `reason`, in characters (Unicode code points: `用户投诉` is 4).
 *
 * @since 0.2.0
 * @category parameters
 */
export const REASON_MAX_LENGTH: number = Common.REASON_MAX_LENGTH

/**
 * Why an authorization is terminated: non-empty, at most 50 characters (any script: Chinese text
 * counts one per character), no control characters, well-formed Unicode.
 *
 * @since 0.2.0
 * @category parameters
 */
export const Reason: Schema.Codec<string> = ParamsSchema.fromStringRule(Common.reason)

/**
 * The maximum length of `notify_url`: `string[1, 255]` in the documentation of the apply endpoints
 * (商户预授权, 服务商/从业机构预授权).
 *
 * @since 0.2.0
 * @category parameters
 */
export const NOTIFY_URL_MAX_LENGTH: number = Common.NOTIFY_URL_MAX_LENGTH

/**
 * Where WeChat Pay sends the authorization notifications: an absolute `https://` (or `http://`)
 * URL, at most 255 characters, printable ASCII (percent-encode anything else).
 *
 * @since 0.2.0
 * @category parameters
 */
export const NotifyUrl: Schema.Codec<string> = ParamsSchema.fromStringRule(Common.notifyUrl)

// ---------------------------------------------------------------------------------------------
// Apply (预授权)
// ---------------------------------------------------------------------------------------------

/**
 * Merchant: `POST /v3/payscore/permissions`.
 *
 * @since 0.2.0
 * @category parameters
 */
export interface ApplyPermissionsParams extends Endpoints.ApplyPermissionsParams {}
/** @since 0.2.0 @category parameters */
export const ApplyPermissionsParams: Schema.Codec<ApplyPermissionsParams> = ParamsSchema.fromObjectRule(
  Endpoints.applyPermissions.params,
  "ApplyPermissionsParams"
)

/**
 * Partner: `POST /v3/payscore/partner/permissions`.
 *
 * @since 0.2.0
 * @category parameters
 */
export interface ApplyPartnerPermissionsParams extends Endpoints.ApplyPartnerPermissionsParams {}
/** @since 0.2.0 @category parameters */
export const ApplyPartnerPermissionsParams: Schema.Codec<ApplyPartnerPermissionsParams> = ParamsSchema.fromObjectRule(
  Endpoints.applyPartnerPermissions.params,
  "ApplyPartnerPermissionsParams"
)

/**
 * Acquiring bank: `POST /v3/payscore/acquiringbank/permissions`.
 *
 * @since 0.2.0
 * @category parameters
 */
export interface ApplyAcquiringBankPermissionsParams extends Endpoints.ApplyAcquiringBankPermissionsParams {}
/** @since 0.2.0 @category parameters */
export const ApplyAcquiringBankPermissionsParams: Schema.Codec<ApplyAcquiringBankPermissionsParams> = ParamsSchema
  .fromObjectRule(
    Endpoints.applyAcquiringBankPermissions.params,
    "ApplyAcquiringBankPermissionsParams"
  )

/**
 * The answer of the three apply endpoints: the token the mini program or app hands to the
 * authorization page (`apply_permissions_token`).
 *
 * @since 0.2.0
 * @category answers
 */
export interface ApplyPermissionsResult {
  readonly apply_permissions_token: string
}
/** @since 0.2.0 @category answers */
export const ApplyPermissionsResult: Schema.Codec<ApplyPermissionsResult> = Schema.Struct({
  apply_permissions_token: Schema.String
})

// ---------------------------------------------------------------------------------------------
// Terminate (解除授权)
// ---------------------------------------------------------------------------------------------

/**
 * Merchant: `POST /v3/payscore/permissions/authorization-code/{authorization_code}/terminate`.
 *
 * @since 0.2.0
 * @category parameters
 */
export interface TerminateByAuthorizationCodeParams extends Endpoints.TerminateByAuthorizationCodeParams {}
/** @since 0.2.0 @category parameters */
export const TerminateByAuthorizationCodeParams: Schema.Codec<TerminateByAuthorizationCodeParams> = ParamsSchema
  .fromObjectRule(
    Endpoints.terminateByAuthorizationCode.params,
    "TerminateByAuthorizationCodeParams"
  )

/**
 * Partner: `POST /v3/payscore/partner/permissions/authorization-code/{authorization_code}/terminate`.
 *
 * @since 0.2.0
 * @category parameters
 */
export interface TerminatePartnerByAuthorizationCodeParams
  extends Endpoints.TerminatePartnerByAuthorizationCodeParams
{}
/** @since 0.2.0 @category parameters */
export const TerminatePartnerByAuthorizationCodeParams: Schema.Codec<TerminatePartnerByAuthorizationCodeParams> =
  ParamsSchema.fromObjectRule(
    Endpoints.terminatePartnerByAuthorizationCode.params,
    "TerminatePartnerByAuthorizationCodeParams"
  )

/**
 * Acquiring bank: `POST /v3/payscore/acquiringbank/permissions/authorization-code/{authorization_code}/terminate`.
 *
 * @since 0.2.0
 * @category parameters
 */
export interface TerminateAcquiringBankByAuthorizationCodeParams
  extends Endpoints.TerminateAcquiringBankByAuthorizationCodeParams
{}
/** @since 0.2.0 @category parameters */
export const TerminateAcquiringBankByAuthorizationCodeParams: Schema.Codec<
  TerminateAcquiringBankByAuthorizationCodeParams
> = ParamsSchema.fromObjectRule(
  Endpoints.terminateAcquiringBankByAuthorizationCode.params,
  "TerminateAcquiringBankByAuthorizationCodeParams"
)

/**
 * Merchant: `POST /v3/payscore/permissions/openid/{openid}/terminate`.
 *
 * @since 0.2.0
 * @category parameters
 */
export interface TerminateByOpenidParams extends Endpoints.TerminateByOpenidParams {}
/** @since 0.2.0 @category parameters */
export const TerminateByOpenidParams: Schema.Codec<TerminateByOpenidParams> = ParamsSchema.fromObjectRule(
  Endpoints.terminateByOpenid.params,
  "TerminateByOpenidParams"
)

/**
 * Partner: `POST /v3/payscore/partner/permissions/terminate`: exactly one of `openid` / `sub_openid`, and `sub_openid` needs `sub_appid`.
 *
 * @since 0.2.0
 * @category parameters
 */
export interface TerminatePartnerByOpenidParams extends Endpoints.TerminatePartnerByOpenidParams {}
/** @since 0.2.0 @category parameters */
export const TerminatePartnerByOpenidParams: Schema.Codec<TerminatePartnerByOpenidParams> = ParamsSchema
  .fromObjectRule(
    Endpoints.terminatePartnerByOpenid.params,
    "TerminatePartnerByOpenidParams"
  )

// ---------------------------------------------------------------------------------------------
// Partner search
// ---------------------------------------------------------------------------------------------

/**
 * Partner: `GET /v3/payscore/partner/permissions/search?service_id=…&appid=…&sub_mchid=…[&sub_appid=…]&openid=…|sub_openid=…`: exactly one of `openid` / `sub_openid`, and `sub_openid` needs `sub_appid`.
 *
 * @since 0.2.0
 * @category parameters
 */
export interface QueryPartnerByOpenidParams extends Endpoints.QueryPartnerByOpenidParams {}
/** @since 0.2.0 @category parameters */
export const QueryPartnerByOpenidParams: Schema.Codec<QueryPartnerByOpenidParams> = ParamsSchema.fromObjectRule(
  Endpoints.queryPartnerByOpenid.params,
  "QueryPartnerByOpenidParams"
)
