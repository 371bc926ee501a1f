import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Layer, Result } from "effect"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientError from "effect/http/HttpClientError"
import { TestClock } from "effect/testing"
import type { WechatPayError } from "../../../src/index.js"
import { PayScorePermissions, WechatPay } from "../../../src/index.js"
import { FakeWechatPay } from "../../../src/testing/index.js"
import { authorizationFields, layerOver, makeFake } from "../../helpers/merchant.js"

const ANSWER = {
  service_id: "500001",
  appid: "wxd678efh567hg6787",
  mchid: "1230000109",
  authorization_code: "1234323JKHDFE1243252",
  authorization_state: "AVAILABLE"
}

const query = PayScorePermissions.PayScorePermissions.pipe(
  Effect.flatMap((p) =>
    p.queryByAuthorizationCode({ authorization_code: ANSWER.authorization_code, service_id: "500001" })
  )
)

/** Fast backoff for live tests. */
const FAST: Partial<WechatPay.Options> = { retryBaseDelay: "10 millis" }

interface Attempt {
  readonly at: number
  readonly nonce: string
}

const nonceOf = (headers: Readonly<Record<string, string>>) => authorizationFields(headers["authorization"]).nonce_str!

/** A fake WeChat Pay answering attempt `i` with `replies[i]` (the last one repeated), recording each attempt. */
const scripted = (
  replies: ReadonlyArray<FakeWechatPay.Reply | "never">,
  overrides: Partial<WechatPay.Options>
) => {
  const attempts: Array<Attempt> = []
  const fake = makeFake((request, index) => {
    attempts.push({ at: Date.now(), nonce: nonceOf(request.headers) })
    const reply = replies[Math.min(index, replies.length - 1)]!
    return reply === "never" ? Effect.never : reply
  }, overrides)
  return { attempts, layer: fake.layer }
}

/** An HttpClient that records each attempt and then fails it (transport error) or never answers. */
const broken = (behaviour: "transport" | "never", overrides: Partial<WechatPay.Options>) => {
  const attempts: Array<Attempt> = []
  const http = Layer.succeed(
    HttpClient.HttpClient,
    HttpClient.make((request) => {
      attempts.push({ at: Date.now(), nonce: nonceOf(request.headers) })
      return behaviour === "never"
        ? Effect.never
        : Effect.fail(
          new HttpClientError.HttpClientError({
            reason: new HttpClientError.TransportError({ request, cause: new Error("ECONNRESET") })
          })
        )
    })
  )
  return { attempts, layer: layerOver(http, overrides) }
}

const runWith = (layer: Layer.Layer<PayScorePermissions.PayScorePermissions>) =>
  Effect.result(Effect.provide(query, layer))

const failure = <A, E>(result: Result.Result<A, E>): E => {
  if (Result.isSuccess(result)) throw new Error(`expected a failure, got ${JSON.stringify(result.success)}`)
  return result.failure
}

const expectDistinctNonces = (attempts: ReadonlyArray<Attempt>) => {
  const nonces = attempts.map((a) => a.nonce)
  for (const nonce of nonces) expect(nonce).toMatch(/^[0-9A-Za-z]{32}$/)
  expect(new Set(nonces).size).toBe(nonces.length)
}

const systemError = { status: 500, body: { code: "SYSTEM_ERROR", message: "系统错误" } } as const
const unavailable = { status: 503, body: { code: "SERVICE_UNAVAILABLE", message: "服务不可用" } } as const
const limited = { status: 429, body: { code: "FREQUENCY_LIMITED", message: "频率超限" } } as const

