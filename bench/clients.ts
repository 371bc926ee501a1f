/**
 * The clients of the end-to-end benchmark, each able to run `n` queries of `QUERY` at a given
 * concurrency and to record each query's latency. Every client checks every answer (status 200,
 * the AVAILABLE record); all but wechatpay-node-v3 verify the answer's signature.
 *
 * - `effect-wechatpay (<transport>, <way>)`: the library over `FetchHttpClient.layer` (`fetch`) /
 *   `NodeHttpClient.layerUndici` (`undici`) / our own lean `UndiciHttpClient.layer`
 *   (`UndiciHttpClient`, `effect-wechatpay/undici`), each run both ways a service calls it:
 *   - `in-program`: inside one Effect program, `Effect.forEach(…, { concurrency })` in one
 *     `runPromise`;
 *   - `runPromise per query`: a pool of `concurrency` workers, each query one
 *     `runtime.runPromise(permissions.queryByAuthorizationCode(QUERY))` on a `ManagedRuntime` built
 *     once (what an Express or Fastify handler does);
 * - `effect-wechatpay@baseline (…)`: the same clients over the library as of `BENCH_BASELINE`
 *   (bench/baseline.ts), its `dist/` built in a temporary worktree: "before", measured side by side;
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
 *
 * Each client imports only what it uses (dynamic imports), so that a child process running one
 * client (bench/e2e.ts) loads no other client's modules.
 */
import type { Effect as EffectNs } from "effect"
import { rmSync } from "node:fs"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import * as Undici from "undici"
import type * as CurrentIndex from "../dist/index.js"
import type * as CurrentUndici from "../dist/undici.js"
import { Fixtures } from "../src/testing/index.js"
import { effect4Module, effect4Project, libraryOptions, pemBody, QUERY, ROOT, TARGET } from "./common.js"

/** Runs `n` queries, at most `concurrency` at a time, calling `record(ms)` after each. */
export type Run = (n: number, concurrency: number, record: (ms: number) => void) => Promise<void>

/** The library's transports: `FetchHttpClient.layer`, `NodeHttpClient.layerUndici`, `UndiciHttpClient.layer`. */
export type LibraryTransport = "fetch" | "undici" | "UndiciHttpClient"

/** The Effect 4 line's transports: effect's own `FetchHttpClient.layer`, and `effect-wechatpay/effect4/undici`. */
export type Effect4Transport = "fetch" | "UndiciHttpClient"

export const EFFECT4_TRANSPORTS: ReadonlyArray<Effect4Transport> = ["fetch", "UndiciHttpClient"]

/** The two ways a service calls the library. */
export type Way = "in-program" | "runPromise per query"

/** The library as it is now (this checkout's `dist/`), or as of `BENCH_BASELINE`. */
export type Build = "current" | "baseline"

export const LIBRARY_TRANSPORTS: ReadonlyArray<LibraryTransport> = ["fetch", "undici", "UndiciHttpClient"]
export const WAYS: ReadonlyArray<Way> = ["in-program", "runPromise per query"]

/** What a client is: enough to make it again in a child process (plain data). */
export type ClientSpec =
  | {
    readonly kind: "library"
    readonly transport: LibraryTransport
    readonly way: Way
    readonly build: Build
  }
  | {
    readonly kind: "effect4"
    readonly transport: Effect4Transport
    readonly way: Way
  }
  | { readonly kind: "peer"; readonly peer: "wechatpay-axios-plugin" | "wechatpay-node-v3" }
  | { readonly kind: "bare"; readonly transport: "fetch" | "undici" }
  | { readonly kind: "reference"; readonly transport: "fetch" | "undici" }

/** A client of the benchmark. */
export interface BenchClient {
  readonly name: ClientName
  /** Which bare client it is compared with (the same transport), if any. */
  readonly transport: "fetch" | "undici" | undefined
  readonly kind: "library" | "effect4" | "peer" | "bare" | "reference"
  readonly run: Run
  readonly close: () => Promise<void>
}

/** A client's name in the report, e.g. `effect-wechatpay@baseline (UndiciHttpClient, in-program)`. */
export type ClientName = string

/** The name of a library client. */
export const libraryName = (transport: LibraryTransport, way: Way, build: Build = "current"): ClientName =>
  `effect-wechatpay${build === "baseline" ? "@baseline" : ""} (${transport}, ${way})`

