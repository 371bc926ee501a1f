/**
 * WeChat Pay's times (src/core/time.ts): RFC 3339 with an offset and the compact `yyyyMMddHHmmss`
 * in China Standard Time read as instants, impossible dates refused, and times written back in
 * China Standard Time.
 */
import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import * as Time from "../../src/core/time.js"

const instant = Date.parse("2018-02-25T03:22:33Z")

describe("parseMillis", () => {
  it("RFC 3339 with any offset, Z or z, t or T, with a fraction; compact in China Standard Time", () => {
    expect(Time.parseMillis("2018-02-25T11:22:33+08:00")).toBe(instant)
    expect(Time.parseMillis("2018-02-25T03:22:33Z")).toBe(instant)
    expect(Time.parseMillis("2018-02-25t03:22:33z")).toBe(instant)
    expect(Time.parseMillis("2018-02-24T22:22:33-05:00")).toBe(instant)
    expect(Time.parseMillis("2018-02-25T03:22:33.5Z")).toBe(instant + 500)
    expect(Time.parseMillis("2018-02-25T03:22:33.123456789Z")).toBe(instant + 123)
    expect(Time.parseMillis("20180225112233")).toBe(instant)
  })

  it("refuses impossible dates and times, bad offsets and other shapes", () => {
    for (
      const text of [
        "2018-02-30T00:00:00+08:00",
        "2018-13-01T00:00:00+08:00",
        "2018-01-01T24:00:00+08:00",
        "2018-01-01T00:60:00+08:00",
        "2018-01-01T00:00:60+08:00",
        "2018-01-01T00:00:00+24:00",
        "2018-01-01T00:00:00+08:60",
        "2018-01-01T00:00:00",
        "2018-01-01 00:00:00+08:00",
        "20180230000000",
        "2018022511223",
        "201802251122330",
        "",
        "yesterday"
      ]
    ) {
      expect([text, Time.parseMillis(text)]).toEqual([text, undefined])
    }
    expect(Time.parseMillis("2024-02-29T00:00:00Z")).toBe(Date.UTC(2024, 1, 29))
  })

  it("EXPECTED names both formats with an example", () => {
    expect(Time.EXPECTED).toContain("2015-05-20T13:29:35+08:00")
    expect(Time.EXPECTED).toContain("20180225112233")
  })
})

describe("days and compact times", () => {
  it("isDay and isCompact: the shape and a real date", () => {
    expect(Time.isDay("20240229")).toBe(true)
    expect(Time.isDay("20230229")).toBe(false)
    expect(Time.isDay("2024022")).toBe(false)
    expect(Time.isCompact("20240229235959")).toBe(true)
    expect(Time.isCompact("20240229240000")).toBe(false)
    expect(Time.isCompact("2024-02-29")).toBe(false)
  })
})

describe("writing", () => {
  it("RFC 3339, compact and day, in China Standard Time, whole seconds", () => {
    expect(Time.formatRfc3339(instant + 999)).toBe("2018-02-25T11:22:33+08:00")
    expect(Time.formatCompact(instant)).toBe("20180225112233")
    // 17:00 UTC is already the next day in China
    expect(Time.formatDay(Date.parse("2018-02-25T17:00:00Z"))).toBe("20180226")
    expect(Time.CHINA_OFFSET_MILLIS).toBe(8 * 3_600_000)
  })

  it.prop("written times read back as the same second, both ways", [
    fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(9999, 0, 1) })
  ], ([millis]) => {
    const second = Math.floor(millis / 1000) * 1000
    expect(Time.parseMillis(Time.formatRfc3339(millis))).toBe(second)
    expect(Time.parseMillis(Time.formatCompact(millis))).toBe(second)
  })
})
