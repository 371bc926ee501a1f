/**
 * WeChat Pay error answers → the library's typed errors. Shared by `WechatPayClient` (every call)
 * and `KeyStore` (the certificate download), so both map a status and body the same way.
 *
 * @internal
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import {
  ApiError,
  type ApiErrors,
  FrequencyLimited,
  InvalidRequest,
  NoAuth,
  NotFound,
  ParamError,
  SignError,
  SystemError
} from "../errors/WechatPayError.js"

const ErrorBody = Schema.Struct({
  code: Schema.String,
  message: Schema.String,
  detail: Schema.optional(Schema.Unknown)
})
const decodeErrorBody = Schema.decodeUnknownEither(Schema.parseJson(ErrorBody))

/**
 * Appended to WeChat Pay's text of a 401 `SIGN_ERROR`: WeChat Pay cannot tell why our signature
 * failed, and the usual reasons are local.
 *
 * @internal
 */
export const SIGN_ERROR_HINT =
  " (likely local causes: merchantPrivateKey is not the private key of the merchant API certificate merchantSerialNo names, or merchantSerialNo/mchid is wrong, or this machine's clock is off by minutes)"

/**
 * Maps a non-2xx answer to its typed error: WeChat Pay's `code`, `message`, `detail` and the
 * `Request-ID` are kept.
 *
 * @internal
 */
export const toApiError = (status: number, body: string, requestId: string | undefined): ApiErrors => {
  const decoded = decodeErrorBody(body)
  const parsed = Either.isRight(decoded) ? decoded.right : undefined
  const code = parsed?.code ?? `HTTP_${status}`
  const message = parsed?.message ??
    (body.length === 0
      ? `HTTP ${status} with an empty body`
      : `HTTP ${status} with a body that is not a WeChat Pay error (${body.length} characters)`)
  const fields = {
    status,
    code,
    message,
    ...(parsed?.detail === undefined ? {} : { detail: parsed.detail }),
    ...(requestId === undefined ? {} : { requestId })
  }
  if (status === 400 && code === "PARAM_ERROR") return new ParamError(fields)
  if (status === 400 && code === "INVALID_REQUEST") return new InvalidRequest(fields)
  if (status === 401 && code === "SIGN_ERROR") {
    return new SignError({ ...fields, message: `${message}${SIGN_ERROR_HINT}` })
  }
  if (status === 403 && code === "NO_AUTH") return new NoAuth(fields)
  if (status === 404) return new NotFound(fields)
  if (status === 429) return new FrequencyLimited(fields)
  if (status >= 500 && status <= 599) return new SystemError(fields)
  return new ApiError(fields)
}
