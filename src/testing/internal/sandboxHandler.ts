/**
 * What the sandbox answers to a request, before signing and faults: the request checks, then the
 * route and its parameters (and the JSON body of a POST), then the seeded record, or the state
 * change of an apply or terminate. No HTTP here: a function of the request, the keys, the clock
 * and the records, so it is unit-testable and reusable for more endpoints.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import { apiError, json, type Plan } from "./sandboxAnswers.js"
import { partnerOpenidKey, recordKey, type RecordStore } from "./sandboxRecords.js"
import { type CheckContext, checkRequest, type Incoming } from "./sandboxRequestCheck.js"
import { checkBody, matchRoute, type Route, ROUTES } from "./sandboxRoutes.js"
import { planSceneAnswer } from "./sandboxScene.js"

/**
 * @internal
 */
export interface HandlerContext extends CheckContext {
  /** The answer body of the record under a key (see `recordKey`), if seeded. */
  readonly lookup: (key: string) => Readonly<Record<string, unknown>> | undefined
  readonly routes?: ReadonlyArray<Route> | undefined
  /** The records the apply and terminate endpoints change; without it they answer 501. */
  readonly store?: RecordStore | undefined
  /** Whether this request may change the records (not when a fault replaces its answer). Default true. */
  readonly write?: boolean | undefined
  /** Called when the request passed the checks of `checkRequest` (its signature held). */
  readonly onAuthenticated?: (() => void) | undefined
}

const newToken = (): string =>
  Array.from(globalThis.crypto.getRandomValues(new Uint8Array(20)), (b) => b.toString(16).padStart(2, "0")).join("")

/** A 204: no body (signed over the empty body like any answer). */
const noContent: Plan = { status: 204, body: "", code: undefined }

const planChange = (
  route: Route,
  fields: Readonly<Record<string, string | undefined>>,
  context: HandlerContext
): Plan => {
  const store = context.store
  if (store === undefined) return apiError(501, "NOT_IMPLEMENTED", "this sandbox has no record store")
  const write = context.write ?? true
  if (route.action === "apply") {
    if (route.endpoint !== "Merchant" && route.endpoint !== "Partner" && route.endpoint !== "AcquiringBank") {
      return apiError(501, "NOT_IMPLEMENTED", `no apply for ${route.endpoint}`)
    }
    const outcome = store.apply(route.endpoint, fields, write)
    return outcome._tag === "AlreadyUsed"
      ? apiError(
        400,
        "INVALID_REQUEST",
        `授权协议号已被使用 (authorization_code ${fields.authorization_code} is taken: its authorization is ${outcome.state})`
      )
      : json(200, { apply_permissions_token: newToken() })
  }
  return store.terminate(route.endpoint, fields, context.now, write) ? noContent : apiError(
    404,
    "NOT_FOUND",
    `授权记录不存在 (no authorization record for ${
      Object.entries(fields).filter(([name]) => name !== "reason").map(([name, value]) => `${name}=${value}`).join(
        ", "
      )
    })`
  )
}

const describe = (route: Route, params: Readonly<Record<string, string>>): string =>
  [...Object.keys(route.pathParams), ...Object.keys(route.query), ...Object.keys(route.optionalQuery ?? {})]
    .filter((name) => params[name] !== undefined)
    .map((name) => `${name}=${params[name]}`)
    .join(", ")

/**
 * The plan of the answer to `incoming`.
 *
 * @internal
 */
export const planAnswer = (incoming: Incoming, context: HandlerContext): Effect.Effect<Plan> =>
  Effect.gen(function*() {
    const refused = yield* checkRequest(incoming, context)
    if (refused !== undefined) return refused
    context.onAuthenticated?.()
    // the pre-authorization in a scene and 评估用户分层 (nested JSON bodies): sandboxScene.ts
    const scene = planSceneAnswer(incoming, context)
    if (scene !== undefined) return scene
    const match = matchRoute(incoming.method, incoming.url, context.routes ?? ROUTES)
    switch (match._tag) {
      case "NoRoute":
        return apiError(
          404,
          "NOT_FOUND",
          `no API at ${incoming.method} ${incoming.url.split("?", 1)[0]} in this sandbox`
        )
      case "MethodNotAllowed":
        return apiError(405, "METHOD_NOT_ALLOWED", `${incoming.method} is not allowed here; use ${match.allowed}`)
      case "ParamError":
        return apiError(400, "PARAM_ERROR", match.problem.issue, match.problem)
      case "Matched": {
        if (match.route.body !== undefined) {
          const body = checkBody(match.route, incoming.headers["content-type"], incoming.bodyBytes ?? incoming.body)
          if (body._tag === "InvalidRequest") return apiError(400, "INVALID_REQUEST", body.message)
          if (body._tag === "ParamError") return apiError(400, "PARAM_ERROR", body.problem.issue, body.problem)
          return planChange(match.route, { ...body.fields, ...match.params }, context)
        }
        const key = match.route.oneOpenid === true
          ? partnerOpenidKey(match.params)
          : recordKey(match.route.endpoint, match.params)
        const record = context.lookup(key)
        return record === undefined
          ? apiError(
            404,
            "NOT_FOUND",
            `授权记录不存在 (no authorization record for ${describe(match.route, match.params)})`
          )
          : json(200, record)
      }
    }
  })
