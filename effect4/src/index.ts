/**
 * effect-wechatpay/effect4: the Effect 4 line of the Effect-native client for WeChat Pay APIv3 (the
 * same contract as the Effect 3 line at "effect-wechatpay", in Effect 4's idiom).
 *
 * @since 0.2.0
 */

/**
 * The all-in-one layer: `WechatPay.layer(options)`, `WechatPay.layerConfig()`.
 *
 * @since 0.2.0
 */
export * as WechatPay from "./WechatPay.js"

/**
 * The Pay Score permission endpoints.
 *
 * @since 0.2.0
 */
export * as PayScorePermissions from "./services/PayScorePermissions.js"

/**
 * The Pay Score service orders (支付分订单) of the merchant, partner and acquiring bank.
 *
 * @since 0.2.0
 */
export * as PayScoreServiceOrders from "./services/PayScoreServiceOrders.js"

/**
 * The answers of the service-order calls: `ServiceOrder` (tagged on `state`), `CreatedServiceOrder`, …
 *
 * @since 0.2.0
 */
export * as ServiceOrder from "./schemas/ServiceOrder.js"

/**
 * The user's confirmation page after a create: the `package` forms, and the set signed with the
 * APIv2 key.
 *
 * @since 0.2.0
 */
export * as ServiceOrderConfirmation from "./ServiceOrderConfirmation.js"

/**
 * The parameters of the service-order calls, with their schemas.
 *
 * @since 0.2.0
 */
export * as ServiceOrderRequests from "./schemas/ServiceOrderRequests.js"

/**
 * The HTTP pipeline: any APIv3 path, signed, verified, typed.
 *
 * @since 0.2.0
 */
export * as WechatPayClient from "./services/WechatPayClient.js"

/**
 * Request signatures and answer verification.
 *
 * @since 0.2.0
 */
export * as Signer from "./services/Signer.js"

/**
 * Key management.
 *
 * @since 0.2.0
 */
export * as KeyStore from "./services/KeyStore.js"

/**
 * Platform certificates downloaded with the APIv3 key and kept fresh (`platformCertificates:
 * "auto"`): `certificates` and `refresh`.
 *
 * @since 0.2.0
 */
export * as PlatformCertificates from "./services/PlatformCertificates.js"

/**
 * The transport a client runs its calls over when it is faster than an `HttpClient` (what
 * `UndiciHttpClient.layer` provides next to its `HttpClient`).
 *
 * @since 0.2.0
 */
export * as WechatPayTransport from "./services/WechatPayTransport.js"

/**
 * Parameter and answer schemas of the permission queries.
 *
 * @since 0.2.0
 */
export * as AuthorizationRecord from "./schemas/AuthorizationRecord.js"

/**
 * Parameter and answer schemas of the apply, terminate and partner search endpoints.
 *
 * @since 0.2.0
 */
export * as PermissionRequests from "./schemas/PermissionRequests.js"

/**
 * Parameter and answer schemas of the pre-authorization in a scene (`applyPartnerPermissionsForScene`).
 *
 * @since 0.2.0
 */
export * as SceneRequests from "./schemas/SceneRequests.js"

/**
 * Parameter and answer schemas of 评估用户分层 (`assessUserRiskLevel`).
 *
 * @since 0.2.0
 */
export * as UserRiskLevel from "./schemas/UserRiskLevel.js"

/**
 * Pay Score notifications: `parse` (verify, decrypt, decode) and an HTTP handler.
 *
 * @since 0.2.0
 */
export * as PayScoreNotifications from "./services/PayScoreNotifications.js"

/**
 * Schemas of the notifications: the envelope, the decrypted resource, and the
 * `UserOpenService` | `UserCloseService` | `UserConfirm` | `UserPaid` | `UnknownEvent` union.
 *
 * @since 0.2.0
 */
export * as Notification from "./schemas/Notification.js"

/**
 * WeChat Pay times: RFC 3339 with an offset, or the compact `yyyyMMddHHmmss` in China Standard Time.
 *
 * @since 0.2.0
 */
export * as WechatPayTime from "./schemas/WechatPayTime.js"

/**
 * Every error of the library.
 *
 * @since 0.2.0
 */
export * as WechatPayError from "./errors/WechatPayError.js"
