/**
 * Shared test helpers: the fixtures merchant in public-key mode, the full `WechatPay` layer over a
 * `FakeWechatPay` handler (recording every request it receives), and an independent check of the
 * request signature with WebCrypto and the merchant's public key.
 */
import { Effect, Layer, Redacted } from "effect"
import type * as HttpClient from "effect/http/HttpClient"
import { WechatPay } from "../../src/index.js"
import { FakeWechatPay, Fixtures } from "../../src/testing/index.js"

/** The WechatPay layer options of the fixtures merchant, public-key mode. */
export const merchantOptions = (overrides: Partial<WechatPay.Options> = {}): WechatPay.Options => ({
  mchid: Fixtures.mchid,
  merchantSerialNo: Fixtures.merchantSerialNo,
  merchantPrivateKey: Redacted.make(Fixtures.merchantPrivateKeyPkcs8),
  wechatpayPublicKey: { id: Fixtures.wechatpayPublicKeyId, pem: Fixtures.wechatpayPublicKey },
  ...overrides
})

/** The full layer over any `HttpClient` layer. */
export const layerOver = (
  http: Layer.Layer<HttpClient.HttpClient>,
  overrides: Partial<WechatPay.Options> = {}
) => WechatPay.layer(merchantOptions(overrides)).pipe(Layer.provide(http), Layer.orDie)

/** A fake WeChat Pay that records what it receives, and the full layer over it. */
export const makeFake = <E = never>(
  handler: (
    request: FakeWechatPay.Received,
    index: number
  ) => FakeWechatPay.Reply | Effect.Effect<FakeWechatPay.Reply, E>,
  overrides: Partial<WechatPay.Options> = {}
) => {
  const received: Array<FakeWechatPay.Received> = []
  const http = FakeWechatPay.layer((request) => {
    received.push(request)
    return handler(request, received.length - 1)
  })
  return { received, layer: layerOver(http, overrides) } as const
}

/** Fields of an `Authorization` header, parsed here independently of the library. */
export const authorizationFields = (header: string | undefined): Record<string, string> => {
  if (header === undefined) throw new Error("no Authorization header")
  const prefix = "WECHATPAY2-SHA256-RSA2048 "
  if (!header.startsWith(prefix)) throw new Error(`not a WECHATPAY2 Authorization header: ${header.slice(0, 30)}`)
  const fields: Record<string, string> = {}
  for (const part of header.slice(prefix.length).split(",")) {
    const match = /^\s*([a-z_]+)="([^"]*)"\s*$/.exec(part)
    if (match === null) throw new Error(`bad Authorization field: ${part}`)
    fields[match[1]!] = match[2]!
  }
  return fields
}

const pemToDer = (pem: string): Uint8Array<ArrayBuffer> => {
  const base64 = pem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, "").replace(/\s+/g, "")
  const bytes = Buffer.from(base64, "base64")
  return new Uint8Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))
}

let merchantKey: Promise<CryptoKey> | undefined
const merchantVerifyingKey = () =>
  merchantKey ??= crypto.subtle.importKey(
    "spki",
    pemToDer(Fixtures.merchantPublicKey),
    { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    false,
    ["verify"]
  )

/**
 * Whether the request's `Authorization` signature holds, with the merchant public key, over
 * `METHOD\n<path?query as received>\n<timestamp>\n<nonce>\n<body>\n`.
 */
export const verifyRequestSignature = (request: FakeWechatPay.Received): Effect.Effect<boolean> =>
  Effect.promise(async () => {
    const fields = authorizationFields(request.headers["authorization"])
    const message =
      `${request.method}\n${request.url.pathname}${request.url.search}\n${fields.timestamp}\n${fields.nonce_str}\n${request.body}\n`
    const signature = Buffer.from(fields.signature!, "base64")
    return crypto.subtle.verify(
      "RSASSA-PKCS1-v1_5",
      await merchantVerifyingKey(),
      new Uint8Array(signature.buffer.slice(signature.byteOffset, signature.byteOffset + signature.byteLength)),
      new TextEncoder().encode(message)
    )
  })

/**
 * One fake whose answer can be switched between tests, so that a suite builds the layer once
 * (`layer(fake.layer)` of `@effect/vitest`): `answer(handler)` sets the next handler and clears
 * `received`.
 */
export const makeSwitchableFake = (overrides: Partial<WechatPay.Options> = {}) => {
  let current: (request: FakeWechatPay.Received, index: number) => FakeWechatPay.Reply = () => ({
    status: 500,
    body: { code: "NO_HANDLER", message: "the test set no handler" }
  })
  const fake = makeFake((request, index) => current(request, index), overrides)
  return {
    layer: fake.layer,
    received: fake.received,
    answer: (handler: (request: FakeWechatPay.Received, index: number) => FakeWechatPay.Reply) => {
      current = handler
      fake.received.length = 0
    }
  } as const
}
