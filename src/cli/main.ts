#!/usr/bin/env node
/**
 * The `effect-wechatpay` executable. Needs the optional peer dependencies `@effect/cli` and
 * `@effect/platform-node`.
 *
 * @since 0.1.0
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Effect from "effect/Effect"
import { ExitCode, exitCodes, run } from "./Cli.js"

run(process.argv).pipe(
  Effect.catchAll((error) =>
    Effect.sync(() => {
      // ValidationErrors of @effect/cli were already printed with the help text
      process.exitCode = error instanceof ExitCode ? error.code : exitCodes.input
    })
  ),
  Effect.provide(NodeContext.layer),
  NodeRuntime.runMain({ disableErrorReporting: false })
)
