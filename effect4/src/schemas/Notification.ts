/**
 * Schemas of the Pay Score notifications (`core/notification.ts` reads the envelope): the envelope WeChat Pay
 * POSTs (`id`, `create_time`, `event_type`, `summary`, and an `AEAD_AES_256_GCM` encrypted
 * `resource`), the decrypted resource of `PAYSCORE.USER_OPEN_SERVICE` / `PAYSCORE.USER_CLOSE_SERVICE`
 * (authorizations) and of `PAYSCORE.USER_CONFIRM` / `PAYSCORE.USER_PAID` (service orders: the order,
 * `ServiceOrder`), and the tagged union a parsed notification is decoded into:
 * `UserOpenService` | `UserCloseService` | `UserConfirm` | `UserPaid` | `UnknownEvent` | `UndecodableEvent`.
 *
 * Wire field names are kept; times are `DateTime.Utc` (`WechatPayTime`: RFC 3339 with an offset, or
 * `yyyyMMddHHmmss` in China Standard Time). An `event_type` this library does not know is
 * `UnknownEvent` (its decrypted resource kept as parsed JSON), and a known one whose resource does
 * not decode is `UndecodableEvent` (the JSON and the reason): never a decode failure once the
 * signature holds and the resource decrypts to JSON.
 *
 * @since 0.2.0
 */
import type * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as SchemaGetter from "effect/SchemaGetter"
import * as SchemaIssue from "effect/SchemaIssue"
import * as CoreNotification from "../../../src/core/notification.js"
import type { EncodedFields, VariantSchema } from "./AuthorizationRecord.js"
import { ServiceOrder } from "./ServiceOrder.js"
import { WechatPayTime } from "./WechatPayTime.js"

/**
 * The `event_type` of an authorization opened by the user (授权成功 / 开启服务).
 *
 * @since 0.2.0
 * @category event types
 */
export const USER_OPEN_SERVICE = CoreNotification.USER_OPEN_SERVICE

/**
 * The `event_type` of an authorization revoked by the user (解除授权 / 关闭服务).
 *
 * @since 0.2.0
 * @category event types
 */
export const USER_CLOSE_SERVICE = CoreNotification.USER_CLOSE_SERVICE

/**
 * The `event_type` of a service order the user confirmed (用户确认订单): the resource is the order,
 * DOING / USER_CONFIRM.
 *
 * @since 0.2.0
 * @category event types
 */
export const USER_CONFIRM = CoreNotification.USER_CONFIRM

/**
 * The `event_type` of a service order the user paid (支付成功): the resource is the order, DONE with
 * its `collection`. WeChat Pay may send it more than once.
 *
 * @since 0.2.0
 * @category event types
 */
export const USER_PAID = CoreNotification.USER_PAID

const Text = Schema.optional(Schema.String)

/**
 * A string that may also be `null` or absent on the wire (`associated_data`, `original_type`).
 */
const NullableText = Schema.optional(Schema.NullOr(Schema.String))

/**
 * The encrypted `resource` of a notification. `associated_data` may be empty (or absent), and
 * `original_type` may be missing.
 *
 * @since 0.2.0
 * @category wire
 */
export interface EncryptedResource {
  readonly algorithm: string
  readonly ciphertext: string
  readonly nonce: string
  readonly associated_data?: string | null | undefined
  readonly original_type?: string | null | undefined
}

/**
 * @since 0.2.0
 * @category wire
 */
export const EncryptedResource: Schema.Codec<EncryptedResource> = Schema.Struct({
  algorithm: Schema.String,
  ciphertext: Schema.String,
  nonce: Schema.String,
  associated_data: NullableText,
  original_type: NullableText
})

/**
 * The notification as POSTed, before decryption.
 *
 * @since 0.2.0
 * @category wire
 */
export interface Envelope {
  readonly id: string
  readonly create_time: DateTime.Utc
  readonly event_type: string
  readonly resource_type?: string | undefined
  readonly summary?: string | undefined
  readonly resource: EncryptedResource
}

/**
 * @since 0.2.0
 * @category wire
 */
export declare namespace Envelope {
  /** The envelope as sent: `create_time` is a string. @since 0.2.0 */
  export interface Encoded extends EncodedFields<Envelope> {}
}

/**
 * @since 0.2.0
 * @category wire
 */
