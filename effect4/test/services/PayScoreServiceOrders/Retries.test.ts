/**
 * Retries that cannot double-charge, on the Effect 4 line, over real HTTP on 127.0.0.1 against the
 * Effect 4 sandbox, counted in what reached it (the same behaviours as the Effect 3 line's
 * test/services/PayScoreServiceOrders/Retries.test.ts; the rule is the core's, read from each
 * endpoint's declaration):
 *
 * - a create is re-sent after an uncertain failure (a timeout, a 5xx): the documentation says an
 *   identical re-send is safe (该接口支持原参重入,相同参数重复调用可以返回成功), and the sandbox, like
 *   WeChat Pay, answers the same order; the merchant's cancel likewise (its page says the same);
 * - complete, modify, pay (催收), sync and the partner's and bank's cancel are never re-sent after an
 *   uncertain failure: WeChat Pay may have acted on them (the sandbox did), so the caller gets the
 *   failure and queries the order;
 * - a refused connection (the request provably never left) is re-sent for every call.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { FetchHttpClient, HttpClient, HttpClientError } from "effect/http"
import type { PayScoreServiceOrders } from "../../../src/index.js"
import { Sandbox } from "../../../src/testing/index.js"
import { arrived, requests, sandboxLayer } from "../../helpers/sandbox.js"
import {
  APPID,
  bankCreate,
  CHANNEL_ID,
  merchantComplete,
  merchantCreate,
  orders,
  partnerCreate,
  SERVICE_ID,
  SUB_MCHID
} from "../../helpers/serviceOrders.js"

/** Retries 2 with a fast backoff, a 1-second attempt timeout (a Delay fault waits 2.5 s). */
const retrying = (http?: Layer.Layer<HttpClient.HttpClient>) =>
  sandboxLayer(
    { faultDelay: "2500 millis", client: { retries: 2, retryBaseDelay: "10 millis", timeout: "1 second" } },
    [],
    http
  )

const sandbox = Effect.service(Sandbox.Sandbox)
const clearLog = Effect.flatMap(sandbox, (s) => s.clearRequests)
const delayNext = Effect.flatMap(sandbox, (s) => s.injectFault(Sandbox.Fault.Delay({})))
const failNext = (times = 1) =>
  Effect.flatMap(sandbox, (s) => s.injectFault(Sandbox.Fault.Status({ status: 500 }), { times }))

/** An order of each role, confirmed and completed: waiting for payment. */
const paying = (o: PayScoreServiceOrders.PayScoreServiceOrders.Service, n: string) =>
  Effect.gen(function*() {
    const s = yield* sandbox
    yield* o.createServiceOrder(merchantCreate(n))
    yield* s.confirmOrder({ out_order_no: n, notify: false })
    yield* o.completeServiceOrder(merchantComplete(n))
    yield* o.createPartnerServiceOrder(partnerCreate(n))
    yield* s.confirmOrder({ out_order_no: n, sub_mchid: SUB_MCHID, notify: false })
    yield* o.createAcquiringBankServiceOrder(bankCreate(n))
    yield* s.confirmOrder({ out_order_no: n, sub_mchid: SUB_MCHID, role: "AcquiringBank", notify: false })
    yield* clearLog
  })

const stateOf = (n: string) =>
  Effect.flatMap(orders, (o) =>
    Effect.map(
      o.queryServiceOrder({ out_order_no: n, service_id: SERVICE_ID, appid: APPID }),
      (order) => `${order.state}${order.state_description === undefined ? "" : `/${order.state_description}`}`
    ))

