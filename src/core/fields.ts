/**
 * Parameter rules as data: what each field of a request may hold (type, presence, length, character
 * set, range, one path segment), written once and read by everything that needs them: the client
 * checks its input with `check` before anything is sent, the sandbox checks what it receives with
 * the same rules, the CLI lists the fields, and each Effect line builds its parameter schemas from
 * them. `check` also returns the input reduced to the declared fields, which is what is sent (a
 * field WeChat Pay does not document never reaches it), with each time given as a `DateTime`
 * written as the wire wants it (in China Standard Time).
 *
 * Rules are typed against the parameter interface they describe (`ObjectRule<P>`): a field missing
 * from the rules, or optional in one and required in the other, does not compile.
 *
 * @internal
 */
import { type InputProblem, inputProblem, notOneSegment, notVisibleAscii } from "./path.js"
import * as Time from "./time.js"

/** A check of a leaf value: the problem in words completing "<field> …", or `undefined`. @internal */
export type Check<A> = (value: A) => string | undefined

/** @internal */
export interface StringRule<A extends string = string> {
  readonly kind: "string"
  /** Longest, in characters (Unicode code points). */
  readonly maxLength?: number | undefined
  /**
   * `visible`: printable ASCII without spaces (ids, URLs); `text`: any well-formed Unicode but control
   * characters (reasons, names, descriptions).
   */
  readonly charset: "visible" | "text"
  /** Sent as one URL path segment: none of `/ \ ? # %`, not `.` or `..`. */
  readonly pathSegment?: boolean | undefined
  /** Only these values (an enum). */
  readonly values?: ReadonlyArray<A> | undefined
  /** What an unlisted value is told (completing "<field> …"). */
  readonly valuesMessage?: ((actual: string) => string) | undefined
  readonly checks?: ReadonlyArray<Check<string>> | undefined
  /** For people: what the field is (the CLI's help, the README). */
  readonly description?: string | undefined
}

/** @internal */
export interface IntegerRule {
  readonly kind: "integer"
  readonly min?: number | undefined
  readonly max?: number | undefined
  readonly description?: string | undefined
}

/** @internal */
export interface BooleanRule {
  readonly kind: "boolean"
  readonly description?: string | undefined
}

/** @internal */
export interface ArrayRule<A> {
  readonly kind: "array"
  readonly items: RuleFor<A>
  readonly minItems?: number | undefined
  readonly maxItems?: number | undefined
  /** What an array shorter than `minItems` is told. */
  readonly tooFewMessage?: string | undefined
  readonly description?: string | undefined
}

/**
 * How WeChat Pay writes a time in a request: `compact` is `yyyyMMddHHmmss` and `day` is `yyyyMMdd`,
 * both in China Standard Time; `OnAccept` is the literal (the moment the user confirms);
 * `rfc3339` is RFC 3339 with an offset (`2019-11-11T16:24:05+08:00`).
 *
 * @internal
 */
export type TimeFormat = "compact" | "day" | "OnAccept" | "rfc3339"

/**
 * A WeChat Pay time: a string in one of the rule's formats, checked and sent as given, or a point
 * in time (`DateTimeLike`: anything with a numeric `epochMillis`, as Effect 3's `DateTime.Utc` has,
 * or `epochMilliseconds`, as Effect 4's has), written in the rule's first format that can write one (`compact`, `day` or
 * `rfc3339`), in China Standard Time: what WeChat Pay compares it with.
 *
 * @internal
 */
export interface TimeRule {
  readonly kind: "time"
  /** The accepted forms, in order; a `DateTimeLike` is written in the first one that is not `OnAccept`. */
  readonly formats: ReadonlyArray<TimeFormat>
  readonly description?: string | undefined
}

/** What a field with a time rule holds. @internal */
export type TimeValue = string | Time.DateTimeLike

/** A problem an object-level check finds: the field to fix (relative) and what to say of it. @internal */
export interface ObjectProblem {
  readonly path: ReadonlyArray<string | number>
  readonly message: string
}

/** @internal */
export interface ObjectRule<P> {
  readonly kind: "object"
  readonly fields: { readonly [K in keyof P]-?: FieldFor<P, K> }
  /** Rules between fields, run once every field passed (e.g. exactly one of two). */
  readonly checks?: ReadonlyArray<(value: P) => ObjectProblem | undefined> | undefined
  readonly description?: string | undefined
}

/** A field: its rule, and whether it may be left out. @internal */
export interface Field<A> {
  readonly rule: RuleFor<A>
  readonly optional: boolean
}

