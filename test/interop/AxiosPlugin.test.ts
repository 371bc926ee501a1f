/**
 * Interop with wechatpay-axios-plugin (0.9.x), an independent Node SDK for WeChat Pay APIv3:
 *
 * 1. our `Authorization` header verifies with the plugin's `Formatter.request` + `Rsa.verify`;
 * 2. the plugin's `Formatter.authorization` + `Rsa.sign` pass the sandbox's request check;
 * 3. answers signed with the plugin's `Formatter.response` + `Rsa.sign` verify with our `Signer.verify`,
 *    alone and through a whole query over an `HttpClient` whose answers the plugin signs;
 * 4. the plugin's own client runs the four queries of PROTOCOL.md §1 against the sandbox.
 *
 * The plugin is JavaScript with partial typings (its chained client is not typed at all), so the
 * few shapes used here are typed locally.
 */
import { FetchHttpClient, HttpClient, HttpClientResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Clock, Effect, Layer, Redacted, TestClock } from "effect"
import type { KeyObject } from "node:crypto"
import { Formatter, Rsa, Wechatpay } from "wechatpay-axios-plugin"
import { KeyStore, PayScorePermissions, Signer, WechatPay, WechatPayClient } from "../../src/index.js"
import { Fixtures, Sandbox } from "../../src/testing/index.js"

// ---------------------------------------------------------------------------------------------
// Local types for the plugin's untyped parts
// ---------------------------------------------------------------------------------------------

/** What the plugin's chained `get` resolves with (an `AxiosResponse`, narrowed). */
interface PluginAnswer<T> {
  readonly status: number
  readonly data: T
}

/** An axios request config plus the plugin's URI template values (`authorization_code`, `openid`, …). */
interface PluginRequestConfig {
  readonly params?: Readonly<Record<string, string>>
  readonly headers?: Readonly<Record<string, string>>
  readonly [uriTemplateValue: string]: unknown
}

interface PluginEndpoint {
  readonly get: <T>(config?: PluginRequestConfig) => Promise<PluginAnswer<T>>
}

/** `wxpay.v3.payscore.permissions…`: every property is another segment of the path. */
type PluginChain = PluginEndpoint & { readonly [segment: string]: PluginChain }

interface PluginClient {
  readonly v3: PluginChain
  /** `wxpay.chain("v3/payscore/permissions/openid/{openid}")` */
  readonly chain: (pathname: string) => PluginChain
}

/** What the plugin rejects with: an `AxiosError`, with the plugin's own `code` when its verifier refused the answer. */
interface PluginError {
  readonly name: string
  readonly message: string
  readonly code?: string
  readonly response?: { readonly status: number; readonly data: unknown }
}

const asPluginError = (error: unknown): PluginError => {
  if (!(error instanceof Error)) throw new Error(`the plugin rejected with a non-Error: ${String(error)}`)
  return error as PluginError
}

/** Runs a plugin call that must fail, and gives its error. */
const pluginFailure = <T>(call: () => Promise<T>): Effect.Effect<PluginError> =>
  Effect.tryPromise({ try: call, catch: asPluginError }).pipe(
    Effect.flatMap(() => Effect.dieMessage("expected the plugin to fail, but it succeeded")),
    Effect.flip
  )

// ---------------------------------------------------------------------------------------------
// Shared values
// ---------------------------------------------------------------------------------------------

/** The 19-digit code of the docs: a string that must never pass through a JS number. */
const CODE = "1275342195190894594"
const OTHER_CODE = "1234323JKHDFE1243252"
const OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"
const SERVICE_ID = "500001"
const APPID = "wxd678efh567hg6787"
const SUB_MCHID = "1900000109"
const CHANNEL_ID = "7000000001"
const TIME = "2015-05-20T13:29:35+08:00"
/** A fixed instant for the `TestClock` tests. */
const NOW = Date.UTC(2026, 0, 15, 8, 30, 0)

const merchantPath = (code: string) => `/v3/payscore/permissions/authorization-code/${code}?service_id=${SERVICE_ID}`

const merchantPublicKey: KeyObject = Rsa.from(Fixtures.merchantPublicKey, Rsa.KEY_TYPE_PUBLIC)
const merchantPrivateKey: KeyObject = Rsa.from(Fixtures.merchantPrivateKeyPkcs8, Rsa.KEY_TYPE_PRIVATE)
const wechatpayPrivateKey: KeyObject = Rsa.from(Fixtures.wechatpayPrivateKey, Rsa.KEY_TYPE_PRIVATE)
const wechatpayPublicKey: KeyObject = Rsa.from(Fixtures.wechatpayPublicKey, Rsa.KEY_TYPE_PUBLIC)
const strangerPrivateKey: KeyObject = Rsa.from(Fixtures.strangerPrivateKey, Rsa.KEY_TYPE_PRIVATE)