describe("re-sent after an uncertain failure: what the documentation says may be sent twice", () => {
  it.live("create after a timeout: sent again, byte for byte, and answered the same order", () =>
    Effect.gen(function*() {
      const o = yield* orders
      yield* delayNext
      const created = yield* o.createServiceOrder(merchantCreate("RT-1"))
      expect(created._tag).toBe("Created")
      const seen = yield* requests
      expect(yield* arrived).toBe(2)
      expect(seen[0]!.fault?._tag).toBe("Delay")
      expect(seen[1]!.body).toBe(seen[0]!.body)
      // the first (delayed) create was carried out; the re-send answered that very order
      expect(JSON.parse(seen[0]!.answer!.body).order_id).toBe(created.order_id)
      expect(seen.every((r) => r.status === 200)).toBe(true)
    }).pipe(Effect.provide(retrying())))

  it.live("create after a 500, and the partner's and the bank's creates: retried until answered", () =>
    Effect.gen(function*() {
      const o = yield* orders
      yield* failNext(2)
      expect((yield* o.createServiceOrder(merchantCreate("RT-2")))._tag).toBe("Created")
      expect(yield* arrived).toBe(3)
      yield* clearLog
      yield* failNext()
      yield* o.createPartnerServiceOrder(partnerCreate("RT-2"))
      yield* failNext()
      yield* o.createAcquiringBankServiceOrder(bankCreate("RT-2"))
      expect((yield* requests).map((r) => r.status)).toEqual([500, 200, 500, 200])
    }).pipe(Effect.provide(retrying())))

  it.live("the merchant's cancel after a timeout: sent again with the same body (原参重入), answered", () =>
    Effect.gen(function*() {
      const o = yield* orders
      yield* o.createServiceOrder(merchantCreate("RT-3"))
      yield* clearLog
      yield* delayNext
      const cancelled = yield* o.cancelServiceOrder({ out_order_no: "RT-3", appid: APPID, reason: "用户投诉" })
      expect(cancelled.out_order_no).toBe("RT-3")
      expect(yield* arrived).toBe(2)
      expect(yield* stateOf("RT-3")).toBe("REVOKED")
    }).pipe(Effect.provide(retrying())))

  it.live("a query after a 500: retried", () =>
    Effect.gen(function*() {
      const o = yield* orders
      yield* o.createServiceOrder(merchantCreate("RT-4"))
      yield* clearLog
      yield* failNext(2)
      yield* o.queryServiceOrder({ out_order_no: "RT-4", service_id: SERVICE_ID, appid: APPID })
      expect(yield* arrived).toBe(3)
    }).pipe(Effect.provide(retrying())))
})

describe("never re-sent after an uncertain failure: WeChat Pay may have acted on it", () => {
  const calls: ReadonlyArray<
    readonly [
      string,
      (o: PayScoreServiceOrders.PayScoreServiceOrders.Service, n: string) => Effect.Effect<unknown, unknown>
    ]
  > = [
    ["complete (merchant)", (o, n) => o.completeServiceOrder(merchantComplete(n))],
    [
      "modify (merchant)",
      (o, n) =>
        o.modifyServiceOrder({
          out_order_no: n,
          appid: APPID,
          service_id: SERVICE_ID,
          post_payments: [{ name: "充电宝租借", amount: 100 }],
          total_amount: 100,
          reason: "调整"
        })
    ],
    ["pay (merchant 催收)", (o, n) => o.collectServiceOrder({ out_order_no: n, appid: APPID, service_id: SERVICE_ID })],
    [
      "sync (merchant)",
      (o, n) =>
        o.syncServiceOrder({
          out_order_no: n,
          appid: APPID,
          service_id: SERVICE_ID,
          type: "Order_Paid",
          detail: { paid_time: "20260601" }
        })
    ],
    [
      "complete (partner)",
      (o, n) =>
        o.completePartnerServiceOrder({
          out_order_no: n,
          service_id: SERVICE_ID,
          sub_mchid: SUB_MCHID,
          post_payments: [{ amount: 300 }],
          total_amount: 300
        })
    ],
    ["cancel (partner)", (o, n) => o.cancelPartnerServiceOrder({ out_order_no: n, sub_mchid: SUB_MCHID, reason: "r" })],
    [
      "cancel (acquiring bank)",
      (o, n) =>
        o.cancelAcquiringBankServiceOrder({
          out_order_no: n,
          sub_mchid: SUB_MCHID,
          channel_id: CHANNEL_ID,
          reason: "r"
        })
    ]
  ]

  for (const [name, call] of calls) {
    it.live(`${name}: a timeout fails at once (TransportError), sent once; a 500 likewise (SystemError)`, () =>
      Effect.gen(function*() {
        const o = yield* orders
        yield* paying(o, "NR-1")
        yield* delayNext
        const timedOut = yield* Effect.flip(call(o, "NR-1"))
        expect((timedOut as { readonly _tag: string })._tag).toBe("TransportError")
        expect(yield* arrived).toBe(1)

        yield* paying(o, "NR-2")
        yield* failNext(Infinity)
        const failed = yield* Effect.flip(call(o, "NR-2"))
        expect((failed as { readonly _tag: string })._tag).toBe("SystemError")
        expect(yield* arrived).toBe(1)
        yield* Effect.flatMap(sandbox, (s) => s.clearFaults)
      }).pipe(Effect.provide(retrying())))
  }

  it.live("the timed-out complete was carried out: the order is completed, and the caller learns it by querying", () =>
    Effect.gen(function*() {
      const o = yield* orders
      yield* o.createServiceOrder(merchantCreate("NR-4"))
      yield* Effect.flatMap(sandbox, (s) => s.confirmOrder({ out_order_no: "NR-4", notify: false }))
      yield* delayNext
      expect((yield* Effect.flip(o.completeServiceOrder(merchantComplete("NR-4"))))._tag).toBe("TransportError")
      expect(yield* arrived).toBe(2) // the create, the complete once, nothing more
      expect(yield* stateOf("NR-4")).toBe("DOING/MCH_COMPLETE")
    }).pipe(Effect.provide(retrying())))
})

