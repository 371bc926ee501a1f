/**
 * The sandbox's answers: what it means to answer (a `Plan`: status, body, WeChat Pay code), and how
 * a plan goes on the wire (an `Action`): signed with the key the request asked for, with a
 * `Request-ID`, or bent by a fault (another status, an HTML gateway page, a delay, a reset
 * connection, a tampered body, a wrong key, a SIGNTEST probe, a skewed clock, a missing header).
 *
 * @internal
 */
import * as Bytes from "../../core/bytes.js"
import * as Verification from "../../core/verification.js"
import * as Fixtures from "../fixtures.js"
import { signAnswer, type SigningKey } from "./signing.js"
import type { Action, Fault, Plan } from "./types.js"

export type { Action, Plan } from "./types.js"

/**
 * A 2xx (or any) JSON answer.
 *
 * @internal
 */
export const json = (status: number, value: unknown): Plan => ({
  status,
  body: JSON.stringify(value),
  code: undefined
})

/**
 * A WeChat Pay error answer: `{"code","message","detail"?}`.
 *
 * @internal
 */
export const apiError = (status: number, code: string, message: string, detail?: unknown): Plan => ({
  status,
  body: JSON.stringify(detail === undefined ? { code, message } : { code, message, detail }),
  code
})

const DEFAULT_CODES: Readonly<Record<number, readonly [code: string, message: string]>> = {
  400: ["PARAM_ERROR", "参数错误"],
  401: ["SIGN_ERROR", "签名错误"],
  403: ["NO_AUTH", "商户无权限"],
  404: ["NOT_FOUND", "资源不存在"],
  429: ["FREQUENCY_LIMITED", "频率超限"],
  500: ["SYSTEM_ERROR", "系统错误"],
  502: ["SERVICE_UNAVAILABLE", "服务不可用"],
  503: ["SERVICE_UNAVAILABLE", "服务不可用"],
  504: ["SERVICE_UNAVAILABLE", "服务不可用"]
}

/**
 * WeChat Pay's usual `code` and `message` for a status.
 *
 * @internal
 */
export const defaultCode = (status: number): readonly [code: string, message: string] =>
  DEFAULT_CODES[status] ?? [status >= 500 ? "SYSTEM_ERROR" : `HTTP_${status}`, `HTTP ${status}`]

/**
 * The body of a gateway error page (no JSON, no signature).
 *
 * @internal
 */
export const gatewayPage = (status: number): string =>
  `<html>\r\n<head><title>${status} Bad Gateway</title></head>\r\n<body>\r\n<center><h1>${status} Bad Gateway</h1></center>\r\n<hr><center>stgw</center>\r\n</body>\r\n</html>\r\n`

/**
 * What `render` needs besides the plan.
 *
 * @internal
 */
export interface RenderContext {
  /** The key the request asked for with `Wechatpay-Serial`. */
  readonly signing: SigningKey
  /** Seconds since the epoch. */
  readonly now: number
  readonly requestId: string
  readonly fault: Fault | undefined
  /** How long a `Delay` fault waits (its own duration, or the sandbox's `faultDelay`), in milliseconds. */
  readonly delayMillis: number
}

const randomBase64 = (bytes: number): string => Bytes.toBase64(globalThis.crypto.getRandomValues(new Uint8Array(bytes)))

/**
 * A different body of the same kind: the state of a record flipped, else a field added.
 *
 * @internal
 */
export const tamper = (body: string): string => {
  try {
    const parsed: unknown = JSON.parse(body)
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
      const record = parsed as Record<string, unknown>
      if (typeof record.authorization_state === "string") {
        return JSON.stringify({
          ...record,
          authorization_state: record.authorization_state === "AVAILABLE" ? "UNAVAILABLE" : "AVAILABLE"
        })
      }
      return JSON.stringify({ ...record, tampered: true })
    }
  } catch {
    // not JSON: fall through
  }
  return `${body} `
}

/**
 * Puts a plan on the wire, bent by the fault if there is one.
 *
 * @internal
 */
export const render = async (plan: Plan, context: RenderContext): Promise<Action> => {
  const fault = context.fault
  if (fault?._tag === "ConnectionReset") return { _tag: "Reset" }
  if (fault?._tag === "GatewayHtml") {
    const status = fault.status ?? 502
    return {
      _tag: "Respond",
      status,
      headers: { "content-type": "text/html", "request-id": context.requestId },
      body: gatewayPage(status),
      code: undefined,
      delayMillis: undefined
    }
  }
  let sent = plan
  let signed = true
  if (fault?._tag === "Status") {
    const [code, message] = defaultCode(fault.status)
    sent = apiError(fault.status, fault.code ?? code, fault.message ?? message)
    signed = fault.signed ?? true
  }
  let signedBody = sent.body
  let body = sent.body
  let key = context.signing
  let timestamp = context.now
  if (fault?._tag === "TamperedBody") body = fault.body ?? tamper(sent.body)
  if (fault?._tag === "WrongKey") {
    key = { privateKey: fault.privateKey ?? Fixtures.strangerPrivateKey, serial: context.signing.serial }
  }
  if (fault?._tag === "ClockSkew") timestamp = context.now + (fault.seconds ?? -600)
  if (fault?._tag === "TamperedBody" && body === signedBody) signedBody = `${body} `
  const headers: Record<string, string> = {
    ...(body === "" ? {} : { "content-type": "application/json" }),
    "request-id": context.requestId,
    ...(signed ? await signAnswer({ key, body: signedBody, timestamp }) : {})
  }
  if (signed && fault?._tag === "SignTest") {
    headers["wechatpay-signature"] = `${Verification.SIGNTEST_PREFIX}${randomBase64(256)}`
  }
  if (signed && fault?._tag === "MissingHeader") delete headers[(fault.header ?? "Wechatpay-Signature").toLowerCase()]
  return {
    _tag: "Respond",
    status: sent.status,
    headers,
    body,
    code: sent.code,
    delayMillis: fault?._tag === "Delay" ? context.delayMillis : undefined
  }
}
