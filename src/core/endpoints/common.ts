/**
 * Rules and errors shared by the Pay Score endpoints.
 *
 * @internal
 */
import type { DocumentedError } from "../endpoint.js"
import * as Fields from "../fields.js"

/** `authorization_code`'s documented character set (只能由数字、大小写字母、_-|* 组成). @internal */
export const AUTHORIZATION_CODE_CHARSET = /^[0-9A-Za-z_\-|*]*$/

/** @internal */
export const authorizationCode: Fields.StringRule = {
  ...Fields.segment(32, "授权协议号: the authorization_code the merchant chose when pre-authorizing"),
  checks: [(s) =>
    AUTHORIZATION_CODE_CHARSET.test(s)
      ? undefined
      : "may only contain digits, letters and _ - | * (the documented character set)"]
}

/** @internal */
export const openidSegment: Fields.StringRule = Fields.segment(128, "the user's openid under appid")
/** @internal */
export const openid: Fields.StringRule = Fields.id(128, "the user's openid under appid")
/** @internal */
export const subOpenid: Fields.StringRule = Fields.id(128, "the user's openid under sub_appid")
/** @internal */
export const serviceId: Fields.StringRule = Fields.id(32, "the Pay Score service_id")
/** @internal */
export const appid: Fields.StringRule = Fields.id(32, "the appid (公众号/小程序/APP)")
/** @internal */
export const subAppid: Fields.StringRule = Fields.id(32, "the sub-merchant's appid")
/** @internal */
export const subMchid: Fields.StringRule = Fields.id(32, "the sub-merchant id (子商户号)")
/** @internal */
export const channelId: Fields.StringRule = Fields.id(32, "the channel id (渠道商商户号)")
/** @internal */
export const mchid: Fields.StringRule = Fields.id(32, "a merchant id (商户号)")

/** The maximum length of `reason`, in characters (`用户投诉` is 4). @internal */
export const REASON_MAX_LENGTH = 50

/** @internal */
export const reason: Fields.StringRule = Fields.text(REASON_MAX_LENGTH, "why (at most 50 characters, any script)")

/** `notify_url`: string(255) in the documentation of the apply endpoints. @internal */
export const NOTIFY_URL_MAX_LENGTH = 255

/** @internal */
export const notifyUrl: Fields.StringRule = Fields.url(
  NOTIFY_URL_MAX_LENGTH,
  "https://example.com/payscore/notify",
  "where WeChat Pay sends the notifications (an absolute http(s) URL)"
)

/**
 * The errors every APIv3 endpoint may answer (the general APIv3 rules): the official
 * pages of the permission queries print no table of their own.
 *
 * @internal
 */
export const COMMON_ERRORS: ReadonlyArray<DocumentedError> = [
  { status: 400, code: "PARAM_ERROR", meaning: "a parameter is wrong (参数错误)" },
  { status: 400, code: "INVALID_REQUEST", meaning: "the request does not fit the rules (e.g. no Accept/User-Agent)" },
  { status: 401, code: "SIGN_ERROR", meaning: "the signature did not verify (签名错误)" },
  { status: 403, code: "NO_AUTH", meaning: "the merchant lacks the permission (商户无权限)" },
  { status: 429, code: "FREQUENCY_LIMITED", meaning: "too frequent (频率超限)" },
  { status: 500, code: "SYSTEM_ERROR", meaning: "WeChat Pay failed; retry (系统错误)" }
]

/** `COMMON_ERRORS` and a 404 for queries of a record that may not exist. @internal */
export const QUERY_ERRORS: ReadonlyArray<DocumentedError> = [
  ...COMMON_ERRORS,
  { status: 404, code: "NOT_FOUND", meaning: "no such record (记录不存在)" }
]

/** The "exactly one of `openid` / `sub_openid`, and `sub_openid` needs `sub_appid`" rule. @internal */
export const oneOpenid = (p: {
  readonly openid?: string | undefined
  readonly sub_openid?: string | undefined
  readonly sub_appid?: string | undefined
}): Fields.ObjectProblem | undefined => {
  if (p.openid === undefined && p.sub_openid === undefined) {
    return { path: ["openid"], message: "or sub_openid is required (exactly one of them)" }
  }
  if (p.openid !== undefined && p.sub_openid !== undefined) {
    return { path: ["sub_openid"], message: "must not be given with openid: give exactly one of openid and sub_openid" }
  }
  if (p.sub_openid !== undefined && p.sub_appid === undefined) {
    return { path: ["sub_appid"], message: "is required with sub_openid (the sub_openid is under sub_appid)" }
  }
  return undefined
}