/** Over fetch: while `gate.refuse` > 0, an attempt fails as a refused connection (never reaching the server). */
const refusing = (gate: { refuse: number; attempts: number }) =>
  Layer.effect(
    HttpClient.HttpClient,
    Effect.map(Effect.service(HttpClient.HttpClient), (inner) =>
      HttpClient.make((request) =>
        Effect.suspend(() => {
          gate.attempts++
          if (gate.refuse <= 0) return inner.execute(request)
          gate.refuse--
          const cause = Object.assign(new TypeError("fetch failed"), {
            cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" })
          })
          return Effect.fail(
            new HttpClientError.HttpClientError({ reason: new HttpClientError.TransportError({ request, cause }) })
          )
        })
      ))
  ).pipe(Layer.provide(FetchHttpClient.layer))

describe("a refused connection is re-sent for every call", () => {
  it.live("complete, sync and the partner's cancel, each refused once: sent again, reaching the sandbox once", () =>
    Effect.gen(function*() {
      const gate = { refuse: 0, attempts: 0 }
      const refusedOnce = <A, E, R>(call: Effect.Effect<A, E, R>) =>
        Effect.gen(function*() {
          gate.refuse = 1
          gate.attempts = 0
          const result = yield* call
          expect(gate.attempts).toBe(2)
          return result
        })
      yield* Effect.gen(function*() {
        const o = yield* orders
        yield* paying(o, "CR-1")
        yield* o.createServiceOrder(merchantCreate("CR-2"))
        yield* Effect.flatMap(sandbox, (s) => s.confirmOrder({ out_order_no: "CR-2", notify: false }))
        yield* clearLog
        yield* refusedOnce(o.completeServiceOrder(merchantComplete("CR-2")))
        yield* refusedOnce(o.syncServiceOrder({
          out_order_no: "CR-1",
          appid: APPID,
          service_id: SERVICE_ID,
          type: "Order_Paid",
          detail: { paid_time: "20260601" }
        }))
        yield* refusedOnce(o.cancelPartnerServiceOrder({ out_order_no: "CR-1", sub_mchid: SUB_MCHID, reason: "r" }))
        expect((yield* requests).map((r) => r.status)).toEqual([200, 200, 204])
      }).pipe(Effect.provide(retrying(refusing(gate))))
    }))
})
