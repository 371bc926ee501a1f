/**
 * `UndiciHttpClient` (`effect-wechatpay/undici`) over real HTTP on loopback: the library against the
 * sandbox; the `HttpClient` contract against a raw node:http server (request bodies byte for byte,
 * every answer reader); failures (connection refused, an interrupted request, an interrupted body
 * read); the library's fast capped reader and `maxResponseBytes`; keep-alive; and an unread answer
 * freed once garbage-collected.
 */
import { FetchHttpClient, HttpClient, HttpClientRequest } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import * as Cookies from "@effect/platform/Cookies"
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Context, Effect, Either, Layer, Stream } from "effect"
import * as v8 from "node:v8"
import * as vm from "node:vm"
import { PayScorePermissions, WechatPayClient } from "../src/index.js"
import * as Body from "../src/internal/body.js"
import { SampleRecords, Sandbox } from "../src/testing/index.js"
import { UndiciHttpClient } from "../src/undici.js"
import { closedPort, serve, waitUntil } from "./helpers/httpServer.js"
import { layerOver } from "./helpers/merchant.js"

/** The `HttpClient` of `layer`, built in the test's scope (its agent closes with the test). */
const clientOf = (layer: Layer.Layer<HttpClient.HttpClient>) =>
  Effect.map(Layer.build(layer), (context) => Context.get(context, HttpClient.HttpClient))

/** The library (`WechatPayClient`) over `UndiciHttpClient.layer`, pointed at `baseUrl`: one attempt, 3-second timeout. */
const libraryAt = (baseUrl: string, maxResponseBytes?: number) =>
  Effect.map(
    Layer.build(layerOver(UndiciHttpClient.layer, {
      baseUrl,
      retries: 0,
      timeout: "3 seconds",
      ...(maxResponseBytes === undefined ? {} : { maxResponseBytes })
    })),
    (context) => Context.get(context, WechatPayClient.WechatPayClient)
  )

/** Every `code` in an error's `cause` chain (and in an `AggregateError`'s `errors`). */
const codesOf = (value: unknown, depth = 0): Array<string> => {
  if (depth > 8 || typeof value !== "object" || value === null) return []
  const node = value as { readonly code?: unknown; readonly cause?: unknown; readonly errors?: unknown }
  return [
    ...(typeof node.code === "string" ? [node.code] : []),
    ...(Array.isArray(node.errors) ? node.errors.flatMap((e: unknown) => codesOf(e, depth + 1)) : []),
    ...codesOf(node.cause, depth + 1)
  ]
}

const utf8 = new TextEncoder()
const decodeKeepingBom = (bytes: Uint8Array) => new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes)

/**
 * Lets the event loop turn once: undici reuses a kept-alive socket only a full event-loop turn
 * after its answer completed (client-h1.js, `setImmediate(client[kResume])`), so a request sent in
 * the same turn as the previous answer's last byte was read opens a second connection.
 */
const nextLoopTurn = Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve)))

// ---------------------------------------------------------------------------------------------
// 1. The library against the sandbox
// ---------------------------------------------------------------------------------------------

