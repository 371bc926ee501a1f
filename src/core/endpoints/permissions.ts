/**
 * The Pay Score service-authorization endpoints (免确认模式的授权), declared once:
 * their parameters (named interfaces and rules) and everything else an `Endpoint` says.
 *
 * @internal
 */
import type { Endpoint } from "../endpoint.js"
import * as Fields from "../fields.js"
import {
  appid,
  authorizationCode,
  channelId,
  COMMON_ERRORS,
  mchid,
  notifyUrl,
  oneOpenid,
  openid,
  openidSegment,
  QUERY_ERRORS,
  reason,
  serviceId,
  subAppid,
  subMchid,
  subOpenid
} from "./common.js"

const { optional, required } = Fields

const QUERY_NOTE = "a GET: sending it twice reads twice"
const APPLY_NOTE =
  "a POST that creates the pre-authorization of authorization_code: WeChat Pay may have acted on one whose answer was lost"
const TERMINATE_NOTE = "a POST that ends an authorization: WeChat Pay may have acted on one whose answer was lost"

// ---------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------

/** Merchant query by `authorization_code`. @internal */
export interface QueryByAuthorizationCodeParams {
  readonly authorization_code: string
  readonly service_id: string
}

/** @internal */
export const queryByAuthorizationCode: Endpoint<QueryByAuthorizationCodeParams, "queryByAuthorizationCode"> = {
  name: "queryByAuthorizationCode",
  service: "PayScorePermissions",
  method: "GET",
  path: "/v3/payscore/permissions/authorization-code/{authorization_code}",
  query: ["service_id"],
  params: Fields.object<QueryByAuthorizationCodeParams>({
    authorization_code: required(authorizationCode),
    service_id: required(serviceId)
  }),
  answer: "json",
  idempotent: true,
  idempotenceNote: QUERY_NOTE,
  errors: QUERY_ERRORS,
  summary: "merchant: the user's authorization, by authorization_code"
}

/** Partner (服务商) query by `authorization_code`, for a sub-merchant. @internal */
export interface QueryPartnerByAuthorizationCodeParams {
  readonly authorization_code: string
  readonly service_id: string
  readonly sub_mchid: string
}

/** @internal */
export const queryPartnerByAuthorizationCode: Endpoint<
  QueryPartnerByAuthorizationCodeParams,
  "queryPartnerByAuthorizationCode"
> = {
  name: "queryPartnerByAuthorizationCode",
  service: "PayScorePermissions",
  method: "GET",
  path: "/v3/payscore/partner/permissions/authorization-code/{authorization_code}",
  query: ["service_id", "sub_mchid"],
  params: Fields.object<QueryPartnerByAuthorizationCodeParams>({
    authorization_code: required(authorizationCode),
    service_id: required(serviceId),
    sub_mchid: required(subMchid)
  }),
  answer: "json",
  idempotent: true,
  idempotenceNote: QUERY_NOTE,
  errors: QUERY_ERRORS,
  summary: "partner: a sub-merchant's user's authorization, by authorization_code"
}

/** Acquiring bank (从业机构) query by `authorization_code`, for a channel and sub-merchant. @internal */
export interface QueryAcquiringBankByAuthorizationCodeParams {
  readonly authorization_code: string
  readonly service_id: string
  readonly channel_id: string
  readonly sub_mchid: string
}

/** @internal */
export const queryAcquiringBankByAuthorizationCode: Endpoint<
  QueryAcquiringBankByAuthorizationCodeParams,
  "queryAcquiringBankByAuthorizationCode"
> = {
  name: "queryAcquiringBankByAuthorizationCode",
  service: "PayScorePermissions",
  method: "GET",
  path: "/v3/payscore/acquiringbank/permissions/authorization-code/{authorization_code}",
  query: ["service_id", "channel_id", "sub_mchid"],
  params: Fields.object<QueryAcquiringBankByAuthorizationCodeParams>({
    authorization_code: required(authorizationCode),
    service_id: required(serviceId),
    channel_id: required(channelId),
    sub_mchid: required(subMchid)
  }),
  answer: "json",
  idempotent: true,
  idempotenceNote: QUERY_NOTE,
  errors: QUERY_ERRORS,
  summary: "acquiring bank: a channel's sub-merchant's user's authorization, by authorization_code"
}

/** Merchant query by `openid`. @internal */
export interface QueryByOpenidParams {
  readonly openid: string
  readonly service_id: string
  readonly appid: string
}