const libraryOptions: WechatPay.Options = {
  mchid: Fixtures.mchid,
  merchantSerialNo: Fixtures.merchantSerialNo,
  merchantPrivateKey: Redacted.make(Fixtures.merchantPrivateKeyPkcs8),
  wechatpayPublicKey: { id: Fixtures.wechatpayPublicKeyId, pem: Fixtures.wechatpayPublicKey },
  retries: 0
}

/** Another character at `index` (a digit for a digit, a letter for anything else). */
const changeOneCharacter = (text: string, index: number): string => {
  const at = index < 0 ? text.length + index : index
  const current = text[at]!
  const replacement = /\d/.test(current) ? String((Number(current) + 1) % 10) : current === "a" ? "b" : "a"
  return text.slice(0, at) + replacement + text.slice(at + 1)
}

/** The fields of an `Authorization` header, read here without the library's parser. */
const authorizationFields = (header: string | undefined): Record<string, string> => {
  const match = /^WECHATPAY2-SHA256-RSA2048 (.+)$/.exec(header ?? "")
  if (match === null) throw new Error(`not a WECHATPAY2-SHA256-RSA2048 header: ${header}`)
  return Object.fromEntries(Array.from(match[1]!.matchAll(/([a-z_]+)="([^"]*)"/g), (m) => [m[1]!, m[2]!]))
}

/** Checks a request signature the plugin's way: `Formatter.request` over the header's own timestamp and nonce. */
const pluginVerifiesRequest = (
  request: { readonly method: string; readonly target: string; readonly body: string },
  header: string | undefined
): boolean => {
  const fields = authorizationFields(header)
  return Rsa.verify(
    Formatter.request(request.method, request.target, fields["timestamp"]!, fields["nonce_str"]!, request.body),
    fields["signature"]!,
    merchantPublicKey
  )
}

/** The four `Wechatpay-*` headers of an answer, signed by the plugin. */
const pluginSignedHeaders = (input: {
  readonly timestamp: number
  readonly body: string
  readonly key?: KeyObject
}): Record<string, string> => {
  const nonce = Formatter.nonce()
  return {
    "Wechatpay-Timestamp": String(input.timestamp),
    "Wechatpay-Nonce": nonce,
    "Wechatpay-Signature": Rsa.sign(
      Formatter.response(input.timestamp, nonce, input.body),
      input.key ?? wechatpayPrivateKey
    ),
    "Wechatpay-Serial": Fixtures.wechatpayPublicKeyId
  }
}

// ---------------------------------------------------------------------------------------------
// A WeChat Pay whose answers the plugin signs (and whose request check is the plugin's)
// ---------------------------------------------------------------------------------------------

interface FakeRequest {
  readonly method: string
  readonly target: string
  readonly body: string
}

interface FakeReply {
  readonly status: number
  /** Sent as is. */
  readonly body: string
  /** Signed instead of `body` (a tampered answer). */
  readonly signedBody?: string
}

/**
 * An `HttpClient` that checks every request's `Authorization` with the plugin (401 `SIGN_ERROR`
 * when it does not hold) and signs every answer with the plugin's `Rsa.sign` over
 * `Formatter.response`, under the WeChat Pay public key id. `seen` records what it checked.
 */
const pluginSignedWechatPay = (answer: (request: FakeRequest) => FakeReply) => {
  const seen: Array<FakeRequest & { readonly signatureHolds: boolean }> = []
  const http = HttpClient.make((request, url) =>
    Effect.gen(function*() {
      const received: FakeRequest = {
        method: request.method,
        target: url.pathname + url.search,
        body: request.body._tag === "Uint8Array" ? new TextDecoder().decode(request.body.body) : ""
      }
      const signatureHolds = pluginVerifiesRequest(received, request.headers["authorization"])
      seen.push({ ...received, signatureHolds })
      const reply: FakeReply = signatureHolds
        ? answer(received)
        : { status: 401, body: JSON.stringify({ code: "SIGN_ERROR", message: "错误的签名，验签失败" }) }
      const timestamp = Math.floor((yield* Clock.currentTimeMillis) / 1000)
      const headers = {
        "content-type": "application/json",
        "request-id": "08F0B0B5B00610B8F4B1C3B0F4A39D2F1A0018E4BE0320A0F10628D3C50430F7",
        ...pluginSignedHeaders({ timestamp, body: reply.signedBody ?? reply.body })
      }
      return HttpClientResponse.fromWeb(
        request,
        new Response(reply.status === 204 ? null : reply.body, { status: reply.status, headers })
      )
    })
  )
  const layer = WechatPay.layer(libraryOptions).pipe(
    Layer.provide(Layer.succeed(HttpClient.HttpClient, http)),
    Layer.orDie
  )
  return { seen, layer } as const
}

const merchantRecord = {
  service_id: SERVICE_ID,
  appid: APPID,
  mchid: Fixtures.mchid,
  authorization_code: CODE,
  authorization_state: "AVAILABLE",
  openid: OPENID,
  authorization_success_time: TIME,
  user_risk_level: 3
}

// ---------------------------------------------------------------------------------------------
// 1. Our Authorization header, checked by the plugin
// ---------------------------------------------------------------------------------------------

describe("1. our Authorization header verifies with wechatpay-axios-plugin", () => {
  const signerLayer = pluginSignedWechatPay(() => ({ status: 404, body: "" })).layer

  it.effect("GET with a path and query: Formatter.request + Rsa.verify hold; one URL character changed does not", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW)
      const signer = yield* Signer.Signer
      const url = merchantPath(CODE)
      const header = yield* signer.authorization({ method: "GET", url, body: "" })
      const fields = authorizationFields(header)
      expect(Object.keys(fields).sort()).toEqual(["mchid", "nonce_str", "serial_no", "signature", "timestamp"])
      expect(fields["mchid"]).toBe(Fixtures.mchid)
      expect(fields["serial_no"]).toBe(Fixtures.merchantSerialNo)
      expect(fields["timestamp"]).toBe(String(Math.floor(NOW / 1000)))
      expect(fields["nonce_str"]).toMatch(/^[0-9A-Za-z]{32}$/)

      const message = Formatter.request("GET", url, fields["timestamp"]!, fields["nonce_str"]!, "")
      expect(message).toBe(`GET\n${url}\n${fields["timestamp"]}\n${fields["nonce_str"]}\n\n`)
      expect(Rsa.verify(message, fields["signature"]!, merchantPublicKey)).toBe(true)

      for (const index of [-1, url.indexOf("/permissions") + 1, url.indexOf("?") + 1]) {
        const changed = changeOneCharacter(url, index)
        expect(changed).not.toBe(url)
        expect(changed).toHaveLength(url.length)
        expect(
          Rsa.verify(
            Formatter.request("GET", changed, fields["timestamp"]!, fields["nonce_str"]!, ""),
            fields["signature"]!,
            merchantPublicKey
          )
        ).toBe(false)
      }
    }).pipe(Effect.provide(signerLayer)))

  it.effect("POST with a JSON body: the plugin verifies over the exact body; another body or URL does not", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW)
      const signer = yield* Signer.Signer
      const url = "/v3/payscore/permissions"
      const body = JSON.stringify({
        service_id: SERVICE_ID,
        appid: APPID,
        authorization_code: CODE,
        notify_url: "https://example.com/notify?from=轻松",
        reason: "用户主动解除"
      })
      const header = yield* signer.authorization({ method: "POST", url, body })
      const fields = authorizationFields(header)
      const verify = (method: string, target: string, payload: string) =>
        Rsa.verify(
          Formatter.request(method, target, fields["timestamp"]!, fields["nonce_str"]!, payload),
          fields["signature"]!,
          merchantPublicKey
        )
      expect(verify("POST", url, body)).toBe(true)
      expect(verify("POST", changeOneCharacter(url, -1), body)).toBe(false)
      expect(verify("POST", url, body.replace(CODE, changeOneCharacter(CODE, -1)))).toBe(false)
      expect(verify("POST", url, JSON.stringify(JSON.parse(body), null, 1))).toBe(false)
      expect(verify("GET", url, body)).toBe(false)
    }).pipe(Effect.provide(signerLayer)))

  it.effect("signatures are byte-identical to the plugin's Rsa.sign (RSASSA-PKCS1-v1_5 is deterministic), PKCS#8 and PKCS#1", () =>
    Effect.gen(function*() {
      const keys = yield* KeyStore.KeyStore
      const message = Formatter.request(
        "POST",
        "/v3/payscore/permissions",
        Formatter.timestamp(),
        Formatter.nonce(),
        JSON.stringify({ service_id: SERVICE_ID, authorization_code: CODE, note: "中文" })
      )
      const ours = yield* keys.sign(message)
      expect(ours).toBe(Rsa.sign(message, merchantPrivateKey))
      expect(ours).toBe(Rsa.sign(message, Rsa.from(Fixtures.merchantPrivateKeyPkcs1, Rsa.KEY_TYPE_PRIVATE)))
    }).pipe(Effect.provide(signerLayer)))

  it.effect("our parseAuthorization reads the plugin's header (its fields come in another order)", () =>
    Effect.sync(() => {
      const nonce = Formatter.nonce()
      const timestamp = Formatter.timestamp()
      const signature = Rsa.sign(Formatter.request("GET", merchantPath(CODE), timestamp, nonce), merchantPrivateKey)
      const header = Formatter.authorization(Fixtures.mchid, nonce, signature, timestamp, Fixtures.merchantSerialNo)
      expect(header.indexOf("serial_no=")).toBeLessThan(header.indexOf("signature="))
      expect(Signer.parseAuthorization(header)).toEqual({
        mchid: Fixtures.mchid,
        nonce_str: nonce,
        signature,
        timestamp: String(timestamp),
        serial_no: Fixtures.merchantSerialNo
      })
    }))

  const fake = pluginSignedWechatPay((request) =>
    request.method === "POST" && request.target === "/v3/payscore/permissions"
      ? { status: 200, body: JSON.stringify({ apply_permissions_token: "token-from-the-fake" }) }
      : request.target.endsWith("/terminate")
      ? { status: 204, body: "" }
      : { status: 200, body: JSON.stringify({ ...merchantRecord, authorization_code: undefined }) }
  )

  it.effect("every request the library sends (GET with query, POST with body) verifies with the plugin as received", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW)
      const client = yield* WechatPayClient.WechatPayClient
      const created = yield* client.execute({
        method: "POST",
        path: "/v3/payscore/permissions",
        body: { service_id: SERVICE_ID, appid: APPID, authorization_code: CODE, notify_url: "https://example.com/n" }
      })
      expect(created.status).toBe(200)
      const terminated = yield* client.execute({
        method: "POST",
        path: "/v3/payscore/permissions/authorization-code/{authorization_code}/terminate",
        pathParams: { authorization_code: OTHER_CODE },
        body: { service_id: SERVICE_ID, reason: "用户主动解除" }
      })
      expect(terminated.status).toBe(204)
      const record = yield* Effect.flatMap(
        PayScorePermissions.PayScorePermissions,
        (p) => p.queryByOpenid({ openid: OPENID, service_id: SERVICE_ID, appid: APPID })
      )
      expect(record.openid).toBe(OPENID)

      expect(fake.seen.map(({ method, target }) => `${method} ${target}`)).toEqual([
        "POST /v3/payscore/permissions",
        `POST /v3/payscore/permissions/authorization-code/${OTHER_CODE}/terminate`,
        `GET /v3/payscore/permissions/openid/${OPENID}?service_id=${SERVICE_ID}&appid=${APPID}`
      ])
      expect(fake.seen.map((request) => request.signatureHolds)).toEqual([true, true, true])
      expect(JSON.parse(fake.seen[0]!.body)).toMatchObject({ authorization_code: CODE })
      expect(fake.seen[2]!.body).toBe("")
    }).pipe(Effect.provide(fake.layer)))
})

