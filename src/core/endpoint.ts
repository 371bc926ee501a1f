/**
 * An endpoint as data: one declaration per WeChat Pay API call, read by the client's methods (both
 * Effect lines), the sandbox's routes and checks, and the CLI. It says the method, the path template
 * (its `{placeholders}` are the path parameters), which parameters go in the query (in order), the
 * rules of every parameter, whether the answer has a body, whether sending it twice is harmless,
 * and the errors its documentation lists. A POST body is the checked parameters minus the path and
 * query ones, in the order the rules declare them: a path parameter never appears in the body.
 *
 * @internal
 */
import * as Fields from "./fields.js"
import * as Path from "./path.js"

/** Which service a method belongs to. @internal */
export type ServiceName = "PayScorePermissions" | "PayScoreServiceOrders"

/** An error the documentation lists for the endpoint. @internal */
export interface DocumentedError {
  readonly status: number
  readonly code: string
  /** What the documentation says it means (its words, translated where useful). */
  readonly meaning: string
}

/** @internal */
export interface Endpoint<P = unknown, Name extends string = string> {
  /** The method's name on its service, e.g. `queryByAuthorizationCode`. */
  readonly name: Name
  readonly service: ServiceName
  readonly method: "GET" | "POST"
  /** e.g. `/v3/payscore/permissions/authorization-code/{authorization_code}`. */
  readonly path: string
  /** The parameters sent in the query string, in this order (absent optional ones left out). */
  readonly query: ReadonlyArray<keyof P & string>
  readonly params: Fields.ObjectRule<P>
  /** `json`: a body to decode (200); `empty`: any verified 2xx is success (204). */
  readonly answer: "json" | "empty"
  /**
   * Whether sending it twice has the effect of sending it once: decides what is retried after an
   * uncertain failure (see `retry.ts`).
   */
  readonly idempotent: boolean
  /** Why the idempotence is what it is, from the documentation. */
  readonly idempotenceNote?: string | undefined
  readonly errors: ReadonlyArray<DocumentedError>
  /** One line for people (the CLI's help). */
  readonly summary: string
  /** The official page. */
  readonly documentation?: string | undefined
}

/** Any endpoint, as far as its parameters' names go. @internal */
export interface Any {
  readonly name: string
  readonly service: ServiceName
  readonly method: "GET" | "POST"
  readonly path: string
  readonly query: ReadonlyArray<string>
  readonly params: { readonly fields: object }
  readonly answer: "json" | "empty"
  readonly idempotent: boolean
  readonly errors: ReadonlyArray<DocumentedError>
  readonly summary: string
}

/** The span / operation name of an endpoint's method: `PayScorePermissions.queryByAuthorizationCode`. @internal */
export const operation = (endpoint: Any): string => `${endpoint.service}.${endpoint.name}`

/** The request parts of checked parameters. @internal */
export interface Parts {
  readonly pathParams: Readonly<Record<string, unknown>>
  readonly query: ReadonlyArray<readonly [string, unknown]>
  /** `undefined` for a GET. */
  readonly body: Readonly<Record<string, unknown>> | undefined
}

const templates = new WeakMap<Any, Path.Template>()

/** The endpoint's path template, split once. @internal */
export const templateOf = (endpoint: Any): Path.Template => {
  let tpl = templates.get(endpoint)
  if (tpl === undefined) {
    const made = Path.template(endpoint.path)
    if (!Path.isTemplate(made)) throw new Error(`endpoint ${endpoint.name}: ${made.message}`)
    tpl = made
    templates.set(endpoint, tpl)
  }
  return tpl
}

/**
 * Splits checked parameters into path, query and body (see the module comment).
 *
 * @internal
 */
export const split = (endpoint: Any, params: Readonly<Record<string, unknown>>): Parts => {
  const tpl = templateOf(endpoint)
  const pathParams: Record<string, unknown> = {}
  for (const name of tpl.names) pathParams[name] = params[name]
  const query: Array<readonly [string, unknown]> = []
  for (const name of endpoint.query) query.push([name, params[name]])
  if (endpoint.method === "GET") return { pathParams, query, body: undefined }
  const taken = new Set<string>([...tpl.names, ...endpoint.query])
  const body: Record<string, unknown> = {}
  for (const name of Object.keys(endpoint.params.fields as object)) {
    if (!taken.has(name) && params[name] !== undefined) body[name] = params[name]
  }
  return { pathParams, query, body }
}

/**
 * Checks the input against the endpoint's rules: the first problem, or the parameters reduced to
 * the declared fields.
 *
 * @internal
 */
export const check = <P>(endpoint: Endpoint<P>, input: unknown): P | Path.InputProblem =>
  Fields.check(endpoint.params, input)

/** The names of an endpoint's body fields, in order. @internal */
export const bodyFields = (endpoint: Any): ReadonlyArray<string> => {
  const taken = new Set<string>([...templateOf(endpoint).names, ...endpoint.query])
  return endpoint.method === "GET" ? [] : Object.keys(endpoint.params.fields as object).filter((n) => !taken.has(n))
}
