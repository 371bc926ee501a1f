/**
 * The scan behind "numbers decode exactly or fail with DecodeError" (src/core/json.ts):
 * which literals JSON.parse would round or make infinite, and that text inside strings never counts;
 * the depth guard (deep nesting would overflow a recursive decoder: a defect, not a typed error);
 * and `readJson` with both guards.
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

describe("nestsDeeperThan", () => {
  it("counts arrays and objects outside strings; at the limit is fine, one more is too deep", () => {
    const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth)
    expect(ExactNumbers.MAX_DEPTH).toBe(32)
    expect(ExactNumbers.nestsDeeperThan(nested(32))).toBe(false)
    expect(ExactNumbers.nestsDeeperThan(nested(33))).toBe(true)
    expect(ExactNumbers.nestsDeeperThan(`{"a":{"b":[{"c":1}]}}`, 3)).toBe(true)
    expect(ExactNumbers.nestsDeeperThan(`{"a":{"b":[{"c":1}]}}`, 4)).toBe(false)
    expect(ExactNumbers.nestsDeeperThan(`{"a":"${"[".repeat(100)}","b":"\\"}`, 2)).toBe(false)
    // siblings do not add up: depth goes back down
    expect(ExactNumbers.nestsDeeperThan(`[${"[],".repeat(100)}[]]`, 2)).toBe(false)
  })
})

describe("readJson", () => {
  it("JSON, or why not: not JSON, a number it would change, nesting too deep (each said in words)", () => {
    expect(ExactNumbers.readJson(`{"a":[1,"x"]}`)).toEqual({ _tag: "Json", value: { a: [1, "x"] } })
    const notJson = ExactNumbers.readJson("{")
    const inexact = ExactNumbers.readJson(`{"n":${"9".repeat(50)}}`)
    const deep = ExactNumbers.readJson("[".repeat(5_000) + "]".repeat(5_000))
    expect([notJson, inexact._tag, deep]).toEqual([{ _tag: "NotJson" }, "Inexact", { _tag: "TooDeep" }])
    if (notJson._tag === "Json" || inexact._tag === "Json" || deep._tag === "Json") throw new Error("unreachable")
    expect(ExactNumbers.describeJsonProblem(notJson)).toBe("is not JSON")
    expect(ExactNumbers.describeJsonProblem(deep)).toBe(
      "nests arrays or objects more than 32 levels deep, which no WeChat Pay document does"
    )
    expect(ExactNumbers.describeJsonProblem(inexact)).toBe(
      `has a number no JavaScript number holds exactly (${"9".repeat(40)}…): it would be rounded or infinite`
    )
  })
})