// ---------------------------------------------------------------------------------------------
// 2. The plugin's Authorization header, checked by the sandbox
// ---------------------------------------------------------------------------------------------

interface RawAnswer {
  readonly status: number
  readonly headers: Headers
  readonly body: string
}

/** A request by hand (fetch), with an Authorization header made by the plugin. */
const pluginSignedFetch = (
  baseUrl: string,
  request: { readonly method: string; readonly path: string; readonly body?: string; readonly key: KeyObject }
): Effect.Effect<RawAnswer & { readonly message: string }> =>
  Effect.promise(async () => {
    const body = request.body ?? ""
    const nonce = Formatter.nonce()
    const timestamp = Formatter.timestamp()
    const message = Formatter.request(request.method, request.path, timestamp, nonce, body)
    const signature = Rsa.sign(message, request.key)
    const authorization = Formatter.authorization(
      Fixtures.mchid,
      nonce,
      signature,
      timestamp,
      Fixtures.merchantSerialNo
    )
    const response = await fetch(`${baseUrl}${request.path}`, {
      method: request.method,
      headers: {
        Authorization: authorization,
        Accept: "application/json",
        "User-Agent": "axios-plugin-interop-test/1.0",
        // the key the answer is to be signed with: an account holding a public key and certificates
        // answers a request that names none under the certificate (WeChat Pay's switch-over rule)
        "Wechatpay-Serial": Fixtures.wechatpayPublicKeyId,
        ...(body === "" ? {} : { "Content-Type": "application/json" })
      },
      ...(body === "" ? {} : { body })
    })
    return { status: response.status, headers: response.headers, body: await response.text(), message }
  })

