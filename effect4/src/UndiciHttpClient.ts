/**
 * An Effect 4 `HttpClient` over undici, with the transport the library's calls take over it: the
 * core's undici transport (`src/transport/undici.ts`, shared with the Effect 3 line), one
 * `dispatch` per attempt, the answer collected with the cap, no body stream. Any other request
 * through this `HttpClient` (yours, or the library's when you wrap the client in middleware) is
 * sent with `dispatcher.request` and answered as a web `Response` (`HttpClientResponse.fromWeb`).
 *
 * - Connections are kept alive and reused, closed after `keepAliveTimeout` idle (default 4
 *   seconds: under WeChat Pay's 8-second keep-alive). A server's `Keep-Alive: timeout=N` hint may
 *   shorten that, never lengthen it.
 * - Interrupting a request aborts it.
 * - Failures are `HttpClientError`s whose `reason` is a `TransportError` (undici's error as
 *   `cause`, whose `code`, e.g. `ECONNREFUSED`, tells a request that never left) or an
 *   `EncodeError`.
 *
 * Requires the `undici` package (an optional peer dependency; `npm install undici`).
 *
 * ```ts
 * import { WechatPay } from "effect-wechatpay/effect4"
 * import { UndiciHttpClient } from "effect-wechatpay/effect4/undici"
 *
 * const WechatPayLive = WechatPay.layer(options).pipe(Layer.provide(UndiciHttpClient.layer))
 * ```
 *
 * @since 0.2.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientError from "effect/http/HttpClientError"
import type * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import { Readable } from "node:stream"
import type { ReadableStream as NodeReadableStream } from "node:stream/web"
import * as Undici from "undici"
import * as UndiciTransport from "../../src/transport/undici.js"
import { WechatPayTransport } from "./services/WechatPayTransport.js"

/**
 * @since 0.2.0
 * @category models
 */
export interface Options {
  /** How long an idle connection is kept for reuse. Default 4 seconds (WeChat Pay closes after 8). */
  readonly keepAliveTimeout?: number | undefined
  /** The most connections per origin. Default: no limit (undici's default). */
  readonly connections?: number | undefined
}

/**
 * The default idle bound of a kept-alive connection: 4 seconds, under WeChat Pay's 8.
 *
 * @since 0.2.0
 * @category constants
 */
export const DEFAULT_KEEP_ALIVE_TIMEOUT = 4_000

type UndiciBody = Exclude<Undici.Dispatcher.RequestOptions["body"], undefined>

/** A request body as undici sends it, and the `Content-Type` it brings when the request has none. */
interface Encoded {
  readonly body: UndiciBody
  readonly contentType?: string | undefined
}

const encodeError = (request: HttpClientRequest.HttpClientRequest, cause: unknown, description?: string) =>
  new HttpClientError.HttpClientError({
    reason: new HttpClientError.EncodeError({
      request,
      cause,
      ...(description === undefined ? {} : { description })
    })
  })

