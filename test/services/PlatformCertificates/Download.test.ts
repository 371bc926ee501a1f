/**
 * Downloaded platform certificates against the sandbox over real HTTP (`FetchHttpClient.layer`):
 * trust bootstrap, rotation (one refresh), a storm of unknown-serial answers (one download), failed
 * refreshes keeping the old keys, the scheduled refresh and its scope, public key + downloaded
 * certificates side by side, and first downloads that fail the layer with `InvalidConfig`.
 */
import { FetchHttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Exit, Layer, Logger, LogLevel, Option, Redacted, Scope, TestClock } from "effect"
import { KeyStore, PayScorePermissions, WechatPay } from "../../../src/index.js"
import { Fixtures, Sandbox } from "../../../src/testing/index.js"

const CODE = "1234323JKHDFE1243252"
const SERVICE_ID = "500001"
const merchantQuery = { authorization_code: CODE, service_id: SERVICE_ID }
const CERTIFICATES = "/v3/certificates"

/** Client overrides for downloaded certificates only: no verifier, only the APIv3 key. */
const downloadOnly: Partial<WechatPay.Options> = {
  wechatpayPublicKey: undefined,
  platformCertificates: undefined,
  retries: 0,
  timeout: "3 seconds"
}

/** A started sandbox with a record to query. */
const startSandbox = (options: Sandbox.Options = {}) =>
  Effect.tap(Sandbox.make(options), (sandbox) =>
    sandbox.seed(
      Sandbox.Seed.Merchant({ ...merchantQuery, record: { authorization_state: "AVAILABLE" } })
    ))

/** The whole WechatPay layer pointed at `sandbox`, built in the current scope. */
const buildClient = (sandbox: Sandbox.Sandbox.Service, overrides: Partial<WechatPay.Options> = downloadOnly) =>
  Layer.build(
    WechatPay.layer(Sandbox.wechatPayOptions(sandbox, overrides)).pipe(Layer.provide(FetchHttpClient.layer))
  )

type Client = Context.Context<WechatPay.Services>

const query = (client: Client) =>
  Effect.flatMap(
    PayScorePermissions.PayScorePermissions,
    (permissions) => permissions.queryByAuthorizationCode(merchantQuery)
  ).pipe(Effect.provide(client))

const keyStoreOf = (client: Client) => Context.get(client, KeyStore.KeyStore)

const downloads = (sandbox: Sandbox.Sandbox.Service) =>
  Effect.map(sandbox.requests, (requests) => requests.filter((r) => r.url === CERTIFICATES))

/** Waits in real time (the TestClock does not move on its own). */
const realSleep = (millis: number) => Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, millis)))

/** Polls `condition` in real time, up to `millis`. */
const eventually = (condition: Effect.Effect<boolean>, millis = 3000) =>
  Effect.gen(function*() {
    const deadline = Date.now() + millis
    while (!(yield* condition)) {
      if (Date.now() > deadline) return false
      yield* realSleep(20)
    }
    return true
  })

/** Every log line, with its level and annotations, while `effect` runs. */
const captureLogs = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const lines: Array<{ level: LogLevel.LogLevel; text: string }> = []
    const logger = Logger.make(({ annotations, logLevel, message }) => {
      lines.push({ level: logLevel, text: JSON.stringify({ message, annotations: [...annotations] }) })
    })
    const result = yield* effect.pipe(Effect.provide(Logger.replace(Logger.defaultLogger, logger)))
    return { result, lines }
  })

const secrets = [
  Fixtures.apiV3Key,
  Fixtures.merchantPrivateKeyPkcs8.split("\n")[1]!,
  Fixtures.platformPrivateKey1.split("\n")[1]!,
  "WECHATPAY2-SHA256-RSA2048"
]

