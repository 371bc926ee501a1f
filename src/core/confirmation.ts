/**
 * The user's confirmation page (确认订单页) after `createServiceOrder`: the merchant's front end
 * opens WeChat's Pay Score page with what the create answer's `package` gives (`package` is
 * opaque; GP's model comment says it is valid one hour).
 *
 * Two forms, both documented:
 * - **`package` only**, what the current pages pass: the mini program
 *   (`wx.openBusinessView({ businessType: "wxpayScoreUse", extraData: { package } })`, applets-confirm
 *   2025.03.05), JSAPI (`wx.invoke("openBusinessView", { businessType: "wxpayScoreUse", queryString:
 *   "package=…" })`, values UrlEncoded, jsapi-confirm 2024.11.21) and the acquiring bank's pages
 *   (/doc/v3/partner/4012090600, 2025.03.05);
 * - **the signed set** `mch_id`, `package`, `timestamp` (seconds), `nonce_str`, `sign_type`
 *   (`HMAC-SHA256`, the only one), `sign`: the 2019 mini-program and JSAPI pages, the APP page
 *   (/doc/v3/partner/4012155293, 2024.11.18: `WXOpenBusinessView` with `query`, k=v UrlEncoded)
 *   and the global mini-program page (/doc/global/v3/zh/4014096514). It is signed with the APIv2
 *   签名生成算法 under the **APIv2 key** (not the APIv3 key, not the RSA key): the non-empty
 *   parameters but `sign`, sorted by name (ASCII), joined `k=v&k=v`, then `&key=<APIv2 key>`;
 *   HMAC-SHA256 keyed with the APIv2 key; hex, upper case.
 *
 * No known answer exists for the Pay Score parameter set: the pages' `sign` example
 * (`029B52F67573D7E3BE74904BF9AEA`, 29 hex digits) is a placeholder. The signature is tested
 * against the one worked APIv2 example with a key and an expected value (the 安全规范 page's
 * generic parameters), which checks the algorithm, not the field set.
 *
 * WebCrypto only (async).
 *
 * @internal
 */
import { utf8 } from "./bytes.js"
import { type InputProblem, inputProblem } from "./path.js"

/** The `businessType` of the confirmation page. @internal */
export const BUSINESS_TYPE = "wxpayScoreUse"

/** The one documented `sign_type`. @internal */
export const SIGN_TYPE = "HMAC-SHA256"

/** What the current pages pass: the create answer's `package`, nothing else. @internal */
export interface ConfirmationPackage {
  readonly package: string
}

/** `wx.openBusinessView`'s argument in a mini program (without the callbacks). @internal */
export interface MiniProgramConfirmation {
  readonly businessType: typeof BUSINESS_TYPE
  readonly extraData: ConfirmationPackage
}

/** `wx.invoke("openBusinessView", …)`'s argument in a JSAPI page (without the callback). @internal */
export interface JsapiConfirmation {
  readonly businessType: typeof BUSINESS_TYPE
  /** `package=<UrlEncoded package>`. */
  readonly queryString: string
}

/** The signed parameter set, in the documented order (`mch_id`, `package`, `timestamp`, `nonce_str`, `sign_type`, `sign`). @internal */
export interface SignedConfirmation {
  readonly mch_id: string
  readonly package: string
  /** Seconds since the epoch, as a string. */
  readonly timestamp: string
  readonly nonce_str: string
  readonly sign_type: typeof SIGN_TYPE
  /** Upper-case hex HMAC-SHA256. */
  readonly sign: string
}

/** What the signed set is made from. @internal */
export interface SignedConfirmationInput {
  /** The merchant id (string[1,32]). */
  readonly mch_id: string
  /** The create answer's `package`. */
  readonly package: string
  /**
   * When it is signed, in seconds (the pages: 单位秒; WxJava sends milliseconds): a whole number or
   * its digits.
   */
  readonly timestamp: string | number
  /** 由数字、大小写字母组成,长度不超过32位. */
  readonly nonce_str: string
}

/** The characters of a `nonce_str` drawn for the signed set: digits and letters. @internal */
export const NONCE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

/** The length of a drawn `nonce_str` (the longest allowed). @internal */
export const NONCE_LENGTH = 32

/**
 * A `nonce_str` of `NONCE_LENGTH` characters from indexes into `NONCE_ALPHABET` (each line draws
 * them from its `Random`, so a seeded `Random` pins the nonce).
 *
 * @internal
 */
export const nonceFromIndexes = (indexes: ReadonlyArray<number>): string =>
  indexes.map((i) => {
    const c = NONCE_ALPHABET[i]
    if (c === undefined) throw new Error(`a nonce index is 0 to ${NONCE_ALPHABET.length - 1}, not ${i}`)
    return c
  }).join("")

