/**
 * Reading JSON answers safely: a number literal `JSON.parse` cannot hold exactly (an integer beyond
 * 2^53 - 1 rounds, `1e400` becomes `Infinity`) is refused rather than decoded as another value, and
 * so is nesting deeper than any WeChat Pay document has (deep nesting overflows the stack of a
 * recursive decoder or error formatter: a defect, where a typed error belongs). Both scans are
 * linear and skip string contents.
 *
 * @internal
 */

const SUSPECT = /\d{16}|\d[eE]/
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y

/** Whether a parsed literal is exactly the value `JSON.parse` gives: finite, and a safe integer if whole. */
const isExact = (literal: string): boolean => {
  const value = Number(literal)
  if (!Number.isFinite(value)) return false
  return !Number.isInteger(value) || Number.isSafeInteger(value)
}

/** A non-zero literal that parses as 0 (`1e-400`): the value is lost. */
const isUnderflow = (literal: string): boolean => Number(literal) === 0 && /[1-9]/.test(literal.split(/[eE]/)[0]!)

/**
 * The first number literal of `text` (outside strings) that does not decode exactly, or `undefined`.
 *
 * @internal
 */
export const inexactNumber = (text: string): string | undefined => {
  if (!SUSPECT.test(text)) return undefined
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92) i++ // backslash: skip the escaped character
      else if (c === 34) inString = false
      continue
    }
    if (c === 34) {
      inString = true
      continue
    }
    if (c === 45 || (c >= 48 && c <= 57)) {
      NUMBER.lastIndex = i
      const match = NUMBER.exec(text)
      if (match === null) continue
      const literal = match[0]
      if (!isExact(literal) || isUnderflow(literal)) return literal
      i += literal.length - 1
    }
  }
  return undefined
}

/**
 * The deepest nesting any document of the library may have: a service order is 5 levels deep
 * (`collection.details[].promotion_detail[].goods_detail[]`), so 32 leaves room.
 *
 * @internal
 */
export const MAX_DEPTH = 32

/**
 * Whether `text` nests arrays and objects deeper than `maxDepth` (outside strings).
 *
 * @internal
 */
export const nestsDeeperThan = (text: string, maxDepth: number = MAX_DEPTH): boolean => {
  if (text.length < maxDepth * 2) return false
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92) i++
      else if (c === 34) inString = false
      continue
    }
    if (c === 34) inString = true
    else if (c === 91 || c === 123) {
      if (++depth > maxDepth) return true
    } else if (c === 93 || c === 125) depth--
  }
  return false
}

/** @internal */
export type JsonRead =
  | { readonly _tag: "Json"; readonly value: unknown }
  | { readonly _tag: "NotJson" }
  | { readonly _tag: "Inexact"; readonly literal: string }
  | { readonly _tag: "TooDeep" }

/**
 * `JSON.parse` with both guards.
 *
 * @internal
 */
export const readJson = (text: string): JsonRead => {
  if (nestsDeeperThan(text)) return { _tag: "TooDeep" }
  const literal = inexactNumber(text)
  if (literal !== undefined) return { _tag: "Inexact", literal }
  try {
    return { _tag: "Json", value: JSON.parse(text) as unknown }
  } catch {
    return { _tag: "NotJson" }
  }
}

/**
 * What a `JsonRead` that is not JSON says, completing "the answer …" / "the resource …".
 *
 * @internal
 */
export const describeJsonProblem = (read: Exclude<JsonRead, { readonly _tag: "Json" }>): string => {
  switch (read._tag) {
    case "NotJson":
      return "is not JSON"
    case "TooDeep":
      return `nests arrays or objects more than ${MAX_DEPTH} levels deep, which no WeChat Pay document does`
    case "Inexact":
      return `has a number no JavaScript number holds exactly (${
        read.literal.length > 40 ? `${read.literal.slice(0, 40)}…` : read.literal
      }): it would be rounded or infinite`
  }
}
