/**
 * The line guard's sentences (src/guard/guard.ts), for every combination the package tests cannot
 * install: an effect 4 outside 4.1.x, an effect 3 that is too old, the wrong @effect/platform. Each
 * names what is installed and the command that fixes it; the right combinations pass.
 */
import { describe, expect, it } from "@effect/vitest"
import { diagnose } from "../../../src/guard/guard.js"

describe("the line guard", () => {
  it("the right combinations pass", () => {
    expect(diagnose("effect4", { effect: "4.1.5", platform: undefined })).toBeUndefined()
    expect(diagnose("effect4", { effect: "4.1.9", platform: "0.97.2" })).toBeUndefined()
    expect(diagnose("effect3", { effect: "3.22.4", platform: "0.97.2" })).toBeUndefined()
    expect(diagnose("effect3", { effect: "3.23.0", platform: "0.97.9" })).toBeUndefined()
  })

  it("the Effect 4 line with an effect 4 outside the tested minor, or none", () => {
    expect(diagnose("effect4", { effect: "4.2.0", platform: undefined })).toBe(
      "effect-wechatpay: the Effect 4 line needs effect 4.1.x (found 4.2.0). Run: npm install effect@4.1"
    )
    expect(diagnose("effect4", { effect: "4.0.3", platform: undefined })).toBe(
      "effect-wechatpay: the Effect 4 line needs effect 4.1.x (found 4.0.3). Run: npm install effect@4.1"
    )
    expect(diagnose("effect4", { effect: undefined, platform: undefined })).toBe(
      "effect-wechatpay: the Effect 4 line needs effect 4.1.x (not installed). Run: npm install effect@4.1"
    )
  })

  it("each line with the other major", () => {
    expect(diagnose("effect4", { effect: "3.22.4", platform: "0.97.2" })).toBe(
      `effect-wechatpay: "effect-wechatpay/effect4" is the Effect 4 line, but effect 3.22.4 is installed. With Effect 3, import "effect-wechatpay" and "effect-wechatpay/testing" instead. To move to Effect 4: npm install effect@4`
    )
    expect(diagnose("effect3", { effect: "4.1.5", platform: undefined })).toBe(
      `effect-wechatpay: "effect-wechatpay" and "effect-wechatpay/testing" are the Effect 3 line, but effect 4.1.5 is installed. With Effect 4, import "effect-wechatpay/effect4" and "effect-wechatpay/effect4/testing" instead. To stay on Effect 3: npm install effect@3 @effect/platform@0.97`
    )
  })

  it("the Effect 3 line with an effect 3 too old, or the wrong @effect/platform", () => {
    expect(diagnose("effect3", { effect: "3.21.0", platform: "0.97.2" })).toBe(
      "effect-wechatpay: the Effect 3 line needs effect ^3.22.4 (found 3.21.0). Run: npm install effect@3 @effect/platform@0.97"
    )
    expect(diagnose("effect3", { effect: undefined, platform: undefined })).toBe(
      "effect-wechatpay: the Effect 3 line needs effect ^3.22.4 (not installed). Run: npm install effect@3 @effect/platform@0.97"
    )
    expect(diagnose("effect3", { effect: "3.22.4", platform: "0.96.0" })).toBe(
      `effect-wechatpay: the Effect 3 line needs @effect/platform ^0.97.2 (found 0.96.0). Run: npm install @effect/platform@0.97 (or, for the Effect 4 line: npm install effect@4, and import "effect-wechatpay/effect4")`
    )
    expect(diagnose("effect3", { effect: "3.22.4", platform: "0.97.1" })).toMatch(/found 0\.97\.1/)
  })
})