describe("UndiciHttpClient: the library against the sandbox", () => {
  const sandboxLayer = Sandbox.layer({
    records: SampleRecords.seeds,
    client: { retries: 0, timeout: "3 seconds" }
  }).pipe(Layer.provide(UndiciHttpClient.layer))

  it.live("the four queries, an apply (POST body signed byte for byte) and a 204 terminate, all verified", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.Sandbox
      const p = yield* PayScorePermissions.PayScorePermissions
      const serviceId = SampleRecords.serviceId
      const openid = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"

      const merchant = yield* p.queryByAuthorizationCode({
        authorization_code: "1275342195190894594",
        service_id: serviceId
      })
      expect(merchant._tag).toBe("Available")
      expect(merchant.authorization_code).toBe("1275342195190894594")
      expect(merchant.openid).toBe(openid)
      expect(merchant.user_risk_level).toBe(1)
      expect(merchant.authorization_success_time?.epochMillis).toBe(Date.UTC(2026, 10, 20, 2, 0, 0))

      const partner = yield* p.queryPartnerByAuthorizationCode({
        authorization_code: "PARTNER-AVAILABLE-0001",
        service_id: serviceId,
        sub_mchid: SampleRecords.subMchid
      })
      expect(partner._tag).toBe("Available")
      expect(partner.sub_mchid).toBe(SampleRecords.subMchid)
      expect(partner.sub_openid).toBe("o5Dq15C8Cg0Q2hnmCuvb2f3H-Y5o")

      const bank = yield* p.queryAcquiringBankByAuthorizationCode({
        authorization_code: "BANK-AVAILABLE-0001",
        service_id: serviceId,
        channel_id: SampleRecords.channelId,
        sub_mchid: SampleRecords.subMchid
      })
      expect(bank._tag).toBe("Available")
      expect(bank.channel_id).toBe(SampleRecords.channelId)
      expect(bank.sub_appid).toBe("wxcbda96de0b165484")

      const byOpenid = yield* p.queryByOpenid({ openid, service_id: serviceId, appid: SampleRecords.appid })
      expect(byOpenid._tag).toBe("Available")
      expect(byOpenid.openid).toBe(openid)
      expect(byOpenid.authorization_code).toBe("1275342195190894594")

      const queries = yield* sandbox.requests
      expect(queries.map((r) => [r.method, r.status, r.signatureVerified])).toEqual([
        ["GET", 200, true],
        ["GET", 200, true],
        ["GET", 200, true],
        ["GET", 200, true]
      ])
      for (const request of queries) expect(request.answer?.headers["wechatpay-signature"]).toBeDefined()

      const code = "1234323JKHDFE1243252"
      const notifyUrl = "https://merchant.example.com/payscore/notify"
      const applied = yield* p.applyPermissions({
        service_id: serviceId,
        appid: SampleRecords.appid,
        authorization_code: code,
        notify_url: notifyUrl
      })
      expect(applied.apply_permissions_token).toMatch(/^[0-9a-f]{40}$/)
      const apply = (yield* sandbox.requests).at(-1)!
      expect(apply.method).toBe("POST")
      expect(apply.url).toBe("/v3/payscore/permissions")
      expect(apply.headers["content-type"]).toBe("application/json")
      expect(apply.body).toBe(
        `{"service_id":"${serviceId}","appid":"${SampleRecords.appid}","authorization_code":"${code}","notify_url":"${notifyUrl}"}`
      )
      expect(apply.signatureVerified).toBe(true)
      expect(apply.status).toBe(200)
      expect((yield* p.queryByAuthorizationCode({ authorization_code: code, service_id: serviceId }))._tag).toBe(
        "UnbindUser"
      )

      yield* p.terminateByAuthorizationCode({
        authorization_code: "1275342195190894594",
        service_id: serviceId,
        reason: "用户投诉"
      })
      const terminate = (yield* sandbox.requests).at(-1)!
      expect(terminate.url).toBe("/v3/payscore/permissions/authorization-code/1275342195190894594/terminate")
      expect(terminate.body).toBe(`{"service_id":"${serviceId}","reason":"用户投诉"}`)
      expect(terminate.signatureVerified).toBe(true)
      expect(terminate.status).toBe(204)
      expect(terminate.answer?.body).toBe("")
      expect(terminate.answer?.headers["wechatpay-signature"]).toBeDefined()
      const after = yield* p.queryByAuthorizationCode({
        authorization_code: "1275342195190894594",
        service_id: serviceId
      })
      expect(after._tag).toBe("Unavailable")
    }).pipe(Effect.provide(sandboxLayer)))
})

// ---------------------------------------------------------------------------------------------
// 2. – 9. The transport itself
// ---------------------------------------------------------------------------------------------