describe("retries of transient failures", () => {
  const transient: ReadonlyArray<{
    readonly name: string
    readonly make: (overrides: Partial<WechatPay.Options>) => {
      attempts: Array<Attempt>
      layer: Layer.Layer<PayScorePermissions.PayScorePermissions>
    }
    readonly tag: WechatPayError.ClientError["_tag"]
  }> = [
    { name: "500 SYSTEM_ERROR", make: (o) => scripted([systemError], o), tag: "SystemError" },
    { name: "503 SERVICE_UNAVAILABLE", make: (o) => scripted([unavailable], o), tag: "SystemError" },
    {
      name: "502 with an HTML body and no signature",
      make: (o) => scripted([{ status: 502, body: "<html>Bad Gateway</html>", signWith: false }], o),
      tag: "SystemError"
    },
    { name: "429 FREQUENCY_LIMITED", make: (o) => scripted([limited], o), tag: "FrequencyLimited" },
    { name: "a transport error (ECONNRESET)", make: (o) => broken("transport", o), tag: "TransportError" },
    {
      name: "a timeout (the server never answers)",
      make: (o) => broken("never", { timeout: "50 millis", ...o }),
      tag: "TransportError"
    }
  ]

  for (const kind of transient) {
    for (const retries of [0, 2]) {
      it.live(`${kind.name}: exactly 1 + ${retries} attempts, each with a fresh nonce, then ${kind.tag}`, () =>
        Effect.gen(function*() {
          const { attempts, layer } = kind.make({ ...FAST, retries })
          const error = failure(yield* runWith(layer))
          expect(error._tag).toBe(kind.tag)
          expect(attempts).toHaveLength(1 + retries)
          expectDistinctNonces(attempts)
        }))
    }
  }

  it.live("the default budget is 2 retries (3 attempts)", () =>
    Effect.gen(function*() {
      const { attempts, layer } = scripted([systemError], FAST)
      expect(failure(yield* runWith(layer))._tag).toBe("SystemError")
      expect(attempts).toHaveLength(3)
    }))

  it.live("retries: 5 gives exactly 6 attempts", () =>
    Effect.gen(function*() {
      const { attempts, layer } = scripted([unavailable], { retryBaseDelay: "1 millis", retries: 5 })
      expect(failure(yield* runWith(layer))._tag).toBe("SystemError")
      expect(attempts).toHaveLength(6)
      expectDistinctNonces(attempts)
    }))

  it.live("the transport error keeps the cause's message", () =>
    Effect.gen(function*() {
      const { layer } = broken("transport", { ...FAST, retries: 0 })
      const error = failure(yield* runWith(layer)) as WechatPayError.TransportError
      expect(error._tag).toBe("TransportError")
      expect(error.message).toContain("ECONNRESET")
    }))

  it.live("a server that never answers gives TransportError after `timeout`, saying so", () =>
    Effect.gen(function*() {
      const { attempts, layer } = broken("never", { timeout: "50 millis", retries: 0 })
      const started = Date.now()
      const error = failure(yield* runWith(layer)) as WechatPayError.TransportError
      expect(error._tag).toBe("TransportError")
      expect(error.message).toMatch(/timeout/i)
      expect(Date.now() - started).toBeGreaterThanOrEqual(45)
      expect(attempts).toHaveLength(1)
    }))

  it.live("a timeout on the 1st attempt and an answer on the 2nd: the answer is returned", () =>
    Effect.gen(function*() {
      const { attempts, layer } = scripted(["never", { body: ANSWER }], { ...FAST, timeout: "50 millis" })
      const result = yield* runWith(layer)
      expect(Result.isSuccess(result) && result.success._tag).toBe("Available")
      expect(attempts).toHaveLength(2)
      expectDistinctNonces(attempts)
    }))
})

