/**
 * The sandbox's routing table and parameter checks: which endpoint a request target names, and
 * whether its path and query parameters are there, non-empty and within the documented lengths
 * (the rules of `core/endpoints`). Pure functions of the method and the raw request target; `checkBody` does
 * the same for the JSON body of the POST endpoints.
 *
 * @internal
 */
import type { Seed } from "../Sandbox.js"

/**
 * A field of a JSON body: its maximum length (in characters: Unicode code points), whether it is
 * required, and its kind (`url`: an absolute http(s) URL; `text`: any characters but control
 * characters; default: visible ASCII).
 *
 * @internal
 */
export interface BodyField {
  readonly maxLength: number
  readonly required: boolean
  readonly kind?: "url" | "text" | undefined
}

/**
 * One endpoint: its method, its path template (`{name}` = one path segment), and the maximum
 * length of each path and query parameter (`query`: required, `optionalQuery`: optional), the
 * fields of its JSON body (POST), what it does (`action`, default `query`: answer the record), and
 * whether it takes exactly one of `openid` / `sub_openid` (`sub_openid` needing `sub_appid`).
 *
 * @internal
 */
export interface Route {
  readonly endpoint: Seed["_tag"]
  readonly method: string
  readonly path: string
  readonly pathParams: Readonly<Record<string, number>>
  readonly query: Readonly<Record<string, number>>
  readonly optionalQuery?: Readonly<Record<string, number>> | undefined
  readonly body?: Readonly<Record<string, BodyField>> | undefined
  readonly action?: "query" | "apply" | "terminate" | undefined
  readonly oneOpenid?: boolean | undefined
}

const required = (maxLength: number): BodyField => ({ maxLength, required: true })
const optional = (maxLength: number): BodyField => ({ maxLength, required: false })
const REASON: BodyField = { maxLength: 50, required: true, kind: "text" }
/** `notify_url` as the documentation gives it: string(255), an absolute URL. */
export const NOTIFY_URL: BodyField = { maxLength: 255, required: false, kind: "url" }

/**
 * The four queries.
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
  },
  // apply, terminate, partner search
  {
    endpoint: "Merchant",
    action: "apply",
    method: "POST",
    path: "/v3/payscore/permissions",
    pathParams: {},
    query: {},
    body: { service_id: required(32), appid: required(32), authorization_code: required(32), notify_url: NOTIFY_URL }
  },
  {
    endpoint: "Partner",
    action: "apply",
    method: "POST",
    path: "/v3/payscore/partner/permissions",
    pathParams: {},
    query: {},
    body: {
      service_id: required(32),
      appid: required(32),
      sub_appid: optional(32),
      sub_mchid: required(32),
      authorization_code: required(32),
      notify_url: NOTIFY_URL
    }
  },
  {
    endpoint: "AcquiringBank",
    action: "apply",
    method: "POST",
    path: "/v3/payscore/acquiringbank/permissions",
    pathParams: {},
    query: {},
    body: {
      service_id: required(32),
      channel_id: required(32),
      appid: required(32),
      sub_appid: optional(32),
      sub_mchid: required(32),
      authorization_code: required(32),
      notify_url: NOTIFY_URL
    }
  },
  {
    endpoint: "Merchant",
    action: "terminate",
    method: "POST",
    path: "/v3/payscore/permissions/authorization-code/{authorization_code}/terminate",
    pathParams: { authorization_code: 32 },
    query: {},
    body: { service_id: required(32), reason: REASON }
  },
  {
    endpoint: "Partner",
    action: "terminate",
    method: "POST",
    path: "/v3/payscore/partner/permissions/authorization-code/{authorization_code}/terminate",
    pathParams: { authorization_code: 32 },
    query: {},
    body: { service_id: required(32), sub_mchid: required(32), reason: REASON }
  },
  {
    endpoint: "AcquiringBank",
    action: "terminate",
    method: "POST",
    path: "/v3/payscore/acquiringbank/permissions/authorization-code/{authorization_code}/terminate",
    pathParams: { authorization_code: 32 },
    query: {},
    body: { service_id: required(32), channel_id: optional(32), sub_mchid: required(32), reason: REASON }
  },
  {
    endpoint: "Openid",
    action: "terminate",
    method: "POST",
    path: "/v3/payscore/permissions/openid/{openid}/terminate",
    pathParams: { openid: 128 },
    query: {},
    body: { service_id: required(32), appid: required(32), reason: REASON }
  },
  {
    endpoint: "PartnerOpenid",
    method: "GET",
    path: "/v3/payscore/partner/permissions/search",
    pathParams: {},
    query: { service_id: 32, appid: 32, sub_mchid: 32 },
    optionalQuery: { sub_appid: 32, openid: 128, sub_openid: 128 },
    oneOpenid: true
  },
  {
    endpoint: "PartnerOpenid",
    action: "terminate",
    method: "POST",
    path: "/v3/payscore/partner/permissions/terminate",
    pathParams: {},
    query: {},
    body: {
      service_id: required(32),
      appid: required(32),
      sub_mchid: required(32),
      reason: REASON,
      sub_appid: optional(32),
      openid: optional(128),
      sub_openid: optional(128)
    },
    oneOpenid: true
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
  readonly location: "query" | "uri_template" | "body"
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
    const optionalQuery = route.optionalQuery ?? {}
    for (const [name, maxLength] of [...Object.entries(route.query), ...Object.entries(optionalQuery)]) {
      const values = query.getAll(name)
      if (values.length === 0 && Object.hasOwn(optionalQuery, name)) continue
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
    // a POST route's openid / sub_openid are in its body (`checkBody`)
    const openidProblem = route.oneOpenid === true && route.body === undefined
      ? checkOneOpenid(params, "query")
      : undefined
    if (openidProblem !== undefined) return { _tag: "ParamError", route, problem: openidProblem }
    return { _tag: "Matched", route, params }
  }
  return allowed === undefined ? { _tag: "NoRoute" } : { _tag: "MethodNotAllowed", allowed }
}

/**
 * Exactly one of `openid` / `sub_openid`, and `sub_openid` only with `sub_appid`.
 *
 * @internal
 */
