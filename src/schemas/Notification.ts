/**
 * Schemas of the Pay Score authorization notifications (PROTOCOL.md §7): the envelope WeChat Pay
 * POSTs (`id`, `create_time`, `event_type`, `summary`, and an `AEAD_AES_256_GCM` encrypted
 * `resource`), the decrypted resource of `PAYSCORE.USER_OPEN_SERVICE` / `PAYSCORE.USER_CLOSE_SERVICE`,
 * and the tagged union a parsed notification is decoded into:
 * `UserOpenService` | `UserCloseService` | `UnknownEvent`.
 *
 * Wire field names are kept; times are `DateTime.Utc`. An `event_type` this library does not know
 * is `UnknownEvent` (its decrypted resource kept as parsed JSON), never a decode failure.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

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
  create_time: Schema.DateTimeUtc,
  event_type: Schema.String,
  resource_type: Text,
  summary: Schema.String,
  resource: EncryptedResource
})

/**
 * @since 0.1.0
 * @category wire
 */
export type Envelope = typeof Envelope.Type

/**
 * The decrypted `resource` of an authorization notification (opened or closed), under its wire
 * names. `openid` (merchant mode) or `sub_openid` (partner mode): at least one of them is present.
 * `authorization_code` and `out_request_no` come with pre-authorizations only; `sub_appid`,
 * `sub_mchid` and `channel_id` in partner and acquiring-bank modes. `user_service_status` is
 * `USER_OPEN_SERVICE` or `USER_CLOSE_SERVICE`, kept as an open string.
 *
 * @since 0.1.0
 * @category resources
 */
export const ServiceResource = Schema.Struct({
  appid: Schema.String,
  mchid: Schema.String,
  service_id: Schema.String,
  openid: Text,
  sub_openid: Text,
  sub_appid: Text,
  sub_mchid: Text,
  channel_id: Text,
  user_service_status: Schema.String,
  openorclose_time: Schema.DateTimeUtc,
  authorization_code: Text,
  out_request_no: Text
}).pipe(
  Schema.filter((r) => r.openid !== undefined || r.sub_openid !== undefined || "openid or sub_openid is required")
)

/**
 * @since 0.1.0
 * @category resources
 */
export type ServiceResource = typeof ServiceResource.Type

const EnvelopeFields = {
  id: Schema.String,
  create_time: Schema.DateTimeUtc,
  event_type: Schema.String,
  resource_type: Text,
  summary: Schema.String,
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
 * A verified, decrypted, decoded notification. Match on `_tag`; `id` identifies the notification
 * across WeChat Pay's retries (duplicates happen: handle them idempotently by `id`).
 *
 * @since 0.1.0
 * @category notifications
 */
export const Notification = Schema.Union(UserOpenService, UserCloseService, UnknownEvent)

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
export const eventTag = (eventType: string): Notification["_tag"] => {
  switch (eventType) {
    case USER_OPEN_SERVICE:
      return "UserOpenService"
    case USER_CLOSE_SERVICE:
      return "UserCloseService"
    default:
      return "UnknownEvent"
  }
}
