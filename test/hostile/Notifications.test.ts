/**
 * The notification endpoint (`PayScoreNotifications.httpApp` on `NodeHttpServer`, 127.0.0.1) under a
 * raw `net` client that writes every byte: a chunked body over `maxBodyBytes` is answered 413 (it
 * used to get a dropped connection), a body trickled past `bodyTimeout` is answered 408 (it used to
 * hold the connection as long as the client liked), a `Content-Length` over the cap is still 413,
 * and a body that is not UTF-8 never verifies (401); a `Content-Length` of 8 MiB followed by a few
 * bytes, or by a slow stream, is answered 413 at once.
 */
import { HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Layer, Logger, LogLevel } from "effect"
import { createServer } from "node:http"
import * as Net from "node:net"
import { PayScoreNotifications } from "../../src/index.js"
import { notificationsLayer, serveNotifications } from "../helpers/notifications.js"

const serve = (options: PayScoreNotifications.HttpAppOptions) =>
  Effect.gen(function*() {
    const app = PayScoreNotifications.httpApp(() => Effect.void, options)
    const context = yield* Layer.build(
      HttpServer.serve(app).pipe(
        Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" })),
        Layer.provide(notificationsLayer())
      )
    ).pipe(Logger.withMinimumLogLevel(LogLevel.None))
    const address = Context.get(context, HttpServer.HttpServer).address
    if (address._tag !== "TcpAddress") return yield* Effect.dieMessage("not a TCP server")
    return address.port
  })

/**
 * Sends `head`, then `feed(socket)` writes the body its own way; resolves with what came back
 * (until the server closes, or `waitMillis`) and how long the answer took.
 */
const exchange = (port: number, head: string, feed: (socket: Net.Socket) => void, waitMillis = 5_000) =>
  Effect.async<{ readonly answer: string; readonly millis: number }>((resume) => {
    const started = Date.now()
    const socket = Net.connect(port, "127.0.0.1")
    let answer = ""
    let done = false
    const finish = () => {
      if (done) return
      done = true
      clearTimeout(timer)
      socket.destroy()
      resume(Effect.succeed({ answer, millis: Date.now() - started }))
    }
    const timer = setTimeout(finish, waitMillis)
    socket.on("error", finish)
    socket.on("close", finish)
    socket.on("data", (chunk) => {
      answer += chunk.toString("latin1")
      if (/\r\n\r\n[\s\S]*\}/.test(answer)) finish()
    })
    socket.on("connect", () => {
      socket.write(head)
      feed(socket)
    })
    return Effect.sync(finish)
  })

const HEAD = (framing: string) =>
  `POST /payscore/notify HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n${framing}\r\n`

describe("httpApp on a hostile connection", () => {
  it.scopedLive("a chunked body over maxBodyBytes: 413, whether it ends or not", () =>
    Effect.gen(function*() {
      const port = yield* serve({ maxBodyBytes: 1024, bodyTimeout: "2 seconds" })
      const chunk = `200\r\n${"a".repeat(512)}\r\n`
      const finite = yield* exchange(port, HEAD("transfer-encoding: chunked\r\n"), (socket) => {
        for (let i = 0; i < 8; i++) socket.write(chunk)
        socket.write("0\r\n\r\n")
      })
      expect(finite.answer).toMatch(/^HTTP\/1\.1 413 /)
      expect(finite.answer).toContain("larger than 1024 bytes")
      const endless = yield* exchange(port, HEAD("transfer-encoding: chunked\r\n"), (socket) => {
        const timer = setInterval(() => socket.writable ? socket.write(chunk) : clearInterval(timer), 5)
        socket.on("close", () => clearInterval(timer))
      })
      expect(endless.answer).toMatch(/^HTTP\/1\.1 413 /)
    }))

  it.scopedLive("a body trickled one byte at a time past bodyTimeout: 408, then the connection is closed", () =>
    Effect.gen(function*() {
      const port = yield* serve({ bodyTimeout: "600 millis" })
      const trickled = yield* exchange(port, HEAD("content-length: 1000\r\n"), (socket) => {
        const timer = setInterval(() => socket.writable ? socket.write("{") : clearInterval(timer), 100)
        socket.on("close", () => clearInterval(timer))
      })
      expect(trickled.answer).toMatch(/^HTTP\/1\.1 408 /)
      expect(trickled.answer.toLowerCase()).toContain("connection: close")
      expect(trickled.answer).toContain("did not arrive within")
    }))

  it.scopedLive("Content-Length over the cap: 413 unread; a body that is not UTF-8: 401", () =>
    Effect.gen(function*() {
      const port = yield* serve({ maxBodyBytes: 1024 })
      const declared = yield* exchange(port, HEAD("content-length: 5000\r\n"), () => {})
      expect(declared.answer).toMatch(/^HTTP\/1\.1 413 /)
      const bytes = Buffer.concat([Buffer.from(`{"id":"`), Buffer.from([0xff]), Buffer.from(`"}`)])
      const notUtf8 = yield* exchange(
        port,
        HEAD(`content-length: ${bytes.length}\r\n`),
        (socket) => socket.write(bytes)
      )
      expect(notUtf8.answer).toMatch(/^HTTP\/1\.1 401 /)
      expect(notUtf8.answer).toContain("not valid UTF-8")
    }))
})

