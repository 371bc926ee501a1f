/**
 * One attempt of a call, as steps around the two things only the caller can do (sign with the
 * merchant key, and look up a verifying key, both possibly remote): build what is signed and sent
 * (`prepare`, `message`, `outgoing`), read what came back (`classify`), and say what it means
 * (`conclude`). Every outcome is plain tagged data; an Effect line runs the steps in one function
 * (sign → send → classify → verify → conclude) and turns the data into its public errors at one
 * boundary.
 *
 * @internal
 */
import * as ApiError from "./apiError.js"
import { requestMessage } from "./authorization.js"
import type { Decoded } from "./bytes.js"
import { type InputProblem, inputProblem } from "./path.js"
import * as Path from "./path.js"
import { secretsOf } from "./redaction.js"
import * as Transport from "./transport.js"
import * as Verification from "./verification.js"

/** A call ready to be signed: the same for every attempt (only time, nonce and signature change). @internal */
export interface Call {
  readonly method: string
  /** The absolute URL. */
  readonly url: string
  /** The path and query exactly as sent: what the signature covers. */
  readonly target: string
  /** The JSON body, `""` for none. */
  readonly body: string
}

/**
 * Builds a call: the target from the template, path parameters and query, the body serialised once.
 * `baseUrl` has no trailing slash.
 *
 * @internal
 */
export const prepare = (input: {
  readonly baseUrl: string
  readonly method: string
  readonly template: Path.Template
  readonly pathParams: Readonly<Record<string, unknown>>
  readonly query: ReadonlyArray<readonly [string, unknown]>
  readonly body: unknown
}): Call | InputProblem => {
  const target = Path.buildTarget(input.template, input.pathParams, input.query)
  if (typeof target !== "string") return target
  let body = ""
  if (input.body !== undefined) {
    try {
      body = JSON.stringify(input.body) ?? ""
    } catch (e) {
      return inputProblem("body", `body cannot be serialised to JSON: ${(e as Error).message}`)
    }
  }
  let url: URL
  try {
    url = new URL(input.baseUrl + target)
  } catch {
    return inputProblem("path", "the path does not make a URL with baseUrl")
  }
  // sign what goes on the wire: the request target as the server receives it
  return { method: input.method, url: url.href, target: url.pathname + url.search, body }
}

/** The message the merchant key signs for this attempt. @internal */
export const message = (call: Call, timestamp: string, nonce: string): string =>
  requestMessage({ method: call.method, url: call.target, timestamp, nonce, body: call.body })

/**
 * The request as sent: `Accept`, `User-Agent`, `Wechatpay-Serial` (the key WeChat Pay should sign
 * its answer with), `Content-Type` with a body, and the `Authorization` header.
 *
 * @internal
 */
export const outgoing = (
  call: Call,
  headers: { readonly userAgent: string; readonly wechatpaySerial: string | undefined; readonly authorization: string }
): Transport.OutgoingRequest => {
  const out: Record<string, string> = { accept: "application/json", "user-agent": headers.userAgent }
  if (headers.wechatpaySerial !== undefined) out["wechatpay-serial"] = headers.wechatpaySerial
  if (call.body !== "") out["content-type"] = "application/json"
  out["authorization"] = headers.authorization
  return { method: call.method, url: call.url, headers: out, body: call.body }
}

/** A verified answer (or, with verification skipped, an answer). @internal */
export interface Answer {
  readonly _tag: "Answer"
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  /** The raw body text, exactly as verified. */
  readonly body: string
  /** The `Request-ID` header. */
  readonly requestId: string | undefined
}

/** What an attempt ends with. @internal */
export type Outcome =
  | Answer
  | ApiError.ApiErrorData
  | Verification.VerificationProblem
  | Transport.TransportFailureData

/** What `classify` hands back: done, or a signature to check first. @internal */
export type Classified =
  | { readonly _tag: "Done"; readonly outcome: Outcome }
  | {
    readonly _tag: "Verify"
    readonly received: Transport.Received
    /** The exact body text. */
    readonly body: string
  }

const requestIdOf = (headers: Readonly<Record<string, string>>): string | undefined => headers["request-id"]

/**
 * What an exchange means before any signature check: a transport failure, a redirect (never
 * followed), an unsigned error answer (a gateway's), a body that is not UTF-8 (no signature can hold
 * over it), or an answer whose signature must be checked (every 2xx; an error answer carrying any
 * of the signature headers). With `verify: false` (the caller checks the signature itself), a 2xx
 * whose body is UTF-8 is an answer as it is; one that is not still fails `BadSignature`.
 *
 * @internal
 */
export const classify = (
  exchange: Transport.Exchange,
  request: Transport.OutgoingRequest,
  options: { readonly verify: boolean; readonly prefix?: string | undefined }
): Classified => {
  if (exchange._tag === "Failed") {
    return { _tag: "Done", outcome: Transport.describe(exchange, secretsOf(request.headers), options.prefix) }
  }
  const { body, headers, status } = exchange
  const requestId = requestIdOf(headers)
  if (ApiError.isRedirect(status)) {
    return { _tag: "Done", outcome: ApiError.redirect(status, headers["location"], requestId) }
  }
  const ok = status >= 200 && status < 300
  if (!ok && (!options.verify || !Verification.hasSignatureHeaders(headers))) {
    return { _tag: "Done", outcome: ApiError.fromAnswer(status, body.text, requestId, secretsOf(request.headers)) }
  }
  if (!body.exact) {
    // bytes that are not UTF-8 have no exact text: no signature can hold over them
    return {
      _tag: "Done",
      outcome: Verification.verificationProblem("BadSignature", headers["wechatpay-serial"])
    }
  }
  if (!options.verify) {
    return { _tag: "Done", outcome: { _tag: "Answer", status, headers, body: body.text, requestId } }
  }
  return { _tag: "Verify", received: exchange, body: body.text }
}

/**
 * What a checked answer means: the verification problem, or (it holds) the answer for a 2xx and the
 * typed error of a signed error answer.
 *
 * @internal
 */
export const conclude = (
  received: Transport.Received,
  request: Transport.OutgoingRequest,
  problem: Verification.VerificationProblem | undefined
): Outcome => {
  if (problem !== undefined) return problem
  const { headers, status } = received
  const requestId = requestIdOf(headers)
  if (status >= 200 && status < 300) {
    return { _tag: "Answer", status, headers, body: received.body.text, requestId }
  }
  return ApiError.fromAnswer(status, received.body.text, requestId, secretsOf(request.headers))
}

/** @internal */
export type { Decoded }
