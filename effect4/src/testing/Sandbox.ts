/**
 * A WeChat Pay emulator on loopback: a real HTTP server (`node:http`, bound to 127.0.0.1, port 0
 * by default) that checks every request the way WeChat Pay does, answers the Pay Score permission
 * queries from seeded authorization records, runs service orders (支付分订单) through their
 * documented states, signs every answer (errors too), and injects faults on demand. It lives in a
 * scope and stops with it, closing every connection.
 *
 * ```ts
 * import { Effect, Layer } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { PayScorePermissions } from "effect-wechatpay/effect4"
 * import { Sandbox } from "effect-wechatpay/effect4/testing"
 *
 * const TestLayer = Sandbox.layer({ client: { retries: 0 } }).pipe(Layer.provide(FetchHttpClient.layer))
 *
 * const program = Effect.gen(function*() {
 *   const sandbox = yield* Sandbox.Sandbox
 *   yield* sandbox.seed(Sandbox.Seed.Merchant({
 *     authorization_code: "1234323JKHDFE1243252",
 *     service_id: "500001",
 *     record: { authorization_state: "AVAILABLE", openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o" }
 *   }))
 *   yield* sandbox.injectFault(Sandbox.Fault.Status({ status: 503 }), { times: 1 })
 *   const permissions = yield* PayScorePermissions.PayScorePermissions
 *   return yield* permissions.queryByAuthorizationCode({ authorization_code: "1234323JKHDFE1243252", service_id: "500001" })
 * }).pipe(Effect.provide(TestLayer), Effect.scoped)
 * ```
 *
 * What it checks, in order (the first failure answers):
 * 1. `Accept` and `User-Agent` present and non-empty, else 400 `INVALID_REQUEST`;
 * 2. `Authorization`: scheme `WECHATPAY2-SHA256-RSA2048` and the five fields, else 401 `SIGN_ERROR`;
 *    `mchid` must be the sandbox's merchant, else 401 `SIGN_ERROR` (an unknown merchant cannot be
 *    authenticated: WeChat Pay has no key to check the signature with; 403 `NO_AUTH` is for a known
 *    merchant lacking a permission, which a `Status` fault emulates); `serial_no` must be the
 *    merchant certificate serial, else 401 `SIGN_ERROR`; `timestamp` within `maxClockSkew` (5
 *    minutes) of the sandbox clock, else 401 `SIGN_ERROR`; the signature over
 *    `METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n` with `URL` = `req.url` and `BODY` = the body bytes exactly
 *    as received (never decoded and re-encoded), else 401
 *    `SIGN_ERROR` with `detail.sign_information` `{method, sign_message_length,
 *    truncated_sign_message, url}` as WeChat Pay gives it;
 * 3. the route: unknown path 404 `NOT_FOUND`, wrong method 405;
 * 4. the parameters (the rules of `core/endpoints`, the client's own): missing, repeated, empty or too long, 400 `PARAM_ERROR` with
 *    `detail` `{field, value, issue, location}`; a POST body must be `Content-Type: application/json`
 *    (else 400 `INVALID_REQUEST`) and a UTF-8 JSON object whose fields are strings within their
 *    lengths (`reason` ≤ 50 characters, `notify_url` an http(s) URL ≤ 255), else 400 `PARAM_ERROR`
 *    (`location: "body"`); exactly one of `openid` / `sub_openid` where the endpoint says so;
 * 5. the record: 200 with its JSON, or 404 `NOT_FOUND`; or the state change of an apply or a
 *    terminate:
 *    - apply (`POST /v3/payscore/permissions`, `/partner/…`, `/acquiringbank/…`): the record of the
 *      `authorization_code` is created (or rewritten while still `UNBINDUSER`) in state `UNBINDUSER`,
 *      answered 200 `{"apply_permissions_token"}`; a code already bound or terminated is refused
 *      with 400 `INVALID_REQUEST`. `bindUser` then plays the user's confirmation (→ `AVAILABLE`, and
 *      the record is also found by openid);
 *    - terminate (by code in each mode, by openid, partner by openid / sub_openid): the record
 *      becomes `UNAVAILABLE` with `cancel_authorization_time`, answered 204 with an empty body,
 *      signed over the empty body; 404 `NOT_FOUND` when there is no such record;
 *    - `GET /v3/payscore/partner/permissions/search`: the partner record of that openid (or
 *      sub_openid under sub_appid), from a `PartnerOpenid` seed or a bound partner apply.
 *    - the service orders of the three roles (`/v3/payscore/serviceorder…`,
 *      `/partner/serviceorder…`, `/acquiringbank/serviceorder…`, `servicepayondeliveryorder`): an
 *      order is created CREATED (DOING / USER_CONFIRM with `need_user_confirm: false`), identical
 *      re-sends answer the same order and other parameters are refused (`INVALID_REQUEST
 *      订单重入参数校验失败`); the user's steps happen through `confirmOrder` (→ DOING /
 *      USER_CONFIRM) and `payOrder` (→ DONE / USER_PAID), each notifying the order's `notify_url`;
 *      complete → DOING / MCH_COMPLETE with collection USER_PAYING; cancel → REVOKED (also while
 *      USER_PAYING, as the official cancel pages say); modify (down only), pay and sync need
 *      USER_PAYING; a CREATED order is EXPIRED after 30 days of the sandbox's clock. Refused
 *      transitions answer the documented `ORDER_CANCELED`, `ORDER_DONE`, `INVALID_ORDER_STATE`,
 *      `INVALID_REQUEST 当前订单状态不合法`; amounts that do not add up `PARAM_ERROR 最终总金额计算非法`.
 *      The whole table is in `engine/serviceOrders.ts`.
 *    A fault that replaces the answer (`Status`, `GatewayHtml`, `ConnectionReset`) leaves the
 *    records and orders as they were; any other fault bends the answer to a request that was carried out.
 *
 * Every answer carries a `Request-ID` and is signed (`Wechatpay-Timestamp`, `-Nonce`, `-Signature`,
 * `-Serial`, `-Signature-Type`) with the key the request's `Wechatpay-Serial` names: the WeChat Pay
 * public key for its `PUB_KEY_ID_…`, a platform certificate's key for its serial, and when absent or
 * unknown, the platform certificate in use (or, in public-key mode, the public key). That is WeChat
 * Pay's rule for an account that holds both during the certificate → public key switch: the
 * request's `Wechatpay-Serial` decides, and a request naming none is answered under the platform
 * certificate (/doc/v3/merchant/4012154180; WeChat Pay staff on the developer community;
 * binarywang/WxJava#3454). The library always names its key, so it always gets the key it trusts.
 * Notifications ignore requests: they are signed with the public key when there is one.
 *
 * `GET /v3/certificates` answers the platform certificates encrypted with the APIv3 key (signed
 * with a platform certificate: the one named, else the newest); an account in public-key-only mode
 * (`platformCertificates: []`) gets 404 `RESOURCE_NOT_EXISTS` "无可用的平台证书…", as WeChat Pay
 * answers such accounts. `rotatePlatformCertificate` adds a certificate and signs with it from then on.
 *
 * Time comes from the `Clock` of the fiber that made the sandbox, so under `TestClock` the sandbox
 * and the library agree (a `Delay` fault still waits in real time: the server is Node's); tests
 * over real HTTP usually run with the live clock (`it.live`).
 *
 * This is the Effect 4 line's shell over the sandbox engine (`src/testing/engine`), the same engine
 * the Effect 3 line's `Sandbox` wraps: every rule above is the engine's, written once.
 *
 * @since 0.2.0
 */
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as HttpClient from "effect/http/HttpClient"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Engine from "../../../src/testing/engine/engine.js"
import type { CertificateOption } from "../../../src/testing/engine/keys.js"
import type { NotifyAnswer, NotifyOptions } from "../../../src/testing/engine/notify.js"
import { isNotifyFailure } from "../../../src/testing/engine/notify.js"
import { DEFAULT_APPID } from "../../../src/testing/engine/records.js"
import * as Server from "../../../src/testing/engine/server.js"
import * as EngineOrders from "../../../src/testing/engine/serviceOrders.js"
import * as Shell from "../../../src/testing/engine/shell.js"
import * as EngineTypes from "../../../src/testing/engine/types.js"
import { InvalidConfig, TransportError } from "../errors/WechatPayError.js"
import * as InternalOptions from "../internal/options.js"
import * as ServiceOrder from "../schemas/ServiceOrder.js"
import * as WechatPay from "../WechatPay.js"

