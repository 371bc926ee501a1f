/**
 * The Pay Score (微信支付分) service-authorization endpoints: inputs are validated before anything
 * is sent, answers are verified and decoded into each endpoint's tagged success union, and each
 * method fails with exactly that endpoint's error union.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type { ClientError, DecodeError } from "../errors/WechatPayError.js"
import { InvalidInput } from "../errors/WechatPayError.js"
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
import { AssessUserRiskLevelParams, UserRiskLevelRecord } from "../schemas/UserRiskLevel.js"
import { WechatPayClient } from "./WechatPayClient.js"

/**
 * What any query of this family can fail with.
 *
 * @since 0.1.0
 * @category errors
 */
export type QueryError = ClientError

/** @since 0.1.0 @category errors */
export type QueryByAuthorizationCodeError = QueryError
/** @since 0.1.0 @category errors */
export type QueryPartnerByAuthorizationCodeError = QueryError
/** @since 0.1.0 @category errors */
export type QueryAcquiringBankByAuthorizationCodeError = QueryError
/** @since 0.1.0 @category errors */
export type QueryByOpenidError = QueryError
/** @since 0.1.0 @category errors */
export type QueryPartnerByOpenidError = QueryError

/**
 * What an apply (预授权) call can fail with: the answer is decoded, so `DecodeError` is possible.
 * A POST is not retried after a timeout, a reset, a 5xx or a 429 (WeChat Pay may have acted on
 * it): those fail at once; only a refused connection is retried.
 *
 * @since 0.1.0
 * @category errors
 */
export type ApplyError = QueryError

/** @since 0.1.0 @category errors */
export type ApplyPermissionsError = ApplyError
/** @since 0.1.0 @category errors */
export type ApplyPartnerPermissionsError = ApplyError
/** @since 0.1.0 @category errors */
export type ApplyAcquiringBankPermissionsError = ApplyError
/** Partner pre-authorization in a scene: a POST whose answer is decoded, so the apply errors. @since 0.1.0 @category errors */
export type ApplyPartnerPermissionsForSceneError = ApplyError

/**
 * What 评估用户分层 can fail with: a POST whose answer is decoded (`DecodeError` possible), not
 * retried after a timeout, a reset, a 5xx or a 429; `NotFound` when there is no such authorization.
 *
 * @since 0.1.0
 * @category errors
 */
export type AssessUserRiskLevelError = ClientError

/**
 * What a terminate (解除授权) call can fail with: any verified 2xx is a success (WeChat Pay answers
 * 204), so never `DecodeError`. Not retried after a timeout, a reset, a 5xx or a 429.
 *
 * @since 0.1.0
 * @category errors
 */
export type TerminateError = Exclude<ClientError, DecodeError>

/** @since 0.1.0 @category errors */
export type TerminateByAuthorizationCodeError = TerminateError
/** @since 0.1.0 @category errors */
export type TerminatePartnerByAuthorizationCodeError = TerminateError
/** @since 0.1.0 @category errors */
export type TerminateAcquiringBankByAuthorizationCodeError = TerminateError
/** @since 0.1.0 @category errors */
export type TerminateByOpenidError = TerminateError
/** @since 0.1.0 @category errors */
export type TerminatePartnerByOpenidError = TerminateError

/**
 * @since 0.1.0
 * @category models
 */
