/**
 * Parameter rules as data (src/core/fields.ts): every message at each limit and one past it —
 * lengths counted in characters (code points) for text and in units for visible ASCII, the two
 * character sets, one path segment, enums, integers, booleans, arrays, nested objects and their
 * checks — and what `check` sends: the input reduced to the declared fields.
 */
import { describe, expect, expectTypeOf, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Fields from "../../src/core/fields.js"
import { inputProblem } from "../../src/core/path.js"
import * as Path from "../../src/core/path.js"
import type { DateTimeLike } from "../../src/core/time.js"

const { optional, required } = Fields

/** Any rule, as `checkValue` takes it (an array rule's items are typed by its element). */
const anyRule = (rule: { readonly kind: Fields.Rule["kind"] }): Fields.Rule => rule as Fields.Rule

/** `Fields.checkValue` of one value under the field name `f`: the problem's message, or undefined. */
const messageOf = (rule: { readonly kind: Fields.Rule["kind"] }, value: unknown): string | undefined =>
  Fields.checkValue(anyRule(rule), "f", value)?.message

describe("strings", () => {
  it("visible ASCII: at the limit passes, one past says how long it is; empty refused", () => {
    const rule = Fields.id(5)
    expect(messageOf(rule, "abcde")).toBeUndefined()
    expect(messageOf(rule, "abcdef")).toBe("f is 6 characters long; at most 5 are allowed")
    expect(messageOf(rule, "")).toBe("f must not be empty")
    expect(messageOf(rule, 5)).toBe("f must be a string")
    for (const value of ["a b", "é", "a\tb", "\u007f"]) {
      expect(messageOf(rule, value)).toBe("f must be printable ASCII without spaces or control characters")
    }
  })

  it("text: counted in code points (an emoji is one character), any script, spaces, no control characters", () => {
    const rule = Fields.text(3)
    expect(messageOf(rule, "你好吗")).toBeUndefined()
    expect(messageOf(rule, "😀😀😀")).toBeUndefined()
    expect("😀😀😀".length).toBe(6)
    expect(messageOf(rule, "😀😀😀😀")).toBe("f is 4 characters long; at most 3 are allowed")
    expect(messageOf(rule, "a b")).toBeUndefined()
    for (const value of ["a\nb", "a\tb", "\u0000", "\u0085", "\u009f"]) {
      expect(messageOf(rule, value)).toBe("f must not contain control characters (line breaks, tabs, …)")
    }
    expect(messageOf(rule, "a\uD800")).toBe("f is not well-formed Unicode (a lone surrogate)")
    expect(messageOf(rule, "\uDC00b")).toBe("f is not well-formed Unicode (a lone surrogate)")
    expect(messageOf(Fields.text(undefined), "x".repeat(10_000))).toBeUndefined()
  })

  it("a path segment: none of / \\ ? # %, not . or ..", () => {
    const rule = Fields.segment(10)
    expect(rule.pathSegment).toBe(true)
    expect(messageOf(rule, "a-b_c|*")).toBeUndefined()
    for (const value of ["a/b", "a\\b", "a?b", "a#b", "a%b"]) {
      expect(messageOf(rule, value)).toBe("f must not contain any of / \\ ? # %")
    }
    expect(messageOf(rule, "..")).toBe('f must not be "." or ".."')
    expect(messageOf(rule, "...")).toBeUndefined()
  })

  it("an enum: its values only, the empty string told them too; a custom message", () => {
    const plain: Fields.StringRule = { kind: "string", charset: "visible", values: ["A", "B"] }
    expect(messageOf(plain, "A")).toBeUndefined()
    expect(messageOf(plain, "a")).toBe('f must be one of A, B, not "a"')
    expect(messageOf(plain, "")).toBe('f must be one of A, B, not ""')
    const custom: Fields.StringRule = { ...plain, valuesMessage: (actual) => `is not a scene: ${actual}` }
    expect(messageOf(custom, "C")).toBe("f is not a scene: C")
  })

  it("checks run after the length and character set; the first problem wins", () => {
    const rule: Fields.StringRule = {
      kind: "string",
      charset: "visible",
      maxLength: 4,
      checks: [(s) => s.startsWith("x") ? "must not start with x" : undefined, () => "never reached"]
    }
    expect(messageOf(rule, "xa")).toBe("f must not start with x")
    expect(messageOf(rule, "xxxxx")).toBe("f is 5 characters long; at most 4 are allowed")
    expect(messageOf(rule, "ab")).toBe("f never reached")
  })

  it("a URL: absolute, http or https, within its length", () => {
    const rule = Fields.url(30, "https://example.com/notify")
    expect(messageOf(rule, "https://example.com/notify")).toBeUndefined()
    expect(messageOf(rule, "http://example.com/notify")).toBeUndefined()
    expect(messageOf(rule, "/notify")).toBe("f must be an absolute URL, e.g. https://example.com/notify")
    expect(messageOf(rule, "ftp://example.com/notify")).toBe("f must be an https:// (or http://) URL")
    expect(messageOf(rule, `https://example.com/${"n".repeat(11)}`)).toBe(
      "f is 31 characters long; at most 30 are allowed"
    )
  })
})

describe("integers and booleans", () => {
  it("min and max: at the limit passes, one past is told the limit; 0 as min says not negative", () => {
    const range = Fields.integer(1, 10)
    expect([messageOf(range, 1), messageOf(range, 10)]).toEqual([undefined, undefined])
    expect(messageOf(range, 0)).toBe("f must be at least 1")
    expect(messageOf(range, 11)).toBe("f must be at most 10")
    expect(messageOf(Fields.integer(0), -1)).toBe("f must not be negative")
    expect(messageOf(Fields.integer(0), 0)).toBeUndefined()
  })

  it("a whole number, safe, and a JSON number", () => {
    const rule = Fields.integer()
    expect(messageOf(rule, 1.5)).toBe("f must be a whole number")
    expect(messageOf(rule, 2 ** 53)).toBe("f must be a whole number")
    expect(messageOf(rule, Number.NaN)).toBe("f must be a whole number")
    expect(messageOf(rule, "1")).toBe("f must be a whole number (a JSON number)")
    expect(messageOf(rule, 2 ** 53 - 1)).toBeUndefined()
  })

  it("a boolean: true or false only", () => {
    expect(messageOf(Fields.boolean(), false)).toBeUndefined()
    expect(messageOf(Fields.boolean(), "true")).toBe("f must be true or false")
  })
})

describe("arrays", () => {
  const rule = Fields.array<string>(Fields.id(3), { minItems: 1, maxItems: 2, tooFewMessage: "needs one item" })

  it("at least minItems (its own message, or the default), at most maxItems", () => {
    expect(messageOf(rule, ["a"])).toBeUndefined()
    expect(messageOf(rule, ["a", "b"])).toBeUndefined()
    expect(messageOf(rule, [])).toBe("f needs one item")
    expect(messageOf(Fields.array<string>(Fields.id(3), { minItems: 2 }), ["a"])).toBe(
      "f must have at least 2 item(s)"
    )
    expect(messageOf(rule, ["a", "b", "c"])).toBe("f has 3 items; at most 2 are allowed")
    expect(messageOf(rule, "a")).toBe("f must be an array")
  })

  it("an item's problem names the item by index", () => {
    expect(Fields.checkValue(anyRule(rule), "f", ["a", "abcd"])).toEqual(
      inputProblem("f.1", "f.1 is 4 characters long; at most 3 are allowed")
    )
  })
})

describe("objects and check", () => {
  interface Goods {
    readonly name: string
    readonly count: number
    readonly category_id?: string | undefined
  }
  interface Params {
    readonly id: string
    readonly note?: string | undefined
    readonly goods: ReadonlyArray<Goods>
  }
  const goods = Fields.object<Goods>({
    name: required(Fields.text(4)),
    count: required(Fields.integer(1)),
    category_id: optional(Fields.id(8))
  })
  const params = Fields.object<Params>({
    id: required(Fields.id(4)),
    note: optional(Fields.text(10)),
    goods: required(Fields.array<Goods>(goods, { minItems: 1 }))
  }, [(p) => p.note === "bad" ? { path: ["note"], message: "must not be bad" } : undefined])

  it("the input reduced to the declared fields (nested too); undefined optionals left out", () => {
    expect(
      Fields.check(params, {
        id: "A1",
        note: undefined,
        extra: "dropped",
        goods: [{ name: "水", count: 1, category_id: undefined, price: 9 }]
      })
    ).toEqual({ id: "A1", goods: [{ name: "水", count: 1 }] })
  })

  it("a required field missing (or undefined) is named with its path, at any depth", () => {
    expect(Fields.check(params, { goods: [] })).toEqual(inputProblem("id", "id is required"))
    expect(Fields.check(params, { id: "A1", goods: [{ name: "水" }] })).toEqual(
      inputProblem("goods.0.count", "goods.0.count is required")
    )
  })

  it("not an object: the parameters as a whole, or the field", () => {
    for (const input of [null, undefined, "params", [], 1]) {
      expect(Fields.check(params, input)).toEqual(inputProblem("params", "params must be an object"))
    }
    expect(Fields.check(params, { id: "A1", goods: ["x"] })).toEqual(
      inputProblem("goods.0", "goods.0 must be an object")
    )
  })

  it("fields are checked in declaration order, the object's checks after every field passed", () => {
    expect(Fields.check(params, { id: "TOO-LONG", note: "bad", goods: [] })).toMatchObject({ field: "id" })
    expect(Fields.check(params, { id: "A1", note: "bad", goods: [] })).toMatchObject({ field: "goods" })
    expect(Fields.check(params, { id: "A1", note: "bad", goods: [{ name: "水", count: 1 }] })).toEqual(
      inputProblem("note", "note must not be bad")
    )
  })

  it("an object check sees the reduced object; a nested object's check names the nested path", () => {
    const seen: Array<unknown> = []
    const inner = Fields.object<{ readonly a?: string | undefined; readonly b?: string | undefined }>({
      a: optional(Fields.id(3)),
      b: optional(Fields.id(3))
    }, [(v) => {
      seen.push(v)
      return v.a === undefined && v.b === undefined ? { path: ["a"], message: "or b is required" } : undefined
    }])
    const outer = Fields.object<
      { readonly inner: { readonly a?: string | undefined; readonly b?: string | undefined } }
    >({
      inner: required(inner)
    })
    expect(Fields.check(outer, { inner: { c: "x" } })).toEqual(inputProblem("inner.a", "inner.a or b is required"))
    expect(seen).toEqual([{}])
    expect(Fields.check(outer, { inner: { a: "x", z: 1 } })).toEqual({ inner: { a: "x" } })
  })
})

// The time rule (formerly its own file):
// The time rule of src/core/fields.ts: a WeChat Pay time given as a string in one of the rule's
// forms (checked, sent as given) or as a DateTime (anything with a numeric `epochMillis`, Effect 3's
// `DateTime.Utc` and `DateTime.Zoned`, or `epochMilliseconds`, Effect 4's), written in China Standard Time; and the
// type mapping `RuleFor`, which gives a time rule to exactly `string | DateTimeLike`.

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

  it("Effect 4's DateTime (epochMilliseconds) is written the same way", () => {
    const millis = Date.UTC(2023, 11, 31, 16, 0, 0)
    expect(ok({ start: { epochMilliseconds: millis }, at: { epochMilliseconds: millis } })).toEqual({
      start: "20240101000000",
      at: "2024-01-01T00:00:00+08:00"
    })
    expect(problem({ start: { epochMilliseconds: Number.NaN } }).message).toMatch(/not a valid DateTime/)
    expect(problem({ start: { epochMilliseconds: "0" } }).message).toMatch(/must be a string/)
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
