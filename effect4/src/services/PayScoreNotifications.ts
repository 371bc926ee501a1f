/**
 * Pay Score notifications: WeChat Pay POSTs them to the merchant's `notify_url` when a user opens
 * or closes the service (授权/解除授权服务回调), confirms a service order (确认订单回调) or pays it
 * (支付成功回调).
 *
 * `parse` reads one: it verifies the signature over the raw body exactly like an answer's (four
 * `Wechatpay-*` headers, the timestamp window, the key chosen by `Wechatpay-Serial`: a platform
 * certificate serial or a `PUB_KEY_ID_…`, side by side during a migration; `WECHATPAY/SIGNTEST/`
 * probes rejected), decrypts the `AEAD_AES_256_GCM` resource with the APIv3 key, and decodes it into
 * `UserOpenService` | `UserCloseService` (authorizations) | `UserConfirm` | `UserPaid` (service
 * orders: the resource is the order, `ServiceOrder`; a partner routes by its `sub_mchid`) |
 * `UnknownEvent` | `UndecodableEvent` (a known event whose verified, decrypted resource does not
 * decode: logged at Warning, handed over with the JSON).
 *
 * `httpApp(handler)` is the whole endpoint as an HTTP handler of `effect/http`: it reads the raw body
 * (capped), parses, hands the notification to `handler`, and acknowledges the way WeChat Pay
 * expects (204 when handled; a 4xx or 5xx with `{"code":"FAIL","message":…}` otherwise, after which
 * WeChat Pay retries).
 *
 * WeChat Pay delivers at least once: a notification that was not acknowledged in time (5 s) is sent
 * again, for up to 3 days, with the same `id`. Nothing here deduplicates: the handler sees every
 * delivery and should be idempotent on `notification.id` (or on the resource's own keys).
 *
 * @since 0.2.0
 */
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as HttpServerRequest from "effect/http/HttpServerRequest"
import * as HttpServerResponse from "effect/http/HttpServerResponse"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import * as Aead from "../../../src/core/aead.js"
import * as CoreNotification from "../../../src/core/notification.js"
import {
  DecodeError,
  DecryptionError,
  InvalidConfig,
  type NotificationError,
  type VerificationError
} from "../errors/WechatPayError.js"
import * as NotificationBody from "../internal/notificationBody.js"
import * as InternalOptions from "../internal/options.js"
import { type EncryptedResource, eventTag, type Notification, ServiceResource } from "../schemas/Notification.js"
import { ServiceOrder } from "../schemas/ServiceOrder.js"
import { KeyStore } from "./KeyStore.js"
import { type HeadersInput, Signer } from "./Signer.js"

/**
 * What `parse` reads: the request headers (a web `Headers`, a record, or `@effect/platform`
 * `Headers`; any casing) and the raw body text, exactly as received.
 *
 * @since 0.2.0
 * @category models
 */
export interface RawNotification {
  readonly headers: HeadersInput
  readonly body: string
}

/**
 * The only algorithm WeChat Pay uses for notification resources.
 *
 * @since 0.2.0
 * @category constants
 */
export const ALGORITHM: string = Aead.ALGORITHM

/**
 * @since 0.2.0
 * @category models
 */
export declare namespace PayScoreNotifications {
  /**
   * @since 0.2.0
   * @category models
   */
  export interface Service {
    /**
     * Verifies, decrypts and decodes a notification. Fails with `VerificationError` (signature,
     * headers, window, serial), `DecodeError` (not the documented envelope, or a resource that is
     * not JSON; a JSON resource of a known event that does not decode is `UndecodableEvent`), `DecryptionError` (the resource does not decrypt with the APIv3 key), or
     * `InvalidConfig` (option `apiV3Key`: none configured).
     */
    readonly parse: (notification: RawNotification) => Effect.Effect<Notification, NotificationError>
    /**
     * Decrypts an `AEAD_AES_256_GCM` resource with the APIv3 key into its plaintext (UTF-8 text).
     * Only the signature check of `parse` makes the result trustworthy: use `parse` for notifications.
     */
    readonly decrypt: (resource: EncryptedResource) => Effect.Effect<string, DecryptionError | InvalidConfig>
  }
}

/**
 * @since 0.2.0
 * @category tags
 */
export class PayScoreNotifications extends Context.Service<PayScoreNotifications, PayScoreNotifications.Service>()(
  "effect-wechatpay/PayScoreNotifications"
) {
  /** The service over the `Signer` and `KeyStore` in context (see `layer`). @since 0.2.0 */
  static get layer(): Layer.Layer<PayScoreNotifications, never, Signer | KeyStore> {
    return layer
  }
}

const noApiV3Key = new InvalidConfig({
  option: "apiV3Key",
  message:
    "apiV3Key is required to read notifications: their resource is encrypted with it (the 32-byte APIv3 key set on the merchant platform)"
})

