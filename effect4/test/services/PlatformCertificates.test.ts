/**
 * Downloaded platform certificates on the Effect 4 line (`platformCertificates` left out, an
 * `apiV3Key` given): `GET /v3/certificates` through the client, each certificate decrypted with the
 * APIv3 key, trust bootstrapped from the certificate the answer carries; a refresh when an answer
 * names an unknown serial (a rotation); a refresh abandoned by its caller still finishes for the next
 * call; a first download that fails fails the layer with `InvalidConfig platformCertificates`.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Redacted, Result } from "effect"
import * as Aead from "../../../src/core/aead.js"
import { KeyStore, PayScorePermissions, WechatPay } from "../../src/index.js"
import { FakeWechatPay, Fixtures } from "../../src/testing/index.js"

const query = { authorization_code: "1234323JKHDFE1243252", service_id: "500001" }
const record = {
  service_id: "500001",
  appid: "wxd678efh567hg6787",
  mchid: Fixtures.mchid,
  authorization_code: query.authorization_code,
  authorization_state: "AVAILABLE"
}

const platform = {
  1: { pem: Fixtures.platformCertificate1, serial: Fixtures.platformSerialNo1, key: FakeWechatPay.keys.platform1 },
  2: { pem: Fixtures.platformCertificate2, serial: Fixtures.platformSerialNo2, key: FakeWechatPay.keys.platform2 }
} as const

let apiV3Key: Promise<CryptoKey> | undefined
const sealed = async (pem: string, index: number) => {
  apiV3Key ??= Aead.importKey(new TextEncoder().encode(Fixtures.apiV3Key))
  const nonce = `nonce${String(index).padStart(7, "0")}`
  return {
    algorithm: "AEAD_AES_256_GCM",
    nonce,
    associated_data: "certificate",
    ciphertext: await Aead.encrypt(await apiV3Key, { plaintext: pem, nonce, associatedData: "certificate" })
  }
}

/** The `GET /v3/certificates` answer carrying `certificates`. */
const certificatesBody = (certificates: ReadonlyArray<1 | 2>) =>
  Effect.promise(async () =>
    JSON.stringify({
      data: await Promise.all(certificates.map(async (n, i) => ({
        serial_no: platform[n].serial,
        effective_time: "2020-01-01T00:00:00+08:00",
        expire_time: "2099-01-01T00:00:00+08:00",
        encrypt_certificate: await sealed(platform[n].pem, i)
      })))
    })
  )

/**
 * A WeChat Pay whose platform key can rotate: the certificates answer carries the certificates up
 * to the current one, signed with the current one's key, as is every other answer.
 */
const rotatingWechatPay = (options: { readonly downloadDelay?: string } = {}) => {
  const state = { current: 1 as 1 | 2, downloads: 0, queries: [] as Array<string | undefined> }
  const http = FakeWechatPay.layer((request) =>
    Effect.gen(function*() {
      const key = platform[state.current].key
      if (request.url.pathname === "/v3/certificates") {
        state.downloads++
        if (options.downloadDelay !== undefined) yield* Effect.sleep(options.downloadDelay as "1 second")
        const body = yield* certificatesBody(state.current === 1 ? [1] : [1, 2])
        return { body, signWith: key }
      }
      state.queries.push(request.headers["wechatpay-serial"])
      return { body: record, signWith: key }
    })
  )
  return { state, http }
}

const downloadedOptions = (overrides: Partial<WechatPay.Options> = {}): WechatPay.Options => ({
  mchid: Fixtures.mchid,
  merchantSerialNo: Fixtures.merchantSerialNo,
  merchantPrivateKey: Redacted.make(Fixtures.merchantPrivateKeyPkcs8),
  apiV3Key: Redacted.make(Fixtures.apiV3Key),
  retries: 0,
  ...overrides
})

const queryOnce = Effect.flatMap(
  Effect.service(PayScorePermissions.PayScorePermissions),
  (p) => p.queryByAuthorizationCode(query)
)

