/**
 * Hostile answers, the short run inside `npm test` (the long one is `npm run fuzz`): property tests
 * over `test/fuzz/hostile.ts`'s cases through the library's real pipeline, and the body cap
 * (`maxResponseBytes`) case by case.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, FastCheck as fc, Layer, Redacted, Scope } from "effect"
import type { Context } from "effect"
import { WechatPay, WechatPayClient } from "../../src/index.js"
import { FakeWechatPay, Fixtures } from "../../src/testing/index.js"
import { buildContexts, describeCase, hostileCase, makeHarness, runCase } from "./hostile.js"

const unhandled: Array<unknown> = []
const onUnhandled = (reason: unknown) => void unhandled.push(reason)

const harness = makeHarness()
let scope: Scope.CloseableScope
let contexts: ReadonlyArray<Context.Context<Layer.Layer.Success<(typeof harness.layers)[number]>>>
let next = 0

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled)
  scope = await Effect.runPromise(Scope.make())
  contexts = await Effect.runPromise(Scope.extend(buildContexts(harness), scope))
})

afterAll(async () => {
  process.off("unhandledRejection", onUnhandled)
  await Effect.runPromise(Scope.close(scope, Exit.void))
})

describe("hostile answers (property, through the real pipeline)", () => {
  it("every case ends in a verified success or a typed error: never a defect, never a forgery", async () => {
    await fc.assert(
      fc.asyncProperty(hostileCase, async (testCase) => {
        const outcome = await Effect.runPromise(
          runCase(harness, `t${next++}`, testCase).pipe(Effect.provide(contexts[testCase.client]!))
        )
        if (outcome.violation !== undefined) {
          throw new Error(`${outcome.violation}\n${describeCase(testCase)}`)
        }
      }),
      { numRuns: 150 }
    )
    expect(unhandled).toEqual([])
  })

  it("a concurrent batch (400 cases, 32 at a time) has successes and typed failures only", async () => {
    const cases = fc.sample(hostileCase, { numRuns: 400 })
    const outcomes = await Effect.runPromise(
      Effect.forEach(
        cases,
        (testCase) => runCase(harness, `b${next++}`, testCase).pipe(Effect.provide(contexts[testCase.client]!)),
        { concurrency: 32 }
      )
    )
    const violations = outcomes.flatMap((outcome, i) =>
      outcome.violation === undefined ? [] : [`${outcome.violation}\n${describeCase(cases[i]!)}`]
    )
    expect(violations).toEqual([])
    expect(outcomes.some((outcome) => outcome.label === "Success")).toBe(true)
    expect(outcomes.some((outcome) => outcome.label.startsWith("VerificationError"))).toBe(true)
    expect(unhandled).toEqual([])
  })
})

// ---------------------------------------------------------------------------------------------
// maxResponseBytes, one case at a time
// ---------------------------------------------------------------------------------------------

const RECORD = JSON.stringify({
  service_id: "500001",
  appid: "wxd678efh567hg6787",
  mchid: "1230000109",
  authorization_code: "1234323JKHDFE1243252",
  authorization_state: "AVAILABLE"
})

/** A client over one hand-made answer; `pulled` counts the bytes of a streamed body handed out. */
const oneAnswer = (
  answer: (
    now: number
  ) => Promise<{ readonly body: BodyInit | null; readonly headers: Record<string, string>; readonly status?: number }>,
  overrides: Partial<WechatPay.Options> = {}
) => {
  const http = HttpClient.make((request) =>
    Effect.promise(async () => {
      const reply = await answer(Math.floor(Date.now() / 1000))
      return HttpClientResponse.fromWeb(
        request,
        new Response(reply.body, { status: reply.status ?? 200, headers: reply.headers })
      )
    })
  )
  return WechatPay.layer({
    mchid: Fixtures.mchid,
    merchantSerialNo: Fixtures.merchantSerialNo,
    merchantPrivateKey: Redacted.make(Fixtures.merchantPrivateKeyPkcs8),
    wechatpayPublicKey: { id: Fixtures.wechatpayPublicKeyId, pem: Fixtures.wechatpayPublicKey },
    retries: 0,
    ...overrides
  }).pipe(Layer.provide(Layer.succeed(HttpClient.HttpClient, http)))
}

const signed = (body: string, now: number) =>
  FakeWechatPay.signAnswer({ key: FakeWechatPay.keys.publicKey, body, timestamp: now })

const execute = () =>
  Effect.flatMap(WechatPayClient.WechatPayClient, (client) =>
    client.execute({
      method: "GET",
      path: "/v3/payscore/permissions/authorization-code/X",
      query: { service_id: "500001" }
    }))

