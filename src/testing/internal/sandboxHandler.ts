/**
 * What the sandbox answers to a request, before signing and faults: the request checks, then the
 * route and its parameters, then the seeded record. No HTTP here: a function of the request, the
 * keys, the clock and the records, so it is unit-testable and reusable for more endpoints.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import { apiError, json, type Plan } from "./sandboxAnswers.js"
import { recordKey } from "./sandboxRecords.js"
import { type CheckContext, checkRequest, type Incoming } from "./sandboxRequestCheck.js"
import { matchRoute, type Route, ROUTES } from "./sandboxRoutes.js"

/**
 * @internal
 */
export interface HandlerContext extends CheckContext {
  /** The answer body of the record under a key (see `recordKey`), if seeded. */
  readonly lookup: (key: string) => Readonly<Record<string, unknown>> | undefined
  readonly routes?: ReadonlyArray<Route> | undefined
}

const describe = (route: Route, params: Readonly<Record<string, string>>): string =>
  [...Object.keys(route.pathParams), ...Object.keys(route.query)].map((name) => `${name}=${params[name]}`).join(", ")

/**
 * The plan of the answer to `incoming`.
 *
 * @internal
 */
export const planAnswer = (incoming: Incoming, context: HandlerContext): Effect.Effect<Plan> =>
  Effect.gen(function*() {
    const refused = yield* checkRequest(incoming, context)
    if (refused !== undefined) return refused
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
        const record = context.lookup(recordKey(match.route.endpoint, match.params))
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
