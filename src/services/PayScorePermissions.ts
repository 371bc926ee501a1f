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
export const validate = <A, I>(schema: Schema.Schema<A, I, never>) => {
  const decode = Schema.decodeUnknownEither(schema, { errors: "first", onExcessProperty: "ignore" })
  return (input: unknown): Effect.Effect<A, InvalidInput> => {
    const result = decode(input)
    if (Either.isRight(result)) return Effect.succeed(result.right)
    const issue = ParseResult.ArrayFormatter.formatErrorSync(result.left)[0]
    const field = issue === undefined || issue.path.length === 0 ? "params" : issue.path.map(String).join(".")
    const message = issue === undefined
      ? "invalid parameters"
      : issue._tag === "Missing"
      ? `${field} is required`
      : `${field} ${issue.message}`
    return Effect.fail(new InvalidInput({ field, message }))
  }
}

/**
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<PayScorePermissions.Service, never, WechatPayClient> = Effect.gen(function*() {
  const client = yield* WechatPayClient

  const validateByCode = validate(QueryByAuthorizationCodeParams)
  const validatePartner = validate(QueryPartnerByAuthorizationCodeParams)
  const validateAcquiringBank = validate(QueryAcquiringBankByAuthorizationCodeParams)
  const validateOpenid = validate(QueryByOpenidParams)

  const queryByAuthorizationCode = Effect.fn("PayScorePermissions.queryByAuthorizationCode")(
    function*(params: QueryByAuthorizationCodeParams) {
      const p = yield* validateByCode(params)
      return yield* client.request({
        method: "GET",
        path: "/v3/payscore/permissions/authorization-code/{authorization_code}",
        pathParams: { authorization_code: p.authorization_code },
        query: { service_id: p.service_id },
        schema: AuthorizationRecord,
        operation: "WechatPayClient.queryByAuthorizationCode"
      })
    }
  )

  const queryPartnerByAuthorizationCode = Effect.fn("PayScorePermissions.queryPartnerByAuthorizationCode")(
    function*(params: QueryPartnerByAuthorizationCodeParams) {
      const p = yield* validatePartner(params)
      return yield* client.request({
        method: "GET",
        path: "/v3/payscore/partner/permissions/authorization-code/{authorization_code}",
        pathParams: { authorization_code: p.authorization_code },
        query: { service_id: p.service_id, sub_mchid: p.sub_mchid },
        schema: PartnerAuthorizationRecord,
        operation: "WechatPayClient.queryPartnerByAuthorizationCode"
      })
    }
  )

  const queryAcquiringBankByAuthorizationCode = Effect.fn("PayScorePermissions.queryAcquiringBankByAuthorizationCode")(
    function*(params: QueryAcquiringBankByAuthorizationCodeParams) {
      const p = yield* validateAcquiringBank(params)
      return yield* client.request({
        method: "GET",
        path: "/v3/payscore/acquiringbank/permissions/authorization-code/{authorization_code}",
        pathParams: { authorization_code: p.authorization_code },
        query: { service_id: p.service_id, channel_id: p.channel_id, sub_mchid: p.sub_mchid },
        schema: AcquiringBankAuthorizationRecord,
        operation: "WechatPayClient.queryAcquiringBankByAuthorizationCode"
      })
    }
  )

  const queryByOpenid = Effect.fn("PayScorePermissions.queryByOpenid")(function*(params: QueryByOpenidParams) {
    const p = yield* validateOpenid(params)
    return yield* client.request({
      method: "GET",
      path: "/v3/payscore/permissions/openid/{openid}",
      pathParams: { openid: p.openid },
      query: { service_id: p.service_id, appid: p.appid },
      schema: OpenidAuthorizationRecord,
      operation: "WechatPayClient.queryByOpenid"
    })
  })

  const validatePartnerSearch = validate(QueryPartnerByOpenidParams)
  const validateApply = validate(ApplyPermissionsParams)
  const validateApplyPartner = validate(ApplyPartnerPermissionsParams)
  const validateApplyAcquiringBank = validate(ApplyAcquiringBankPermissionsParams)
  const validateTerminateByCode = validate(TerminateByAuthorizationCodeParams)
  const validateTerminatePartnerByCode = validate(TerminatePartnerByAuthorizationCodeParams)
  const validateTerminateAcquiringBankByCode = validate(TerminateAcquiringBankByAuthorizationCodeParams)
  const validateTerminateByOpenid = validate(TerminateByOpenidParams)
  const validateTerminatePartnerByOpenid = validate(TerminatePartnerByOpenidParams)

  const queryPartnerByOpenid = Effect.fn("PayScorePermissions.queryPartnerByOpenid")(
    function*(params: QueryPartnerByOpenidParams) {
      const p = yield* validatePartnerSearch(params)
      return yield* client.request({
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
        operation: "WechatPayClient.queryPartnerByOpenid"
      })
    }
  )

  // Bodies list the wire fields in the documented order; `undefined` (absent optional) fields are
  // left out by JSON.stringify. The client serialises once and signs exactly what it sends.

  const applyPermissions = Effect.fn("PayScorePermissions.applyPermissions")(
    function*(params: ApplyPermissionsParams) {
      const p = yield* validateApply(params)
      return yield* client.request({
        method: "POST",
        path: "/v3/payscore/permissions",
        body: {
          service_id: p.service_id,
          appid: p.appid,
          authorization_code: p.authorization_code,
          notify_url: p.notify_url
        },
        schema: ApplyPermissionsResult,
        operation: "WechatPayClient.applyPermissions"
      })
    }
  )

  const applyPartnerPermissions = Effect.fn("PayScorePermissions.applyPartnerPermissions")(
    function*(params: ApplyPartnerPermissionsParams) {
      const p = yield* validateApplyPartner(params)
      return yield* client.request({
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
        operation: "WechatPayClient.applyPartnerPermissions"
      })
    }
  )

  const applyAcquiringBankPermissions = Effect.fn("PayScorePermissions.applyAcquiringBankPermissions")(
    function*(params: ApplyAcquiringBankPermissionsParams) {
      const p = yield* validateApplyAcquiringBank(params)
      return yield* client.request({
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
        operation: "WechatPayClient.applyAcquiringBankPermissions"
      })
    }
  )

  const terminateByAuthorizationCode = Effect.fn("PayScorePermissions.terminateByAuthorizationCode")(
    function*(params: TerminateByAuthorizationCodeParams) {
      const p = yield* validateTerminateByCode(params)
      return yield* client.requestVoid({
        method: "POST",
        path: "/v3/payscore/permissions/authorization-code/{authorization_code}/terminate",
        pathParams: { authorization_code: p.authorization_code },
        body: { service_id: p.service_id, reason: p.reason },
        operation: "WechatPayClient.terminateByAuthorizationCode"
      })
    }
  )

  const terminatePartnerByAuthorizationCode = Effect.fn("PayScorePermissions.terminatePartnerByAuthorizationCode")(
    function*(params: TerminatePartnerByAuthorizationCodeParams) {
      const p = yield* validateTerminatePartnerByCode(params)
      return yield* client.requestVoid({
        method: "POST",
        path: "/v3/payscore/partner/permissions/authorization-code/{authorization_code}/terminate",
        pathParams: { authorization_code: p.authorization_code },
        body: { service_id: p.service_id, sub_mchid: p.sub_mchid, reason: p.reason },
        operation: "WechatPayClient.terminatePartnerByAuthorizationCode"
      })
    }
  )

  const terminateAcquiringBankByAuthorizationCode = Effect.fn(
    "PayScorePermissions.terminateAcquiringBankByAuthorizationCode"
  )(function*(params: TerminateAcquiringBankByAuthorizationCodeParams) {
    const p = yield* validateTerminateAcquiringBankByCode(params)
    return yield* client.requestVoid({
      method: "POST",
      path: "/v3/payscore/acquiringbank/permissions/authorization-code/{authorization_code}/terminate",
      pathParams: { authorization_code: p.authorization_code },
      body: { service_id: p.service_id, channel_id: p.channel_id, sub_mchid: p.sub_mchid, reason: p.reason },
      operation: "WechatPayClient.terminateAcquiringBankByAuthorizationCode"
    })
  })

  const terminateByOpenid = Effect.fn("PayScorePermissions.terminateByOpenid")(
    function*(params: TerminateByOpenidParams) {
      const p = yield* validateTerminateByOpenid(params)
      return yield* client.requestVoid({
        method: "POST",
        path: "/v3/payscore/permissions/openid/{openid}/terminate",
        pathParams: { openid: p.openid },
        body: { service_id: p.service_id, appid: p.appid, reason: p.reason },
        operation: "WechatPayClient.terminateByOpenid"
      })
    }
  )

  const terminatePartnerByOpenid = Effect.fn("PayScorePermissions.terminatePartnerByOpenid")(
    function*(params: TerminatePartnerByOpenidParams) {
      const p = yield* validateTerminatePartnerByOpenid(params)
      return yield* client.requestVoid({
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
        operation: "WechatPayClient.terminatePartnerByOpenid"
      })
    }
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