// ---------------------------------------------------------------------------------------------
// Seeds
// ---------------------------------------------------------------------------------------------

/**
 * The fields of an authorization record as the endpoints answer them, under
 * their wire names. `authorization_state` is any string (`AVAILABLE`, `UNAVAILABLE`, `UNBINDUSER`,
 * or one WeChat Pay has not invented yet). Any other field is sent as given; a field set to
 * `undefined` is left out of the answer, even one the sandbox fills in by default.
 *
 * @since 0.2.0
 * @category seeds
 */
export interface RecordFields extends EngineTypes.RecordFields {}

/**
 * An authorization record to seed, one variant per endpoint, keyed like the endpoint's request:
 *
 * | variant | endpoint | key |
 * |---|---|---|
 * | `Merchant` | 1, merchant by code | `authorization_code`, `service_id` |
 * | `Partner` | 2, partner by code | `authorization_code`, `service_id`, `sub_mchid` |
 * | `AcquiringBank` | 3, acquiring bank by code | `authorization_code`, `service_id`, `channel_id`, `sub_mchid` |
 * | `Openid` | 4, merchant by openid | `openid`, `service_id`, `appid` |
 * | `PartnerOpenid` | partner search (`/v3/payscore/partner/permissions/search`) | `service_id`, `appid`, `sub_mchid`, and `openid` and/or `sub_openid` (with `sub_appid`) |
 *
 * The answer is the endpoint's required fields (`service_id`, the key fields it carries, `mchid` =
 * the sandbox's merchant, `appid` = the key's or `wxd678efh567hg6787`), then `record` over them.
 * Seeding the same key again replaces the record.
 *
 * @since 0.2.0
 * @category seeds
 */
