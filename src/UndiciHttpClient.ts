/**
 * A lean `HttpClient` over undici, for the fastest calls (`effect-wechatpay/undici`).
 *
 * The library works over any `HttpClient` (`FetchHttpClient.layer`, `NodeHttpClient.layerUndici`,
 * your own). This one is the same undici, driven directly: a request is one `dispatcher.request`
 * and an answer wraps undici's `ResponseData` as it is. It skips what `HttpClient.make` does around
 * every request (a span, URL re-parsing, an `AbortController` registered with a
 * `FinalizationRegistry`, a wrapper per answer), which costs more CPU than undici itself and, on a
 * busy process, a third of the throughput (see BENCHMARKS.md).
 *
 * - Connections are kept alive and reused, closed after `keepAliveTimeout` idle (default 4
 *   seconds: under WeChat Pay's 8-second keep-alive, so a request never goes out on a connection
 *   the server is closing). A server's `Keep-Alive: timeout=N` hint may shorten that, never
 *   lengthen it.
 * - Interrupting a request (a timeout) aborts it; interrupting the read of an answer (`text`,
 *   `json`, `arrayBuffer`, `stream`, the library's capped reader) destroys its body. An answer whose
 *   body is never read is destroyed when it is garbage-collected, so its connection is not held
 *   forever. The body is read once: `text` then `arrayBuffer` (or any two readers) both work.
 * - Failures are `RequestError` (`Transport`, with undici's error as `cause`, whose `code`, e.g.
 *   `ECONNREFUSED`, tells a request that never left) and `ResponseError` (`Decode`).
 * - Request bodies: empty, bytes, text, JSON, a `Stream`, or a `FormData` (Node's global one
 *   included, encoded by the runtime, which the undici package cannot do by itself).
 * - It is an `HttpClient` like any other: the library runs every call through it on the one request
 *   path it runs over `FetchHttpClient` or `NodeHttpClient`, and any middleware you add applies.
 *
 * Requires the `undici` package (an optional peer dependency; `npm install undici`).
 *
 * ```ts
 * import { WechatPay } from "effect-wechatpay"
 * import { UndiciHttpClient } from "effect-wechatpay/undici"
 *
 * const WechatPayLive = WechatPay.layer(options).pipe(Layer.provide(UndiciHttpClient.layer))
 * ```
 *
 * @since 0.1.0
 */
import * as Cookies from "@effect/platform/Cookies"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { Readable } from "node:stream"
import type { ReadableStream as NodeReadableStream } from "node:stream/web"
import * as Undici from "undici"
import { WechatPayTransport } from "./services/WechatPayTransport.js"
import * as UndiciTransport from "./transport/undici.js"

/**
 * @since 0.1.0
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
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_KEEP_ALIVE_TIMEOUT = 4_000

// ---------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------

/** Destroys the body of an answer that was garbage-collected unread (its connection is freed). */
const unread = new FinalizationRegistry<Readable>((body) => {
  if (!body.readableEnded && !body.destroyed) body.destroy()
})

class UndiciResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpIncomingMessage.TypeId]: HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  readonly request: HttpClientRequest.HttpClientRequest
  /** undici's answer: `statusCode`, `headers`, `body` (a Node `Readable`). */
  readonly source: Undici.Dispatcher.ResponseData
  private cachedHeaders: Headers.Headers | undefined
  private cachedCookies: Cookies.Cookies | undefined
  private bodyBytes: Promise<Uint8Array<ArrayBuffer>> | undefined

  constructor(request: HttpClientRequest.HttpClientRequest, source: Undici.Dispatcher.ResponseData) {
    super()
    this.request = request
    this.source = source
    // an error after the read is over (a reset) is not a crash
    source.body.on("error", ignore)
    unread.register(this, source.body, this)
  }

  get status(): number {
    return this.source.statusCode
  }

  get headers(): Headers.Headers {
    return this.cachedHeaders ??= Headers.fromInput(
      this.source.headers as Readonly<Record<string, string | ReadonlyArray<string> | undefined>>
    )
  }

  get cookies(): Cookies.Cookies {
    if (this.cachedCookies !== undefined) return this.cachedCookies
    const header = this.source.headers["set-cookie"]
    return this.cachedCookies = header === undefined
      ? Cookies.empty
      : Cookies.fromSetCookie(Array.isArray(header) ? header : [header])
  }

  get remoteAddress(): Option.Option<string> {
    return Option.none()
  }

  private decodeError(cause: unknown) {
    return new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
  }

  /**
   * The whole body, read once and shared by every reader (`text` then `arrayBuffer` both work).
   * Interrupting the read (a timeout) destroys the body, which frees its connection.
   */
  private bytes(): Effect.Effect<Uint8Array<ArrayBuffer>, HttpClientError.ResponseError> {
    return Effect.tryPromise({
      try: (signal) => {
        unread.unregister(this)
        const body = this.source.body
        const onAbort = () => {
          if (!body.readableEnded) body.destroy()
        }
        signal.addEventListener("abort", onAbort, { once: true })
        this.bodyBytes ??= body.arrayBuffer().then((buffer) => new Uint8Array(buffer))
        return this.bodyBytes.finally(() => signal.removeEventListener("abort", onAbort))
      },
      catch: (cause) => this.decodeError(cause)
    })
  }

  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    // as the platform's readers: UTF-8, a leading BOM dropped
    return Effect.map(this.bytes(), (bytes) => textDecoder.decode(bytes))
  }

  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.flatMap(
      this.text,
      (text) =>
        Effect.try({ try: () => text === "" ? null : JSON.parse(text) as unknown, catch: (e) => this.decodeError(e) })
    )
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return Effect.map(this.bytes(), (bytes) => bytes.slice().buffer as ArrayBuffer)
  }

  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return Effect.flatMap(this.bytes(), (bytes) =>
      Effect.tryPromise({
        try: () => {
          const type = this.source.headers["content-type"]
          return new Response(bytes, typeof type === "string" ? { headers: { "content-type": type } } : {})
            .formData()
        },
        catch: (e) => this.decodeError(e)
      }))
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return Effect.flatMap(this.text, (text) =>
      Effect.try({
        try: () => UrlParams.fromInput(new URLSearchParams(text)),
        catch: (e) => this.decodeError(e)
      }))
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    return Stream.suspend(() => {
      unread.unregister(this)
      const body = this.source.body
      return Stream.async<Uint8Array, HttpClientError.ResponseError>((emit) => {
        const onData = (chunk: Uint8Array) => {
          // back-pressure: the body waits while the stream's buffer is full
          body.pause()
          void emit.single(chunk).then(() => body.resume())
        }
        const onEnd = () => void emit.end()
        const onError = (cause: unknown) => void emit.fail(this.decodeError(cause))
        body.on("data", onData)
        body.once("end", onEnd)
        body.once("error", onError)
        // an interrupted or abandoned read destroys the body, which frees its connection
        return Effect.sync(() => {
          body.off("data", onData)
          body.off("end", onEnd)
          body.off("error", onError)
          if (!body.readableEnded) body.destroy()
        })
      })
    })
  }

  toJSON(): unknown {
    return HttpIncomingMessage.inspect(this, {
      _id: "@effect/platform/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status
    })
  }
}