describe("a success after a transient failure is returned", () => {
  for (const first of [systemError, unavailable, limited]) {
    it.live(`${first.status} then 200 → the record, after exactly 2 attempts`, () =>
      Effect.gen(function*() {
        const { attempts, layer } = scripted([first, { body: ANSWER }], FAST)
        const result = yield* runWith(layer)
        if (Result.isFailure(result)) throw new Error(`expected a success, got ${result.failure._tag}`)
        expect(result.success._tag).toBe("Available")
        expect(result.success.authorization_code).toBe(ANSWER.authorization_code)
        expect(attempts).toHaveLength(2)
        expectDistinctNonces(attempts)
      }))
  }

  it.live("a transport error then 200 → the record", () =>
    Effect.gen(function*() {
      const attempts: Array<Attempt> = []
      // the first attempt fails at the transport, the next ones reach the fake
      const flaky = Layer.effect(
        HttpClient.HttpClient,
        Effect.map(HttpClient.HttpClient, (inner) =>
          HttpClient.make((request) => {
            attempts.push({ at: Date.now(), nonce: nonceOf(request.headers) })
            return attempts.length === 1
              ? Effect.fail(
                new HttpClientError.HttpClientError({
                  reason: new HttpClientError.TransportError({ request, cause: new Error("EPIPE") })
                })
              )
              : inner.execute(request)
          }))
      ).pipe(Layer.provide(FakeWechatPay.layer(() => ({ body: ANSWER }))))
      const result = yield* runWith(layerOver(flaky, FAST))
      expect(Result.isSuccess(result) && result.success._tag).toBe("Available")
      expect(attempts).toHaveLength(2)
      expectDistinctNonces(attempts)
    }))
})

describe("never retried", () => {
  const permanent: ReadonlyArray<{ readonly name: string; readonly reply: FakeWechatPay.Reply; readonly tag: string }> =
    [
      {
        name: "400 PARAM_ERROR",
        reply: { status: 400, body: { code: "PARAM_ERROR", message: "x" } },
        tag: "ParamError"
      },
      {
        name: "400 INVALID_REQUEST",
        reply: { status: 400, body: { code: "INVALID_REQUEST", message: "x" } },
        tag: "InvalidRequest"
      },
      { name: "401 SIGN_ERROR", reply: { status: 401, body: { code: "SIGN_ERROR", message: "x" } }, tag: "SignError" },
      { name: "403 NO_AUTH", reply: { status: 403, body: { code: "NO_AUTH", message: "x" } }, tag: "NoAuth" },
      { name: "404 NOT_FOUND", reply: { status: 404, body: { code: "NOT_FOUND", message: "x" } }, tag: "NotFound" },
      {
        name: "404 without signature headers",
        reply: { status: 404, body: { code: "NOT_FOUND", message: "x" }, signWith: false },
        tag: "NotFound"
      },
      { name: "418", reply: { status: 418, body: { code: "TEAPOT", message: "x" } }, tag: "ApiError" },
      {
        name: "VerificationError on a 2xx (tampered body)",
        reply: { body: ANSWER, signedBody: "{}" },
        tag: "VerificationError"
      },
      {
        name: "VerificationError on a 2xx (no signature headers)",
        reply: { body: ANSWER, signWith: false },
        tag: "VerificationError"
      },
      {
        name: "VerificationError on a signed 500 whose signature does not hold",
        reply: { ...systemError, signedBody: "{}" },
        tag: "VerificationError"
      },
      { name: "DecodeError on a verified 2xx (not JSON)", reply: { body: "<html>" }, tag: "DecodeError" },
      {
        name: "DecodeError on a verified 2xx (missing field)",
        reply: { body: { ...ANSWER, authorization_state: undefined } },
        tag: "DecodeError"
      }
    ]
  for (const { name, reply, tag } of permanent) {
    it.live(`${name} → ${tag} after exactly 1 attempt`, () =>
      Effect.gen(function*() {
        const { attempts, layer } = scripted([reply], { ...FAST, retries: 3 })
        expect(failure(yield* runWith(layer))._tag).toBe(tag)
        expect(attempts).toHaveLength(1)
      }))
  }

  it.live("InvalidInput: nothing is sent at all", () =>
    Effect.gen(function*() {
      const { attempts, layer } = scripted([{ body: ANSWER }], { ...FAST, retries: 3 })
      const result = yield* PayScorePermissions.PayScorePermissions.pipe(
        Effect.flatMap((p) => p.queryByAuthorizationCode({ authorization_code: "a/b", service_id: "500001" })),
        Effect.result,
        Effect.provide(layer)
      )
      expect(failure(result)._tag).toBe("InvalidInput")
      expect(attempts).toHaveLength(0)
    }))
})