export type Seed = Data.TaggedEnum<{
  Merchant: {
    readonly authorization_code: string
    readonly service_id: string
    readonly record: RecordFields
  }
  Partner: {
    readonly authorization_code: string
    readonly service_id: string
    readonly sub_mchid: string
    readonly record: RecordFields
  }
  AcquiringBank: {
    readonly authorization_code: string
    readonly service_id: string
    readonly channel_id: string
    readonly sub_mchid: string
    readonly record: RecordFields
  }
  Openid: {
    readonly openid: string
    readonly service_id: string
    readonly appid: string
    readonly record: RecordFields
  }
  PartnerOpenid: {
    readonly service_id: string
    readonly appid: string
    readonly sub_mchid: string
    readonly openid?: string | undefined
    readonly sub_appid?: string | undefined
    readonly sub_openid?: string | undefined
    readonly record: RecordFields
  }
}>

/**
 * Constructors of seeds: `Seed.Merchant({ authorization_code, service_id, record: { authorization_state: "AVAILABLE" } })`.
 *
 * @since 0.2.0
 * @category seeds
 */
export const Seed = Data.taggedEnum<Seed>()

/**
 * The `appid` of answers whose seed names none.
 *
 * @since 0.2.0
 * @category seeds
 */
export const defaultAppid: string = DEFAULT_APPID

// ---------------------------------------------------------------------------------------------
// Faults
// ---------------------------------------------------------------------------------------------

/**
 * A signature header of an answer.
 *
 * @since 0.2.0
 * @category faults
 */
export type SignatureHeader = "Wechatpay-Timestamp" | "Wechatpay-Nonce" | "Wechatpay-Signature" | "Wechatpay-Serial"

/**
 * A way for the next answers to go wrong. The request is still checked and logged; the fault
 * bends the answer:
 *
 * | fault | the answer |
 * |---|---|
 * | `Status({ status, code?, message?, signed? })` | that status with a WeChat Pay error body (`code` defaults by status: 429 `FREQUENCY_LIMITED`, 500 `SYSTEM_ERROR`, 502/503/504 `SERVICE_UNAVAILABLE`, 403 `NO_AUTH`, …), signed unless `signed: false` |
 * | `GatewayHtml({ status? })` | an HTML gateway page (default 502), no signature headers |
 * | `Delay({ duration? })` | the normal answer after `duration` (default: the sandbox's `faultDelay`, 15 seconds) |
 * | `ConnectionReset()` | the socket is destroyed, no answer |
 * | `TamperedBody({ body? })` | signed over the normal body, another body sent (default: the state flipped) |
 * | `WrongKey({ privateKey? })` | signed with another key (default: `Fixtures.strangerPrivateKey`) under the expected serial |
 * | `SignTest()` | `Wechatpay-Signature` is a `WECHATPAY/SIGNTEST/…` probe |
 * | `ClockSkew({ seconds? })` | signed with `Wechatpay-Timestamp` this far off (default -600: ten minutes old) |
 * | `MissingHeader({ header? })` | one signature header dropped (default `Wechatpay-Signature`) |
 *
 * @since 0.2.0
 * @category faults
 */
export type Fault = Data.TaggedEnum<{
  Status: {
    readonly status: number
    readonly code?: string | undefined
    readonly message?: string | undefined
    readonly signed?: boolean | undefined
  }
  GatewayHtml: { readonly status?: number | undefined }
  Delay: { readonly duration?: Duration.Input | undefined }
  ConnectionReset: {}
  TamperedBody: { readonly body?: string | undefined }
  WrongKey: { readonly privateKey?: string | undefined }
  SignTest: {}
  ClockSkew: { readonly seconds?: number | undefined }
  MissingHeader: { readonly header?: SignatureHeader | undefined }
}>