export declare namespace PayScorePermissions {
  /**
   * @since 0.1.0
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
 * @since 0.1.0
 * @category tags
 */
export class PayScorePermissions extends Context.Tag("effect-wechatpay/PayScorePermissions")<
  PayScorePermissions,
  PayScorePermissions.Service
>() {}

/**
 * Validates parameters with their Schema: the first problem becomes `InvalidInput` naming the field.
 *
 * @since 0.1.0
 * @category validation
 */
export const validate = <A, I>(
  schema: Schema.Schema<A, I, never>
): (input: unknown) => Effect.Effect<A, InvalidInput> => {
  const check = checkWith(schema)
  return (input) => {
    const result = check(input)
    return Either.isRight(result) ? Effect.succeed(result.right) : Effect.fail(result.left)
  }
}

/** `validate`, as an `Either`: what the methods use (no effect to run before the call). */
const checkWith = <A, I>(schema: Schema.Schema<A, I, never>) => {
  const decode = Schema.decodeUnknownEither(schema, { errors: "first", onExcessProperty: "ignore" })
  return (input: unknown): Either.Either<A, InvalidInput> => {
    const result = decode(input)
    if (Either.isRight(result)) return Either.right(result.right)
    const issue = ParseResult.ArrayFormatter.formatErrorSync(result.left)[0]
    const field = issue === undefined || issue.path.length === 0 ? "params" : issue.path.map(String).join(".")
    const message = issue === undefined
      ? "invalid parameters"
      : issue._tag === "Missing"
      ? `${field} is required`
      : `${field} ${issue.message}`
    return Either.left(new InvalidInput({ field, message }))
  }
}

/**
 * One method: the parameters are checked when the effect runs, then `call` sends the request
 * under the method's name. The client's span of the call carries that name
 * (`PayScorePermissions.<method>`), so each call is one span; a call refused before sending
 * (`InvalidInput`) gets a span of that name too, with the failure.
 */
const endpoint = <P, I, A, E>(
  operation: string,
  params: Schema.Schema<P, I, never>,
  call: (p: P, operation: string) => Effect.Effect<A, E>
): (input: P) => Effect.Effect<A, E | InvalidInput> => {
  const check = checkWith(params)
  return (input) =>
    Effect.suspend((): Effect.Effect<A, E | InvalidInput> => {
      const p = check(input)
      return Either.isRight(p)
        ? call(p.right, operation)
        : Effect.withSpan(Effect.fail(p.left), operation, { kind: "client", captureStackTrace: false })
    })
}

/**
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<PayScorePermissions.Service, never, WechatPayClient> = Effect.gen(function*() {
  const client = yield* WechatPayClient

  const queryByAuthorizationCode = endpoint(
    "PayScorePermissions.queryByAuthorizationCode",
    QueryByAuthorizationCodeParams,
    (p, operation) =>
      client.request({
        method: "GET",
        path: "/v3/payscore/permissions/authorization-code/{authorization_code}",
        pathParams: { authorization_code: p.authorization_code },
        query: { service_id: p.service_id },
        schema: AuthorizationRecord,
        operation
      })
  )

  const queryPartnerByAuthorizationCode = endpoint(
    "PayScorePermissions.queryPartnerByAuthorizationCode",
    QueryPartnerByAuthorizationCodeParams,
    (p, operation) =>
      client.request({
        method: "GET",
        path: "/v3/payscore/partner/permissions/authorization-code/{authorization_code}",
        pathParams: { authorization_code: p.authorization_code },
        query: { service_id: p.service_id, sub_mchid: p.sub_mchid },
        schema: PartnerAuthorizationRecord,
        operation
      })
  )

  const queryAcquiringBankByAuthorizationCode = endpoint(
    "PayScorePermissions.queryAcquiringBankByAuthorizationCode",
    QueryAcquiringBankByAuthorizationCodeParams,
    (p, operation) =>
      client.request({
        method: "GET",
        path: "/v3/payscore/acquiringbank/permissions/authorization-code/{authorization_code}",
        pathParams: { authorization_code: p.authorization_code },
        query: { service_id: p.service_id, channel_id: p.channel_id, sub_mchid: p.sub_mchid },
        schema: AcquiringBankAuthorizationRecord,
        operation
      })
  )

  const queryByOpenid = endpoint(
    "PayScorePermissions.queryByOpenid",
    QueryByOpenidParams,
    (p, operation) =>
      client.request({
        method: "GET",
        path: "/v3/payscore/permissions/openid/{openid}",
        pathParams: { openid: p.openid },
        query: { service_id: p.service_id, appid: p.appid },
        schema: OpenidAuthorizationRecord,
        operation
      })
  )

  const queryPartnerByOpenid = endpoint(
    "PayScorePermissions.queryPartnerByOpenid",
    QueryPartnerByOpenidParams,
    (p, operation) =>
      client.request({
        method: "GET",
        path: "/v3/payscore/partner/permissions/search",
        query: {
          service_id: p.service_id,
          appid: p.appid,
          sub_mchid: p.sub_mchid,
          sub_appid: p.sub_appid,
          openid: p.openid,
          sub_openid: p.sub_openid
        },
        schema: PartnerSearchAuthorizationRecord,
        operation
      })
  )

  // Bodies list the wire fields in the documented order; `undefined` (absent optional) fields are
  // left out by JSON.stringify. The client serialises once and signs exactly what it sends.

  const applyPermissions = endpoint(
    "PayScorePermissions.applyPermissions",
    ApplyPermissionsParams,
    (p, operation) =>
      client.request({
        method: "POST",
        path: "/v3/payscore/permissions",
        body: {
          service_id: p.service_id,
          appid: p.appid,
          authorization_code: p.authorization_code,
          notify_url: p.notify_url
        },
        schema: ApplyPermissionsResult,
        operation
      })
  )

  const applyPartnerPermissions = endpoint(
    "PayScorePermissions.applyPartnerPermissions",
    ApplyPartnerPermissionsParams,
    (p, operation) =>
      client.request({
        method: "POST",
        path: "/v3/payscore/partner/permissions",
        body: {
          service_id: p.service_id,
          appid: p.appid,
          sub_appid: p.sub_appid,
          sub_mchid: p.sub_mchid,
          authorization_code: p.authorization_code,
          notify_url: p.notify_url
        },
        schema: ApplyPermissionsResult,
        operation
      })
  )

  const applyAcquiringBankPermissions = endpoint(
    "PayScorePermissions.applyAcquiringBankPermissions",
    ApplyAcquiringBankPermissionsParams,
    (p, operation) =>
      client.request({
        method: "POST",
        path: "/v3/payscore/acquiringbank/permissions",
        body: {
          service_id: p.service_id,
          channel_id: p.channel_id,
          appid: p.appid,
          sub_appid: p.sub_appid,
          sub_mchid: p.sub_mchid,
          authorization_code: p.authorization_code,
          notify_url: p.notify_url
        },
        schema: ApplyPermissionsResult,
        operation
      })
  )

  const applyPartnerPermissionsForScene = endpoint(
    "PayScorePermissions.applyPartnerPermissionsForScene",
    ApplyPartnerPermissionsForSceneParams,
    (p, operation) =>
      client.request({
        method: "POST",
        path: "/v3/payscore/partner/permissions/apply-for-scene",
        body: {
          service_id: p.service_id,
          appid: p.appid,
          sub_appid: p.sub_appid,
          sub_mchid: p.sub_mchid,
          authorization_code: p.authorization_code,
          notify_url: p.notify_url,
          scene: p.scene,
          transaction_scene_info: p.transaction_scene_info === undefined ? undefined : {
            mchid: p.transaction_scene_info.mchid,
            sub_mchid: p.transaction_scene_info.sub_mchid
          }
        },
        schema: ApplyForSceneResult,
        operation
      })
  )

  const assessUserRiskLevel = endpoint(
    "PayScorePermissions.assessUserRiskLevel",
    AssessUserRiskLevelParams,
    (p, operation) =>
      client.request({
        method: "POST",
        path: "/v3/payscore/permissions/assess-user-risk-level",
        body: {
          service_id: p.service_id,
          appid: p.appid,
          authorization_code: p.authorization_code,
          openid: p.openid,
          shopping_info: p.shopping_info === undefined ? undefined : {
            goods: p.shopping_info.goods.map((goods) => ({
              name: goods.name,
              picture: goods.picture,
              amount: goods.amount,
              count: goods.count,
              category_id: goods.category_id
            }))
          }
        },
        schema: UserRiskLevelRecord,
        operation
      })
  )

  const terminateByAuthorizationCode = endpoint(
    "PayScorePermissions.terminateByAuthorizationCode",
    TerminateByAuthorizationCodeParams,
    (p, operation) =>
      client.requestVoid({
        method: "POST",
        path: "/v3/payscore/permissions/authorization-code/{authorization_code}/terminate",
        pathParams: { authorization_code: p.authorization_code },
        body: { service_id: p.service_id, reason: p.reason },
        operation
      })
  )

  const terminatePartnerByAuthorizationCode = endpoint(
    "PayScorePermissions.terminatePartnerByAuthorizationCode",
    TerminatePartnerByAuthorizationCodeParams,
    (p, operation) =>
      client.requestVoid({
        method: "POST",
        path: "/v3/payscore/partner/permissions/authorization-code/{authorization_code}/terminate",
        pathParams: { authorization_code: p.authorization_code },
        body: { service_id: p.service_id, sub_mchid: p.sub_mchid, reason: p.reason },
        operation
      })
  )

  const terminateAcquiringBankByAuthorizationCode = endpoint(
    "PayScorePermissions.terminateAcquiringBankByAuthorizationCode",
    TerminateAcquiringBankByAuthorizationCodeParams,
    (p, operation) =>
      client.requestVoid({
        method: "POST",
        path: "/v3/payscore/acquiringbank/permissions/authorization-code/{authorization_code}/terminate",
        pathParams: { authorization_code: p.authorization_code },
        body: { service_id: p.service_id, channel_id: p.channel_id, sub_mchid: p.sub_mchid, reason: p.reason },
        operation
      })
  )

  const terminateByOpenid = endpoint(
    "PayScorePermissions.terminateByOpenid",
    TerminateByOpenidParams,
    (p, operation) =>
      client.requestVoid({
        method: "POST",
        path: "/v3/payscore/permissions/openid/{openid}/terminate",
        pathParams: { openid: p.openid },
        body: { service_id: p.service_id, appid: p.appid, reason: p.reason },
        operation
      })
  )

  const terminatePartnerByOpenid = endpoint(
    "PayScorePermissions.terminatePartnerByOpenid",
    TerminatePartnerByOpenidParams,
    (p, operation) =>
      client.requestVoid({
        method: "POST",
        path: "/v3/payscore/partner/permissions/terminate",
        body: {
          service_id: p.service_id,
          appid: p.appid,
          sub_mchid: p.sub_mchid,
          reason: p.reason,
          sub_appid: p.sub_appid,
          openid: p.openid,
          sub_openid: p.sub_openid
        },
        operation
      })
  )

  return PayScorePermissions.of({
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
    terminateByAuthorizationCode,
    terminatePartnerByAuthorizationCode,
    terminateAcquiringBankByAuthorizationCode,
    terminateByOpenid,
    terminatePartnerByOpenid
  })
})

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<PayScorePermissions, never, WechatPayClient> = Layer.effect(PayScorePermissions, make)
