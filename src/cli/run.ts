/**
 * The CLI's program, loaded by the launcher (main.ts) once the runtime is checked. Built into one
 * self-contained bundle (dist/cli/run.js: its own Effect 3, `@effect/cli`, `@effect/platform`,
 * `@effect/platform-node`), so it needs nothing from the user's project.
 *
 * Output carries colour only to a terminal and never under `NO_COLOR`; every failure ends with a
 * reason on stderr and its exit code (see `exitCodes`).
 *
 * @since 0.1.0
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Cause from "effect/Cause"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import { colourAllowed, ExitCode, exitCodes, plainConsole, run } from "./Cli.js"
import { unexpected } from "./startup.js"

const plain = {
  stdout: !colourAllowed(process.stdout, process.env),
  stderr: !colourAllowed(process.stderr, process.env)
}

Console.consoleWith((base) => Effect.withConsole(run(process.argv), plainConsole(base, plain))).pipe(
  Effect.catchAll((error) =>
    Effect.sync(() => {
      // WechatPayErrors were printed as JSON by the commands, @effect/cli's ValidationErrors with
      // the help text
      process.exitCode = error instanceof ExitCode ? error.code : exitCodes.input
    })
  ),
  Effect.catchAllDefect((defect) =>
    Effect.sync(() => {
      const reason = Cause.pretty(Cause.die(defect)).split("\n")[0] ?? String(defect)
      process.stderr.write(`effect-wechatpay: ${unexpected(reason)}\n`)
      process.exitCode = exitCodes.unexpected
    })
  ),
  Effect.provide(NodeContext.layer),
  NodeRuntime.runMain({ disableErrorReporting: true })
)