/** The name of an Effect 4 line client (run under Node 22, in a project whose `effect` is 4). */
export const effect4Name = (transport: Effect4Transport, way: Way): ClientName =>
  `effect-wechatpay/effect4 (${transport}, ${way})`

export const BARE_FETCH = "bare fetch"
export const BARE_UNDICI = "bare undici"
export const PLATFORM_FETCH = "platform fetch, no library"
export const PLATFORM_UNDICI = "platform undici, no library"
export const PEERS: ReadonlyArray<ClientName> = ["wechatpay-axios-plugin", "wechatpay-node-v3"]

/** The name of a client. */
export const clientName = (spec: ClientSpec): ClientName => {
  switch (spec.kind) {
    case "library":
      return libraryName(spec.transport, spec.way, spec.build)
    case "effect4":
      return effect4Name(spec.transport, spec.way)
    case "peer":
      return spec.peer
    case "bare":
      return spec.transport === "fetch" ? BARE_FETCH : BARE_UNDICI
    case "reference":
      return spec.transport === "fetch" ? PLATFORM_FETCH : PLATFORM_UNDICI
  }
}

/** Every client, in the order of the report; the baseline's only when it was built. */
export const clientSpecs = (withBaseline: boolean): ReadonlyArray<ClientSpec> => [
  ...(withBaseline ? (["current", "baseline"] as const) : (["current"] as const)).flatMap((build) =>
    LIBRARY_TRANSPORTS.flatMap((transport) =>
      WAYS.map((way): ClientSpec => ({ kind: "library", transport, way, build }))
    )
  ),
  ...EFFECT4_TRANSPORTS.flatMap((transport) => WAYS.map((way): ClientSpec => ({ kind: "effect4", transport, way }))),
  { kind: "peer", peer: "wechatpay-axios-plugin" },
  { kind: "peer", peer: "wechatpay-node-v3" },
  { kind: "bare", transport: "fetch" },
  { kind: "bare", transport: "undici" },
  { kind: "reference", transport: "fetch" },
  { kind: "reference", transport: "undici" }
]

/**
 * One answer of the bench server (status 200), replayed by `cannedDispatcher` / `cannedSend`
 * without any network: bench/perCall.ts. Its signature holds for 5 minutes (WeChat Pay's clock
 * skew bound).
 */
