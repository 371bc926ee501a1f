/**
 * The time codec on its own: WeChat Pay's two ways of writing a time, read as the same instant,
 * anything else refused naming both, and written back in China Standard Time.
 */
import { describe, expect, it } from "@effect/vitest"
import { DateTime, Either, Schema } from "effect"
import { WechatPayTime } from "../../src/index.js"

describe("WechatPayTime", () => {
  const decode = Schema.decodeUnknownEither(WechatPayTime.WechatPayTime)
  const instant = Date.parse("2018-02-25T11:22:33+08:00")

  it("reads both documented formats as the same instant", () => {
    for (
      const text of ["20180225112233", "2018-02-25T11:22:33+08:00", "2018-02-25T03:22:33Z", "2018-02-24T22:22:33-05:00"]
    ) {
      const decoded = decode(text)
      if (Either.isLeft(decoded)) throw new Error(`refused ${text}`)
      expect(DateTime.toEpochMillis(decoded.right), text).toBe(instant)
    }
    expect(WechatPayTime.parseMillis("2015-05-20T13:29:35.120+08:00")).toBe(Date.parse("2015-05-20T13:29:35.120+08:00"))
  })

  it("refuses anything else with a message naming the two formats", () => {
    for (
      const text of [
        "2018-02-25T11:22:33", // no offset
        "2018-02-25 11:22:33+08:00",
        "20180230112233", // 30 February
        "20181325112233",
        "20180225242233",
        "2018022511223", // 13 digits
        "1519528953",
        "",
        "2018-02-25T11:22:33+25:00"
      ]
    ) {
      const decoded = decode(text)
      if (Either.isRight(decoded)) throw new Error(`accepted ${JSON.stringify(text)}`)
      expect(String(decoded.left.message)).toContain("yyyyMMddHHmmss")
    }
  })

  it("writes RFC 3339 and compact in China Standard Time, and reads them back", () => {
    const time = DateTime.unsafeMake(instant)
    expect(WechatPayTime.formatRfc3339(time)).toBe("2018-02-25T11:22:33+08:00")
    expect(WechatPayTime.formatCompact(time)).toBe("20180225112233")
    expect(Schema.encodeSync(WechatPayTime.WechatPayTime)(time)).toBe("2018-02-25T03:22:33.000Z")
    // across midnight in UTC+8
    const late = DateTime.unsafeMake(Date.parse("2020-03-28T16:30:00Z"))
    expect(WechatPayTime.formatCompact(late)).toBe("20200329003000")
  })
})
