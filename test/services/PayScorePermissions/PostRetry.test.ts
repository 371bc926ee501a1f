/**
 * The POST retry rule: a POST is not idempotent, so it is retried only when the request provably
 * never left (connection refused), never after a timeout, a reset, a 5xx or a 429 — counted in the
 * sandbox log (what arrived) and on the wire (what was sent). GETs keep retrying transient failures.
 */
import { FetchHttpClient } from "@effect/platform"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as Net from "node:net"
import { WechatPay, WechatPayClient, WechatPayError } from "../../../src/index.js"
import { Sandbox } from "../../../src/testing/index.js"
import { merchantOptions } from "../../helpers/merchant.js"
import {
  APPID,
  capturingFetch,
  CODE,
  permissions,
  REASON,
  requests,
  type Sent,
  SERVICE_ID
} from "../../helpers/sandbox.js"

const merchantCode = { authorization_code: CODE, service_id: SERVICE_ID }
const terminate = Effect.flatMap(
  permissions,
  (p) => p.terminateByAuthorizationCode({ ...merchantCode, reason: REASON })
)
const apply = Effect.flatMap(
  permissions,
  (p) => p.applyPermissions({ service_id: SERVICE_ID, appid: APPID, authorization_code: CODE })
)
const query = Effect.flatMap(permissions, (p) => p.queryByAuthorizationCode(merchantCode))

/** Retries 2 with a fast backoff, a 1-second attempt timeout (a Delay fault waits 2.5 s), over `http` (default: fetch). */
const retryingSandbox = (http: Layer.Layer<HttpClient.HttpClient> = FetchHttpClient.layer) =>
  Sandbox.layer({
    faultDelay: "2500 millis",
    records: [Sandbox.Seed.Merchant({ ...merchantCode, record: { authorization_state: "AVAILABLE" } })],
    client: { retries: 2, retryBaseDelay: "10 millis", timeout: "1 second" }
  }).pipe(Layer.provide(http))

/**
 * How many requests reached the sandbox. After a timeout the client has given up while the sandbox
 * may still be logging: wait until the count has been stable for 300 ms.
 */
const arrived = Effect.gen(function*() {
  let count = (yield* requests).length
  for (;;) {
    yield* Effect.sleep("300 millis")
    const now = (yield* requests).length
    if (now === count) return count
    count = now
  }
})

const clearLog = Effect.flatMap(Sandbox.Sandbox, (s) => s.clearRequests)

describe("POSTs are not retried after the request may have been acted on", () => {
  it.live("a timeout (Delay fault): the POST is sent once, and WeChat Pay acted on it; a GET is retried", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.Sandbox
      yield* sandbox.injectFault(Sandbox.Fault.Delay({}), { times: Infinity })
      const error = yield* Effect.flip(terminate)
      expect(error._tag).toBe("TransportError")
      expect(error.message).toContain("timeout")
      expect(yield* arrived).toBe(1)

      yield* clearLog
      const applied = yield* Effect.flip(apply)
      expect(applied._tag).toBe("TransportError")
      expect(yield* arrived).toBe(1)

      yield* clearLog
      expect((yield* Effect.flip(query))._tag).toBe("TransportError")
      expect(yield* arrived).toBe(3)

      yield* sandbox.clearFaults
      // the delayed terminate was carried out: sending it again would have been a second terminate
      expect((yield* query)._tag).toBe("Unavailable")
    }).pipe(Effect.provide(retryingSandbox())))

  const answers = [
    ["500 SYSTEM_ERROR", Sandbox.Fault.Status({ status: 500 }), "SystemError"],
    ["503 SERVICE_UNAVAILABLE", Sandbox.Fault.Status({ status: 503 }), "SystemError"],
    ["a 502 HTML gateway page", Sandbox.Fault.GatewayHtml({}), "SystemError"],
    ["429 FREQUENCY_LIMITED", Sandbox.Fault.Status({ status: 429 }), "FrequencyLimited"],
    ["a reset connection", Sandbox.Fault.ConnectionReset(), "TransportError"]
  ] as const
  for (const [name, fault, tag] of answers) {
    it.live(`${name}: the POST is sent once (${tag}); the same fault on a GET: 3 attempts`, () =>
      Effect.gen(function*() {
        const sandbox = yield* Sandbox.Sandbox
        yield* sandbox.injectFault(fault, { times: Infinity })
        const post = yield* Effect.flip(terminate)
        expect(post._tag).toBe(tag)
        expect(yield* arrived).toBe(1)
        yield* clearLog
        const postApply = yield* Effect.flip(apply)
        expect(postApply._tag).toBe(tag)
        expect(yield* arrived).toBe(1)
        yield* clearLog
        const get = yield* Effect.flip(query)
        expect(get._tag).toBe(tag)
        expect(yield* arrived).toBe(3)
      }).pipe(Effect.provide(retryingSandbox())))
  }
})

