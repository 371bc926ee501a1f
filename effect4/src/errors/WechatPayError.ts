/**
 * Every failure of the library, as `Schema.TaggedError` classes: inputs refused before sending,
 * WeChat Pay's own error answers, answers that fail verification, transport failures, decode
 * failures and configuration errors. None of them ever carries key material, the APIv3 key or the
 * `Authorization` header.
 *
 * The Effect 4 line: the same tags, fields and messages as the Effect 3 line's errors.
 *
 * @since 0.2.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"

/**
 * A parameter is empty, too long, or has characters it may not have. Checked before anything is sent.
 *
 * @since 0.2.0
 * @category errors
 */
export class InvalidInput extends Schema.TaggedError<InvalidInput>("effect-wechatpay/InvalidInput")("InvalidInput", {
  field: Schema.String,
  message: Schema.String
}) {}

/**
 * The fields every WeChat Pay error answer carries: the HTTP status, WeChat Pay's `code` and
 * `message`, its `detail` when present (on `SIGN_ERROR`, `detail.sign_information` is the best
 * debugging aid there is) and the `Request-ID` header that identifies the call for WeChat Pay support.
 *
 * @since 0.2.0
 * @category errors
 */
export const ApiErrorFields = {
  status: Schema.Number,
  code: Schema.String,
  message: Schema.String,
  detail: Schema.optional(Schema.Unknown),
  requestId: Schema.optional(Schema.String)
}

/**
 * 400 `PARAM_ERROR`.
 *
 * @since 0.2.0
 * @category errors
 */
export class ParamError
  extends Schema.TaggedError<ParamError>("effect-wechatpay/ParamError")("ParamError", ApiErrorFields)
{}

/**
 * 400 `INVALID_REQUEST` (also: missing `Accept` or `User-Agent`).
 *
 * @since 0.2.0
 * @category errors
 */
export class InvalidRequest
  extends Schema.TaggedError<InvalidRequest>("effect-wechatpay/InvalidRequest")("InvalidRequest", ApiErrorFields)
{}

/**
 * 401 `SIGN_ERROR`: WeChat Pay did not accept our signature (wrong key or serial, clock more than
 * 5 minutes off). `detail.sign_information` says what WeChat Pay signed.
 *
 * @since 0.2.0
 * @category errors
 */
export class SignError
  extends Schema.TaggedError<SignError>("effect-wechatpay/SignError")("SignError", ApiErrorFields)
{}

/**
 * 403 `NO_AUTH`: the merchant lacks the permission or the service is not authorized.
 *
 * @since 0.2.0
 * @category errors
 */
export class NoAuth extends Schema.TaggedError<NoAuth>("effect-wechatpay/NoAuth")("NoAuth", ApiErrorFields) {}

/**
 * Any 404 (`NOT_FOUND`, `ORDER_NOT_EXIST`, …): no such authorization record.
 *
 * @since 0.2.0
 * @category errors
 */
export class NotFound extends Schema.TaggedError<NotFound>("effect-wechatpay/NotFound")("NotFound", ApiErrorFields) {}

/**
 * 429 (any code), once the retry budget is spent.
 *
 * @since 0.2.0
 * @category errors
 */
export class FrequencyLimited extends Schema.TaggedError<FrequencyLimited>("effect-wechatpay/FrequencyLimited")(
  "FrequencyLimited",
  ApiErrorFields
) {}

/**
 * Any 5xx (code from the body when there is one), once the retry budget is spent.
 *
 * @since 0.2.0
 * @category errors
 */
export class SystemError
  extends Schema.TaggedError<SystemError>("effect-wechatpay/SystemError")("SystemError", ApiErrorFields)
{}

/**
 * Any other non-2xx answer. `code` is WeChat Pay's, kept as an open string.
 *
 * @since 0.2.0
 * @category errors
 */
export class ApiError extends Schema.TaggedError<ApiError>("effect-wechatpay/ApiError")("ApiError", ApiErrorFields) {}

/**
 * Why an answer (or a notification) failed verification.
 *
 * @since 0.2.0
 * @category errors
 */
export const VerificationReason = Schema.Literals(["MissingHeaders", "ClockSkew", "UnknownSerial", "BadSignature"])

/**
 * @since 0.2.0
 * @category errors
 */
export type VerificationReason = typeof VerificationReason.Type

const verificationMessages: Record<VerificationReason, string> = {
  MissingHeaders:
    "the answer lacks one of Wechatpay-Timestamp, Wechatpay-Nonce, Wechatpay-Signature, Wechatpay-Serial: it was not signed by WeChat Pay",
  ClockSkew:
    "the answer's Wechatpay-Timestamp is too far from the local clock (or not a number): a replay, or a wrong clock",
  UnknownSerial: "the answer is signed with a key this merchant does not trust (Wechatpay-Serial is unknown)",
  BadSignature:
    "the answer's signature does not hold over its exact body: tampered, signed with another key, or a SIGNTEST probe"
}

/**
 * A 2xx answer (or a signed non-2xx) whose signature does not hold. Never a success.
 *
 * @since 0.2.0
 * @category errors
 */
