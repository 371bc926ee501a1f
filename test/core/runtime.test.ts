/**
 * The runtime named in the default User-Agent (src/core/runtime.ts), from each runtime's
 * globals as it sets them (the real ones are checked on each runtime by test/runtimes/Runtimes.test.ts).
 */
import { describe, expect, it } from "@effect/vitest"
import { detect } from "../../src/core/runtime.js"
import { DEFAULT_USER_AGENT, VERSION } from "../../src/core/version.js"

describe("runtime detection", () => {
  it("Node, here", () => {
    expect(detect()).toEqual({ name: `Node/${process.versions.node}`, platform: `${process.platform} ${process.arch}` })
    expect(DEFAULT_USER_AGENT).toBe(
      `effect-wechatpay/${VERSION} (${process.platform} ${process.arch}) Node/${process.versions.node}`
    )
  })

  it("Bun and Deno before Node: both also set process.versions.node", () => {
    const process = { versions: { node: "22.6.0" }, platform: "linux", arch: "x64" }
    expect(detect({ Bun: { version: "1.2.3" }, process })).toEqual({ name: "Bun/1.2.3", platform: "linux x64" })
    expect(detect({ Deno: { version: { deno: "2.1.4" }, build: { os: "darwin", arch: "aarch64" } }, process }))
      .toEqual({ name: "Deno/2.1.4", platform: "darwin aarch64" })
  })

  it("workerd (navigator.userAgent), even with a process polyfill; a browser; nothing known", () => {
    const navigator = { userAgent: "Cloudflare-Workers" }
    expect(detect({ navigator })).toEqual({ name: "workerd", platform: "unknown" })
    expect(detect({ navigator, process: { versions: { node: "22.0.0" } } }).name).toBe("workerd")
    expect(detect({ window: {}, document: {}, navigator: { userAgent: "Mozilla/5.0" } })).toEqual({
      name: "browser",
      platform: "unknown"
    })
    expect(detect({})).toEqual({ name: "unknown", platform: "unknown" })
    expect(detect({ Bun: { version: 1 }, process: { versions: { node: "" } } })).toEqual({
      name: "unknown",
      platform: "unknown"
    })
  })
})