// ---------------------------------------------------------------------------------------------
// An 8 MiB Content-Length (issue 18, defect 6)
// ---------------------------------------------------------------------------------------------

/**
 * Writes `head`, then `feed(socket)` writes the body its own way; resolves with what came back
 * (until the server closes the connection, or `waitMillis`), how long the first byte of the answer
 * took, and how the connection ended.
 */
const exchangeUntilEnd = (port: number, head: string, feed: (socket: Net.Socket) => void, waitMillis = 4_000) =>
  Effect.async<{ readonly answer: string; readonly firstByteMillis: number | undefined; readonly ended: string }>(
    (resume) => {
      const started = Date.now()
      const socket = Net.connect(port, "127.0.0.1")
      let answer = ""
      let firstByteMillis: number | undefined
      let done = false
      const finish = (ended: string) => {
        if (done) return
        done = true
        clearTimeout(timer)
        socket.destroy()
        resume(Effect.succeed({ answer, firstByteMillis, ended }))
      }
      const timer = setTimeout(() => finish("still open (waited)"), waitMillis)
      socket.on("error", (error: NodeJS.ErrnoException) => finish(`error ${error.code ?? error.message}`))
      socket.on("close", () => finish("closed by the server"))
      socket.on("data", (chunk) => {
        firstByteMillis ??= Date.now() - started
        answer += chunk.toString("latin1")
        if (/\r\n\r\n[\s\S]*\}/.test(answer)) finish("answered")
      })
      socket.on("connect", () => {
        socket.write(head)
        feed(socket)
      })
      return Effect.sync(() => finish("interrupted"))
    }
  )

const EIGHT_MIB_HEAD =
  `POST /payscore/notify HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${
    8 * 1024 * 1024
  }\r\n\r\n`

const statusLine = (answer: string) => answer.split("\r\n")[0] ?? ""

/**
 * Issue 18, defect 6: a notification whose `Content-Length` announces 8 MiB was reported dropped
 * without the 413: the headers say `Content-Length: 8388608` and only a few bytes of body follow
 * (or the body streams slowly); `httpApp` on a real Node server (127.0.0.1) must answer 413
 * promptly. When written, NOT REPRODUCED: both passed (`413 Payload Too Large` with
 * `Connection: close` within a few milliseconds). Also tried then, all answered 413: the whole
 * 8 MiB written at once (raw socket, `node:http`, `fetch`, `Sandbox.notify`), the headers alone,
 * the headers split over two writes, a client half-close after a few bytes, the request on a
 * kept-alive connection after a 204 and pipelined behind one, and under `HttpRouter`. Kept as
 * passing guards.
 */
describe("defect 6: a Content-Length of 8 MiB is answered 413", () => {
  it.scopedLive("a few bytes of body, then nothing: 413 within 1 s", () =>
    Effect.gen(function*() {
      const server = yield* serveNotifications(() => Effect.void)
      const result = yield* exchangeUntilEnd(server.port, EIGHT_MIB_HEAD, (socket) => socket.write(`{"id":"EV-1"`))
      expect({
        status: statusLine(result.answer),
        prompt: result.firstByteMillis !== undefined && result.firstByteMillis < 1_000,
        ended: result.ended
      }).toEqual({ status: expect.stringMatching(/^HTTP\/1\.1 413 /), prompt: true, ended: "answered" })
    }))

  it.scopedLive("a body streamed slowly (1 KiB every 50 ms): 413 within 1 s", () =>
    Effect.gen(function*() {
      const server = yield* serveNotifications(() => Effect.void)
      const result = yield* exchangeUntilEnd(server.port, EIGHT_MIB_HEAD, (socket) => {
        const chunk = "a".repeat(1024)
        const timer = setInterval(() => socket.writable ? socket.write(chunk) : clearInterval(timer), 50)
        socket.on("close", () => clearInterval(timer))
      })
      expect({
        status: statusLine(result.answer),
        prompt: result.firstByteMillis !== undefined && result.firstByteMillis < 1_000,
        ended: result.ended
      }).toEqual({ status: expect.stringMatching(/^HTTP\/1\.1 413 /), prompt: true, ended: "answered" })
    }))
})
