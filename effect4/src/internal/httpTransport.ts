/**
 * The core's transport interface over any Effect 4 `HttpClient` (fetch, this package's undici
 * client, the user's own, wrapped in any middleware): one request sent as signed, the answer read
 * with the cap, the outcome as the core's `Exchange` (never a failure: a transport failure is data
 * saying which side of the line it fell on). Redirects are never followed; the secret headers are
 * among `Headers.CurrentRedactedNames` while the call runs, so Effect's own logging and tracing
 * print them redacted.
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as Headers from "effect/http/Headers"
import * as HttpClient from "effect/http/HttpClient"
import type * as HttpClientError from "effect/http/HttpClientError"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import { SECRET_HEADERS } from "../../../src/core/redaction.js"
import * as Transport from "../../../src/core/transport.js"
import * as Body from "./body.js"

/**
 * Fetch follows redirects unless told not to (a POST then becomes a GET to the `Location`): the
 * request runs with `redirect: "manual"` in `FetchHttpClient.RequestInit` (the user's other
 * settings kept), so fetch hands the 3xx back unfollowed.
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

/**
 * While the call runs: the secret header names redacted, and the platform's own client span and
 * trace headers off (the library's span covers the call; no trace header goes to WeChat Pay).
 */
const callSettings = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.withFiber((fiber) => {
    const names = fiber.getRef(Headers.CurrentRedactedNames)
    const missing = SECRET_HEADERS.filter((name) =>
      !names.some((n) => typeof n === "string" && n.toLowerCase() === name)
    )
    return effect.pipe(
      Effect.provideService(HttpClient.TracerDisabledWhen, () => true),
      Effect.provideService(HttpClient.TracerPropagationEnabled, false),
      missing.length === 0 ? (e) => e : Effect.provideService(Headers.CurrentRedactedNames, [...names, ...missing])
    )
  })

const failureOf = (error: HttpClientError.HttpClientError): Transport.Failed => {
  const reason = error.reason
  switch (reason._tag) {
    case "TransportError":
      return Transport.requestFailed(reason.cause ?? error, "Transport")
    case "EncodeError":
      return Transport.notBuilt(reason.cause ?? error, "Encode")
    case "InvalidUrlError":
      return Transport.notBuilt(reason.cause ?? error, "InvalidUrl")
    default:
      return Transport.readFailed(reason.cause ?? error, "Decode")
  }
}

/**
 * The core's transport over `client`, run with `context`: the calling fiber's, so a middleware of
 * the user's sees the call's context (its logger, tracer, services, `FetchHttpClient.RequestInit`),
 * and cancelling interrupts it.
 *
 * @internal
 */
export const fromHttpClient = (
  client: HttpClient.HttpClient
): (context: Context.Context<never>) => Transport.Transport => {
  const exchange = (outgoing: Transport.OutgoingRequest, maxBytes: number): Effect.Effect<Transport.Exchange> =>
    Effect.suspend(() => {
      let request = HttpClientRequest.make(outgoing.method as "GET" | "POST")(outgoing.url).pipe(
        HttpClientRequest.setHeaders(outgoing.headers)
      )
      if (outgoing.body !== "") {
        request = HttpClientRequest.bodyText(request, outgoing.body, outgoing.headers["content-type"])
      }
      return noRedirects(client.execute(request)).pipe(
        Effect.matchEffect({
          onFailure: (error) => Effect.succeed<Transport.Exchange>(failureOf(error)),
          onSuccess: (response) =>
            Body.readCapped(response, maxBytes).pipe(
              Effect.match({
                onFailure: (failed): Transport.Exchange => failed,
                onSuccess: (body): Transport.Exchange => ({
                  _tag: "Received",
                  status: response.status,
                  headers: response.headers,
                  body
                })
              })
            )
        }),
        callSettings
      )
    })
  return (context) => {
    const run = Effect.runCallbackWith(context)
    return {
      send: (request, maxBytes, done) =>
        run(exchange(request, maxBytes), {
          onExit: (exit) => {
            if (Exit.isSuccess(exit)) done(exit.value)
            else if (!Cause.hasInterruptsOnly(exit.cause)) {
              // a defect of the HttpClient (a middleware's): what was sent is unknown
              done(Transport.requestFailed(Cause.squash(exit.cause), "Defect"))
            }
          }
        })
    }
  }
}