type IsOptional<P, K extends keyof P> = {} extends Pick<P, K> ? true : false

/** @internal */
export type FieldFor<P, K extends keyof P> = IsOptional<P, K> extends true
  ? Field<Exclude<P[K], undefined>> & { readonly optional: true }
  : Field<P[K]> & { readonly optional: false }

/**
 * The rule a value of type `A` takes. A time rule only for exactly `string | DateTimeLike` (a field
 * that is only a string takes a string rule; an object that merely has `epochMillis` among other
 * fields takes an object rule): the rule's output (a string) is then always a value of `A`.
 *
 * @internal
 */
export type RuleFor<A> = [A] extends [string] ? StringRule<A>
  : [A] extends [number] ? IntegerRule
  : [A] extends [boolean] ? BooleanRule
  : [A] extends [ReadonlyArray<infer I>] ? ArrayRule<I>
  : [A] extends [TimeValue] ? [TimeValue] extends [A] ? TimeRule : ObjectRule<A>
  : ObjectRule<A>

/** Any rule. @internal */
export type Rule = StringRule | IntegerRule | BooleanRule | TimeRule | ArrayRule<unknown> | ObjectRule<unknown>

// ---------------------------------------------------------------------------------------------
// Building rules
// ---------------------------------------------------------------------------------------------

/** @internal */
export const required = <R extends { readonly kind: Rule["kind"] }>(
  rule: R
): { readonly rule: R; readonly optional: false } => ({
  rule,
  optional: false
})

/** @internal */
export const optional = <R extends { readonly kind: Rule["kind"] }>(
  rule: R
): { readonly rule: R; readonly optional: true } => ({
  rule,
  optional: true
})

/** An id or code: visible ASCII, non-empty, at most `maxLength`. @internal */
export const id = (maxLength: number, description?: string): StringRule => ({
  kind: "string",
  charset: "visible",
  maxLength,
  ...(description === undefined ? {} : { description })
})

/** A value sent as one URL path segment. @internal */
export const segment = (maxLength: number, description?: string): StringRule => ({
  ...id(maxLength, description),
  pathSegment: true
})

/** Text in any script (counted in characters), no control characters. @internal */
export const text = (maxLength: number | undefined, description?: string): StringRule => ({
  kind: "string",
  charset: "text",
  ...(maxLength === undefined ? {} : { maxLength }),
  ...(description === undefined ? {} : { description })
})

/** An absolute http(s) URL, printable ASCII. @internal */
export const url = (maxLength: number | undefined, example: string, description?: string): StringRule => ({
  kind: "string",
  charset: "visible",
  ...(maxLength === undefined ? {} : { maxLength }),
  checks: [(s) => {
    let parsed: URL
    try {
      parsed = new URL(s)
    } catch {
      return `must be an absolute URL, e.g. ${example}`
    }
    return parsed.protocol === "https:" || parsed.protocol === "http:"
      ? undefined
      : "must be an https:// (or http://) URL"
  }],
  ...(description === undefined ? {} : { description })
})

/** A whole number in `[min, max]`. @internal */
export const integer = (min?: number, max?: number, description?: string): IntegerRule => ({
  kind: "integer",
  ...(min === undefined ? {} : { min }),
  ...(max === undefined ? {} : { max }),
  ...(description === undefined ? {} : { description })
})

/** @internal */
export const boolean = (description?: string): BooleanRule => ({
  kind: "boolean",
  ...(description === undefined ? {} : { description })
})

/**
 * A WeChat Pay time in one of `formats` (see `TimeRule`).
 *
 * @internal
 */
export const time = (formats: ReadonlyArray<TimeFormat>, description?: string): TimeRule => {
  if (!formats.some((format) => format !== "OnAccept")) throw new Error("a time rule needs a format that writes a time")
  return { kind: "time", formats, ...(description === undefined ? {} : { description }) }
}

/** @internal */
export const object = <P>(
  fields: ObjectRule<P>["fields"],
  checks?: ObjectRule<P>["checks"],
  description?: string
): ObjectRule<P> => ({
  kind: "object",
  fields,
  ...(checks === undefined ? {} : { checks }),
  ...(description === undefined ? {} : { description })
})

/** @internal */
export const array = <A>(items: RuleFor<A>, options: Omit<ArrayRule<A>, "kind" | "items"> = {}): ArrayRule<A> => ({
  kind: "array",
  items,
  ...options
})

