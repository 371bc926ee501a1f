/**
 * The retry rule, over error data of either Effect line (anything with a `_tag`, and a `reason` on
 * transport failures): what may go away on its own (transient), and what a call may retry. An
 * idempotent call is retried after any transient failure; a non-idempotent one (a POST) only when
 * the request provably never left, because after a timeout, a reset, a 5xx or a 429 WeChat Pay may
 * have acted on it.
 *
 * @internal
 */

/** @internal */
export interface Failure {
  readonly _tag: string
  readonly reason?: unknown
}

/** Whether a failure may go away on its own: a transport failure, a 429, a 5xx. @internal */
export const isTransient = (error: Failure): boolean =>
  error._tag === "TransportError" || error._tag === "FrequencyLimited" || error._tag === "SystemError"

/** Whether a failure proves the request never reached the server. @internal */
export const isNeverSent = (error: Failure): boolean => error._tag === "TransportError" && error.reason === "NeverSent"

/** @internal */
export const isRetryable = (error: Failure, idempotent: boolean): boolean =>
  idempotent ? isTransient(error) : isNeverSent(error)

/** Whether a method is idempotent by default (RFC 9110 §9.2.2): GET, HEAD, PUT, DELETE, OPTIONS. @internal */
export const isIdempotentMethod = (method: string): boolean =>
  method === "GET" || method === "HEAD" || method === "PUT" || method === "DELETE" || method === "OPTIONS"
