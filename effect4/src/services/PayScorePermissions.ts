/**
 * The Pay Score (微信支付分) service-authorization endpoints: inputs are validated before anything
 * is sent, answers are verified and decoded into each endpoint's tagged success union, and each
 * method fails with exactly that endpoint's error union.
 *
 * @since 0.2.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import * as Endpoints from "../../../src/core/endpoints/permissions.js"
import type { ClientError, DecodeError } from "../errors/WechatPayError.js"
import { InvalidInput } from "../errors/WechatPayError.js"
import * as Execute from "../internal/execute.js"
import {
  AcquiringBankAuthorizationRecord,
  AuthorizationRecord,
  OpenidAuthorizationRecord,
  PartnerAuthorizationRecord,
  PartnerSearchAuthorizationRecord,
  QueryAcquiringBankByAuthorizationCodeParams,
  QueryByAuthorizationCodeParams,
  QueryByOpenidParams,
  QueryPartnerByAuthorizationCodeParams
} from "../schemas/AuthorizationRecord.js"
import {
  ApplyAcquiringBankPermissionsParams,
  ApplyPartnerPermissionsParams,
  ApplyPermissionsParams,
  ApplyPermissionsResult,
  QueryPartnerByOpenidParams,
  TerminateAcquiringBankByAuthorizationCodeParams,
  TerminateByAuthorizationCodeParams,
  TerminateByOpenidParams,
  TerminatePartnerByAuthorizationCodeParams,
  TerminatePartnerByOpenidParams
} from "../schemas/PermissionRequests.js"
import { ApplyForSceneResult, ApplyPartnerPermissionsForSceneParams } from "../schemas/SceneRequests.js"
import {
  type AssessPartnerUserRiskLevelParams,
  AssessUserRiskLevelParams,
  UserRiskLevelRecord
} from "../schemas/UserRiskLevel.js"
import { WechatPayClient } from "./WechatPayClient.js"

/**
 * What any query of this family can fail with.
 *
 * @since 0.2.0
 * @category errors
 */
export type QueryError = ClientError

/** @since 0.2.0 @category errors */
export type QueryByAuthorizationCodeError = QueryError
/** @since 0.2.0 @category errors */
export type QueryPartnerByAuthorizationCodeError = QueryError
/** @since 0.2.0 @category errors */
export type QueryAcquiringBankByAuthorizationCodeError = QueryError
/** @since 0.2.0 @category errors */
export type QueryByOpenidError = QueryError
/** @since 0.2.0 @category errors */
export type QueryPartnerByOpenidError = QueryError

/**
 * What an apply (预授权) call can fail with: the answer is decoded, so `DecodeError` is possible.
 * A POST is not retried after a timeout, a reset, a 5xx or a 429 (WeChat Pay may have acted on
 * it): those fail at once; only a refused connection is retried.
 *
 * @since 0.2.0
 * @category errors
 */
export type ApplyError = QueryError

/** @since 0.2.0 @category errors */
export type ApplyPermissionsError = ApplyError
/** @since 0.2.0 @category errors */
export type ApplyPartnerPermissionsError = ApplyError
/** @since 0.2.0 @category errors */
export type ApplyAcquiringBankPermissionsError = ApplyError
/** Partner pre-authorization in a scene: a POST whose answer is decoded, so the apply errors. @since 0.2.0 @category errors */
export type ApplyPartnerPermissionsForSceneError = ApplyError

/**
 * What 评估用户分层 can fail with: a POST whose answer is decoded (`DecodeError` possible), not
 * retried after a timeout, a reset, a 5xx or a 429; `NotFound` when there is no such authorization.
 *
 * @since 0.2.0
 * @category errors
 */
export type AssessUserRiskLevelError = ClientError

/**
 * What the partner's 评估用户分层 can fail with: as `assessUserRiskLevel` (a POST whose answer is
 * decoded, not retried after a timeout, a reset, a 5xx or a 429).
 *
 * @since 0.2.0
 * @category errors
 */