/** @internal */
export const queryByOpenid: Endpoint<QueryByOpenidParams, "queryByOpenid"> = {
  name: "queryByOpenid",
  service: "PayScorePermissions",
  method: "GET",
  path: "/v3/payscore/permissions/openid/{openid}",
  query: ["service_id", "appid"],
  params: Fields.object<QueryByOpenidParams>({
    openid: required(openidSegment),
    service_id: required(serviceId),
    appid: required(appid)
  }),
  answer: "json",
  idempotent: true,
  idempotenceNote: QUERY_NOTE,
  errors: QUERY_ERRORS,
  summary: "merchant: the user's authorization, by openid"
}

/**
 * Partner search by `openid` or `sub_openid` (exactly one; `sub_openid` needs `sub_appid`).
 *
 * @internal
 */
export interface QueryPartnerByOpenidParams {
  readonly service_id: string
  readonly appid: string
  readonly sub_mchid: string
  readonly sub_appid?: string | undefined
  readonly openid?: string | undefined
  readonly sub_openid?: string | undefined
}

/** @internal */
export const queryPartnerByOpenid: Endpoint<QueryPartnerByOpenidParams, "queryPartnerByOpenid"> = {
  name: "queryPartnerByOpenid",
  service: "PayScorePermissions",
  method: "GET",
  path: "/v3/payscore/partner/permissions/search",
  query: ["service_id", "appid", "sub_mchid", "sub_appid", "openid", "sub_openid"],
  params: Fields.object<QueryPartnerByOpenidParams>({
    service_id: required(serviceId),
    appid: required(appid),
    sub_mchid: required(subMchid),
    sub_appid: optional(subAppid),
    openid: optional(openid),
    sub_openid: optional(subOpenid)
  }, [oneOpenid]),
  answer: "json",
  idempotent: true,
  idempotenceNote: QUERY_NOTE,
  errors: QUERY_ERRORS,
  summary: "partner: a sub-merchant's user's authorization, by openid or sub_openid"
}

// ---------------------------------------------------------------------------------------------
// Apply (预授权)
// ---------------------------------------------------------------------------------------------

/** Merchant pre-authorization. @internal */
export interface ApplyPermissionsParams {
  readonly service_id: string
  readonly appid: string
  readonly authorization_code: string
  readonly notify_url?: string | undefined
}

/** @internal */
export const applyPermissions: Endpoint<ApplyPermissionsParams, "applyPermissions"> = {
  name: "applyPermissions",
  service: "PayScorePermissions",
  method: "POST",
  path: "/v3/payscore/permissions",
  query: [],
  params: Fields.object<ApplyPermissionsParams>({
    service_id: required(serviceId),
    appid: required(appid),
    authorization_code: required(authorizationCode),
    notify_url: optional(notifyUrl)
  }),
  answer: "json",
  idempotent: false,
  idempotenceNote: APPLY_NOTE,
  errors: COMMON_ERRORS,
  summary: "merchant: pre-authorize a user (returns apply_permissions_token)"
}

/** Partner pre-authorization. @internal */
export interface ApplyPartnerPermissionsParams {
  readonly service_id: string
  readonly appid: string
  readonly sub_appid?: string | undefined
  readonly sub_mchid: string
  readonly authorization_code: string
  readonly notify_url?: string | undefined
}

/** @internal */
export const applyPartnerPermissions: Endpoint<ApplyPartnerPermissionsParams, "applyPartnerPermissions"> = {
  name: "applyPartnerPermissions",
  service: "PayScorePermissions",
  method: "POST",
  path: "/v3/payscore/partner/permissions",
  query: [],
  params: Fields.object<ApplyPartnerPermissionsParams>({
    service_id: required(serviceId),
    appid: required(appid),
    sub_appid: optional(subAppid),
    sub_mchid: required(subMchid),
    authorization_code: required(authorizationCode),
    notify_url: optional(notifyUrl)
  }),
  answer: "json",
  idempotent: false,
  idempotenceNote: APPLY_NOTE,
  errors: COMMON_ERRORS,
  summary: "partner: pre-authorize a sub-merchant's user"
}

/** Acquiring-bank pre-authorization. @internal */
export interface ApplyAcquiringBankPermissionsParams {
  readonly service_id: string
  readonly channel_id: string
  readonly appid: string
  readonly sub_appid?: string | undefined
  readonly sub_mchid: string
  readonly authorization_code: string
  readonly notify_url?: string | undefined
}

/** @internal */
export const applyAcquiringBankPermissions: Endpoint<
  ApplyAcquiringBankPermissionsParams,
  "applyAcquiringBankPermissions"
