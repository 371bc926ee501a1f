/**
 * WeChat Pay's error answers as data (src/core/apiError.ts): the tag by status and code, the body's
 * `code`, `message`, `detail` (or what stands in for them), the SIGN_ERROR hint, the secrets of the
 * request scrubbed from what is kept, and a redirect that is never followed.
 */
import { describe, expect, it } from "@effect/vitest"
import * as ApiError from "../../src/core/apiError.js"

const body = (value: unknown) => JSON.stringify(value)

describe("tagOf", () => {
  it("by status and code: the documented pairs, any 404, 429 and 5xx; the rest ApiError", () => {
    const cases: ReadonlyArray<readonly [number, string, ApiError.ApiErrorTag]> = [
      [400, "PARAM_ERROR", "ParamError"],
      [400, "INVALID_REQUEST", "InvalidRequest"],
      [401, "SIGN_ERROR", "SignError"],
      [403, "NO_AUTH", "NoAuth"],
      [404, "NOT_FOUND", "NotFound"],
      [404, "RESOURCE_NOT_EXISTS", "NotFound"],
      [429, "FREQUENCY_LIMITED", "FrequencyLimited"],
      [429, "ANYTHING", "FrequencyLimited"],
      [500, "SYSTEM_ERROR", "SystemError"],
      [502, "HTTP_502", "SystemError"],
      [599, "X", "SystemError"],
      [400, "ORDER_NOT_EXIST", "ApiError"],
      [401, "PARAM_ERROR", "ApiError"],
      [403, "RULE_LIMIT", "ApiError"],
      [400, "NO_AUTH", "ApiError"],
      [418, "TEAPOT", "ApiError"],
      [600, "X", "ApiError"]
    ]
    expect(cases.map(([status, code]) => ApiError.tagOf(status, code))).toEqual(cases.map(([, , tag]) => tag))
  })
})

describe("fromAnswer", () => {
  it("keeps WeChat Pay's code, message, detail and the Request-ID", () => {
    const detail = { field: "service_id", value: "x", issue: "bad", location: "query" }
    expect(ApiError.fromAnswer(400, body({ code: "PARAM_ERROR", message: "参数错误", detail }), "RID-1")).toEqual({
      _tag: "ParamError",
      status: 400,
      code: "PARAM_ERROR",
      message: "参数错误",
      detail,
      requestId: "RID-1"
    })
  })

  it("no detail and no Request-ID: neither field is there", () => {
    const error = ApiError.fromAnswer(404, body({ code: "NOT_FOUND", message: "nope" }), undefined)
    expect(error).toEqual({ _tag: "NotFound", status: 404, code: "NOT_FOUND", message: "nope" })
    expect(Object.keys(error)).not.toContain("detail")
    expect(Object.keys(error)).not.toContain("requestId")
  })

  it("a 401 SIGN_ERROR keeps WeChat Pay's text and adds the likely local causes", () => {
    const error = ApiError.fromAnswer(401, body({ code: "SIGN_ERROR", message: "签名错误" }), "R")
    expect(error.message).toBe(`签名错误${ApiError.SIGN_ERROR_HINT}`)
    expect(ApiError.SIGN_ERROR_HINT).toContain("merchantPrivateKey")
    expect(ApiError.SIGN_ERROR_HINT).toContain("clock")
    // only to a SignError
    expect(ApiError.fromAnswer(400, body({ code: "SIGN_ERROR", message: "x" }), "R").message).toBe("x")
  })

  it("a body that is not a WeChat Pay error: HTTP_<status>, a message saying so (never the body itself)", () => {
    const html = "<html><body>502 Bad Gateway</body></html>"
    expect(ApiError.fromAnswer(502, html, undefined)).toEqual({
      _tag: "SystemError",
      status: 502,
      code: "HTTP_502",
      message: `HTTP 502 with a body that is not a WeChat Pay error (${html.length} characters)`
    })
    expect(ApiError.fromAnswer(500, "", undefined).message).toBe("HTTP 500 with an empty body")
    for (
      const text of [
        body([{ code: "A", message: "B" }]),
        body({ code: 1, message: "B" }),
        body({ code: "A" }),
        body("text"),
        "null",
        `{"code":"A","message":"B"`,
        "\uFEFF" + body({ code: "PARAM_ERROR", message: "x" })
      ]
    ) {
      expect([text, ApiError.fromAnswer(400, text, undefined).code]).toEqual([text, "HTTP_400"])
    }
  })

  it("the secrets of the request are scrubbed from the message and every string of the detail", () => {
    const authorization =
      `WECHATPAY2-SHA256-RSA2048 mchid="1900000001",nonce_str="N",signature="U0lHTkFUVVJFLXNlY3JldA==",timestamp="1",serial_no="S"`
    const secrets = [authorization, "U0lHTkFUVVJFLXNlY3JldA=="]
    const echoed = body({
      code: "SYSTEM_ERROR",
      message: `bad header: ${authorization}`,
      detail: { headers: { authorization }, seen: ["U0lHTkFUVVJFLXNlY3JldA=="] }
    })
    const error = ApiError.fromAnswer(500, echoed, undefined, secrets)
    expect(error.message).toBe("bad header: <redacted>")
    expect(error.detail).toEqual({ headers: { authorization: "<redacted>" }, seen: ["<redacted>"] })
    expect(JSON.stringify(error)).not.toContain("U0lHTkFUVVJF")
  })
})

describe("redirects", () => {
  it("isRedirect: 3xx only", () => {
    expect([199, 200, 299, 300, 302, 399, 400].filter(ApiError.isRedirect)).toEqual([300, 302, 399])
  })

  it("an ApiError HTTP_REDIRECT naming the status and the Location, never followed", () => {
    expect(ApiError.redirect(302, "https://evil.example/v3/x", "RID")).toEqual({
      _tag: "ApiError",
      status: 302,
      code: "HTTP_REDIRECT",
      message:
        "HTTP 302 redirect (Location: https://evil.example/v3/x) not followed: WeChat Pay never redirects an API call, so this is a proxy, a captive portal or an attack",
      detail: { location: "https://evil.example/v3/x" },
      requestId: "RID"
    })
  })

  it("without a Location: says so; a Location is shown printable and cut at 500 characters", () => {
    const none = ApiError.redirect(301, undefined, undefined)
    expect(none.message).toContain("(no Location)")
    expect(Object.keys(none)).toEqual(["_tag", "status", "code", "message"])
    const odd = ApiError.redirect(307, `/a\u0000b\né${"x".repeat(600)}`, undefined)
    expect(odd.message).toContain("Location: /a?b??" + "x".repeat(494) + ")")
    expect(odd.message).not.toContain("x".repeat(495))
  })
})
