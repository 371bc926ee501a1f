/**
 * Reading an answer body with a byte cap (`maxResponseBytes`), fast.
 *
 * The generic way, `response.stream` with a counter, costs about 1 ms of CPU per answer (an Effect
 * `Stream` over the transport's stream: a channel, a queue and a fiber per body), more than RSA
 * signing. So the two platform transports are read directly from what they wrap, with the same
 * cap and the same guarantees, and anything else through the stream:
 *
 * - a web `Response` (`FetchHttpClient`, `HttpClientResponse.fromWeb`): its `ReadableStream`
 *   through a reader, cancelled as soon as the cap is passed;
 * - a Node `Readable` (`NodeHttpClient.layerUndici`, whose response wraps undici's `ResponseData`):
 *   its `data` events, destroyed as soon as the cap is passed;
 * - any other `HttpClientResponse`: `response.stream`, cut at the cap.
 *
 * In every case: refused before a byte is read when `Content-Length` is over the cap; never more
 * than the cap plus one chunk held; interruption (the per-attempt timeout) cancels the read; the
 * bytes are decoded once, whole (a character split across chunks is kept, a leading BOM too: the
 * signature covers the body exactly as sent); an absent body is the empty string.
 *
 * @internal
 */
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as Bytes from "../core/bytes.js"
import { tooLargeCause } from "../core/transport.js"

const textEncoder = new TextEncoder()

/** @internal */
export type Decoded = Bytes.Decoded

const emptyBody: Decoded = { text: "", exact: true }

const decodeExact = Bytes.decodeExact

const tooLarge = (response: HttpClientResponse.HttpClientResponse, maxBytes: number, seen: string) =>
  new HttpClientError.ResponseError({
    request: response.request,
    response,
    reason: "Decode",
    description: "the answer is larger than maxResponseBytes",
    cause: tooLargeCause(maxBytes, seen)
  })

const readFailed = (response: HttpClientResponse.HttpClientResponse, cause: unknown) =>
  new HttpClientError.ResponseError({ request: response.request, response, reason: "Decode", cause })

/** A Node `Readable`, as far as reading it goes. */
interface NodeReadable {
  readonly on: (event: string, listener: (...args: Array<unknown>) => void) => unknown
  readonly off: (event: string, listener: (...args: Array<unknown>) => void) => unknown
  readonly destroy: (error?: Error) => unknown
  readonly readableEnded?: boolean
  readonly readableDidRead?: boolean
  readonly readableFlowing?: boolean | null
  readonly destroyed?: boolean
  /** undici's `BodyReadable`: a body mixin (`text()`, `arrayBuffer()`) has started reading it. */
  readonly bodyUsed?: boolean
  readonly locked?: boolean
}

/** Whether a Node body has been read, or is being read, by someone else (a middleware). */
const nodeTouched = (body: NodeReadable): boolean =>
  body.readableEnded === true || body.readableDidRead === true || body.readableFlowing === true ||
  body.bodyUsed === true || body.locked === true

/** Whether a web body has been read, or is being read, by someone else (a middleware). */
const webTouched = (source: Response): boolean => source.bodyUsed || source.body?.locked === true

const isNodeReadable = (value: unknown): value is NodeReadable =>
  typeof value === "object" && value !== null &&
  typeof (value as NodeReadable).on === "function" && typeof (value as NodeReadable).off === "function" &&
  typeof (value as NodeReadable).destroy === "function" &&
  typeof (value as { readonly pipe?: unknown }).pipe === "function"

const isWebResponse = (value: unknown): value is Response => typeof Response === "function" && value instanceof Response

/**
 * The platform's `HttpClient.make` hands out each answer wrapped: `original` is the transport's
 * response, and `applyInterrupt(effect)` is what its own body readers go through (it takes the
 * answer off the registry that aborts unread answers, and aborts the request if the read is
 * interrupted). A read of `original`'s source goes through it too.
 */
interface Wrapped {
  readonly original: HttpClientResponse.HttpClientResponse
  readonly applyInterrupt: <A, E>(effect: Effect.Effect<A, E>) => Effect.Effect<A, E>
}