describe("after the budget, the last typed error surfaces", () => {
  it.live("500, 500, 503 → SystemError with status 503", () =>
    Effect.gen(function*() {
      const { attempts, layer } = scripted([systemError, systemError, unavailable], FAST)
      const error = failure(yield* runWith(layer)) as WechatPayError.SystemError
      expect(error._tag).toBe("SystemError")
      expect(error.status).toBe(503)
      expect(error.code).toBe("SERVICE_UNAVAILABLE")
      expect(attempts).toHaveLength(3)
    }))

  it.live("503, 500, 429 → FrequencyLimited", () =>
    Effect.gen(function*() {
      const { attempts, layer } = scripted([unavailable, systemError, limited], FAST)
      const error = failure(yield* runWith(layer)) as WechatPayError.FrequencyLimited
      expect(error._tag).toBe("FrequencyLimited")
      expect(error.status).toBe(429)
      expect(attempts).toHaveLength(3)
    }))

  it.live("500, then 404 → NotFound, and no more attempts", () =>
    Effect.gen(function*() {
      const { attempts, layer } = scripted(
        [systemError, { status: 404, body: { code: "NOT_FOUND", message: "x" } }, { body: ANSWER }],
        FAST
      )
      expect(failure(yield* runWith(layer))._tag).toBe("NotFound")
      expect(attempts).toHaveLength(2)
    }))

  it.live("500, then a 2xx that fails verification → VerificationError, and no more attempts", () =>
    Effect.gen(function*() {
      const { attempts, layer } = scripted([systemError, { body: ANSWER, signWith: false }, { body: ANSWER }], FAST)
      expect(failure(yield* runWith(layer))._tag).toBe("VerificationError")
      expect(attempts).toHaveLength(2)
    }))
})

describe("backoff between attempts", () => {
  it.live("live: attempts are spread out by a growing delay (retryBaseDelay 10 millis)", () =>
    Effect.gen(function*() {
      const { attempts, layer } = scripted([systemError], { retryBaseDelay: "10 millis", retries: 3 })
      failure(yield* runWith(layer))
      expect(attempts).toHaveLength(4)
      const gaps = attempts.slice(1).map((a, i) => a.at - attempts[i]!.at)
      // jitter keeps each delay within 0.8x..1.2x of 10, 20, 40 ms; only lower bounds are asserted
      expect(gaps[0]).toBeGreaterThanOrEqual(6)
      expect(gaps[1]).toBeGreaterThanOrEqual(12)
      expect(gaps[2]).toBeGreaterThanOrEqual(24)
    }))

  /** Waits (real time: WebCrypto works off the fiber) until `done()` holds. */
  const until = (done: () => boolean, what: string) =>
    Effect.gen(function*() {
      for (let i = 0; i < 2000 && !done(); i++) {
        yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 1)))
      }
      if (!done()) throw new Error(`timed out waiting for ${what}`)
    })

  it.effect("TestClock: no retry before 0.8x the delay, one by 1.2x; the delay doubles each time", () =>
    Effect.gen(function*() {
      const { attempts, layer } = scripted([systemError], { retryBaseDelay: "1 second", retries: 2, timeout: "1 hour" })
      const fiber = yield* Effect.forkChild(runWith(layer))
      yield* until(() => attempts.length === 1, "the first attempt")
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 30)))
      // first delay: between 0.8 s and 1.2 s of the TestClock
      yield* TestClock.adjust("790 millis")
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 30)))
      expect(attempts).toHaveLength(1)
      yield* TestClock.adjust("420 millis")
      yield* until(() => attempts.length === 2, "the second attempt")
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 30)))
      // second delay: between 1.6 s and 2.4 s
      yield* TestClock.adjust("1590 millis")
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 30)))
      expect(attempts).toHaveLength(2)
      yield* TestClock.adjust("820 millis")
      yield* until(() => attempts.length === 3, "the third attempt")
      const result = yield* Fiber.join(fiber)
      expect(Result.isFailure(result) && result.failure._tag).toBe("SystemError")
      // each attempt signed again, with a fresh nonce
      expect(new Set(attempts.map((a) => a.nonce)).size).toBe(3)
    }))
})
