/**
 * The client's life around its calls on the Effect 4 line: a span per call only under an installed
 * tracer (never one of the platform's, never a trace header to WeChat Pay); calls under way fail at
 * once when the client's layer closes; two merchants' layers in one program (and under a suite's
 * shared layer, which Effect 4 memoizes) never share a client.
 */
import { describe, expect, it, layer } from "@effect/vitest"
import { Effect, Exit, Fiber, Layer, ManagedRuntime, Option, Scope, Tracer } from "effect"
import { FetchHttpClient } from "effect/http"
import type { WechatPayError } from "../../../src/index.js"
import { PayScorePermissions, WechatPay } from "../../../src/index.js"
import { FakeWechatPay, Fixtures } from "../../../src/testing/index.js"
import { authorizationFields, makeFake, merchantOptions } from "../../helpers/merchant.js"
import { serve } from "../../helpers/server.js"

const query = { authorization_code: "1234323JKHDFE1243252", service_id: "500001" }
const record = {
  service_id: "500001",
  appid: "wxd678efh567hg6787",
  mchid: Fixtures.mchid,
  authorization_code: query.authorization_code,
  authorization_state: "AVAILABLE"
}
const queryOnce = Effect.flatMap(
  Effect.service(PayScorePermissions.PayScorePermissions),
  (p) => p.queryByAuthorizationCode(query)
)

describe("spans", () => {
  it.effect("under an installed tracer: one span named after the method, kind client; the transport runs inside it", () =>
    Effect.gen(function*() {
      const spans: Array<{ readonly name: string; readonly kind: string }> = []
      const tracer = Tracer.make({
        span: (options) => {
          spans.push({ name: options.name, kind: options.kind })
          return new Tracer.NativeSpan(options)
        }
      })
      let parentInHandler: string | undefined
      const fake = FakeWechatPay.layer((request) =>
        Effect.map(Effect.option(Effect.currentParentSpan), (parent) => {
          parentInHandler = Option.isSome(parent) && parent.value._tag === "Span" ? parent.value.name : undefined
          expect(request.headers["traceparent"]).toBeUndefined()
          return { body: record }
        })
      )
      yield* queryOnce.pipe(
        Effect.provide(WechatPay.layer(merchantOptions({ retries: 0 })).pipe(Layer.provide(fake))),
        Effect.withTracer(tracer)
      )
      expect(spans.map((s) => s.name)).toContain("PayScorePermissions.queryByAuthorizationCode")
      expect(spans.find((s) => s.name === "PayScorePermissions.queryByAuthorizationCode")?.kind).toBe("client")
      // no span of the platform's client ("GET")
      expect(spans.map((s) => s.name)).not.toContain("GET")
      expect(parentInHandler).toBe("PayScorePermissions.queryByAuthorizationCode")
    }))

  it.effect("under Effect's own tracer: no span is made for the call", () =>
    Effect.gen(function*() {
      let parentInHandler: Option.Option<unknown> = Option.none()
      const fake = FakeWechatPay.layer(() =>
        Effect.map(Effect.option(Effect.currentParentSpan), (parent) => {
          parentInHandler = parent
          return { body: record }
        })
      )
      yield* queryOnce.pipe(Effect.provide(WechatPay.layer(merchantOptions({ retries: 0 })).pipe(Layer.provide(fake))))
      expect(Option.isNone(parentInHandler)).toBe(true)
    }))
})

describe("closing the layer", () => {
  it.live("a call under way fails at once when the layer's scope closes (TransportError OutcomeUnknown), not at the timeout", () =>
    Effect.gen(function*() {
      // a server that never answers
      const { url } = yield* serve(() => {})
      const scope = yield* Scope.make()
      const context = yield* Layer.buildWithScope(
        WechatPay.layer(merchantOptions({ baseUrl: url, retries: 0, timeout: "30 seconds" })).pipe(
          Layer.provide(FetchHttpClient.layer)
        ),
        scope
      )
      const started = Date.now()
      const call = yield* Effect.forkChild(Effect.flip(queryOnce.pipe(Effect.provide(context))))
      yield* Effect.sleep("200 millis")
      yield* Scope.close(scope, Exit.void)
      const error = (yield* Fiber.join(call)) as WechatPayError.TransportError
      expect([error._tag, error.reason]).toEqual(["TransportError", "OutcomeUnknown"])
      expect(error.message).toContain("the client's layer was closed")
      expect(Date.now() - started).toBeLessThan(5_000)
    }))

  it.live("a call under way in a disposed ManagedRuntime ends at once (Effect 4 interrupts the runtime's fibers)", () =>
    Effect.gen(function*() {
      const { url } = yield* serve(() => {})
      const runtime = ManagedRuntime.make(
        WechatPay.layer(merchantOptions({ baseUrl: url, retries: 0, timeout: "30 seconds" })).pipe(
          Layer.provide(FetchHttpClient.layer)
        )
      )
      const started = Date.now()
      const pending = runtime.runPromise(queryOnce).then(() => "answered", () => "ended")
      yield* Effect.sleep("200 millis")
      yield* Effect.promise(() => runtime.dispose())
      expect(yield* Effect.promise(() => pending)).toBe("ended")
      expect(Date.now() - started).toBeLessThan(5_000)
    }))
})

// Merchant B's layer, used inside a suite whose shared layer is merchant A's: Effect 4 memoizes
// layers by reference within a suite's (and a program's) memo map, so a constant sub-layer of
// WechatPay.layer would be built once, with merchant A's client, and serve merchant B's calls.
const merchantA = makeFake(() => ({ body: record }), { mchid: "1900000001", retries: 0 })
const merchantB = makeFake(() => ({ body: record }), { mchid: "1900000002", retries: 0 })

layer(merchantA.layer)("two merchants", (it) => {
  it.effect("a call provided with merchant B's layer goes to merchant B, signed as merchant B", () =>
    Effect.gen(function*() {
      yield* queryOnce
      yield* queryOnce.pipe(Effect.provide(merchantB.layer))
      expect(merchantA.received.map((r) => authorizationFields(r.headers["authorization"]).mchid)).toEqual([
        "1900000001"
      ])
      expect(merchantB.received.map((r) => authorizationFields(r.headers["authorization"]).mchid)).toEqual([
        "1900000002"
      ])
    }))
})
