/**
 * Schemas of the Pay Score authorization notifications (PROTOCOL.md §7): the envelope WeChat Pay
 * POSTs (`id`, `create_time`, `event_type`, `summary`, and an `AEAD_AES_256_GCM` encrypted
 * `resource`), the decrypted resource of `PAYSCORE.USER_OPEN_SERVICE` / `PAYSCORE.USER_CLOSE_SERVICE`,
 * and the tagged union a parsed notification is decoded into:
 * `UserOpenService` | `UserCloseService` | `UnknownEvent` | `UndecodableEvent`.
 *
 * Wire field names are kept; times are `DateTime.Utc` (`WechatPayTime`: RFC 3339 with an offset, or
 * `yyyyMMddHHmmss` in China Standard Time). An `event_type` this library does not know is
 * `UnknownEvent` (its decrypted resource kept as parsed JSON), and a known one whose resource does
 * not decode is `UndecodableEvent` (the JSON and the reason): never a decode failure once the
 * signature holds and the resource decrypts to JSON.
 *
 * @since 0.1.0
 */
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { WechatPayTime } from "./WechatPayTime.js"

/**
 * The `event_type` of an authorization opened by the user (授权成功 / 开启服务).
 *
 * @since 0.1.0
 * @category event types
 */
export const USER_OPEN_SERVICE = "PAYSCORE.USER_OPEN_SERVICE"

/**
 * The `event_type` of an authorization revoked by the user (解除授权 / 关闭服务).
 *
 * @since 0.1.0
 * @category event types
 */
export const USER_CLOSE_SERVICE = "PAYSCORE.USER_CLOSE_SERVICE"

const Text = Schema.optional(Schema.String)

/**
 * A string that may also be `null` or absent on the wire (`associated_data`, `original_type`).
 */
const NullableText = Schema.optional(Schema.NullOr(Schema.String))

/**
 * The encrypted `resource` of a notification. `associated_data` may be empty (or absent), and
 * `original_type` may be missing.
 *
 * @since 0.1.0
 * @category wire
 */
export const EncryptedResource = Schema.Struct({
  algorithm: Schema.String,
  ciphertext: Schema.String,
  nonce: Schema.String,
  associated_data: NullableText,
  original_type: NullableText
})

/**
 * @since 0.1.0
 * @category wire
 */
export type EncryptedResource = typeof EncryptedResource.Type

/**
 * The notification as POSTed, before decryption.
 *
 * @since 0.1.0
 * @category wire
 */
export const Envelope = Schema.Struct({
  id: Schema.String,
  create_time: WechatPayTime,
  event_type: Schema.String,
  resource_type: Text,
  /** Absent in older official examples and other SDKs' models: not required. */
  summary: Text,
  resource: EncryptedResource
})

/**
 * @since 0.1.0
 * @category wire
 */
export type Envelope = typeof Envelope.Type

const OptionalTime = Schema.optional(WechatPayTime)

/**
 * The decrypted `resource` of an authorization notification (opened or closed), decoded.
 *
 * Which fields come, per the official documentation (merchant, partner and acquiring-bank pages)
 * and other SDKs' samples:
 * - `appid`, `mchid`, `service_id`: always. Some sources spell the merchant ids `mch_id` /
 *   `sub_mch_id` (the partner and acquiring-bank samples of fudiwei/DotNetCore.SKIT.FlurlHttpClient.Wechat):
 *   both spellings are read, and kept here as `mchid` / `sub_mchid`.
 * - `openid` (merchant mode) or `sub_openid` (partner mode): one of them (“sub_openid 和 openid
 *   只会返回一个字段”).
 * - `user_service_status` (`USER_OPEN_SERVICE` / `USER_CLOSE_SERVICE`, an open string) and
 *   `openorclose_time`: documented as optional (是否必填：否). `openorclose_time` is the compact
 *   `yyyyMMddHHmmss` in China Standard Time on the wire (`20180225112233`); RFC 3339 is read too.
 * - `authorization_code`, `out_request_no` with pre-authorizations; `sub_appid`, `sub_mchid`,
 *   `channel_id` in partner and acquiring-bank modes.
 *
 * Fields not listed are ignored.
 *
 * @since 0.1.0
 * @category resources
 */
export const ServiceResourceFields = Schema.Struct({
  appid: Schema.String,
  mchid: Schema.String,
  service_id: Schema.String,
  openid: Text,
  sub_openid: Text,
  sub_appid: Text,
  sub_mchid: Text,
  channel_id: Text,
  user_service_status: Text,
  openorclose_time: OptionalTime,
  authorization_code: Text,
  out_request_no: Text
})

/**
 * The resource as WeChat Pay may send it: `mchid` or `mch_id`, `sub_mchid` or `sub_mch_id`.
 */
const ServiceResourceWire = Schema.Struct({
  ...ServiceResourceFields.fields,
  mchid: Text,
  mch_id: Text,
  sub_mch_id: Text
})

