/**
 * One executor for every endpoint method: the parameters checked by the core's rules (the first
 * problem is `InvalidInput` naming the field, before anything is sent), split into path, query and
 * body by the endpoint's declaration, then one call through `WechatPayClient` under the method's
 * span name, decoded with the endpoint's success schema (or, for a 204 endpoint, `void`).
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import type * as Schema from "effect/Schema"
import * as Endpoint from "../../../src/core/endpoint.js"
import * as Path from "../../../src/core/path.js"
import type { ClientError, InvalidInput } from "../errors/WechatPayError.js"
import type { ExecuteError, RequestOptions, WechatPayClient } from "../services/WechatPayClient.js"
import * as Errors from "./errors.js"

const stringRecord = (record: Readonly<Record<string, unknown>>): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(record)) {
    // the rules of a path parameter are a string rule (test/core/endpoint.test.ts checks each)
    if (typeof value !== "string") throw new Error(`${name} is not a string after its check`)
    out[name] = value
  }
  return out
}

const queryRecord = (query: ReadonlyArray<readonly [string, unknown]>): Record<string, string | undefined> => {
  const out: Record<string, string | undefined> = {}
  for (const [name, value] of query) {
    if (value !== undefined && typeof value !== "string") throw new Error(`${name} is not a string after its check`)
    out[name] = value
  }
  return out
}

/** The request of checked parameters. */
const requestOf = (endpoint: Endpoint.Any, params: Readonly<Record<string, unknown>>): RequestOptions => {
  const parts = Endpoint.split(endpoint, params)
  return {
    method: endpoint.method,
    path: endpoint.path,
    pathParams: stringRecord(parts.pathParams),
    query: queryRecord(parts.query),
    body: parts.body,
    operation: Endpoint.operation(endpoint),
    idempotent: endpoint.idempotent
  }
}

/** A call refused before sending gets a span of the method's name too, with the failure. */
const refused = (endpoint: Endpoint.Any, problem: Path.InputProblem): Effect.Effect<never, InvalidInput> =>
  Effect.withSpan(Effect.fail(Errors.invalidInput(problem)), Endpoint.operation(endpoint), {
    kind: "client",
    captureStackTrace: false
  })

/**
 * The method of an endpoint answered with a body, decoded with `schema`.
 *
 * @internal
 */
export const executor = (client: WechatPayClient.Service) =>
<P, A, I>(
  endpoint: Endpoint.Endpoint<P>,
  schema: Schema.Codec<A, I>
): (params: P) => Effect.Effect<A, ClientError> =>
(input) =>
  Effect.suspend(() => {
    const params = Endpoint.check(endpoint, input)
    if (Path.isInputProblem(params)) return refused(endpoint, params)
    return client.request({ ...requestOf(endpoint, params as Readonly<Record<string, unknown>>), schema })
  })

/**
 * The method of an endpoint answered with 204: any verified 2xx is success.
 *
 * @internal
 */
export const noContent = <P>(
  client: WechatPayClient.Service,
  endpoint: Endpoint.Endpoint<P>
): (params: P) => Effect.Effect<void, ExecuteError> =>
(input) =>
  Effect.suspend(() => {
    const params = Endpoint.check(endpoint, input)
    if (Path.isInputProblem(params)) return refused(endpoint, params)
    return client.requestVoid(requestOf(endpoint, params as Readonly<Record<string, unknown>>))
  })
