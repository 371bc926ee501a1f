/**
 * The notification endpoint (`PayScoreNotifications.httpApp` on `NodeHttpServer`, 127.0.0.1) under a
 * raw `net` client that writes every byte: a chunked body over `maxBodyBytes` is answered 413 (it
 * used to get a dropped connection), a body trickled past `bodyTimeout` is answered 408 (it used to
 * hold the connection as long as the client liked), a `Content-Length` over the cap is still 413,
 * and a body that is not UTF-8 never verifies (401).
 */
import { HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Layer, Logger, LogLevel } from "effect"
import { createServer } from "node:http"
import * as Net from "node:net"
import { PayScoreNotifications } from "../../src/index.js"
import { notificationsLayer } from "../helpers/notifications.js"

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
