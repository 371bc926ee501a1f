import { defineConfig } from "vitest/config"

// No ANSI codes when the output is not a terminal (a CI log, `npm test | cat`): the test workers,
// which format assertion diffs and logged values, inherit NO_COLOR from this process (tinyrainbow
// honours it; it would take any FORCE_COLOR, even 0, as a yes). FORCE_COLOR=1 still asks for colour.
const forced = process.env.FORCE_COLOR
if (!process.stdout.isTTY && (forced === undefined || forced === "0" || forced === "false")) {
  process.env.NO_COLOR ??= "1"
}

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // what a passing test prints (the warnings and log lines of failures it provokes on purpose)
    // is dropped; a failing test's output is shown with its failure
    silent: "passed-only"
  }
})
