/**
 * A node:http server on loopback (127.0.0.1, a free port) that records what it receives — the
 * request target exactly as received, the body bytes, the connection each came on — and which
 * connections close, so a test can prove the client closed one; and a port nothing listens on.
 */
import { Effect } from "effect"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import * as Net from "node:net"

export interface Received {
  readonly method: string
  /** The request target exactly as received: path and query. */
  readonly url: string
  readonly headers: Http.IncomingHttpHeaders
  /** The body bytes exactly as received. */
  readonly body: Buffer
  /** The id of the connection it came on (1, 2, … in order of `connection` events). */
  readonly connection: number
}

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  readonly received: Array<Received>
  /** How many connections the server accepted. */
  readonly connections: () => number
  /** The connection the (first) request to `path` (path and query) came on. */
  readonly connectionOf: (path: string) => number
  /** Whether the connection the request to `path` came on is closed. */
  readonly closed: (path: string) => boolean
}

export type Handler = (req: Http.IncomingMessage, res: Http.ServerResponse, received: Received) => void

/**
 * A node:http server on 127.0.0.1 (a free port) whose keep-alive timeout is 30 seconds, so that
 * within a test any connection closing is closed by the client; closed with the test's scope.
 */
export const serve = (handler: Handler) =>
  Effect.acquireRelease(
    Effect.async<{ readonly server: Http.Server; readonly testServer: TestServer }>((resume) => {
      const received: Array<Received> = []
      const closedConnections = new Set<number>()
      const ids = new WeakMap<Net.Socket, number>()
      let connections = 0
      const server = Http.createServer((req, res) => {
        const chunks: Array<Buffer> = []
        req.on("data", (chunk: Buffer) => chunks.push(chunk))
        req.on("end", () => {
          const entry: Received = {
            method: req.method ?? "",
            url: req.url ?? "",
            headers: req.headers,
            body: Buffer.concat(chunks),
            connection: ids.get(req.socket) ?? 0
          }
          received.push(entry)
          handler(req, res, entry)
        })
      })
      server.keepAliveTimeout = 30_000
      server.on("connection", (socket: Net.Socket) => {
        const id = ++connections
        ids.set(socket, id)
        socket.on("close", () => closedConnections.add(id))
      })
      const connectionOf = (path: string): number => {
        const request = received.find((r) => r.url === path)
        if (request === undefined) throw new Error(`the server received no request to ${path}`)
        return request.connection
      }
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo
        resume(Effect.succeed({
          server,
          testServer: {
            url: `http://127.0.0.1:${port}`,
            received,
            connections: () => connections,
            connectionOf,
            closed: (path) => received.some((r) => r.url === path) && closedConnections.has(connectionOf(path))
          }
        }))
      })
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map(({ testServer }) => testServer))

/** Waits (live clock) until `check` holds; dies after `seconds`. */
export const waitUntil = (what: string, check: () => boolean, seconds = 10) =>
  Effect.gen(function*() {
    const deadline = Date.now() + seconds * 1000
    while (!check()) {
      if (Date.now() > deadline) return yield* Effect.die(new Error(`gave up after ${seconds} s waiting for: ${what}`))
      yield* Effect.sleep("20 millis")
    }
  })

/** A port that was just bound on 127.0.0.1 and closed again: nothing listens there. */
export const closedPort = Effect.async<number>((resume) => {
  const server = Net.createServer()
  server.listen(0, "127.0.0.1", () => {
    const { port } = server.address() as AddressInfo
    server.close(() => resume(Effect.succeed(port)))
  })
})
