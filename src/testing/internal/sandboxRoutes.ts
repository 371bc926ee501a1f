/**
 * The sandbox's routing table and parameter checks: which endpoint a request target names, and
 * whether its path and query parameters are there, non-empty and within the documented lengths
 * (PROTOCOL.md §1). Pure functions of the method and the raw request target.
 *
 * @internal
 */
import type { Seed } from "../Sandbox.js"

/**
 * One endpoint: its method, its path template (`{name}` = one path segment), and the maximum
 * length of each path and query parameter (all required).
 *
 * @internal
 */
export interface Route {
  readonly endpoint: Seed["_tag"]
  readonly method: string
  readonly path: string
  readonly pathParams: Readonly<Record<string, number>>
  readonly query: Readonly<Record<string, number>>
}

/**
 * The four queries of PROTOCOL.md §1.
 *
 * @internal
 */
export const ROUTES: ReadonlyArray<Route> = [
  {
    endpoint: "Merchant",
    method: "GET",
    path: "/v3/payscore/permissions/authorization-code/{authorization_code}",
    pathParams: { authorization_code: 32 },
    query: { service_id: 32 }
  },
  {
    endpoint: "Partner",
    method: "GET",
    path: "/v3/payscore/partner/permissions/authorization-code/{authorization_code}",
    pathParams: { authorization_code: 32 },
    query: { service_id: 32, sub_mchid: 32 }
  },
  {
    endpoint: "AcquiringBank",
    method: "GET",
    path: "/v3/payscore/acquiringbank/permissions/authorization-code/{authorization_code}",
    pathParams: { authorization_code: 32 },
    query: { service_id: 32, channel_id: 32, sub_mchid: 32 }
  },
  {
    endpoint: "Openid",
    method: "GET",
    path: "/v3/payscore/permissions/openid/{openid}",
    pathParams: { openid: 128 },
    query: { service_id: 32, appid: 32 }
  }
]

/**
 * A parameter problem, in the shape of WeChat Pay's `PARAM_ERROR` detail.
 *
 * @internal
 */
export interface ParamProblem {
  readonly field: string
  readonly value: string
  readonly issue: string
  readonly location: "query" | "uri_template"
}

/**
 * What a request target is.
 *
 * @internal
 */
export type RouteMatch =
  | { readonly _tag: "Matched"; readonly route: Route; readonly params: Readonly<Record<string, string>> }
  | { readonly _tag: "NoRoute" }
  | { readonly _tag: "MethodNotAllowed"; readonly allowed: string }
  | { readonly _tag: "ParamError"; readonly route: Route; readonly problem: ParamProblem }

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

const checkValue = (
  field: string,
  value: string,
  maxLength: number,
  location: ParamProblem["location"]
): ParamProblem | undefined => {
  if (value.length === 0) return { field, value, issue: `${field} must not be empty`, location }
  if (value.length > maxLength) {
    return {
      field,
      value,
      issue: `${field} is ${value.length} characters long; at most ${maxLength} are allowed`,
      location
    }
  }
  return undefined
}

/**
 * Finds the endpoint of `method` and the raw request target (`req.url`: path and query exactly as
 * received) and checks its parameters. Path parameters are percent-decoded one segment at a time.
 *
 * @internal
 */
export const matchRoute = (method: string, target: string, routes: ReadonlyArray<Route> = ROUTES): RouteMatch => {
  const hash = target.indexOf("#")
  const withoutHash = hash === -1 ? target : target.slice(0, hash)
  const question = withoutHash.indexOf("?")
  const path = question === -1 ? withoutHash : withoutHash.slice(0, question)
  const search = question === -1 ? "" : withoutHash.slice(question + 1)
  const segments = path.split("/")

  let allowed: string | undefined
  for (const route of routes) {
    const raw = matchPath(route.path, segments)
    if (raw === undefined) continue
    if (route.method !== method) {
      allowed = route.method
      continue
    }
    const params: Record<string, string> = {}
    for (const [name, maxLength] of Object.entries(route.pathParams)) {
      let value: string
      try {
        value = decodeURIComponent(raw[name] ?? "")
      } catch {
        return {
          _tag: "ParamError",
          route,
          problem: {
            field: name,
            value: raw[name] ?? "",
            issue: `${name} is not valid percent-encoding`,
            location: "uri_template"
          }
        }
      }
      const problem = checkValue(name, value, maxLength, "uri_template")
      if (problem !== undefined) return { _tag: "ParamError", route, problem }
      params[name] = value
    }
    const query = new URLSearchParams(search)
    for (const [name, maxLength] of Object.entries(route.query)) {
      const values = query.getAll(name)
      if (values.length === 0) {
        return {
          _tag: "ParamError",
          route,
          problem: { field: name, value: "", issue: `${name} is required`, location: "query" }
        }
      }
      if (values.length > 1) {
        return {
          _tag: "ParamError",
          route,
          problem: { field: name, value: values.join(","), issue: `${name} is given more than once`, location: "query" }
        }
      }
      const problem = checkValue(name, values[0]!, maxLength, "query")
      if (problem !== undefined) return { _tag: "ParamError", route, problem }
      params[name] = values[0]!
    }
    return { _tag: "Matched", route, params }
  }
  return allowed === undefined ? { _tag: "NoRoute" } : { _tag: "MethodNotAllowed", allowed }
}
