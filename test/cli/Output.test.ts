/**
 * The CLI's output helpers: colour only to a terminal and never under NO_COLOR; ANSI stripped.
 */
import { Console, Effect } from "effect"
import { describe, expect, it } from "vitest"
import { colourAllowed, plainConsole, stripAnsi } from "../../src/cli/Cli.js"

describe("CLI output", () => {
  it("colour only to a TTY, and not under a non-empty NO_COLOR", () => {
    expect(colourAllowed({ isTTY: true }, {})).toBe(true)
    expect(colourAllowed({ isTTY: true }, { NO_COLOR: "" })).toBe(true)
    expect(colourAllowed({ isTTY: true }, { NO_COLOR: "1" })).toBe(false)
    expect(colourAllowed({ isTTY: false }, {})).toBe(false)
    expect(colourAllowed({}, {})).toBe(false)
  })

  it("stripAnsi removes SGR sequences and keeps the text", () => {
    expect(stripAnsi("\u001b[0;1m\u001b[0;37;1meffect-wechatpay\u001b[0;1m\u001b[0m")).toBe("effect-wechatpay")
  })

  it("plainConsole strips stdout and stderr independently", async () => {
    const seen: Array<[string, unknown]> = []
    const recording = (name: string) => (...args: ReadonlyArray<unknown>) =>
      Effect.sync(() => {
        seen.push([name, args[0]])
      })
    const program = Console.consoleWith((base) =>
      Effect.gen(function*() {
        const fake = { ...base, log: recording("log"), error: recording("error") }
        const plain = plainConsole(fake, { stdout: true, stderr: false })
        yield* plain.log("\u001b[1mbold\u001b[0m")
        yield* plain.error("\u001b[1mbold\u001b[0m")
      })
    )
    await Effect.runPromise(program)
    expect(seen).toEqual([["log", "bold"], ["error", "\u001b[1mbold\u001b[0m"]])
  })
})