export const Envelope: Schema.Codec<Envelope, Envelope.Encoded> = Schema.Struct({
  id: Schema.String,
  create_time: WechatPayTime,
  event_type: Schema.String,
  resource_type: Text,
  /** Absent in older official examples and other SDKs' models: not required. */
  summary: Text,
  resource: EncryptedResource
})

const OptionalTime = Schema.optional(WechatPayTime)

/**
 * The decrypted `resource` of an authorization notification, decoded.
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
 * @since 0.2.0
 * @category resources
 */
export interface ServiceResource {
  readonly appid: string
  readonly mchid: string
  readonly service_id: string
  readonly openid?: string | undefined
  readonly sub_openid?: string | undefined
  readonly sub_appid?: string | undefined
  readonly sub_mchid?: string | undefined
  readonly channel_id?: string | undefined
  readonly user_service_status?: string | undefined
  readonly openorclose_time?: DateTime.Utc | undefined
  readonly authorization_code?: string | undefined
  readonly out_request_no?: string | undefined
}

/**
 * @since 0.2.0
 * @category resources
 */
export declare namespace ServiceResource {
  /**
   * The resource as WeChat Pay may send it: `mchid` or `mch_id`, `sub_mchid` or `sub_mch_id`;
   * `openorclose_time` a string.
   *
   * @since 0.2.0
   */
  export interface Encoded {
    readonly appid: string
    readonly mchid?: string | undefined
    readonly mch_id?: string | undefined
    readonly service_id: string
    readonly openid?: string | undefined
    readonly sub_openid?: string | undefined
    readonly sub_appid?: string | undefined
    readonly sub_mchid?: string | undefined
    readonly sub_mch_id?: string | undefined
    readonly channel_id?: string | undefined
    readonly user_service_status?: string | undefined
    readonly openorclose_time?: string | undefined
    readonly authorization_code?: string | undefined
    readonly out_request_no?: string | undefined
  }
}

/**
 * @since 0.2.0
 * @category resources
 */
export declare namespace ServiceResourceFields {
  /** The resource in one spelling (`mchid`, `sub_mchid`), `openorclose_time` a string. @since 0.2.0 */
  export interface Encoded extends EncodedFields<ServiceResource> {}
}

const resourceFields = {
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
}

/**
 * The fields of the decrypted `resource` ({@link ServiceResource}), in one spelling of the
 * merchant ids (`mchid`, `sub_mchid`).
 *
 * @since 0.2.0
 * @category resources
 */
export const ServiceResourceFields: Schema.Codec<ServiceResource, ServiceResourceFields.Encoded> = Schema.Struct(
  resourceFields
)

/**
 * The resource as WeChat Pay may send it: `mchid` or `mch_id`, `sub_mchid` or `sub_mch_id`.
 */
const ServiceResourceWire = Schema.Struct({
  ...resourceFields,
  mchid: Text,
  mch_id: Text,
  sub_mch_id: Text
})

/**
 * The decrypted `resource` of an authorization notification, read from either spelling of the
 * merchant ids (see {@link ServiceResource}); at least one of `openid` / `sub_openid`.
 *
 * @since 0.2.0
 * @category resources
 */
export const ServiceResource: Schema.Codec<ServiceResource, ServiceResource.Encoded> = ServiceResourceWire.pipe(
  Schema.decodeTo(Schema.toType(ServiceResourceFields), {
    decode: SchemaGetter.transformEffect((wire: typeof ServiceResourceWire.Type) => {
      const { mch_id, mchid, sub_mch_id, sub_mchid, ...rest } = wire
      const merchant = mchid ?? mch_id
      if (merchant === undefined) {
        return Effect.fail(new SchemaIssue.InvalidValue({ message: "mchid (or mch_id) is required" }, wire))
      }
      if (rest.openid === undefined && rest.sub_openid === undefined) {
        return Effect.fail(new SchemaIssue.InvalidValue({ message: "openid or sub_openid is required" }, wire))
      }
      const subMerchant = sub_mchid ?? sub_mch_id
      return Effect.succeed<ServiceResource>({
        ...rest,
        mchid: merchant,
        ...(subMerchant === undefined ? {} : { sub_mchid: subMerchant })
      })
    }),
    encode: SchemaGetter.transform((resource: ServiceResource) => resource)
  })
)

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
 * A verified, decrypted, decoded notification: `UserOpenService` | `UserCloseService` (an
 * authorization) | `UserConfirm` | `UserPaid` (a service order) | `UnknownEvent` |
 * `UndecodableEvent`. Match on `_tag`; `id` identifies the notification across WeChat Pay's retries
 * (duplicates happen: handle them idempotently by `id`).
 *
 * @since 0.2.0
 * @category notifications
 */
