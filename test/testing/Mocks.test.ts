/**
 * `Mocks`: a user's program tested with the library's services mocked, only the methods it calls
 * given; a method not given dies naming it; the variants build answers that are the schemas' own.
 */
import { describe, expect, it } from "@effect/vitest"
import { Cause, DateTime, Effect, Exit, Layer, Schema } from "effect"
import { AuthorizationRecord, PayScorePermissions, PayScoreServiceOrders, ServiceOrder } from "../../src/index.js"
import { Mocks } from "../../src/testing/index.js"

// the user's program: serve an authorized user, then look at the order
const serve = (authorization_code: string, out_order_no: string) =>
  Effect.gen(function*() {
    const permissions = yield* PayScorePermissions.PayScorePermissions
    const record = yield* permissions.queryByAuthorizationCode({ authorization_code, service_id: "500001" })
    if (record._tag !== "Available") return "not authorized"
    const orders = yield* PayScoreServiceOrders.PayScoreServiceOrders
    const order = yield* orders.queryServiceOrder({ out_order_no, service_id: "500001", appid: "wx1" })
    return `${order._tag} ${order.total_amount ?? 0}`
  })

const Authorized = Mocks.permissions({
  queryByAuthorizationCode: ({ authorization_code, service_id }) =>
    Effect.succeed(Mocks.record.Available.make({
      service_id,
      authorization_code,
      appid: "wx1",
      mchid: "1900000001",
      authorization_state: "AVAILABLE",
      authorization_success_time: DateTime.unsafeMake("2026-01-01T00:00:00Z")
    }))
})

const Paid = Mocks.serviceOrders({
  queryServiceOrder: ({ appid, out_order_no, service_id }) =>
    Effect.succeed(Mocks.order.Done.make({
      appid,
      mchid: "1900000001",
      out_order_no: out_order_no ?? "",
      service_id,
      state: "DONE",
      total_amount: 200
    }))
})

describe("Mocks", () => {
  it.effect("a program over mocked permissions and service orders", () =>
    Effect.gen(function*() {
      expect(yield* serve("C1", "O1")).toBe("Done 200")
    }).pipe(Effect.provide(Layer.merge(Authorized, Paid))))

  it.effect("a method the mock was not given dies, naming it", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(
        serve("C1", "O1").pipe(Effect.provide(Layer.merge(Authorized, Mocks.serviceOrders({}))))
      )
      expect(Exit.isFailure(exit) && Cause.isDie(exit.cause)).toBe(true)
      if (Exit.isFailure(exit)) expect(Cause.pretty(exit.cause)).toContain("queryServiceOrder")
    }))

  it("the variants make values the schemas accept", () => {
    const record = Mocks.record.Unavailable.make({
      service_id: "500001",
      authorization_code: "C1",
      appid: "wx1",
      mchid: "1900000001",
      authorization_state: "UNAVAILABLE"
    })
    expect(Schema.is(AuthorizationRecord.AuthorizationRecord)(record)).toBe(true)
    const order = Mocks.order.Created.make({
      appid: "wx1",
      mchid: "1900000001",
      out_order_no: "O1",
      service_id: "500001",
      state: "CREATED"
    })
    expect(Schema.is(ServiceOrder.ServiceOrder)(order)).toBe(true)
    const created = Mocks.createdOrder.Created.make({ ...order, order_id: "1", package: "AAQT" })
    expect(Schema.is(ServiceOrder.CreatedServiceOrder)(created)).toBe(true)
  })
})