export type AssessPartnerUserRiskLevelError = ClientError

/**
 * What a terminate (解除授权) call can fail with: any verified 2xx is a success (WeChat Pay answers
 * 204), so never `DecodeError`. Not retried after a timeout, a reset, a 5xx or a 429.
 *
 * @since 0.2.0
 * @category errors
 */
export type TerminateError = Exclude<ClientError, DecodeError>

/** @since 0.2.0 @category errors */
export type TerminateByAuthorizationCodeError = TerminateError
/** @since 0.2.0 @category errors */
export type TerminatePartnerByAuthorizationCodeError = TerminateError
/** @since 0.2.0 @category errors */
export type TerminateAcquiringBankByAuthorizationCodeError = TerminateError
/** @since 0.2.0 @category errors */
export type TerminateByOpenidError = TerminateError
/** @since 0.2.0 @category errors */
export type TerminatePartnerByOpenidError = TerminateError

/**
 * @since 0.2.0
 * @category models
 */
export declare namespace PayScorePermissions {
  /**
   * @since 0.2.0
   * @category models
   */
  export interface Service {
    /** Merchant: `GET /v3/payscore/permissions/authorization-code/{authorization_code}?service_id=…` */
    readonly queryByAuthorizationCode: (
      params: QueryByAuthorizationCodeParams
    ) => Effect.Effect<AuthorizationRecord, QueryByAuthorizationCodeError>
    /** Partner (服务商): `GET /v3/payscore/partner/permissions/authorization-code/{authorization_code}?service_id=…&sub_mchid=…` */
    readonly queryPartnerByAuthorizationCode: (
      params: QueryPartnerByAuthorizationCodeParams
    ) => Effect.Effect<PartnerAuthorizationRecord, QueryPartnerByAuthorizationCodeError>
    /** Acquiring bank (从业机构): `GET /v3/payscore/acquiringbank/permissions/authorization-code/{authorization_code}?service_id=…&channel_id=…&sub_mchid=…` */
    readonly queryAcquiringBankByAuthorizationCode: (
      params: QueryAcquiringBankByAuthorizationCodeParams
    ) => Effect.Effect<AcquiringBankAuthorizationRecord, QueryAcquiringBankByAuthorizationCodeError>
    /** Merchant: `GET /v3/payscore/permissions/openid/{openid}?service_id=…&appid=…` */
    readonly queryByOpenid: (
      params: QueryByOpenidParams
    ) => Effect.Effect<OpenidAuthorizationRecord, QueryByOpenidError>
    /** Partner: `GET /v3/payscore/partner/permissions/search?service_id=…&appid=…&sub_mchid=…[&sub_appid=…]&openid=…|sub_openid=…` */
    readonly queryPartnerByOpenid: (
      params: QueryPartnerByOpenidParams
    ) => Effect.Effect<PartnerSearchAuthorizationRecord, QueryPartnerByOpenidError>
    /** Merchant: `POST /v3/payscore/permissions` `{service_id, appid, authorization_code, notify_url?}` */
    readonly applyPermissions: (
      params: ApplyPermissionsParams
    ) => Effect.Effect<ApplyPermissionsResult, ApplyPermissionsError>
    /** Partner: `POST /v3/payscore/partner/permissions` `{service_id, appid, sub_appid?, sub_mchid, authorization_code, notify_url?}` */
    readonly applyPartnerPermissions: (
      params: ApplyPartnerPermissionsParams
    ) => Effect.Effect<ApplyPermissionsResult, ApplyPartnerPermissionsError>
    /** Acquiring bank: `POST /v3/payscore/acquiringbank/permissions` `{service_id, channel_id, appid, sub_appid?, sub_mchid, authorization_code, notify_url?}` */
    readonly applyAcquiringBankPermissions: (
      params: ApplyAcquiringBankPermissionsParams
    ) => Effect.Effect<ApplyPermissionsResult, ApplyAcquiringBankPermissionsError>
    /**
     * Partner: `POST /v3/payscore/partner/permissions/apply-for-scene`
     * `{service_id, appid, sub_appid?, sub_mchid, authorization_code, notify_url?, scene, transaction_scene_info?}`
     * (`transaction_scene_info` required with `scene: "TRANSACTION"`) → `Transaction` | `UnknownScene`.
     * Creates the pre-authorization (`UNBINDUSER`) of `authorization_code`, like `applyPartnerPermissions`.
     */
    readonly applyPartnerPermissionsForScene: (
      params: ApplyPartnerPermissionsForSceneParams
    ) => Effect.Effect<ApplyForSceneResult, ApplyPartnerPermissionsForSceneError>
    /**
     * Merchant: `POST /v3/payscore/permissions/assess-user-risk-level`
     * `{service_id, appid, authorization_code?, openid?, shopping_info?}` (at least one of
     * `authorization_code` / `openid`) → the record with `user_risk_level`, tagged on `authorization_state`.
     */
    readonly assessUserRiskLevel: (
      params: AssessUserRiskLevelParams
    ) => Effect.Effect<UserRiskLevelRecord, AssessUserRiskLevelError>
    /**
     * Partner: `POST /v3/payscore/partner/permissions/assess-user-risk-level?sub_mchid=…`
     * `{service_id, appid, sub_appid?, authorization_code?, openid?, sub_openid?, shopping_info?}`
     * (`sub_mchid` in the query string) → the record with `user_risk_level`, tagged on
     * `authorization_state`.
     */
    readonly assessPartnerUserRiskLevel: (
      params: AssessPartnerUserRiskLevelParams
    ) => Effect.Effect<UserRiskLevelRecord, AssessPartnerUserRiskLevelError>
    /** Merchant: `POST /v3/payscore/permissions/authorization-code/{authorization_code}/terminate` `{service_id, reason}` → 204 */
    readonly terminateByAuthorizationCode: (
      params: TerminateByAuthorizationCodeParams
    ) => Effect.Effect<void, TerminateByAuthorizationCodeError>
    /** Partner: `POST /v3/payscore/partner/permissions/authorization-code/{authorization_code}/terminate` `{service_id, sub_mchid, reason}` → 204 */
    readonly terminatePartnerByAuthorizationCode: (
      params: TerminatePartnerByAuthorizationCodeParams
    ) => Effect.Effect<void, TerminatePartnerByAuthorizationCodeError>
    /** Acquiring bank: `POST /v3/payscore/acquiringbank/permissions/authorization-code/{authorization_code}/terminate` `{service_id, channel_id?, sub_mchid, reason}` → 204 */
    readonly terminateAcquiringBankByAuthorizationCode: (
      params: TerminateAcquiringBankByAuthorizationCodeParams
    ) => Effect.Effect<void, TerminateAcquiringBankByAuthorizationCodeError>
    /** Merchant: `POST /v3/payscore/permissions/openid/{openid}/terminate` `{service_id, appid, reason}` → 204 */
    readonly terminateByOpenid: (
      params: TerminateByOpenidParams
    ) => Effect.Effect<void, TerminateByOpenidError>
    /** Partner: `POST /v3/payscore/partner/permissions/terminate` `{service_id, appid, sub_mchid, reason, sub_appid?, openid | sub_openid}` → 204 */
    readonly terminatePartnerByOpenid: (
      params: TerminatePartnerByOpenidParams
    ) => Effect.Effect<void, TerminatePartnerByOpenidError>
  }
}