export class VerificationError
  extends Schema.TaggedError<VerificationError>("effect-wechatpay/VerificationError")("VerificationError", {
    reason: VerificationReason,
    /** The `Wechatpay-Serial` the answer carried (the key WeChat Pay says it signed with). */
    serial: Schema.optional(Schema.String),
    /** The serials / public key ids this client trusts, when the check got that far. */
    trusted: Schema.optional(Schema.Array(Schema.String))
  })
{
  /** @since 0.2.0 */
  override get message(): string {
    const carried = this.serial === undefined ? "" : `; the answer carried Wechatpay-Serial ${this.serial}`
    const trusted = this.trusted === undefined
      ? ""
      : this.trusted.length === 0
      ? "; no key is configured"
      : `; configured: ${this.trusted.join(", ")}`
    return `${verificationMessages[this.reason]}${carried}${trusted}`
  }

  /**
   * The fields, and `message` too (a getter, which `JSON.stringify` would otherwise leave out).
   *
   * @since 0.2.0
   */
  override toJSON(): unknown {
    return {
      _tag: this._tag,
      reason: this.reason,
      ...(this.serial === undefined ? {} : { serial: this.serial }),
      ...(this.trusted === undefined ? {} : { trusted: this.trusted }),
      message: this.message
    }
  }
}

/**
 * Which side of the line a transport failure fell on: `NeverSent` (nothing of the request left: the
 * connection was refused, the name did not resolve, the URL or port was refused by the runtime, the
 * request could not be built), so even a POST may be sent again; `OutcomeUnknown` (a reset, a
 * closed connection, a body cut short or over `maxResponseBytes`, a timeout): the request may have
 * reached WeChat Pay, so query the record before repeating a POST.
 *
 * @since 0.2.0
 * @category errors
 */
export const TransportFailureReason = Schema.Literals(["NeverSent", "OutcomeUnknown"])

/**
 * @since 0.2.0
 * @category errors
 */
export type TransportFailureReason = typeof TransportFailureReason.Type

/**
 * The network failed or an attempt timed out, once the retry budget is spent. `reason` says which
 * side of the line the failure fell on (the retry rule reads it: a POST is retried only when
 * `NeverSent`); the message starts with it too: `never sent: …` or `sent, but …`. Constructed
 * without a `reason` (a mock), it is `OutcomeUnknown`, the safe assumption.
 *
 * @since 0.2.0
 * @category errors
 */
export class TransportError extends Schema.TaggedError<TransportError>("effect-wechatpay/TransportError")(
  "TransportError",
  {
    reason: TransportFailureReason.pipe(Schema.withConstructorDefault(Effect.succeed("OutcomeUnknown" as const))),
    message: Schema.String,
    cause: Schema.optional(Schema.Defect())
  }
) {}

/**
 * A verified answer whose body is not the documented shape.
 *
 * @since 0.2.0
 * @category errors
 */
export class DecodeError
  extends Schema.TaggedError<DecodeError>("effect-wechatpay/DecodeError")("DecodeError", { message: Schema.String })
{}

/**
 * Why an encrypted resource (a notification's `resource`) could not be decrypted.
 *
 * @since 0.2.0
 * @category errors
 */
export const DecryptionReason = Schema.Literals(["UnsupportedAlgorithm", "MalformedCiphertext", "AuthenticationFailed"])

/**
 * @since 0.2.0
 * @category errors
 */
export type DecryptionReason = typeof DecryptionReason.Type

const decryptionMessages: Record<DecryptionReason, string> = {
  UnsupportedAlgorithm: "the resource is encrypted with an algorithm other than AEAD_AES_256_GCM",
  MalformedCiphertext: "the resource's ciphertext is not base64 of at least the 16-byte tag",
  AuthenticationFailed:
    "the resource does not decrypt with the APIv3 key: another merchant's key, a changed ciphertext, nonce or associated_data"
}

/**
 * A verified notification whose `resource` does not decrypt with the APIv3 key. The message names
 * the reason only: never key material, never plaintext.
 *
 * @since 0.2.0
 * @category errors
 */
export class DecryptionError
  extends Schema.TaggedError<DecryptionError>("effect-wechatpay/DecryptionError")("DecryptionError", {
    reason: DecryptionReason
  })
{
  /** @since 0.2.0 */
  override get message(): string {
    return decryptionMessages[this.reason]
  }
}

/**
 * The layer cannot be built: unparseable key, wrong APIv3 key length, no verifier, bad URL, …
 * `option` names the option (or environment variable) to fix.
 *
 * @since 0.2.0
 * @category errors
 */
export class InvalidConfig extends Schema.TaggedError<InvalidConfig>("effect-wechatpay/InvalidConfig")(
  "InvalidConfig",
  { option: Schema.String, message: Schema.String }
) {}

/**
 * A non-2xx answer from WeChat Pay, whatever its status.
 *
 * @since 0.2.0
 * @category errors
 */
export type ApiErrors =
  | ParamError
  | InvalidRequest
  | SignError
  | NoAuth
  | NotFound
  | FrequencyLimited
  | SystemError
  | ApiError

/**
 * What any call through `WechatPayClient` can fail with.
 *
 * @since 0.2.0
 * @category errors
 */
export type ClientError = InvalidInput | ApiErrors | VerificationError | TransportError | DecodeError

/**
 * The same union as a Schema, for decoding errors that crossed a process boundary (CLI, logs).
 *
 * @since 0.2.0
 * @category schemas
 */
export const ClientError = Schema.Union([
  InvalidInput,
  ParamError,
  InvalidRequest,
  SignError,
  NoAuth,
  NotFound,
  FrequencyLimited,
  SystemError,
  ApiError,
  VerificationError,
  TransportError,
  DecodeError
])

/**
 * Every error of the client calls and layers (notifications add `DecryptionError`: see
 * `NotificationError`).
 *
 * @since 0.2.0
 * @category errors
 */
export type WechatPayError = ClientError | InvalidConfig

/**
 * What parsing a notification can fail with: its signature (`VerificationError`), its encrypted
 * resource (`DecryptionError`), its shape (`DecodeError`), or a merchant without an APIv3 key
 * (`InvalidConfig`, option `apiV3Key`).
 *
 * @since 0.2.0
 * @category errors
 */
export type NotificationError = VerificationError | DecryptionError | DecodeError | InvalidConfig
