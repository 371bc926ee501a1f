/**
 * The Effect 4 sandbox runs service orders (src/testing/engine/serviceOrders.ts, the engine the
 * Effect 3 line's sandbox wraps too): the state machine of the documentation, the refusals it
 * documents with their codes and messages, re-entry, 30-day expiry on the sandbox's clock
 * (`TestClock` included), and the user's steps (`confirmOrder`, `payOrder`). Every call goes
 * through the Effect 4 library over real HTTP on 127.0.0.1. The same behaviours as the Effect 3
 * line's test/testing/engine/serviceOrders.test.ts.
 */
import { describe, expect, it } from "@effect/vitest"
import { Cause, DateTime, Effect, Exit } from "effect"
import { TestClock } from "effect/testing"
import type { WechatPayError } from "../../../src/index.js"
import { Sandbox } from "../../../src/testing/index.js"
import { requests, sandboxLayer } from "../../helpers/sandbox.js"
import { APPID, merchantComplete, merchantCreate, orders, SERVICE_ID } from "../../helpers/serviceOrders.js"

const sandbox = Effect.service(Sandbox.Sandbox)

/** The typed error of a failed call, as `status code message`. */
const refusal = <A, R>(effect: Effect.Effect<A, WechatPayError.WechatPayError, R>) =>
  Effect.map(
    Effect.flip(effect),
    (error) =>
      "status" in error
        ? `${error._tag} ${error.status} ${error.code} ${error.message}`
        : `${error._tag} ${error.message}`
  )

const query = (out_order_no: string) =>
  Effect.flatMap(orders, (o) => o.queryServiceOrder({ out_order_no, service_id: SERVICE_ID, appid: APPID }))

const stateOf = (out_order_no: string) =>
  Effect.map(
    query(out_order_no),
    (order) =>
      `${order._tag} ${order.state}${order.state_description === undefined ? "" : `/${order.state_description}`}${
        order.collection?.state === undefined ? "" : ` ${order.collection.state}`
      }`
  )

const create = (n: string) => Effect.flatMap(orders, (o) => o.createServiceOrder(merchantCreate(n)))
const confirm = (n: string) => Effect.flatMap(sandbox, (s) => s.confirmOrder({ out_order_no: n, notify: false }))
const complete = (n: string) => Effect.flatMap(orders, (o) => o.completeServiceOrder(merchantComplete(n)))
const pay = (n: string) => Effect.flatMap(sandbox, (s) => s.payOrder({ out_order_no: n, notify: false }))
const cancel = (n: string, reason = "用户投诉") =>
  Effect.flatMap(orders, (o) => o.cancelServiceOrder({ out_order_no: n, appid: APPID, service_id: SERVICE_ID, reason }))
const modify = (n: string, total_amount: number) =>
  Effect.flatMap(orders, (o) =>
    o.modifyServiceOrder({
      out_order_no: n,
      appid: APPID,
      service_id: SERVICE_ID,
      post_payments: [{ name: "充电宝租借", amount: total_amount }],
      total_amount,
      reason: "调整"
    }))
const collect = (n: string) =>
  Effect.flatMap(orders, (o) => o.collectServiceOrder({ out_order_no: n, appid: APPID, service_id: SERVICE_ID }))
const sync = (n: string) =>
  Effect.flatMap(orders, (o) =>
    o.syncServiceOrder({
      out_order_no: n,
      appid: APPID,
      service_id: SERVICE_ID,
      type: "Order_Paid",
      detail: { paid_time: "20260601" }
    }))

