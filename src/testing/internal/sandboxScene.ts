/**
 * The sandbox's pre-authorization in a scene (`POST /v3/payscore/partner/permissions/apply-for-scene`)
 * and 评估用户分层 (`POST /v3/payscore/permissions/assess-user-risk-level`): their body checks
 * (the flat fields with `checkBody`, then the nested objects) and their answers over the record
 * store. `planSceneAnswer` answers these two paths and leaves every other request alone.
 *
 * @internal
 */
import { apiError, json, type Plan } from "./sandboxAnswers.js"
import type { HandlerContext } from "./sandboxHandler.js"
import { recordKey } from "./sandboxRecords.js"
import type { Incoming } from "./sandboxRequestCheck.js"
import { type BodyField, checkBody, NOTIFY_URL, type ParamProblem, type Route } from "./sandboxRoutes.js"

const required = (maxLength: number): BodyField => ({ maxLength, required: true })
const optional = (maxLength: number): BodyField => ({ maxLength, required: false })

/**
 * The partner pre-authorization in a scene.
 *
 * @internal
 */
export const APPLY_FOR_SCENE: Route = {
  endpoint: "Partner",
  action: "apply",
  method: "POST",
  path: "/v3/payscore/partner/permissions/apply-for-scene",
  pathParams: {},
  query: {},
  body: {
    service_id: required(32),
    appid: required(32),
    sub_appid: optional(32),
    sub_mchid: required(32),
    authorization_code: required(32),
    notify_url: NOTIFY_URL,
    scene: required(32)
  }
}

/**
 * 评估用户分层 (merchant).
 *
 * @internal
 */
export const ASSESS_USER_RISK_LEVEL: Route = {
  endpoint: "Merchant",
  method: "POST",
  path: "/v3/payscore/permissions/assess-user-risk-level",
  pathParams: {},
  query: {},
  body: {
    service_id: required(32),
    appid: required(32),
    authorization_code: optional(32),
    openid: optional(128)
  }
}

/** The scenes the sandbox knows (the documented ones). */
const SCENES: ReadonlySet<string> = new Set(["TRANSACTION"])

/**
 * The level a record answers when its seed names none: `1` for an `AVAILABLE` authorization,
 * none otherwise (a user who has not authorized has not been assessed).
 *
 * @internal
 */
export const DEFAULT_RISK_LEVEL = 1
/** @internal */
export const DEFAULT_RISK_LEVEL_VERSION = 1

const newToken = (): string =>
  Array.from(globalThis.crypto.getRandomValues(new Uint8Array(20)), (b) => b.toString(16).padStart(2, "0")).join("")

const paramError = (problem: ParamProblem): Plan => apiError(400, "PARAM_ERROR", problem.issue, problem)
const bodyProblem = (field: string, value: unknown, issue: string): Plan =>
  paramError({
    field,
    value: typeof value === "string" ? value : JSON.stringify(value) ?? "",
    issue,
    location: "body"
  })

const isObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const isString = (value: unknown): value is string => typeof value === "string" && value.length > 0

/** The JSON object of a body `checkBody` accepted (so it parses). */
const parsed = (incoming: Incoming): Readonly<Record<string, unknown>> => {
  const text = incoming.bodyBytes === undefined
    ? incoming.body
    : new TextDecoder("utf-8", { ignoreBOM: true }).decode(incoming.bodyBytes)
  return JSON.parse(text) as Readonly<Record<string, unknown>>
}

const flat = (route: Route, incoming: Incoming) =>
  checkBody(route, incoming.headers["content-type"], incoming.bodyBytes ?? incoming.body)

const applyForScene = (incoming: Incoming, context: HandlerContext): Plan => {
  const body = flat(APPLY_FOR_SCENE, incoming)
  if (body._tag === "InvalidRequest") return apiError(400, "INVALID_REQUEST", body.message)
  if (body._tag === "ParamError") return paramError(body.problem)
  const fields = body.fields
  const scene = fields.scene!
  if (!SCENES.has(scene)) return bodyProblem("scene", scene, `scene ${scene} is not one of: TRANSACTION`)
  const info = parsed(incoming).transaction_scene_info
  if (info === undefined || info === null) {
    return bodyProblem("transaction_scene_info", "", "transaction_scene_info is required when scene is TRANSACTION")
  }
  if (!isObject(info)) return bodyProblem("transaction_scene_info", info, "transaction_scene_info must be an object")
  for (const name of ["mchid", "sub_mchid"]) {
    const value = info[name]
    if (!isString(value)) {
      return bodyProblem(`transaction_scene_info.${name}`, value, `transaction_scene_info.${name} is required`)
    }
    if (value.length > 32) {
      return bodyProblem(
        `transaction_scene_info.${name}`,
        value,
        `transaction_scene_info.${name} is ${value.length} characters long; at most 32 are allowed`
      )
    }
  }
  const store = context.store
  if (store === undefined) return apiError(501, "NOT_IMPLEMENTED", "this sandbox has no record store")
  const outcome = store.apply("Partner", fields, context.write ?? true)
  return outcome._tag === "AlreadyUsed"
    ? apiError(
      400,
      "INVALID_REQUEST",
      `授权协议号已被使用 (authorization_code ${fields.authorization_code} is taken: its authorization is ${outcome.state})`
    )
    : json(200, { scene, transaction_permissions_token: newToken() })
}