const isWrapped = (response: HttpClientResponse.HttpClientResponse): boolean => {
  const wrapped = response as unknown as Partial<Wrapped>
  return typeof wrapped.applyInterrupt === "function" && typeof wrapped.original === "object" &&
    wrapped.original !== null
}

/** What a transport's response wraps: `source`, a web `Response` or undici's `{ body: Readable }`. */
const sourceOf = (response: HttpClientResponse.HttpClientResponse): unknown =>
  (response as unknown as { readonly source?: unknown }).source

/**
 * How `readCapped` reads this answer's body: `"web"` and `"node"` are the direct readers, `"stream"`
 * the generic one (tests pin that both platform transports get a direct reader).
 *
 * @internal
 */
export const readerOf = (response: HttpClientResponse.HttpClientResponse): "web" | "node" | "stream" => {
  const inner = isWrapped(response) ? (response as unknown as Wrapped).original : response
  const source = sourceOf(inner)
  if (isWebResponse(source)) return "web"
  const body = typeof source === "object" && source !== null ? (source as { readonly body?: unknown }).body : undefined
  return isNodeReadable(body) ? "node" : "stream"
}

const readWeb = (
  response: HttpClientResponse.HttpClientResponse,
  source: Response,
  maxBytes: number
): Effect.Effect<Decoded, HttpClientError.ResponseError> => {
  const body = source.body
  if (body === null) return Effect.succeed(emptyBody)
  return Effect.async<Decoded, HttpClientError.ResponseError>((resume) => {
    let reader: ReadableStreamDefaultReader<Uint8Array>
    try {
      reader = body.getReader()
    } catch (cause) {
      // already read or locked: not ours to read
      resume(Effect.fail(readFailed(response, cause)))
      return
    }
    let done = false
    const chunks: Array<Uint8Array> = []
    let total = 0
    const pull = (): void => {
      reader.read().then(
        (result) => {
          if (done) return
          if (result.done) {
            done = true
            resume(Effect.succeed(decodeExact(chunks, total)))
            return
          }
          const chunk = result.value
          total += chunk.byteLength
          if (total > maxBytes) {
            done = true
            reader.cancel().catch(() => {})
            resume(Effect.fail(tooLarge(response, maxBytes, `more than ${maxBytes} bytes sent`)))
            return
          }
          chunks.push(chunk)
          pull()
        },
        (cause: unknown) => {
          if (done) return
          done = true
          resume(Effect.fail(readFailed(response, cause)))
        }
      )
    }
    pull()
    return Effect.sync(() => {
      if (done) return
      done = true
      reader.cancel().catch(() => {})
    })
  })
}

const readNode = (
  response: HttpClientResponse.HttpClientResponse,
  body: NodeReadable,
  maxBytes: number
): Effect.Effect<Decoded, HttpClientError.ResponseError> =>
  Effect.async<Decoded, HttpClientError.ResponseError>((resume) => {
    const chunks: Array<Uint8Array> = []
    let total = 0
    let done = false
    const finish = (): void => {
      done = true
      body.off("data", onData)
      body.off("end", onEnd)
      body.off("error", onError)
      body.off("close", onClose)
    }
    const onData = (chunk: unknown): void => {
      if (done) return
      const bytes = chunk instanceof Uint8Array ? chunk : new TextEncoder().encode(String(chunk))
      total += bytes.byteLength
      if (total > maxBytes) {
        finish()
        body.destroy()
        resume(Effect.fail(tooLarge(response, maxBytes, `more than ${maxBytes} bytes sent`)))
        return
      }
      chunks.push(bytes)
    }
    const onEnd = (): void => {
      if (done) return
      finish()
      resume(Effect.succeed(decodeExact(chunks, total)))
    }
    const onError = (cause: unknown): void => {
      if (done) return
      finish()
      resume(Effect.fail(readFailed(response, cause)))
    }
    const onClose = (): void => {
      if (done) return
      finish()
      resume(Effect.fail(readFailed(response, new Error("the answer body was closed before its end"))))
    }
    body.on("data", onData)
    body.on("end", onEnd)
    body.on("error", onError)
    body.on("close", onClose)
    return Effect.sync(() => {
      if (done) return
      finish()
      body.destroy()
    })
  })

