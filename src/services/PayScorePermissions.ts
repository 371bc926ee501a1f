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
import type {
  ApiError,
  DecodeError,
  FrequencyLimited,
  InvalidRequest,
  NoAuth,
  NotFound,
  ParamError,
  SignError,
  SystemError,
  TransportError,
  VerificationError
} from "../errors/WechatPayError.js"
import { InvalidInput } from "../errors/WechatPayError.js"
import {
  AcquiringBankAuthorizationRecord,
  AuthorizationRecord,
  OpenidAuthorizationRecord,
  PartnerAuthorizationRecord,
  QueryAcquiringBankByAuthorizationCodeParams,
  QueryByAuthorizationCodeParams,
  QueryByOpenidParams,
  QueryPartnerByAuthorizationCodeParams
} from "../schemas/AuthorizationRecord.js"
import { WechatPayClient } from "./WechatPayClient.js"

/**
 * What any query of this family can fail with.
 *
 * @since 0.1.0
 * @category errors
 */
export type QueryError =
  | InvalidInput
  | ParamError
  | InvalidRequest
  | SignError
  | NoAuth
  | NotFound
  | FrequencyLimited
  | SystemError
  | ApiError
  | VerificationError
  | TransportError
  | DecodeError

/** @since 0.1.0 @category errors */
export type QueryByAuthorizationCodeError = QueryError
/** @since 0.1.0 @category errors */
export type QueryPartnerByAuthorizationCodeError = QueryError
/** @since 0.1.0 @category errors */
export type QueryAcquiringBankByAuthorizationCodeError = QueryError
/** @since 0.1.0 @category errors */
export type QueryByOpenidError = QueryError

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

  return PayScorePermissions.of({
    queryByAuthorizationCode,
    queryPartnerByAuthorizationCode,
    queryAcquiringBankByAuthorizationCode,
    queryByOpenid
  })
})

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<PayScorePermissions, never, WechatPayClient> = Layer.effect(PayScorePermissions, make)