const decodeServiceResource = Schema.decodeUnknownResult(ServiceResource, { errors: "first" })
const decodeServiceOrder = Schema.decodeUnknownResult(ServiceOrder, { errors: "first" })

const standard = SchemaIssue.makeFormatterStandardSchemaV1()

/**
 * A decode problem of the decrypted resource, described by path and kind only: the values are
 * plaintext and stay out of the message.
 */
const describeResourceIssue = (error: Schema.SchemaError): string => {
  const issue = standard(error.issue).issues[0]
  if (issue === undefined) return "the decrypted resource does not have the documented shape"
  const path = issue.path?.map((p) => String(typeof p === "object" && p !== null ? p.key : p)) ?? []
  const field = path.length === 0 ? "" : ` at ${path.join(".")}`
  const kind = issue.message === "Missing key"
    ? "a required field is missing"
    : path.length === 0 && /is required$/.test(issue.message)
    ? issue.message
    : path.length > 0 && issue.message.startsWith("expected a WeChat Pay time")
    ? "not a WeChat Pay time (RFC 3339 with an offset, or yyyyMMddHHmmss)"
    : "a field has the wrong type or format"
  return `the decrypted resource does not have the documented shape${field}: ${kind}`
}

/**
 * `AEAD_AES_256_GCM` decryption of a resource with an AES-256-GCM `CryptoKey` (the APIv3 key):
 * nonce and `associated_data` as UTF-8 (an absent `associated_data` is empty), ciphertext =
 * base64(encrypted ‖ 16-byte tag). Never throws; failures say why, never what.
 *
 * @since 0.2.0
 * @category decryption
 */
export const decryptWith = (
  key: CryptoKey,
  resource: EncryptedResource
): Effect.Effect<string, DecryptionError> =>
  Effect.flatMap(
    Effect.promise(() =>
      Aead.decryptText(key, {
        algorithm: resource.algorithm,
        ciphertext: resource.ciphertext,
        nonce: resource.nonce,
        associated_data: resource.associated_data
      })
    ),
    (decrypted) =>
      decrypted._tag === "Decrypted"
        ? Effect.succeed(decrypted.text)
        : Effect.fail(new DecryptionError({ reason: decrypted._tag }))
  )

/**
 * @since 0.2.0
 * @category constructors
 */
export const make: Effect.Effect<PayScoreNotifications.Service, never, Signer | KeyStore> = Effect.gen(function*() {
  const signer = yield* Signer
  const keys = yield* KeyStore

  const apiV3Key: Effect.Effect<CryptoKey, InvalidConfig> = Option.match(keys.apiV3Key, {
    onNone: () => Effect.fail(noApiV3Key),
    onSome: Effect.succeed
  })

  const decrypt = Effect.fn("PayScoreNotifications.decrypt")(function*(resource: EncryptedResource) {
    return yield* decryptWith(yield* apiV3Key, resource)
  })

  const parse = Effect.fn("PayScoreNotifications.parse")(function*(notification: RawNotification) {
    const key = yield* apiV3Key
    yield* signer.verify({ headers: notification.headers, body: notification.body })

    const envelope = CoreNotification.parseEnvelope(notification.body)
    if (CoreNotification.isEnvelopeProblem(envelope)) return yield* new DecodeError({ message: envelope.message })
    const { event_type, id, resource, resource_type, summary } = envelope
    const create_time = DateTime.makeUnsafe(envelope.createTimeMillis)
    yield* Effect.annotateCurrentSpan({ "wechatpay.notification.id": id, "wechatpay.event_type": event_type })

    const read = yield* Effect.promise(() => CoreNotification.readResource(key, resource))
    if (read._tag === "DecryptionProblem") return yield* new DecryptionError({ reason: read.reason })
    if (read._tag === "NotJson") return yield* new DecodeError({ message: read.message })
    const json = read.json

    const common = {
      id,
      create_time,
      event_type,
      ...(summary === undefined ? {} : { summary }),
      ...(resource_type === undefined ? {} : { resource_type }),
      ...(resource.original_type == null ? {} : { original_type: resource.original_type })
    }
    const _tag = eventTag(event_type)
    if (_tag === "UnknownEvent") return { _tag, ...common, resource: json } satisfies Notification as Notification

    // verified and decrypted: WeChat Pay would send the same bytes again for three days, so the
    // handler gets a resource that does not decode as it is, with the reason
    const undecodable = (error: Schema.SchemaError) =>
      Effect.gen(function*() {
        const message = describeResourceIssue(error)
        yield* Effect.annotateLogs(
          Effect.logWarning(`effect-wechatpay: the ${event_type} notification ${id} is UndecodableEvent: ${message}`),
          { notification_id: id, event_type }
        )
        return { _tag: "UndecodableEvent", ...common, resource: json, message } satisfies Notification as Notification
      })

    if (_tag === "UserConfirm" || _tag === "UserPaid") {
      const order = decodeServiceOrder(json)
      if (Result.isFailure(order)) return yield* undecodable(order.failure)
      return { _tag, ...common, resource: order.success } satisfies Notification as Notification
    }
    const fields = decodeServiceResource(json)
    if (Result.isFailure(fields)) return yield* undecodable(fields.failure)
    return { _tag, ...common, resource: fields.success } satisfies Notification as Notification
  })

  return PayScoreNotifications.of({ parse, decrypt })
})

