/**
 * Parameter rules as data: what each field of a request may hold (type, presence, length, character
 * set, range, one path segment), written once and read by everything that needs them: the client
 * checks its input with `check` before anything is sent, the sandbox checks what it receives with
 * the same rules, the CLI lists the fields, and each Effect line builds its parameter schemas from
 * them. `check` also returns the input reduced to the declared fields, which is what is sent (a
 * field WeChat Pay does not document never reaches it).
 *
 * Rules are typed against the parameter interface they describe (`ObjectRule<P>`): a field missing
 * from the rules, or optional in one and required in the other, does not compile.
 *
 * @internal
 */
import { type InputProblem, inputProblem, notOneSegment, notVisibleAscii } from "./path.js"

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

/** The rule a value of type `A` takes. @internal */
export type RuleFor<A> = [A] extends [string] ? StringRule<A>
  : [A] extends [number] ? IntegerRule
  : [A] extends [boolean] ? BooleanRule
  : [A] extends [ReadonlyArray<infer I>] ? ArrayRule<I>
  : ObjectRule<A>

/** Any rule. @internal */
export type Rule = StringRule | IntegerRule | BooleanRule | ArrayRule<unknown> | ObjectRule<unknown>

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
 * object's own checks), or the input reduced to the declared fields (`undefined` ones left out).
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