/**
 * Constructors of faults: `Fault.Status({ status: 500 })`, `Fault.ConnectionReset()`,
 * `Fault.GatewayHtml({})`; `$is` and `$match` come with them.
 *
 * @since 0.2.0
 * @category faults
 */
export const Fault = Data.taggedEnum<Fault>()

/**
 * A fault waiting for requests, and how many more it will bend.
 *
 * @since 0.2.0
 * @category faults
 */
export interface PendingFault {
  readonly fault: Fault
  readonly remaining: number
}

// ---------------------------------------------------------------------------------------------
// Log
// ---------------------------------------------------------------------------------------------

/**
 * A request the sandbox received, and what it answered. Logged when the answer is decided (so
 * before a `Delay` fault's wait).
 *
 * Header names are lowercase; in `authorization` the signature value is replaced by `<redacted>`
 * (`mchid`, `nonce_str`, `timestamp` and `serial_no` stay readable), the rest is as received.
 *
 * @since 0.2.0
 * @category log
 */
export interface LoggedRequest {
  readonly method: string
  /** The request target exactly as received: path and query. */
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  /** The status answered; `undefined` when the connection was reset. */
  readonly status: number | undefined
  /** WeChat Pay's error `code` in the answer body, for error answers. */
  readonly code: string | undefined
  /** The `Request-ID` answered. */
  readonly requestId: string | undefined
  /** The fault applied, if any. */
  readonly fault: Fault | undefined
  /**
   * Whether the request passed the `Authorization` checks, its signature verified over the method,
   * the request target and the body bytes exactly as received.
   */
  readonly signatureVerified?: boolean | undefined
  /** The answer as sent (headers lowercase), `undefined` when the connection was reset. */
  readonly answer:
    | { readonly status: number; readonly headers: Readonly<Record<string, string>>; readonly body: string }
    | undefined
}

// ---------------------------------------------------------------------------------------------
// Service
// ---------------------------------------------------------------------------------------------

/**
 * A private key with its certificate, for a platform certificate the sandbox signs with.
 *
 * @since 0.2.0
 * @category models
 */
export interface PlatformCertificateOption {
  /** X.509 PEM; the serial is read from it. */
  readonly certificate: string
  /** The certificate's private key, PEM (PKCS#8 or PKCS#1). */
  readonly privateKey: string
  /** `effective_time` (启用时间) in the `GET /v3/certificates` list. Default: the certificate's `notBefore`. */
  readonly effectiveTime?: DateTime.DateTime.Input | undefined
  /**
   * `expire_time` (弃用时间) in the list: when WeChat Pay stops using the certificate. Default: the
   * certificate's `notAfter`. One in the past plays a retired certificate still listed.
   */
  readonly expireTime?: DateTime.DateTime.Input | undefined
}

/**
 * Every option defaults to the test fixtures (`effect-wechatpay/effect4/testing` `Fixtures`).
 *
 * @since 0.2.0
 * @category models
 */
export interface Options {
  /** Default 0: a free port. The sandbox binds 127.0.0.1 only. */
  readonly port?: number | undefined
  /** The merchant the sandbox knows. Default `Fixtures.mchid`. */
  readonly mchid?: string | undefined
  /** The merchant API certificate serial requests must name. Default `Fixtures.merchantSerialNo`. */
  readonly merchantSerialNo?: string | undefined
  /** The merchant private key, PEM; handed to the client by `wechatPayOptions`. Default `Fixtures.merchantPrivateKeyPkcs8`. */
  readonly merchantPrivateKey?: string | undefined
  /** The key request signatures are checked with, SPKI PEM. Default: the public half of `merchantPrivateKey`. */
  readonly merchantPublicKey?: string | undefined
  /**
   * The WeChat Pay public key: its id, the private key the sandbox signs with, and the public PEM
   * (derived from the private key when absent). `false`: none (certificate mode). Default: the fixtures'.
   */
  readonly wechatpayPublicKey?:
    | { readonly id: string; readonly privateKey: string; readonly pem?: string | undefined }
    | false
    | undefined
  /** Platform certificates with their private keys. Default: the fixtures' two. `[]`: none (public-key mode). */
  readonly platformCertificates?: ReadonlyArray<PlatformCertificateOption> | undefined
  /** Handed to the client by `wechatPayOptions`. Default `Fixtures.apiV3Key`. */
  readonly apiV3Key?: string | undefined
  /** Requests whose Authorization timestamp is further than this from the sandbox clock are refused. Default 5 minutes. */
  readonly maxClockSkew?: Duration.Input | undefined
  /** How long a `Delay` fault without a duration waits. Default 15 seconds (past the library's 10-second default timeout). */
  readonly faultDelay?: Duration.Input | undefined
  /** Records to start with. */
  readonly records?: Iterable<Seed> | undefined
}

