/**
 * The line guard: which `effect` (and `@effect/platform`) is installed, checked before a line's
 * modules are loaded, so that a wrong combination fails with a sentence naming the versions and
 * the command that fixes it, never with a missing-module stack. No dependencies; the same source
 * is built to ESM (`check`, async: a JSON import) and CJS (`checkSync`: `require`). The ranges
 * here are the package's peer ranges (`effect: "^3.22.4 || ~4.1.5"`, `@effect/platform: "^0.97.2"`):
 * keep them in step.
 *
 * @internal
 */

/** @internal */
export type Line = "effect3" | "effect4"

const PACKAGE = "effect-wechatpay"
/** The verb of the advice, kept out of the built text as `import "…"` (which tools read as an import). */
const IMPORT = "import"

/** @internal */
export interface Found {
  readonly effect: string | undefined
  readonly platform: string | undefined
}

const major = (version: string): number => Number(version.split(".")[0])
const atLeast = (version: string, min: readonly [number, number, number]): boolean => {
  const [a = 0, b = 0, c = 0] = version.split("-")[0]!.split(".").map(Number)
  return a !== min[0] ? a > min[0] : b !== min[1] ? b > min[1] : c >= min[2]
}

/**
 * The problem with what is installed for `line`, as a sentence; `undefined` when all is well.
 *
 * @internal
 */
export const diagnose = (line: Line, found: Found): string | undefined => {
  const { effect, platform } = found
  if (line === "effect3") {
    if (effect !== undefined && major(effect) >= 4) {
      return `${PACKAGE}: "${PACKAGE}" and "${PACKAGE}/testing" are the Effect 3 line, but effect ${effect} is installed. ` +
        `With Effect 4, ${IMPORT} "${PACKAGE}/effect4" and "${PACKAGE}/effect4/testing" instead. ` +
        `To stay on Effect 3: npm install effect@3 @effect/platform@0.97`
    }
    if (effect === undefined || major(effect) !== 3 || !atLeast(effect, [3, 22, 4])) {
      return `${PACKAGE}: the Effect 3 line needs effect ^3.22.4 (${
        effect === undefined ? "not installed" : `found ${effect}`
      }). ` +
        `Run: npm install effect@3 @effect/platform@0.97`
    }
    if (platform === undefined || !platform.startsWith("0.97.") || !atLeast(platform, [0, 97, 2])) {
      return `${PACKAGE}: the Effect 3 line needs @effect/platform ^0.97.2 (${
        platform === undefined ? "not installed" : `found ${platform}`
      }). ` +
        `Run: npm install @effect/platform@0.97 ` +
        `(or, for the Effect 4 line: npm install effect@4, and ${IMPORT} "${PACKAGE}/effect4")`
    }
    return undefined
  }
  if (effect !== undefined && major(effect) === 3) {
    return `${PACKAGE}: "${PACKAGE}/effect4" is the Effect 4 line, but effect ${effect} is installed. ` +
      `With Effect 3, ${IMPORT} "${PACKAGE}" and "${PACKAGE}/testing" instead. ` +
      `To move to Effect 4: npm install effect@4`
  }
  // effect's http modules are unstable across minors: the tested minor only, as the peer range says
  if (effect === undefined || major(effect) !== 4 || !atLeast(effect, [4, 1, 0]) || atLeast(effect, [4, 2, 0])) {
    return `${PACKAGE}: the Effect 4 line needs effect 4.1.x (${
      effect === undefined ? "not installed" : `found ${effect}`
    }). ` +
      `Run: npm install effect@4.1`
  }
  return undefined
}

/**
 * Throws the sentence as an Error whose stack is the sentence (no loader frames).
 *
 * @internal
 */
export const fail = (message: string): never => {
  const error = new Error(message)
  error.name = "EffectWechatpayInstallError"
  error.stack = `${error.name}: ${message}`
  throw error
}
