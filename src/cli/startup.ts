/**
 * What the `effect-wechatpay` launcher (main.ts) checks and says before it loads the CLI (run.js, a
 * self-contained bundle with its own Effect): the runtime, and any failure to start, each as one
 * line on stderr saying what failed and what to do, never a stack. Plain code, no imports, written
 * for any Node that can load an ES module, so that an old one still gets the sentence.
 *
 * @internal
 */

/** The exit code of a CLI that cannot start here (too old a Node, a damaged install). @internal */
export const STARTUP_EXIT_CODE = 7

/** The oldest Node the CLI runs on. @internal */
export const MIN_NODE_MAJOR = 20

const ISSUES = "https://github.com/effect-wechatpay/effect-wechatpay/issues"

/** The first line of an error's message (or of anything thrown), trimmed. @internal */
export const firstLine = (error: unknown): string => {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  return (text.split("\n")[0] || "").trim()
}

/**
 * Why this runtime cannot run the CLI, or `undefined`: too old a Node (by `process.versions.node`),
 * or no WebCrypto (`globalThis.crypto.subtle`, which signs every request).
 *
 * @internal
 */
export const runtimeProblem = (
  nodeVersion: string | undefined,
  hasWebCrypto: boolean
): string | undefined => {
  const major = Number((nodeVersion || "").split(".")[0])
  if (nodeVersion !== undefined && Number.isInteger(major) && major < MIN_NODE_MAJOR) {
    return `Node ${nodeVersion} is too old: the CLI needs Node ${MIN_NODE_MAJOR} or later (22 or 24 recommended); install a current Node LTS and run it again`
  }
  if (!hasWebCrypto) {
    return `this runtime has no WebCrypto (globalThis.crypto.subtle), which signs every request: run the CLI on Node ${MIN_NODE_MAJOR} or later`
  }
  return undefined
}

/**
 * The line for a CLI that could not be loaded: a missing file of the package (a damaged or partial
 * install), a syntax this runtime does not know, or anything else (a bug).
 *
 * @internal
 */
export const loadFailure = (error: unknown, nodeVersion: string | undefined): string => {
  const code = (error as { code?: unknown } | null)?.code
  if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") {
    const missing = /Cannot find (?:module|package) '([^']+)'/.exec(error instanceof Error ? error.message : "")?.[1]
    return `cannot start: ${
      missing === undefined ? "a file of the package is missing" : `${missing} is missing`
    } (the installed package is incomplete); reinstall it: npm install effect-wechatpay (or run npx effect-wechatpay@latest)`
  }
  if (error instanceof SyntaxError) {
    return `cannot start: Node ${nodeVersion ?? "(unknown)"} cannot read the CLI (${
      firstLine(error)
    }); run it on Node ${MIN_NODE_MAJOR} or later`
  }
  return `cannot start (a bug: please report it at ${ISSUES}): ${firstLine(error)}`
}

/** The line for a failure nothing else caught (a bug). @internal */
export const unexpected = (error: unknown): string =>
  `unexpected failure (a bug: please report it at ${ISSUES}): ${firstLine(error)}`
