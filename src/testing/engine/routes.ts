/**
 * The sandbox's routing, read from the endpoint declarations the client uses (`core/endpoints`):
 * which endpoint a request names (method and path template), its path parameters decoded one
 * segment at a time, its query, its JSON body, and every parameter checked with the endpoint's own
 * rules. A problem is WeChat Pay's `PARAM_ERROR` with `detail: { field, value, issue, location }`
 * (`location`: `uri_template`, `query` or `body`); a path parameter also sent in the body is refused
 * as WeChat Pay does (`已被/uri_template/<name>映射过了`); a body that is not
 * `Content-Type: application/json` is `INVALID_REQUEST`.
 *
 * @internal
 */
import * as Endpoint from "../../core/endpoint.js"
import * as Path from "../../core/path.js"

/** A parameter problem, in the shape of WeChat Pay's `PARAM_ERROR` detail. @internal */
export interface ParamProblem {
  readonly field: string
  readonly value: string
  readonly issue: string
  readonly location: "query" | "uri_template" | "body"
}

/** What a request is. @internal */
export type RouteMatch =
  | {
    readonly _tag: "Matched"
    readonly endpoint: Endpoint.Any
    /** The checked parameters: path, query and body together, reduced to the declared fields. */
    readonly params: Readonly<Record<string, unknown>>
  }
  | { readonly _tag: "NoRoute" }
  | { readonly _tag: "MethodNotAllowed"; readonly allowed: string }
  | { readonly _tag: "ParamError"; readonly endpoint: Endpoint.Any; readonly problem: ParamProblem }
  | { readonly _tag: "InvalidRequest"; readonly message: string }

const PLACEHOLDER = /^\{([A-Za-z0-9_]+)\}$/

const matchPath = (template: string, segments: ReadonlyArray<string>): Record<string, string> | undefined => {
  const parts = template.split("/")
  if (parts.length !== segments.length) return undefined
  const params: Record<string, string> = {}
  for (let i = 0; i < parts.length; i++) {
    const placeholder = PLACEHOLDER.exec(parts[i]!)
    if (placeholder !== null) params[placeholder[1]!] = segments[i]!
    else if (parts[i] !== segments[i]) return undefined
  }
  return params
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true })

const shown = (value: unknown): string => typeof value === "string" ? value : JSON.stringify(value) ?? ""

/** The value at a dotted field path (`shopping_info.goods.0.amount`) of the parameters. */
const valueAt = (params: Readonly<Record<string, unknown>>, field: string): unknown => {
  let node: unknown = params
  for (const part of field.split(".")) {
    if (typeof node !== "object" || node === null) return undefined
    node = (node as Record<string, unknown>)[part]
  }
  return node
}

/**
 * Finds the endpoint of `method` and the raw request target (`req.url`: path and query exactly as
 * received), then reads and checks its parameters.
 *
 * @internal
 */
export const matchRoute = (
  endpoints: ReadonlyArray<Endpoint.Any>,
  request: {
    readonly method: string
    readonly url: string
    readonly contentType?: string | undefined
    /** The body bytes as received, or its text. */
    readonly body?: Uint8Array | string | undefined
  }
): RouteMatch => {
  const target = request.url
  const hash = target.indexOf("#")
  const withoutHash = hash === -1 ? target : target.slice(0, hash)
  const question = withoutHash.indexOf("?")
  const path = question === -1 ? withoutHash : withoutHash.slice(0, question)
  const search = question === -1 ? "" : withoutHash.slice(question + 1)
  const segments = path.split("/")

  let allowed: string | undefined
  for (const endpoint of endpoints) {
    const raw = matchPath(endpoint.path, segments)
    if (raw === undefined) continue
    if (endpoint.method !== request.method) {
      allowed = endpoint.method
      continue
    }
    const problem = (field: string, value: unknown, issue: string, location: ParamProblem["location"]): RouteMatch => ({
      _tag: "ParamError",
      endpoint,
      problem: { field, value: shown(value), issue, location }
    })
    const pathNames = Object.keys(raw)
    const pathParams: Record<string, string> = {}
    for (const name of pathNames) {
      try {
        pathParams[name] = decodeURIComponent(raw[name]!)
      } catch {
        return problem(name, raw[name], `${name} is not valid percent-encoding`, "uri_template")
      }
    }
    const query = new URLSearchParams(search)
    const queryParams: Record<string, string> = {}
    for (const name of endpoint.query) {
      const values = query.getAll(name)
      if (values.length > 1) return problem(name, values.join(","), `${name} is given more than once`, "query")
      if (values.length === 1) queryParams[name] = values[0]!
    }
    let bodyParams: Record<string, unknown> = {}
    if (endpoint.method !== "GET") {
      const mediaType = (request.contentType ?? "").split(";", 1)[0]!.trim().toLowerCase()
      if (mediaType !== "application/json") {
        return {
          _tag: "InvalidRequest",
          message: `Content-Type must be application/json for a JSON body (got ${request.contentType ?? "none"})`
        }
      }
      let text: string
      try {
        const body = request.body ?? ""
        text = typeof body === "string" ? body : strictUtf8.decode(body)
      } catch {
        return problem("body", "", "the body is not UTF-8", "body")
      }
      let parsed: unknown
      try {
        parsed = JSON.parse(text)
      } catch {
        return problem("body", "", "the body is not JSON", "body")
      }
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        return problem("body", "", "the body must be a JSON object", "body")
      }
      bodyParams = parsed as Record<string, unknown>
      for (const name of pathNames) {
        if (Object.hasOwn(bodyParams, name)) {
          return problem(
            name,
            bodyParams[name],
            `${name} 已被/uri_template/${name}映射过了 (the path already carries ${name}: it must not be in the body)`,
            "body"
          )
        }
      }
      // a body field (null: absent, as WeChat Pay reads it) the path or query does not carry
      bodyParams = Object.fromEntries(
        Object.entries(bodyParams).filter(([name, value]) => value !== null && !endpoint.query.includes(name))
      )
    }
    const params = { ...bodyParams, ...queryParams, ...pathParams }
    const checked = Endpoint.check(endpoint as Endpoint.Endpoint<unknown>, params)
    if (Path.isInputProblem(checked)) {
      const top = checked.field.split(".", 1)[0]!
      const location = pathNames.includes(top) ? "uri_template" : endpoint.query.includes(top) ? "query" : "body"
      // array positions written as WeChat Pay's detail writes them: goods[0].count
      const field = checked.field.replace(/\.(\d+)(?=\.|$)/g, "[$1]")
      const issue = checked.message.startsWith(checked.field)
        ? field + checked.message.slice(checked.field.length)
        : checked.message
      return problem(field, valueAt(params, checked.field) ?? "", issue, location)
    }
    return { _tag: "Matched", endpoint, params: checked as Readonly<Record<string, unknown>> }
  }
  return allowed === undefined ? { _tag: "NoRoute" } : { _tag: "MethodNotAllowed", allowed }
}
