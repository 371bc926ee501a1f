/**
 * The hostile-transport subset, over a real HTTP server on 127.0.0.1, through both transports of
 * the Effect 4 line: a redirect is never followed, a body that is not UTF-8 never verifies, a body
 * over `maxResponseBytes` is refused (by `Content-Length`, and while streaming), and nothing of a
 * refused request's secrets shows in the error.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Layer, Result } from "effect"
import { FetchHttpClient, type HttpClient } from "effect/http"
import type { WechatPayError } from "../../src/index.js"
import { PayScorePermissions, WechatPay } from "../../src/index.js"
import { FakeWechatPay, Fixtures } from "../../src/testing/index.js"
import { UndiciHttpClient } from "../../src/undici.js"
import { merchantOptions } from "../helpers/merchant.js"
import { answer, serve } from "../helpers/server.js"

const transports: ReadonlyArray<readonly [string, Layer.Layer<HttpClient.HttpClient>]> = [
  ["FetchHttpClient", FetchHttpClient.layer],
  ["UndiciHttpClient", UndiciHttpClient.layer]
]

const query = { authorization_code: "1234323JKHDFE1243252", service_id: "500001" }
const record = JSON.stringify({
  service_id: "500001",
  appid: "wxd678efh567hg6787",
  mchid: Fixtures.mchid,
  authorization_code: query.authorization_code,
  authorization_state: "AVAILABLE"
})

const call = (http: Layer.Layer<HttpClient.HttpClient>, overrides: Partial<WechatPay.Options>) =>
  Effect.flatMap(Effect.service(PayScorePermissions.PayScorePermissions), (p) => p.queryByAuthorizationCode(query))
    .pipe(
      Effect.result,
      Effect.provide(WechatPay.layer(merchantOptions({ retries: 0, ...overrides })).pipe(Layer.provide(http)))
    )

const failure = <A, E>(result: Result.Result<A, E>): E => {
  if (Result.isSuccess(result)) throw new Error(`expected a failure, got ${JSON.stringify(result.success)}`)
  return result.failure
}

for (const [name, http] of transports) {
  describe(`hostile transport, ${name}`, () => {
    it.live("a 302 is not followed: the Location is never requested, the call fails (ApiError 302)", () =>
      Effect.gen(function*() {
        const paths: Array<string> = []
        const { url } = yield* serve((request, _, response) => {
          paths.push(request.url ?? "")
          if (request.url?.startsWith("/elsewhere")) return answer(response, 200, record)
          response.writeHead(302, { location: "/elsewhere" })
          response.end()
        })
        const error = failure(yield* call(http, { baseUrl: url })) as WechatPayError.ApiErrors
        expect(error._tag).toBe("ApiError")
        expect(error.status).toBe(302)
        expect(paths).toHaveLength(1)
        expect(paths[0]).toMatch(/^\/v3\/payscore\/permissions\/authorization-code\//)
      }))

    it.live("a signed body that is not UTF-8 never verifies: VerificationError BadSignature", () =>
      Effect.gen(function*() {
        const bytes = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0xff, 0xfe, 0x7d])
        const { url } = yield* serve((_, __, response) => {
          // signed over the lossy text of the bytes: the text is not what was sent
          void FakeWechatPay.signAnswer({
            key: FakeWechatPay.keys.publicKey,
            body: bytes.toString("utf8"),
            timestamp: Math.floor(Date.now() / 1000)
          }).then((headers) => {
            response.writeHead(200, { "content-type": "application/json", ...headers })
            response.end(bytes)
          })
        })
        const error = failure(yield* call(http, { baseUrl: url })) as WechatPayError.VerificationError
        expect([error._tag, error.reason]).toEqual(["VerificationError", "BadSignature"])
      }))

    it.live("a body over maxResponseBytes: refused by Content-Length, and while streaming (chunked)", () =>
      Effect.gen(function*() {
        const big = JSON.stringify({ padding: "x".repeat(4096) })
        const declared = yield* serve((_, __, response) => answer(response, 200, big))
        const byLength = failure(
          yield* call(http, { baseUrl: declared.url, maxResponseBytes: 1024 })
        ) as WechatPayError.TransportError
        expect([byLength._tag, byLength.reason]).toEqual(["TransportError", "OutcomeUnknown"])
        expect(byLength.message).toContain("larger than maxResponseBytes (1024 bytes)")
        const streamed = yield* serve((_, __, response) => {
          response.writeHead(200, { "content-type": "application/json" })
          for (let i = 0; i < 8; i++) response.write("x".repeat(1024))
          response.end()
        })
        const byStream = failure(
          yield* call(http, { baseUrl: streamed.url, maxResponseBytes: 1024 })
        ) as WechatPayError.TransportError
        expect([byStream._tag, byStream.reason]).toEqual(["TransportError", "OutcomeUnknown"])
        expect(byStream.message).toContain("larger than maxResponseBytes (1024 bytes)")
      }))

    it.live("an endless body stops at the cap: the connection is closed, the rest never read", () =>
      Effect.gen(function*() {
        let closed = false
        let written = 0
        const { url } = yield* serve((_, __, response) => {
          response.writeHead(200, { "content-type": "application/json" })
          const chunk = "x".repeat(16 * 1024)
          const timer = setInterval(() => {
            if (response.destroyed) return
            written += chunk.length
            response.write(chunk)
          }, 1)
          response.socket?.once("close", () => {
            closed = true
            clearInterval(timer)
          })
        })
        const error = failure(
          yield* call(http, { baseUrl: url, maxResponseBytes: 64 * 1024 })
        ) as WechatPayError.TransportError
        expect([error._tag, error.reason]).toEqual(["TransportError", "OutcomeUnknown"])
        for (let i = 0; i < 300 && !closed; i++) yield* Effect.sleep("10 millis")
        expect(closed).toBe(true)
        expect(written).toBeLessThan(16 * 1024 * 1024)
      }))

    it.live("a body that stalls past the timeout: OutcomeUnknown, and the connection is closed (no leak)", () =>
      Effect.gen(function*() {
        let closed = false
        const { url } = yield* serve((_, __, response) => {
          response.writeHead(200, { "content-type": "application/json", "content-length": "1000" })
          response.write('{"service_id":')
          response.socket?.once("close", () => {
            closed = true
          })
        })
        const error = failure(
          yield* call(http, { baseUrl: url, timeout: "300 millis" })
        ) as WechatPayError.TransportError
        expect([error._tag, error.reason]).toEqual(["TransportError", "OutcomeUnknown"])
        expect(error.message).toContain("timeout")
        for (let i = 0; i < 300 && !closed; i++) yield* Effect.sleep("10 millis")
        expect(closed).toBe(true)
      }))

    it.live("interrupting a call before any answer closes its connection (no leak)", () =>
      Effect.gen(function*() {
        let arrived = false
        let closed = false
        const { url } = yield* serve((request) => {
          arrived = true
          request.socket.once("close", () => {
            closed = true
          })
        })
        const fiber = yield* Effect.forkChild(call(http, { baseUrl: url, timeout: "30 seconds" }))
        for (let i = 0; i < 300 && !arrived; i++) yield* Effect.sleep("10 millis")
        expect(arrived).toBe(true)
        yield* Fiber.interrupt(fiber)
        for (let i = 0; i < 300 && !closed; i++) yield* Effect.sleep("10 millis")
        expect(closed).toBe(true)
      }))

    it.live("a connection reset mid-answer → TransportError OutcomeUnknown; the Authorization header is in no error", () =>
      Effect.gen(function*() {
        const { url } = yield* serve((request, _, response) => {
          response.writeHead(200, { "content-type": "application/json", "content-length": "1000" })
          // echo the Authorization header into the body, then cut the connection
          response.write(String(request.headers["authorization"]))
          response.socket?.destroy()
        })
        const error = failure(yield* call(http, { baseUrl: url })) as WechatPayError.TransportError
        expect([error._tag, error.reason]).toEqual(["TransportError", "OutcomeUnknown"])
        const printed = `${error.message} ${JSON.stringify(error)} ${String(error)}`
        expect(printed).not.toMatch(/signature="/)
        expect(printed).not.toContain("WECHATPAY2-SHA256-RSA2048")
      }))
  })
}