describe("downloaded platform certificates", () => {
  it.live("bootstrap: the layer downloads, trusts the certificate the answer carries, and names it in Wechatpay-Serial", () =>
    Effect.gen(function*() {
      const { http, state } = rotatingWechatPay()
      const context = yield* Layer.build(WechatPay.layer(downloadedOptions()).pipe(Layer.provide(http)))
      expect(state.downloads).toBe(1)
      const answer = yield* queryOnce.pipe(Effect.provide(context))
      expect(answer._tag).toBe("Available")
      expect(state.queries).toEqual([Fixtures.platformSerialNo1])
      const keys = yield* Effect.service(KeyStore.KeyStore).pipe(Effect.provide(context))
      expect(keys.serials).toContain(Fixtures.platformSerialNo1)
      const certificates = yield* keys.certificates
      expect(certificates.map((c) => c.serial)).toEqual([Fixtures.platformSerialNo1])
    }).pipe(Effect.scoped))

  it.live("rotation: an answer under an unknown serial brings one refresh, then verifies; old and new overlap", () =>
    Effect.gen(function*() {
      const { http, state } = rotatingWechatPay()
      const context = yield* Layer.build(WechatPay.layer(downloadedOptions()).pipe(Layer.provide(http)))
      state.current = 2
      const answer = yield* queryOnce.pipe(Effect.provide(context))
      expect(answer._tag).toBe("Available")
      expect(state.downloads).toBe(2)
      const keys = yield* Effect.service(KeyStore.KeyStore).pipe(Effect.provide(context))
      expect([...keys.serials].sort()).toEqual([Fixtures.platformSerialNo1, Fixtures.platformSerialNo2].sort())
      // the next call names the newest certificate in effect (latest notBefore / effective_time)
      yield* queryOnce.pipe(Effect.provide(context))
      const newest = [...(yield* keys.certificates)].sort((a, b) =>
        b.notBefore.epochMilliseconds - a.notBefore.epochMilliseconds
      )[0]!
      expect(state.queries.at(-1)).toBe(newest.serial)
    }).pipe(Effect.scoped))

  it.live("a refresh abandoned by its caller still finishes: the next call within the gap verifies", () =>
    Effect.gen(function*() {
      const { http, state } = rotatingWechatPay({ downloadDelay: "400 millis" })
      const context = yield* Layer.build(WechatPay.layer(downloadedOptions()).pipe(Layer.provide(http)))
      state.current = 2
      // the caller gives up while the refresh its answer triggered is under way
      const abandoned = yield* queryOnce.pipe(Effect.provide(context), Effect.timeout("100 millis"), Effect.result)
      expect(Result.isFailure(abandoned)).toBe(true)
      yield* Effect.sleep("600 millis")
      // well within the 60-second gap: no new download is allowed, the abandoned one brought the key
      const answer = yield* queryOnce.pipe(Effect.provide(context))
      expect(answer._tag).toBe("Available")
      expect(state.downloads).toBe(2)
    }).pipe(Effect.scoped))

  it.live("a first download that fails fails the layer with InvalidConfig platformCertificates, naming the cause", () =>
    Effect.gen(function*() {
      const http = FakeWechatPay.layer(() => ({ status: 403, body: { code: "NO_AUTH", message: "商户无权限" } }))
      const error = yield* Effect.flip(Layer.build(WechatPay.layer(downloadedOptions()).pipe(Layer.provide(http))))
      expect(error._tag).toBe("InvalidConfig")
      expect(error.option).toBe("platformCertificates")
      expect(error.message).toContain("NoAuth: HTTP 403 NO_AUTH")
    }).pipe(Effect.scoped))

  it.live("an answer of certificates encrypted with another APIv3 key fails the first download (DecodeError)", () =>
    Effect.gen(function*() {
      const { http } = rotatingWechatPay()
      const error = yield* Effect.flip(Layer.build(
        WechatPay.layer(downloadedOptions({ apiV3Key: Redacted.make("0".repeat(32)) })).pipe(Layer.provide(http))
      ))
      expect(error._tag).toBe("InvalidConfig")
      expect(error.option).toBe("platformCertificates")
      expect(error.message).toContain("DecodeError")
      expect(error.message).not.toContain(Fixtures.apiV3Key)
    }).pipe(Effect.scoped))
})