/**
 * @since 0.2.0
 * @category models
 */
export declare namespace Sandbox {
  /**
   * @since 0.2.0
   * @category models
   */
  export interface Service {
    /** `http://127.0.0.1:<port>` */
    readonly baseUrl: string
    readonly port: number
    /** `WechatPay.layer` options for a client of this sandbox (its merchant, keys and `baseUrl`). */
    readonly wechatPayOptions: WechatPay.Options
    /** Adds a record (replacing one under the same key). */
    readonly seed: (seed: Seed) => Effect.Effect<void>
    readonly seedMany: (seeds: Iterable<Seed>) => Effect.Effect<void>
    /** Removes every authorization record and every service order. */
    readonly clear: Effect.Effect<void>
    /**
     * The user confirms a pre-authorization (the step that happens in WeChat, not over the API):
     * every `UNBINDUSER` record of `authorization_code` (made by an apply endpoint or seeded; of
     * `service_id` when given) becomes `AVAILABLE`, with `openid` (and `sub_openid` in partner and
     * acquiring bank modes) and `authorization_success_time` = now, and is from then on also found
     * by openid: a merchant record by `queryByOpenid` / `terminateByOpenid`, a partner record by
     * `queryPartnerByOpenid` / `terminatePartnerByOpenid`. One record, several keys: a terminate
     * through any of them shows in every query. Dies when no such `UNBINDUSER` record exists.
     */
    readonly bindUser: (binding: {
      readonly authorization_code: string
      readonly openid: string
      readonly sub_openid?: string | undefined
      readonly service_id?: string | undefined
    }) => Effect.Effect<void>
    /**
     * Bends the next `times` answers (default 1; `Infinity` until `clearFaults`). Faults queue up:
     * a second fault starts when the first is spent.
     */
    readonly injectFault: (fault: Fault, options?: { readonly times?: number | undefined }) => Effect.Effect<void>
    readonly clearFaults: Effect.Effect<void>
    readonly pendingFaults: Effect.Effect<ReadonlyArray<PendingFault>>
    /** Every request so far, oldest first. */
    readonly requests: Effect.Effect<ReadonlyArray<LoggedRequest>>
    readonly clearRequests: Effect.Effect<void>
    /** `clear`, `clearFaults` and `clearRequests`. */
    readonly reset: Effect.Effect<void>
    /**
     * A platform certificate rotation: adds `certificate` (default: `Fixtures.platformCertificate3`
     * with `Fixtures.platformPrivateKey3`) to the certificates `GET /v3/certificates` lists, next
     * to the old ones, and from then on signs with it every answer a platform certificate would
     * sign, whatever serial the request names (the public key still signs what names its id).
     * Rotating to a certificate the sandbox has makes it the signing one. Answers its serial;
     * fails with `InvalidConfig` when the certificate or its key cannot be read or do not match.
     */
    readonly rotatePlatformCertificate: (
      certificate?: PlatformCertificateOption | undefined
    ) => Effect.Effect<string, InvalidConfig>
    /**
     * Sends a Pay Score authorization notification to `options.url`, as WeChat Pay does: encrypted
     * with the APIv3 key, signed with the key `options.signWith` chooses, optionally bent (tampered,
     * skewed, SIGNTEST, missing header, another APIv3 key); answers the merchant's status and body.
     */
    readonly notify: (options: NotifyOptions) => Effect.Effect<NotifyAnswer, TransportError>
    /**
     * The user confirms a service order on WeChat's confirmation page (the step that happens in
     * WeChat, not over the API): CREATED → DOING / USER_CONFIRM, with the user's `openid` (or
     * `sub_openid`; default `oUpF8uMuAJO_M2pxb1Q9zNjWeS6o`, under `sub_appid` for a partner or
     * bank order created with one), and a `start_time` of `OnAccept` becomes now. Then WeChat Pay's
     * `PAYSCORE.USER_CONFIRM` notification, the order encrypted with the APIv3 key and signed, is
     * POSTed to the order's `notify_url` (or `url`; `notify: false` sends none) and the merchant's
     * answer returned. The order is confirmed whatever the merchant answers (WeChat Pay would retry
     * the notification); an unreachable `notify_url` fails with `TransportError` after the move.
     * Dies when there is no such order, or it is not CREATED.
     */
    readonly confirmOrder: (confirmation: UserConfirmation) => Effect.Effect<UserStep, TransportError>
    /**
     * The user pays a completed order (or WeChat Pay's deduction succeeds): DOING / MCH_COMPLETE
     * with collection USER_PAYING → DONE, collection USER_PAID (one `details` entry, paid_type
     * NEWTON, paid_time now, a `transaction_id`). Then the `PAYSCORE.USER_PAID` notification, as
     * `confirmOrder` sends its own. Dies when there is no such order, or it is not waiting for
     * payment.
     */
    readonly payOrder: (payment: UserPayment) => Effect.Effect<UserStep, TransportError>
  }
}

