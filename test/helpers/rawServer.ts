/**
 * A raw `net` server on 127.0.0.1 (port 0) that answers each request with bytes the test writes
 * itself: no HTTP library between the test and the wire. It parses only the request head (and a
 * `Content-Length` body), hands the socket to the route of the path, and records every connection
 * and request, so a test can prove a server received nothing, or that a socket was closed.
 */
import { Effect, type Scope } from "effect"
import * as Net from "node:net"
import { FakeWechatPay } from "../../src/testing/index.js"

export interface Received {
  readonly method: string
  readonly path: string
  readonly headers: Record<string, string>
  readonly body: string
}

export type Route = (socket: Net.Socket, request: Received) => unknown

export interface RawServer {
  readonly url: string
  readonly received: Array<Received>
  /** Connections accepted so far. */
  readonly connections: () => number
  /** Connections still open. */
  readonly open: () => number
  /** Connections still open that carried a request (a spare connection a client opened and never used is not one). */
  readonly openWithRequest: () => number
}

export const rawServer = (routes: Record<string, Route>): Effect.Effect<RawServer, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.async<{ server: Net.Server; state: RawServer }>((resume) => {
      const received: Array<Received> = []
      const sockets = new Set<Net.Socket>()
      const carried = new Set<Net.Socket>()
      let connections = 0
      const server = Net.createServer((socket) => {
        connections++
        sockets.add(socket)
        socket.on("close", () => {
          sockets.delete(socket)
          carried.delete(socket)
        })
        socket.on("error", () => {})
        let buffer = Buffer.alloc(0)
        let handled = false
        socket.on("data", (chunk: Buffer) => {
          if (handled) return
          buffer = Buffer.concat([buffer, chunk])
          const end = buffer.indexOf("\r\n\r\n")
          if (end < 0) return
          const lines = buffer.subarray(0, end).toString("latin1").split("\r\n")
          const [method = "", path = ""] = lines[0]!.split(" ")
          const headers: Record<string, string> = {}
          for (const line of lines.slice(1)) {
            const colon = line.indexOf(":")
            headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
          }
          const length = Number(headers["content-length"] ?? "0")
          if (buffer.length < end + 4 + length) return
          handled = true
          const request = { method, path, headers, body: buffer.subarray(end + 4, end + 4 + length).toString("utf8") }
          received.push(request)
          if (!socket.destroyed) carried.add(socket)
          const route = routes[path.split("?")[0]!]
          if (route === undefined) socket.end("HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n")
          else void route(socket, request)
        })
      })
      server.listen(0, "127.0.0.1", () => {
        const port = (server.address() as Net.AddressInfo).port
        resume(Effect.succeed({
          server,
          state: {
            url: `http://127.0.0.1:${port}`,
            received,
            connections: () => connections,
            open: () => sockets.size,
            openWithRequest: () => carried.size
          }
        }))
      })
      ;(server as Net.Server & { sockets?: Set<Net.Socket> }).sockets = sockets
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        for (const socket of (server as Net.Server & { sockets: Set<Net.Socket> }).sockets) socket.destroy()
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map(({ state }) => state))

/** The signature headers of `signedText` by the trusted WeChat Pay public key, as raw header lines. */
export const signedHeaderLines = async (signedText: string): Promise<string> => {
  const headers = await FakeWechatPay.signAnswer({
    key: FakeWechatPay.keys.publicKey,
    body: signedText,
    timestamp: Math.floor(Date.now() / 1000)
  })
  return Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join("")
}

/** A complete signed answer: status line, signature headers, `Content-Length`, the body's bytes. */
export const signedAnswer = async (
  body: Uint8Array | string,
  options: { readonly status?: string; readonly signedText?: string; readonly extra?: string } = {}
): Promise<Buffer> => {
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : Buffer.from(body)
  const signedText = options.signedText ?? bytes.toString("utf8")
  const head = `HTTP/1.1 ${options.status ?? "200 OK"}\r\ncontent-type: application/json\r\n${await signedHeaderLines(
    signedText
  )}${options.extra ?? ""}content-length: ${bytes.length}\r\n\r\n`
  return Buffer.concat([Buffer.from(head, "latin1"), bytes])
}
