/**
 * Redirects: WeChat Pay never redirects an API call, so a 3xx is a proxy, a captive portal or an
 * attack. No request the library sends follows one, whatever transport it is given; a 3xx is an
 * `ApiError` with code `HTTP_REDIRECT`. Shared by `WechatPayClient` (every call) and the
 * certificate download.
 *
 * @internal
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as Headers from "@effect/platform/Headers"
import * as Effect from "effect/Effect"
import { ApiError } from "../errors/WechatPayError.js"
import { getHeader } from "./wire.js"

/** Whether `status` is a redirect (3xx). */
export const isRedirect = (status: number): boolean => status >= 300 && status < 400

/**
 * The typed error of a 3xx answer: an `ApiError` (not retried) with code `HTTP_REDIRECT`, naming the
 * status and the `Location` (in the message, printable ASCII, and in `detail.location`).
 */
export const redirectError = (status: number, headers: Headers.Headers): ApiError => {
  const location = getHeader(headers, "location")
  const shown = location === undefined
    ? "no Location"
    : `Location: ${location.replace(/[^\x20-\x7e]/g, "?").slice(0, 500)}`
  const requestId = getHeader(headers, "request-id")
  return new ApiError({
    status,
    code: "HTTP_REDIRECT",
    message:
      `HTTP ${status} redirect (${shown}) not followed: WeChat Pay never redirects an API call, so this is a proxy, a captive portal or an attack`,
    ...(location === undefined ? {} : { detail: { location } }),
    ...(requestId === undefined ? {} : { requestId })
  })
}

/**
 * Fetch follows redirects unless told not to (a POST then becomes a GET to the `Location`): the
 * effect runs with `redirect: "manual"` in `FetchHttpClient.RequestInit` (the other options you set
 * kept), so fetch hands the 3xx back unfollowed. undici's `request` and `dispatch` never follow one.
 */
export const noRedirects = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.flatMap(
    Effect.serviceOption(FetchHttpClient.RequestInit),
    (init) =>
      Effect.provideService(effect, FetchHttpClient.RequestInit, {
        ...(init._tag === "Some" ? init.value : {}),
        redirect: "manual"
      })
  )
