/**
 * Reading an answer body with a byte cap (`maxResponseBytes`), fast, for the Effect 4 line.
 *
 * The generic way, `response.stream` with a counter, costs an Effect `Stream` per body. So the
 * transports that wrap something readable are read directly, with the same cap and guarantees,
 * and anything else through the stream:
 *
 * - a web `Response` (`FetchHttpClient`, `HttpClientResponse.fromWeb`), handed over with
 *   `HttpClientResponse.toWeb`: its `ReadableStream` through a reader, cancelled as soon as the cap
 *   is passed;
 * - a Node `Readable` (a response whose `source` is undici's `{ body }`, as this package's
 *   `UndiciHttpClient` answers): its `data` events, destroyed as soon as the cap is passed;
 * - any other `HttpClientResponse`: `response.stream`, cut at the cap.
 *
 * In every case: refused before a byte is read when `Content-Length` is over the cap; never more
 * than the cap plus one chunk held; interruption (the per-attempt timeout) cancels the read; the
 * bytes are decoded once, whole (a leading BOM kept: the signature covers the body exactly as
 * sent); an absent body is the empty string. Failures are the core's transport data.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import type * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as HttpClientResponseModule from "effect/http/HttpClientResponse"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Bytes from "../../../src/core/bytes.js"
import * as Transport from "../../../src/core/transport.js"

const textEncoder = new TextEncoder()

const emptyBody: Bytes.Decoded = { text: "", exact: true }

const tooLarge = (maxBytes: number, seen: string): Transport.Failed =>
  Transport.readFailed(Transport.tooLargeCause(maxBytes, seen), "Decode")

const readFailed = (cause: unknown): Transport.Failed => Transport.readFailed(cause, "Decode")

/** A Node `Readable`, as far as reading it goes. */
interface NodeReadable {
  readonly on: (event: string, listener: (...args: Array<unknown>) => void) => unknown
  readonly off: (event: string, listener: (...args: Array<unknown>) => void) => unknown
  readonly destroy: (error?: Error) => unknown
  readonly readableEnded?: boolean
  readonly readableDidRead?: boolean
  readonly readableFlowing?: boolean | null
  readonly bodyUsed?: boolean
  readonly locked?: boolean
}

const nodeTouched = (body: NodeReadable): boolean =>
  body.readableEnded === true || body.readableDidRead === true || body.readableFlowing === true ||
  body.bodyUsed === true || body.locked === true

const isNodeReadable = (value: unknown): value is NodeReadable =>
  typeof value === "object" && value !== null &&
  typeof (value as NodeReadable).on === "function" && typeof (value as NodeReadable).off === "function" &&
  typeof (value as NodeReadable).destroy === "function" &&
  typeof (value as { readonly pipe?: unknown }).pipe === "function"

/** The Node body a response wraps (directly, or inside the client's interruptible wrapper), if any. */
const nodeBodyOf = (response: HttpClientResponse.HttpClientResponse): NodeReadable | undefined => {
  const inner = (response as unknown as { readonly original?: unknown }).original ?? response
  const source = (inner as { readonly source?: unknown }).source
  const body = typeof source === "object" && source !== null ? (source as { readonly body?: unknown }).body : undefined
  return isNodeReadable(body) ? body : undefined
}