/**
 * @since 0.2.0
 * @category layers
 */
export const layer: Layer.Layer<PayScoreNotifications, never, Signer | KeyStore> = Layer.effect(
  PayScoreNotifications,
  make
)

// ---------------------------------------------------------------------------------------------
// HTTP handler
// ---------------------------------------------------------------------------------------------

/**
 * What `httpApp` returns: an HTTP handler in `effect/http`'s terms (v3's `HttpApp.Default`),
 * serve it with `HttpRouter`, or as a web handler with `HttpEffect.toWebHandler`.
 *
 * @since 0.2.0
 * @category http
 */
export type HttpApp<R = never> = Effect.Effect<
  HttpServerResponse.HttpServerResponse,
  never,
  R | PayScoreNotifications | HttpServerRequest.HttpServerRequest
>

/**
 * @since 0.2.0
 * @category http
 */
export interface HttpAppOptions {
  /**
   * Bodies larger than this are refused with 413 before parsing, however they are framed
   * (`Content-Length` or chunked). Default 64 KiB (a notification is about 1 KiB).
   */
  readonly maxBodyBytes?: number | undefined
  /**
   * How long reading the body may take, from the moment the handler starts; a body still arriving
   * then (trickled, or stalled) is answered 408. Default 3 seconds (`DEFAULT_BODY_TIMEOUT`): WeChat
   * Pay sends about 1 KiB at once and waits 5 seconds for the answer. The time to receive the
   * request's headers is the server's (see the README: `headersTimeout`, `requestTimeout`).
   */
  readonly bodyTimeout?: Duration.Input | undefined
}

/**
 * The default body-read deadline of `httpApp`: 3 seconds.
 *
 * @since 0.2.0
 * @category http
 */
export const DEFAULT_BODY_TIMEOUT: Duration.Duration = Duration.seconds(3)

/**
 * The default body cap of `httpApp`: 64 KiB.
 *
 * @since 0.2.0
 * @category http
 */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024

/**
 * The status `httpApp` answers a failed `parse` with: 401 for a signature that does not hold, 500
 * when the merchant has no APIv3 key (a configuration problem on this side: WeChat Pay should retry
 * once it is fixed), 400 for the rest.
 *
 * @since 0.2.0
 * @category http
 */
export const statusOf = (error: NotificationError): number => {
  switch (error._tag) {
    case "VerificationError":
      return 401
    case "InvalidConfig":
      return 500
    case "DecryptionError":
    case "DecodeError":
      return 400
  }
}

/**
 * The `{"code":"FAIL","message":…}` answer WeChat Pay expects when a notification is not accepted.
 *
 * @since 0.2.0
 * @category http
 */
export const failure = (status: number, message: string): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.jsonUnsafe({ code: "FAIL", message }, { status })

/** A refusal before the body is read in full: the rest of the request is not read, so the connection is closed after the answer. */
const refuseAndClose = (status: number, message: string, reason: string) =>
  Effect.map(refuse(status, message, reason), HttpServerResponse.setHeader("connection", "close"))

const verificationMessage = (error: VerificationError): string => {
  const serial = error.serial === undefined ? "" : ` (Wechatpay-Serial ${error.serial})`
  switch (error.reason) {
    case "MissingHeaders":
      return "the notification lacks one of the Wechatpay-Timestamp, -Nonce, -Signature, -Serial headers"
    case "ClockSkew":
      return `Wechatpay-Timestamp is outside the 5-minute window: a replay, or a wrong clock${serial}`
    case "UnknownSerial":
      return `the notification is signed with a key this merchant does not trust${serial}`
    case "BadSignature":
      return `the signature does not hold over the body${serial}`
  }
}

const refuse = (status: number, message: string, reason: string) =>
  Effect.as(
    Effect.annotateLogs(Effect.logWarning(`effect-wechatpay: notification refused (${status}): ${message}`), {
      reason
    }),
    failure(status, message)
  )

