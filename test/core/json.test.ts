/**
 * The scan behind "numbers decode exactly or fail with DecodeError" (src/core/json.ts):
 * which literals JSON.parse would round or make infinite, and that text inside strings never counts.
 */
import { describe, expect, it } from "@effect/vitest"
import * as ExactNumbers from "../../src/core/json.js"

describe("inexactNumber", () => {
  it("finds literals past 2^53 - 1 or the double range, outside strings only", () => {
    expect(ExactNumbers.inexactNumber(`{"a":9007199254740991}`)).toBeUndefined()
    expect(ExactNumbers.inexactNumber(`{"a":9007199254740992}`)).toBe("9007199254740992")
    expect(ExactNumbers.inexactNumber(`{"a":-9007199254740993}`)).toBe("-9007199254740993")
    expect(ExactNumbers.inexactNumber(`{"a":1e400}`)).toBe("1e400")
    expect(ExactNumbers.inexactNumber(`[-1E+400]`)).toBe("-1E+400")
    expect(ExactNumbers.inexactNumber(`{"a":1e20}`)).toBe("1e20")
    expect(ExactNumbers.inexactNumber(`{"a":1e-400}`)).toBe("1e-400")
    expect(ExactNumbers.inexactNumber(`{"a":1.5e3,"b":0.25,"c":0e5,"d":-0}`)).toBeUndefined()
    expect(ExactNumbers.inexactNumber(`{"code":"12345678901234567890","x":"1e400"}`)).toBeUndefined()
    expect(ExactNumbers.inexactNumber(`{"k\\"12345678901234567890":"\\\\","n":12345678901234567890}`)).toBe(
      "12345678901234567890"
    )
  })
})
