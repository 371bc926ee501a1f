/**
 * Issue 18, defect 3: options that are refused only after a signed request went out, or not at all.
 *
 * - With downloaded certificates (an `apiV3Key`, no verifier), a `baseUrl` with credentials, a
 *   query or a fragment sends the signed `GET /v3/certificates` before `WechatPayClient` refuses
 *   it; over fetch, the `InvalidConfig` message then quotes the URL's password.
 * - `maxResponseBytes: 0` downloads the certificates before failing.
 * - `maxClockSkew: "forever"` throws `Invalid DurationInput` (a defect) instead of `InvalidConfig`.
 * - A lowercase `merchantSerialNo` is sent lowercase in the `Authorization` header.
 * - An RSA-1024 merchant key is accepted (WeChat Pay's merchant keys are 2048-bit).
 *
 * On today's code (recorded when written):
 * - "a baseUrl with credentials …": over NodeHttpClient.layerUndici and UndiciHttpClient the
 *   sandbox received the signed download (1 request each, answered), then the layer failed with
 *   option baseUrl; over fetch, 0 requests (fetch refuses a URL with credentials) and option
 *   platformCertificates.
 * - "a baseUrl with a query …" / "… a fragment …": over each transport 1 request (the download
 *   went to `/?a=1/v3/certificates` / `/`, answered 404) and option platformCertificates.
 * - "over fetch, the InvalidConfig message never carries the baseUrl's password": the message
 *   contains `secret` ("… Request cannot be constructed from a URL that includes credentials:
 *   http://user:secret@127.0.0.1:…/v3/certificates …", and calls it "sent, but no answer came").
 * - "maxResponseBytes: 0 is refused before any request": 1 request (the download), then
 *   InvalidConfig maxResponseBytes.
 * - "maxClockSkew: \"forever\" fails with InvalidConfig maxClockSkew": the layer dies with
 *   `Error: Invalid DurationInput` (a defect).
 * - "a lowercase merchantSerialNo …": sent `serial_no="5157f09e…"` lowercase, and the layer built.
 * - "an RSA-1024 merchant key is refused …": the layer builds (the Exit is a success).
 */
import { FetchHttpClient, type HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Either, Layer, Redacted, Schema } from "effect"
import { generateKeyPairSync } from "node:crypto"
import type * as Net from "node:net"
import { WechatPay, WechatPayClient } from "../../src/index.js"
import { Sandbox } from "../../src/testing/index.js"
import { UndiciHttpClient } from "../../src/undici.js"
import { describeExit } from "../helpers/exit.js"
import { merchantOptionsWithApiV3Key } from "../helpers/merchant.js"
import { rawServer, signedAnswer } from "../helpers/rawServer.js"

const transports: ReadonlyArray<readonly [string, Layer.Layer<HttpClient.HttpClient>]> = [
  ["FetchHttpClient", FetchHttpClient.layer],
  ["NodeHttpClient.layerUndici", NodeHttpClient.layerUndici],
  ["UndiciHttpClient", UndiciHttpClient.layer]
]

/** Downloaded certificates only: an APIv3 key and no verifier. */
const downloadOnly: Partial<WechatPay.Options> = {
  wechatpayPublicKey: undefined,
  platformCertificates: undefined,
  retries: 0,
  timeout: "2 seconds"
}

/** Builds the layer against a fresh sandbox: what the sandbox received, and how the build ended. */
const buildAgainstSandbox = (
  http: Layer.Layer<HttpClient.HttpClient>,
  overrides: (sandbox: Sandbox.Sandbox.Service) => Partial<WechatPay.Options>
) =>
  Effect.gen(function*() {
    const sandbox = yield* Sandbox.make()
    const exit = yield* Layer.build(
      WechatPay.layer(Sandbox.wechatPayOptions(sandbox, { ...downloadOnly, ...overrides(sandbox) })).pipe(
        Layer.provide(http)
      )
    ).pipe(Effect.exit)
    const requests = yield* sandbox.requests
    return { requests: requests.length, ...describeExit(exit) }
  }).pipe(Effect.scoped)

const refusedBeforeSending = (option: string) => ({ requests: 0, failed: "InvalidConfig", option })

