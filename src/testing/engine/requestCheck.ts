/**
 * The checks WeChat Pay makes of every request before it looks at what is asked: `Accept` and
 * `User-Agent` present (400 `INVALID_REQUEST`), and the `Authorization` header (401 `SIGN_ERROR`):
 * its scheme and format, the merchant, the merchant certificate serial, the timestamp window, and
 * the signature over the exact method, request target and body, with `detail.sign_information` when
 * the signature does not hold. Messages are WeChat Pay's own where they are documented.
 *
 * @internal
 */
import * as Authorization from "../../core/authorization.js"
import * as Bytes from "../../core/bytes.js"
import { apiError } from "./answers.js"
import type { SandboxKeys } from "./keys.js"
import type { Incoming, Plan } from "./types.js"

export type { Incoming } from "./types.js"

/**
 * @internal
 */
export interface CheckContext {
  readonly keys: SandboxKeys
  /** Milliseconds since the epoch. */
  readonly now: number
  /** Requests whose timestamp is more than this far from `now` are refused. */
  readonly maxClockSkewMillis: number
}

/**
 * How much of the body `truncated_sign_message` shows (WeChat Pay cuts the body short).
 *
 * @internal
 */
export const TRUNCATED_BODY_LENGTH = 8

/**
 * `detail.sign_information` of a `SIGN_ERROR`: what WeChat Pay verified, the body cut short.
 *
 * @internal
 */
export const signInformation = (input: {
  readonly method: string
  readonly url: string
  readonly timestamp: string
  readonly nonce: string
  readonly body: string
}) => ({
  method: input.method,
  sign_message_length: Bytes.utf8(Authorization.requestMessage(input)).length,
  truncated_sign_message: Authorization.requestMessage({ ...input, body: input.body.slice(0, TRUNCATED_BODY_LENGTH) }),
  url: input.url
})

const signError = (message: string, detail?: unknown): Plan => apiError(401, "SIGN_ERROR", message, detail)

/**
 * `METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n` as bytes, with the body bytes exactly as received
 * (no decoding and re-encoding in between) when the request has them.
 *
 * @internal
 */
export const signedBytes = (incoming: Incoming, timestamp: string, nonce: string): Uint8Array<ArrayBuffer> => {
  if (incoming.bodyBytes === undefined) {
    return Bytes.utf8(
      Authorization.requestMessage({
        method: incoming.method,
        url: incoming.url,
        timestamp,
        nonce,
        body: incoming.body
      })
    )
  }
  const head = Bytes.utf8(`${incoming.method}\n${incoming.url}\n${timestamp}\n${nonce}\n`)
  const out = new Uint8Array(head.length + incoming.bodyBytes.length + 1)
  out.set(head, 0)
  out.set(incoming.bodyBytes, head.length)
  out[out.length - 1] = 0x0a
  return out
}

const verifyOver = (key: CryptoKey, signature: Uint8Array<ArrayBuffer>, message: Uint8Array<ArrayBuffer>) =>
  globalThis.crypto.subtle.verify({ name: "RSASSA-PKCS1-v1_5" }, key, signature, message)

const TIMESTAMP = /^\d{1,12}$/
const REQUIRED_FIELDS = ["mchid", "nonce_str", "signature", "timestamp", "serial_no"] as const

/**
 * The error answer a request earns, or `undefined` when it passes.
 *
 * @internal
 */
export const checkRequest = async (incoming: Incoming, context: CheckContext): Promise<Plan | undefined> => {
  const accept = incoming.headers["accept"]
  const userAgent = incoming.headers["user-agent"]
  if (accept === undefined || accept.trim() === "" || userAgent === undefined || userAgent.trim() === "") {
    return apiError(400, "INVALID_REQUEST", "Http头缺少Accept或User-Agent")
  }

  const header = incoming.headers["authorization"]
  if (header === undefined || header.trim() === "") return signError("Http头Authorization值格式错误")
  const scheme = header.trimStart().split(/\s/, 1)[0]!
  if (scheme !== Authorization.SCHEME) return signError("Http头Authorization认证类型不正确")
  const fields = Authorization.parseAuthorization(header)
  if (fields === undefined || REQUIRED_FIELDS.some((name) => (fields[name] ?? "") === "")) {
    return signError("Http头Authorization值格式错误")
  }
  const { mchid, nonce_str: nonce, serial_no: serialNo, signature, timestamp } = fields as Record<
    (typeof REQUIRED_FIELDS)[number],
    string
  >
  if (mchid !== context.keys.mchid) {
    return signError(
      `Http头Authorization中的mchid有误: ${mchid} is not the merchant of this sandbox (${context.keys.mchid})`
    )
  }
  if (serialNo.toUpperCase() !== context.keys.merchantSerialNo.toUpperCase()) {
    return signError("商户证书序列号有误。")
  }
  if (
    !TIMESTAMP.test(timestamp) || Math.abs(context.now - Number(timestamp) * 1000) > context.maxClockSkewMillis
  ) {
    return signError("Http头Authorization中的timestamp与发起请求的时间不得超过5分钟")
  }
  const message = { method: incoming.method, url: incoming.url, timestamp, nonce, body: incoming.body }
  const bytes = Bytes.fromBase64(signature)
  const ok = bytes !== undefined &&
    (await verifyOver(context.keys.merchantVerifyingKey, bytes, signedBytes(incoming, timestamp, nonce)).catch(() =>
      false
    ))
  if (!ok) {
    return signError("错误的签名，验签失败", {
      field: "signature",
      issue: "sign not match",
      location: "authorization",
      sign_information: signInformation(message)
    })
  }
  return undefined
}