export const checkOneOpenid = (
  params: Readonly<Record<string, string | undefined>>,
  location: ParamProblem["location"]
): ParamProblem | undefined => {
  const { openid, sub_appid, sub_openid } = params
  if (openid === undefined && sub_openid === undefined) {
    return { field: "openid", value: "", issue: "openid or sub_openid is required (exactly one)", location }
  }
  if (openid !== undefined && sub_openid !== undefined) {
    return { field: "sub_openid", value: sub_openid, issue: "openid and sub_openid are exclusive", location }
  }
  if (sub_openid !== undefined && sub_appid === undefined) {
    return { field: "sub_appid", value: "", issue: "sub_appid is required with sub_openid", location }
  }
  return undefined
}

/**
 * What a JSON body is.
 *
 * @internal
 */
export type BodyCheck =
  | { readonly _tag: "Ok"; readonly fields: Readonly<Record<string, string>> }
  | { readonly _tag: "InvalidRequest"; readonly message: string }
  | { readonly _tag: "ParamError"; readonly problem: ParamProblem }

const VISIBLE_ASCII = /^[\x21-\x7e]*$/
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true })

const checkBodyValue = (name: string, value: unknown, field: BodyField): ParamProblem | undefined => {
  const problem = (issue: string): ParamProblem => ({
    field: name,
    value: typeof value === "string" ? value : JSON.stringify(value) ?? "",
    issue,
    location: "body"
  })
  if (typeof value !== "string") return problem(`${name} must be a string`)
  if (value.length === 0) return problem(`${name} must not be empty`)
  const length = [...value].length
  if (length > field.maxLength) {
    return problem(`${name} is ${length} characters long; at most ${field.maxLength} are allowed`)
  }
  if (field.kind === "text") {
    return CONTROL.test(value)
      ? problem(`${name} must not contain control characters`)
      : undefined
  }
  if (!VISIBLE_ASCII.test(value)) return problem(`${name} must be printable ASCII`)
  if (field.kind === "url") {
    let url: URL | undefined
    try {
      url = new URL(value)
    } catch {
      url = undefined
    }
    if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:")) {
      return problem(`${name} must be an absolute http(s) URL`)
    }
  }
  return undefined
}

/**
 * Checks the JSON body of a POST route: `Content-Type: application/json` (else 400
 * `INVALID_REQUEST`), UTF-8 JSON of an object, every field of the route a non-empty string within
 * its length (required ones present), exactly one of `openid` / `sub_openid` where the route says
 * so (else 400 `PARAM_ERROR`). Fields the route does not know are ignored.
 *
 * @internal
 */
export const checkBody = (
  route: Route,
  contentType: string | undefined,
  body: Uint8Array | string
): BodyCheck => {
  const fields = route.body ?? {}
  const mediaType = (contentType ?? "").split(";", 1)[0]!.trim().toLowerCase()
  if (mediaType !== "application/json") {
    return {
      _tag: "InvalidRequest",
      message: `Content-Type must be application/json for a JSON body (got ${contentType ?? "none"})`
    }
  }
  const paramError = (issue: string, field = "body"): BodyCheck => ({
    _tag: "ParamError",
    problem: { field, value: "", issue, location: "body" }
  })
  let text: string
  try {
    text = typeof body === "string" ? body : strictUtf8.decode(body)
  } catch {
    return paramError("the body is not UTF-8")
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return paramError("the body is not JSON")
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return paramError("the body must be a JSON object")
  }
  const object = parsed as Readonly<Record<string, unknown>>
  const out: Record<string, string> = {}
  for (const [name, field] of Object.entries(fields)) {
    const value = Object.hasOwn(object, name) ? object[name] : undefined
    if (value === undefined || value === null) {
      if (field.required) return paramError(`${name} is required`, name)
      continue
    }
    const problem = checkBodyValue(name, value, field)
    if (problem !== undefined) return { _tag: "ParamError", problem }
    out[name] = value as string
  }
  const openidProblem = route.oneOpenid === true ? checkOneOpenid(out, "body") : undefined
  if (openidProblem !== undefined) return { _tag: "ParamError", problem: openidProblem }
  return { _tag: "Ok", fields: out }
}
