/**
 * Request targets: a path template with `{name}` placeholders, each filled by exactly one path
 * segment (checked, then percent-encoded), and the query appended in order. No value can change
 * which endpoint is called: a path parameter with `/ \ ? # %`, or `.`/`..`, is refused.
 *
 * @internal
 */

/** A problem with one input field, named by its wire name. @internal */
export interface InputProblem {
  readonly _tag: "InputProblem"
  readonly field: string
  readonly message: string
}

/** @internal */
export const inputProblem = (field: string, message: string): InputProblem => ({ _tag: "InputProblem", field, message })

/** @internal */
export const isInputProblem = (u: unknown): u is InputProblem =>
  typeof u === "object" && u !== null && (u as { _tag?: unknown })._tag === "InputProblem"

const VISIBLE_ASCII = /^[\x21-\x7e]*$/
const PATH_FORBIDDEN = /[/\\?#%]/

/** @internal */
export const notVisibleAscii = (value: string): string | undefined =>
  VISIBLE_ASCII.test(value) ? undefined : "must be printable ASCII without spaces or control characters"

/** @internal */
export const notOneSegment = (value: string): string | undefined =>
  PATH_FORBIDDEN.test(value)
    ? "must not contain any of / \\ ? # %"
    : value === "." || value === ".."
    ? 'must not be "." or ".."'
    : undefined

const PLACEHOLDER = /\{([A-Za-z0-9_]+)\}/g

/** A path template split at its placeholders: `literals` has one more entry than `names`. @internal */
export interface Template {
  readonly path: string
  readonly literals: ReadonlyArray<string>
  readonly names: ReadonlyArray<string>
}

/** @internal */
export const isTemplate = (u: Template | InputProblem): u is Template => !isInputProblem(u)

/**
 * Splits a path template; refuses one that is not printable ASCII or holds `?` or `#` (the query
 * has its own argument).
 *
 * @internal
 */
export const template = (path: string): Template | InputProblem => {
  const normalized = path.startsWith("/") ? path : `/${path}`
  if (/[?#]/.test(normalized) || notVisibleAscii(normalized) !== undefined) {
    return inputProblem("path", "path must be printable ASCII without ? or # (use query)")
  }
  // split with a capture group alternates literal, name, literal, …, literal
  const parts = normalized.split(PLACEHOLDER)
  return {
    path: normalized,
    literals: parts.filter((_, i) => i % 2 === 0),
    names: parts.filter((_, i) => i % 2 === 1)
  }
}

/** The placeholders of a template, in order. @internal */
export const placeholders = (path: string): ReadonlyArray<string> =>
  Array.from(path.matchAll(PLACEHOLDER), (m) => m[1]!)

/**
 * One path parameter: non-empty visible ASCII, none of `/ \ ? # %`, not `.` or `..`; what passes is
 * encoded with `encodeURIComponent` and can only ever be one path segment.
 *
 * @internal
 */
export const pathSegment = (field: string, value: unknown): string | InputProblem => {
  if (typeof value !== "string") return inputProblem(field, `${field} must be a string`)
  if (value.length === 0) return inputProblem(field, `${field} must not be empty`)
  const problem = notVisibleAscii(value) ?? notOneSegment(value)
  if (problem !== undefined) return inputProblem(field, `${field} ${problem}`)
  return encodeURIComponent(value)
}

/**
 * The path and query as they go on the wire (what the signature covers).
 *
 * @internal
 */
export const buildTarget = (
  tpl: Template,
  pathParams: Readonly<Record<string, unknown>>,
  query: ReadonlyArray<readonly [string, unknown]>
): string | InputProblem => {
  let built = tpl.literals[0]!
  for (let i = 0; i < tpl.names.length; i++) {
    const name = tpl.names[i]!
    const given = Object.hasOwn(pathParams, name)
    if (!given) return inputProblem(name, `${name} is required by the path`)
    const segment = pathSegment(name, pathParams[name])
    if (typeof segment !== "string") return segment
    built += segment + tpl.literals[i + 1]!
  }
  let search = ""
  for (const [key, value] of query) {
    if (value === undefined) continue
    if (typeof value !== "string") return inputProblem(key, `${key} must be a string`)
    let pair: string
    try {
      pair = `${encodeURIComponent(key)}=${encodeURIComponent(value)}`
    } catch {
      // a lone UTF-16 surrogate cannot be percent-encoded (URIError): refuse it, never throw
      return inputProblem(key, `${key} is not well-formed Unicode`)
    }
    search += `${search === "" ? "?" : "&"}${pair}`
  }
  return built + search
}