describe("2. the plugin's Authorization header passes the sandbox's request check", () => {
  it.live("GET signed by the plugin with the merchant key: 200 with the seeded record, signed for the plugin", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.make()
      yield* sandbox.seed(Sandbox.Seed.Merchant({
        authorization_code: CODE,
        service_id: SERVICE_ID,
        record: { authorization_state: "AVAILABLE", openid: OPENID }
      }))
      const path = merchantPath(CODE)
      const answer = yield* pluginSignedFetch(sandbox.baseUrl, { method: "GET", path, key: merchantPrivateKey })
      expect(answer.status).toBe(200)
      expect(JSON.parse(answer.body)).toEqual({
        service_id: SERVICE_ID,
        appid: Sandbox.defaultAppid,
        mchid: Fixtures.mchid,
        authorization_code: CODE,
        authorization_state: "AVAILABLE",
        openid: OPENID
      })
      // the answer is signed: the plugin's own check of it holds
      expect(answer.headers.get("wechatpay-serial")).toBe(Fixtures.wechatpayPublicKeyId)
      expect(
        Rsa.verify(
          Formatter.response(
            answer.headers.get("wechatpay-timestamp")!,
            answer.headers.get("wechatpay-nonce")!,
            answer.body
          ),
          answer.headers.get("wechatpay-signature")!,
          wechatpayPublicKey
        )
      ).toBe(true)
      const logged = yield* sandbox.requests
      expect(logged).toHaveLength(1)
      expect(logged[0]!.url).toBe(path)
      expect(logged[0]!.status).toBe(200)
      expect(authorizationFields(logged[0]!.headers["authorization"])).toMatchObject({
        mchid: Fixtures.mchid,
        serial_no: Fixtures.merchantSerialNo
      })
    }).pipe(Effect.scoped))

  it.live("GET signed by the plugin with a stranger's key: 401 SIGN_ERROR over the same message", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.make()
      yield* sandbox.seed(Sandbox.Seed.Merchant({
        authorization_code: CODE,
        service_id: SERVICE_ID,
        record: { authorization_state: "AVAILABLE" }
      }))
      const path = merchantPath(CODE)
      const answer = yield* pluginSignedFetch(sandbox.baseUrl, { method: "GET", path, key: strangerPrivateKey })
      expect(answer.status).toBe(401)
      const error = JSON.parse(answer.body) as {
        readonly code: string
        readonly detail: { readonly sign_information: { readonly url: string; readonly sign_message_length: number } }
      }
      expect(error.code).toBe("SIGN_ERROR")
      // the sandbox checked exactly the message the plugin signed
      expect(error.detail.sign_information.url).toBe(path)
      expect(error.detail.sign_information.sign_message_length).toBe(Buffer.byteLength(answer.message))
      expect((yield* sandbox.requests).map((r) => [r.status, r.code])).toEqual([[401, "SIGN_ERROR"]])
    }).pipe(Effect.scoped))

  it.live("POST with a JSON body signed by the plugin: past the signature check (405: the route is GET only); a stranger's: 401", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.make()
      const path = merchantPath(CODE)
      const body = JSON.stringify({ service_id: SERVICE_ID, reason: "用户主动解除" })
      const merchant = yield* pluginSignedFetch(sandbox.baseUrl, {
        method: "POST",
        path,
        body,
        key: merchantPrivateKey
      })
      expect(merchant.status).toBe(405)
      const stranger = yield* pluginSignedFetch(sandbox.baseUrl, {
        method: "POST",
        path,
        body,
        key: strangerPrivateKey
      })
      expect(stranger.status).toBe(401)
      expect((JSON.parse(stranger.body) as { readonly code: string }).code).toBe("SIGN_ERROR")
      expect((yield* sandbox.requests).map((r) => [r.method, r.body, r.status])).toEqual([
        ["POST", body, 405],
        ["POST", body, 401]
      ])
    }).pipe(Effect.scoped))
})