/**
 * The decrypted `resource` of an authorization notification, read from either spelling of the
 * merchant ids (see {@link ServiceResourceFields}); at least one of `openid` / `sub_openid`.
 *
 * @since 0.1.0
 * @category resources
 */
export const ServiceResource = Schema.transformOrFail(
  ServiceResourceWire,
  Schema.typeSchema(ServiceResourceFields),
  {
    strict: true,
    decode: (wire, _, ast) => {
      const { mch_id, mchid, sub_mch_id, sub_mchid, ...rest } = wire
      const merchant = mchid ?? mch_id
      if (merchant === undefined) {
        return ParseResult.fail(new ParseResult.Type(ast, wire, "mchid (or mch_id) is required"))
      }
      if (rest.openid === undefined && rest.sub_openid === undefined) {
        return ParseResult.fail(new ParseResult.Type(ast, wire, "openid or sub_openid is required"))
      }
      const subMerchant = sub_mchid ?? sub_mch_id
      return ParseResult.succeed({
        ...rest,
        mchid: merchant,
        ...(subMerchant === undefined ? {} : { sub_mchid: subMerchant })
      })
    },
    encode: (resource) => ParseResult.succeed(resource)
  }
)

/**
 * @since 0.1.0
 * @category resources
 */
export type ServiceResource = typeof ServiceResource.Type

const EnvelopeFields = {
  id: Schema.String,
  create_time: WechatPayTime,
  event_type: Schema.String,
  resource_type: Text,
  /** WeChat Pay's summary (e.g. `支付分服务开通`); absent in older official examples and other SDKs' models. */
  summary: Text,
  /** The resource's `original_type` (e.g. `payscore`), when WeChat Pay sent one. */
  original_type: Text
}

/**
 * `PAYSCORE.USER_OPEN_SERVICE`: the user authorized the service.
 *
 * @since 0.1.0
 * @category notifications
 */
export const UserOpenService = Schema.TaggedStruct("UserOpenService", {
  ...EnvelopeFields,
  resource: ServiceResource
})

/**
 * @since 0.1.0
 * @category notifications
 */
export type UserOpenService = typeof UserOpenService.Type

/**
 * `PAYSCORE.USER_CLOSE_SERVICE`: the user revoked the authorization.
 *
 * @since 0.1.0
 * @category notifications
 */
export const UserCloseService = Schema.TaggedStruct("UserCloseService", {
  ...EnvelopeFields,
  resource: ServiceResource
})

/**
 * @since 0.1.0
 * @category notifications
 */
export type UserCloseService = typeof UserCloseService.Type

/**
 * Any other `event_type` (WeChat Pay adds events over time): verified and decrypted, its resource
 * kept as the parsed JSON.
 *
 * @since 0.1.0
 * @category notifications
 */
export const UnknownEvent = Schema.TaggedStruct("UnknownEvent", {
  ...EnvelopeFields,
  resource: Schema.Unknown
})

/**
 * @since 0.1.0
 * @category notifications
 */
export type UnknownEvent = typeof UnknownEvent.Type

/**
 * `PAYSCORE.USER_OPEN_SERVICE` or `PAYSCORE.USER_CLOSE_SERVICE` whose signature holds and whose
 * resource decrypts to JSON, but not to the documented resource (a required field missing, a time
 * in neither format, …). It is not refused: WeChat Pay would re-send the same bytes for three days.
 * `resource` is the decrypted JSON as parsed; `message` says what did not decode (by path, without
 * values). `parse` logs it at Warning; `httpApp` acknowledges it like any handled notification.
 *
 * @since 0.1.0
 * @category notifications
 */
export const UndecodableEvent = Schema.TaggedStruct("UndecodableEvent", {
  ...EnvelopeFields,
  resource: Schema.Unknown,
  message: Schema.String
})

/**
 * @since 0.1.0
 * @category notifications
 */
export type UndecodableEvent = typeof UndecodableEvent.Type

/**
 * A verified, decrypted, decoded notification. Match on `_tag`; `id` identifies the notification
 * across WeChat Pay's retries (duplicates happen: handle them idempotently by `id`).
 *
 * @since 0.1.0
 * @category notifications
 */
export const Notification = Schema.Union(UserOpenService, UserCloseService, UnknownEvent, UndecodableEvent)

/**
 * @since 0.1.0
 * @category notifications
 */
export type Notification = typeof Notification.Type

/**
 * The `_tag` of each `event_type`; any other is `UnknownEvent`.
 *
 * @since 0.1.0
 * @category notifications
 */
export const eventTag = (eventType: string): "UserOpenService" | "UserCloseService" | "UnknownEvent" => {
  switch (eventType) {
    case USER_OPEN_SERVICE:
      return "UserOpenService"
    case USER_CLOSE_SERVICE:
      return "UserCloseService"
    default:
      return "UnknownEvent"
  }
}
