/**
 * The clients of the end-to-end benchmark, each able to run `n` queries of `QUERY` at a given
 * concurrency and to record each query's latency. Every client checks every answer (status 200,
 * the AVAILABLE record); all but wechatpay-node-v3 verify the answer's signature.
 *
 * - `effect-wechatpay (fetch)` / `(undici)` / `(UndiciHttpClient)`: the library over
 *   `FetchHttpClient.layer` / `NodeHttpClient.layerUndici` / our own lean
 *   `UndiciHttpClient.layer` (`effect-wechatpay/undici`), `Effect.forEach` with that concurrency;
 * - `wechatpay-axios-plugin`: its own chained client (axios, node:http global agent), which verifies answers;
 * - `wechatpay-node-v3`: it has no Pay Score method and does not verify answers, so it is driven
 *   through its own `buildAuthorization` + `getHeaders` and its request helper (`httpService.get`,
 *   superagent) — it does less work than the others;
 * - `bare fetch` / `bare undici`: no library: WebCrypto `subtle.sign` / `subtle.verify` over global
 *   `fetch` / undici's `request` with a keep-alive `Agent`;
 * - `platform fetch, no library` / `platform undici, no library`: the same WebCrypto code over the
 *   `@effect/platform` transports the library is benchmarked on (`FetchHttpClient.layer`,
 *   `NodeHttpClient.layerUndici`), one `Effect.runPromise` per query: what those transports cost
 *   before any library code, i.e. the ceiling of any library built on them.
 */
import { FetchHttpClient, HttpClient, HttpClientRequest } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { Effect, Layer, ManagedRuntime } from "effect"
import * as Undici from "undici"
import { Wechatpay } from "wechatpay-axios-plugin"
import WechatpayNodeV3 from "wechatpay-node-v3"
import { PayScorePermissions, WechatPay } from "../dist/index.js"
import { UndiciHttpClient } from "../dist/undici.js"
import { Fixtures } from "../src/testing/index.js"
import { libraryOptions, pemBody, QUERY, TARGET } from "./common.js"

/** Runs `n` queries, at most `concurrency` at a time, calling `record(ms)` after each. */
export type Run = (n: number, concurrency: number, record: (ms: number) => void) => Promise<void>

/** A client of the benchmark. */
export interface BenchClient {
  readonly name: string
  /** Which bare client it is compared with (the same transport), if any. */
  readonly transport: "fetch" | "undici" | undefined
  readonly kind: "library" | "peer" | "bare" | "reference"
  readonly run: Run
  readonly close: () => Promise<void>
}

/** The names, in the order of the report. */
export const CLIENT_NAMES = [
  "effect-wechatpay (fetch)",
  "effect-wechatpay (undici)",
  "effect-wechatpay (UndiciHttpClient)",
  "wechatpay-axios-plugin",
  "wechatpay-node-v3",
  "bare fetch",
  "bare undici",
  "platform fetch, no library",
  "platform undici, no library"
] as const

/** A name of `CLIENT_NAMES`. */
export type ClientName = (typeof CLIENT_NAMES)[number]

/** A pool of `concurrency` workers running `query` `n` times in all. */
const pool = (query: () => Promise<void>): Run => async (n, concurrency, record) => {
  let started = 0
  const worker = async () => {
    while (started < n) {
      started += 1
      const t = performance.now()
      await query()
      record(performance.now() - t)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker))
}

const unexpected = (what: string, value: unknown): never => {
  throw new Error(`${what}: unexpected answer ${JSON.stringify(value).slice(0, 300)}`)
}

// ---------------------------------------------------------------------------------------------
// effect-wechatpay
// ---------------------------------------------------------------------------------------------

/** The library over an `HttpClient` layer; the layer is built once (keys imported once). */
export const library = async (
  name: ClientName,
  transport: "fetch" | "undici" | "UndiciHttpClient",
  baseUrl: string
): Promise<BenchClient> => {
  const http = transport === "fetch"
    ? FetchHttpClient.layer
    : transport === "undici"
    ? NodeHttpClient.layerUndici
    : UndiciHttpClient.layer
  const runtime = ManagedRuntime.make(WechatPay.layer(libraryOptions(baseUrl)).pipe(Layer.provide(http), Layer.orDie))
  const permissions = await runtime.runPromise(PayScorePermissions.PayScorePermissions)
  const run: Run = (n, concurrency, record) =>
    runtime.runPromise(
      Effect.forEach(
        Array.from({ length: n }),
        () =>
          Effect.suspend(() => {
            const t = performance.now()
            return Effect.map(permissions.queryByAuthorizationCode(QUERY), (answer) => {
              if (answer._tag !== "Available") unexpected(name, answer)
              record(performance.now() - t)
            })
          }),
        { concurrency, discard: true }
      ).pipe(Effect.orDie)
    )
  return {
    name,
    transport: transport === "fetch" ? "fetch" : "undici",
    kind: "library",
    run,
    close: () => runtime.dispose()
  }
}