// ---------------------------------------------------------------------------------------------
// 3. Answers signed by the plugin, verified by us
// ---------------------------------------------------------------------------------------------

describe("3. answers signed by the plugin verify with Signer.verify", () => {
  const layer = pluginSignedWechatPay(() => ({ status: 404, body: "" })).layer

  it.effect("Formatter.response + Rsa.sign with the WeChat Pay key: verifies; a tampered body is BadSignature", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW)
      const signer = yield* Signer.Signer
      const timestamp = Math.floor((yield* Clock.currentTimeMillis) / 1000)
      const body = JSON.stringify(merchantRecord)
      const headers = pluginSignedHeaders({ timestamp, body })
      yield* signer.verify({ headers, body })

      const tampered = body.replace("AVAILABLE", "UNAVAILABLE")
      expect(tampered).not.toBe(body)
      const error = yield* Effect.flip(signer.verify({ headers, body: tampered }))
      expect(error._tag).toBe("VerificationError")
      expect(error.reason).toBe("BadSignature")
      expect(error.serial).toBe(Fixtures.wechatpayPublicKeyId)
      // re-serialised JSON is another body too
      const reserialised = yield* Effect.flip(
        signer.verify({ headers, body: JSON.stringify(JSON.parse(body), null, 2) })
      )
      expect(reserialised.reason).toBe("BadSignature")
    }).pipe(Effect.provide(layer)))

  it.effect("an empty body (204) signed by the plugin verifies; signed with a stranger's key, BadSignature", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW)
      const signer = yield* Signer.Signer
      const timestamp = Math.floor((yield* Clock.currentTimeMillis) / 1000)
      expect(Formatter.response(timestamp, "n")).toBe(
        Signer.answerMessage({ timestamp: String(timestamp), nonce: "n", body: "" })
      )
      yield* signer.verify({ headers: pluginSignedHeaders({ timestamp, body: "" }), body: "" })
      const forged = yield* Effect.flip(
        signer.verify({ headers: pluginSignedHeaders({ timestamp, body: "", key: strangerPrivateKey }), body: "" })
      )
      expect(forged.reason).toBe("BadSignature")
    }).pipe(Effect.provide(layer)))

  describe("a whole query over an HttpClient whose answers the plugin signs", () => {
    const fake = pluginSignedWechatPay((request) =>
      request.target === merchantPath(CODE)
        ? { status: 200, body: JSON.stringify(merchantRecord) }
        : request.target === merchantPath(OTHER_CODE)
        ? {
          status: 200,
          body: JSON.stringify({ ...merchantRecord, authorization_code: OTHER_CODE, authorization_state: "AVAILABLE" }),
          signedBody: JSON.stringify({
            ...merchantRecord,
            authorization_code: OTHER_CODE,
            authorization_state: "UNAVAILABLE"
          })
        }
        : { status: 404, body: JSON.stringify({ code: "NOT_FOUND", message: "记录不存在" }) }
    )

    it.effect("queryByAuthorizationCode decodes the plugin-signed record; a tampered one is BadSignature; a signed 404 is NotFound", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(NOW)
        const permissions = yield* PayScorePermissions.PayScorePermissions
        const record = yield* permissions.queryByAuthorizationCode({ authorization_code: CODE, service_id: SERVICE_ID })
        expect(record._tag).toBe("Available")
        expect(record.authorization_code).toBe(CODE)
        expect(record.openid).toBe(OPENID)
        expect(record.mchid).toBe(Fixtures.mchid)
        expect(record.user_risk_level).toBe(3)
        expect(record.authorization_success_time?.epochMillis).toBe(Date.parse(TIME))

        const tampered = yield* Effect.flip(
          permissions.queryByAuthorizationCode({ authorization_code: OTHER_CODE, service_id: SERVICE_ID })
        )
        expect(tampered._tag).toBe("VerificationError")
        expect(tampered._tag === "VerificationError" && tampered.reason).toBe("BadSignature")

        const missing = yield* Effect.flip(
          permissions.queryByAuthorizationCode({ authorization_code: "NO_SUCH_CODE", service_id: SERVICE_ID })
        )
        expect(missing._tag).toBe("NotFound")

        expect(fake.seen.map((request) => [request.target, request.signatureHolds])).toEqual([
          [merchantPath(CODE), true],
          [merchantPath(OTHER_CODE), true],
          [merchantPath("NO_SUCH_CODE"), true]
        ])
      }).pipe(Effect.provide(fake.layer)))
  })
})

