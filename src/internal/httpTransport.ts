/**
 * The core's transport interface over any `@effect/platform` `HttpClient` (fetch, undici, the
 * user's own, wrapped in any middleware): one request sent as signed, the answer read with the cap,
 * the outcome as the core's `Exchange` (never a failure: a transport failure is data saying which
 * side of the line it fell on). Redirects are never followed; the `Authorization` header is
 * redacted wherever the request or its answer prints (`String`, `JSON.stringify`, `util.inspect`,
 * Effect's own logging).
 *
 * @internal
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberRef from "effect/FiberRef"
import * as Runtime from "effect/Runtime"
import { REDACTED, SECRET_HEADERS } from "../core/redaction.js"
import * as Transport from "../core/transport.js"
import * as Body from "./body.js"

/** A header record as it prints: the secret headers' values replaced. */
const printable = (headers: Readonly<Record<string, string>>): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    out[name] = SECRET_HEADERS.includes(name.toLowerCase()) ? REDACTED : value
  }
  return out
}

const NodeInspect = Symbol.for("nodejs.util.inspect.custom")

/** The platform's prototype of header objects, with a `toJSON` that prints them redacted. */
let redactingProto: object | undefined
const redactingProtoOf = (headers: Headers.Headers): object =>
  redactingProto ??= Object.create(Object.getPrototypeOf(headers), {
    toJSON: {
      value(this: Headers.Headers) {
        return printable(this)
      },
      enumerable: false
    }
  })

/**
 * Makes the secret headers' values invisible wherever the request the library builds prints:
 * `String`, `JSON.stringify` and `util.inspect` of the request, and of an answer that holds it (a
 * response's `toJSON` and inspection print its `request.toJSON()`). The headers object gets a
 * prototype with a redacting `toJSON` (inherited: fetch refuses any own key that is not a header),
 * the request its own `toJSON` and inspect method. A middleware that changes the headers makes a
 * new request, without them (see SECURITY.md).
 */
const redactOnPrint = (request: HttpClientRequest.HttpClientRequest): void => {
  const headers = request.headers
  Object.setPrototypeOf(headers, redactingProtoOf(headers))
  const original = request.toJSON.bind(request)
  const redacted = () => ({ ...(original() as object), headers: printable(headers) })
  Object.defineProperty(request, "toJSON", { value: redacted, enumerable: false })
  Object.defineProperty(request, NodeInspect, { value: redacted, enumerable: false })
}

/**
 * Fetch follows redirects unless told not to (a POST then becomes a GET to the `Location`): the
 * request runs with `redirect: "manual"` in `FetchHttpClient.RequestInit` (the user's other
 * settings kept), so fetch hands the 3xx back unfollowed. undici never follows one.
 */
const noRedirects = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.flatMap(
    Effect.serviceOption(FetchHttpClient.RequestInit),
    (init) =>
      Effect.provideService(effect, FetchHttpClient.RequestInit, {
        ...(init._tag === "Some" ? init.value : {}),
        redirect: "manual"
      })
  )

/** The header names Effect's logging and tracing print as `<redacted>` while a call runs. */
const withRedactedNames = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  FiberRef.getWith(Headers.currentRedactedNames, (names) => {
    for (const name of SECRET_HEADERS) {
      if (!names.some((n) => typeof n === "string" && n.toLowerCase() === name)) {
        return Effect.locally(effect, Headers.currentRedactedNames, [...names, ...SECRET_HEADERS])
      }
    }
    return effect
  })

const failureOf = (error: HttpClientError.HttpClientError): Transport.Failed => {
  if (error._tag === "ResponseError") return Transport.readFailed(error, error.reason)
  return error.reason === "Transport"
    ? Transport.requestFailed(error.cause ?? error, error.reason)
    : Transport.notBuilt(error.cause ?? error, error.reason)
}

/**
 * The core's transport over `client`, run in `runtime`: the calling fiber's, so a middleware of the
 * user's sees the call's context (its logger, tracer, services, `FetchHttpClient.RequestInit`), and
 * cancelling interrupts it. Our own span covers each call, so the platform's per-request span and
 * trace headers are switched off (no trace header is sent to WeChat Pay).
 *
 * @internal
 */
export const fromHttpClient = (
  client: HttpClient.HttpClient
): (runtime: Runtime.Runtime<never>) => Transport.Transport => {
  const http = client.pipe(HttpClient.withTracerDisabledWhen(() => true), HttpClient.withTracerPropagation(false))
  const exchange = (outgoing: Transport.OutgoingRequest, maxBytes: number): Effect.Effect<Transport.Exchange> =>
    Effect.suspend(() => {
      let request = HttpClientRequest.make(outgoing.method as "GET" | "POST")(outgoing.url).pipe(
        HttpClientRequest.setHeaders(outgoing.headers)
      )
      if (outgoing.body !== "") {
        request = HttpClientRequest.bodyText(request, outgoing.body, outgoing.headers["content-type"])
      }
      redactOnPrint(request)
      return noRedirects(http.execute(request)).pipe(
        Effect.flatMap((response) =>
          Effect.map(
            // read the bytes ourselves, capped: `response.text` would read any size and drop a
            // leading BOM, and the signature covers the body exactly as sent
            Body.readCapped(response, maxBytes, response.headers["content-length"]),
            (body): Transport.Exchange => ({
              _tag: "Received",
              status: response.status,
              headers: response.headers,
              body
            })
          )
        ),
        Effect.catchAll((error) => Effect.succeed<Transport.Exchange>(failureOf(error))),
        withRedactedNames
      )
    })
  return (runtime) => {
    const run = Runtime.runCallback(runtime)
    return {
      send: (request, maxBytes, done) =>
        run(exchange(request, maxBytes), {
          onExit: (exit) => {
            if (Exit.isSuccess(exit)) done(exit.value)
            else if (!Cause.isInterruptedOnly(exit.cause)) {
              // a defect of the HttpClient (a middleware's): what was sent is unknown
              done(Transport.requestFailed(Cause.squash(exit.cause), "Defect"))
            }
          }
        })
    }
  }
}
