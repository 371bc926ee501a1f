/**
 * The transport interface of the core: send one request, read at most N bytes of the answer, or
 * cancel. A transport never throws and never decides what an answer means: it hands back what came
 * (`Received`) or why nothing usable came (`Failed`), and which side of the line the failure fell
 * on (`NeverSent`: nothing of the request left, so even a POST may be sent again; `OutcomeUnknown`:
 * it may have reached WeChat Pay).
 *
 * @internal
 */
import type { Decoded } from "./bytes.js"
import { scrub } from "./redaction.js"

/** What the core sends: the request exactly as signed. @internal */
export interface OutgoingRequest {
  readonly method: string
  /** The absolute URL. */
  readonly url: string
  /** Lowercase names. */
  readonly headers: Readonly<Record<string, string>>
  /** The JSON text of the body, `""` for none: these exact bytes (UTF-8) were signed. */
  readonly body: string
}

/** Which side of the line a failure fell on. @internal */
export type FailureReason = "NeverSent" | "OutcomeUnknown"

/** An answer: its status, headers (lowercase names) and body read within the cap. @internal */
export interface Received {
  readonly _tag: "Received"
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: Decoded
}

/**
 * Nothing usable came. `what` says what failed, in words that complete "never sent: …" or
 * "sent, but …" (e.g. `no answer came (Transport)`); `cause` is the transport's own error.
 *
 * @internal
 */
export interface Failed {
  readonly _tag: "Failed"
  readonly reason: FailureReason
  readonly what: string
  readonly cause?: unknown
}

/** @internal */
export type Exchange = Received | Failed

/** @internal */
export interface Transport {
  /**
   * Sends `request` and reads the answer's body, at most `maxBytes` (refused unread when its
   * `Content-Length` says more; a 3xx is handed back, never followed); calls `done` exactly once,
   * unless cancelled first. Returns the cancel function: it aborts the request or destroys the body.
   */
  readonly send: (request: OutgoingRequest, maxBytes: number, done: (exchange: Exchange) => void) => () => void
}

/**
 * What a `TransportError` says of a request that may have reached WeChat Pay.
 *
 * @internal
 */
export const OUTCOME_UNKNOWN =
  "the request may have reached WeChat Pay, the outcome is unknown: query the record before repeating a non-idempotent call"

/**
 * Error codes that can only come before any byte of the request left: the connection was refused,
 * the name did not resolve, no route, a connect timeout, a TLS handshake that failed, a URL or port
 * the runtime refuses. A reset or a timeout after connecting is not among them.
 */
const NEVER_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EAI_FAIL",
  "EAI_NONAME",
  "EAI_NODATA",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
  "ERR_INVALID_URL",
  "ERR_INVALID_ARG_VALUE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN"
])

/** Messages of errors with no code that are refusals before sending (fetch's "bad port"). */
const NEVER_SENT_MESSAGES = /^(bad port|invalid url|unsupported protocol|invalid protocol)/i

/** The code and message of one error of a cause chain. */
const facts = (value: unknown): { readonly code: string | undefined; readonly message: string | undefined } => {
  const node = value as { readonly code?: unknown; readonly message?: unknown }
  return {
    code: typeof node.code === "string" ? node.code : undefined,
    message: typeof node.message === "string" ? node.message : undefined
  }
}

/**
 * The code that proves `cause` (or something in its `cause` chain, or every error of an
 * `AggregateError`: happy eyeballs tries each address) never left, or `undefined`.
 *
 * @internal
 */
export const neverSentCode = (cause: unknown, depth = 0): string | undefined => {
  if (depth > 8 || typeof cause !== "object" || cause === null) return undefined
  const { code, message } = facts(cause)
  if (code !== undefined && NEVER_SENT_CODES.has(code)) return code
  if (message !== undefined && NEVER_SENT_MESSAGES.test(message)) return message.split(/[:\n]/)[0]
  const errors = (cause as { readonly errors?: unknown }).errors
  if (Array.isArray(errors) && errors.length > 0) {
    const codes = errors.map((e: unknown) => neverSentCode(e, depth + 1))
    if (codes.every((c) => c !== undefined)) return codes[0]
  }
  return neverSentCode((cause as { readonly cause?: unknown }).cause, depth + 1)
}

