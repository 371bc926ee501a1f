/**
 * Several merchants in one program: two `WechatPay` layers side by side, each with its own
 * merchant (a second RSA key pair made here with node:crypto, its own mchid and serial) and its own
 * sandbox (its own WeChat Pay key too), queried concurrently and interleaved. No shared state: every
 * request a sandbox logs carries its own layer's mchid and serial, every signature sent verifies
 * with that merchant's public key and not the other's, nonces are unique across both, and every
 * answer verifies with the key its own layer trusts (a crossed answer would fail verification).
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { createPublicKey, generateKeyPairSync } from "node:crypto"
import { KeyStore, PayScorePermissions, WechatPay } from "../../src/index.js"
import { Fixtures, Sandbox } from "../../src/testing/index.js"

const QUERIES = 300
const CONCURRENCY = 64

const rsaPrivateKey = (): string =>
  generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }) as string

interface Sent {
  readonly method: string
  readonly target: string
  readonly authorization: string
  readonly host: string
}

const fields = (authorization: string): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const match of authorization.matchAll(/([a-z_]+)="([^"]*)"/g)) out[match[1]!] = match[2]!
  return out
}

const importVerifying = (pem: string) =>
  crypto.subtle.importKey(
    "spki",
    Buffer.from(pem.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, ""), "base64"),
    { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    false,
    ["verify"]
  )

const verifies = (key: CryptoKey, sent: Sent) => {
  const f = fields(sent.authorization)
  return crypto.subtle.verify(
    "RSASSA-PKCS1-v1_5",
    key,
    Buffer.from(f.signature!, "base64"),
    new TextEncoder().encode(`${sent.method}\n${sent.target}\n${f.timestamp}\n${f.nonce_str}\n\n`)
  )
}

describe("Several merchants in one program (isolation)", () => {
  it.live(
    `two WechatPay layers, two merchants, two sandboxes: ${QUERIES} queries each at concurrency ${CONCURRENCY}, interleaved, never mix mchid, serial, keys or nonces`,
    () =>
      Effect.gen(function*() {
        const merchantB = rsaPrivateKey()
        const wechatpayB = rsaPrivateKey()
        const sandboxA = yield* Sandbox.make({})
        const sandboxB = yield* Sandbox.make({
          mchid: "1900000002",
          merchantSerialNo: "0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B",
          merchantPrivateKey: merchantB,
          wechatpayPublicKey: { id: "PUB_KEY_ID_0000000000000000000000000000B", privateKey: wechatpayB },
          platformCertificates: []
        })
        expect(sandboxB.wechatPayOptions.mchid).not.toBe(sandboxA.wechatPayOptions.mchid)

        // each layer over its own recording fetch client
        const recording = (sent: Array<Sent>) =>
          Layer.effect(
            HttpClient.HttpClient,
            Effect.map(HttpClient.HttpClient, (client) =>
              HttpClient.mapRequest(client, (request) => {
                const url = new URL(request.url)
                sent.push({
                  method: request.method,
                  target: url.pathname + url.search,
                  authorization: request.headers["authorization"]!,
                  host: url.host
                })
                return request
              }))
          ).pipe(Layer.provide(FetchHttpClient.layer))
        const sentA: Array<Sent> = []
        const sentB: Array<Sent> = []
        const layerA = WechatPay.layer(Sandbox.wechatPayOptions(sandboxA, { retries: 0, timeout: "10 seconds" })).pipe(
          Layer.provide(recording(sentA))
        )
        const layerB = WechatPay.layer(Sandbox.wechatPayOptions(sandboxB, { retries: 0, timeout: "10 seconds" })).pipe(
          Layer.provide(recording(sentB))
        )
        const contextA = yield* Layer.build(layerA)
        const contextB = yield* Layer.build(layerB)

        for (const [sandbox, state] of [[sandboxA, "AVAILABLE"], [sandboxB, "UNAVAILABLE"]] as const) {
          yield* sandbox.seed(Sandbox.Seed.Merchant({
            authorization_code: "ISOLATION0001",
            service_id: "500001",
            record: { authorization_state: state }
          }))
        }
        const queryOn = (context: typeof contextA) =>
          Effect.flatMap(
            PayScorePermissions.PayScorePermissions,
            (permissions) =>
              permissions.queryByAuthorizationCode({ authorization_code: "ISOLATION0001", service_id: "500001" })
          ).pipe(Effect.provide(context))

        // interleaved: A, B, A, B, … all in one pool
        const tasks = Array.from({ length: 2 * QUERIES }, (_, i) => i % 2 === 0 ? "A" as const : "B" as const)
        const results = yield* Effect.forEach(
          tasks,
          (who) => Effect.map(queryOn(who === "A" ? contextA : contextB), (record) => [who, record] as const),
          { concurrency: CONCURRENCY * 2 }
        )
        // each merchant sees its own record: A's sandbox says AVAILABLE, B's UNAVAILABLE
        for (const [who, record] of results) {
          expect(record._tag).toBe(who === "A" ? "Available" : "Unavailable")
          expect(record.mchid).toBe(who === "A" ? Fixtures.mchid : "1900000002")
        }

        // the keys each layer holds are its own
        const keysA = yield* Effect.provide(KeyStore.KeyStore, contextA)
        const keysB = yield* Effect.provide(KeyStore.KeyStore, contextB)
        expect([keysA.mchid, keysA.merchantSerialNo, keysA.wechatpaySerial]).toEqual([
          Fixtures.mchid,
          Fixtures.merchantSerialNo,
          Fixtures.wechatpayPublicKeyId
        ])
        expect([keysB.mchid, keysB.merchantSerialNo, keysB.wechatpaySerial]).toEqual([
          "1900000002",
          "0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B",
          "PUB_KEY_ID_0000000000000000000000000000B"
        ])

        // every request each sandbox logged carries its own layer's merchant
        const logA = yield* sandboxA.requests
        const logB = yield* sandboxB.requests
        expect(logA.length).toBe(QUERIES)
        expect(logB.length).toBe(QUERIES)
        for (
          const [log, mchid, serial, wechatpaySerial] of [
            [logA, Fixtures.mchid, Fixtures.merchantSerialNo, Fixtures.wechatpayPublicKeyId],
            [logB, "1900000002", "0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B", "PUB_KEY_ID_0000000000000000000000000000B"]
          ] as const
        ) {
          for (const entry of log) {
            const f = fields(entry.headers["authorization"]!)
            expect([f.mchid, f.serial_no, entry.headers["wechatpay-serial"], entry.status]).toEqual([
              mchid,
              serial,
              wechatpaySerial,
              200
            ])
          }
        }

        // every signature sent verifies with its own merchant's public key, never with the other's
        const publicA = yield* Effect.promise(() => importVerifying(Fixtures.merchantPublicKey))
        const publicB = yield* Effect.promise(() => importVerifying(spkiOf(merchantB)))
        const check = (sent: ReadonlyArray<Sent>, own: CryptoKey, other: CryptoKey, host: string) =>
          Effect.forEach(sent, (s) =>
            Effect.promise(async () => {
              expect(s.host).toBe(host)
              expect(await verifies(own, s)).toBe(true)
              expect(await verifies(other, s)).toBe(false)
            }), { concurrency: 16, discard: true })
        yield* check(sentA, publicA, publicB, new URL(sandboxA.baseUrl).host)
        yield* check(sentB, publicB, publicA, new URL(sandboxB.baseUrl).host)

        // nonces unique across both layers
        const nonces = [...sentA, ...sentB].map((s) => fields(s.authorization).nonce_str)
        expect(nonces.length).toBe(2 * QUERIES)
        expect(new Set(nonces).size).toBe(2 * QUERIES)
      }).pipe(Effect.scoped),
    60_000
  )

  it.live("the options of one layer are not touched by building another (no shared mutable state)", () =>
    Effect.gen(function*() {
      const a = Sandbox.wechatPayOptions(yield* Sandbox.make({}), { retries: 0 })
      const before = JSON.stringify(a)
      const b = { ...a, mchid: "1900000003", merchantPrivateKey: Redacted.make(rsaPrivateKey()) }
      yield* Layer.build(WechatPay.layer(b).pipe(Layer.provide(FetchHttpClient.layer)))
      yield* Layer.build(WechatPay.layer(a).pipe(Layer.provide(FetchHttpClient.layer)))
      expect(JSON.stringify(a)).toBe(before)
    }).pipe(Effect.scoped))
})

/** The SPKI PEM of a private key's public half. */
const spkiOf = (privateKeyPem: string): string =>
  createPublicKey(privateKeyPem).export({ type: "spki", format: "pem" }) as string