export interface CannedAnswer {
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/**
 * An undici `Dispatcher` that answers every request with `answer` on the next turn of the event
 * loop (`setImmediate`), through the handler callbacks `UndiciHttpClient`'s direct attempt uses:
 * the library's per-call work with no socket, no server.
 */
export const cannedDispatcher = (answer: CannedAnswer): import("undici").Dispatcher => {
  const controller = {
    aborted: false,
    paused: false,
    reason: null,
    abort: () => {},
    pause: () => {},
    resume: () => {}
  }
  const rawHeaders = Object.entries(answer.headers).flatMap(([name, value]) => [Buffer.from(name), Buffer.from(value)])
  /** The older callbacks, which undici's `request` API still drives. */
  interface Legacy {
    readonly onConnect?: (abort: () => void) => void
    readonly onHeaders?: (status: number, raw: Array<Buffer>, resume: () => void, text: string) => boolean
    readonly onData?: (chunk: Buffer) => boolean
    readonly onComplete?: (trailers: Array<string>) => void
  }
  class Canned extends Undici.Dispatcher {
    override dispatch(
      _options: Undici.Dispatcher.DispatchOptions,
      handler: Undici.Dispatcher.DispatchHandler
    ): boolean {
      const legacy = handler as Legacy
      setImmediate(() => {
        if (typeof legacy.onHeaders === "function") {
          legacy.onConnect?.(() => {})
          legacy.onHeaders(200, rawHeaders, () => {}, "OK")
          legacy.onData?.(Buffer.from(answer.body))
          legacy.onComplete?.([])
          return
        }
        handler.onRequestStart?.(controller, {})
        handler.onResponseStart?.(controller, 200, answer.headers, "OK")
        handler.onResponseData?.(controller, Buffer.from(answer.body))
        handler.onResponseEnd?.(controller, {})
      })
      return true
    }
    override close(): Promise<void> {
      return Promise.resolve()
    }
    override destroy(): Promise<void> {
      return Promise.resolve()
    }
  }
  return new Canned()
}

/** The bare client's `send` over `answer` (next turn of the event loop, as `cannedDispatcher`). */
const cannedSend = (answer: CannedAnswer) => async (): Promise<Received> => {
  await new Promise((resolve) => setImmediate(resolve))
  return { status: 200, header: (name) => answer.headers[name], body: answer.body }
}

/**
 * Makes one client against `baseUrl`; `baselineDist` is the baseline's `dist/` (needed by the
 * baseline's clients only). With `canned`, the clients over undici (the library over
 * `UndiciHttpClient`, bare undici) replay that answer instead of asking the server.
 */
export const makeClient = async (
  spec: ClientSpec,
  baseUrl: string,
  baselineDist?: string | undefined,
  canned?: CannedAnswer | undefined
): Promise<BenchClient> => {
  const overUndici = (spec.kind === "library" && spec.transport === "UndiciHttpClient") ||
    (spec.kind === "bare" && spec.transport === "undici")
  if (canned !== undefined && !overUndici) throw new Error(`${clientName(spec)}: no canned answers over this transport`)
  switch (spec.kind) {
    case "library": {
      if (spec.build === "baseline" && baselineDist === undefined) {
        throw new Error(`${clientName(spec)}: no baseline dist/ (bench/baseline.ts)`)
      }
      return library(spec, baseUrl, {
        dist: spec.build === "baseline" ? baselineDist : undefined,
        dispatcher: canned === undefined ? undefined : cannedDispatcher(canned)
      })
    }
    case "effect4":
      return effect4Library(spec, baseUrl)
    case "peer":
      return spec.peer === "wechatpay-axios-plugin" ? axiosPlugin(baseUrl) : nodeV3(baseUrl)
    case "bare": {
      if (canned !== undefined) {
        return {
          name: BARE_UNDICI,
          transport: "undici",
          kind: "bare",
          run: pool(await bare(cannedSend(canned))),
          close: async () => {}
        }
      }
      return spec.transport === "fetch" ? bareFetch(baseUrl) : bareUndici(baseUrl)
    }
    case "reference":
      return platformBare(spec.transport, baseUrl)
  }
}

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

/** The `@effect/platform` layer of a transport (imported only when used). */
const platformLayer = async (transport: "fetch" | "undici") =>
  transport === "fetch"
    ? (await import("@effect/platform/FetchHttpClient")).layer
    : (await import("@effect/platform-node/NodeHttpClient")).layerUndici

// ---------------------------------------------------------------------------------------------
// effect-wechatpay
// ---------------------------------------------------------------------------------------------

/** A library build: its main entry and `effect-wechatpay/undici`. */
interface Dist {
  readonly index: typeof CurrentIndex
  readonly undici: typeof CurrentUndici
}

/**
 * The library's `dist/`: this checkout's, or another build's (`dir`: the baseline), typed as the
 * current one (the services used here, `WechatPay.layer`, `PayScorePermissions` and
 * `UndiciHttpClient.layer`, have the same shape in both).
 */
const loadDist = async (dir: string = join(ROOT, "dist")): Promise<Dist> => ({
  index: (await import(pathToFileURL(join(dir, "index.js")).href)) as typeof CurrentIndex,
  undici: (await import(pathToFileURL(join(dir, "undici.js")).href)) as typeof CurrentUndici
})

/** How `library` builds a client, beyond its transport and way. */
export interface LibraryOptions {
  /** The baseline's `dist/` (default: this checkout's). */
  readonly dist?: string | undefined
  /**
   * Given the `HttpClient` the library was built over (bench/profile.ts counts the direct attempts
   * through it); the runtime's context is the same with or without it.
   */
  readonly onTransport?: ((client: object) => void) | undefined
  /** `UndiciHttpClient.layerDispatcher(dispatcher)` (the baseline: `make`) instead of `UndiciHttpClient.layer` (bench/perCall.ts). */
  readonly dispatcher?: import("undici").Dispatcher | undefined
}

/**
 * The library over an `HttpClient` layer; the layer is built once (keys imported once) in a
 * `ManagedRuntime`, and queried one of the two ways.
 */
export const library = async (
  spec: { readonly transport: LibraryTransport; readonly way?: Way; readonly build?: Build },
  baseUrl: string,
  options: LibraryOptions = {}
): Promise<BenchClient> => {
  const { dispatcher, dist, onTransport } = options
  const build = spec.build ?? "current"
  const way = spec.way ?? "in-program"
  const name = libraryName(spec.transport, way, spec.build ?? "current")
  const { Context, Effect, Layer, ManagedRuntime } = await import("effect")
  const { HttpClient } = await import("@effect/platform/HttpClient")
  const { index, undici } = await loadDist(dist)
  const { PayScorePermissions, WechatPay } = index
  const transport = spec.transport !== "UndiciHttpClient"
    ? await platformLayer(spec.transport)
    : dispatcher === undefined
    ? undici.UndiciHttpClient.layer
    : build === "current"
    // the current build: the HttpClient and the transport standing for it, as UndiciHttpClient.layer
    ? undici.UndiciHttpClient.layerDispatcher(dispatcher)
    // the baseline's: its HttpClient (its direct attempt reads the dispatcher through it)
    : Layer.succeed(HttpClient, undici.UndiciHttpClient.make(dispatcher))
  const http = onTransport === undefined
    ? transport
    : Layer.tap(transport, (context) => Effect.sync(() => onTransport(Context.get(context, HttpClient))))
  const runtime = ManagedRuntime.make(WechatPay.layer(libraryOptions(baseUrl)).pipe(Layer.provide(http), Layer.orDie))
  const permissions = await runtime.runPromise(PayScorePermissions.PayScorePermissions)
  const check = (answer: { readonly _tag: string }) => {
    if (answer._tag !== "Available") unexpected(name, answer)
  }
  const inProgram: Run = (n, concurrency, record) =>
    runtime.runPromise(
      Effect.forEach(
        Array.from({ length: n }),
        (): EffectNs.Effect<void> =>
          Effect.suspend(() => {
            const t = performance.now()
            return Effect.map(permissions.queryByAuthorizationCode(QUERY), (answer) => {
              check(answer)
              record(performance.now() - t)
            })
          }).pipe(Effect.orDie),
        { concurrency, discard: true }
      )
    )
  // one `runPromise` per query, as a request handler does: the failures reject the promise
  const perQuery: Run = pool(async () => check(await runtime.runPromise(permissions.queryByAuthorizationCode(QUERY))))
  return {
    name,
    transport: spec.transport === "fetch" ? "fetch" : "undici",
    kind: "library",
    run: way === "in-program" ? inProgram : perQuery,
    close: () => runtime.dispose()
  }
}

// ---------------------------------------------------------------------------------------------
// effect-wechatpay/effect4 (the Effect 4 line)
// ---------------------------------------------------------------------------------------------

/**
 * The parts of effect 4 and of the Effect 4 line this client uses, typed here: the repository's
 * type checker sees effect 3, so the Effect 4 line's declarations cannot be imported into bench/.
 */
interface Effect4Effect {
  readonly forEach: (
    items: ReadonlyArray<unknown>,
    f: () => unknown,
    options: { readonly concurrency: number; readonly discard: true }
  ) => unknown
  readonly suspend: (f: () => unknown) => unknown
  readonly map: (self: unknown, f: (answer: { readonly _tag: string }) => void) => unknown
  readonly orDie: (self: unknown) => unknown
  readonly service: (tag: unknown) => unknown
}
interface Effect4Runtime {
  readonly runPromise: (effect: unknown) => Promise<unknown>
  readonly dispose: () => Promise<void>
}
interface Effect4Permissions {
  readonly queryByAuthorizationCode: (params: typeof QUERY) => unknown
}

/**
 * The Effect 4 line, built (dist/effect4), in the project of `effect4Project` (its `effect` is 4),
 * over effect's `FetchHttpClient.layer` or the line's own `UndiciHttpClient.layer`; queried one of
 * the two ways, as `library`. Runs under Node 22 (bench/e2e.ts starts its process so).
 */
export const effect4Library = async (
  spec: { readonly transport: Effect4Transport; readonly way: Way },
  baseUrl: string
): Promise<BenchClient> => {
  const name = effect4Name(spec.transport, spec.way)
  const project = effect4Project()
  const load = async (file: string) => (await import(pathToFileURL(file).href)) as Record<string, unknown>
  const dist = join(project, "node_modules", "effect-wechatpay", "dist", "effect4")
  const effect = await load(effect4Module("index"))
  const Effect = effect["Effect"] as Effect4Effect
  const Layer = effect["Layer"] as { readonly provide: (l: unknown) => (self: unknown) => unknown }
  const ManagedRuntime = effect["ManagedRuntime"] as { readonly make: (layer: unknown) => Effect4Runtime }
  const line = await load(join(dist, "index.js"))
  const WechatPay = line["WechatPay"] as { readonly layer: (options: unknown) => { pipe: (f: unknown) => unknown } }
  const PayScorePermissions = line["PayScorePermissions"] as { readonly PayScorePermissions: unknown }
  const http = spec.transport === "fetch"
    ? (await load(effect4Module("http/FetchHttpClient")))["layer"]
    : ((await load(join(dist, "undici.js")))["UndiciHttpClient"] as { readonly layer: unknown }).layer
  // the secrets as effect 4's Redacted: effect 3's (libraryOptions) is not one to effect 4
  const Redacted = effect["Redacted"] as { readonly make: (value: string) => unknown }
  const options = {
    ...libraryOptions(baseUrl),
    merchantPrivateKey: Redacted.make(Fixtures.merchantPrivateKeyPkcs8)
  }
  const runtime = ManagedRuntime.make(WechatPay.layer(options).pipe(Layer.provide(http)))
  const permissions = (await runtime.runPromise(
    Effect.service(PayScorePermissions.PayScorePermissions)
  )) as Effect4Permissions
  const check = (answer: { readonly _tag: string }) => {
    if (answer._tag !== "Available") unexpected(name, answer)
  }
  const inProgram: Run = async (n, concurrency, record) => {
    await runtime.runPromise(
      Effect.forEach(
        Array.from({ length: n }),
        () =>
          Effect.suspend(() => {
            const t = performance.now()
            return Effect.map(permissions.queryByAuthorizationCode(QUERY), (answer) => {
              check(answer)
              record(performance.now() - t)
            })
          }),
        { concurrency, discard: true }
      )
    )
  }
  const perQuery: Run = pool(async () =>
    check((await runtime.runPromise(permissions.queryByAuthorizationCode(QUERY))) as { readonly _tag: string })
  )
  return {
    name,
    transport: spec.transport === "fetch" ? "fetch" : "undici",
    kind: "effect4",
    run: spec.way === "in-program" ? inProgram : perQuery,
    close: async () => {
      await runtime.dispose()
      rmSync(project, { recursive: true, force: true })
    }
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
export const axiosPlugin = async (baseUrl: string): Promise<BenchClient> => {
  const { Wechatpay } = await import("wechatpay-axios-plugin")
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
export const nodeV3 = async (baseUrl: string): Promise<BenchClient> => {
  const WechatpayNodeV3 = (await import("wechatpay-node-v3")).default
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

/** An answer as the bare clients see it. */
export interface Received {
  readonly status: number
  readonly header: (name: string) => string | undefined
  readonly body: string
}

/** Sign, send, verify, parse: the least a correct client does. */
export const bare = async (send: (headers: Record<string, string>) => Promise<Received>) => {
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
  return { name: BARE_FETCH, transport: "fetch", kind: "bare", run: pool(query), close: async () => {} }
}

/** WebCrypto over undici's `request` with a keep-alive `Agent`. */
export const bareUndici = async (baseUrl: string): Promise<BenchClient> => {
  const Undici = await import("undici")
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
  return { name: BARE_UNDICI, transport: "undici", kind: "bare", run: pool(query), close: () => agent.close() }
}

/** WebCrypto over an `@effect/platform` transport, no library code: the transport's own ceiling. */
export const platformBare = async (transport: "fetch" | "undici", baseUrl: string): Promise<BenchClient> => {
  const { Effect, ManagedRuntime } = await import("effect")
  const HttpClient = await import("@effect/platform/HttpClient")
  const HttpClientRequest = await import("@effect/platform/HttpClientRequest")
  const runtime = ManagedRuntime.make(await platformLayer(transport))
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
    name: transport === "fetch" ? PLATFORM_FETCH : PLATFORM_UNDICI,
    transport,
    kind: "reference",
    run: pool(query),
    close: () => runtime.dispose()
  }
}