/**
 * How a control method names a service order: its `out_order_no`, with the `sub_mchid` of a
 * partner's or bank's order (a partner's is looked for first; `role` decides when both exist).
 *
 * @since 0.2.0
 * @category service orders
 */
export interface OrderRef {
  readonly out_order_no: string
  readonly sub_mchid?: string | undefined
  readonly role?: "Merchant" | "Partner" | "AcquiringBank" | undefined
}

/**
 * Where the notification of a user's step goes.
 *
 * @since 0.2.0
 * @category service orders
 */
export interface NotifyStep {
  /** `false`: no notification. Default `true`. */
  readonly notify?: boolean | undefined
  /** Where to POST it. Default: the order's `notify_url`. */
  readonly url?: string | undefined
}

/**
 * @since 0.2.0
 * @category service orders
 */
export interface UserConfirmation extends OrderRef, NotifyStep {
  readonly openid?: string | undefined
  readonly sub_openid?: string | undefined
}

/**
 * @since 0.2.0
 * @category service orders
 */
export interface UserPayment extends OrderRef, NotifyStep {
  /** 微信支付订单号 of the payment. Default: a new one. */
  readonly transaction_id?: string | undefined
}

/**
 * What a user's step did: the order now (as a query answers it), the `query_id` the confirmation
 * page hands back to the merchant's front end (`queryServiceOrder({ query_id })` finds the order),
 * and the merchant's answer to the notification.
 *
 * @since 0.2.0
 * @category service orders
 */
export interface UserStep {
  readonly order: ServiceOrder.ServiceOrder
  readonly query_id: string
  readonly notification: NotifyAnswer | undefined
}

/**
 * @since 0.2.0
 * @category tags
 */
export class Sandbox extends Context.Service<Sandbox, Sandbox.Service>()("effect-wechatpay/testing/Sandbox") {}

// ---------------------------------------------------------------------------------------------
// Constructors
// ---------------------------------------------------------------------------------------------

const toInvalidConfig = (problem: EngineTypes.SandboxProblem): InvalidConfig =>
  new InvalidConfig({ option: problem.option, message: problem.message })

const millisOf = (option: string, input: Duration.Input | undefined, fallback: number) => {
  if (input === undefined) return Effect.succeed(fallback)
  const decoded = InternalOptions.decodeDuration(input)
  return Option.isNone(decoded) || Number.isNaN(Duration.toMillis(decoded.value))
    ? Effect.fail(new InvalidConfig({ option, message: `${option} must be a duration, e.g. "5 minutes"` }))
    : Effect.succeed(Duration.toMillis(decoded.value))
}

const timeOf = (option: string, input: DateTime.DateTime.Input | undefined) => {
  if (input === undefined) return Effect.succeed(undefined)
  const made = DateTime.make(input)
  return Option.isNone(made)
    ? Effect.fail(new InvalidConfig({ option, message: `${option} is not a date` }))
    : Effect.succeed(DateTime.toEpochMillis(made.value))
}

const certificateOptions = (
  certificates: ReadonlyArray<PlatformCertificateOption>,
  prefix: (i: number) => string
) =>
  Effect.forEach(certificates, (c, i) =>
    Effect.map(
      Effect.all([
        timeOf(`${prefix(i)}.effectiveTime`, c.effectiveTime),
        timeOf(`${prefix(i)}.expireTime`, c.expireTime)
      ]),
      ([effectiveTime, expireTime]): CertificateOption => ({
        certificate: c.certificate,
        privateKey: c.privateKey,
        ...(effectiveTime === undefined ? {} : { effectiveTime }),
        ...(expireTime === undefined ? {} : { expireTime })
      })
    ))

const transportError = (failure: { readonly message: string; readonly cause?: unknown }): TransportError =>
  new TransportError({ message: failure.message, ...(failure.cause === undefined ? {} : { cause: failure.cause }) })

const dieWith = (message: string): Effect.Effect<never> => Effect.die(new Error(message))

