/**
 * Transport failures → `TransportError`: which side of the line a failure fell on (`never sent:` the
 * connection was refused or the request could not be built; `sent, …`: the request may have reached
 * WeChat Pay and no complete answer came, so the outcome is unknown), with any secret of the
 * request's headers scrubbed from the cause. Shared by `WechatPayClient` (every call, both
 * attempts) and the certificate download.
 *
 * @internal
 */
import { TransportError } from "../errors/WechatPayError.js"

/** The request headers whose values never appear in a message (the `Authorization` header, a signature). */
const SECRET_HEADERS: ReadonlyArray<string> = ["authorization", "wechatpay-signature"]

/**
 * Internal marker of a `TransportError` whose request provably never left (connection refused): a
 * non-enumerable symbol property, so the public fields (`message`, `cause?`), the JSON and the
 * Schema encoding stay as they are; a property, not a WeakSet entry, because Effect hands errors on
 * through proxies (span capture), which a property survives and an identity check does not.
 */
const NeverSent: unique symbol = Symbol.for("effect-wechatpay/TransportError/NeverSent")

/** Whether an error, or anything in its `cause` chain (or every error of an `AggregateError`), is ECONNREFUSED. */
const isConnectionRefused = (value: unknown, depth = 0): boolean => {
  if (depth > 8 || typeof value !== "object" || value === null) return false
  const node = value as { readonly code?: unknown; readonly cause?: unknown; readonly errors?: unknown }
  if (node.code === "ECONNREFUSED") return true
  if (
    Array.isArray(node.errors) && node.errors.length > 0 &&
    node.errors.every((e: unknown) => isConnectionRefused(e, depth + 1))
  ) return true
  return isConnectionRefused(node.cause, depth + 1)
}

/**
 * Removes the values of the secret request headers (`SECRET_HEADERS`, and the signature inside
 * `Authorization` on its own, which survives JSON escaping) from a text: an underlying error's
 * message may quote the request headers.
 */
const scrubHeaders = (text: string, headers: Readonly<Record<string, string | undefined>>): string => {
  let out = text
  for (const name of SECRET_HEADERS) {
    const value = headers[name]
    if (typeof value !== "string" || value === "") continue
    const signature = /signature="([^"]+)"/.exec(value)?.[1]
    for (const secret of signature === undefined ? [value] : [value, signature]) {
      out = out.split(secret).join("<redacted>")
    }
  }
  return out
}

/**
 * What a `TransportError` says of a request that may have reached WeChat Pay.
 */
export const OUTCOME_UNKNOWN =
  "the request may have reached WeChat Pay, the outcome is unknown: query the record before repeating a non-idempotent call"

/**
 * The `TransportError` of a transport failure: which side of the line it fell on (`never sent`: the
 * connection was refused or the request could not be built; `sent, …`: the request may have
 * reached the server and no complete answer came, so the outcome is unknown), what failed (sending, or reading the answer), why,
 * and the cause's message with any secret of the request's headers scrubbed; marked never sent
 * when the connection was refused.
 */
export const describe = (
  failure: {
    readonly _tag: "RequestError" | "ResponseError"
    readonly reason: string
    readonly cause?: unknown
  },
  requestHeaders: Readonly<Record<string, string | undefined>>
): TransportError => {
  const cause = failure.cause instanceof Error
    ? (failure.cause.cause instanceof Error ? failure.cause.cause : failure.cause)
    : undefined
  const causeMessage = cause === undefined ? undefined : scrubHeaders(cause.message, requestHeaders)
  const detail = causeMessage === undefined ? "" : `: ${causeMessage}`
  const neverSent = failure._tag === "RequestError" && failure.reason === "Transport" &&
    isConnectionRefused(failure.cause)
  const notSent = failure._tag === "RequestError" && failure.reason !== "Transport"
  const transportError = new TransportError({
    message: neverSent
      ? `never sent: the connection was refused (${failure.reason})${detail}`
      : notSent
      ? `never sent: the request could not be built (${failure.reason})${detail}`
      : failure._tag === "RequestError"
      ? `sent, but no answer came (${failure.reason})${detail}; ${OUTCOME_UNKNOWN}`
      : `sent, but the answer could not be read in full (${failure.reason})${detail}; ${OUTCOME_UNKNOWN}`,
    ...(cause === undefined ? {} : { cause: { name: cause.name, message: causeMessage } })
  })
  if (neverSent) Object.defineProperty(transportError, NeverSent, { value: true, enumerable: false })
  return transportError
}

/** Whether `error` carries the never-sent marker (see `describe`). */
export const isMarkedNeverSent = (error: TransportError): boolean =>
  (error as TransportError & { readonly [NeverSent]?: true })[NeverSent] === true