const NONCE = /^[0-9A-Za-z]{1,32}$/
const DIGITS = /^\d{1,32}$/
const VISIBLE_ASCII = /^[\x21-\x7e]{1,32}$/

const packageProblem = (pkg: unknown): InputProblem | undefined =>
  typeof pkg === "string" && pkg.length > 0
    ? undefined
    : inputProblem("package", "package must be the create answer's package (a non-empty string)")

/**
 * `{ package }`: what the current mini-program, JSAPI and acquiring-bank pages pass.
 *
 * @internal
 */
export const confirmationPackage = (pkg: string): ConfirmationPackage | InputProblem =>
  packageProblem(pkg) ?? { package: pkg }

/** @internal */
export const miniProgramConfirmation = (pkg: string): MiniProgramConfirmation | InputProblem =>
  packageProblem(pkg) ?? { businessType: BUSINESS_TYPE, extraData: { package: pkg } }

/** @internal */
export const jsapiConfirmation = (pkg: string): JsapiConfirmation | InputProblem =>
  packageProblem(pkg) ?? { businessType: BUSINESS_TYPE, queryString: toQueryString({ package: pkg }) }

/**
 * `k=v&k=v` with each value UrlEncoded, in the order given: the JSAPI `queryString` and the APP
 * `query` (each at most 2048 characters; not checked here).
 *
 * @internal
 */
export const toQueryString = (params: Readonly<Record<string, string>>): string =>
  Object.entries(params).map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join("&")

const toHex = (bytes: Uint8Array): string => {
  let out = ""
  for (let i = 0; i < bytes.length; i++) out += bytes[i]!.toString(16).padStart(2, "0")
  return out.toUpperCase()
}

/**
 * The APIv2 signature, HMAC-SHA256 (签名生成算法): the parameters with a non-empty value, `sign`
 * excluded, sorted by name (ASCII), joined `k=v&k=v`, then `&key=<key>`; HMAC-SHA256 keyed with
 * the same key; upper-case hex. Values are signed as they are (not UrlEncoded).
 *
 * @internal
 */
export const apiV2HmacSha256 = async (
  params: Readonly<Record<string, string | undefined>>,
  key: string
): Promise<string> => {
  const names = Object.keys(params)
    .filter((name) => name !== "sign" && params[name] !== undefined && params[name] !== "")
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const text = `${names.map((name) => `${name}=${params[name]!}`).join("&")}&key=${key}`
  const hmacKey = await globalThis.crypto.subtle.importKey(
    "raw",
    utf8(key),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"]
  )
  return toHex(new Uint8Array(await globalThis.crypto.subtle.sign("HMAC", hmacKey, utf8(text))))
}

/**
 * The signed parameter set of the older and the APP / global pages, signed with the APIv2 key; or
 * the first input problem. `timestamp` and `nonce_str` are the caller's (the current time in
 * seconds, a fresh random string).
 *
 * @internal
 */
export const signedConfirmation = async (
  input: SignedConfirmationInput,
  apiV2Key: string
): Promise<SignedConfirmation | InputProblem> => {
  if (typeof input.mch_id !== "string" || !VISIBLE_ASCII.test(input.mch_id)) {
    return inputProblem("mch_id", "mch_id must be the merchant id: 1 to 32 printable ASCII characters")
  }
  const problem = packageProblem(input.package)
  if (problem !== undefined) return problem
  const timestamp = typeof input.timestamp === "number"
    ? (Number.isSafeInteger(input.timestamp) && input.timestamp >= 0 ? String(input.timestamp) : undefined)
    : (typeof input.timestamp === "string" && DIGITS.test(input.timestamp) ? input.timestamp : undefined)
  if (timestamp === undefined) {
    return inputProblem("timestamp", "timestamp must be a whole number of seconds (digits, at most 32)")
  }
  if (typeof input.nonce_str !== "string" || !NONCE.test(input.nonce_str)) {
    return inputProblem("nonce_str", "nonce_str must be 1 to 32 digits and letters (由数字、大小写字母组成)")
  }
  if (typeof apiV2Key !== "string" || apiV2Key.length === 0) {
    return inputProblem("apiV2Key", "apiV2Key must be the merchant's APIv2 key (not empty)")
  }
  const unsigned = {
    mch_id: input.mch_id,
    package: input.package,
    timestamp,
    nonce_str: input.nonce_str,
    sign_type: SIGN_TYPE
  } as const
  return { ...unsigned, sign: await apiV2HmacSha256(unsigned, apiV2Key) }
}
