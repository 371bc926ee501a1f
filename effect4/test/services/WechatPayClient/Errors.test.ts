/**
 * Every error tag over a real HTTP server on 127.0.0.1 (started and closed by each test), through
 * both transports of the Effect 4 line: effect's `FetchHttpClient` and this package's
 * `UndiciHttpClient`. Answers are signed for real with the fixtures' keys.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Redacted, Result } from "effect"
import { FetchHttpClient, type HttpClient } from "effect/http"
import type { WechatPayError } from "../../../src/index.js"
import { PayScorePermissions, WechatPay } from "../../../src/index.js"
import { FakeWechatPay, Fixtures } from "../../../src/testing/index.js"
import { UndiciHttpClient } from "../../../src/undici.js"
import { merchantOptions } from "../../helpers/merchant.js"
import { answer, serve } from "../../helpers/server.js"

const transports: ReadonlyArray<readonly [string, Layer.Layer<HttpClient.HttpClient>]> = [
  ["FetchHttpClient", FetchHttpClient.layer],
  ["UndiciHttpClient", UndiciHttpClient.layer]
]

const query = { authorization_code: "1234323JKHDFE1243252", service_id: "500001" }
const record = {
  service_id: "500001",
  appid: "wxd678efh567hg6787",
  mchid: Fixtures.mchid,
  authorization_code: query.authorization_code,
  authorization_state: "AVAILABLE"
}

const call = (
  http: Layer.Layer<HttpClient.HttpClient>,
  overrides: Partial<WechatPay.Options>
) =>
  Effect.flatMap(
    Effect.service(PayScorePermissions.PayScorePermissions),
    (p) => p.queryByAuthorizationCode(query)
  ).pipe(
    Effect.result,
    Effect.provide(WechatPay.layer(merchantOptions({ retries: 0, ...overrides })).pipe(Layer.provide(http)))
  )

const failure = <A, E>(result: Result.Result<A, E>): E => {
  if (Result.isSuccess(result)) throw new Error(`expected a failure, got ${JSON.stringify(result.success)}`)
  return result.failure
}

const apiErrors = [
  { status: 400, code: "PARAM_ERROR", tag: "ParamError" },
  { status: 400, code: "INVALID_REQUEST", tag: "InvalidRequest" },
  { status: 401, code: "SIGN_ERROR", tag: "SignError" },
  { status: 403, code: "NO_AUTH", tag: "NoAuth" },
  { status: 404, code: "NOT_FOUND", tag: "NotFound" },
  { status: 429, code: "FREQUENCY_LIMITED", tag: "FrequencyLimited" },
  { status: 500, code: "SYSTEM_ERROR", tag: "SystemError" },
  { status: 418, code: "TEAPOT", tag: "ApiError" }
] as const

for (const [name, http] of transports) {
  describe(`every error tag over a real server, ${name}`, () => {
    it.live("a signed 200 decodes to the record", () =>
      Effect.gen(function*() {
        const { url } = yield* serve((_, __, response) => answer(response, 200, JSON.stringify(record)))
        const result = yield* call(http, { baseUrl: url })
        expect(Result.isSuccess(result) && result.success._tag).toBe("Available")
      }))

    for (const { code, status, tag } of apiErrors) {
      it.live(`${status} ${code} (signed) → ${tag} with status, code, message, detail, requestId`, () =>
        Effect.gen(function*() {
          const { url } = yield* serve((_, __, response) =>
            answer(response, status, JSON.stringify({ code, message: "微信支付的说明", detail: { field: "x" } }))
          )
          const error = failure(yield* call(http, { baseUrl: url })) as WechatPayError.ApiErrors
          expect(error._tag).toBe(tag)
          expect(error.status).toBe(status)
          expect(error.code).toBe(code)
          expect(error.message).toContain("微信支付的说明")
          expect(error.detail).toEqual({ field: "x" })
          expect(error.requestId).toBe("REAL-SERVER-REQUEST-ID")
        }))
    }

    it.live("an unsigned 502 from a gateway (no Wechatpay-* headers) → SystemError", () =>
      Effect.gen(function*() {
        const { url } = yield* serve((_, __, response) =>
          answer(response, 502, "<html>bad gateway</html>", { key: false })
        )
        const error = failure(yield* call(http, { baseUrl: url }))
        expect(error._tag).toBe("SystemError")
      }))

    it.live("a 200 signed by a stranger → VerificationError BadSignature; unsigned → MissingHeaders", () =>
      Effect.gen(function*() {
        const stranger = yield* serve((_, __, response) =>
          answer(response, 200, JSON.stringify(record), { key: FakeWechatPay.keys.stranger })
        )
        const bad = failure(yield* call(http, { baseUrl: stranger.url })) as WechatPayError.VerificationError
        expect([bad._tag, bad.reason]).toEqual(["VerificationError", "BadSignature"])
        const unsigned = yield* serve((_, __, response) =>
          answer(response, 200, JSON.stringify(record), { key: false })
        )
        const missing = failure(yield* call(http, { baseUrl: unsigned.url })) as WechatPayError.VerificationError
        expect([missing._tag, missing.reason]).toEqual(["VerificationError", "MissingHeaders"])
      }))

    it.live("a 200 signed under a serial nobody configured → VerificationError UnknownSerial", () =>
      Effect.gen(function*() {
        const { url } = yield* serve((_, __, response) =>
          answer(response, 200, JSON.stringify(record), { key: FakeWechatPay.keys.platform1 })
        )
        const error = failure(yield* call(http, { baseUrl: url })) as WechatPayError.VerificationError
        expect([error._tag, error.reason, error.serial]).toEqual([
          "VerificationError",
          "UnknownSerial",
          Fixtures.platformSerialNo1
        ])
      }))

    it.live("a verified 200 that is not the documented shape → DecodeError", () =>
      Effect.gen(function*() {
        const { url } = yield* serve((_, __, response) => answer(response, 200, JSON.stringify({ mchid: 1 })))
        const error = failure(yield* call(http, { baseUrl: url }))
        expect(error._tag).toBe("DecodeError")
        expect(error.message).toMatch(/^the verified answer does not have the documented shape/)
      }))

    it.live("a refused connection → TransportError NeverSent; a silent server → TransportError OutcomeUnknown (timeout)", () =>
      Effect.gen(function*() {
        // a port that was just closed: nothing listens there
        const closed = yield* Effect.scoped(serve(() => {}))
        const refused = failure(yield* call(http, { baseUrl: closed.url })) as WechatPayError.TransportError
        expect([refused._tag, refused.reason]).toEqual(["TransportError", "NeverSent"])
        expect(refused.message).toMatch(/^never sent: /)
        const silent = yield* serve(() => {})
        const started = Date.now()
        const timedOut = failure(
          yield* call(http, { baseUrl: silent.url, timeout: "300 millis" })
        ) as WechatPayError.TransportError
        expect([timedOut._tag, timedOut.reason]).toEqual(["TransportError", "OutcomeUnknown"])
        expect(timedOut.message).toMatch(/^sent, but no complete answer within 300ms \(timeout\)/)
        expect(Date.now() - started).toBeLessThan(5_000)
      }))

    it.live("a bad parameter → InvalidInput, nothing sent", () =>
      Effect.gen(function*() {
        let requests = 0
        const { url } = yield* serve((_, __, response) => {
          requests++
          answer(response, 200, JSON.stringify(record))
        })
        const error = yield* Effect.flatMap(
          Effect.service(PayScorePermissions.PayScorePermissions),
          (p) => p.queryByAuthorizationCode({ authorization_code: "a/b", service_id: "500001" })
        ).pipe(
          Effect.flip,
          Effect.provide(WechatPay.layer(merchantOptions({ baseUrl: url })).pipe(Layer.provide(http)))
        )
        expect([error._tag, (error as WechatPayError.InvalidInput).field]).toEqual([
          "InvalidInput",
          "authorization_code"
        ])
        expect(requests).toBe(0)
      }))
  })
}

describe("InvalidConfig", () => {
  it.effect("a merchant key that is not a key fails the layer with InvalidConfig merchantPrivateKey", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        Layer.build(
          WechatPay.layer(merchantOptions({ merchantPrivateKey: Redacted.make("not a key") })).pipe(
            Layer.provide(FetchHttpClient.layer)
          )
        ).pipe(Effect.scoped)
      )
      expect(error._tag).toBe("InvalidConfig")
      expect(error.option).toBe("merchantPrivateKey")
      expect(JSON.stringify(error)).not.toContain("not a key")
    }))
})
