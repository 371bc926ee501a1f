/**
 * Reading the body of a request to the notification endpoint (`PayScoreNotifications.httpApp`):
 * at most `maxBytes`, within `deadlineMillis`, the exact bytes decoded once.
 *
 * Refusing must still answer. An Effect `Stream` over Node's `IncomingMessage` destroys it when the
 * stream is left early, which destroys the socket: a chunked body over the cap, or a body trickled
 * past the deadline, would get no answer at all, only a dropped connection. So a Node request
 * (`@effect/platform-node`'s `NodeHttpServer`: its `source` is the `IncomingMessage`) is read from its `data` events and,
 * once refused, left alone: its listeners removed, the rest of the body discarded by Node while
 * the answer (413 or 408, with `Connection: close`) is written, then the connection closed. Any
 * other request (a web `Request`: Bun, Deno, `HttpEffect.toWebHandler`) is read through
 * `request.stream`, with the same cap and deadline.
 *
 * @internal
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as HttpServerRequest from "effect/http/HttpServerRequest"
import * as Stream from "effect/Stream"
import * as Bytes from "../../../src/core/bytes.js"

/** @internal */
export type Problem =
  | { readonly _tag: "TooLarge" }
  | { readonly _tag: "TimedOut" }
  | { readonly _tag: "Unreadable" }

const TooLarge: Problem = { _tag: "TooLarge" }
const TimedOut: Problem = { _tag: "TimedOut" }
const Unreadable: Problem = { _tag: "Unreadable" }

interface NodeIncoming {
  readonly on: (event: string, listener: (...args: Array<unknown>) => void) => unknown
  readonly off: (event: string, listener: (...args: Array<unknown>) => void) => unknown
  readonly pipe: unknown
  readonly readableEnded?: boolean
  readonly complete?: boolean
}

const nodeSource = (request: HttpServerRequest.HttpServerRequest): NodeIncoming | undefined => {
  const source = (request as { readonly source?: unknown }).source
  if (typeof source !== "object" || source === null) return undefined
  const incoming = source as Partial<NodeIncoming>
  return typeof incoming.on === "function" && typeof incoming.off === "function" &&
      typeof incoming.pipe === "function"
    ? incoming as NodeIncoming
    : undefined
}

const readNode = (
  source: NodeIncoming,
  maxBytes: number,
  deadlineMillis: number
): Effect.Effect<Bytes.Decoded, Problem> =>
  Effect.callback<Bytes.Decoded, Problem>((resume) => {
    if (source.readableEnded === true) {
      resume(Effect.fail(Unreadable))
      return
    }
    const chunks: Array<Uint8Array> = []
    let total = 0
    let done = false
    const finish = (): void => {
      done = true
      clearTimeout(timer)
      source.off("data", onData)
      source.off("end", onEnd)
      source.off("error", onError)
      source.off("close", onClose)
    }
    const fail = (problem: Problem): void => {
      if (done) return
      finish()
      resume(Effect.fail(problem))
    }
    const onData = (chunk: unknown): void => {
      if (done) return
      const bytes = chunk instanceof Uint8Array ? chunk : new TextEncoder().encode(String(chunk))
      total += bytes.byteLength
      if (total > maxBytes) fail(TooLarge)
      else chunks.push(bytes)
    }
    const onEnd = (): void => {
      if (done) return
      finish()
      resume(Effect.succeed(Bytes.decodeExact(chunks, total)))
    }
    const onError = (): void => fail(Unreadable)
    const onClose = (): void => fail(Unreadable)
    const timer = setTimeout(() => fail(TimedOut), deadlineMillis)
    source.on("data", onData)
    source.on("end", onEnd)
    source.on("error", onError)
    source.on("close", onClose)
    return Effect.sync(() => {
      if (!done) finish()
    })
  })

const readStream = (
  request: HttpServerRequest.HttpServerRequest,
  maxBytes: number,
  deadline: Duration.Duration
): Effect.Effect<Bytes.Decoded, Problem> =>
  Effect.suspend(() => {
    const chunks: Array<Uint8Array> = []
    let size = 0
    return Stream.runForEach(
      Stream.mapError(request.stream, () => Unreadable),
      (chunk) => {
        size += chunk.length
        if (size > maxBytes) return Effect.fail(TooLarge)
        chunks.push(chunk)
        return Effect.void
      }
    ).pipe(
      Effect.timeoutOrElse({ duration: deadline, orElse: () => Effect.fail(TimedOut) }),
      Effect.map(() => Bytes.decodeExact(chunks, size))
    )
  })

/**
 * The body: refused unread when `Content-Length` says more than `maxBytes`, else read up to
 * `maxBytes` (`TooLarge` past it, however the body is framed) within `deadline` (`TimedOut`).
 *
 * @internal
 */
export const read = (
  request: HttpServerRequest.HttpServerRequest,
  maxBytes: number,
  deadline: Duration.Duration
): Effect.Effect<Bytes.Decoded, Problem> => {
  const declared = request.headers["content-length"]
  if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > maxBytes) {
    return Effect.fail(TooLarge)
  }
  const source = nodeSource(request)
  return source === undefined
    ? readStream(request, maxBytes, deadline)
    : readNode(source, maxBytes, Duration.toMillis(deadline))
}