> = {
  name: "applyAcquiringBankPermissions",
  service: "PayScorePermissions",
  method: "POST",
  path: "/v3/payscore/acquiringbank/permissions",
  query: [],
  params: Fields.object<ApplyAcquiringBankPermissionsParams>({
    service_id: required(serviceId),
    channel_id: required(channelId),
    appid: required(appid),
    sub_appid: optional(subAppid),
    sub_mchid: required(subMchid),
    authorization_code: required(authorizationCode),
    notify_url: optional(notifyUrl)
  }),
  answer: "json",
  idempotent: false,
  idempotenceNote: APPLY_NOTE,
  errors: COMMON_ERRORS,
  summary: "acquiring bank: pre-authorize a channel's sub-merchant's user"
}

/** The transaction of a scene pre-authorization. @internal */
export interface TransactionSceneInfo {
  readonly mchid: string
  readonly sub_mchid: string
}

/** Partner pre-authorization in a scene (`scene: "TRANSACTION"` needs `transaction_scene_info`). @internal */
export interface ApplyPartnerPermissionsForSceneParams {
  readonly service_id: string
  readonly appid: string
  readonly sub_appid?: string | undefined
  readonly sub_mchid: string
  readonly authorization_code: string
  readonly notify_url?: string | undefined
  readonly scene: "TRANSACTION"
  readonly transaction_scene_info?: TransactionSceneInfo | undefined
}

/** @internal */
export const applyPartnerPermissionsForScene: Endpoint<
  ApplyPartnerPermissionsForSceneParams,
  "applyPartnerPermissionsForScene"
> = {
  name: "applyPartnerPermissionsForScene",
  service: "PayScorePermissions",
  method: "POST",
  path: "/v3/payscore/partner/permissions/apply-for-scene",
  query: [],
  params: Fields.object<ApplyPartnerPermissionsForSceneParams>({
    service_id: required(serviceId),
    appid: required(appid),
    sub_appid: optional(subAppid),
    sub_mchid: required(subMchid),
    authorization_code: required(authorizationCode),
    notify_url: optional(notifyUrl),
    scene: required<Fields.StringRule<"TRANSACTION">>({
      kind: "string",
      charset: "visible",
      values: ["TRANSACTION"],
      valuesMessage: (actual) => `must be TRANSACTION (the one documented scene), not ${JSON.stringify(actual)}`,
      description: "the scene: TRANSACTION (the one documented)"
    }),
    transaction_scene_info: optional(
      Fields.object<TransactionSceneInfo>({ mchid: required(mchid), sub_mchid: required(subMchid) })
    )
  }, [(p) =>
    p.scene === "TRANSACTION" && p.transaction_scene_info === undefined
      ? { path: ["transaction_scene_info"], message: "is required when scene is TRANSACTION" }
      : undefined]),
  answer: "json",
  idempotent: false,
  idempotenceNote: APPLY_NOTE,
  errors: COMMON_ERRORS,
  summary: "partner: pre-authorize a sub-merchant's user in a scene (TRANSACTION)"
}

// ---------------------------------------------------------------------------------------------
// User risk level (评估用户分层)
// ---------------------------------------------------------------------------------------------

/** One goods of the shopping information. @internal */
export interface Goods {
  readonly name: string
  readonly picture: string
  /** In fen. */
  readonly amount: number
  readonly count: number
  readonly category_id?: ReadonlyArray<string> | undefined
}

/** @internal */
export interface ShoppingInfo {
  readonly goods: ReadonlyArray<Goods>
}

/** The list of goods (also the 先用后付 order's `shopping_info.goods`). @internal */
export const goodsList: Fields.ArrayRule<Goods> = Fields.array<Goods>(
  Fields.object<Goods>({
    name: required(Fields.text(undefined, "the goods' name")),
    picture: required(Fields.url(undefined, "https://example.com/goods.png", "the goods' picture URL")),
    amount: required(Fields.integer(0, undefined, "price in fen")),
    count: required(Fields.integer(1, undefined, "how many")),
    category_id: optional(
      Fields.array<string>(Fields.id(32), { minItems: 1, tooFewMessage: "must not be empty (leave it out instead)" })
    )
  }),
  { minItems: 1, tooFewMessage: "must list at least one goods" }
)

/** @internal */
export const shoppingInfo: Fields.ObjectRule<ShoppingInfo> = Fields.object<ShoppingInfo>({
  goods: required(goodsList)
})

/** Merchant: assess a user's risk level (at least one of `authorization_code` / `openid`). @internal */
export interface AssessUserRiskLevelParams {
  readonly service_id: string
  readonly appid: string
  readonly authorization_code?: string | undefined
  readonly openid?: string | undefined
  readonly shopping_info?: ShoppingInfo | undefined
}