const checkGoods = (shopping: unknown): Plan | undefined => {
  if (shopping === undefined || shopping === null) return undefined
  if (!isObject(shopping)) return bodyProblem("shopping_info", shopping, "shopping_info must be an object")
  const goods = shopping.goods
  if (!Array.isArray(goods) || goods.length === 0) {
    return bodyProblem("shopping_info.goods", goods, "shopping_info.goods must list at least one goods")
  }
  for (const [i, item] of goods.entries()) {
    const at = `shopping_info.goods[${i}]`
    if (!isObject(item)) return bodyProblem(at, item, `${at} must be an object`)
    for (const name of ["name", "picture"]) {
      if (!isString(item[name])) return bodyProblem(`${at}.${name}`, item[name], `${at}.${name} is required`)
    }
    const amount = item.amount
    if (typeof amount !== "number" || !Number.isSafeInteger(amount) || amount < 0) {
      return bodyProblem(`${at}.amount`, amount, `${at}.amount must be a whole number of fen, not negative`)
    }
    const count = item.count
    if (typeof count !== "number" || !Number.isSafeInteger(count) || count < 1) {
      return bodyProblem(`${at}.count`, count, `${at}.count must be a whole number, at least 1`)
    }
  }
  return undefined
}

const assessUserRiskLevel = (incoming: Incoming, context: HandlerContext): Plan => {
  const body = flat(ASSESS_USER_RISK_LEVEL, incoming)
  if (body._tag === "InvalidRequest") return apiError(400, "INVALID_REQUEST", body.message)
  if (body._tag === "ParamError") return paramError(body.problem)
  const { appid, authorization_code, openid, service_id } = body.fields
  if (authorization_code === undefined && openid === undefined) {
    return bodyProblem("authorization_code", "", "authorization_code or openid is required")
  }
  const goodsProblem = checkGoods(parsed(incoming).shopping_info)
  if (goodsProblem !== undefined) return goodsProblem
  const record = authorization_code !== undefined
    ? context.lookup(recordKey("Merchant", { authorization_code, service_id }))
    : context.lookup(recordKey("Openid", { openid, service_id, appid }))
  const notFound = apiError(
    404,
    "NOT_FOUND",
    `授权记录不存在 (no authorization record for ${
      [["service_id", service_id], ["appid", appid], ["authorization_code", authorization_code], ["openid", openid]]
        .filter(([, value]) => value !== undefined).map(([name, value]) => `${name}=${value}`).join(", ")
    })`
  )
  if (record === undefined || (record.appid !== undefined && record.appid !== appid)) return notFound
  if (authorization_code !== undefined && openid !== undefined && record.openid !== openid) {
    return apiError(
      400,
      "INVALID_REQUEST",
      `authorization_code ${authorization_code} is not the authorization of openid ${openid}`
    )
  }
  const available = record.authorization_state === "AVAILABLE"
  const answer: Record<string, unknown> = { ...record }
  if (available && answer.user_risk_level === undefined) answer.user_risk_level = DEFAULT_RISK_LEVEL
  if (answer.user_risk_level !== undefined && answer.risk_level_version === undefined) {
    answer.risk_level_version = DEFAULT_RISK_LEVEL_VERSION
  }
  return json(200, answer)
}

const ROUTES: ReadonlyArray<readonly [Route, (incoming: Incoming, context: HandlerContext) => Plan]> = [
  [APPLY_FOR_SCENE, applyForScene],
  [ASSESS_USER_RISK_LEVEL, assessUserRiskLevel]
]

/**
 * The answer to a request at one of the two paths (after the request checks), or `undefined` for
 * any other path.
 *
 * @internal
 */
export const planSceneAnswer = (incoming: Incoming, context: HandlerContext): Plan | undefined => {
  const path = incoming.url.split(/[?#]/, 1)[0]
  for (const [route, answer] of ROUTES) {
    if (route.path !== path) continue
    if (incoming.method !== route.method) {
      return apiError(405, "METHOD_NOT_ALLOWED", `${incoming.method} is not allowed here; use ${route.method}`)
    }
    return answer(incoming, context)
  }
  return undefined
}