const endless = (chunk: number, counter: { pulled: number }) =>
  new ReadableStream<Uint8Array>({
    pull(controller) {
      counter.pulled += chunk
      controller.enqueue(new Uint8Array(chunk).fill(0x20))
    }
  }, { highWaterMark: 0 })

const expectOverCap = (exit: Exit.Exit<unknown, unknown>) => {
  if (Exit.isSuccess(exit)) throw new Error("expected a TransportError, got a success")
  const failure = Cause.failureOption(exit.cause)
  if (failure._tag === "None") throw new Error(`expected a typed failure: ${Cause.pretty(exit.cause)}`)
  const error = failure.value as { readonly _tag: string; readonly message: string }
  expect(error._tag).toBe("TransportError")
  expect(error.message).toContain("maxResponseBytes")
}

describe("maxResponseBytes (default 1 MiB)", () => {
  it.live("a body of exactly the cap is read and verified; one byte more is a TransportError", () =>
    Effect.gen(function*() {
      const cap = 4096
      const atCap = RECORD + " ".repeat(cap - RECORD.length)
      const ok = yield* execute().pipe(
        Effect.provide(oneAnswer(async (now) => ({ body: atCap, headers: await signed(atCap, now) }), {
          maxResponseBytes: cap
        }))
      )
      expect(ok.body).toBe(atCap)
      const over = `${atCap} `
      const exit = yield* execute().pipe(
        Effect.provide(oneAnswer(async (now) => ({ body: over, headers: await signed(over, now) }), {
          maxResponseBytes: cap
        })),
        Effect.exit
      )
      expectOverCap(exit)
    }))

  it.live("a Content-Length over the cap is refused before a byte is read", () =>
    Effect.gen(function*() {
      const counter = { pulled: 0 }
      const exit = yield* execute().pipe(
        Effect.provide(oneAnswer(async (now) => ({
          body: endless(65_536, counter),
          headers: { ...(await signed("", now)), "content-length": String(1_048_577) }
        }))),
        Effect.exit
      )
      expectOverCap(exit)
      expect(counter.pulled).toBe(0)
    }))

  it.live("an endless body without Content-Length (or with a small lie) stops being read at the cap", () =>
    Effect.gen(function*() {
      for (const headers of [{}, { "content-length": "10" }]) {
        const counter = { pulled: 0 }
        const exit = yield* execute().pipe(
          Effect.provide(oneAnswer(async () => ({ body: endless(16_384, counter), headers }))),
          Effect.exit
        )
        expectOverCap(exit)
        expect(counter.pulled).toBeGreaterThan(1_048_576)
        expect(counter.pulled).toBeLessThanOrEqual(1_048_576 + 2 * 16_384)
      }
    }))

  it.live("a gateway error page over the cap is a TransportError too (never read in full)", () =>
    Effect.gen(function*() {
      const page = `<html>${"x".repeat(2_000_000)}</html>`
      const exit = yield* execute().pipe(
        Effect.provide(oneAnswer(async () => ({ body: page, headers: { "content-type": "text/html" }, status: 502 }))),
        Effect.exit
      )
      expectOverCap(exit)
    }))

  it.live("a 204 with no body is verified over the empty body", () =>
    Effect.gen(function*() {
      const answer = yield* execute().pipe(
        Effect.provide(oneAnswer(async (now) => ({ body: null, headers: await signed("", now), status: 204 })))
      )
      expect(answer.status).toBe(204)
      expect(answer.body).toBe("")
    }))

  it.live("a leading BOM is kept: signed over the BOM, it verifies; the body still has it", () =>
    Effect.gen(function*() {
      const text = `\uFEFF${RECORD}`
      const answer = yield* execute().pipe(
        Effect.provide(oneAnswer(async (now) => ({ body: text, headers: await signed(text, now) })))
      )
      expect(answer.body).toBe(text)
    }))

  it.live("maxResponseBytes must be a whole number ≥ 1", () =>
    Effect.gen(function*() {
      for (const maxResponseBytes of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        const exit = yield* execute().pipe(
          Effect.provide(oneAnswer(async () => ({ body: "", headers: {} }), { maxResponseBytes })),
          Effect.exit
        )
        if (Exit.isSuccess(exit)) throw new Error(`maxResponseBytes ${maxResponseBytes} was accepted`)
        const failure = Cause.failureOption(exit.cause)
        expect(failure._tag === "Some" && (failure.value as { option?: string }).option).toBe("maxResponseBytes")
      }
    }))
})
