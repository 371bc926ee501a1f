/**
 * The Effect 3 line's guard (entries `.`, `./testing`, `./undici`). Literal specifiers, each
 * `import()` with its own `.catch()` and each `require()` in its own `try`: bundlers (esbuild,
 * Rollup) then treat a missing package as a run-time failure instead of a build error. The Effect
 * 4 line's guard (guard4) never names @effect/platform.
 *
 * @internal
 */
import { diagnose, fail } from "./guard.js"

interface Json {
  readonly default: { readonly version: string }
}
const version = (json: Json): string => json.default.version

/** ESM: reads the installed versions with JSON imports. @internal */
export const check = async (): Promise<void> => {
  const effect = await import("effect/package.json", { with: { type: "json" } }).then(version).catch(() => undefined)
  const platform = await import("@effect/platform/package.json", { with: { type: "json" } }).then(version).catch(
    () => undefined
  )
  const problem = diagnose("effect3", { effect, platform })
  if (problem !== undefined) fail(problem)
}

/** CJS: reads the installed versions with `require`. @internal */
export const checkSync = (): void => {
  let effect: string | undefined
  let platform: string | undefined
  try {
    effect = require("effect/package.json").version
  } catch {}
  try {
    platform = require("@effect/platform/package.json").version
  } catch {}
  const problem = diagnose("effect3", { effect, platform })
  if (problem !== undefined) fail(problem)
}