export type Notification =
  | UserOpenService
  | UserCloseService
  | UserConfirm
  | UserPaid
  | UnknownEvent
  | UndecodableEvent

/**
 * The fields every notification has, and the union's wire form.
 *
 * @since 0.2.0
 * @category notifications
 */
export declare namespace Notification {
  /** The envelope's fields, decoded, in every variant. @since 0.2.0 */
  export interface Fields {
    readonly id: string
    readonly create_time: DateTime.Utc
    readonly event_type: string
    readonly resource_type?: string | undefined
    readonly summary?: string | undefined
    /** The resource's `original_type` (e.g. `payscore`), when WeChat Pay sent one. */
    readonly original_type?: string | undefined
  }
  /** The envelope's fields with `create_time` a string. @since 0.2.0 */
  export interface FieldsEncoded extends EncodedFields<Fields> {}
  /** The union's encoded form (each variant's `Encoded`). @since 0.2.0 */
  export type Encoded =
    | UserOpenService.Encoded
    | UserCloseService.Encoded
    | UserConfirm.Encoded
    | UserPaid.Encoded
    | UnknownEvent.Encoded
    | UndecodableEvent.Encoded
}

/**
 * `PAYSCORE.USER_OPEN_SERVICE`: the user authorized the service.
 *
 * @since 0.2.0
 * @category notifications
 */
export interface UserOpenService extends Notification.Fields {
  readonly _tag: "UserOpenService"
  readonly resource: ServiceResource
}

/**
 * @since 0.2.0
 * @category notifications
 */
export declare namespace UserOpenService {
  /** @since 0.2.0 */
  export interface Encoded extends Notification.FieldsEncoded {
    readonly _tag: "UserOpenService"
    readonly resource: ServiceResource.Encoded
  }
}

/**
 * @since 0.2.0
 * @category notifications
 */
export const UserOpenService: VariantSchema<UserOpenService, UserOpenService.Encoded> = Schema.TaggedStruct(
  "UserOpenService",
  { ...EnvelopeFields, resource: ServiceResource }
)

/**
 * `PAYSCORE.USER_CLOSE_SERVICE`: the user revoked the authorization.
 *
 * @since 0.2.0
 * @category notifications
 */
export interface UserCloseService extends Notification.Fields {
  readonly _tag: "UserCloseService"
  readonly resource: ServiceResource
}

/**
 * @since 0.2.0
 * @category notifications
 */
export declare namespace UserCloseService {
  /** @since 0.2.0 */
  export interface Encoded extends Notification.FieldsEncoded {
    readonly _tag: "UserCloseService"
    readonly resource: ServiceResource.Encoded
  }
}

/**
 * @since 0.2.0
 * @category notifications
 */
export const UserCloseService: VariantSchema<UserCloseService, UserCloseService.Encoded> = Schema.TaggedStruct(
  "UserCloseService",
  { ...EnvelopeFields, resource: ServiceResource }
)

/**
 * `PAYSCORE.USER_CONFIRM`: the user confirmed a service order (merchant, partner or acquiring
 * bank). `resource` is the order (DOING / USER_CONFIRM); a partner routes it by
 * `resource.sub_mchid`.
 *
 * @since 0.2.0
 * @category notifications
 */
export interface UserConfirm extends Notification.Fields {
  readonly _tag: "UserConfirm"
  readonly resource: ServiceOrder
}

/**
 * @since 0.2.0
 * @category notifications
 */
export declare namespace UserConfirm {
  /** @since 0.2.0 */
  export interface Encoded extends Notification.FieldsEncoded {
    readonly _tag: "UserConfirm"
    readonly resource: ServiceOrder.Encoded
  }
}

/**
 * @since 0.2.0
 * @category notifications
 */
export const UserConfirm: VariantSchema<UserConfirm, UserConfirm.Encoded> = Schema.TaggedStruct("UserConfirm", {
  ...EnvelopeFields,
  resource: ServiceOrder
})

