/**
 * A merchant key that never enters the process: a custom `KeyStore` layer whose `sign` asks a KMS
 * (or an HSM) for the RSASSA-PKCS1-v1_5/SHA-256 signature. Only `sign` touches the merchant private
 * key; everything else (the verifiers of WeChat Pay's answers, the ids, the APIv3 key) comes from
 * the ordinary `KeyStore.make`.
 *
 * Runnable against the built-in sandbox (`npx tsx examples/kms-keystore.ts`): the "KMS" here is a
 * stand-in holding the sandbox merchant's key as a non-extractable `CryptoKey` in its own module
 * scope; swap `kmsSign` for your KMS client's call (AWS KMS `Sign` with
 * `RSASSA_PKCS1_V1_5_SHA_256`, Google Cloud KMS `asymmetricSign`, Azure Key Vault `RS256`, an HSM
 * over PKCS#11, …).
 */
import { FetchHttpClient } from "@effect/platform"
import { Console, Effect, Layer, Redacted } from "effect"
import { KeyStore, PayScorePermissions, Signer, WechatPayClient, type WechatPayError } from "../src/index.js"
import { Fixtures, Sandbox } from "../src/testing/index.js"

// ---------------------------------------------------------------------------------------------
// The KMS stand-in: replace with your KMS client. It returns the signature, base64.
// ---------------------------------------------------------------------------------------------

const pemToDer = (pem: string): Uint8Array<ArrayBuffer> => {
  const bytes = Buffer.from(pem.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, ""), "base64")
  return new Uint8Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))
}

const kmsKey = crypto.subtle.importKey(
  "pkcs8",
  pemToDer(Fixtures.merchantPrivateKeyPkcs8),
  { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
  false, // non-extractable: the stand-in cannot hand the key out either
  ["sign"]
)

/** RSASSA-PKCS1-v1_5 with SHA-256 over the UTF-8 message, base64: what a KMS `Sign` call returns. */
const kmsSign = (message: string): Effect.Effect<string> =>
  Effect.promise(async () => {
    const signature = await crypto.subtle.sign("RSASSA-PKCS1-v1_5", await kmsKey, new TextEncoder().encode(message))
    return Buffer.from(signature).toString("base64")
  })

// ---------------------------------------------------------------------------------------------
// The custom KeyStore layer
// ---------------------------------------------------------------------------------------------

/**
 * `KeyStore.make` still wants a merchant private key to parse; since `sign` is replaced it is never
 * used, so give it a throwaway key made here (not the merchant's).
 */
const throwawayPrivateKey: Effect.Effect<string> = Effect.promise(async () => {
  const pair = await crypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["sign", "verify"]
  )
  const der = Buffer.from(await crypto.subtle.exportKey("pkcs8", pair.privateKey)).toString("base64")
  return `-----BEGIN PRIVATE KEY-----\n${der.match(/.{1,64}/g)!.join("\n")}\n-----END PRIVATE KEY-----\n`
})

/** The options without the merchant key: everything else a `KeyStore` needs. */
export interface KmsKeyStoreOptions extends Omit<KeyStore.Options, "merchantPrivateKey"> {}

/** A `KeyStore` whose merchant signatures come from `kmsSign`. */
export const layerKms = (options: KmsKeyStoreOptions): Layer.Layer<KeyStore.KeyStore, WechatPayError.InvalidConfig> =>
  Layer.effect(
    KeyStore.KeyStore,
    Effect.gen(function*() {
      const staticKeyStore = yield* KeyStore.make({
        ...options,
        merchantPrivateKey: Redacted.make(yield* throwawayPrivateKey)
      })
      return KeyStore.KeyStore.of({ ...staticKeyStore, sign: (message) => kmsSign(message) })
    })
  )

// ---------------------------------------------------------------------------------------------
// Wiring: the same stack as WechatPay.layer, with the custom KeyStore at the bottom
// ---------------------------------------------------------------------------------------------

const program = Effect.gen(function*() {
  const sandbox = yield* Sandbox.make({})
  yield* sandbox.seed(Sandbox.Seed.Merchant({
    authorization_code: "1234323JKHDFE1243252",
    service_id: "500001",
    record: { authorization_state: "AVAILABLE" }
  }))
  const { apiV3Key: _apiV3Key, merchantPrivateKey: _merchantPrivateKey, ...options } = sandbox.wechatPayOptions
  const keyStore = layerKms({
    mchid: options.mchid,
    merchantSerialNo: options.merchantSerialNo,
    wechatpayPublicKey: options.wechatpayPublicKey
  })
  const WechatPayKms = PayScorePermissions.layer.pipe(
    Layer.provideMerge(WechatPayClient.layer(options)),
    Layer.provideMerge(Signer.layer(options)),
    Layer.provideMerge(keyStore),
    Layer.provide(FetchHttpClient.layer)
  )
  const record = yield* Effect.flatMap(
    PayScorePermissions.PayScorePermissions,
    (permissions) =>
      permissions.queryByAuthorizationCode({ authorization_code: "1234323JKHDFE1243252", service_id: "500001" })
  ).pipe(Effect.provide(WechatPayKms))
  yield* Console.log(`signed by the KMS, verified, decoded: ${record._tag} (${record.authorization_state})`)
}).pipe(Effect.scoped)

if (import.meta.url === `file://${process.argv[1]}`) {
  Effect.runPromise(program).catch((error: unknown) => {
    console.error(String(error))
    process.exit(1)
  })
}
