/**
 * A real HTTP server on 127.0.0.1 (port 0), started and closed by the test's scope, and a WeChat
 * Pay answer signed for real with the fixtures' keys.
 */
import { Effect } from "effect"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { FakeWechatPay } from "../../src/testing/index.js"

export type Handler = (request: Http.IncomingMessage, body: Buffer, response: Http.ServerResponse) => void

/** A server whose handler sees each request with its whole body; its base URL. Closed with the scope. */
export const serve = (handler: Handler) =>
  Effect.acquireRelease(
    Effect.callback<{ readonly server: Http.Server; readonly url: string }>((resume) => {
      const server = Http.createServer((request, response) => {
        const chunks: Array<Buffer> = []
        request.on("data", (chunk: Buffer) => chunks.push(chunk))
        request.on("end", () => handler(request, Buffer.concat(chunks), response))
      })
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo
        resume(Effect.succeed({ server, url: `http://127.0.0.1:${port}` }))
      })
    }),
    ({ server }) =>
      Effect.callback<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  )

/** A server that hands every request to a web handler (`Request` in, `Response` out), body streamed. */
export const serveWeb = (handler: (request: Request) => Promise<Response>) =>
  Effect.acquireRelease(
    Effect.callback<{ readonly server: Http.Server; readonly url: string }>((resume) => {
      const server = Http.createServer((incoming, outgoing) => {
        const body = incoming.method === "GET" || incoming.method === "HEAD"
          ? undefined
          : new ReadableStream<Uint8Array>({
            start(controller) {
              incoming.on("data", (chunk: Buffer) => controller.enqueue(new Uint8Array(chunk)))
              incoming.on("end", () => controller.close())
              incoming.on("error", (e) => controller.error(e))
            }
          })
        const headers = new Headers()
        for (const [name, value] of Object.entries(incoming.headers)) {
          if (typeof value === "string") headers.set(name, value)
        }
        const request = new Request(`http://127.0.0.1${incoming.url}`, {
          method: incoming.method ?? "GET",
          headers,
          ...(body === undefined ? {} : { body, duplex: "half" })
        } as RequestInit)
        handler(request).then(async (response) => {
          const out: Record<string, string> = {}
          response.headers.forEach((value, name) => (out[name] = value))
          outgoing.writeHead(response.status, out)
          outgoing.end(Buffer.from(await response.arrayBuffer()))
        }, () => {
          outgoing.writeHead(500)
          outgoing.end()
        })
      })
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo
        resume(Effect.succeed({ server, url: `http://127.0.0.1:${port}` }))
      })
    }),
    ({ server }) =>
      Effect.callback<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  )

/** Writes a WeChat Pay answer signed with `key` (the WeChat Pay public key by default). */
export const answer = (
  response: Http.ServerResponse,
  status: number,
  body: string,
  options: { readonly key?: FakeWechatPay.SigningKey | false; readonly headers?: Record<string, string> } = {}
): void => {
  const send = (signed: Record<string, string>) => {
    response.writeHead(status, {
      "content-type": "application/json",
      "request-id": "REAL-SERVER-REQUEST-ID",
      ...signed,
      ...options.headers
    })
    response.end(status === 204 ? undefined : body)
  }
  if (options.key === false) return send({})
  void FakeWechatPay.signAnswer({
    key: options.key ?? FakeWechatPay.keys.publicKey,
    body,
    timestamp: Math.floor(Date.now() / 1000)
  }).then(send)
}