// ---------------------------------------------------------------------------------------------
// 4. The plugin's client against the sandbox
// ---------------------------------------------------------------------------------------------

/** The plugin's client for the sandbox's merchant, trusting `certs`. */
const pluginClient = (baseUrl: string, certs: Readonly<Record<string, string>>): PluginClient =>
  new Wechatpay({
    mchid: Fixtures.mchid,
    serial: Fixtures.merchantSerialNo,
    privateKey: Fixtures.merchantPrivateKeyPkcs8,
    certs: { ...certs },
    baseURL: baseUrl,
    // loopback: never through an HTTP(S)_PROXY of the environment
    proxy: false
  }) as unknown as PluginClient

const PLUGIN_USER_AGENT = /^wechatpay-axios-plugin\/\d+\.\d+\.\d+ axios\/\S+ node\//

describe("4. the plugin's client passes against the sandbox", () => {
  it.live("the four queries of PROTOCOL.md §1 (chain syntax and .chain form), a 404, and what the sandbox saw", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.make()
      yield* sandbox.seedMany([
        Sandbox.Seed.Merchant({
          authorization_code: CODE,
          service_id: SERVICE_ID,
          record: { authorization_state: "AVAILABLE", openid: OPENID, authorization_success_time: TIME }
        }),
        Sandbox.Seed.Partner({
          authorization_code: CODE,
          service_id: SERVICE_ID,
          sub_mchid: SUB_MCHID,
          record: { authorization_state: "UNAVAILABLE", sub_appid: "wx_sub_appid", sub_openid: "o_sub_openid" }
        }),
        Sandbox.Seed.AcquiringBank({
          authorization_code: CODE,
          service_id: SERVICE_ID,
          channel_id: CHANNEL_ID,
          sub_mchid: SUB_MCHID,
          record: { authorization_state: "UNBINDUSER" }
        }),
        Sandbox.Seed.Openid({
          openid: OPENID,
          service_id: SERVICE_ID,
          appid: APPID,
          record: { authorization_state: "AVAILABLE", authorization_code: CODE, cancel_authorization_time: TIME }
        })
      ])
      const wxpay = pluginClient(sandbox.baseUrl, { [Fixtures.wechatpayPublicKeyId]: Fixtures.wechatpayPublicKey })
      const serialHeader = { "Wechatpay-Serial": Fixtures.wechatpayPublicKeyId }

      const merchant = yield* Effect.promise(() =>
        wxpay.v3.payscore.permissions.authorizationCode._authorization_code_.get<Record<string, unknown>>({
          authorization_code: CODE,
          params: { service_id: SERVICE_ID },
          headers: serialHeader
        })
      )
      expect(merchant.status).toBe(200)
      expect(merchant.data).toEqual({
        service_id: SERVICE_ID,
        appid: Sandbox.defaultAppid,
        mchid: Fixtures.mchid,
        authorization_code: CODE,
        authorization_state: "AVAILABLE",
        openid: OPENID,
        authorization_success_time: TIME
      })

      const partner = yield* Effect.promise(() =>
        wxpay.v3.payscore.partner.permissions.authorizationCode.$authorization_code$.get<Record<string, unknown>>({
          authorization_code: CODE,
          params: { service_id: SERVICE_ID, sub_mchid: SUB_MCHID },
          headers: serialHeader
        })
      )
      expect(partner.data).toEqual({
        service_id: SERVICE_ID,
        appid: Sandbox.defaultAppid,
        mchid: Fixtures.mchid,
        sub_mchid: SUB_MCHID,
        authorization_code: CODE,
        authorization_state: "UNAVAILABLE",
        sub_appid: "wx_sub_appid",
        sub_openid: "o_sub_openid"
      })

      const bank = yield* Effect.promise(() =>
        wxpay.chain("v3/payscore/acquiringbank/permissions/authorization-code/{authorization_code}").get<
          Record<string, unknown>
        >({
          authorization_code: CODE,
          params: { service_id: SERVICE_ID, channel_id: CHANNEL_ID, sub_mchid: SUB_MCHID },
          headers: serialHeader
        })
      )
      expect(bank.data).toEqual({
        service_id: SERVICE_ID,
        appid: Sandbox.defaultAppid,
        mchid: Fixtures.mchid,
        sub_mchid: SUB_MCHID,
        channel_id: CHANNEL_ID,
        authorization_code: CODE,
        authorization_state: "UNBINDUSER"
      })

      const byOpenid = yield* Effect.promise(() =>
        wxpay.v3.payscore.permissions.openid._openid_.get<Record<string, unknown>>({
          openid: OPENID,
          params: { service_id: SERVICE_ID, appid: APPID },
          headers: serialHeader
        })
      )
      expect(byOpenid.data).toEqual({
        service_id: SERVICE_ID,
        appid: APPID,
        mchid: Fixtures.mchid,
        openid: OPENID,
        authorization_state: "AVAILABLE",
        authorization_code: CODE,
        cancel_authorization_time: TIME
      })

      const unknown = yield* pluginFailure(() =>
        wxpay.v3.payscore.permissions.authorizationCode._authorization_code_.get({
          authorization_code: OTHER_CODE,
          params: { service_id: SERVICE_ID },
          headers: serialHeader
        })
      )
      expect(unknown.name).toBe("AxiosError")
      expect(unknown.response?.status).toBe(404)
      expect(unknown.response?.data).toMatchObject({ code: "NOT_FOUND" })

      const requests = yield* sandbox.requests
      expect(requests.map((r) => `${r.method} ${r.url} ${r.status}`)).toEqual([
        `GET ${merchantPath(CODE)} 200`,
        `GET /v3/payscore/partner/permissions/authorization-code/${CODE}?service_id=${SERVICE_ID}&sub_mchid=${SUB_MCHID} 200`,
        `GET /v3/payscore/acquiringbank/permissions/authorization-code/${CODE}?service_id=${SERVICE_ID}&channel_id=${CHANNEL_ID}&sub_mchid=${SUB_MCHID} 200`,
        `GET /v3/payscore/permissions/openid/${OPENID}?service_id=${SERVICE_ID}&appid=${APPID} 200`,
        `GET ${merchantPath(OTHER_CODE)} 404`
      ])
      for (const request of requests) {
        expect(request.headers["user-agent"]).toMatch(PLUGIN_USER_AGENT)
        expect(request.headers["accept"]).toContain("application/json")
        expect(request.headers["wechatpay-serial"]).toBe(Fixtures.wechatpayPublicKeyId)
        expect(request.answer?.headers["wechatpay-serial"]).toBe(Fixtures.wechatpayPublicKeyId)
        expect(request.body).toBe("")
      }
      // what the plugin decoded is the body the sandbox sent
      expect(requests.slice(0, 4).map((r) => JSON.parse(r.answer!.body))).toEqual(
        [merchant, partner, bank, byOpenid].map((answer) => answer.data)
      )
    }).pipe(Effect.scoped))

  it.live("the plugin really verifies the sandbox's signatures: a tampered body or a wrong key is refused", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.make()
      yield* sandbox.seed(Sandbox.Seed.Merchant({
        authorization_code: CODE,
        service_id: SERVICE_ID,
        record: { authorization_state: "AVAILABLE" }
      }))
      const wxpay = pluginClient(sandbox.baseUrl, { [Fixtures.wechatpayPublicKeyId]: Fixtures.wechatpayPublicKey })
      const query = () =>
        wxpay.v3.payscore.permissions.authorizationCode._authorization_code_.get<Record<string, unknown>>({
          authorization_code: CODE,
          params: { service_id: SERVICE_ID },
          headers: { "Wechatpay-Serial": Fixtures.wechatpayPublicKeyId }
        })
      yield* sandbox.injectFault(Sandbox.Fault.TamperedBody({}))
      const tampered = yield* pluginFailure(query)
      expect(tampered.code).toBe("EV3_RES_HEADER_SIGNATURE_DIGEST")
      expect(tampered.response?.status).toBe(200)
      yield* sandbox.injectFault(Sandbox.Fault.WrongKey({}))
      const wrongKey = yield* pluginFailure(query)
      expect(wrongKey.code).toBe("EV3_RES_HEADER_SIGNATURE_DIGEST")
      // and without a fault it passes again
      expect((yield* Effect.promise(query)).data).toMatchObject({ authorization_state: "AVAILABLE" })
      expect((yield* sandbox.requests).map((r) => [r.status, r.fault?._tag])).toEqual([
        [200, "TamperedBody"],
        [200, "WrongKey"],
        [200, undefined]
      ])
    }).pipe(Effect.scoped))

  it.live("certificate mode: the plugin trusting a platform certificate gets its signature, named or not; one trusting only the public key must name it", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.make()
      yield* sandbox.seed(Sandbox.Seed.Openid({
        openid: OPENID,
        service_id: SERVICE_ID,
        appid: APPID,
        record: { authorization_state: "AVAILABLE" }
      }))
      const wxpay = pluginClient(sandbox.baseUrl, { [Fixtures.platformSerialNo1]: Fixtures.platformCertificate1 })
      const endpoint = wxpay.chain("v3/payscore/permissions/openid/{openid}")
      const config = { openid: OPENID, params: { service_id: SERVICE_ID, appid: APPID } }
      const answer = yield* Effect.promise(() =>
        endpoint.get<Record<string, unknown>>({
          ...config,
          headers: { "Wechatpay-Serial": Fixtures.platformSerialNo1 }
        })
      )
      expect(answer.data).toMatchObject({ openid: OPENID, appid: APPID, authorization_state: "AVAILABLE" })
      // without the header an account holding both (the certificate → public key switch) answers
      // under the platform certificate (/doc/v3/merchant/4012154180; WxJava#3454): this client passes
      const unnamed = yield* Effect.promise(() => endpoint.get<Record<string, unknown>>(config))
      expect(unnamed.data).toMatchObject({ openid: OPENID, authorization_state: "AVAILABLE" })
      // a client that trusts only the public key gets it only by naming it
      const publicKeyOnly = pluginClient(sandbox.baseUrl, {
        [Fixtures.wechatpayPublicKeyId]: Fixtures.wechatpayPublicKey
      })
      const unasked = yield* pluginFailure(() =>
        publicKeyOnly.chain("v3/payscore/permissions/openid/{openid}").get(config)
      )
      expect(unasked.code).toBe("EV3_RES_HEADER_PLATFORM_SERIAL")
      expect((yield* sandbox.requests).map((r) => r.answer?.headers["wechatpay-serial"])).toEqual([
        Fixtures.platformSerialNo1,
        Fixtures.platformSerialNo1,
        Fixtures.platformSerialNo1
      ])
    }).pipe(Effect.scoped))

  it.live("the library and the plugin side by side on one sandbox get the same record", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.Sandbox
      yield* sandbox.seed(Sandbox.Seed.Merchant({
        authorization_code: CODE,
        service_id: SERVICE_ID,
        record: { authorization_state: "AVAILABLE", openid: OPENID, user_risk_level: 2 }
      }))
      const wxpay = pluginClient(sandbox.baseUrl, { [Fixtures.wechatpayPublicKeyId]: Fixtures.wechatpayPublicKey })
      const theirs = yield* Effect.promise(() =>
        wxpay.v3.payscore.permissions.authorizationCode._authorization_code_.get<Record<string, unknown>>({
          authorization_code: CODE,
          params: { service_id: SERVICE_ID },
          headers: { "Wechatpay-Serial": Fixtures.wechatpayPublicKeyId }
        })
      )
      const ours = yield* Effect.flatMap(
        PayScorePermissions.PayScorePermissions,
        (p) => p.queryByAuthorizationCode({ authorization_code: CODE, service_id: SERVICE_ID })
      )
      expect(ours.authorization_code).toBe(theirs.data["authorization_code"])
      expect(ours.authorization_state).toBe(theirs.data["authorization_state"])
      expect(ours.openid).toBe(theirs.data["openid"])
      expect(ours.user_risk_level).toBe(theirs.data["user_risk_level"])
      const [pluginRequest, libraryRequest] = yield* sandbox.requests
      expect(pluginRequest!.url).toBe(libraryRequest!.url)
      expect([pluginRequest!.status, libraryRequest!.status]).toEqual([200, 200])
    }).pipe(Effect.provide(Sandbox.layer({ client: { retries: 0 } }).pipe(Layer.provide(FetchHttpClient.layer)))))
})
