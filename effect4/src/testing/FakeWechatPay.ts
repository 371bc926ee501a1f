/**
 * An in-memory WeChat Pay for unit tests: an `HttpClient` layer whose answers are signed for real
 * with a test platform key (or deliberately not), so the library's verification runs unchanged.
 * The Effect 4 line's twin of the Effect 3 line's `FakeWechatPay` (same keys, same replies).
 *
 * @since 0.2.0
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Layer from "effect/Layer"
import * as Bytes from "../../../src/core/bytes.js"
import * as Keys from "../../../src/core/keys.js"
import * as Pem from "../../../src/core/pem.js"
import * as Signer from "../services/Signer.js"
import * as Fixtures from "./fixtures.js"

/**
 * A signing identity of the fake: a private key (PKCS#8 PEM) and the serial it signs under.
 *
 * @since 0.2.0
 * @category models
 */
export interface SigningKey {
  readonly privateKey: string
  readonly serial: string
}

/**
 * The keys of the fixtures: the WeChat Pay public key, two platform certificates, and a stranger's
 * key under the public key id (a forged answer).
 *
 * @since 0.2.0
 * @category keys
 */
export const keys = {
  publicKey: { privateKey: Fixtures.wechatpayPrivateKey, serial: Fixtures.wechatpayPublicKeyId },
  platform1: { privateKey: Fixtures.platformPrivateKey1, serial: Fixtures.platformSerialNo1 },
  platform2: { privateKey: Fixtures.platformPrivateKey2, serial: Fixtures.platformSerialNo2 },
  stranger: { privateKey: Fixtures.strangerPrivateKey, serial: Fixtures.wechatpayPublicKeyId }
} as const satisfies Record<string, SigningKey>

const imported = new Map<string, Promise<CryptoKey>>()
const signingKey = (pem: string): Promise<CryptoKey> => {
  let key = imported.get(pem)
  if (key === undefined) {
    const blocks = Pem.parsePem(pem)
    if (!Array.isArray(blocks)) throw new Error("not a PEM private key")
    const block = (blocks as ReadonlyArray<Pem.PemBlock>)[0]!
    key = Keys.importSigningKey(block.label === "RSA PRIVATE KEY" ? Pem.pkcs1ToPkcs8(block.der) : block.der)
    imported.set(pem, key)
  }
  return key
}

/**
 * The four `Wechatpay-*` headers WeChat Pay puts on an answer or a notification.
 *
 * @since 0.2.0
 * @category signing
 */
export const signAnswer = async (input: {
  readonly key: SigningKey
  readonly body: string
  readonly timestamp: number
  readonly nonce?: string
}): Promise<Record<string, string>> => {
  const nonce = input.nonce ?? crypto.randomUUID().replace(/-/g, "")
  const timestamp = String(input.timestamp)
  const signature = await Keys.sign(
    await signingKey(input.key.privateKey),
    Signer.answerMessage({ timestamp, nonce, body: input.body })
  )
  return {
    "wechatpay-timestamp": timestamp,
    "wechatpay-nonce": nonce,
    "wechatpay-signature": signature,
    "wechatpay-serial": input.key.serial,
    "wechatpay-signature-type": "WECHATPAY2-SHA256-RSA2048"
  }
}

/**
 * What a handler of the fake answers.
 *
 * @since 0.2.0
 * @category models
 */
export interface Reply {
  readonly status?: number
  /** A string is sent as is; anything else as `JSON.stringify`. */
  readonly body?: unknown
  /** Extra headers, set after the signature headers (so they can override them). */
  readonly headers?: Readonly<Record<string, string>>
  /** The key to sign with; `false` sends no signature headers. Default: the WeChat Pay public key. */
  readonly signWith?: SigningKey | false
  /** Seconds since the epoch for `Wechatpay-Timestamp`; default: now, from `Clock` (so `TestClock` applies). */
  readonly timestamp?: number
  /** Signed over this body, then `body` is sent (a tampered answer). */
  readonly signedBody?: string
  /** Header names to drop after signing. */
  readonly omitHeaders?: ReadonlyArray<string>
}

/**
 * What a handler of the fake sees of a request.
 *
 * @since 0.2.0
 * @category models
 */
export interface Received {
  readonly method: string
  readonly url: URL
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/**
 * An `HttpClient` that answers every request with `handler`, signing each answer for real.
 *
 * @since 0.2.0
 * @category layers
 */
export const layer = <E = never>(
  handler: (request: Received) => Reply | Effect.Effect<Reply, E>
): Layer.Layer<HttpClient.HttpClient> =>
  Layer.succeed(
    HttpClient.HttpClient,
    HttpClient.make((request, url) =>
      Effect.gen(function*() {
        const body = request.body._tag === "Uint8Array" ? Bytes.fromUtf8(request.body.body) : ""
        const outcome = handler({ method: request.method, url, headers: request.headers, body })
        const reply: Reply = Effect.isEffect(outcome) ? yield* Effect.orDie(outcome) : outcome
        const text = typeof reply.body === "string"
          ? reply.body
          : reply.body === undefined
          ? ""
          : JSON.stringify(reply.body)
        const now = Math.floor((yield* Clock.currentTimeMillis) / 1000)
        const signed = reply.signWith === false ? {} : yield* Effect.promise(() =>
          signAnswer({
            key: reply.signWith === undefined ? keys.publicKey : reply.signWith as SigningKey,
            body: reply.signedBody ?? text,
            timestamp: reply.timestamp ?? now
          })
        )
        const headers: Record<string, string> = {
          "content-type": "application/json",
          "request-id": "08F0B0B5B00610B8F4B1C3B0F4A39D2F1A0018E4BE0320A0F10628D3C50430F7",
          ...signed,
          ...reply.headers
        }
        for (const name of reply.omitHeaders ?? []) delete headers[name.toLowerCase()]
        const status = reply.status ?? 200
        return HttpClientResponse.fromWeb(
          request,
          new Response(status === 204 || status === 304 ? null : text, { status, headers })
        )
      })
    )
  )
