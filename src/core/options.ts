/**
 * Every option of the library checked in one place, before anything is imported or sent: each
 * problem names its option and says what is expected (never echoing a secret: a `baseUrl` with a
 * password is described, not quoted). Durations arrive already read by the Effect line (`millis`),
 * or marked unreadable.
 *
 * @internal
 */

/** A problem with one option. `message` starts with the option's name. @internal */
export interface OptionProblem {
  readonly _tag: "OptionProblem"
  readonly option: string
  readonly message: string
}

/** @internal */
export const optionProblem = (option: string, message: string): OptionProblem => ({
  _tag: "OptionProblem",
  option,
  message: `${option} ${message}`
})

/** @internal */
export const isOptionProblem = (u: unknown): u is OptionProblem =>
  typeof u === "object" && u !== null && (u as { _tag?: unknown })._tag === "OptionProblem"

/** A duration as the Effect line read it: milliseconds, or not a duration at all. @internal */
export type DurationRead = { readonly millis: number } | "invalid" | undefined

/** The production host. @internal */
export const DEFAULT_BASE_URL = "https://api.mch.weixin.qq.com"

/** The defaults, in milliseconds and counts. @internal */
export const DEFAULTS = {
  timeoutMillis: 10_000,
  retries: 2,
  retryBaseDelayMillis: 200,
  maxClockSkewMillis: 5 * 60_000,
  maxResponseBytes: 1_048_576,
  certificateRefreshIntervalMillis: 12 * 3_600_000,
  certificateRefreshMinGapMillis: 60_000
} as const

const MCHID = /^[0-9A-Za-z_-]{1,32}$/
const HEX = /^[0-9A-Fa-f]{1,64}$/
const KEY_ID = /^[\x21-\x7e]{1,128}$/
const PRINTABLE = /^[\x20-\x7e]+$/

/**
 * `baseUrl`: an absolute http(s) URL without credentials, query or fragment; the trailing slashes
 * dropped. The URL is never quoted back (it may hold a password).
 *
 * @internal
 */
