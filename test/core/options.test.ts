/**
 * Every option checked in one place (src/core/options.ts), before anything is imported or sent:
 * each problem names its option and says what is expected (a `baseUrl` with a password is
 * described, never quoted); what passes comes back normalized (`merchantSerialNo` uppercased,
 * `baseUrl` without trailing slashes, the defaults filled in).
 */
import { describe, expect, it } from "@effect/vitest"
import * as Options from "../../src/core/options.js"

const keys = {
  mchid: "1900000001",
  merchantSerialNo: "5157F09EFDC096DE15EBE81A47057A7232F1B8E1",
  wechatpayPublicKey: { id: "PUB_KEY_ID_0119000000012026112200000000000001", pem: "…" },
  apiV3KeyGiven: false
}

const problem = (option: string, message: string): Options.OptionProblem => ({
  _tag: "OptionProblem",
  option,
  message: `${option} ${message}`
})

describe("checkKeys", () => {
  it("what passes: the ids, the public key id, merchantSerialNo uppercased, configured or downloaded certificates", () => {
    expect(Options.checkKeys({ ...keys, merchantSerialNo: "5157f09efdc096de15ebe81a47057a7232f1b8e1" })).toEqual({
      mchid: "1900000001",
      merchantSerialNo: "5157F09EFDC096DE15EBE81A47057A7232F1B8E1",
      publicKeyId: "PUB_KEY_ID_0119000000012026112200000000000001",
      certificates: "configured"
    })
    expect(Options.checkKeys({ ...keys, wechatpayPublicKey: undefined, platformCertificates: ["pem"] })).toMatchObject({
      publicKeyId: undefined,
      certificates: "configured"
    })
    expect(Options.checkKeys({ ...keys, wechatpayPublicKey: undefined, apiV3KeyGiven: true })).toMatchObject({
      certificates: "auto"
    })
    expect(Options.checkKeys({ ...keys, platformCertificates: "auto", apiV3KeyGiven: true })).toMatchObject({
      publicKeyId: keys.wechatpayPublicKey.id,
      certificates: "auto"
    })
  })

  it("mchid and merchantSerialNo: what they must be", () => {
    for (const mchid of [undefined, 1900000001, "", "a".repeat(33), "19000 00001", "商户"]) {
      expect(Options.checkKeys({ ...keys, mchid })).toEqual(
        problem("mchid", "must be the merchant id: 1 to 32 letters or digits")
      )
    }
    for (const merchantSerialNo of [undefined, "", "XYZ", "5157F09E-FDC0", "A".repeat(65)]) {
      expect(Options.checkKeys({ ...keys, merchantSerialNo })).toEqual(
        problem("merchantSerialNo", "must be the hex serial number of the merchant API certificate")
      )
    }
  })

  it("wechatpayPublicKey.id: a printable ASCII id of 1 to 128 characters", () => {
    for (
      const wechatpayPublicKey of [null, "pem", {}, { id: "" }, { id: "PUB KEY" }, { id: "x".repeat(129) }, { id: 1 }]
    ) {
      expect(Options.checkKeys({ ...keys, wechatpayPublicKey })).toEqual(
        problem("wechatpayPublicKey.id", "must be the public key id (PUB_KEY_ID_…), printable ASCII")
      )
    }
  })

  it('platformCertificates: an array or "auto"; no verifier at all is refused; "auto" needs the APIv3 key', () => {
    for (const platformCertificates of ["pem", 1, { pem: "x" }, null]) {
      expect(Options.checkKeys({ ...keys, platformCertificates })).toEqual(
        problem("platformCertificates", 'must be an array of X.509 PEM strings, or "auto"')
      )
    }
    const none = problem(
      "wechatpayPublicKey",
      "or platformCertificates is required: without a key to verify WeChat Pay's answers, no answer can be trusted"
    )
    expect(Options.checkKeys({ ...keys, wechatpayPublicKey: undefined })).toEqual(none)
    expect(Options.checkKeys({ ...keys, wechatpayPublicKey: undefined, platformCertificates: [] })).toEqual(none)
    expect(Options.checkKeys({ ...keys, platformCertificates: "auto" })).toEqual(
      problem(
        "apiV3Key",
        'is required to download the platform certificates (platformCertificates: "auto"): they come encrypted with it'
      )
    )
  })

  it('wantsDownload: "auto", or an APIv3 key with no verifier given', () => {
    expect(Options.wantsDownload({ platformCertificates: "auto", apiV3KeyGiven: false })).toBe(true)
    expect(Options.wantsDownload({ apiV3KeyGiven: true })).toBe(true)
    expect(Options.wantsDownload({ apiV3KeyGiven: true, wechatpayPublicKey: {} })).toBe(false)
    expect(Options.wantsDownload({ apiV3KeyGiven: true, platformCertificates: [] })).toBe(false)
    expect(Options.wantsDownload({ apiV3KeyGiven: false })).toBe(false)
  })
})

