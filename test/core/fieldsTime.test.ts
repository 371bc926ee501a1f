/**
 * The time rule of src/core/fields.ts: a WeChat Pay time given as a string in one of the rule's
 * forms (checked, sent as given) or as a DateTime (anything with a numeric `epochMillis`: Effect's
 * `DateTime.Utc` and `DateTime.Zoned` on both lines), written in China Standard Time; and the
 * type mapping `RuleFor`, which gives a time rule to exactly `string | DateTimeLike`.
 */
import { describe, expect, expectTypeOf, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Fields from "../../src/core/fields.js"
import * as Path from "../../src/core/path.js"
import type { DateTimeLike } from "../../src/core/time.js"

interface Times {
  readonly start: string | DateTimeLike
  readonly day?: string | DateTimeLike | undefined
  readonly at?: string | DateTimeLike | undefined
}

const rule = Fields.object<Times>({
  start: Fields.required(Fields.time(["compact", "day", "OnAccept"])),
  day: Fields.optional(Fields.time(["day"])),
  at: Fields.optional(Fields.time(["rfc3339"]))
})

const ok = (input: unknown): Times => {
  const checked = Fields.check(rule, input)
  if (Path.isInputProblem(checked)) throw new Error(checked.message)
  return checked
}

const problem = (input: unknown): Path.InputProblem => {
  const checked = Fields.check(rule, input)
  if (!Path.isInputProblem(checked)) throw new Error(`accepted ${JSON.stringify(input)}`)
  return checked
}

describe("the time rule", () => {
  it("a string in one of the forms is sent as given", () => {
    expect(ok({ start: "20091225091010" })).toEqual({ start: "20091225091010" })
    expect(ok({ start: "20091225" })).toEqual({ start: "20091225" })
    expect(ok({ start: "OnAccept" })).toEqual({ start: "OnAccept" })
    expect(ok({ start: "OnAccept", day: "20231218", at: "2019-11-11T16:24:05+08:00" })).toEqual({
      start: "OnAccept",
      day: "20231218",
      at: "2019-11-11T16:24:05+08:00"
    })
  })

  it("a DateTime is written in the rule's first writing form, in China Standard Time", () => {
    const millis = Date.UTC(2023, 11, 31, 16, 0, 0) // 2024-01-01 00:00:00 in Beijing
    expect(ok({ start: { epochMillis: millis }, day: { epochMillis: millis }, at: { epochMillis: millis } })).toEqual({
      start: "20240101000000",
      day: "20240101",
      at: "2024-01-01T00:00:00+08:00"
    })
    // the millisecond is dropped, not rounded
    expect(ok({ start: { epochMillis: millis - 1 } }).start).toBe("20231231235959")
  })

  it("Effect's DateTime.Utc and DateTime.Zoned, as they are", () => {
    const utc = DateTime.unsafeMake("2019-11-11T08:24:05.123Z")
    expect(ok({ start: utc, at: utc })).toEqual({ start: "20191111162405", at: "2019-11-11T16:24:05+08:00" })
    const zoned = DateTime.unsafeMakeZoned(utc, { timeZone: "America/New_York" })
    expect(ok({ start: zoned }).start).toBe("20191111162405")
  })

  it("what is refused, naming the field", () => {
    expect(problem({ start: "20230230" })).toMatchObject({
      field: "start",
      message: expect.stringMatching(/not a real date/)
    })
    expect(problem({ start: "tomorrow" }).message).toBe(
      'start must be yyyyMMddHHmmss, yyyyMMdd or OnAccept (China Standard Time) or a DateTime, not "tomorrow"'
    )
    expect(problem({ start: "OnAccept", day: "OnAccept" }).field).toBe("day")
    expect(problem({ start: "OnAccept", at: "2019-11-11 16:24:05" }).message).toMatch(/RFC 3339/)
    expect(problem({ start: 1_700_000_000_000 }).message).toMatch(/must be a string .* or a DateTime/)
    expect(problem({ start: new Date() }).message).toMatch(/must be a string .* or a DateTime/)
    expect(problem({ start: { epochMillis: Number.NaN } }).message).toMatch(/not a valid DateTime/)
    expect(problem({ start: { epochMillis: Date.UTC(10_000, 0, 1) } }).message).toMatch(/cannot write/)
    expect(problem({ start: { epochMillis: "1700000000000" } }).message).toMatch(/must be a string/)
  })

  it("a rule that cannot write a time is a programming error", () => {
    expect(() => Fields.time(["OnAccept"])).toThrow()
  })
})

describe("RuleFor", () => {
  it("a time rule for exactly string | DateTimeLike", () => {
    expectTypeOf<Fields.RuleFor<string | DateTimeLike>>().toEqualTypeOf<Fields.TimeRule>()
    expectTypeOf<Fields.RuleFor<string>>().toEqualTypeOf<Fields.StringRule<string>>()
    expectTypeOf<Fields.RuleFor<"OnAccept">>().toEqualTypeOf<Fields.StringRule<"OnAccept">>()
    expectTypeOf<Fields.RuleFor<DateTimeLike>>().toEqualTypeOf<Fields.ObjectRule<DateTimeLike>>()
    expectTypeOf<Fields.RuleFor<{ readonly epochMillis: number; readonly zone: string }>>().toEqualTypeOf<
      Fields.ObjectRule<{ readonly epochMillis: number; readonly zone: string }>
    >()
  })

  it("a time rule does not fit a string field, nor a string rule a time field", () => {
    Fields.object<{ readonly a: string }>({
      // @ts-expect-error a time rule's DateTime would not be a string
      a: Fields.required(Fields.time(["day"]))
    })
    Fields.object<{ readonly a: string | DateTimeLike }>({
      // @ts-expect-error a string rule refuses the DateTime the type allows
      a: Fields.required(Fields.text(10))
    })
  })
})