export const checkBaseUrl = (baseUrl: unknown): string | OptionProblem => {
  if (typeof baseUrl !== "string") return optionProblem("baseUrl", "must be a string")
  let url: URL
  try {
    url = new URL(baseUrl)
  } catch {
    return optionProblem("baseUrl", "is not a URL: expected e.g. https://api.mch.weixin.qq.com")
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return optionProblem("baseUrl", "must be an http(s) URL, e.g. https://api.mch.weixin.qq.com")
  }
  if (url.username !== "" || url.password !== "") {
    return optionProblem(
      "baseUrl",
      "must not have a query, a fragment or credentials (this one has user:password@; WeChat Pay authenticates by signature)"
    )
  }
  if (url.search !== "" || url.hash !== "" || /[?#]/.test(baseUrl)) {
    return optionProblem(
      "baseUrl",
      "must not have a query, a fragment or credentials (it is the host and an optional path prefix)"
    )
  }
  return url.href.replace(/\/+$/, "")
}

const positive = (option: string, read: DurationRead, fallback: number, example: string): number | OptionProblem => {
  if (read === undefined) return fallback
  if (read === "invalid" || !(read.millis > 0) || !Number.isFinite(read.millis)) {
    return optionProblem(option, `must be a positive duration, e.g. "${example}"`)
  }
  return read.millis
}

/** What the checks read. @internal */
export interface Input {
  readonly mchid: unknown
  readonly merchantSerialNo: unknown
  readonly wechatpayPublicKey?: unknown
  readonly platformCertificates?: unknown
  readonly apiV3KeyGiven: boolean
  readonly baseUrl?: unknown
  readonly userAgent?: unknown
  readonly retries?: unknown
  readonly maxResponseBytes?: unknown
  readonly timeout?: DurationRead
  readonly retryBaseDelay?: DurationRead
  readonly maxClockSkew?: DurationRead
  readonly certificateRefreshInterval?: DurationRead
  readonly certificateRefreshMinGap?: DurationRead
}

/**
 * Whether the options ask for downloaded certificates: `platformCertificates: "auto"`, or an APIv3
 * key with no verifier given.
 *
 * @internal
 */
export const wantsDownload = (input: Pick<Input, "platformCertificates" | "wechatpayPublicKey" | "apiV3KeyGiven">) =>
  input.platformCertificates === "auto" ||
  (input.platformCertificates === undefined && input.wechatpayPublicKey === undefined && input.apiV3KeyGiven)

/** The key options, checked. @internal */
export interface CheckedKeys {
  readonly mchid: string
  /** Uppercase hex, as WeChat Pay prints it. */
  readonly merchantSerialNo: string
  /** The public key id, when a WeChat Pay public key is given. */
  readonly publicKeyId: string | undefined
  /** `auto`: downloaded from `GET /v3/certificates`; `configured`: given (or none, with a public key). */
  readonly certificates: "auto" | "configured"
}

/**
 * The key options (not the material itself: `keys.ts` imports that): ids, which verifiers, and the
 * APIv3 key when certificates are downloaded.
 *
 * @internal
 */
export const checkKeys = (
  input: Pick<Input, "mchid" | "merchantSerialNo" | "wechatpayPublicKey" | "platformCertificates" | "apiV3KeyGiven">
): CheckedKeys | OptionProblem => {
  if (typeof input.mchid !== "string" || !MCHID.test(input.mchid)) {
    return optionProblem("mchid", "must be the merchant id: 1 to 32 letters or digits")
  }
  if (typeof input.merchantSerialNo !== "string" || !HEX.test(input.merchantSerialNo)) {
    return optionProblem("merchantSerialNo", "must be the hex serial number of the merchant API certificate")
  }
  let publicKeyId: string | undefined
  if (input.wechatpayPublicKey !== undefined) {
    const given = input.wechatpayPublicKey as { readonly id?: unknown } | null
    const id = typeof given === "object" && given !== null ? given.id : undefined
    if (typeof id !== "string" || !KEY_ID.test(id)) {
      return optionProblem("wechatpayPublicKey.id", "must be the public key id (PUB_KEY_ID_…), printable ASCII")
    }
    publicKeyId = id
  }
  const certificates = input.platformCertificates
  if (certificates !== undefined && certificates !== "auto" && !Array.isArray(certificates)) {
    return optionProblem("platformCertificates", 'must be an array of X.509 PEM strings, or "auto"')
  }
  const auto = wantsDownload(input)
  if (
    !auto && publicKeyId === undefined && (certificates === undefined || (certificates as Array<unknown>).length === 0)
  ) {
    return optionProblem(
      "wechatpayPublicKey",
      "or platformCertificates is required: without a key to verify WeChat Pay's answers, no answer can be trusted"
    )
  }
  if (auto && !input.apiV3KeyGiven) {
    return optionProblem(
      "apiV3Key",
      'is required to download the platform certificates (platformCertificates: "auto"): they come encrypted with it'
    )
  }
  return {
    mchid: input.mchid,
    merchantSerialNo: input.merchantSerialNo.toUpperCase(),
    publicKeyId,
    certificates: auto ? "auto" : "configured"
  }
}

/** The client options, checked. @internal */
export interface CheckedClient {
  readonly baseUrl: string
  readonly userAgent: string | undefined
  readonly retries: number
  readonly maxResponseBytes: number
  readonly timeoutMillis: number
  readonly retryBaseDelayMillis: number
}

/** @internal */
export const checkClient = (
  input: Pick<Input, "baseUrl" | "userAgent" | "retries" | "maxResponseBytes" | "timeout" | "retryBaseDelay">
): CheckedClient | OptionProblem => {
  const baseUrl = checkBaseUrl(input.baseUrl ?? DEFAULT_BASE_URL)
  if (isOptionProblem(baseUrl)) return baseUrl
  const userAgent = input.userAgent
  if (userAgent !== undefined && (typeof userAgent !== "string" || !PRINTABLE.test(userAgent))) {
    return optionProblem("userAgent", "must be printable ASCII")
  }
  const retries = input.retries ?? DEFAULTS.retries
  if (typeof retries !== "number" || !Number.isSafeInteger(retries) || retries < 0) {
    return optionProblem("retries", "must be a whole number, 0 or more")
  }
  const maxResponseBytes = input.maxResponseBytes ?? DEFAULTS.maxResponseBytes
  if (typeof maxResponseBytes !== "number" || !Number.isSafeInteger(maxResponseBytes) || maxResponseBytes < 1) {
    return optionProblem("maxResponseBytes", "must be a whole number of bytes, 1 or more")
  }
  const timeoutMillis = positive("timeout", input.timeout, DEFAULTS.timeoutMillis, "10 seconds")
  if (isOptionProblem(timeoutMillis)) return timeoutMillis
  let retryBaseDelayMillis: number = DEFAULTS.retryBaseDelayMillis
  if (input.retryBaseDelay !== undefined) {
    if (input.retryBaseDelay === "invalid" || !(input.retryBaseDelay.millis >= 0)) {
      return optionProblem("retryBaseDelay", 'must be a duration, e.g. "200 millis"')
    }
    retryBaseDelayMillis = input.retryBaseDelay.millis
  }
  return {
    baseUrl,
    userAgent: userAgent as string | undefined,
    retries,
    maxResponseBytes,
    timeoutMillis,
    retryBaseDelayMillis
  }
}

/** @internal */
export const checkSigner = (
  input: Pick<Input, "maxClockSkew">
): { readonly maxClockSkewMillis: number } | OptionProblem => {
  const maxClockSkewMillis = positive("maxClockSkew", input.maxClockSkew, DEFAULTS.maxClockSkewMillis, "5 minutes")
  return isOptionProblem(maxClockSkewMillis) ? maxClockSkewMillis : { maxClockSkewMillis }
}

/** The certificate download options, checked. @internal */
export interface CheckedCertificates {
  readonly certificateRefreshIntervalMillis: number
  readonly certificateRefreshMinGapMillis: number
}

/** @internal */
export const checkCertificates = (
  input: Pick<Input, "certificateRefreshInterval" | "certificateRefreshMinGap">
): CheckedCertificates | OptionProblem => {
  const certificateRefreshIntervalMillis = positive(
    "certificateRefreshInterval",
    input.certificateRefreshInterval,
    DEFAULTS.certificateRefreshIntervalMillis,
    "12 hours"
  )
  if (isOptionProblem(certificateRefreshIntervalMillis)) return certificateRefreshIntervalMillis
  const certificateRefreshMinGapMillis = positive(
    "certificateRefreshMinGap",
    input.certificateRefreshMinGap,
    DEFAULTS.certificateRefreshMinGapMillis,
    "60 seconds"
  )
  if (isOptionProblem(certificateRefreshMinGapMillis)) return certificateRefreshMinGapMillis
  return { certificateRefreshIntervalMillis, certificateRefreshMinGapMillis }
}

/** Every option, checked. @internal */
export interface Checked extends CheckedKeys, CheckedClient, CheckedCertificates {
  readonly maxClockSkewMillis: number
}

/**
 * Every option but the key material itself, for every mode: the first problem (keys, then the
 * client, the signer, the certificate download), or the options normalized. `WechatPay.layer`
 * runs it before anything is imported or sent.
 *
 * @internal
 */
export const check = (input: Input): Checked | OptionProblem => {
  const keys = checkKeys(input)
  if (isOptionProblem(keys)) return keys
  const client = checkClient(input)
  if (isOptionProblem(client)) return client
  const signer = checkSigner(input)
  if (isOptionProblem(signer)) return signer
  const certificates = checkCertificates(input)
  if (isOptionProblem(certificates)) return certificates
  return { ...keys, ...client, ...signer, ...certificates }
}
