/**
 * The rules and errors shared by the Pay Score endpoints (src/core/endpoints/common.ts): the
 * authorization_code character set and length, reason and notify_url at their limits, the
 * openid / sub_openid rule, and the documented error tables.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Common from "../../../src/core/endpoints/common.js"
import * as Fields from "../../../src/core/fields.js"

const messageOf = (rule: Fields.Rule, value: unknown) => Fields.checkValue(rule, "f", value)?.message

describe("common rules", () => {
  it("authorization_code: 32 characters of digits, letters and _ - | *, one path segment", () => {
    expect(messageOf(Common.authorizationCode, "a".repeat(32))).toBeUndefined()
    expect(messageOf(Common.authorizationCode, "Ab0_-|*")).toBeUndefined()
    expect(messageOf(Common.authorizationCode, "a".repeat(33))).toBe("f is 33 characters long; at most 32 are allowed")
    expect(messageOf(Common.authorizationCode, "a.b")).toBe(
      "f may only contain digits, letters and _ - | * (the documented character set)"
    )
    expect(messageOf(Common.authorizationCode, "实例123")).toBe(
      "f must be printable ASCII without spaces or control characters"
    )
    expect(messageOf(Common.authorizationCode, "..")).toBe('f must not be "." or ".."')
    expect(Common.authorizationCode.pathSegment).toBe(true)
  })

  it("reason: 50 characters of any script; notify_url: an http(s) URL of 255", () => {
    expect(Common.REASON_MAX_LENGTH).toBe(50)
    expect(messageOf(Common.reason, "投".repeat(50))).toBeUndefined()
    expect(messageOf(Common.reason, "投".repeat(51))).toBe("f is 51 characters long; at most 50 are allowed")
    expect(Common.NOTIFY_URL_MAX_LENGTH).toBe(255)
    const url = (length: number) => `https://example.com/${"n".repeat(length - 20)}`
    expect(messageOf(Common.notifyUrl, url(255))).toBeUndefined()
    expect(messageOf(Common.notifyUrl, url(256))).toBe("f is 256 characters long; at most 255 are allowed")
    expect(messageOf(Common.notifyUrl, "example.com/notify")).toBe(
      "f must be an absolute URL, e.g. https://example.com/payscore/notify"
    )
  })

  it("ids: visible ASCII within their lengths (openid 128, the others 32)", () => {
    expect(messageOf(Common.openid, "o".repeat(128))).toBeUndefined()
    expect(messageOf(Common.openidSegment, "o".repeat(129))).toBe("f is 129 characters long; at most 128 are allowed")
    for (
      const rule of [Common.serviceId, Common.appid, Common.subAppid, Common.subMchid, Common.channelId, Common.mchid]
    ) {
      expect(messageOf(rule, "1".repeat(32))).toBeUndefined()
      expect(messageOf(rule, "1".repeat(33))).toBe("f is 33 characters long; at most 32 are allowed")
    }
  })

  it("oneOpenid: exactly one of openid and sub_openid, and sub_openid needs sub_appid", () => {
    expect(Common.oneOpenid({})).toEqual({
      path: ["openid"],
      message: "or sub_openid is required (exactly one of them)"
    })
    expect(Common.oneOpenid({ openid: "o", sub_openid: "s", sub_appid: "a" })).toEqual({
      path: ["sub_openid"],
      message: "must not be given with openid: give exactly one of openid and sub_openid"
    })
    expect(Common.oneOpenid({ sub_openid: "s" })).toEqual({
      path: ["sub_appid"],
      message: "is required with sub_openid (the sub_openid is under sub_appid)"
    })
    expect(Common.oneOpenid({ openid: "o" })).toBeUndefined()
    expect(Common.oneOpenid({ sub_openid: "s", sub_appid: "a" })).toBeUndefined()
  })

  it("the error tables: the general APIv3 codes, and a 404 for queries", () => {
    expect(Common.COMMON_ERRORS.map((e) => `${e.status} ${e.code}`)).toEqual([
      "400 PARAM_ERROR",
      "400 INVALID_REQUEST",
      "401 SIGN_ERROR",
      "403 NO_AUTH",
      "429 FREQUENCY_LIMITED",
      "500 SYSTEM_ERROR"
    ])
    expect(Common.QUERY_ERRORS).toEqual([...Common.COMMON_ERRORS, expect.objectContaining({ status: 404 })])
  })
})