describe("the state machine", () => {
  it.live("CREATED → DOING/USER_CONFIRM → DOING/MCH_COMPLETE USER_PAYING → DONE USER_PAID", () =>
    Effect.gen(function*() {
      yield* create("S-1")
      expect(yield* stateOf("S-1")).toBe("Created CREATED")
      yield* confirm("S-1")
      expect(yield* stateOf("S-1")).toBe("Doing DOING/USER_CONFIRM")
      yield* complete("S-1")
      expect(yield* stateOf("S-1")).toBe("Doing DOING/MCH_COMPLETE USER_PAYING")
      yield* pay("S-1")
      expect(yield* stateOf("S-1")).toBe("Done DONE USER_PAID")
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("cancel: REVOKED from CREATED, from DOING/USER_CONFIRM, and while USER_PAYING (the official cancel pages)", () =>
    Effect.gen(function*() {
      yield* create("C-1")
      yield* cancel("C-1")
      expect(yield* stateOf("C-1")).toBe("Revoked REVOKED")
      yield* create("C-2")
      yield* confirm("C-2")
      yield* cancel("C-2")
      expect(yield* stateOf("C-2")).toBe("Revoked REVOKED")
      yield* create("C-3")
      yield* confirm("C-3")
      yield* complete("C-3")
      yield* cancel("C-3")
      expect(yield* stateOf("C-3")).toBe("Revoked REVOKED USER_PAYING")
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("the documented refusals, each with its code and message", () =>
    Effect.gen(function*() {
      // CREATED: no complete (a real answer: INVALID_REQUEST 当前订单状态不合法), no modify/pay/sync
      yield* create("R-1")
      expect(yield* refusal(complete("R-1"))).toBe("InvalidRequest 400 INVALID_REQUEST 当前订单状态不合法")
      // DOING/USER_CONFIRM: modify, pay, sync need USER_PAYING
      yield* confirm("R-1")
      const notPaying = "ApiError 400 INVALID_ORDER_STATE 单据状态错误: 仅服务订单支付状态为待支付时,才可使用此能力"
      expect(yield* refusal(modify("R-1", 100))).toBe(notPaying)
      expect(yield* refusal(collect("R-1"))).toBe(notPaying)
      expect(yield* refusal(sync("R-1"))).toBe(notPaying)
      // DONE: ORDER_DONE for everything that would change it
      yield* complete("R-1")
      yield* pay("R-1")
      const done = "ApiError 400 ORDER_DONE 订单已完成"
      expect(yield* refusal(cancel("R-1"))).toBe(done)
      expect(yield* refusal(modify("R-1", 100))).toBe(done)
      expect(yield* refusal(collect("R-1"))).toBe(done)
      expect(yield* refusal(sync("R-1"))).toBe(done)
      expect(yield* refusal(complete("R-1"))).toBe(done)
      // REVOKED: ORDER_CANCELED
      yield* create("R-2")
      yield* cancel("R-2")
      const canceled = "ApiError 400 ORDER_CANCELED 单据已取消"
      expect(yield* refusal(cancel("R-2", "another reason"))).toBe(canceled)
      expect(yield* refusal(complete("R-2"))).toBe(canceled)
      expect(yield* refusal(modify("R-2", 100))).toBe(canceled)
      expect(yield* refusal(sync("R-2"))).toBe(canceled)
      // no such order
      const missing = yield* refusal(complete("NO-SUCH"))
      expect(missing).toMatch(/^NotFound 404 ORDER_NOT_EXIST 订单不存在/)
      expect(yield* refusal(query("NO-SUCH"))).toMatch(/^NotFound 404 ORDER_NOT_EXIST/)
      // the user's steps in the wrong state die, saying why
      const s = yield* sandbox
      const exit = yield* Effect.exit(s.confirmOrder({ out_order_no: "R-2", notify: false }))
      expect(Exit.isFailure(exit) && Cause.pretty(exit.cause)).toContain("is REVOKED, not CREATED")
      const unpaid = yield* Effect.exit(s.payOrder({ out_order_no: "R-2", notify: false }))
      expect(Exit.isFailure(unpaid) && Cause.pretty(unpaid.cause)).toContain("not completed and waiting for payment")
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("WeChat Pay's own checks: the amounts add up (最终总金额计算非法), the end is not later than the call, modify only lowers, the same appid", () =>
    Effect.gen(function*() {
      const o = yield* orders
      yield* create("W-1")
      yield* confirm("W-1")
      expect(yield* refusal(o.completeServiceOrder({ ...merchantComplete("W-1"), total_amount: 300 }))).toBe(
        "ParamError 400 PARAM_ERROR 最终总金额计算非法 (total_amount 300 is not post_payments 300 − post_discounts 100)"
      )
      const tomorrow = DateTime.add(yield* DateTime.now, { days: 1 })
      expect(
        yield* refusal(o.completeServiceOrder({ ...merchantComplete("W-1"), time_range: { end_time: tomorrow } }))
      ).toMatch(/^ParamError 400 PARAM_ERROR 实际结束时间不能晚于使用完结接口的时间/)
      expect(yield* refusal(o.completeServiceOrder({ ...merchantComplete("W-1"), appid: "wx0000000000000000" })))
        .toMatch(/^InvalidRequest 400 INVALID_REQUEST appid wx0000000000000000 is not the appid the order was created/)
      expect(yield* stateOf("W-1")).toBe("Doing DOING/USER_CONFIRM")
      yield* complete("W-1")
      expect(yield* refusal(modify("W-1", 200))).toMatch(/^InvalidRequest 400 INVALID_REQUEST 修改金额只能下调/)
      expect((yield* modify("W-1", 199)).total_amount).toBe(199)
    }).pipe(Effect.provide(sandboxLayer())))
})

describe("the Sandbox's controls", () => {
  it.live("clear and reset remove the orders too", () =>
    Effect.gen(function*() {
      const s = yield* sandbox
      yield* create("K-1")
      yield* s.clear
      expect(yield* refusal(query("K-1"))).toMatch(/^NotFound 404 ORDER_NOT_EXIST/)
      yield* create("K-2")
      yield* s.reset
      expect(yield* refusal(query("K-2"))).toMatch(/^NotFound 404 ORDER_NOT_EXIST/)
    }).pipe(Effect.provide(sandboxLayer())))
})

describe("re-entry (原参重入)", () => {
  it.live("create: identical parameters answer the same order; other parameters INVALID_REQUEST 订单重入参数校验失败", () =>
    Effect.gen(function*() {
      const o = yield* orders
      const first = yield* create("E-1")
      const again = yield* create("E-1")
      expect([again.order_id, again.package]).toEqual([first.order_id, first.package])
      // the same order as it is now
      yield* confirm("E-1")
      expect((yield* create("E-1"))._tag).toBe("Doing")
      expect(yield* refusal(o.createServiceOrder({ ...merchantCreate("E-1"), service_introduction: "另一个" })))
        .toMatch(/^InvalidRequest 400 INVALID_REQUEST 订单重入参数校验失败/)
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("merchant cancel: the same parameters again succeed (documented re-entrant); complete again: the same only", () =>
    Effect.gen(function*() {
      const o = yield* orders
      yield* create("E-2")
      const first = yield* cancel("E-2", "用户投诉")
      expect(yield* cancel("E-2", "用户投诉")).toEqual(first)
      yield* create("E-3")
      yield* confirm("E-3")
      const completed = yield* complete("E-3")
      expect((yield* complete("E-3")).order_id).toBe(completed.order_id)
      expect(
        yield* refusal(o.completeServiceOrder({ ...merchantComplete("E-3"), post_discounts: [], total_amount: 300 }))
      )
        .toMatch(/^InvalidRequest 400 INVALID_REQUEST 订单重入参数校验失败/)
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("a fault that replaces the answer (a 500) leaves no order behind", () =>
    Effect.gen(function*() {
      const s = yield* sandbox
      yield* s.injectFault(Sandbox.Fault.Status({ status: 500 }))
      expect(yield* refusal(create("F-1"))).toMatch(/^SystemError 500/)
      expect(yield* refusal(query("F-1"))).toMatch(/^NotFound/)
      expect((yield* requests).map((r) => r.status)).toEqual([500, 404])
    }).pipe(Effect.provide(sandboxLayer())))
})

describe("expiry: 30 days in CREATED, on the sandbox's clock", () => {
  it.effect('TestClock.adjust("30 days") expires a CREATED order; a confirmed one does not expire', () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.parse("2026-06-01T00:00:00Z"))
      yield* create("X-1")
      yield* create("X-2")
      yield* confirm("X-2")
      yield* TestClock.adjust("29 days")
      expect(yield* stateOf("X-1")).toBe("Created CREATED")
      yield* TestClock.adjust("1 days")
      expect(yield* stateOf("X-1")).toBe("Expired EXPIRED")
      expect(yield* stateOf("X-2")).toBe("Doing DOING/USER_CONFIRM")
      // final: nothing moves it
      expect(yield* refusal(cancel("X-1"))).toBe("ApiError 400 INVALID_ORDER_STATE 单据状态错误")
      const s = yield* sandbox
      const exit = yield* Effect.exit(s.confirmOrder({ out_order_no: "X-1", notify: false }))
      expect(Exit.isFailure(exit) && Cause.pretty(exit.cause)).toContain("is EXPIRED, not CREATED")
      // the re-sent create answers the order as it is now
      expect((yield* create("X-1"))._tag).toBe("Expired")
    }).pipe(Effect.provide(sandboxLayer())))
})