const requestBody = (
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<Encoded, HttpClientError.HttpClientError> => {
  const body = request.body
  switch (body._tag) {
    case "Empty":
      return Effect.succeed({ body: null })
    case "Uint8Array":
      return Effect.succeed({ body: body.body })
    case "FormData":
      // the runtime's own Response encodes it (multipart, with its boundary)
      return Effect.tryPromise({
        try: async () => {
          const encoded = new Response(body.formData)
          return {
            body: new Uint8Array(await encoded.arrayBuffer()),
            contentType: encoded.headers.get("content-type") ?? undefined
          }
        },
        catch: (cause) => encodeError(request, cause)
      })
    case "Raw": {
      const raw: unknown = body.body
      if (typeof raw === "string" || raw instanceof Uint8Array || raw instanceof Readable) {
        return Effect.succeed({ body: raw })
      }
      return Effect.fail(encodeError(request, raw, "a Raw body must be a string, a Uint8Array or a Node Readable"))
    }
    case "Stream":
      return Effect.map(
        Stream.toReadableStreamEffect(body.stream),
        (web) => ({ body: Readable.fromWeb(web as NodeReadableStream) })
      )
  }
}

/** undici's answer headers as web `Headers` (repeated headers appended). */
const webHeaders = (headers: Undici.Dispatcher.ResponseData["headers"]): globalThis.Headers => {
  const out = new globalThis.Headers()
  for (const [name, value] of Object.entries(headers)) {
    if (Array.isArray(value)) { for (const v of value) out.append(name, v) }
    else if (value !== undefined) out.append(name, value)
  }
  return out
}

/**
 * An `HttpClient` over a dispatcher you own (an `Agent`, a `Pool`, a `MockAgent` in tests): you
 * close it.
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = (dispatcher: Undici.Dispatcher): HttpClient.HttpClient =>
  HttpClient.make((request, url, signal) =>
    Effect.flatMap(requestBody(request), (encoded) =>
      Effect.tryPromise({
        try: async () => {
          const data = await dispatcher.request<null>({
            method: request.method as Undici.Dispatcher.HttpMethod,
            origin: url.origin,
            path: url.pathname + url.search,
            headers: encoded.contentType === undefined || request.headers["content-type"] !== undefined
              ? request.headers
              : { ...request.headers, "content-type": encoded.contentType },
            body: encoded.body,
            signal,
            opaque: null
          })
          const status = data.statusCode
          const empty = status === 204 || status === 205 || status === 304 || request.method === "HEAD"
          if (empty) data.body.resume()
          return HttpClientResponse.fromWeb(
            request,
            new Response(empty ? null : (Readable.toWeb(data.body) as unknown as ReadableStream<Uint8Array>), {
              status,
              headers: webHeaders(data.headers)
            })
          )
        },
        catch: (cause) =>
          new HttpClientError.HttpClientError({ reason: new HttpClientError.TransportError({ request, cause }) })
      }))
  )

/**
 * The `HttpClient` of `dispatcher`, and the `WechatPayTransport` standing for it: the library's calls
 * over this client go straight to `dispatcher.dispatch` (no body stream), the same attempt as over
 * any other transport. You close the dispatcher.
 *
 * @since 0.2.0
 * @category layers
 */
export const layerDispatcher = (
  dispatcher: Undici.Dispatcher
): Layer.Layer<HttpClient.HttpClient | WechatPayTransport> => {
  const client = make(dispatcher)
  return Layer.succeedContext(
    Context.make(HttpClient.HttpClient, client).pipe(
      Context.add(WechatPayTransport, { client, transport: UndiciTransport.make(dispatcher) })
    )
  )
}

/**
 * The `HttpClient` layer over its own undici `Agent` (kept-alive connections closed after
 * `keepAliveTimeout` idle), closed with the layer's scope; with it, the `WechatPayTransport` that
 * runs the library's calls straight over the same `Agent` (see `layerDispatcher`). Wrap the
 * `HttpClient` in middleware and the library's calls go through the middleware instead.
 *
 * @since 0.2.0
 * @category layers
 */
export const layerWith = (options: Options = {}): Layer.Layer<HttpClient.HttpClient | WechatPayTransport> =>
  Layer.unwrap(
    Effect.map(
      Effect.acquireRelease(
        Effect.sync(() =>
          new Undici.Agent({
            keepAliveTimeout: options.keepAliveTimeout ?? DEFAULT_KEEP_ALIVE_TIMEOUT,
            // a server's `Keep-Alive: timeout=N` hint may shorten the idle bound, never lengthen it
            keepAliveMaxTimeout: options.keepAliveTimeout ?? DEFAULT_KEEP_ALIVE_TIMEOUT,
            ...(options.connections === undefined ? {} : { connections: options.connections })
          })
        ),
        (agent) => Effect.promise(() => agent.destroy())
      ),
      layerDispatcher
    )
  )

/**
 * `layerWith()`: connections kept alive 4 seconds idle.
 *
 * @since 0.2.0
 * @category layers
 */
export const layer: Layer.Layer<HttpClient.HttpClient | WechatPayTransport> = layerWith()