const codeOrOpenid = (p: {
  readonly authorization_code?: string | undefined
  readonly openid?: string | undefined
}): Fields.ObjectProblem | undefined =>
  p.authorization_code === undefined && p.openid === undefined
    ? { path: ["authorization_code"], message: "or openid is required (at least one of them)" }
    : undefined

/** @internal */
export const assessUserRiskLevel: Endpoint<AssessUserRiskLevelParams, "assessUserRiskLevel"> = {
  name: "assessUserRiskLevel",
  service: "PayScorePermissions",
  method: "POST",
  path: "/v3/payscore/permissions/assess-user-risk-level",
  query: [],
  params: Fields.object<AssessUserRiskLevelParams>({
    service_id: required(serviceId),
    appid: required(appid),
    authorization_code: optional(authorizationCode),
    openid: optional(openid),
    shopping_info: optional(shoppingInfo)
  }, [codeOrOpenid]),
  answer: "json",
  idempotent: false,
  idempotenceNote: "a POST (a query in effect, but documented as a POST: not retried after an uncertain failure)",
  errors: QUERY_ERRORS,
  summary: "merchant: assess a user's risk level (评估用户分层)"
}

/**
 * Partner: assess a sub-merchant's user's risk level. `sub_mchid` goes in the QUERY string (OA
 * `docs/v3/payscore/partner/permissions/assess-user-risk-level.yaml` and IM: `query.sub_mchid`;
 * SKIT never sends it, a SKIT bug). The body is the merchant one with `sub_appid` and `sub_openid`.
 * The official page (/doc/v3/partner/4012783585) was not in the stored copies: no rule between
 * `authorization_code`, `openid` and `sub_openid` is enforced (OA makes each optional).
 *
 * @internal
 */
export interface AssessPartnerUserRiskLevelParams {
  readonly sub_mchid: string
  readonly service_id: string
  readonly appid: string
  readonly sub_appid?: string | undefined
  readonly authorization_code?: string | undefined
  readonly openid?: string | undefined
  readonly sub_openid?: string | undefined
  readonly shopping_info?: ShoppingInfo | undefined
}

/** @internal */
export const assessPartnerUserRiskLevel: Endpoint<AssessPartnerUserRiskLevelParams, "assessPartnerUserRiskLevel"> = {
  name: "assessPartnerUserRiskLevel",
  service: "PayScorePermissions",
  method: "POST",
  path: "/v3/payscore/partner/permissions/assess-user-risk-level",
  query: ["sub_mchid"],
  params: Fields.object<AssessPartnerUserRiskLevelParams>({
    sub_mchid: required(subMchid),
    service_id: required(serviceId),
    appid: required(appid),
    sub_appid: optional(subAppid),
    authorization_code: optional(authorizationCode),
    openid: optional(openid),
    sub_openid: optional(subOpenid),
    shopping_info: optional(shoppingInfo)
  }),
  answer: "json",
  idempotent: false,
  idempotenceNote: "a POST (a query in effect, but documented as a POST: not retried after an uncertain failure)",
  errors: QUERY_ERRORS,
  summary: "partner: assess a sub-merchant's user's risk level (评估用户分层)"
}

// ---------------------------------------------------------------------------------------------
// Terminate (解除授权)
// ---------------------------------------------------------------------------------------------

/** @internal */
export interface TerminateByAuthorizationCodeParams {
  readonly authorization_code: string
  readonly service_id: string
  readonly reason: string
}

/** @internal */
export const terminateByAuthorizationCode: Endpoint<
  TerminateByAuthorizationCodeParams,
  "terminateByAuthorizationCode"
> = {
  name: "terminateByAuthorizationCode",
  service: "PayScorePermissions",
  method: "POST",
  path: "/v3/payscore/permissions/authorization-code/{authorization_code}/terminate",
  query: [],
  params: Fields.object<TerminateByAuthorizationCodeParams>({
    authorization_code: required(authorizationCode),
    service_id: required(serviceId),
    reason: required(reason)
  }),
  answer: "empty",
  idempotent: false,
  idempotenceNote: TERMINATE_NOTE,
  errors: QUERY_ERRORS,
  summary: "merchant: end a user's authorization, by authorization_code"
}

/** @internal */
export interface TerminatePartnerByAuthorizationCodeParams {
  readonly authorization_code: string
  readonly service_id: string
  readonly sub_mchid: string
  readonly reason: string
}

/** @internal */
export const terminatePartnerByAuthorizationCode: Endpoint<
  TerminatePartnerByAuthorizationCodeParams,
  "terminatePartnerByAuthorizationCode"