// ---------------------------------------------------------------------------------------------
// Checking
// ---------------------------------------------------------------------------------------------

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

const codePoints = (s: string): number => {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) i++
    }
    n++
  }
  return n
}

const checkString = (rule: StringRule, value: unknown): string | undefined => {
  if (typeof value !== "string") return "must be a string"
  if (rule.values !== undefined) {
    // an enum: anything else is told the values, the empty string too
    return rule.values.includes(value)
      ? undefined
      : rule.valuesMessage?.(value) ?? `must be one of ${rule.values.join(", ")}, not ${JSON.stringify(value)}`
  }
  if (value.length === 0) return "must not be empty"
  if (rule.charset === "text" && LONE_SURROGATE.test(value)) return "is not well-formed Unicode (a lone surrogate)"
  if (rule.maxLength !== undefined) {
    const length = rule.charset === "text" ? codePoints(value) : value.length
    if (length > rule.maxLength) return `is ${length} characters long; at most ${rule.maxLength} are allowed`
  }
  if (rule.charset === "visible") {
    const problem = notVisibleAscii(value)
    if (problem !== undefined) return problem
  } else if (CONTROL.test(value)) {
    return "must not contain control characters (line breaks, tabs, …)"
  }
  if (rule.pathSegment === true) {
    const problem = notOneSegment(value)
    if (problem !== undefined) return problem
  }
  for (const check of rule.checks ?? []) {
    const problem = check(value)
    if (problem !== undefined) return problem
  }
  return undefined
}

const checkInteger = (rule: IntegerRule, value: unknown): string | undefined => {
  if (typeof value !== "number" || !Number.isSafeInteger(value)) {
    return typeof value === "number" ? "must be a whole number" : "must be a whole number (a JSON number)"
  }
  if (rule.min !== undefined && value < rule.min) {
    return rule.min === 0 ? "must not be negative" : `must be at least ${rule.min}`
  }
  if (rule.max !== undefined && value > rule.max) return `must be at most ${rule.max}`
  return undefined
}

const FORMAT_TEXT: Record<TimeFormat, string> = {
  compact: "yyyyMMddHHmmss",
  day: "yyyyMMdd",
  OnAccept: "OnAccept",
  rfc3339: "RFC 3339 with an offset (2019-11-11T16:24:05+08:00)"
}

const RFC3339_SHAPE = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/

/** Whether `text` is a real time written in `format`. */
const isFormat = (format: TimeFormat, text: string): boolean => {
  switch (format) {
    case "compact":
      return Time.isCompact(text)
    case "day":
      return Time.isDay(text)
    case "OnAccept":
      return text === "OnAccept"
    case "rfc3339":
      return RFC3339_SHAPE.test(text) && Time.parseMillis(text) !== undefined
  }
}

/** Whether `text` has the shape of `format` (digits where digits go), real date or not. */
const hasShape = (format: TimeFormat, text: string): boolean =>
  format === "compact"
    ? /^\d{14}$/.test(text)
    : format === "day"
    ? /^\d{8}$/.test(text)
    : format === "rfc3339" && RFC3339_SHAPE.test(text)

const writeTime = (format: TimeFormat, epochMillis: number): string =>
  format === "day"
    ? Time.formatDay(epochMillis)
    : format === "rfc3339"
    ? Time.formatRfc3339(epochMillis)
    : Time.formatCompact(epochMillis)

/** @internal */
export const isDateTimeLike = (u: unknown): u is Time.DateTimeLike =>
  typeof u === "object" && u !== null &&
  (typeof (u as { readonly epochMillis?: unknown }).epochMillis === "number" ||
    typeof (u as { readonly epochMilliseconds?: unknown }).epochMilliseconds === "number")

const expectedTime = (rule: TimeRule): string => {
  const forms = rule.formats.map((format) => FORMAT_TEXT[format])
  const zone = rule.formats.some((format) => format === "compact" || format === "day") ? " (China Standard Time)" : ""
  return `${forms.length === 1 ? forms[0]! : `${forms.slice(0, -1).join(", ")} or ${forms.at(-1)!}`}${zone}`
}

