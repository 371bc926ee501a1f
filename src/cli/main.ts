#!/usr/bin/env node
/**
 * The `effect-wechatpay` executable: a launcher that checks the runtime, then loads the CLI
 * (`run.js`, one self-contained bundle: its own Effect 3, `@effect/cli`, `@effect/platform`,
 * `@effect/platform-node`), so it runs whatever Effect the project has, or none. Any failure to
 * start (too old a Node, a damaged install) and any failure nothing else caught is one line on
 * stderr, `effect-wechatpay: …`, never a stack; the exit code is `7` for a failure to start (see
 * `exitCodes`).
 *
 * @since 0.1.0
 */
import { loadFailure, runtimeProblem, STARTUP_EXIT_CODE, unexpected } from "./startup.js"

const say = (line: string) => {
  process.stderr.write(`effect-wechatpay: ${line}\n`)
}

const crash = (error: unknown) => {
  say(unexpected(error))
  process.exit(1)
}
process.on("uncaughtException", crash)
process.on("unhandledRejection", crash)

const nodeVersion: string | undefined = process.versions?.node
const subtle = (globalThis as { crypto?: { subtle?: unknown } }).crypto?.subtle
const problem = runtimeProblem(nodeVersion, subtle !== undefined)
if (problem !== undefined) {
  say(problem)
  process.exitCode = STARTUP_EXIT_CODE
} else {
  // a computed specifier: the bundler leaves it to run time, so a failure to load is caught here
  const cli = new URL("./run.js", import.meta.url).href
  import(cli).catch((error: unknown) => {
    say(loadFailure(error, nodeVersion))
    process.exitCode = STARTUP_EXIT_CODE
  })
}