/**
 * A failure before any answer: `NeverSent` when the cause proves nothing left, else
 * `OutcomeUnknown`. `label` names the transport's own kind of failure (e.g. `Transport`).
 *
 * @internal
 */
export const requestFailed = (cause: unknown, label: string): Failed => {
  const code = neverSentCode(cause)
  return code === undefined
    ? { _tag: "Failed", reason: "OutcomeUnknown", what: `no answer came (${label})`, cause }
    : code === "ECONNREFUSED"
    ? { _tag: "Failed", reason: "NeverSent", what: `the connection was refused (${label})`, cause }
    : { _tag: "Failed", reason: "NeverSent", what: `the request could not be sent (${label}, ${code})`, cause }
}

/** An answer came, but its body could not be read in full (or was over the cap). @internal */
export const readFailed = (cause: unknown, label: string): Failed => ({
  _tag: "Failed",
  reason: "OutcomeUnknown",
  what: `the answer could not be read in full (${label})`,
  cause
})

/** A request that could not even be built (a body that cannot be encoded, a URL the runtime refuses). @internal */
export const notBuilt = (cause: unknown, label: string): Failed => ({
  _tag: "Failed",
  reason: "NeverSent",
  what: `the request could not be built (${label})`,
  cause
})

/** The longest delay a timer holds (about 24.8 days); a longer one would fire at once. @internal */
export const MAX_TIMER_MILLIS = 2 ** 31 - 1

/**
 * `send` within `timeoutMillis` of real time: past it, the exchange is cancelled and fails
 * `OutcomeUnknown` (the request may have reached the server). A timeout no timer can hold (beyond
 * `MAX_TIMER_MILLIS`, or infinite) sets none. The one timeout of every transport.
 *
 * @internal
 */
export const sendWithin = (
  transport: Transport,
  request: OutgoingRequest,
  maxBytes: number,
  timeoutMillis: number,
  timeoutText: string,
  done: (exchange: Exchange) => void
): () => void => {
  let over = false
  const timer = timeoutMillis <= MAX_TIMER_MILLIS
    ? setTimeout(() => {
      if (over) return
      over = true
      cancel()
      done({ _tag: "Failed", reason: "OutcomeUnknown", what: `no complete answer within ${timeoutText} (timeout)` })
    }, timeoutMillis)
    : undefined
  const cancel = transport.send(request, maxBytes, (exchange) => {
    if (over) return
    over = true
    if (timer !== undefined) clearTimeout(timer)
    done(exchange)
  })
  return () => {
    if (over) return
    over = true
    if (timer !== undefined) clearTimeout(timer)
    cancel()
  }
}

/** The cause of a refusal at the cap; `seen` says what showed it. @internal */
export const tooLargeCause = (maxBytes: number, seen: string): Error =>
  new Error(`the answer is larger than maxResponseBytes (${maxBytes} bytes): ${seen}; not read`)

/** The data of a `TransportError`. @internal */
export interface TransportFailureData {
  readonly _tag: "TransportFailure"
  readonly reason: FailureReason
  readonly message: string
  readonly cause?: { readonly name: string; readonly message: string } | undefined
}

/** The innermost meaningful error of a cause: the error itself, or its `cause` when that is an error. */
const innermost = (cause: unknown): Error | undefined =>
  cause instanceof Error ? (cause.cause instanceof Error ? cause.cause : cause) : undefined

/**
 * The `TransportError` data of a failure: which side of the line, what failed, and the cause's
 * message with every secret of the request scrubbed (an underlying error may quote its headers).
 *
 * @internal
 */
export const describe = (failed: Failed, secrets: ReadonlyArray<string>, prefix = ""): TransportFailureData => {
  const cause = innermost(failed.cause)
  const causeMessage = cause === undefined ? undefined : scrub(cause.message, secrets)
  const detail = causeMessage === undefined || causeMessage === "" ? "" : `: ${causeMessage}`
  const message = failed.reason === "NeverSent"
    ? `${prefix}never sent: ${failed.what}${detail}`
    : `${prefix}sent, but ${failed.what}${detail}; ${OUTCOME_UNKNOWN}`
  return {
    _tag: "TransportFailure",
    reason: failed.reason,
    message,
    ...(cause === undefined ? {} : { cause: { name: cause.name, message: causeMessage ?? "" } })
  }
}