/**
 * Starts a sandbox in the current scope; it stops (every connection closed) when the scope closes.
 * Its clock is the `Clock` in context (under `TestClock`, the sandbox's time moves with it). Fails
 * with `InvalidConfig` when a key of the options cannot be read, a private key does not match its
 * public key or certificate, or the port is taken.
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<Sandbox.Service, InvalidConfig, Scope.Scope> =>
  Effect.gen(function*() {
    const maxClockSkewMillis = yield* millisOf("maxClockSkew", options.maxClockSkew, 5 * 60_000)
    const faultDelayMillis = yield* millisOf("faultDelay", options.faultDelay, 15_000)
    const port = options.port ?? 0
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      return yield* new InvalidConfig({ option: "port", message: "port must be a whole number from 0 to 65535" })
    }
    const platformCertificates = options.platformCertificates === undefined
      ? undefined
      : yield* certificateOptions(options.platformCertificates, (i) => `platformCertificates[${i}]`)
    // the Clock of this fiber (TestClock under it.effect): the engine reads it on every request
    const clock = yield* Effect.clockWith(Effect.succeed)
    const now = () => clock.currentTimeMillisUnsafe()
    const engine = yield* Effect.flatMap(
      Effect.promise(() =>
        Engine.createEngine<Fault>({
          ...(options.mchid === undefined ? {} : { mchid: options.mchid }),
          ...(options.merchantSerialNo === undefined ? {} : { merchantSerialNo: options.merchantSerialNo }),
          ...(options.merchantPrivateKey === undefined ? {} : { merchantPrivateKey: options.merchantPrivateKey }),
          ...(options.merchantPublicKey === undefined ? {} : { merchantPublicKey: options.merchantPublicKey }),
          ...(options.wechatpayPublicKey === undefined ? {} : { wechatpayPublicKey: options.wechatpayPublicKey }),
          ...(platformCertificates === undefined ? {} : { platformCertificates }),
          ...(options.apiV3Key === undefined ? {} : { apiV3Key: options.apiV3Key }),
          maxClockSkewMillis,
          faultDelayMillis,
          ...(options.records === undefined ? {} : { records: options.records })
        }, now)
      ),
      (made) => EngineTypes.isSandboxProblem(made) ? Effect.fail(toInvalidConfig(made)) : Effect.succeed(made)
    )
    const context = yield* Effect.context<never>()
    const logError = (cause: unknown) =>
      Effect.runForkWith(context)(Effect.logError("effect-wechatpay sandbox: a request could not be answered", cause))
    const served = yield* Effect.acquireRelease(
      Effect.flatMap(
        Effect.promise(() => Server.serve(engine, port, logError)),
        (made) => EngineTypes.isSandboxProblem(made) ? Effect.fail(toInvalidConfig(made)) : Effect.succeed(made)
      ),
      (server) => Effect.promise(() => server.close())
    )
    const baseUrl = served.baseUrl
    const client = Shell.clientOptions(engine, baseUrl)
    const wechatPayOptions: WechatPay.Options = {
      ...client,
      merchantPrivateKey: Redacted.make(client.merchantPrivateKey),
      apiV3Key: Redacted.make(client.apiV3Key)
    }

    const decodeOrder = Schema.decodeUnknownSync(ServiceOrder.ServiceOrder)
    const userStep = (
      what: string,
      step: () => EngineOrders.UserStep,
      event: typeof EngineOrders.USER_CONFIRM | typeof EngineOrders.USER_PAID,
      options: NotifyStep
    ): Effect.Effect<UserStep, TransportError> =>
      Effect.suspend(() => {
        const moved = step()
        if (moved._tag === "Refused") return dieWith(`${what}: ${moved.message}`)
        const order = moved.order
        const result = (notification: NotifyAnswer | undefined): UserStep => ({
          order: decodeOrder(EngineOrders.orderAnswer(order)),
          query_id: order.queryId,
          notification
        })
        if (options.notify === false) return Effect.succeed(result(undefined))
        return Effect.flatMap(
          Effect.promise(() => engine.notifyOrder(order, event, { url: options.url })),
          (answer) => isNotifyFailure(answer) ? Effect.fail(transportError(answer)) : Effect.succeed(result(answer))
        )
      })

    return Sandbox.of({
      confirmOrder: (confirmation) =>
        userStep(
          "confirmOrder",
          () => engine.confirmOrder(confirmation),
          EngineOrders.USER_CONFIRM,
          confirmation
        ),
      payOrder: (payment) => userStep("payOrder", () => engine.payOrder(payment), EngineOrders.USER_PAID, payment),
      baseUrl,
      port: served.port,
      wechatPayOptions,
      seed: (seed) => Effect.sync(() => engine.seed(seed)),
      seedMany: (seeds) =>
        Effect.sync(() => {
          for (const seed of seeds) engine.seed(seed)
        }),
      clear: Effect.sync(() => engine.clear()),
      bindUser: (binding) =>
        Effect.suspend(() =>
          engine.bindUser(binding) > 0
            ? Effect.void
            : dieWith(Shell.nothingToBind(binding))
        ),
      injectFault: (fault, injectOptions) =>
        Effect.suspend(() => {
          const times = injectOptions?.times ?? 1
          const problem = Shell.faultTimesProblem(times)
          if (problem !== undefined) return dieWith(problem)
          let delay: number | undefined
          if (fault._tag === "Delay" && fault.duration !== undefined) {
            const decoded = InternalOptions.decodeDuration(fault.duration)
            if (Option.isNone(decoded)) return dieWith(`injectFault: Delay's duration is not a duration`)
            delay = Duration.toMillis(decoded.value)
          }
          engine.injectFault(fault, times, delay)
          return Effect.void
        }),
      clearFaults: Effect.sync(() => engine.clearFaults()),
      pendingFaults: Effect.sync(() => engine.pendingFaults()),
      requests: Effect.sync(() => engine.requests()),
      clearRequests: Effect.sync(() => engine.clearRequests()),
      reset: Effect.sync(() => engine.reset()),
      rotatePlatformCertificate: (certificate) =>
        Effect.gen(function*() {
          const option = certificate === undefined
            ? undefined
            : (yield* certificateOptions([certificate], () => "certificate"))[0]!
          const serial = yield* Effect.promise(() => engine.rotate(option))
          return EngineTypes.isSandboxProblem(serial) ? yield* toInvalidConfig(serial) : serial
        }),
      notify: (notifyOptions) =>
        Effect.flatMap(
          Effect.promise(() => engine.notify(notifyOptions)),
          (answer) => isNotifyFailure(answer) ? Effect.fail(transportError(answer)) : Effect.succeed(answer)
        )
    })
  })

/**
 * Options of `notify` (see `Sandbox.Service.notify`), its answer, and a sent notification to replay.
 *
 * @since 0.2.0
 * @category notifications
 */
