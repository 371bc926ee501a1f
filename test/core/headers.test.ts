/**
 * Header lookup (src/core/headers.ts) over a web `Headers` or a record of any casing, and the
 * lowercase record a transport hands back.
 */
import { describe, expect, it } from "@effect/vitest"
import * as CoreHeaders from "../../src/core/headers.js"

describe("getHeader", () => {
  it("a web Headers: case-insensitive, as the platform does", () => {
    const headers = new Headers({ "Wechatpay-Serial": "ABC" })
    expect(CoreHeaders.getHeader(headers, "wechatpay-serial")).toBe("ABC")
    expect(CoreHeaders.getHeader(headers, "WECHATPAY-SERIAL")).toBe("ABC")
    expect(CoreHeaders.getHeader(headers, "wechatpay-nonce")).toBeUndefined()
  })

  it("a record: the exact name, the lowercase one, or any casing", () => {
    expect(CoreHeaders.getHeader({ "Wechatpay-Serial": "exact" }, "Wechatpay-Serial")).toBe("exact")
    expect(CoreHeaders.getHeader({ "wechatpay-serial": "lower" }, "Wechatpay-Serial")).toBe("lower")
    expect(CoreHeaders.getHeader({ "WECHATPAY-SERIAL": "upper" }, "Wechatpay-Serial")).toBe("upper")
    expect(CoreHeaders.getHeader({ other: "x" }, "Wechatpay-Serial")).toBeUndefined()
  })

  it("a repeated header (an array) or an undefined value counts as absent", () => {
    expect(CoreHeaders.getHeader({ "wechatpay-serial": ["A", "B"] }, "Wechatpay-Serial")).toBeUndefined()
    expect(CoreHeaders.getHeader({ "wechatpay-serial": undefined }, "Wechatpay-Serial")).toBeUndefined()
  })
})

describe("lowercaseRecord", () => {
  it("lowercases the names, joins repeated values with ', ', leaves undefined ones out", () => {
    expect(
      CoreHeaders.lowercaseRecord({ "Content-Type": "application/json", "Set-Cookie": ["a=1", "b=2"], X: undefined })
    )
      .toEqual({ "content-type": "application/json", "set-cookie": "a=1, b=2" })
  })
})