describe("downloaded platform certificates (sandbox, real HTTP)", () => {
  it.scopedLive("first download bootstraps trust: a query verifies with only apiV3Key configured", () =>
    Effect.gen(function*() {
      const sandbox = yield* startSandbox()
      const client = yield* buildClient(sandbox)
      const record = yield* query(client)
      expect(record._tag).toBe("Available")

      const requests = yield* sandbox.requests
      expect(requests.map((r) => r.url)).toEqual([
        CERTIFICATES,
        `/v3/payscore/permissions/authorization-code/${CODE}?service_id=${SERVICE_ID}`
      ])
      const [download, answered] = requests
      // signed like any request, with Accept and User-Agent; no Wechatpay-Serial before any key is known
      expect(download!.status).toBe(200)
      expect(download!.signatureVerified).toBe(true)
      expect(download!.headers["accept"]).toBe("application/json")
      expect(download!.headers["user-agent"]).toMatch(/^effect-wechatpay\//)
      expect(download!.headers["wechatpay-serial"]).toBeUndefined()
      const body = JSON.parse(download!.answer!.body) as {
        data: ReadonlyArray<{ serial_no: string; encrypt_certificate: { algorithm: string; associated_data: string } }>
      }
      expect(body.data.map((c) => c.serial_no).sort()).toEqual(
        [Fixtures.platformSerialNo1, Fixtures.platformSerialNo2].sort()
      )
      expect(body.data.every((c) => c.encrypt_certificate.algorithm === "AEAD_AES_256_GCM")).toBe(true)
      // the answer is signed with a certificate it carries
      expect([Fixtures.platformSerialNo1, Fixtures.platformSerialNo2]).toContain(
        download!.answer!.headers["wechatpay-serial"]
      )

      const keyStore = keyStoreOf(client)
      expect([...keyStore.serials].sort()).toEqual([Fixtures.platformSerialNo1, Fixtures.platformSerialNo2].sort())
      expect(answered!.headers["wechatpay-serial"]).toBe(keyStore.wechatpaySerial)
      const certificates = yield* keyStore.certificates
      expect(certificates.map((c) => c.serial).sort()).toEqual(
        [Fixtures.platformSerialNo1, Fixtures.platformSerialNo2].sort()
      )
      expect((yield* downloads(sandbox)).length).toBe(1)
    }))

  it.scopedLive('platformCertificates: "auto" next to configured options downloads too', () =>
    Effect.gen(function*() {
      const sandbox = yield* startSandbox({ wechatpayPublicKey: false })
      const client = yield* buildClient(sandbox, { platformCertificates: "auto", retries: 0 })
      expect((yield* query(client))._tag).toBe("Available")
      expect((yield* downloads(sandbox)).length).toBe(1)
    }))

  it.scopedLive("a rotation: the next answer carries a new serial and verifies after exactly one refresh", () =>
    Effect.gen(function*() {
      const sandbox = yield* startSandbox()
      const client = yield* buildClient(sandbox)
      const keyStore = keyStoreOf(client)
      const before = keyStore.wechatpaySerial
      expect((yield* query(client))._tag).toBe("Available")

      const serial = yield* sandbox.rotatePlatformCertificate()
      expect(serial).toBe(Fixtures.platformSerialNo3)
      yield* sandbox.clearRequests
      expect((yield* query(client))._tag).toBe("Available")

      const requests = yield* sandbox.requests
      expect(requests.map((r) => r.url)[1]).toBe(CERTIFICATES)
      expect(requests).toHaveLength(2)
      // the query named the old certificate; the answer came signed with the new one
      expect(requests[0]!.headers["wechatpay-serial"]).toBe(before)
      expect(requests[0]!.answer!.headers["wechatpay-serial"]).toBe(Fixtures.platformSerialNo3)
      // the refresh named the certificate then in use
      expect(requests[1]!.headers["wechatpay-serial"]).toBe(before)

      // old and new overlap; the newest is sent from now on, with no more downloads
      expect([...keyStore.serials].sort()).toEqual(
        [Fixtures.platformSerialNo1, Fixtures.platformSerialNo2, Fixtures.platformSerialNo3].sort()
      )
      expect(keyStore.wechatpaySerial).toBe(Fixtures.platformSerialNo3)
      yield* sandbox.clearRequests
      expect((yield* query(client))._tag).toBe("Available")
      const after = yield* sandbox.requests
      expect(after).toHaveLength(1)
      expect(after[0]!.headers["wechatpay-serial"]).toBe(Fixtures.platformSerialNo3)
      // the old certificates still verify (an answer in flight during the rotation)
      expect(Option.isSome(yield* keyStore.verifyingKey(Fixtures.platformSerialNo1))).toBe(true)
    }))

  it.scopedLive("a storm of 50 concurrent unknown-serial answers right after a rotation causes one download", () =>
    Effect.gen(function*() {
      const sandbox = yield* startSandbox()
      const client = yield* buildClient(sandbox)
      yield* sandbox.rotatePlatformCertificate()
      yield* sandbox.clearRequests
      const records = yield* Effect.all(Array.from({ length: 50 }, () => query(client)), { concurrency: "unbounded" })
      expect(records.every((r) => r._tag === "Available")).toBe(true)
      expect((yield* downloads(sandbox)).length).toBe(1)
      expect((yield* sandbox.requests).length).toBe(51)
    }))

  it.scopedLive("a failed refresh (a 500, a tampered answer) keeps the old keys: old answers still verify", () =>
    Effect.gen(function*() {
      const sandbox = yield* startSandbox()
      const client = yield* buildClient(sandbox)
      const keyStore = keyStoreOf(client)
      const serials = [...keyStore.serials].sort()

      yield* sandbox.injectFault(Sandbox.Fault.Status({ status: 500 }))
      const systemError = yield* Effect.flip(keyStore.refresh)
      expect(systemError._tag).toBe("SystemError")
      expect([...keyStore.serials].sort()).toEqual(serials)
      expect((yield* query(client))._tag).toBe("Available")

      yield* sandbox.injectFault(Sandbox.Fault.TamperedBody({}))
      const tampered = yield* Effect.flip(keyStore.refresh)
      expect(tampered._tag).toBe("VerificationError")
      expect(tampered._tag === "VerificationError" && tampered.reason).toBe("BadSignature")
      expect([...keyStore.serials].sort()).toEqual(serials)
      expect((yield* query(client))._tag).toBe("Available")

      // a refresh that works afterwards
      yield* keyStore.refresh
      expect((yield* downloads(sandbox)).length).toBe(4)
    }))

  it.scopedLive("an unknown serial whose refresh fails: UnknownSerial, logged at Warning without secrets, rate limited", () =>
    Effect.gen(function*() {
      const sandbox = yield* startSandbox()
      const client = yield* buildClient(sandbox, { ...downloadOnly, certificateRefreshMinGap: "400 millis" })
      const keyStore = keyStoreOf(client)
      const serial = yield* sandbox.rotatePlatformCertificate()
      yield* sandbox.clearRequests

      yield* sandbox.injectFault(Sandbox.Fault.Status({ status: 503 }))
      const { lines, result } = yield* captureLogs(keyStore.verifyingKey(serial))
      expect(Option.isNone(result)).toBe(true)
      const warnings = lines.filter((l) => l.level === LogLevel.Warning)
      expect(warnings).toHaveLength(1)
      expect(warnings[0]!.text).toMatch(/refresh failed/)
      expect(warnings[0]!.text).toMatch(/SystemError: HTTP 503/)
      for (const secret of secrets) expect(warnings[0]!.text).not.toContain(secret)
      // the old keys are still there
      expect(Option.isSome(yield* keyStore.verifyingKey(Fixtures.platformSerialNo1))).toBe(true)

      // within the gap: no second download
      expect(Option.isNone(yield* keyStore.verifyingKey(serial))).toBe(true)
      expect((yield* downloads(sandbox)).length).toBe(1)
      // a junk serial (not a certificate serial) never triggers a download
      expect(Option.isNone(yield* keyStore.verifyingKey("PUB_KEY_ID_NOT_MINE"))).toBe(true)
      expect((yield* downloads(sandbox)).length).toBe(1)

      // after the gap, the next unknown-serial answer refreshes and verifies
      yield* realSleep(450)
      expect((yield* query(client))._tag).toBe("Available")
      expect((yield* downloads(sandbox)).length).toBe(2)
    }))

  it.scoped("the scheduled refresh runs every 12 hours by default and stops with the layer's scope", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.now())
      const sandbox = yield* startSandbox()
      const scope = yield* Scope.make()
      const client = yield* Scope.extend(buildClient(sandbox), scope)
      expect((yield* downloads(sandbox)).length).toBe(1)

      yield* TestClock.adjust("719 minutes")
      yield* realSleep(150)
      expect((yield* downloads(sandbox)).length).toBe(1)
      yield* TestClock.adjust("1 minute")
      expect(yield* eventually(Effect.map(downloads(sandbox), (d) => d.length === 2))).toBe(true)
      // a rotation is picked up by the schedule alone
      yield* sandbox.rotatePlatformCertificate()
      yield* TestClock.adjust("12 hours")
      expect(yield* eventually(Effect.map(downloads(sandbox), (d) => d.length === 3))).toBe(true)
      expect(
        yield* eventually(Effect.sync(() => keyStoreOf(client).wechatpaySerial === Fixtures.platformSerialNo3))
      ).toBe(true)

      yield* Scope.close(scope, Exit.void)
      yield* TestClock.adjust("48 hours")
      yield* realSleep(200)
      expect((yield* downloads(sandbox)).length).toBe(3)
    }))

  it.scopedLive("a short certificateRefreshInterval refreshes in real time; a failing schedule keeps the keys", () =>
    Effect.gen(function*() {
      const sandbox = yield* startSandbox()
      const client = yield* buildClient(sandbox, { ...downloadOnly, certificateRefreshInterval: "150 millis" })
      yield* sandbox.injectFault(Sandbox.Fault.GatewayHtml({}), { times: 2 })
      expect(yield* eventually(Effect.map(downloads(sandbox), (d) => d.length >= 4))).toBe(true)
      expect([...keyStoreOf(client).serials].sort()).toEqual(
        [Fixtures.platformSerialNo1, Fixtures.platformSerialNo2].sort()
      )
      expect((yield* query(client))._tag).toBe("Available")
    }))

  it.scopedLive("public key and downloaded certificates side by side", () =>
    Effect.gen(function*() {
      const sandbox = yield* startSandbox()
      // the sandbox's options carry its public key; ask for downloaded certificates next to it
      const client = yield* buildClient(sandbox, { platformCertificates: "auto", retries: 0 })
      const keyStore = keyStoreOf(client)
      expect(keyStore.wechatpaySerial).toBe(Fixtures.wechatpayPublicKeyId)
      expect([...keyStore.serials].sort()).toEqual(
        [Fixtures.wechatpayPublicKeyId, Fixtures.platformSerialNo1, Fixtures.platformSerialNo2].sort()
      )
      const [download] = yield* downloads(sandbox)
      expect(download!.headers["wechatpay-serial"]).toBe(Fixtures.wechatpayPublicKeyId)
      // answers named by the public key id are signed with the public key, and verify
      expect((yield* query(client))._tag).toBe("Available")
      const answered = (yield* sandbox.requests).at(-1)!
      expect(answered.answer!.headers["wechatpay-serial"]).toBe(Fixtures.wechatpayPublicKeyId)

      // a rotation: the public key stays the one sent; an answer signed by the new certificate
      // (a notification, say) refreshes and verifies
      yield* sandbox.rotatePlatformCertificate()
      expect((yield* query(client))._tag).toBe("Available")
      expect((yield* downloads(sandbox)).length).toBe(1)
      expect(Option.isSome(yield* keyStore.verifyingKey(Fixtures.platformSerialNo3))).toBe(true)
      expect((yield* downloads(sandbox)).length).toBe(2)
      expect(keyStore.wechatpaySerial).toBe(Fixtures.wechatpayPublicKeyId)
    }))
})

