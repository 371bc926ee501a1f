/**
 * No key material, APIv3 key or Authorization header in what the Effect 4 line prints: options
 * (Redacted), errors of bad options, errors of calls, and Effect's own logs of a call (the secret
 * headers are among `Headers.CurrentRedactedNames` while a call runs).
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Logger, Redacted, References } from "effect"
import { HttpClient, type HttpClientRequest } from "effect/http"
import { inspect } from "node:util"
import { PayScorePermissions, WechatPay } from "../../src/index.js"
import { FakeWechatPay, Fixtures } from "../../src/testing/index.js"
import { merchantOptions } from "../helpers/merchant.js"

const pemBody = (pem: string) => pem.split("\n").slice(1, 3).join("")
const SECRETS = [pemBody(Fixtures.merchantPrivateKeyPkcs8), Fixtures.apiV3Key]

const printed = (value: unknown) => `${String(value)} ${JSON.stringify(value)} ${inspect(value, { depth: 8 })}`

const query = { authorization_code: "1234323JKHDFE1243252", service_id: "500001" }

describe("secrets", () => {
  it("the options print with their secrets redacted", () => {
    const options = merchantOptions({ apiV3Key: Redacted.make(Fixtures.apiV3Key) })
    const text = printed(options)
    for (const secret of SECRETS) expect(text).not.toContain(secret)
  })

  it.effect("a bad option's InvalidConfig never quotes the key it refused", () =>
    Effect.gen(function*() {
      const key = Fixtures.merchantPrivateKeyPkcs8.replace("MIIE", "MIIX")
      for (
        const overrides of [
          { merchantPrivateKey: Redacted.make(key) },
          { apiV3Key: Redacted.make(`${Fixtures.apiV3Key}x`) },
          { merchantPrivateKey: Fixtures.wechatpayPublicKey }
        ]
      ) {
        const error = yield* Effect.flip(
          Layer.build(WechatPay.layer(merchantOptions(overrides)).pipe(Layer.provide(FakeWechatPay.layer(() => ({})))))
            .pipe(
              Effect.scoped
            )
        )
        expect(error._tag).toBe("InvalidConfig")
        const text = printed(error)
        for (const secret of [...SECRETS, pemBody(key)]) expect(text).not.toContain(secret)
      }
    }))

  it.live("Effect's logs of a call and the errors of a call never carry the Authorization header", () =>
    Effect.gen(function*() {
      const lines: Array<string> = []
      const logger = Logger.make((options) => lines.push(printed(options.message)))
      let sent: HttpClientRequest.HttpClientRequest | undefined
      // a middleware of the user's that logs every request it sees
      const logging = Layer.effect(
        HttpClient.HttpClient,
        Effect.map(Effect.service(HttpClient.HttpClient), (inner) =>
          HttpClient.make((request) => {
            sent = request
            return Effect.flatMap(Effect.logInfo("request", request, request.headers), () => inner.execute(request))
          }))
      ).pipe(Layer.provide(FakeWechatPay.layer(() => ({ status: 500, body: { code: "SYSTEM_ERROR", message: "x" } }))))
      const error = yield* Effect.flatMap(
        Effect.service(PayScorePermissions.PayScorePermissions),
        (p) => p.queryByAuthorizationCode(query)
      ).pipe(
        Effect.flip,
        Effect.provide(
          WechatPay.layer(merchantOptions({ retries: 1, retryBaseDelay: "1 millis" })).pipe(Layer.provide(logging))
        ),
        Effect.provide(Logger.layer([logger])),
        Effect.provideService(References.MinimumLogLevel, "Debug")
      )
      expect(error._tag).toBe("SystemError")
      const authorization = sent?.headers["authorization"]
      expect(authorization).toMatch(/^WECHATPAY2-SHA256-RSA2048 /)
      const signature = /signature="([^"]+)"/.exec(authorization!)![1]!
      expect(lines.length).toBeGreaterThan(0)
      for (const line of [...lines, printed(error)]) {
        expect(line).not.toContain(signature)
        for (const secret of SECRETS) expect(line).not.toContain(secret)
      }
    }).pipe(Effect.provideService(HttpClient.TracerDisabledWhen, () => true)))
})
