/**
 * Inputs that try to escape a path segment or a query value, and the documented rules of those
 * inputs written independently of the library (the oracles the property tests check against).
 */
import { FastCheck as fc } from "effect"

// ---------------------------------------------------------------------------------------------
// Oracles: the documented rules, written here independently of the library
// ---------------------------------------------------------------------------------------------

export const isVisibleAscii = (s: string) => [...s].every((c) => c.charCodeAt(0) >= 0x21 && c.charCodeAt(0) <= 0x7e)
/** A query (or body) parameter: 1..max visible ASCII characters. */
export const validParameter = (s: string, max: number) => s.length >= 1 && s.length <= max && isVisibleAscii(s)
/** A path segment: a parameter without / \ ? # %, and not "." or "..". */
export const validSegment = (s: string, max: number) =>
  validParameter(s, max) && !/[/\\?#%]/.test(s) && s !== "." && s !== ".."

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

/** Strings biased towards what could escape a path segment or a query value. */
export const hostile = fc.oneof(
  fc.stringOf(
    fc.oneof(
      fc.constantFrom(
        "/",
        "\\",
        "?",
        "#",
        "%",
        ".",
        "..",
        " ",
        "\t",
        "\n",
        "\r",
        "\u0000",
        "\u007f",
        "%2F",
        "%2e",
        "%00",
        "&",
        "=",
        "+",
        ";",
        ":",
        "@",
        "~",
        "é",
        "中",
        "\u{1F600}",
        "\u00a0"
      ),
      fc.char()
    ),
    { maxLength: 40 }
  ),
  fc.constantFrom(".", "..", "...", "./", "../", "%2e%2e", "a/../b", "..%2F", "\\..", " a", "a ", "?", "#", "%")
)
export const generators = [
  { name: "fc.string()", arbitrary: fc.string() },
  { name: "fc.fullUnicodeString()", arbitrary: fc.fullUnicodeString() },
  { name: "hostile strings", arbitrary: hostile }
] as const
