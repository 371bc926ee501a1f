/**
 * Shared by the permissions-family suites: the sandbox and the library over real HTTP (fetch),
 * with every request the client puts on the wire captured (method, URL, headers, body bytes), an
 * independent check of a captured request's signature, and hand-built signed requests for what
 * the library never sends.
 */
import { FetchHttpClient } from "@effect/platform"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { Effect, Layer, Option } from "effect"
import * as Http from "node:http"
import { KeyStore, PayScorePermissions, Signer } from "../../src/index.js"
import { Fixtures, Sandbox } from "../../src/testing/index.js"
import { authorizationFields, verifyRequestSignature } from "./merchant.js"

export const CODE = "1234323JKHDFE1243252"
export const CODE_19_DIGITS = "1275342195190894594"
export const SERVICE_ID = "500001"
export const APPID = "wxd678efh567hg6787"
export const SUB_APPID = "wxd678efh567hg6999"
export const SUB_MCHID = "1900000109"
export const CHANNEL_ID = "7000000001"
export const OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"
export const SUB_OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS99"
export const NOTIFY_URL = "https://merchant.example.com/payscore/notify"
export const REASON = "用户投诉"

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
    Effect.map(HttpClient.HttpClient, (client) =>
      HttpClient.tapRequest(client, (request) =>
        Effect.sync(() => {
          const bytes = request.body._tag === "Uint8Array" ? request.body.body : new Uint8Array()
          sent.push({
            method: request.method,
            url: Option.getOrThrow(HttpClientRequest.toUrl(request)),
            headers: request.headers,
            bytes,
            body: new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes)
          })
        })))
  ).pipe(Layer.provide(FetchHttpClient.layer))

/** The sandbox and the library pointed at it over fetch: one attempt, a 2-second timeout (generous: the machine may be loaded); `sent` records the wire. */
export const sandboxLayer = (options: Sandbox.LayerOptions = {}, sent: Array<Sent> = []) =>
  Sandbox.layer({
    faultDelay: "3 seconds",
    ...options,
    client: { retries: 0, timeout: "2 seconds", retryBaseDelay: "10 millis", ...options.client }
  }).pipe(Layer.provide(capturingFetch(sent)))

export const permissions = PayScorePermissions.PayScorePermissions

export const requests = Effect.flatMap(Sandbox.Sandbox, (sandbox) => sandbox.requests)

export const lastRequest = Effect.map(requests, (all) => {
  const last = all[all.length - 1]
  if (last === undefined) throw new Error("the sandbox received no request")
  return last
})

/** Whether a captured request's signature holds with the merchant public key, over its exact bytes. */
export const signatureHolds = (sent: Sent) =>
  verifyRequestSignature({ method: sent.method, url: sent.url, headers: sent.headers, body: sent.body })

export { authorizationFields }

const pemToDer = (pem: string): Uint8Array<ArrayBuffer> => {
  const bytes = Buffer.from(pem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, "").replace(/\s+/g, ""), "base64")
  return new Uint8Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))
}

let merchantKey: Promise<CryptoKey> | undefined
const signBytes = async (message: Uint8Array<ArrayBuffer>): Promise<string> => {
  merchantKey ??= crypto.subtle.importKey(
    "pkcs8",
    pemToDer(Fixtures.merchantPrivateKeyPkcs8),
    { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    false,
    ["sign"]
  )
  const signature = await crypto.subtle.sign("RSASSA-PKCS1-v1_5", await merchantKey, message)
  return Buffer.from(signature).toString("base64")
}

export interface RawAnswer {
  readonly status: number
  readonly headers: Http.IncomingHttpHeaders
  readonly body: string
  readonly json: { readonly code?: string; readonly message?: string; readonly detail?: unknown }
}

/**
 * A correctly signed request built by hand over node:http: the signature covers `body` bytes
 * exactly, and exactly the headers given are sent.
 */
export const rawSigned = (options: {
  readonly method: string
  readonly path: string
  readonly body: Uint8Array<ArrayBuffer>
  readonly headers?: Readonly<Record<string, string>>
}) =>
  Effect.gen(function*() {
    const sandbox = yield* Sandbox.Sandbox
    const keys = yield* KeyStore.KeyStore
    const timestamp = String(Math.floor(Date.now() / 1000))
    const nonce = "593BEC0C930BF1AFEB40B4A08C8FB242"
    const head = new TextEncoder().encode(`${options.method}\n${options.path}\n${timestamp}\n${nonce}\n`)
    const message = new Uint8Array([...head, ...options.body, 0x0a])
    // sign the exact bytes (which need not be UTF-8), with WebCrypto and the merchant private key
    const signature = yield* Effect.promise(() => signBytes(message))
    const authorization = Signer.formatAuthorization({
      mchid: keys.mchid,
      nonce,
      signature,
      timestamp,
      serialNo: keys.merchantSerialNo
    })
    return yield* Effect.async<RawAnswer>((resume) => {
      const req = Http.request(`${sandbox.baseUrl}${options.path}`, {
        method: options.method,
        agent: false,
        headers: {
          accept: "application/json",
          "user-agent": "permissions-test/1.0",
          authorization,
          "content-length": String(options.body.byteLength),
          ...options.headers
        }
      }, (res) => {
        const chunks: Array<Buffer> = []
        res.on("data", (chunk: Buffer) => chunks.push(chunk))
        res.on("end", () => {
          const body = Buffer.concat(chunks).toString("utf8")
          let json: RawAnswer["json"] = {}
          try {
            json = JSON.parse(body) as RawAnswer["json"]
          } catch {
            // not JSON
          }
          resume(Effect.succeed({ status: res.statusCode ?? 0, headers: res.headers, body, json }))
        })
      })
      req.on("error", (error) => resume(Effect.die(error)))
      req.end(Buffer.from(options.body))
    })
  })

export const utf8 = (text: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(text)
