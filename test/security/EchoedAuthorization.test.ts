/**
 * Issue 18, defect 5: the `Authorization` header we sent leaks into what we print.
 *
 * - An error body that echoes our own `Authorization` header (a proxy or a misconfigured gateway
 *   answering 500 `{"code":"SYSTEM_ERROR","message":"bad header: WECHATPAY2-SHA256-RSA2048 mchid=…
 *   signature=…"}`) is copied into `SystemError.message`, its JSON and the debug log line of the
 *   transient failure. The value we sent must be scrubbed from everything we print.
 * - `util.inspect` of a response (what a user's logging middleware prints) shows the request's
 *   `authorization` header unredacted (`String` and `JSON.stringify` are redacted already), over
 *   `FetchHttpClient`, `NodeHttpClient.layerUndici` and `effect-wechatpay/undici`.
 *
 * On today's code (recorded when written):
 * - "an error body echoing our Authorization header …" (each transport): the leaks found are
 *   `["log has the signature", "message has the header", "message has the signature",
 *   "json has the signature"]` (the Debug line "effect-wechatpay: transient failure" carries the
 *   message; in JSON the header's quotes are escaped, so the signature is what shows).
 * - "util.inspect of the response a middleware sees …" (each transport): the printed response
 *   contains `request.headers.authorization: 'WECHATPAY2-SHA256-RSA2048 mchid="1900000001",…,
 *   signature="…",…'` in full.
 */
import { FetchHttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Logger, LogLevel, Schema } from "effect"
import type * as Net from "node:net"
import * as util from "node:util"
import { WechatPay, WechatPayClient } from "../../src/index.js"
import { UndiciHttpClient } from "../../src/undici.js"
import { capturingLogger, type LogLine } from "../helpers/logging.js"
import { merchantOptionsWithApiV3Key } from "../helpers/merchant.js"
import { rawServer, type Received, signedAnswer } from "../helpers/rawServer.js"

const transports: ReadonlyArray<readonly [string, Layer.Layer<HttpClient.HttpClient>]> = [
  ["FetchHttpClient", FetchHttpClient.layer],
  ["NodeHttpClient.layerUndici", NodeHttpClient.layerUndici],
  ["UndiciHttpClient", UndiciHttpClient.layer]
]

const wrap = (
  base: Layer.Layer<HttpClient.HttpClient>,
  f: (client: HttpClient.HttpClient) => HttpClient.HttpClient
): Layer.Layer<HttpClient.HttpClient> =>
  Layer.effect(HttpClient.HttpClient, Effect.map(HttpClient.HttpClient, f)).pipe(Layer.provide(base))

const routes = {
  /** A gateway that echoes the Authorization header it received in a WeChat Pay-shaped 500. */
  "/v3/echo": (socket: Net.Socket, request: Received) => {
    const body = JSON.stringify({ code: "SYSTEM_ERROR", message: `bad header: ${request.headers["authorization"]}` })
    socket.end(
      `HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/json\r\ncontent-length: ${
        Buffer.byteLength(body)
      }\r\n\r\n${body}`
    )
  },
  "/v3/ok": async (socket: Net.Socket) => socket.end(await signedAnswer(`{"ok":true}`))
}

const call = (http: Layer.Layer<HttpClient.HttpClient>, baseUrl: string, path: string) =>
  Effect.flatMap(
    WechatPayClient.WechatPayClient,
    (client) => client.request({ method: "GET", path, schema: Schema.Struct({ ok: Schema.Boolean }) })
  ).pipe(
    Effect.provide(
      WechatPay.layer(
        merchantOptionsWithApiV3Key({ baseUrl, retries: 1, retryBaseDelay: "1 millis", timeout: "2 seconds" })
      ).pipe(
        Layer.provide(http),
        Layer.orDie
      )
    )
  )

/** The signature of an Authorization header, and the header itself: neither may be printed. */
const secretsOf = (authorization: string): ReadonlyArray<string> => {
  const signature = /signature="([^"]+)"/.exec(authorization)?.[1]
  expect(signature).toBeDefined()
  return [authorization, signature!]
}

describe.each(transports)("defect 5 over %s", (_name, transport) => {
  it.scopedLive("an error body echoing our Authorization header: scrubbed from the message, the JSON and the log", () =>
    Effect.gen(function*() {
      const server = yield* rawServer(routes)
      const lines: Array<LogLine> = []
      const error = yield* call(transport, server.url, "/v3/echo").pipe(
        Effect.flip,
        Effect.provide(capturingLogger(lines)),
        Logger.withMinimumLogLevel(LogLevel.Debug)
      )
      expect(error._tag).toBe("SystemError")
      expect(server.received.length).toBe(2) // retried once: both attempts echoed
      // every line logged, at any level (today: the Debug line of the transient failure)
      const printed = {
        message: error.message,
        json: JSON.stringify(error),
        log: lines.map((l) => l.text).join("\n")
      }
      const leaks: Array<string> = []
      for (const request of server.received) {
        for (const secret of secretsOf(request.headers["authorization"]!)) {
          for (const [where, text] of Object.entries(printed)) {
            if (text.includes(secret)) {
              leaks.push(`${where} has ${secret === request.headers["authorization"] ? "the header" : "the signature"}`)
            }
          }
        }
      }
      expect([...new Set(leaks)]).toEqual([])
    }))

  it.scopedLive("util.inspect of the response a middleware sees never shows the Authorization header", () =>
    Effect.gen(function*() {
      const server = yield* rawServer(routes)
      const captured: Array<string> = []
      const http = wrap(
        transport,
        HttpClient.tap((res) => Effect.sync(() => void captured.push(util.inspect(res, { depth: 10 }))))
      )
      yield* call(http, server.url, "/v3/ok")
      expect(captured.length).toBe(1)
      const [header, signature] = secretsOf(server.received[0]!.headers["authorization"]!)
      expect(captured[0]).not.toContain(signature)
      expect(captured[0]).not.toContain(header)
      expect(captured[0]).not.toMatch(/signature="/)
    }))
})