/** A port nothing listens on: bound, then closed. */
const closedPort = Effect.async<number>((resume) => {
  const server = Net.createServer()
  server.listen(0, "127.0.0.1", () => {
    const port = (server.address() as Net.AddressInfo).port
    server.close(() => resume(Effect.succeed(port)))
  })
})

/** Over the sandbox's fetch client: the first `refusals` attempts fail as `cause` (never reaching the server). */
const failingFirst = (refusals: number, cause: () => unknown, attempts: { count: number }) =>
  Layer.effect(
    HttpClient.HttpClient,
    Effect.map(HttpClient.HttpClient, (client) =>
      HttpClient.transform(client, (effect, request) =>
        Effect.suspend(() =>
          attempts.count++ < refusals
            ? Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause: cause() }))
            : effect
        )))
  ).pipe(Layer.provide(FetchHttpClient.layer))

const refused = () =>
  Object.assign(new TypeError("fetch failed"), {
    cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" })
  })

describe("POSTs are retried when the request provably never left (connection refused)", () => {
  it.live("a closed port: 1 + retries attempts on the wire, then TransportError naming ECONNREFUSED", () =>
    Effect.gen(function*() {
      const port = yield* closedPort
      for (const retries of [0, 2]) {
        const sent: Array<Sent> = []
        const layer = WechatPay.layer(merchantOptions({
          baseUrl: `http://127.0.0.1:${port}`,
          retries,
          retryBaseDelay: "10 millis"
        })).pipe(Layer.provide(capturingFetch(sent)), Layer.orDie)
        const error = yield* Effect.flip(Effect.provide(terminate, layer))
        expect(error._tag).toBe("TransportError")
        expect(error.message).toContain("ECONNREFUSED")
        expect(sent).toHaveLength(1 + retries)
        expect(sent.every((s) => s.method === "POST")).toBe(true)
        // each attempt re-signed with a fresh nonce
        expect(new Set(sent.map((s) => s.headers["authorization"])).size).toBe(1 + retries)
      }
    }))

  it.live("refused twice, then through: the POST succeeds on the third attempt; the sandbox saw it once", () =>
    Effect.gen(function*() {
      const attempts = { count: 0 }
      const result = yield* Effect.gen(function*() {
        yield* terminate
        expect(yield* arrived).toBe(1)
        expect((yield* query)._tag).toBe("Unavailable")
      }).pipe(Effect.provide(retryingSandbox(failingFirst(2, refused, attempts))), Effect.either)
      expect(result._tag).toBe("Right")
      expect(attempts.count).toBe(4) // 3 for the terminate, 1 for the query
    }))

  it.live("an AggregateError of refusals (IPv4 and IPv6 tried) counts as refused; a reset (ECONNRESET) does not", () =>
    Effect.gen(function*() {
      const aggregate = () =>
        Object.assign(new AggregateError([{ code: "ECONNREFUSED" }, { code: "ECONNREFUSED" }], "connect failed"), {})
      const first = { count: 0 }
      const ok = yield* Effect.either(Effect.provide(terminate, retryingSandbox(failingFirst(1, aggregate, first))))
      expect(ok._tag).toBe("Right")
      expect(first.count).toBe(2)

      const reset = () => Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" })
      const second = { count: 0 }
      const failed = yield* Effect.either(Effect.provide(terminate, retryingSandbox(failingFirst(1, reset, second))))
      expect(failed._tag === "Left" && failed.left._tag).toBe("TransportError")
      expect(second.count).toBe(1)
    }))
})