describe("defect 3: options refused before anything is sent", () => {
  it.live("a baseUrl with credentials is refused before the download (InvalidConfig baseUrl, no request)", () =>
    Effect.gen(function*() {
      const outcomes: Record<string, unknown> = {}
      for (const [name, http] of transports) {
        outcomes[name] = yield* buildAgainstSandbox(
          http,
          (sandbox) => ({ baseUrl: sandbox.baseUrl.replace("http://", "http://user:secret@") })
        )
      }
      expect(outcomes).toEqual(Object.fromEntries(transports.map(([name]) => [name, refusedBeforeSending("baseUrl")])))
    }))

  it.live("a baseUrl with a query is refused before the download (InvalidConfig baseUrl, no request)", () =>
    Effect.gen(function*() {
      const outcomes: Record<string, unknown> = {}
      for (const [name, http] of transports) {
        outcomes[name] = yield* buildAgainstSandbox(http, (sandbox) => ({ baseUrl: `${sandbox.baseUrl}?a=1` }))
      }
      expect(outcomes).toEqual(Object.fromEntries(transports.map(([name]) => [name, refusedBeforeSending("baseUrl")])))
    }))

  it.live("a baseUrl with a fragment is refused before the download (InvalidConfig baseUrl, no request)", () =>
    Effect.gen(function*() {
      const outcomes: Record<string, unknown> = {}
      for (const [name, http] of transports) {
        outcomes[name] = yield* buildAgainstSandbox(http, (sandbox) => ({ baseUrl: `${sandbox.baseUrl}#x` }))
      }
      expect(outcomes).toEqual(Object.fromEntries(transports.map(([name]) => [name, refusedBeforeSending("baseUrl")])))
    }))

  it.scopedLive("over fetch, the InvalidConfig message never carries the baseUrl's password", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.make()
      const error = yield* Layer.build(
        WechatPay.layer(Sandbox.wechatPayOptions(sandbox, {
          ...downloadOnly,
          baseUrl: sandbox.baseUrl.replace("http://", "http://user:secret@")
        })).pipe(Layer.provide(FetchHttpClient.layer))
      ).pipe(Effect.flip)
      expect(error._tag).toBe("InvalidConfig")
      expect(error.message).not.toContain("secret")
      expect(JSON.stringify(error)).not.toContain("secret")
    }))

  it.live("maxResponseBytes: 0 is refused before any request (InvalidConfig maxResponseBytes)", () =>
    Effect.gen(function*() {
      const outcome = yield* buildAgainstSandbox(FetchHttpClient.layer, () => ({ maxResponseBytes: 0 }))
      expect(outcome).toEqual(refusedBeforeSending("maxResponseBytes"))
    }))
})

describe("defect 3: option values that are not refused, or refused as a defect", () => {
  it.live('maxClockSkew: "forever" fails with InvalidConfig maxClockSkew, not a defect', () =>
    Effect.gen(function*() {
      const exit = yield* Layer.build(
        WechatPay.layer(merchantOptionsWithApiV3Key({ maxClockSkew: "forever" as never })).pipe(
          Layer.provide(FetchHttpClient.layer)
        )
      ).pipe(Effect.scoped, Effect.exit)
      expect(describeExit(exit)).toEqual({ failed: "InvalidConfig", option: "maxClockSkew" })
    }))

  it.scopedLive("a lowercase merchantSerialNo is sent uppercase, or refused with InvalidConfig merchantSerialNo", () =>
    Effect.gen(function*() {
      const server = yield* rawServer({
        "/v3/ok": async (socket: Net.Socket) => socket.end(await signedAnswer(`{"ok":true}`))
      })
      const merchantSerialNo = merchantOptionsWithApiV3Key().merchantSerialNo.toLowerCase()
      expect(merchantSerialNo).toMatch(/[a-f]/)
      const built = yield* Layer.build(
        WechatPay.layer(merchantOptionsWithApiV3Key({ merchantSerialNo, baseUrl: server.url, retries: 0 })).pipe(
          Layer.provide(UndiciHttpClient.layer)
        )
      ).pipe(Effect.either)
      if (Either.isLeft(built)) {
        // refusing it is one accepted fix
        expect(built.left).toMatchObject({ _tag: "InvalidConfig", option: "merchantSerialNo" })
        return
      }
      const client = Context.get(built.right, WechatPayClient.WechatPayClient)
      yield* client.request({ method: "GET", path: "/v3/ok", schema: Schema.Struct({ ok: Schema.Boolean }) })
      const authorization = server.received[0]!.headers["authorization"]!
      const serial = /serial_no="([^"]*)"/.exec(authorization)?.[1]
      // normalising it is the other: WeChat Pay's serials are uppercase hex
      expect(serial).toBe(merchantSerialNo.toUpperCase())
    }))

  it.live("an RSA-1024 merchant key is refused with InvalidConfig merchantPrivateKey (WeChat Pay's are 2048-bit)", () =>
    Effect.gen(function*() {
      const { privateKey } = generateKeyPairSync("rsa", {
        modulusLength: 1024,
        privateKeyEncoding: { type: "pkcs8", format: "pem" },
        publicKeyEncoding: { type: "spki", format: "pem" }
      })
      const result = yield* Layer.build(
        WechatPay.layer(merchantOptionsWithApiV3Key({ merchantPrivateKey: Redacted.make(privateKey) })).pipe(
          Layer.provide(FetchHttpClient.layer)
        )
      ).pipe(Effect.scoped, Effect.exit)
      expect(describeExit(result)).toEqual({ failed: "InvalidConfig", option: "merchantPrivateKey" })
      const error = yield* Layer.build(
        WechatPay.layer(merchantOptionsWithApiV3Key({ merchantPrivateKey: Redacted.make(privateKey) })).pipe(
          Layer.provide(FetchHttpClient.layer)
        )
      ).pipe(Effect.scoped, Effect.flip)
      expect(error.message).toMatch(/2048/)
    }))
})