/** A time checked: the string to send, or the problem. */
const checkTime = (
  rule: TimeRule,
  value: unknown
): { readonly ok: true; readonly value: string } | { readonly ok: false; readonly problem: string } => {
  if (typeof value === "string") {
    if (rule.formats.some((format) => isFormat(format, value))) return { ok: true, value }
    if (rule.formats.some((format) => hasShape(format, value))) {
      return { ok: false, problem: `is not a real date or time: ${JSON.stringify(value)}` }
    }
    return { ok: false, problem: `must be ${expectedTime(rule)} or a DateTime, not ${JSON.stringify(value)}` }
  }
  if (isDateTimeLike(value)) {
    const epochMillis = Time.epochMillisOf(value)
    if (!Number.isFinite(epochMillis)) return { ok: false, problem: "is not a valid DateTime (epochMillis)" }
    const format = rule.formats.find((f) => f !== "OnAccept")!
    const text = writeTime(format, epochMillis)
    return isFormat(format, text)
      ? { ok: true, value: text }
      : { ok: false, problem: `is a DateTime WeChat Pay cannot write as ${FORMAT_TEXT[format]} (years 0100 to 9999)` }
  }
  return { ok: false, problem: `must be a string (${expectedTime(rule)}) or a DateTime` }
}

const pathText = (path: ReadonlyArray<string | number>): string => path.map(String).join(".")

/** The outcome of `check`: the value reduced to the declared fields, or the first problem. */
type Checked = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly problem: InputProblem }

const fail = (path: ReadonlyArray<string | number>, message: string): Checked => {
  const field = path.length === 0 ? "params" : pathText(path)
  return { ok: false, problem: inputProblem(field, path.length === 0 ? message : `${field} ${message}`) }
}

const checkRule = (rule: Rule, value: unknown, path: ReadonlyArray<string | number>): Checked => {
  switch (rule.kind) {
    case "string": {
      const problem = checkString(rule, value)
      return problem === undefined ? { ok: true, value } : fail(path, problem)
    }
    case "integer": {
      const problem = checkInteger(rule, value)
      return problem === undefined ? { ok: true, value } : fail(path, problem)
    }
    case "boolean":
      return typeof value === "boolean" ? { ok: true, value } : fail(path, "must be true or false")
    case "time": {
      const checked = checkTime(rule, value)
      return checked.ok ? { ok: true, value: checked.value } : fail(path, checked.problem)
    }
    case "array": {
      if (!Array.isArray(value)) return fail(path, "must be an array")
      if (rule.minItems !== undefined && value.length < rule.minItems) {
        return fail(path, rule.tooFewMessage ?? `must have at least ${rule.minItems} item(s)`)
      }
      if (rule.maxItems !== undefined && value.length > rule.maxItems) {
        return fail(path, `has ${value.length} items; at most ${rule.maxItems} are allowed`)
      }
      const out: Array<unknown> = []
      for (let i = 0; i < value.length; i++) {
        const item = checkRule(rule.items as Rule, value[i], [...path, i])
        if (!item.ok) return item
        out.push(item.value)
      }
      return { ok: true, value: out }
    }
    case "object":
      return checkObject(rule, value, path)
  }
}

const checkObject = (rule: ObjectRule<unknown>, value: unknown, path: ReadonlyArray<string | number>): Checked => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return path.length === 0 ? fail(path, "params must be an object") : fail(path, "must be an object")
  }
  const input = value as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const [name, field] of Object.entries(rule.fields as Record<string, Field<unknown>>)) {
    const given = input[name]
    if (given === undefined) {
      if (field.optional) continue
      const fieldPath = [...path, name]
      return { ok: false, problem: inputProblem(pathText(fieldPath), `${pathText(fieldPath)} is required`) }
    }
    const checked = checkRule(field.rule as Rule, given, [...path, name])
    if (!checked.ok) return checked
    out[name] = checked.value
  }
  for (const check of rule.checks ?? []) {
    const problem = check(out)
    if (problem !== undefined) return fail([...path, ...problem.path], problem.message)
  }
  return { ok: true, value: out }
}

/**
 * Checks `input` against an object rule: the first problem (fields in declaration order, then the
 * object's own checks), or the input reduced to the declared fields (`undefined` ones left out),
 * every `DateTimeLike` under a time rule written as its wire string.
 *
 * @internal
 */
export const check = <P>(rule: ObjectRule<P>, input: unknown): P | InputProblem => {
  const checked = checkObject(rule as ObjectRule<unknown>, input, [])
  return checked.ok ? checked.value as P : checked.problem
}

/**
 * Checks one value against one rule (the sandbox checks a query parameter this way).
 *
 * @internal
 */
export const checkValue = (rule: Rule, field: string, value: unknown): InputProblem | undefined => {
  const checked = checkRule(rule, value, [field])
  return checked.ok ? undefined : checked.problem
}
