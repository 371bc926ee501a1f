/**
 * The Effect 4 testing entry's `Mocks` for a program that uses service orders: `Mocks.serviceOrders`
 * gives the methods it is handed (any other dies naming the service and the method), and the
 * order variants build answers (`Mocks.order.Doing.make`, `Mocks.createdOrder.Created.make`) that
 * the real schema decodes back.
 */
import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, Schema } from "effect"
import { PayScoreServiceOrders, ServiceOrder } from "../../src/index.js"
import { Mocks } from "../../src/testing/index.js"

const order = {
  appid: "wxd678efh567hg6787",
  mchid: "1230000109",
  out_order_no: "MOCK-1",
  service_id: "500001"
}

/** A user's program: complete an order that is in progress, else say why not. */
const completeIfDoing = Effect.gen(function*() {
  const orders = yield* PayScoreServiceOrders.PayScoreServiceOrders
  const current = yield* orders.queryServiceOrder({ out_order_no: "MOCK-1", service_id: "500001", appid: order.appid })
  if (current._tag !== "Doing") return `not completed: ${current._tag}`
  const done = yield* orders.completeServiceOrder({
    out_order_no: "MOCK-1",
    appid: order.appid,
    service_id: "500001",
    post_payments: [{ name: "租借", amount: 100 }],
    total_amount: 100
  })
  return `completed: ${done.state_description}`
})

describe("Mocks.serviceOrders", () => {
  it.effect("the methods given answer; the variants make orders the schema decodes back", () =>
    Effect.gen(function*() {
      const doing = Mocks.order.Doing.make({ ...order, state: "DOING", state_description: "USER_CONFIRM" })
      const completed = Mocks.order.Doing.make({ ...order, state: "DOING", state_description: "MCH_COMPLETE" })
      const layer = Mocks.serviceOrders({
        queryServiceOrder: () => Effect.succeed(doing),
        completeServiceOrder: () => Effect.succeed(completed)
      })
      expect(yield* completeIfDoing.pipe(Effect.provide(layer))).toBe("completed: MCH_COMPLETE")
      const wire = yield* Schema.encodeEffect(ServiceOrder.ServiceOrder)(doing)
      expect(wire).toEqual({ ...order, state: "DOING", state_description: "USER_CONFIRM" })
      expect(yield* Schema.decodeUnknownEffect(ServiceOrder.ServiceOrder)(wire)).toEqual(doing)
      const created = Mocks.createdOrder.Created.make({ ...order, state: "CREATED", order_id: "1", package: "P" })
      expect([created._tag, created.package]).toEqual(["Created", "P"])
    }))

  it.effect("a method not given dies, naming the service and the method", () =>
    Effect.gen(function*() {
      const layer = Mocks.serviceOrders({
        queryServiceOrder: () => Effect.succeed(Mocks.order.Doing.make({ ...order, state: "DOING" }))
      })
      const exit = yield* Effect.exit(completeIfDoing.pipe(Effect.provide(layer)))
      expect(Exit.isFailure(exit)).toBe(true)
      if (Exit.isFailure(exit)) {
        expect(Cause.pretty(exit.cause)).toMatch(/PayScoreServiceOrders[\s\S]*completeServiceOrder/)
      }
    }))
})