/**
 * The notification endpoint as an HTTP handler (an `Effect` of an `HttpServerResponse` that reads the
 * `HttpServerRequest`, as `effect/http`'s router and `HttpEffect.toWebHandler` take): mount it at the
 * path of your `notify_url`.
 *
 * For each request it reads the raw body (at most `maxBodyBytes`, else 413), `parse`s it, and calls
 * `handler` with the notification. The answer is what WeChat Pay expects:
 *
 * | outcome | status | body |
 * |---|---|---|
 * | handled (the handler succeeded) | 204 | empty |
 * | not a POST | 405 | `{"code":"FAIL","message":…}` |
 * | body over the cap (`Content-Length` or chunked) | 413 | same, with `Connection: close` |
 * | body not in within `bodyTimeout` | 408 | same, with `Connection: close` |
 * | body not valid UTF-8 | 401 | same |
 * | signature does not hold (`VerificationError`: forged, tampered, replayed outside the 5-minute window, unknown key, SIGNTEST) | 401 | same |
 * | a known event whose verified resource does not decode (`UndecodableEvent`), once the handler succeeded | 204 | empty |
 * | does not decrypt (`DecryptionError`) or decode (`DecodeError`: not the envelope, a resource that is not JSON) | 400 | same |
 * | no APIv3 key configured (`InvalidConfig`) | 500 | same |
 * | the handler failed or died | 500 | same |
 *
 * Anything but a 2xx makes WeChat Pay retry later. The handler is never called for a refused
 * notification. Messages name what went wrong and never carry key material, plaintext or the
 * handler's error (that one is logged, with `Effect.logError`, for you).
 *
 * Duplicates are not filtered: WeChat Pay may deliver the same notification (same `id`) more than
 * once, and every delivery that verifies reaches `handler`. Make it idempotent on `notification.id`.
 * WeChat Pay waits 5 seconds for the answer: do slow work after acknowledging (a queue).
 *
 * @since 0.2.0
 * @category http
 */
export const httpApp = <E, R>(
  handler: (notification: Notification) => Effect.Effect<void, E, R>,
  options: HttpAppOptions = {}
): HttpApp<R> => {
  const maxBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  const decodedTimeout = InternalOptions.decodeDuration(options.bodyTimeout ?? DEFAULT_BODY_TIMEOUT)
  // a bad option cannot fail here (this is a value, not an effect): every request is refused, logged
  const bodyTimeout = Option.isSome(decodedTimeout) && Duration.isGreaterThan(decodedTimeout.value, Duration.zero) &&
      Duration.isFinite(decodedTimeout.value)
    ? decodedTimeout.value
    : undefined
  const bodyTimeoutText = bodyTimeout === undefined ? "" : Duration.format(bodyTimeout)
  return Effect.gen(function*() {
    if (bodyTimeout === undefined) {
      return yield* refuse(500, "httpApp is misconfigured: bodyTimeout must be a positive duration", "InvalidConfig")
    }
    const request = yield* HttpServerRequest.HttpServerRequest
    if (request.method !== "POST") {
      return yield* refuse(405, "notifications are POSTed", "MethodNotAllowed")
    }
    const body = yield* Effect.result(NotificationBody.read(request, maxBytes, bodyTimeout))
    if (Result.isFailure(body)) {
      switch (body.failure._tag) {
        case "TooLarge":
          return yield* refuseAndClose(413, `the body is larger than ${maxBytes} bytes`, "TooLarge")
        case "TimedOut":
          return yield* refuseAndClose(408, `the body did not arrive within ${bodyTimeoutText}`, "BodyTimeout")
        case "Unreadable":
          return yield* refuseAndClose(400, "the body could not be read", "Unreadable")
      }
    }
    if (!body.success.exact) {
      // no signature can hold over bytes that are not UTF-8 (their text is not them)
      return yield* refuse(401, "the body is not valid UTF-8: its signature cannot hold", "NotUtf8")
    }
    const notifications = yield* PayScoreNotifications
    const parsed = yield* Effect.result(notifications.parse({ headers: request.headers, body: body.success.text }))
    if (Result.isFailure(parsed)) {
      const error = parsed.failure
      const message = error._tag === "InvalidConfig"
        ? "the merchant cannot read notifications yet (configuration)"
        : error._tag === "VerificationError"
        ? verificationMessage(error)
        : error.message
      return yield* refuse(statusOf(error), message, error._tag)
    }
    const notification = parsed.success
    const handled = yield* Effect.exit(handler(notification))
    if (Exit.isFailure(handled)) {
      yield* Effect.annotateLogs(
        Effect.logError("effect-wechatpay: the notification handler failed", handled.cause),
        { notification_id: notification.id, event_type: notification.event_type }
      )
      return failure(
        500,
        Cause.hasInterruptsOnly(handled.cause)
          ? "the notification was not processed (interrupted)"
          : "the merchant failed to process the notification"
      )
    }
    return HttpServerResponse.empty({ status: 204 })
  }).pipe(Effect.withSpan("PayScoreNotifications.httpApp"))
}
