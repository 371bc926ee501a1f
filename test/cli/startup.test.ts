/**
 * What the launcher (src/cli/main.ts) says before the CLI is loaded (src/cli/startup.ts): the runtime
 * it refuses and every failure to start, each one line saying what failed and what to do. The
 * launcher itself is run in test/cli/Cli.test.ts.
 */
import { describe, expect, it } from "vitest"
import { exitCodes } from "../../src/cli/Cli.js"
import { loadFailure, runtimeProblem, STARTUP_EXIT_CODE, unexpected } from "../../src/cli/startup.js"

describe("runtimeProblem", () => {
  it("Node 20, 22, 24 and later run; older ones are told which Node to install", () => {
    for (const version of ["20.0.0", "20.20.2", "22.23.5", "24.22.3", "26.1.0"]) {
      expect(runtimeProblem(version, true), version).toBeUndefined()
    }
    expect(runtimeProblem("18.20.4", true)).toBe(
      "Node 18.20.4 is too old: the CLI needs Node 20 or later (22 or 24 recommended); install a current Node LTS and run it again"
    )
    expect(runtimeProblem("16.0.0", true)).toMatch(/^Node 16\.0\.0 is too old/)
  })

  it("a runtime without WebCrypto is told so; an unknown version is not refused for it", () => {
    expect(runtimeProblem("20.20.2", false)).toMatch(/no WebCrypto \(globalThis\.crypto\.subtle\)/)
    expect(runtimeProblem(undefined, true)).toBeUndefined()
  })
})

describe("loadFailure / unexpected", () => {
  it("a missing module names the file and the command that fixes it", () => {
    const error = Object.assign(
      new Error("Cannot find module '/app/node_modules/effect-wechatpay/dist/cli/run.js' imported from /x"),
      {
        code: "ERR_MODULE_NOT_FOUND"
      }
    )
    expect(loadFailure(error, "22.23.5")).toBe(
      "cannot start: /app/node_modules/effect-wechatpay/dist/cli/run.js is missing (the installed package is incomplete); reinstall it: npm install effect-wechatpay (or run npx effect-wechatpay@latest)"
    )
  })

  it("a syntax this Node does not read; anything else is a bug to report; first lines only", () => {
    expect(loadFailure(new SyntaxError("Unexpected token '??='"), "18.0.0")).toBe(
      "cannot start: Node 18.0.0 cannot read the CLI (SyntaxError: Unexpected token '??='); run it on Node 20 or later"
    )
    expect(loadFailure(new Error("boom\n    at x"), "22.0.0")).toMatch(
      /^cannot start \(a bug: please report it at https:.*\): Error: boom$/
    )
    expect(unexpected(new TypeError("x is not a function\n    at y"))).toMatch(/: TypeError: x is not a function$/)
    expect(unexpected("plain")).toMatch(/: plain$/)
  })

  it("the exit code of a failure to start is its own (7), listed with the others", () => {
    expect(STARTUP_EXIT_CODE).toBe(7)
    expect(exitCodes.startup).toBe(7)
    expect(new Set(Object.values(exitCodes)).size).toBe(Object.values(exitCodes).length)
  })
})