const readWeb = (source: Response, maxBytes: number): Effect.Effect<Bytes.Decoded, Transport.Failed> => {
  const body = source.body
  if (body === null) return Effect.succeed(emptyBody)
  return Effect.callback<Bytes.Decoded, Transport.Failed>((resume) => {
    let reader: ReadableStreamDefaultReader<Uint8Array>
    try {
      reader = body.getReader()
    } catch (cause) {
      resume(Effect.fail(readFailed(cause)))
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
            resume(Effect.succeed(Bytes.decodeExact(chunks, total)))
            return
          }
          const chunk = result.value
          total += chunk.byteLength
          if (total > maxBytes) {
            done = true
            reader.cancel().catch(() => {})
            resume(Effect.fail(tooLarge(maxBytes, `more than ${maxBytes} bytes sent`)))
            return
          }
          chunks.push(chunk)
          pull()
        },
        (cause: unknown) => {
          if (done) return
          done = true
          resume(Effect.fail(readFailed(cause)))
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

const readNode = (body: NodeReadable, maxBytes: number): Effect.Effect<Bytes.Decoded, Transport.Failed> =>
  Effect.callback<Bytes.Decoded, Transport.Failed>((resume) => {
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
      const bytes = chunk instanceof Uint8Array ? chunk : textEncoder.encode(String(chunk))
      total += bytes.byteLength
      if (total > maxBytes) {
        finish()
        body.destroy()
        resume(Effect.fail(tooLarge(maxBytes, `more than ${maxBytes} bytes sent`)))
        return
      }
      chunks.push(bytes)
    }
    const onEnd = (): void => {
      if (done) return
      finish()
      resume(Effect.succeed(Bytes.decodeExact(chunks, total)))
    }
    const onError = (cause: unknown): void => {
      if (done) return
      finish()
      resume(Effect.fail(readFailed(cause)))
    }
    const onClose = (): void => {
      if (done) return
      finish()
      resume(Effect.fail(readFailed(new Error("the answer body was closed before its end"))))
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
): Effect.Effect<Bytes.Decoded, Transport.Failed> =>
  Effect.suspend(() => {
    const chunks: Array<Uint8Array> = []
    let total = 0
    let over = false
    return response.stream.pipe(
      Stream.catch((error) => error.reason._tag === "EmptyBodyError" ? Stream.empty : Stream.fail(error)),
      Stream.runForEachWhile((chunk) =>
        Effect.sync(() => {
          total += chunk.byteLength
          if (total > maxBytes) {
            over = true
            return false
          }
          chunks.push(chunk)
          return true
        })
      ),
      Effect.mapError((error) => readFailed(error.reason.cause ?? error)),
      Effect.flatMap(() =>
        over
          ? Effect.fail(tooLarge(maxBytes, `more than ${maxBytes} bytes sent`))
          : Effect.succeed(Bytes.decodeExact(chunks, total))
      )
    )
  })

/**
 * The body of an answer a middleware has read, or started to read, before us: taken from
 * `arrayBuffer` (exact), else from `text` (lossy: exact only without U+FFFD). The cap still holds.
 */
const readAfterOthers = (
  response: HttpClientResponse.HttpClientResponse,
  maxBytes: number
): Effect.Effect<Bytes.Decoded, Transport.Failed> =>
  Effect.catch(
    Effect.map(response.arrayBuffer, (buffer) => [new Uint8Array(buffer), undefined] as const),
    (first) =>
      Effect.mapError(Effect.map(response.text, (text) => [textEncoder.encode(text), text] as const), () => first)
  ).pipe(
    Effect.mapError((error) => readFailed(error.reason.cause ?? error)),
    Effect.flatMap(([bytes, text]) => {
      if (bytes.byteLength > maxBytes) return Effect.fail(tooLarge(maxBytes, `more than ${maxBytes} bytes sent`))
      if (text === undefined) return Effect.succeed(Bytes.decodeExact([bytes], bytes.byteLength))
      return Effect.succeed<Bytes.Decoded>({ text, exact: !text.includes("\uFFFD") })
    })
  )

/**
 * How `readCapped` reads this answer's body (tests pin that the platform's fetch transport and
 * this package's undici client get a direct reader).
 *
 * @internal
 */
export const readerOf = (response: HttpClientResponse.HttpClientResponse): "web" | "node" | "stream" =>
  nodeBodyOf(response) !== undefined ? "node" : webSource(response) !== undefined ? "web" : "stream"

/** The web `Response` of a fetch-backed answer, without handing it over (`toWeb` does). */
const webSource = (response: HttpClientResponse.HttpClientResponse): Response | undefined => {
  const inner = (response as unknown as { readonly original?: unknown }).original ?? response
  const source = (inner as { readonly source?: unknown }).source
  return typeof Response === "function" && source instanceof Response ? source : undefined
}

/**
 * The body as text, at most `maxBytes` bytes read (see the module comment), and whether the text is
 * exactly its bytes.
 *
 * @internal
 */
export const readCapped = (
  response: HttpClientResponse.HttpClientResponse,
  maxBytes: number
): Effect.Effect<Bytes.Decoded, Transport.Failed> => {
  const contentLength = response.headers["content-length"]
  const node = nodeBodyOf(response)
  const web = node === undefined ? webSource(response) : undefined
  if (Bytes.declaresMoreThan(contentLength, maxBytes)) {
    // refused unread: the body is discarded, so its connection is freed now (not when collected)
    if (node !== undefined) node.destroy()
    else if (web !== undefined) {
      Option.map(HttpClientResponseModule.toWeb(response), (r) => r.body?.cancel().catch(() => {}))
    }
    return Effect.fail(tooLarge(maxBytes, `Content-Length is ${contentLength}`))
  }
  if (node !== undefined) return nodeTouched(node) ? readAfterOthers(response, maxBytes) : readNode(node, maxBytes)
  if (web !== undefined) {
    if (web.bodyUsed || web.body?.locked === true) return readAfterOthers(response, maxBytes)
    // handed over: the client no longer aborts it when collected; this reader reads or cancels it
    return Option.match(HttpClientResponseModule.toWeb(response), {
      onNone: () => readStream(response, maxBytes),
      onSome: (source) => readWeb(source, maxBytes)
    })
  }
  return readStream(response, maxBytes)
}