> = {
  name: "terminatePartnerByAuthorizationCode",
  service: "PayScorePermissions",
  method: "POST",
  path: "/v3/payscore/partner/permissions/authorization-code/{authorization_code}/terminate",
  query: [],
  params: Fields.object<TerminatePartnerByAuthorizationCodeParams>({
    authorization_code: required(authorizationCode),
    service_id: required(serviceId),
    sub_mchid: required(subMchid),
    reason: required(reason)
  }),
  answer: "empty",
  idempotent: false,
  idempotenceNote: TERMINATE_NOTE,
  errors: QUERY_ERRORS,
  summary: "partner: end a sub-merchant's user's authorization, by authorization_code"
}

/** @internal */
export interface TerminateAcquiringBankByAuthorizationCodeParams {
  readonly authorization_code: string
  readonly service_id: string
  readonly channel_id?: string | undefined
  readonly sub_mchid: string
  readonly reason: string
}

/** @internal */
export const terminateAcquiringBankByAuthorizationCode: Endpoint<
  TerminateAcquiringBankByAuthorizationCodeParams,
  "terminateAcquiringBankByAuthorizationCode"
> = {
  name: "terminateAcquiringBankByAuthorizationCode",
  service: "PayScorePermissions",
  method: "POST",
  path: "/v3/payscore/acquiringbank/permissions/authorization-code/{authorization_code}/terminate",
  query: [],
  params: Fields.object<TerminateAcquiringBankByAuthorizationCodeParams>({
    authorization_code: required(authorizationCode),
    service_id: required(serviceId),
    channel_id: optional(channelId),
    sub_mchid: required(subMchid),
    reason: required(reason)
  }),
  answer: "empty",
  idempotent: false,
  idempotenceNote: TERMINATE_NOTE,
  errors: QUERY_ERRORS,
  summary: "acquiring bank: end a sub-merchant's user's authorization, by authorization_code"
}

/** @internal */
export interface TerminateByOpenidParams {
  readonly openid: string
  readonly service_id: string
  readonly appid: string
  readonly reason: string
}

/** @internal */
export const terminateByOpenid: Endpoint<TerminateByOpenidParams, "terminateByOpenid"> = {
  name: "terminateByOpenid",
  service: "PayScorePermissions",
  method: "POST",
  path: "/v3/payscore/permissions/openid/{openid}/terminate",
  query: [],
  params: Fields.object<TerminateByOpenidParams>({
    openid: required(openidSegment),
    service_id: required(serviceId),
    appid: required(appid),
    reason: required(reason)
  }),
  answer: "empty",
  idempotent: false,
  idempotenceNote: TERMINATE_NOTE,
  errors: QUERY_ERRORS,
  summary: "merchant: end a user's authorization, by openid"
}

/** @internal */
export interface TerminatePartnerByOpenidParams {
  readonly service_id: string
  readonly appid: string
  readonly sub_mchid: string
  readonly reason: string
  readonly sub_appid?: string | undefined
  readonly openid?: string | undefined
  readonly sub_openid?: string | undefined
}

/** @internal */
export const terminatePartnerByOpenid: Endpoint<TerminatePartnerByOpenidParams, "terminatePartnerByOpenid"> = {
  name: "terminatePartnerByOpenid",
  service: "PayScorePermissions",
  method: "POST",
  path: "/v3/payscore/partner/permissions/terminate",
  query: [],
  params: Fields.object<TerminatePartnerByOpenidParams>({
    service_id: required(serviceId),
    appid: required(appid),
    sub_mchid: required(subMchid),
    reason: required(reason),
    sub_appid: optional(subAppid),
    openid: optional(openid),
    sub_openid: optional(subOpenid)
  }, [oneOpenid]),
  answer: "empty",
  idempotent: false,
  idempotenceNote: TERMINATE_NOTE,
  errors: QUERY_ERRORS,
  summary: "partner: end a sub-merchant's user's authorization, by openid or sub_openid"
}

/** Every permission endpoint, in the order of the service's methods. @internal */
export const all = [
  queryByAuthorizationCode,
  queryPartnerByAuthorizationCode,
  queryAcquiringBankByAuthorizationCode,
  queryByOpenid,
  queryPartnerByOpenid,
  applyPermissions,
  applyPartnerPermissions,
  applyAcquiringBankPermissions,
  applyPartnerPermissionsForScene,
  assessUserRiskLevel,
  assessPartnerUserRiskLevel,
  terminateByAuthorizationCode,
  terminatePartnerByAuthorizationCode,
  terminateAcquiringBankByAuthorizationCode,
  terminateByOpenid,
  terminatePartnerByOpenid
] as const