describe("checkBaseUrl", () => {
  it("an absolute http(s) URL, a path prefix kept, trailing slashes dropped", () => {
    expect(Options.checkBaseUrl("https://api.mch.weixin.qq.com")).toBe("https://api.mch.weixin.qq.com")
    expect(Options.checkBaseUrl("https://api.mch.weixin.qq.com///")).toBe("https://api.mch.weixin.qq.com")
    expect(Options.checkBaseUrl("http://127.0.0.1:8080/proxy/")).toBe("http://127.0.0.1:8080/proxy")
  })

  it("not a string, not a URL, another protocol", () => {
    expect(Options.checkBaseUrl(1)).toEqual(problem("baseUrl", "must be a string"))
    expect(Options.checkBaseUrl("api.mch.weixin.qq.com")).toEqual(
      problem("baseUrl", "is not a URL: expected e.g. https://api.mch.weixin.qq.com")
    )
    expect(Options.checkBaseUrl("ftp://api.mch.weixin.qq.com")).toEqual(
      problem("baseUrl", "must be an http(s) URL, e.g. https://api.mch.weixin.qq.com")
    )
  })

  it("credentials, a query or a fragment are refused without echoing the URL (nor its password)", () => {
    const credentials = problem(
      "baseUrl",
      "must not have a query, a fragment or credentials (this one has user:password@; WeChat Pay authenticates by signature)"
    )
    for (const url of ["http://user:s3cret-pw@127.0.0.1:1", "http://user@127.0.0.1", "http://:s3cret-pw@127.0.0.1"]) {
      const checked = Options.checkBaseUrl(url)
      expect(checked).toEqual(credentials)
      expect(JSON.stringify(checked)).not.toContain("s3cret-pw")
    }
    const queryOrFragment = problem(
      "baseUrl",
      "must not have a query, a fragment or credentials (it is the host and an optional path prefix)"
    )
    for (
      const url of [
        "https://example.com/?a=1",
        "https://example.com/#top",
        "https://example.com/?",
        "https://example.com#"
      ]
    ) {
      expect([url, Options.checkBaseUrl(url)]).toEqual([url, queryOrFragment])
    }
  })
})

describe("checkClient", () => {
  it("the defaults", () => {
    expect(Options.checkClient({})).toEqual({
      baseUrl: Options.DEFAULT_BASE_URL,
      userAgent: undefined,
      retries: 2,
      maxResponseBytes: 1_048_576,
      timeoutMillis: 10_000,
      retryBaseDelayMillis: 200
    })
    expect(Options.DEFAULT_BASE_URL).toBe("https://api.mch.weixin.qq.com")
    expect(Options.DEFAULTS).toEqual({
      timeoutMillis: 10_000,
      retries: 2,
      retryBaseDelayMillis: 200,
      maxClockSkewMillis: 300_000,
      maxResponseBytes: 1_048_576,
      certificateRefreshIntervalMillis: 43_200_000,
      certificateRefreshMinGapMillis: 60_000
    })
  })

  it("given values pass through: retries 0, a 1-byte cap, a zero retryBaseDelay, a printable userAgent", () => {
    expect(Options.checkClient({
      baseUrl: "http://127.0.0.1:1/",
      userAgent: "my-app/1.0 (linux)",
      retries: 0,
      maxResponseBytes: 1,
      timeout: { millis: 1500 },
      retryBaseDelay: { millis: 0 }
    })).toEqual({
      baseUrl: "http://127.0.0.1:1",
      userAgent: "my-app/1.0 (linux)",
      retries: 0,
      maxResponseBytes: 1,
      timeoutMillis: 1500,
      retryBaseDelayMillis: 0
    })
  })

  it("each problem, with its message", () => {
    const cases: ReadonlyArray<readonly [Parameters<typeof Options.checkClient>[0], Options.OptionProblem]> = [
      [{ baseUrl: "nope" }, problem("baseUrl", "is not a URL: expected e.g. https://api.mch.weixin.qq.com")],
      [{ userAgent: "" }, problem("userAgent", "must be printable ASCII")],
      [{ userAgent: "应用/1.0" }, problem("userAgent", "must be printable ASCII")],
      [{ userAgent: "app\r\nX-Injected: 1" }, problem("userAgent", "must be printable ASCII")],
      [{ userAgent: 1 }, problem("userAgent", "must be printable ASCII")],
      [{ retries: -1 }, problem("retries", "must be a whole number, 0 or more")],
      [{ retries: 1.5 }, problem("retries", "must be a whole number, 0 or more")],
      [{ retries: "2" }, problem("retries", "must be a whole number, 0 or more")],
      [{ retries: Number.NaN }, problem("retries", "must be a whole number, 0 or more")],
      [{ maxResponseBytes: 0 }, problem("maxResponseBytes", "must be a whole number of bytes, 1 or more")],
      [{ maxResponseBytes: 1.5 }, problem("maxResponseBytes", "must be a whole number of bytes, 1 or more")],
      [{ maxResponseBytes: "1" }, problem("maxResponseBytes", "must be a whole number of bytes, 1 or more")],
      [{ timeout: "invalid" }, problem("timeout", 'must be a positive duration, e.g. "10 seconds"')],
      [{ timeout: { millis: 0 } }, problem("timeout", 'must be a positive duration, e.g. "10 seconds"')],
      [{ timeout: { millis: -5 } }, problem("timeout", 'must be a positive duration, e.g. "10 seconds"')],
      [{ timeout: { millis: Infinity } }, problem("timeout", 'must be a positive duration, e.g. "10 seconds"')],
      [{ timeout: { millis: Number.NaN } }, problem("timeout", 'must be a positive duration, e.g. "10 seconds"')],
      [{ retryBaseDelay: "invalid" }, problem("retryBaseDelay", 'must be a duration, e.g. "200 millis"')],
      [{ retryBaseDelay: { millis: -1 } }, problem("retryBaseDelay", 'must be a duration, e.g. "200 millis"')]
    ]
    for (const [input, expected] of cases) expect([input, Options.checkClient(input)]).toEqual([input, expected])
  })
})

