/**
 * The sandbox engine served over HTTP on 127.0.0.1 (Node's `http`): the body read whole, handed to
 * the engine, its answer written (a reset destroys the socket; a delay waits first). Closing ends
 * every connection.
 *
 * @internal
 */
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import type { Engine } from "./engine.js"
import type { Fault, SandboxProblem } from "./types.js"

/** The only host the sandbox binds. @internal */
export const HOST = "127.0.0.1"

/** @internal */
export interface Served {
  readonly baseUrl: string
  readonly port: number
  readonly close: () => Promise<void>
}

const flattenHeaders = (headers: Http.IncomingHttpHeaders): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value
  }
  return out
}

const readBody = (req: Http.IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => resolve(Buffer.concat(chunks)))
    req.on("error", reject)
  })

/**
 * Serves `engine` on `port` (0: a free one). `onError` hears what could not be answered (a bug of
 * the sandbox): the request gets a 500.
 *
 * @internal
 */
export const serve = <F extends Fault>(
  engine: Engine<F>,
  port: number,
  onError: (cause: unknown) => void
): Promise<Served | SandboxProblem> =>
  new Promise((resolve) => {
    const answer = async (req: Http.IncomingMessage, res: Http.ServerResponse): Promise<void> => {
      res.on("error", () => {})
      try {
        const bytes = await readBody(req)
        const action = await engine.handle({
          method: req.method ?? "GET",
          url: req.url ?? "/",
          headers: flattenHeaders(req.headers),
          body: bytes.toString("utf8"),
          bodyBytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
        })
        if (action._tag === "Reset") {
          req.socket.destroy()
          return
        }
        if (action.delayMillis !== undefined) await new Promise((wake) => setTimeout(wake, action.delayMillis))
        if (res.destroyed || res.headersSent) return
        // a 204 has no body and no Content-Length (RFC 9110 §8.6)
        res.writeHead(
          action.status,
          action.status === 204
            ? action.headers
            : { ...action.headers, "content-length": String(Buffer.byteLength(action.body)) }
        )
        res.end(action.body)
      } catch (cause) {
        onError(cause)
        if (!res.headersSent && !res.destroyed) {
          res.writeHead(500, { "content-type": "application/json" })
          res.end(JSON.stringify({ code: "SYSTEM_ERROR", message: "the sandbox failed to answer" }))
        }
      }
    }
    const server = Http.createServer((req, res) => void answer(req, res))
    const onListenError = (error: NodeJS.ErrnoException) =>
      resolve({
        _tag: "SandboxProblem",
        option: "port",
        message: `port: the sandbox cannot listen on ${HOST}:${port} (${error.code ?? error.message})`
      })
    server.once("error", onListenError)
    server.listen({ port, host: HOST }, () => {
      server.off("error", onListenError)
      server.on("error", () => {})
      const address = server.address() as AddressInfo
      resolve({
        baseUrl: `http://${HOST}:${address.port}`,
        port: address.port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done())
            server.closeAllConnections()
          })
      })
    })
  })
