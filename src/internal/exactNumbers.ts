/**
 * Numbers in answer JSON that `JSON.parse` cannot hold exactly: an integer beyond 2^53 - 1 is
 * rounded to a neighbour (`9007199254740993` becomes `…992`), and a literal beyond the double range
 * (`1e400`) becomes `Infinity`. WeChat Pay's numeric fields (amounts in fen, counts, timestamps) are
 * integers well inside the range, so such a literal is a corrupted or hostile answer, refused with
 * `DecodeError` instead of decoded as another value.
 *
 * Only literals outside strings count (a long digit string inside `"…"` is text, kept as is). A
 * cheap test (`mayHaveOne`: 16 digits in a row, or a digit before an exponent) lets nearly every
 * answer skip the scan.
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

/** A non-zero literal that parses as 0 (`1e-400`): the value is lost. */
const isUnderflow = (literal: string): boolean => Number(literal) === 0 && /[1-9]/.test(literal.split(/[eE]/)[0]!)