const ignore = (): void => {}

const textDecoder = new TextDecoder()

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

type UndiciBody = Exclude<Undici.Dispatcher.RequestOptions["body"], undefined>

/** A request body as undici sends it, and the `Content-Type` it brings when the request has none. */
interface Encoded {
  readonly body: UndiciBody
  readonly contentType?: string | undefined
}

const noBody: Effect.Effect<Encoded> = Effect.succeed({ body: null })

const requestBody = (
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<Encoded, HttpClientError.RequestError> => {
  const body = request.body
  switch (body._tag) {
    case "Empty":
      return noBody
    case "Uint8Array":
      return Effect.succeed({ body: body.body })
    case "FormData":
      // Node's global FormData comes from its bundled copy of undici, which the undici package
      // cannot encode: the runtime's own Response encodes it (multipart, with its boundary)
      return Effect.tryPromise({
        try: async () => {
          const encoded = new Response(body.formData)
          return {
            body: new Uint8Array(await encoded.arrayBuffer()),
            contentType: encoded.headers.get("content-type") ?? undefined
          }
        },
        catch: (cause) => new HttpClientError.RequestError({ request, reason: "Encode", cause })
      })
    case "Raw": {
      const raw = body.body
      if (typeof raw === "string" || raw instanceof Uint8Array || raw instanceof Readable) {
        return Effect.succeed({ body: raw })
      }
      return Effect.fail(
        new HttpClientError.RequestError({
          request,
          reason: "Encode",
          description: "a Raw body must be a string, a Uint8Array or a Node Readable"
        })
      )
    }
    case "Stream":
      return Effect.map(Effect.runtime<never>(), (runtime) => ({
        body: Readable.fromWeb(Stream.toReadableStreamRuntime(body.stream, runtime) as NodeReadableStream)
      }))
  }
}

const urlOf = (request: HttpClientRequest.HttpClientRequest): Either.Either<URL, unknown> =>
  request.urlParams.length === 0 && Option.isNone(request.hash)
    ? Either.try(() => new URL(request.url))
    : UrlParams.makeUrl(request.url, request.urlParams, request.hash)

/**
 * An `HttpClient` over a dispatcher you own (an `Agent`, a `Pool`, a `MockAgent` in tests): you
 * close it.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (dispatcher: Undici.Dispatcher): HttpClient.HttpClient =>
  HttpClient.makeWith(
    (effect: Effect.Effect<HttpClientRequest.HttpClientRequest>) =>
      Effect.flatMap(effect, (request) => {
        const url = urlOf(request)
        if (Either.isLeft(url)) {
          return Effect.fail(new HttpClientError.RequestError({ request, reason: "InvalidUrl", cause: url.left }))
        }
        return Effect.flatMap(requestBody(request), (encoded) =>
          Effect.async<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>((resume) => {
            const controller = new AbortController()
            dispatcher.request<null>({
              method: request.method as Undici.Dispatcher.HttpMethod,
              origin: url.right.origin,
              path: url.right.pathname + url.right.search,
              headers: encoded.contentType === undefined || request.headers["content-type"] !== undefined
                ? request.headers
                : { ...request.headers, "content-type": encoded.contentType },
              body: encoded.body,
              signal: controller.signal,
              opaque: null
            }).then(
              (data) => resume(Effect.succeed(new UndiciResponse(request, data))),
              (cause: unknown) =>
                resume(Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause })))
            )
            return Effect.sync(() => controller.abort())
          }))
      }),
    Effect.succeed
  )

/**
 * The `HttpClient` of `dispatcher`, and the `WechatPayTransport` standing for it: the library's calls
 * over this client go straight to `dispatcher.dispatch` (no body stream), the same attempt as over
 * any other transport. You close the dispatcher.
 *
 * @since 0.1.0
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
 * @since 0.1.0
 * @category layers
 */
export const layerWith = (options: Options = {}): Layer.Layer<HttpClient.HttpClient | WechatPayTransport> =>
  Layer.unwrapScoped(
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
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<HttpClient.HttpClient | WechatPayTransport> = layerWith()
