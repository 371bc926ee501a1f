/**
 * Issue 18 (its point 7, listed here as defect 9): `TransportError` must say where it failed in a
 * public field `reason: "NeverSent" | "OutcomeUnknown"`, and a request refused before anything
 * left is never reported as sent. The field does not exist yet: it is read with a cast.
 *
 * Over the three transports (`FetchHttpClient.layer`, `NodeHttpClient.layerUndici`,
 * `UndiciHttpClient.layer`), `retries: 0`:
 * - `baseUrl` `http://127.0.0.1:1` (fetch refuses the port itself: "bad port"; undici connects and
 *   is refused) → `NeverSent`, and the message does not say "sent, but";
 * - connection refused (a port nothing listens on) → `NeverSent`;
 * - DNS failure (`http://does-not-exist.invalid`) → `NeverSent`;
 * - a timeout after the server received the request → `OutcomeUnknown`.
 *
 * On today's code (recorded when written), every test fails on `reason` being `undefined`; besides:
 * - port 1 over fetch: the message is "sent, but no answer came (Transport): bad port; the request
 *   may have reached WeChat Pay, …";
 * - DNS failure, each transport: the message is "sent, but no answer came (Transport): …
 *   ENOTFOUND …" (or EAI_AGAIN where no resolver answers).
 */
import { FetchHttpClient, type HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { type Duration, Effect, Layer, Schema } from "effect"
import { WechatPay, WechatPayClient, type WechatPayError } from "../../../src/index.js"
import { UndiciHttpClient } from "../../../src/undici.js"
import { merchantOptionsWithApiV3Key } from "../../helpers/merchant.js"
import { rawServer } from "../../helpers/rawServer.js"

const transports: ReadonlyArray<readonly [string, Layer.Layer<HttpClient.HttpClient>]> = [
  ["FetchHttpClient", FetchHttpClient.layer],
  ["NodeHttpClient.layerUndici", NodeHttpClient.layerUndici],
  ["UndiciHttpClient", UndiciHttpClient.layer]
]

/** One GET through the whole layer, `retries: 0`: its error. */
const failure = (
  http: Layer.Layer<HttpClient.HttpClient>,
  baseUrl: string,
  timeout: Duration.DurationInput = "3 seconds"
) =>
  Effect.flatMap(
    WechatPayClient.WechatPayClient,
    (client) => client.request({ method: "GET", path: "/v3/hang", schema: Schema.Unknown })
  ).pipe(
    Effect.flip,
    Effect.provide(
      WechatPay.layer(merchantOptionsWithApiV3Key({ baseUrl, retries: 0, timeout })).pipe(
        Layer.provide(http),
        Layer.orDie
      )
    )
  )

/** The public fields of interest: `_tag`, the new `reason`, whether the message says "sent, but". */
const shapeOf = (error: WechatPayError.ClientError) => ({
  _tag: error._tag,
  reason: (error as { reason?: unknown }).reason,
  saysSent: error.message.includes("sent, but")
})

const neverSent = { _tag: "TransportError", reason: "NeverSent", saysSent: false }

describe.each(transports)("defect 9: TransportError.reason over %s", (name, transport) => {
  it.live('baseUrl http://127.0.0.1:1 (fetch: bad port): NeverSent, never "sent, but"', () =>
    Effect.gen(function*() {
      const error = yield* failure(transport, "http://127.0.0.1:1")
      expect(shapeOf(error), `${name}: ${error.message}`).toEqual(neverSent)
    }))

  it.live("connection refused (a port nothing listens on): NeverSent", () =>
    Effect.gen(function*() {
      // a port that was bound, then closed
      const closedUrl = yield* Effect.scoped(Effect.map(rawServer({}), (server) => server.url))
      const error = yield* failure(transport, closedUrl)
      expect(shapeOf(error), `${name}: ${error.message}`).toEqual(neverSent)
    }))

  it.live("DNS failure (does-not-exist.invalid): NeverSent", () =>
    Effect.gen(function*() {
      const error = yield* failure(transport, "http://does-not-exist.invalid")
      expect(shapeOf(error), `${name}: ${error.message}`).toEqual(neverSent)
    }))

  it.scopedLive("a timeout after the server received the request: OutcomeUnknown", () =>
    Effect.gen(function*() {
      const server = yield* rawServer({ "/v3/hang": () => {} })
      const error = yield* failure(transport, server.url, "300 millis")
      expect(server.received.length).toBe(1)
      expect(shapeOf(error), `${name}: ${error.message}`).toEqual({
        _tag: "TransportError",
        reason: "OutcomeUnknown",
        saysSent: true
      })
    }))
})
