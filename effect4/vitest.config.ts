import { defineConfig } from "vitest/config"

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