export type { NotifyAnswer, NotifyOptions, NotifySigner, SentNotification } from "../../../src/testing/engine/notify.js"

/**
 * `notify` of the `Sandbox` in context: POSTs a signed, encrypted notification to `options.url`.
 *
 * @since 0.2.0
 * @category notifications
 */
export const notify = (options: NotifyOptions): Effect.Effect<NotifyAnswer, TransportError, Sandbox> =>
  Effect.flatMap(Effect.service(Sandbox), (sandbox) => sandbox.notify(options))

/**
 * `WechatPay.layer` options for a client of `sandbox`, with `overrides` on top (e.g.
 * `{ retries: 0, timeout: "300 millis" }`, or another merchant key to see `SIGN_ERROR`).
 *
 * @since 0.2.0
 * @category constructors
 */
export const wechatPayOptions = (
  sandbox: Sandbox.Service,
  overrides: Partial<WechatPay.Options> = {}
): WechatPay.Options => ({ ...sandbox.wechatPayOptions, ...overrides })

/**
 * @since 0.2.0
 * @category models
 */
export interface LayerOptions extends Options {
  /** Overrides of the `WechatPay.layer` options pointed at the sandbox (`timeout`, `retries`, …). */
  readonly client?: Partial<WechatPay.Options> | undefined
}

/**
 * Just the sandbox, started in the layer's scope.
 *
 * @since 0.2.0
 * @category layers
 */
export const layerServer = (options: Options = {}): Layer.Layer<Sandbox, InvalidConfig> =>
  Layer.effect(Sandbox, make(options))

/**
 * A started sandbox and the whole `WechatPay.layer` pointed at it (`PayScorePermissions`,
 * `PayScoreServiceOrders`, `PayScoreNotifications`, `WechatPayClient`, `Signer`, `KeyStore`), both
 * built fresh for this call. The `HttpClient` is left to the caller, so tests can pick the
 * transport: `Layer.provide(FetchHttpClient.layer)` or `UndiciHttpClient.layer`.
 *
 * @since 0.2.0
 * @category layers
 */
export const layer = (
  options: LayerOptions = {}
): Layer.Layer<Sandbox | WechatPay.Services, InvalidConfig, HttpClient.HttpClient> =>
  Layer.unwrap(
    Effect.map(Effect.service(Sandbox), (sandbox) => WechatPay.layer(wechatPayOptions(sandbox, options.client)))
  ).pipe(Layer.provideMerge(layerServer(options)))