// ---------------------------------------------------------------------------------------------
// wechatpay-axios-plugin (local types for its untyped chained client)
// ---------------------------------------------------------------------------------------------

interface PluginAnswer {
  readonly status: number
  readonly data: { readonly authorization_state?: unknown }
}

interface PluginEndpoint {
  readonly get: (config: {
    readonly authorization_code: string
    readonly params: Readonly<Record<string, string>>
    readonly headers: Readonly<Record<string, string>>
  }) => Promise<PluginAnswer>
}

type PluginChain = PluginEndpoint & { readonly [segment: string]: PluginChain }

interface PluginClient {
  readonly v3: PluginChain
}

/** The plugin's client, trusting the WeChat Pay public key; it verifies every answer. */
export const axiosPlugin = (baseUrl: string): BenchClient => {
  const wxpay = new Wechatpay({
    mchid: Fixtures.mchid,
    serial: Fixtures.merchantSerialNo,
    privateKey: Fixtures.merchantPrivateKeyPkcs8,
    certs: { [Fixtures.wechatpayPublicKeyId]: Fixtures.wechatpayPublicKey },
    baseURL: baseUrl,
    proxy: false
  }) as unknown as PluginClient
  const endpoint = wxpay.v3["payscore"]!["permissions"]!["authorizationCode"]!["_authorization_code_"]!
  const config = {
    authorization_code: QUERY.authorization_code,
    params: { service_id: QUERY.service_id },
    headers: { "Wechatpay-Serial": Fixtures.wechatpayPublicKeyId }
  }
  const query = async () => {
    const answer = await endpoint.get(config)
    if (answer.status !== 200 || answer.data.authorization_state !== "AVAILABLE") {
      unexpected("axios plugin", answer.data)
    }
  }
  return { name: "wechatpay-axios-plugin", transport: undefined, kind: "peer", run: pool(query), close: async () => {} }
}

// ---------------------------------------------------------------------------------------------
// wechatpay-node-v3 (its protected helpers, typed locally)
// ---------------------------------------------------------------------------------------------

interface NodeV3Answer {
  readonly status: number
  readonly data?: { readonly authorization_state?: unknown }
  readonly error?: unknown
}

interface NodeV3Internals {
  readonly buildAuthorization: (method: string, url: string) => string
  readonly getHeaders: (authorization: string, headers?: Readonly<Record<string, string>>) => Record<string, string>
  readonly httpService: { readonly get: (url: string, headers: Record<string, string>) => Promise<NodeV3Answer> }
}

/** wechatpay-node-v3: its signing and request helper; it does not verify answers. */
export const nodeV3 = (baseUrl: string): BenchClient => {
  const pay = new WechatpayNodeV3({
    appid: "wxd678efh567hg6787",
    mchid: Fixtures.mchid,
    serial_no: Fixtures.merchantSerialNo,
    publicKey: Buffer.from(Fixtures.merchantPublicKey),
    privateKey: Buffer.from(Fixtures.merchantPrivateKeyPkcs8)
  }) as unknown as NodeV3Internals
  const serial = { "Wechatpay-Serial": Fixtures.wechatpayPublicKeyId }
  const query = async () => {
    const headers = pay.getHeaders(pay.buildAuthorization("GET", TARGET), serial)
    const answer = await pay.httpService.get(baseUrl + TARGET, headers)
    if (answer.status !== 200 || answer.data?.authorization_state !== "AVAILABLE") unexpected("node-v3", answer)
  }
  return { name: "wechatpay-node-v3", transport: undefined, kind: "peer", run: pool(query), close: async () => {} }
}

// ---------------------------------------------------------------------------------------------
// Bare reference clients: WebCrypto + fetch / undici, no library
// ---------------------------------------------------------------------------------------------

const RSA = { name: "RSASSA-PKCS1-v1_5" } as const
const encoder = new TextEncoder()

interface Received {
  readonly status: number
  readonly header: (name: string) => string | undefined
  readonly body: string
}

