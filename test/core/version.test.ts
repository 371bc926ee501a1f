/**
 * The version the default User-Agent carries (src/core/version.ts): package.json's, and the
 * User-Agent built from it and the runtime.
 */
import { describe, expect, it } from "@effect/vitest"
import { readFileSync } from "node:fs"
import { detect } from "../../src/core/runtime.js"
import { DEFAULT_USER_AGENT, VERSION } from "../../src/core/version.js"

describe("version", () => {
  it("VERSION equals package.json's version", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
    expect(VERSION).toBe(pkg.version)
  })

  it("DEFAULT_USER_AGENT is effect-wechatpay/<VERSION> (<platform>) <runtime>", () => {
    const runtime = detect()
    expect(DEFAULT_USER_AGENT).toBe(`effect-wechatpay/${VERSION} (${runtime.platform}) ${runtime.name}`)
  })
})