describe("a first download that fails fails the layer with InvalidConfig platformCertificates", () => {
  const layerError = (sandbox: Sandbox.Sandbox.Service, overrides: Partial<WechatPay.Options>) =>
    Effect.flip(buildClient(sandbox, overrides))

  it.scopedLive("public-key-only account: 404 RESOURCE_NOT_EXISTS, WeChat Pay's message kept", () =>
    Effect.gen(function*() {
      const sandbox = yield* startSandbox({ platformCertificates: [] })
      const error = yield* layerError(sandbox, { platformCertificates: "auto", retries: 0 })
      expect(error._tag).toBe("InvalidConfig")
      expect(error.option).toBe("platformCertificates")
      expect(error.message).toMatch(/NotFound: HTTP 404 RESOURCE_NOT_EXISTS: 无可用的平台证书/)
      const [download] = yield* downloads(sandbox)
      expect(download!.code).toBe("RESOURCE_NOT_EXISTS")
      // the same account works with its public key alone
      const client = yield* buildClient(sandbox, { retries: 0 })
      expect((yield* query(client))._tag).toBe("Available")
    }))

  it.scopedLive("another APIv3 key: the certificates do not decrypt", () =>
    Effect.gen(function*() {
      const sandbox = yield* startSandbox()
      const error = yield* layerError(sandbox, { ...downloadOnly, apiV3Key: Redacted.make("0".repeat(32)) })
      expect(error.option).toBe("platformCertificates")
      expect(error.message).toMatch(/DecodeError: the certificate [0-9A-F]+ does not decrypt with the APIv3 key/)
      expect(error.message).not.toContain(Fixtures.apiV3Key)
    }))

  it.scopedLive("a tampered answer, a wrong signing key, a missing signature header: VerificationError", () =>
    Effect.gen(function*() {
      const sandbox = yield* startSandbox()
      const faults = [
        [Sandbox.Fault.TamperedBody({}), /BadSignature|does not hold/],
        [Sandbox.Fault.WrongKey({}), /does not hold/],
        [Sandbox.Fault.MissingHeader({}), /lacks one of/],
        [Sandbox.Fault.ClockSkew({}), /too far from the local clock/]
      ] as const
      for (const [fault, message] of faults) {
        yield* sandbox.injectFault(fault)
        const error = yield* layerError(sandbox, downloadOnly)
        expect(error.option).toBe("platformCertificates")
        expect(error.message).toMatch(/VerificationError/)
        expect(error.message).toMatch(message)
      }
    }))

  it.scopedLive("a transport failure and a 5xx after the retry budget", () =>
    Effect.gen(function*() {
      const sandbox = yield* startSandbox()
      yield* sandbox.injectFault(Sandbox.Fault.ConnectionReset())
      const reset = yield* layerError(sandbox, downloadOnly)
      expect(reset.message).toMatch(/from \/v3\/certificates \(TransportError: sent, but /)
      yield* sandbox.injectFault(Sandbox.Fault.Status({ status: 503 }), { times: 2 })
      const unavailable = yield* layerError(sandbox, { ...downloadOnly, retries: 1, retryBaseDelay: "10 millis" })
      expect(unavailable.message).toMatch(/SystemError: HTTP 503/)
      // a third attempt would have worked: retries: 2 builds
      yield* sandbox.injectFault(Sandbox.Fault.Status({ status: 503 }), { times: 2 })
      const client = yield* buildClient(sandbox, { ...downloadOnly, retries: 2, retryBaseDelay: "10 millis" })
      expect((yield* query(client))._tag).toBe("Available")
    }))

  it.effect('KeyStore.make cannot download; "auto" needs an apiV3Key; bad refresh options are named', () =>
    Effect.gen(function*() {
      const base: KeyStore.Options = {
        mchid: Fixtures.mchid,
        merchantSerialNo: Fixtures.merchantSerialNo,
        merchantPrivateKey: Redacted.make(Fixtures.merchantPrivateKeyPkcs8),
        apiV3Key: Redacted.make(Fixtures.apiV3Key)
      }
      const noClient = yield* Effect.flip(KeyStore.make(base))
      expect(noClient.option).toBe("platformCertificates")
      expect(noClient.message).toMatch(/needs an HttpClient/)
      const { apiV3Key: _, ...withoutKey } = base
      const noKey = yield* Effect.flip(KeyStore.make({ ...withoutKey, platformCertificates: "auto" }))
      expect(noKey.option).toBe("apiV3Key")
      for (const option of ["certificateRefreshInterval", "certificateRefreshMinGap"] as const) {
        const error = yield* Effect.flip(
          Effect.scoped(KeyStore.makeAuto({ ...base, [option]: "0 millis" })).pipe(
            Effect.provide(FetchHttpClient.layer)
          )
        )
        expect(error.option).toBe(option)
      }
      // configured keys: makeAuto is make, and refresh is a no-op
      const configured = yield* Effect.scoped(
        KeyStore.makeAuto({ ...base, platformCertificates: [Fixtures.platformCertificate1] })
      ).pipe(Effect.provide(FetchHttpClient.layer))
      expect(configured.serials).toEqual([Fixtures.platformSerialNo1])
      yield* configured.refresh
      expect((yield* configured.certificates).map((c) => c.serial)).toEqual([Fixtures.platformSerialNo1])
    }))
})