describe("RequestOptions.idempotent and the one retry rule", () => {
  it.live("idempotent: true makes a POST retry a 500; idempotent: false keeps a GET from retrying", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.Sandbox
      const client = yield* WechatPayClient.WechatPayClient
      yield* sandbox.injectFault(Sandbox.Fault.Status({ status: 500 }), { times: Infinity })
      const post = yield* Effect.flip(client.requestVoid({
        method: "POST",
        path: `/v3/payscore/permissions/authorization-code/${CODE}/terminate`,
        body: { service_id: SERVICE_ID, reason: REASON },
        idempotent: true
      }))
      expect(post._tag).toBe("SystemError")
      expect(yield* arrived).toBe(3)
      yield* clearLog
      const get = yield* Effect.flip(client.execute({
        method: "GET",
        path: `/v3/payscore/permissions/authorization-code/${CODE}`,
        query: { service_id: SERVICE_ID },
        idempotent: false
      }))
      expect(get._tag).toBe("SystemError")
      expect(yield* arrived).toBe(1)
    }).pipe(Effect.provide(retryingSandbox())))

  it("isRetryable: idempotent calls retry every transient failure; the others only a never-sent one", () => {
    const timeout = new WechatPayError.TransportError({ message: "no answer within 10s (timeout)" })
    const fields = { code: "X", message: "m" }
    const system = new WechatPayError.SystemError({ status: 500, ...fields })
    const limited = new WechatPayError.FrequencyLimited({ status: 429, ...fields })
    const notFound = new WechatPayError.NotFound({ status: 404, ...fields })
    for (const error of [timeout, system, limited]) {
      expect(WechatPayClient.isRetryable(error, true)).toBe(true)
      expect(WechatPayClient.isRetryable(error, false)).toBe(false)
      expect(WechatPayClient.isNeverSent(error)).toBe(false)
    }
    expect(WechatPayClient.isRetryable(notFound, true)).toBe(false)
    expect(WechatPayClient.isIdempotentMethod("GET")).toBe(true)
    expect(WechatPayClient.isIdempotentMethod("DELETE")).toBe(true)
    expect(WechatPayClient.isIdempotentMethod("POST")).toBe(false)
    expect(WechatPayClient.isIdempotentMethod("PATCH")).toBe(false)
  })

  it.live("a never-sent TransportError says so in its public fields: reason, message, cause", () =>
    Effect.gen(function*() {
      const attempts = { count: 0 }
      const error = yield* Effect.flip(
        Effect.provide(
          terminate,
          Sandbox.layer({ client: { retries: 0 } }).pipe(Layer.provide(failingFirst(1, refused, attempts)))
        )
      )
      expect(error._tag).toBe("TransportError")
      if (error._tag !== "TransportError") return
      expect(WechatPayClient.isNeverSent(error)).toBe(true)
      // the fact is a public field the retry rule reads; constructed without it (a mock), a
      // TransportError is OutcomeUnknown, the safe assumption
      expect(error.reason).toBe("NeverSent")
      const plain = new WechatPayError.TransportError({ message: error.message, cause: error.cause })
      expect(plain.reason).toBe("OutcomeUnknown")
      expect(Object.keys(error)).toEqual(Object.keys(plain))
      expect(WechatPayClient.isNeverSent(plain)).toBe(false)
      expect(JSON.parse(JSON.stringify(error))).toEqual({
        _tag: "TransportError",
        reason: "NeverSent",
        message: error.message,
        cause: { name: "Error", message: "connect ECONNREFUSED 127.0.0.1:1" }
      })
    }))
})
