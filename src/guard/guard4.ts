/**
 * The Effect 4 line's guard (entries `./effect4`, `./effect4/testing`, `./effect4/undici`):
 * effect only (see guard3).
 *
 * @internal
 */
import { diagnose, fail } from "./guard.js"

/** ESM: reads the installed version with a JSON import. @internal */
export const check = async (): Promise<void> => {
  const effect = await import("effect/package.json", { with: { type: "json" } }).then((json) => json.default.version)
    .catch(() => undefined)
  const problem = diagnose("effect4", { effect, platform: undefined })
  if (problem !== undefined) fail(problem)
}

/** CJS: reads the installed version with `require`. @internal */
export const checkSync = (): void => {
  let effect: string | undefined
  try {
    effect = require("effect/package.json").version
  } catch {}
  const problem = diagnose("effect4", { effect, platform: undefined })
  if (problem !== undefined) fail(problem)
}