/**
 * @since 0.2.0
 * @category tags
 */
export class PayScorePermissions extends Context.Service<PayScorePermissions, PayScorePermissions.Service>()(
  "effect-wechatpay/PayScorePermissions"
) {
  /** The service over the `WechatPayClient` in context (see `layer`). @since 0.2.0 */
  static get layer(): Layer.Layer<PayScorePermissions, never, WechatPayClient> {
    return layer
  }
}

/**
 * Validates parameters with their Schema: the first problem becomes `InvalidInput` naming the field.
 *
 * @since 0.2.0
 * @category validation
 */
export const validate = <A, I>(
  schema: Schema.Codec<A, I>
): (input: unknown) => Effect.Effect<A, InvalidInput> => {
  const decode = Schema.decodeUnknownResult(schema, { errors: "first", onExcessProperty: "ignore" })
  return (input) => {
    const result = decode(input)
    if (Result.isSuccess(result)) return Effect.succeed(result.success)
    const issue = standard(result.failure.issue).issues[0]
    const path = issue?.path?.map((p) => String(typeof p === "object" && p !== null ? p.key : p)) ?? []
    const field = issue === undefined || path.length === 0 ? "params" : path.join(".")
    const missing = result.failure.issue._tag === "MissingKey" || issue?.message === "Missing key"
    const message = issue === undefined
      ? "invalid parameters"
      : missing
      ? `${field} is required`
      : path.length === 0
      ? issue.message
      : `${field} ${issue.message}`
    return Effect.fail(new InvalidInput({ field, message }))
  }
}