/** Sign, send, verify, parse: the least a correct client does. */
const bare = async (send: (headers: Record<string, string>) => Promise<Received>) => {
  const subtle = globalThis.crypto.subtle
  const signingKey = await subtle.importKey(
    "pkcs8",
    pemBody(Fixtures.merchantPrivateKeyPkcs8),
    { ...RSA, hash: "SHA-256" },
    false,
    ["sign"]
  )
  const verifyingKey = await subtle.importKey(
    "spki",
    pemBody(Fixtures.wechatpayPublicKey),
    { ...RSA, hash: "SHA-256" },
    false,
    ["verify"]
  )
  return async () => {
    const timestamp = String(Math.floor(Date.now() / 1000))
    const nonce = crypto.randomUUID().replaceAll("-", "")
    const signature = Buffer.from(
      await subtle.sign(RSA, signingKey, encoder.encode(`GET\n${TARGET}\n${timestamp}\n${nonce}\n\n`))
    ).toString("base64")
    const answer = await send({
      accept: "application/json",
      "user-agent": "bench-bare",
      "wechatpay-serial": Fixtures.wechatpayPublicKeyId,
      authorization:
        `WECHATPAY2-SHA256-RSA2048 mchid="${Fixtures.mchid}",nonce_str="${nonce}",signature="${signature}",timestamp="${timestamp}",serial_no="${Fixtures.merchantSerialNo}"`
    })
    const ts = answer.header("wechatpay-timestamp") ?? ""
    const ok = answer.status === 200 &&
      answer.header("wechatpay-serial") === Fixtures.wechatpayPublicKeyId &&
      Math.abs(Date.now() / 1000 - Number(ts)) < 300 &&
      await subtle.verify(
        RSA,
        verifyingKey,
        Buffer.from(answer.header("wechatpay-signature") ?? "", "base64"),
        encoder.encode(`${ts}\n${answer.header("wechatpay-nonce")}\n${answer.body}\n`)
      )
    if (!ok) unexpected("bare client", { status: answer.status, body: answer.body })
    const record = JSON.parse(answer.body) as { readonly authorization_state?: unknown }
    if (record.authorization_state !== "AVAILABLE") unexpected("bare client", record)
  }
}

/** WebCrypto over global `fetch`. */
export const bareFetch = async (baseUrl: string): Promise<BenchClient> => {
  const query = await bare(async (headers) => {
    const response = await fetch(baseUrl + TARGET, { headers })
    const body = await response.text()
    return { status: response.status, header: (name) => response.headers.get(name) ?? undefined, body }
  })
  return { name: "bare fetch", transport: "fetch", kind: "bare", run: pool(query), close: async () => {} }
}

/** WebCrypto over undici's `request` with a keep-alive `Agent`. */
export const bareUndici = async (baseUrl: string): Promise<BenchClient> => {
  const agent = new Undici.Agent({ keepAliveTimeout: 30_000 })
  const query = await bare(async (headers) => {
    const response = await Undici.request(baseUrl + TARGET, { method: "GET", headers, dispatcher: agent })
    const body = await response.body.text()
    return {
      status: response.statusCode,
      header: (name) => {
        const value = response.headers[name]
        return typeof value === "string" ? value : undefined
      },
      body
    }
  })
  return { name: "bare undici", transport: "undici", kind: "bare", run: pool(query), close: () => agent.close() }
}

/** WebCrypto over an `@effect/platform` transport, no library code: the transport's own ceiling. */
export const platformBare = async (transport: "fetch" | "undici", baseUrl: string): Promise<BenchClient> => {
  const runtime = ManagedRuntime.make(transport === "fetch" ? FetchHttpClient.layer : NodeHttpClient.layerUndici)
  const client = await runtime.runPromise(HttpClient.HttpClient)
  const query = await bare((headers) =>
    runtime.runPromise(
      Effect.flatMap(
        client.execute(HttpClientRequest.get(baseUrl + TARGET, { headers })),
        (response) =>
          Effect.map(response.text, (body) => ({
            status: response.status,
            header: (name: string) => response.headers[name],
            body
          }))
      )
    )
  )
  return {
    name: transport === "fetch" ? "platform fetch, no library" : "platform undici, no library",
    transport,
    kind: "reference",
    run: pool(query),
    close: () => runtime.dispose()
  }
}

/** Every client against `baseUrl`, in the order of `CLIENT_NAMES`. */
export const makeClients = async (baseUrl: string): Promise<ReadonlyArray<BenchClient>> => [
  await library("effect-wechatpay (fetch)", "fetch", baseUrl),
  await library("effect-wechatpay (undici)", "undici", baseUrl),
  await library("effect-wechatpay (UndiciHttpClient)", "UndiciHttpClient", baseUrl),
  axiosPlugin(baseUrl),
  nodeV3(baseUrl),
  await bareFetch(baseUrl),
  await bareUndici(baseUrl),
  await platformBare("fetch", baseUrl),
  await platformBare("undici", baseUrl)
]