/**
 * `PAYSCORE.USER_PAID`: the user paid a service order (merchant, partner or acquiring bank).
 * `resource` is the order (DONE, with `collection`); a partner routes it by `resource.sub_mchid`.
 * WeChat Pay may send it more than once: handle it idempotently (by `id`, or by the order).
 *
 * @since 0.2.0
 * @category notifications
 */
export interface UserPaid extends Notification.Fields {
  readonly _tag: "UserPaid"
  readonly resource: ServiceOrder
}

/**
 * @since 0.2.0
 * @category notifications
 */
export declare namespace UserPaid {
  /** @since 0.2.0 */
  export interface Encoded extends Notification.FieldsEncoded {
    readonly _tag: "UserPaid"
    readonly resource: ServiceOrder.Encoded
  }
}

/**
 * @since 0.2.0
 * @category notifications
 */
export const UserPaid: VariantSchema<UserPaid, UserPaid.Encoded> = Schema.TaggedStruct("UserPaid", {
  ...EnvelopeFields,
  resource: ServiceOrder
})

/**
 * Any other `event_type` (WeChat Pay adds events over time): verified and decrypted, its resource
 * kept as the parsed JSON.
 *
 * @since 0.2.0
 * @category notifications
 */
export interface UnknownEvent extends Notification.Fields {
  readonly _tag: "UnknownEvent"
  /** The decrypted resource, as parsed JSON. */
  readonly resource: unknown
}

/**
 * @since 0.2.0
 * @category notifications
 */
export declare namespace UnknownEvent {
  /** @since 0.2.0 */
  export interface Encoded extends Notification.FieldsEncoded {
    readonly _tag: "UnknownEvent"
    readonly resource: unknown
  }
}

/**
 * @since 0.2.0
 * @category notifications
 */
export const UnknownEvent: VariantSchema<UnknownEvent, UnknownEvent.Encoded> = Schema.TaggedStruct("UnknownEvent", {
  ...EnvelopeFields,
  resource: Schema.Unknown
})

/**
 * A known event (`PAYSCORE.USER_OPEN_SERVICE`, `PAYSCORE.USER_CLOSE_SERVICE`,
 * `PAYSCORE.USER_CONFIRM`, `PAYSCORE.USER_PAID`) whose signature holds and whose
 * resource decrypts to JSON, but not to the documented resource (a required field missing, a time
 * in neither format, …). It is not refused: WeChat Pay would re-send the same bytes for three days.
 * `resource` is the decrypted JSON as parsed; `message` says what did not decode (by path, without
 * values). `parse` logs it at Warning; `httpApp` acknowledges it like any handled notification.
 *
 * @since 0.2.0
 * @category notifications
 */
export interface UndecodableEvent extends Notification.Fields {
  readonly _tag: "UndecodableEvent"
  /** The decrypted resource, as parsed JSON. */
  readonly resource: unknown
  /** What did not decode, by path, without values. */
  readonly message: string
}

/**
 * @since 0.2.0
 * @category notifications
 */
export declare namespace UndecodableEvent {
  /** @since 0.2.0 */
  export interface Encoded extends Notification.FieldsEncoded {
    readonly _tag: "UndecodableEvent"
    readonly resource: unknown
    readonly message: string
  }
}

/**
 * @since 0.2.0
 * @category notifications
 */
export const UndecodableEvent: VariantSchema<UndecodableEvent, UndecodableEvent.Encoded> = Schema.TaggedStruct(
  "UndecodableEvent",
  { ...EnvelopeFields, resource: Schema.Unknown, message: Schema.String }
)

/**
 * The schema of a decoded notification: the union of the six variants.
 *
 * @since 0.2.0
 * @category notifications
 */
export const Notification: Schema.Codec<Notification, Notification.Encoded> = Schema.Union([
  UserOpenService,
  UserCloseService,
  UserConfirm,
  UserPaid,
  UnknownEvent,
  UndecodableEvent
])

/**
 * The `_tag` of each `event_type`; any other is `UnknownEvent`.
 *
 * @since 0.2.0
 * @category notifications
 */
export const eventTag: (
  eventType: string
) => "UserOpenService" | "UserCloseService" | "UserConfirm" | "UserPaid" | "UnknownEvent" = CoreNotification.eventTag