describe("checkSigner and checkCertificates", () => {
  it("defaults, given values, and each problem", () => {
    expect(Options.checkSigner({})).toEqual({ maxClockSkewMillis: 300_000 })
    expect(Options.checkSigner({ maxClockSkew: { millis: 60_000 } })).toEqual({ maxClockSkewMillis: 60_000 })
    for (const maxClockSkew of ["invalid", { millis: 0 }] as const) {
      expect(Options.checkSigner({ maxClockSkew })).toEqual(
        problem("maxClockSkew", 'must be a positive duration, e.g. "5 minutes"')
      )
    }
    expect(Options.checkCertificates({})).toEqual({
      certificateRefreshIntervalMillis: 43_200_000,
      certificateRefreshMinGapMillis: 60_000
    })
    expect(Options.checkCertificates({ certificateRefreshInterval: "invalid" })).toEqual(
      problem("certificateRefreshInterval", 'must be a positive duration, e.g. "12 hours"')
    )
    expect(Options.checkCertificates({ certificateRefreshMinGap: { millis: 0 } })).toEqual(
      problem("certificateRefreshMinGap", 'must be a positive duration, e.g. "60 seconds"')
    )
  })
})

describe("check", () => {
  it("every option at once: the normalized whole", () => {
    expect(Options.check({ ...keys, merchantSerialNo: "abc123", baseUrl: "http://127.0.0.1:9/" })).toEqual({
      mchid: "1900000001",
      merchantSerialNo: "ABC123",
      publicKeyId: keys.wechatpayPublicKey.id,
      certificates: "configured",
      baseUrl: "http://127.0.0.1:9",
      userAgent: undefined,
      retries: 2,
      maxResponseBytes: 1_048_576,
      timeoutMillis: 10_000,
      retryBaseDelayMillis: 200,
      maxClockSkewMillis: 300_000,
      certificateRefreshIntervalMillis: 43_200_000,
      certificateRefreshMinGapMillis: 60_000
    })
  })

  it("the first problem, in order: keys, then the client, the signer, the certificate download", () => {
    const all = {
      ...keys,
      mchid: "",
      baseUrl: "nope",
      maxClockSkew: "invalid" as const,
      certificateRefreshMinGap: "invalid" as const
    }
    expect(Options.check(all)).toMatchObject({ option: "mchid" })
    expect(Options.check({ ...all, mchid: "1" })).toMatchObject({ option: "baseUrl" })
    expect(Options.check({ ...all, mchid: "1", baseUrl: undefined })).toMatchObject({ option: "maxClockSkew" })
    expect(Options.check({ ...all, mchid: "1", baseUrl: undefined, maxClockSkew: undefined })).toMatchObject({
      option: "certificateRefreshMinGap"
    })
  })

  it("optionProblem starts the message with the option; isOptionProblem tells it apart", () => {
    expect(Options.optionProblem("timeout", "must be positive")).toEqual({
      _tag: "OptionProblem",
      option: "timeout",
      message: "timeout must be positive"
    })
    expect(Options.isOptionProblem(Options.optionProblem("a", "b"))).toBe(true)
    expect(Options.isOptionProblem({ option: "a" })).toBe(false)
    expect(Options.isOptionProblem(undefined)).toBe(false)
  })
})
