/**
 * Mock layers for testing your own program: each service of the library as a `Layer.mock`, given
 * only the methods your program calls (any other method dies with an `UnimplementedError` naming
 * it), and the records' variants to build answers with.
 *
 * ```ts
 * const Authorized = Mocks.permissions({
 *   queryByAuthorizationCode: ({ authorization_code, service_id }) =>
 *     Effect.succeed(Mocks.record.Available.make({ ... }))
 * })
 * ```
 *
 * @since 0.1.0
 */
import * as Layer from "effect/Layer"
import { AuthorizationRecordVariants } from "../schemas/AuthorizationRecord.js"
import { CreatedServiceOrderVariants, ServiceOrderVariants } from "../schemas/ServiceOrder.js"
import { PayScoreNotifications } from "../services/PayScoreNotifications.js"
import { PayScorePermissions } from "../services/PayScorePermissions.js"
import { PayScoreServiceOrders } from "../services/PayScoreServiceOrders.js"
import { WechatPayClient } from "../services/WechatPayClient.js"

/**
 * `PayScorePermissions` with the given methods.
 *
 * @since 0.1.0
 * @category layers
 */
export const permissions = (service: Partial<PayScorePermissions.Service>): Layer.Layer<PayScorePermissions> =>
  Layer.mock(PayScorePermissions, service)

/**
 * `PayScoreServiceOrders` with the given methods.
 *
 * @since 0.1.0
 * @category layers
 */
export const serviceOrders = (
  service: Partial<PayScoreServiceOrders.Service>
): Layer.Layer<PayScoreServiceOrders> => Layer.mock(PayScoreServiceOrders, service)

/**
 * `PayScoreNotifications` with the given methods.
 *
 * @since 0.1.0
 * @category layers
 */
export const notifications = (
  service: Partial<PayScoreNotifications.Service>
): Layer.Layer<PayScoreNotifications> => Layer.mock(PayScoreNotifications, service)

/**
 * `WechatPayClient` with the given methods.
 *
 * @since 0.1.0
 * @category layers
 */
export const client = (service: Partial<WechatPayClient.Service>): Layer.Layer<WechatPayClient> =>
  Layer.mock(WechatPayClient, service)

/**
 * The variants of the merchant record (`AuthorizationRecord`), to build answers:
 * `Mocks.record.Available.make({ ... })`.
 *
 * @since 0.1.0
 * @category records
 */
export const record = AuthorizationRecordVariants

/**
 * The variants of a service order (`ServiceOrder`), to build answers:
 * `Mocks.order.Created.make({ ... })`.
 *
 * @since 0.1.0
 * @category records
 */
export const order = ServiceOrderVariants

/**
 * The variants of a create's answer (`CreatedServiceOrder`, `order_id` and `package` required):
 * `Mocks.createdOrder.Created.make({ ... })`.
 *
 * @since 0.1.0
 * @category records
 */
export const createdOrder = CreatedServiceOrderVariants