describe("UndiciHttpClient: the HttpClient contract over a raw server", () => {
  it.scopedLive("requests carry headers, url params and exact body bytes; answers are read by every reader", () =>
    Effect.gen(function*() {
      const answerBody = `{"greeting":"你好","n":1}`
      const server = yield* serve((req, res) => {
        if (req.url === "/answer") {
          res.writeHead(201, {
            "Content-Type": "application/json; charset=utf-8",
            "X-Answer-Header": "Shown",
            "Set-Cookie": ["session=abc; Path=/; HttpOnly", "theme=dark; Max-Age=60"]
          })
          res.end(answerBody)
        } else if (req.url === "/form-answer") {
          res.writeHead(200, { "content-type": "application/x-www-form-urlencoded" })
          res.end("a=1&b=%E4%BD%A0%E5%A5%BD&b=2")
        } else {
          res.writeHead(200, { "content-type": "application/json" })
          res.end(`{"ok":true}`)
        }
      })
      const client = yield* clientOf(UndiciHttpClient.layer)
      const send = (request: HttpClientRequest.HttpClientRequest) =>
        Effect.gen(function*() {
          const response = yield* client.execute(request)
          expect(yield* response.json).toEqual({ ok: true })
          return server.received.at(-1)!
        })

      // GET: headers and url params (set replaces, append adds), after a query already in the URL
      const get = yield* send(
        HttpClientRequest.get(`${server.url}/echo?z=0`).pipe(
          HttpClientRequest.setHeader("x-trace", "t-1"),
          HttpClientRequest.setUrlParam("a", "0"),
          HttpClientRequest.setUrlParam("a", "1"),
          HttpClientRequest.appendUrlParam("b", "x"),
          HttpClientRequest.appendUrlParam("b", "y z")
        )
      )
      expect(get.method).toBe("GET")
      expect(get.url).toBe("/echo?z=0&a=1&b=x&b=y+z")
      expect(get.headers["x-trace"]).toBe("t-1")
      expect(get.body.length).toBe(0)

      const text = "héllo wörld ✓"
      const textSent = yield* send(HttpClientRequest.post(`${server.url}/text`).pipe(HttpClientRequest.bodyText(text)))
      expect(textSent.method).toBe("POST")
      expect(textSent.body.equals(Buffer.from(text, "utf8"))).toBe(true)
      expect(textSent.headers["content-type"]).toBe("text/plain")
      expect(textSent.headers["content-length"]).toBe(String(Buffer.byteLength(text)))

      const json = { a: 1, b: "é", c: [true, null] }
      const jsonSent = yield* send(
        HttpClientRequest.post(`${server.url}/json`).pipe(HttpClientRequest.bodyUnsafeJson(json))
      )
      expect(jsonSent.body.toString("utf8")).toBe(JSON.stringify(json))
      expect(jsonSent.headers["content-type"]).toBe("application/json")

      const bytes = Uint8Array.from({ length: 256 }, (_, i) => i)
      const bytesSent = yield* send(
        HttpClientRequest.put(`${server.url}/bytes`).pipe(HttpClientRequest.bodyUint8Array(bytes))
      )
      expect(bytesSent.method).toBe("PUT")
      expect([...bytesSent.body]).toEqual([...bytes])
      expect(bytesSent.headers["content-type"]).toBe("application/octet-stream")

      // a stream body, with a multi-byte character split across two chunks
      const parts = [
        utf8.encode("part one, "),
        utf8.encode("part two "),
        Uint8Array.of(0xe4, 0xbd),
        Uint8Array.of(0xa0)
      ]
      const streamSent = yield* send(
        HttpClientRequest.post(`${server.url}/stream`).pipe(
          HttpClientRequest.bodyStream(Stream.fromIterable(parts), { contentType: "application/x-parts" })
        )
      )
      expect(streamSent.body.toString("utf8")).toBe("part one, part two 你")
      expect(streamSent.headers["content-type"]).toBe("application/x-parts")

      // the global FormData (on Node 20 its class comes from Node's bundled undici, which the undici
      // package cannot encode itself: the transport has the runtime encode it)
      const form = new FormData()
      form.append("field", "value ✓")
      form.append("file", new Blob([Uint8Array.of(0, 1, 2, 255)], { type: "application/octet-stream" }), "data.bin")
      const formSent = yield* send(
        HttpClientRequest.post(`${server.url}/form`).pipe(HttpClientRequest.bodyFormData(form))
      )
      const formType = formSent.headers["content-type"] ?? ""
      expect(formType).toMatch(/^multipart\/form-data; boundary=/)
      const parsed = yield* Effect.promise(() =>
        new Response(new Uint8Array(formSent.body), { headers: { "content-type": formType } }).formData()
      )
      expect(parsed.get("field")).toBe("value ✓")
      const file = parsed.get("file")
      expect(file instanceof Blob).toBe(true)
      if (file instanceof Blob) {
        expect([...new Uint8Array(yield* Effect.promise(() => file.arrayBuffer()))]).toEqual([0, 1, 2, 255])
      }

      // answers: status, lower-case header names, cookies, text (twice), json after text
      const answer = yield* client.get(`${server.url}/answer`)
      expect(answer.status).toBe(201)
      expect(answer.headers["x-answer-header"]).toBe("Shown")
      expect(answer.headers["content-type"]).toBe("application/json; charset=utf-8")
      expect(Object.keys(answer.headers).every((name) => name === name.toLowerCase())).toBe(true)
      expect(Cookies.toRecord(answer.cookies)).toEqual({ session: "abc", theme: "dark" })
      expect(answer.cookies.cookies["session"]?.options?.httpOnly).toBe(true)
      expect(yield* answer.text).toBe(answerBody)
      expect(yield* answer.text).toBe(answerBody)
      expect(yield* answer.json).toEqual({ greeting: "你好", n: 1 })

      // each other reader, on an answer of its own
      expect(yield* Effect.flatMap(client.get(`${server.url}/answer`), (r) => r.json)).toEqual({
        greeting: "你好",
        n: 1
      })
      const buffer = yield* Effect.flatMap(client.get(`${server.url}/answer`), (r) => r.arrayBuffer)
      expect(buffer instanceof ArrayBuffer).toBe(true)
      expect(new TextDecoder().decode(buffer)).toBe(answerBody)
      // one body, every reader: text then arrayBuffer, and arrayBuffer then text
      const both = yield* client.get(`${server.url}/answer`)
      expect(yield* both.text).toBe(answerBody)
      const after = yield* both.arrayBuffer
      expect(after instanceof ArrayBuffer).toBe(true)
      expect(new TextDecoder().decode(after)).toBe(answerBody)
      const reverse = yield* client.get(`${server.url}/answer`)
      expect(new TextDecoder().decode(yield* reverse.arrayBuffer)).toBe(answerBody)
      expect(yield* reverse.text).toBe(answerBody)
      const streamed = yield* Effect.flatMap(client.get(`${server.url}/answer`), (r) => Stream.runCollect(r.stream))
      expect(Buffer.concat(Chunk.toReadonlyArray(streamed)).toString("utf8")).toBe(answerBody)
      const params = yield* Effect.flatMap(client.get(`${server.url}/form-answer`), (r) => r.urlParamsBody)
      expect(params).toEqual([["a", "1"], ["b", "你好"], ["b", "2"]])
    }))

  it.scopedLive("connection refused: RequestError Transport with ECONNREFUSED; through the library, never sent", () =>
    Effect.gen(function*() {
      const port = yield* closedPort
      const client = yield* clientOf(UndiciHttpClient.layer)
      const error = yield* Effect.flip(client.get(`http://127.0.0.1:${port}/nothing`))
      expect(error._tag).toBe("RequestError")
      expect(error.reason).toBe("Transport")
      expect(codesOf(error.cause)).toContain("ECONNREFUSED")

      const library = yield* libraryAt(`http://127.0.0.1:${port}`)
      const failure = yield* Effect.flip(library.execute({
        method: "POST",
        path: "/v3/payscore/permissions",
        body: { service_id: "500001", appid: "wxd678efh567hg6787", authorization_code: "1234323JKHDFE1243252" }
      }))
      expect(failure._tag).toBe("TransportError")
      expect(failure.message).toContain("never sent: the connection was refused")
      expect(WechatPayClient.isNeverSent(failure)).toBe(true)
    }))

  it.scopedLive("interrupting a request (a timeout) aborts it: the server sees its connection close", () =>
    Effect.gen(function*() {
      const server = yield* serve(() => {
        // accepted, never answered
      })
      const client = yield* clientOf(UndiciHttpClient.layer)
      const result = yield* client.get(`${server.url}/hang`).pipe(Effect.timeout("2 seconds"), Effect.either)
      expect(Either.isLeft(result) && result.left._tag).toBe("TimeoutException")
      yield* waitUntil("the server sees the aborted request's connection close", () => server.closed("/hang"))

      // the same through the library: its per-attempt timeout, a TransportError that may have been sent
      const library = yield* libraryAt(server.url)
      const failure = yield* Effect.flip(library.execute({ method: "GET", path: "/v3/hang" }))
      expect(failure._tag).toBe("TransportError")
      expect(failure.message).toContain("timeout")
      expect(WechatPayClient.isNeverSent(failure)).toBe(false)
      yield* waitUntil(
        "the server sees the library's timed-out request's connection close",
        () => server.closed("/v3/hang")
      )
    }))

  it.scopedLive("interrupting the read of a body destroys it: the server sees the connection close", () =>
    Effect.gen(function*() {
      const server = yield* serve((_req, res) => {
        // the headers and one chunk, then nothing
        res.writeHead(200, { "content-type": "application/json" })
        res.write(`{"partial":`)
      })
      const client = yield* clientOf(UndiciHttpClient.layer)

      // the library's capped reader
      const capped = yield* client.get(`${server.url}/capped`)
      expect(capped.status).toBe(200)
      expect(Body.readerOf(capped)).toBe("node")
      const read = yield* Body.readCapped(capped, 1_000_000, capped.headers["content-length"]).pipe(
        Effect.timeout("2 seconds"),
        Effect.either
      )
      expect(Either.isLeft(read) && read.left._tag).toBe("TimeoutException")
      yield* waitUntil("the capped read's connection closes", () => server.closed("/capped"))

      // the response's own readers: a stream and a whole-body read, each interrupted
      const streamed = yield* client.get(`${server.url}/stream`)
      const drained = yield* Stream.runDrain(streamed.stream).pipe(Effect.timeout("2 seconds"), Effect.either)
      expect(Either.isLeft(drained) && drained.left._tag).toBe("TimeoutException")
      yield* waitUntil("the interrupted stream's connection closes", () => server.closed("/stream"))
      const whole = yield* client.get(`${server.url}/text`)
      const text = yield* whole.text.pipe(Effect.timeout("2 seconds"), Effect.either)
      expect(Either.isLeft(text) && text.left._tag).toBe("TimeoutException")
      yield* waitUntil("the interrupted text read's connection closes", () => server.closed("/text"))

      // through the library: the attempt's timeout interrupts its read of the body
      const library = yield* libraryAt(server.url)
      const failure = yield* Effect.flip(library.execute({ method: "GET", path: "/v3/stalled" }))
      expect(failure._tag).toBe("TransportError")
      expect(failure.message).toContain("timeout")
      yield* waitUntil("the library's stalled read's connection closes", () => server.closed("/v3/stalled"))
    }))

  it.scopedLive("the library's direct reader is taken for UndiciHttpClient, NodeHttpClient.layerUndici and fetch", () =>
    Effect.gen(function*() {
      // a BOM, then a character split across the first two chunks (你 = E4 BD A0)
      const sent = [
        Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("héllo ", "utf8"), Buffer.from([0xe4, 0xbd])]),
        Buffer.concat([Buffer.from([0xa0]), Buffer.from("好 world", "utf8")]),
        Buffer.from("!", "utf8")
      ]
      const expected = "\uFEFFhéllo 你好 world!"
      expect(decodeKeepingBom(Buffer.concat(sent))).toBe(expected)
      const server = yield* serve((_req, res) => {
        res.writeHead(200, { "content-type": "application/json" })
        res.write(sent[0])
        setTimeout(() => {
          res.write(sent[1])
          setTimeout(() => res.end(sent[2]), 30)
        }, 30)
      })
      const transports = [
        ["UndiciHttpClient.layer", UndiciHttpClient.layer, "node"],
        ["NodeHttpClient.layerUndici", NodeHttpClient.layerUndici, "node"],
        ["FetchHttpClient.layer", FetchHttpClient.layer, "web"]
      ] as const
      const outcomes: Array<readonly [string, string, string]> = []
      for (const [name, layer] of transports) {
        const client = yield* clientOf(layer)
        const response = yield* client.get(`${server.url}/chunks-${name}`)
        const reader = Body.readerOf(response)
        const read = yield* Body.readCapped(response, 1_000_000, response.headers["content-length"])
        outcomes.push([name, reader, read.text])
      }
      expect(outcomes).toEqual(transports.map(([name, , reader]) => [name, reader, expected]))
    }))

  it.scopedLive("maxResponseBytes through the library: a large Content-Length refused unread, an endless body cut", () =>
    Effect.gen(function*() {
      let endlessWritten = 0
      const server = yield* serve((req, res) => {
        if (req.url === "/v3/declared") {
          // announces 100,000 bytes, sends one: reading it would wait until the timeout
          res.writeHead(200, { "content-type": "application/json", "content-length": "100000" })
          res.write("{")
          return
        }
        // chunked, never ending, until the client goes away
        res.writeHead(200, { "content-type": "application/json" })
        const chunk = Buffer.alloc(1024, 0x61)
        const timer = setInterval(() => {
          res.write(chunk)
          endlessWritten += chunk.length
        }, 5)
        res.on("close", () => clearInterval(timer))
      })
      const library = yield* libraryAt(server.url, 4096)

      const declared = yield* Effect.flip(library.execute({ method: "GET", path: "/v3/declared" }))
      expect(declared._tag).toBe("TransportError")
      expect(declared.message).toContain("maxResponseBytes")
      expect(declared.message).toContain("Content-Length is 100000")
      // refused unread, and discarded at once: its connection is closed, not held until collected
      yield* waitUntil("the refused answer's connection closes", () => server.closed("/v3/declared"))

      const endless = yield* Effect.flip(library.execute({ method: "GET", path: "/v3/endless" }))
      expect(endless._tag).toBe("TransportError")
      expect(endless.message).toContain("maxResponseBytes")
      expect(endless.message).not.toContain("timeout")
      yield* waitUntil("the endless answer's connection closes", () => server.closed("/v3/endless"))
      expect(endlessWritten).toBeGreaterThan(4096)
    }))

  it.scopedLive("keep-alive: sequential requests share one connection, closed by the client once idle", () =>
    Effect.gen(function*() {
      expect(UndiciHttpClient.DEFAULT_KEEP_ALIVE_TIMEOUT).toBe(4000)
      const server = yield* serve((req, res) => {
        // an explicit `Connection: keep-alive` keeps node from adding `Keep-Alive: timeout=30`,
        // which undici would adopt (minus 2 s) in place of the agent's keepAliveTimeout
        res.writeHead(200, { "content-type": "text/plain", connection: "keep-alive" })
        res.end(`answer to ${req.url}`)
      })
      const short = yield* clientOf(UndiciHttpClient.layerWith({ keepAliveTimeout: 1_000 }))
      const long = yield* clientOf(UndiciHttpClient.layerWith({ keepAliveTimeout: 60_000 }))

      expect(yield* Effect.flatMap(short.get(`${server.url}/short/1`), (r) => r.text)).toBe("answer to /short/1")
      yield* nextLoopTurn
      expect(yield* Effect.flatMap(short.get(`${server.url}/short/2`), (r) => r.text)).toBe("answer to /short/2")
      expect(server.connections()).toBe(1)
      expect(server.connectionOf("/short/2")).toBe(server.connectionOf("/short/1"))

      expect(yield* Effect.flatMap(long.get(`${server.url}/long/1`), (r) => r.text)).toBe("answer to /long/1")
      expect(server.connections()).toBe(2)

      // the server keeps connections 30 s: a close within 10 s comes from the client
      yield* waitUntil("the idle connection of keepAliveTimeout 1 s closes", () => server.closed("/short/1"))
      // and it is the option that closed it: the 60-second one, idle just as long, is still open
      yield* Effect.sleep("1 second")
      expect(server.closed("/long/1")).toBe(false)

      // a server that hints a longer keep-alive (node's default `Keep-Alive: timeout=30`) does not
      // lengthen the bound: the hint may shorten it, never lengthen it
      const hinting = yield* serve((req, res) => {
        res.writeHead(200, { "content-type": "text/plain" })
        res.end(`answer to ${req.url}`)
      })
      const answer = yield* short.get(`${hinting.url}/hinted`)
      expect(answer.headers["keep-alive"]).toBe("timeout=30")
      expect(yield* answer.text).toBe("answer to /hinted")
      yield* waitUntil("the hinted connection closes after the client's 1 s", () => hinting.closed("/hinted"))
    }))

  it.scopedLive("an unread answer is destroyed once garbage-collected: its connection is freed", () =>
    Effect.gen(function*() {
      v8.setFlagsFromString("--expose-gc")
      const gc: unknown = vm.runInNewContext("gc")
      if (typeof gc !== "function") throw new Error("cannot force garbage collection")
      const collect = gc as () => void

      const server = yield* serve((req, res) => {
        if (req.url === "/after") {
          res.end("after")
          return
        }
        // the headers and one chunk, then nothing: the answer holds its connection
        res.writeHead(200, { "content-type": "application/json" })
        res.write(`{"partial":`)
      })
      // one connection: while the unread answer holds it, nothing else can be sent
      const client = yield* clientOf(UndiciHttpClient.layerWith({ connections: 1 }))
      // the answer is dropped unread: only its status leaves this effect
      const status = yield* Effect.map(client.get(`${server.url}/unread`), (response) => response.status)
      expect(status).toBe(200)

      yield* waitUntil("the unread answer's connection closes after a collection", () => {
        collect()
        return server.closed("/unread")
      })
      const after = yield* Effect.flatMap(client.get(`${server.url}/after`), (r) => r.text).pipe(
        Effect.timeout("5 seconds")
      )
      expect(after).toBe("after")
    }))
})
