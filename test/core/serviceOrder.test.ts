/**
 * The rules of a service order's answer (src/core/serviceOrder.ts), read by both Effect lines:
 * the `_tag` of each documented `state` (any other is `UnknownState`), and an amount in fen sent
 * as the digits of a whole number.
 */
import { describe, expect, it } from "@effect/vitest"
import * as ServiceOrder from "../../src/core/serviceOrder.js"

describe("orderStateTag", () => {
  it("the five documented states, and any other as UnknownState", () => {
    expect(["CREATED", "DOING", "DONE", "REVOKED", "EXPIRED"].map(ServiceOrder.orderStateTag)).toEqual([
      "Created",
      "Doing",
      "Done",
      "Revoked",
      "Expired"
    ])
    for (const state of ["FINISHED", "", "created", " DOING"]) {
      expect(ServiceOrder.orderStateTag(state)).toBe("UnknownState")
    }
  })
})

describe("amountFromDigits", () => {
  it("the digits of a whole number, negative included", () => {
    expect(["40000", "0", "-1", String(Number.MAX_SAFE_INTEGER)].map(ServiceOrder.amountFromDigits)).toEqual([
      40000,
      0,
      -1,
      Number.MAX_SAFE_INTEGER
    ])
  })

  it("anything else is undefined: fractions, exponents, spaces, signs, past the safe integers", () => {
    for (const text of ["1.5", "1e3", " 1", "1 ", "+1", "", "0x10", "9007199254740993", "四"]) {
      expect(ServiceOrder.amountFromDigits(text), text).toBeUndefined()
    }
  })
})
