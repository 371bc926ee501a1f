/**
 * The Effect 4 sandbox and the library over real HTTP on 127.0.0.1 (fetch), every request the
 * client puts on the wire captured (method, URL, headers, body bytes), an independent check of a
 * captured request's signature, and hand-built requests (node:http, which sends no default
 * `Accept` or `User-Agent`) for what the library never sends.
 */
import { Effect, Layer, Option } from "effect"
import { FetchHttpClient, HttpClient, HttpClientRequest } from "effect/http"
import * as Http from "node:http"
import { KeyStore, Signer } from "../../src/index.js"
import { Fixtures, Sandbox } from "../../src/testing/index.js"
import { verifyRequestSignature } from "./merchant.js"

/** A request as the client put it on the wire. */
export interface Sent {
  readonly method: string
  readonly url: URL
  readonly headers: Readonly<Record<string, string>>
  /** The body bytes exactly as sent. */
  readonly bytes: Uint8Array
  /** The same bytes as UTF-8 text. */
  readonly body: string
}

/** `FetchHttpClient.layer`, recording into `sent` every request it is asked to send (each attempt). */
export const capturingFetch = (sent: Array<Sent>): Layer.Layer<HttpClient.HttpClient> =>
  Layer.effect(
    HttpClient.HttpClient,
    Effect.map(Effect.service(HttpClient.HttpClient), (inner) =>
      HttpClient.make((request) => {
        const bytes = request.body._tag === "Uint8Array" ? request.body.body : new Uint8Array()
        sent.push({
          method: request.method,
          url: Option.getOrThrow(HttpClientRequest.toUrl(request)),
          headers: request.headers,
          bytes,
          body: new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes)
        })
        return inner.execute(request)
      }))
  ).pipe(Layer.provide(FetchHttpClient.layer))

/**
 * The sandbox and the library pointed at it over fetch: one attempt, a 2-second timeout (generous:
 * the machine may be loaded); `sent` records the wire; `http` replaces fetch.
 */
export const sandboxLayer = (
  options: Sandbox.LayerOptions = {},
  sent: Array<Sent> = [],
  http?: Layer.Layer<HttpClient.HttpClient>
) =>
  Sandbox.layer({
    faultDelay: "3 seconds",
    ...options,
    client: { retries: 0, timeout: "2 seconds", retryBaseDelay: "10 millis", ...options.client }
  }).pipe(Layer.provide(http ?? capturingFetch(sent)))

export const sandbox = Effect.service(Sandbox.Sandbox)

export const requests = Effect.flatMap(sandbox, (s) => s.requests)

export const lastRequest = Effect.map(requests, (all) => {
  const last = all[all.length - 1]
  if (last === undefined) throw new Error("the sandbox received no request")
  return last
})

/**
 * How many requests reached the sandbox. After a timeout the client has given up while the sandbox
 * may still be logging: wait until the count has been stable for 300 ms.
 */
export const arrived = Effect.gen(function*() {
  let count = (yield* requests).length
  for (;;) {
    yield* Effect.sleep("300 millis")
    const now = (yield* requests).length
    if (now === count) return count
    count = now
  }
})

/** Whether a captured request's signature holds with the merchant public key, over its exact bytes. */
export const signatureHolds = (sent: Sent) =>
  verifyRequestSignature({ method: sent.method, url: sent.url, headers: sent.headers, body: sent.body })

export interface RawAnswer {
  readonly status: number
  readonly headers: Http.IncomingHttpHeaders
  readonly body: string
  readonly json: { readonly code?: string; readonly message?: string; readonly detail?: unknown }
}

/** A request built by hand over node:http: exactly the headers given, nothing added. */
export const raw = (
  path: string,
  headers: Record<string, string>,
  method = "GET",
  body: Uint8Array = new Uint8Array()
) =>
  Effect.flatMap(sandbox, (s) =>
    Effect.callback<RawAnswer>((resume) => {
      const req = Http.request(`${s.baseUrl}${path}`, { method, headers, agent: false }, (res) => {
        const chunks: Array<Buffer> = []
        res.on("data", (chunk: Buffer) => chunks.push(chunk))
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8")
          let json: RawAnswer["json"] = {}
          try {
            json = JSON.parse(text) as RawAnswer["json"]
          } catch {
            // not JSON
          }
          resume(Effect.succeed({ status: res.statusCode ?? 0, headers: res.headers, body: text, json }))
        })
      })
      req.on("error", (error) => resume(Effect.die(error)))
      req.end(Buffer.from(body))
    }))

/** A correct Authorization header for `path`, signed with the configured merchant key (the library's `KeyStore`). */
export const authorize = (
  path: string,
  options: { readonly timestamp?: number; readonly method?: string; readonly body?: string } = {}
) =>
  Effect.gen(function*() {
    const keys = yield* KeyStore.KeyStore
    const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000))
    const nonce = "593BEC0C930BF1AFEB40B4A08C8FB242"
    const signature = yield* keys.sign(
      Signer.requestMessage({ method: options.method ?? "GET", url: path, timestamp, nonce, body: options.body ?? "" })
    )
    return Signer.formatAuthorization({
      mchid: keys.mchid,
      nonce,
      signature,
      timestamp,
      serialNo: keys.merchantSerialNo
    })
  })

export const BASE_HEADERS = { accept: "application/json", "user-agent": "sandbox-test/1.0" }

/** A hand-built, correctly signed GET. */
export const signedGet = (path: string, extra: Record<string, string> = {}) =>
  Effect.flatMap(authorize(path), (authorization) => raw(path, { ...BASE_HEADERS, authorization, ...extra }))

export { Fixtures }