const readStream = (
  response: HttpClientResponse.HttpClientResponse,
  maxBytes: number
): Effect.Effect<Decoded, HttpClientError.ResponseError> =>
  Effect.suspend(() => {
    const chunks: Array<Uint8Array> = []
    let total = 0
    return response.stream.pipe(
      Stream.catchAll((error) => error.reason === "EmptyBody" ? Stream.empty : Stream.fail(error)),
      Stream.runForEach((chunk) => {
        total += chunk.byteLength
        if (total > maxBytes) return Effect.fail(tooLarge(response, maxBytes, `more than ${maxBytes} bytes sent`))
        chunks.push(chunk)
        return Effect.void
      }),
      Effect.map(() => decodeExact(chunks, total))
    )
  })

/**
 * The body of an answer a middleware has read, or started to read, before us
 * (`HttpClient.tap((res) => res.text)`, a logger printing the response): its own readers share
 * one read, so the bytes are taken from `arrayBuffer` (exact; `UndiciHttpClient`'s answers always
 * give them, the platform's when the middleware read `arrayBuffer` too), else from `text`, which
 * the platform decodes lossily (U+FFFD for bytes that are not UTF-8, a leading BOM dropped): such a
 * text is exact only without U+FFFD, and a dropped BOM fails verification. The cap still holds:
 * an answer over it is refused, whoever read it.
 */
const readAfterOthers = (
  response: HttpClientResponse.HttpClientResponse,
  maxBytes: number
): Effect.Effect<Decoded, HttpClientError.ResponseError> =>
  Effect.catchAll(
    Effect.map(response.arrayBuffer, (buffer) => [new Uint8Array(buffer)] as const),
    (first) =>
      Effect.mapError(
        Effect.map(response.text, (text) => [textEncoder.encode(text), text] as const),
        () => first
      )
  ).pipe(
    Effect.flatMap(([bytes, text]) => {
      if (bytes.byteLength > maxBytes) {
        return Effect.fail(tooLarge(response, maxBytes, `more than ${maxBytes} bytes sent`))
      }
      if (text === undefined) return Effect.succeed(decodeExact([bytes], bytes.byteLength))
      return Effect.succeed<Decoded>({ text, exact: !text.includes("\uFFFD") })
    })
  )

/**
 * The body as text, at most `maxBytes` bytes read (see the module comment), and whether the text is
 * exactly its bytes. An answer a middleware already read (or is reading) is taken from the
 * response's own shared readers (`readAfterOthers`).
 *
 * @internal
 */
export const readCapped = (
  response: HttpClientResponse.HttpClientResponse,
  maxBytes: number,
  contentLength: string | undefined
): Effect.Effect<Decoded, HttpClientError.ResponseError> => {
  const reader = readerOf(response)
  const wrapped = isWrapped(response) ? (response as unknown as Wrapped) : undefined
  const source = sourceOf(wrapped === undefined ? response : wrapped.original)
  if (Bytes.declaresMoreThan(contentLength, maxBytes)) {
    // refused unread: the body is discarded, so its connection is freed now (not when collected)
    if (reader === "web") (source as Response).body?.cancel().catch(() => {})
    if (reader === "node") (source as { readonly body: NodeReadable }).body.destroy()
    return Effect.fail(tooLarge(response, maxBytes, `Content-Length is ${contentLength}`))
  }
  if (reader === "stream") return readStream(response, maxBytes)
  if (
    reader === "web"
      ? webTouched(source as Response)
      : nodeTouched((source as { readonly body: NodeReadable }).body)
  ) return readAfterOthers(response, maxBytes)
  const read = reader === "web"
    ? readWeb(response, source as Response, maxBytes)
    : readNode(response, (source as { readonly body: NodeReadable }).body, maxBytes)
  return wrapped === undefined ? read : wrapped.applyInterrupt(read)
}
