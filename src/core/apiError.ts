/**
 * WeChat Pay's error answers → plain tagged data: the HTTP status, WeChat Pay's `code`,
 * `message` and `detail`, the `Request-ID`, and the tag chosen by status and code. An Effect line
 * turns the data into its public error classes at one boundary.
 *
 * @internal
 */
import { readJson } from "./json.js"
import { scrub, scrubValue } from "./redaction.js"

/** The tag of each kind of error answer. @internal */
export type ApiErrorTag =
  | "ParamError"
  | "InvalidRequest"
  | "SignError"
  | "NoAuth"
  | "NotFound"
  | "FrequencyLimited"
  | "SystemError"
  | "ApiError"

/** @internal */
export interface ApiErrorData {
  readonly _tag: ApiErrorTag
  readonly status: number
  readonly code: string
  readonly message: string
  readonly detail?: unknown
  readonly requestId?: string | undefined
}

/**
 * Appended to WeChat Pay's text of a 401 `SIGN_ERROR`: WeChat Pay cannot tell why our signature
 * failed, and the usual reasons are local.
 *
 * @internal
 */
export const SIGN_ERROR_HINT =
  " (likely local causes: merchantPrivateKey is not the private key of the merchant API certificate merchantSerialNo names, or merchantSerialNo/mchid is wrong, or this machine's clock is off by minutes)"

/** The tag of a status and code. @internal */
export const tagOf = (status: number, code: string): ApiErrorTag => {
  if (status === 400 && code === "PARAM_ERROR") return "ParamError"
  if (status === 400 && code === "INVALID_REQUEST") return "InvalidRequest"
  if (status === 401 && code === "SIGN_ERROR") return "SignError"
  if (status === 403 && code === "NO_AUTH") return "NoAuth"
  if (status === 404) return "NotFound"
  if (status === 429) return "FrequencyLimited"
  if (status >= 500 && status <= 599) return "SystemError"
  return "ApiError"
}

const parseBody = (
  body: string
): { readonly code: string; readonly message: string; readonly detail?: unknown } | undefined => {
  const read = readJson(body)
  if (read._tag !== "Json") return undefined
  const value = read.value
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined
  const { code, detail, message } = value as { code?: unknown; message?: unknown; detail?: unknown }
  if (typeof code !== "string" || typeof message !== "string") return undefined
  return detail === undefined ? { code, message } : { code, message, detail }
}

/**
 * The error of a non-2xx answer. `secrets` (the values of the request's own secret headers) are
 * scrubbed from WeChat Pay's `message` and `detail`: a proxy that echoes our `Authorization` header
 * never gets it printed.
 *
 * @internal
 */
export const fromAnswer = (
  status: number,
  body: string,
  requestId: string | undefined,
  secrets: ReadonlyArray<string> = []
): ApiErrorData => {
  const parsed = parseBody(body)
  const code = parsed?.code ?? `HTTP_${status}`
  const text = parsed?.message ??
    (body.length === 0
      ? `HTTP ${status} with an empty body`
      : `HTTP ${status} with a body that is not a WeChat Pay error (${body.length} characters)`)
  const _tag = tagOf(status, code)
  const message = scrub(text, secrets) + (_tag === "SignError" ? SIGN_ERROR_HINT : "")
  return {
    _tag,
    status,
    code,
    message,
    ...(parsed?.detail === undefined ? {} : { detail: scrubValue(parsed.detail, secrets) }),
    ...(requestId === undefined ? {} : { requestId })
  }
}

/** Whether `status` is a redirect (3xx). @internal */
export const isRedirect = (status: number): boolean => status >= 300 && status < 400

/**
 * A 3xx: WeChat Pay never redirects an API call, so it is a proxy, a captive portal or an attack;
 * never followed, an `ApiError` with code `HTTP_REDIRECT` naming the status and the `Location`.
 *
 * @internal
 */
export const redirect = (status: number, location: string | undefined, requestId: string | undefined): ApiErrorData => {
  const shown = location === undefined
    ? "no Location"
    : `Location: ${location.replace(/[^\x20-\x7e]/g, "?").slice(0, 500)}`
  return {
    _tag: "ApiError",
    status,
    code: "HTTP_REDIRECT",
    message:
      `HTTP ${status} redirect (${shown}) not followed: WeChat Pay never redirects an API call, so this is a proxy, a captive portal or an attack`,
    ...(location === undefined ? {} : { detail: { location } }),
    ...(requestId === undefined ? {} : { requestId })
  }
}