const standard = SchemaIssue.makeFormatterStandardSchemaV1()

/**
 * @since 0.2.0
 * @category constructors
 */
export const make: Effect.Effect<PayScorePermissions.Service, never, WechatPayClient> = Effect.map(
  Effect.service(WechatPayClient),
  (client) => {
    const call = Execute.executor(client)
    return PayScorePermissions.of({
      queryByAuthorizationCode: call(Endpoints.queryByAuthorizationCode, AuthorizationRecord),
      queryPartnerByAuthorizationCode: call(Endpoints.queryPartnerByAuthorizationCode, PartnerAuthorizationRecord),
      queryAcquiringBankByAuthorizationCode: call(
        Endpoints.queryAcquiringBankByAuthorizationCode,
        AcquiringBankAuthorizationRecord
      ),
      queryByOpenid: call(Endpoints.queryByOpenid, OpenidAuthorizationRecord),
      queryPartnerByOpenid: call(Endpoints.queryPartnerByOpenid, PartnerSearchAuthorizationRecord),
      applyPermissions: call(Endpoints.applyPermissions, ApplyPermissionsResult),
      applyPartnerPermissions: call(Endpoints.applyPartnerPermissions, ApplyPermissionsResult),
      applyAcquiringBankPermissions: call(Endpoints.applyAcquiringBankPermissions, ApplyPermissionsResult),
      applyPartnerPermissionsForScene: call(Endpoints.applyPartnerPermissionsForScene, ApplyForSceneResult),
      assessUserRiskLevel: call(Endpoints.assessUserRiskLevel, UserRiskLevelRecord),
      assessPartnerUserRiskLevel: call(Endpoints.assessPartnerUserRiskLevel, UserRiskLevelRecord),
      terminateByAuthorizationCode: Execute.noContent(client, Endpoints.terminateByAuthorizationCode),
      terminatePartnerByAuthorizationCode: Execute.noContent(client, Endpoints.terminatePartnerByAuthorizationCode),
      terminateAcquiringBankByAuthorizationCode: Execute.noContent(
        client,
        Endpoints.terminateAcquiringBankByAuthorizationCode
      ),
      terminateByOpenid: Execute.noContent(client, Endpoints.terminateByOpenid),
      terminatePartnerByOpenid: Execute.noContent(client, Endpoints.terminatePartnerByOpenid)
    })
  }
)

/**
 * @since 0.2.0
 * @category layers
 */
export const layer: Layer.Layer<PayScorePermissions, never, WechatPayClient> = Layer.effect(PayScorePermissions, make)
