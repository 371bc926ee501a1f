/**
 * The corpus of real WeChat Pay samples (test/fixtures/wechatpay), each naming its public source,
 * read through the library as WeChat Pay would deliver it:
 *
 * - every answer, served with a real signature (FakeWechatPay, the WeChat Pay public key) through
 *   the real `PayScorePermissions` method, decoded and checked field by field;
 * - every notification resource (merchant, partner, acquiring bank), encrypted with the APIv3 key,
 *   signed, read by `parse` and by `httpApp`, in both time formats (as published, and with its
 *   times rewritten to the other format: the same `DateTime.Utc`);
 * - every error answer, mapped to its typed error;
 * - every certificate list, decoded with its `effective_time` / `expire_time`.
 */
import { HttpApp } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { DateTime, Effect, Either, Logger, LogLevel, ParseResult, Redacted, Schema } from "effect"
import * as Aead from "../../src/core/aead.js"
import { SIGN_ERROR_HINT } from "../../src/core/apiError.js"
import * as Bytes from "../../src/core/bytes.js"
import * as Certificates from "../../src/core/certificates.js"
import {
  AuthorizationRecord,
  Notification,
  PayScoreNotifications,
  PayScorePermissions,
  WechatPay,
  WechatPayTime
} from "../../src/index.js"
import { FakeWechatPay, Fixtures } from "../../src/testing/index.js"
import { type CorpusSample, loadCorpus } from "../fixtures/wechatpay/corpus.js"
import { makeFake } from "../helpers/merchant.js"
import { buildNotification, notificationsLayer } from "../helpers/notifications.js"

type Json = Readonly<Record<string, unknown>>

const TIME_FIELDS = new Set([
  "cancel_authorization_time",
  "authorization_success_time",
  "openorclose_time",
  "effective_time",
  "expire_time"
])

const millisOf = (text: unknown): number => {
  const millis = WechatPayTime.parseMillis(String(text))
  if (millis === undefined) throw new Error(`not a WeChat Pay time: ${String(text)}`)
  return millis
}

/** Every field of `wire` is in `decoded`, equal (times as the same instant); `renamed` maps wire names. */
const expectFieldByField = (wire: Json, decoded: Json, renamed: Readonly<Record<string, string>> = {}) => {
  for (const [name, value] of Object.entries(wire)) {
    const field = renamed[name] ?? name
    if (TIME_FIELDS.has(name)) {
      const time = decoded[field]
      expect(DateTime.isDateTime(time), `${name} is a DateTime`).toBe(true)
      expect(DateTime.toEpochMillis(time as DateTime.DateTime), name).toBe(millisOf(value))
    } else {
      expect(decoded[field], name).toEqual(value)
    }
  }
}

const CODE = "1275342195190894594"
const BASE = { service_id: "2002000000000558128851361561536", appid: "wxd678efh567hg6787" }

/** The parameters this file calls each PayScorePermissions method with, by method name. */
const PARAMS: Readonly<Record<string, Json>> = {
  queryByAuthorizationCode: { authorization_code: CODE, service_id: BASE.service_id },
  queryPartnerByAuthorizationCode: { authorization_code: CODE, service_id: BASE.service_id, sub_mchid: "1230000109" },
  queryAcquiringBankByAuthorizationCode: {
    authorization_code: CODE,
    service_id: BASE.service_id,
    channel_id: "1230000109",
    sub_mchid: "1230000109"
  },
  queryByOpenid: { openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", ...BASE },
  queryPartnerByOpenid: {
    ...BASE,
    sub_mchid: "1230000109",
    sub_appid: "wxd678efh567hg6787",
    sub_openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"
  },
  applyPermissions: { ...BASE, authorization_code: CODE, notify_url: "https://www.weixin.com" },
  applyPartnerPermissions: { ...BASE, sub_mchid: "1230000109", authorization_code: CODE },
  applyAcquiringBankPermissions: {
    ...BASE,
    channel_id: "1230000109",
    sub_mchid: "1230000109",
    authorization_code: CODE
  },
  applyPartnerPermissionsForScene: {
    ...BASE,
    sub_mchid: "1230000109",
    authorization_code: CODE,
    scene: "TRANSACTION",
    transaction_scene_info: { mchid: "1230000109", sub_mchid: "1230000109" }
  },
  assessUserRiskLevel: { ...BASE, authorization_code: CODE, openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o" }
}

const paramsOf = (endpoint: string): Json => {
  const params = PARAMS[endpoint]
  if (params === undefined) throw new Error(`the corpus test has no parameters for ${endpoint}`)
  return params
}

/**
 * What this file reads: the PayScorePermissions methods it can call (PARAMS) and the notification
 * events PayScoreNotifications types. The corpus also holds the Pay Score service-order samples
 * (serviceorder/…), which these methods do not serve; they are left to the service-order tests, and
 * a test of "the corpus" below checks that only they are left out.
 */
const PERMISSION_EVENTS: ReadonlySet<string> = new Set([
  Notification.USER_OPEN_SERVICE,
  Notification.USER_CLOSE_SERVICE
])
const readHere = (sample: CorpusSample): boolean =>
  sample.kind === "notification-resource"
    ? PERMISSION_EVENTS.has(sample.endpoint)
    : sample.kind === "answer" || sample.kind === "error"
    ? Object.hasOwn(PARAMS, sample.endpoint)
    : sample.kind === "certificates"

const answers = loadCorpus("answer").filter(readHere)
const notifications = loadCorpus("notification-resource").filter(readHere)
const errors = loadCorpus("error").filter(readHere)
const certificateLists = loadCorpus("certificates")

describe("the corpus", () => {
  it("exists, and every sample names its source", () => {
    const all = loadCorpus()
    expect(answers.length).toBeGreaterThanOrEqual(8)
    expect(notifications.length).toBeGreaterThanOrEqual(5)
    expect(errors.length).toBeGreaterThanOrEqual(6)
    expect(certificateLists.length).toBeGreaterThanOrEqual(1)
    for (const sample of all) expect(sample.source, sample.file).toMatch(/^(https:\/\/|github |A public GitHub)/)
  })

  it("leaves out only the service-order samples (serviceorder/…) among the kinds it reads", () => {
    const leftOut = loadCorpus().filter((s) =>
      (s.kind === "answer" || s.kind === "error" || s.kind === "notification-resource") && !readHere(s)
    )
    expect(leftOut.length).toBeGreaterThan(0)
    for (const sample of leftOut) expect(sample.file, sample.endpoint).toMatch(/^serviceorder\//)
  })
})

// ---------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------

const call = (endpoint: string, params: Json) =>
  Effect.flatMap(PayScorePermissions.PayScorePermissions, (permissions) => {
    const method = (permissions as unknown as Record<string, (p: Json) => Effect.Effect<unknown, { _tag: string }>>)[
      endpoint
    ]
    if (method === undefined) throw new Error(`PayScorePermissions has no ${endpoint}`)
    return method(params)
  })

const tagOf = (state: unknown) =>
  state === "AVAILABLE"
    ? "Available"
    : state === "UNAVAILABLE"
    ? "Unavailable"
    : state === "UNBINDUSER"
    ? "UnbindUser"
    : "UnknownState"

describe("answers: served signed, through the real method, decoded field by field", () => {
  for (const sample of answers) {
    it.effect(`${sample.file} (${sample.endpoint})`, () =>
      Effect.gen(function*() {
        const wire = sample.sample as Json
        const fake = makeFake(() => ({ status: 200, body: wire }), { retries: 0 })
        const decoded =
          (yield* call(sample.endpoint, paramsOf(sample.endpoint)).pipe(Effect.provide(fake.layer))) as Json
        expect(fake.received).toHaveLength(1)
        expectFieldByField(wire, decoded)
        if ("authorization_state" in wire) expect(decoded._tag).toBe(tagOf(wire.authorization_state))
        // nothing invented: every decoded field is on the wire
        for (const name of Object.keys(decoded)) if (name !== "_tag") expect(wire, name).toHaveProperty(name)
      }))
  }

  it.effect("the same record with its times in the compact format decodes to the same instants", () =>
    Effect.gen(function*() {
      const wire = answers.find((s) => s.endpoint === "queryByAuthorizationCode")!.sample as Json
      const compact = {
        ...wire,
        authorization_success_time: "20150520132935",
        cancel_authorization_time: "20150520132935"
      }
      const fake = makeFake(() => ({ status: 200, body: compact }), { retries: 0 })
      const decoded = (yield* call("queryByAuthorizationCode", paramsOf("queryByAuthorizationCode")).pipe(
        Effect.provide(fake.layer)
      )) as Json
      expect(DateTime.toEpochMillis(decoded.authorization_success_time as DateTime.Utc)).toBe(
        Date.parse("2015-05-20T13:29:35+08:00")
      )
    }))

  it.effect("a time in neither format is a DecodeError that names the formats", () =>
    Effect.gen(function*() {
      const wire = answers.find((s) => s.endpoint === "queryByAuthorizationCode")!.sample as Json
      const fake = makeFake(
        () => ({ status: 200, body: { ...wire, authorization_success_time: "2015-05-20 13:29:35" } }),
        {
          retries: 0
        }
      )
      const error = yield* Effect.flip(
        call("queryByAuthorizationCode", paramsOf("queryByAuthorizationCode")).pipe(Effect.provide(fake.layer))
      )
      expect(error._tag).toBe("DecodeError")
      // the schema's own message names both formats
      const direct = Schema.decodeUnknownEither(AuthorizationRecord.AuthorizationRecord)({
        ...wire,
        authorization_success_time: "2015-05-20 13:29:35"
      })
      if (Either.isRight(direct)) throw new Error("decoded a time without an offset")
      expect(ParseResult.TreeFormatter.formatErrorSync(direct.left)).toContain(
        "RFC 3339 with an offset (2015-05-20T13:29:35+08:00) or yyyyMMddHHmmss in China Standard Time"
      )
    }))
})

// ---------------------------------------------------------------------------------------------
// Notifications
// ---------------------------------------------------------------------------------------------

/** The resource with its openorclose_time written in the other documented format. */
const otherTimeFormat = (resource: Json): Json | undefined => {
  const time = resource.openorclose_time
  if (typeof time !== "string") return undefined
  const instant = DateTime.unsafeMake(millisOf(time))
  return {
    ...resource,
    openorclose_time: /^\d{14}$/.test(time)
      ? WechatPayTime.formatRfc3339(instant)
      : WechatPayTime.formatCompact(instant)
  }
}

/** Samples whose resource is not the documented one: they must reach the handler as UndecodableEvent. */
const undecodable = (sample: CorpusSample) => sample.file.includes("undecodable")

const now = () => Math.floor(Date.now() / 1000)

const webHandler = () => {
  const calls: Array<Notification.Notification> = []
  const app = PayScoreNotifications.httpApp((notification) => Effect.sync(() => void calls.push(notification)))
  const { dispose, handler } = HttpApp.toWebHandlerLayer(
    app.pipe(Logger.withMinimumLogLevel(LogLevel.None)),
    notificationsLayer()
  )
  return { calls, dispose, handler }
}

const post = (body: string, headers: Record<string, string>) =>
  new Request("http://merchant.example/notify", { method: "POST", body, headers })

const parse = (input: PayScoreNotifications.RawNotification) =>
  Effect.flatMap(PayScoreNotifications.PayScoreNotifications, (n) => n.parse(input)).pipe(
    Effect.provide(notificationsLayer()),
    Logger.withMinimumLogLevel(LogLevel.None)
  )

const expectResource = (wire: Json, notification: Notification.Notification) => {
  if (notification._tag !== "UserOpenService" && notification._tag !== "UserCloseService") {
    throw new Error(`expected a typed notification, got ${notification._tag}`)
  }
  const resource = notification.resource as unknown as Json
  expectFieldByField(wire, resource, { mch_id: "mchid", sub_mch_id: "sub_mchid" })
}

describe("notification resources: encrypted, signed, read by parse and by httpApp", () => {
  for (const sample of notifications) {
    const published = sample.sample as Json
    const variants = [{ name: "as published", resource: published }]
    const other = otherTimeFormat(published)
    if (other !== undefined) variants.push({ name: "times in the other format", resource: other })
    for (const { name, resource } of variants) {
      it.live(`${sample.file} (${sample.endpoint}), ${name}`, () =>
        Effect.gen(function*() {
          const built = yield* buildNotification({
            timestamp: now(),
            eventType: sample.endpoint,
            plaintext: JSON.stringify(resource),
            associatedData: "payscore",
            originalType: "payscore"
          })
          const parsed = yield* parse(built)
          const expectedTag = undecodable(sample)
            ? "UndecodableEvent"
            : sample.endpoint === Notification.USER_OPEN_SERVICE
            ? "UserOpenService"
            : "UserCloseService"
          expect(parsed._tag).toBe(expectedTag)
          if (parsed._tag === "UndecodableEvent") {
            expect(parsed.resource).toEqual(resource)
            expect(parsed.message.length).toBeGreaterThan(0)
          } else {
            expectResource(resource, parsed)
            const time = parsed._tag === "UserOpenService" || parsed._tag === "UserCloseService"
              ? parsed.resource.openorclose_time
              : undefined
            if (other !== undefined) {
              // both formats: the same instant
              expect(time && DateTime.toEpochMillis(time)).toBe(millisOf(published.openorclose_time))
            }
          }

          const { calls, dispose, handler } = webHandler()
          const response = yield* Effect.promise(() => handler(post(built.body, built.headers)))
          expect(response.status).toBe(204)
          expect(calls.map((n) => n._tag)).toEqual([expectedTag])
          yield* Effect.promise(dispose)
        }))
    }
  }

  it.live("a real-shaped notification (openorclose_time 20200328150729, no user_service_status) reaches the handler typed: 204; forged or tampered: 401", () =>
    Effect.gen(function*() {
      const production = notifications.find((s) => s.file.includes("production"))!.sample as Json
      const { user_service_status: _, ...withoutStatus } = production
      const built = yield* buildNotification({
        timestamp: now(),
        plaintext: JSON.stringify(withoutStatus),
        associatedData: "payscore"
      })
      const { calls, dispose, handler } = webHandler()
      expect((yield* Effect.promise(() => handler(post(built.body, built.headers)))).status).toBe(204)
      const [received] = calls
      if (received?._tag !== "UserOpenService") throw new Error(`expected UserOpenService, got ${received?._tag}`)
      expect(received.resource.user_service_status).toBeUndefined()
      expect(DateTime.formatIso(received.resource.openorclose_time!)).toBe("2020-03-28T07:07:29.000Z")
      expect(received.resource.mchid).toBe("1579088781")

      const forged = yield* buildNotification({
        timestamp: now(),
        plaintext: JSON.stringify(withoutStatus),
        key: { privateKey: Fixtures.strangerPrivateKey, serial: Fixtures.wechatpayPublicKeyId }
      })
      expect((yield* Effect.promise(() => handler(post(forged.body, forged.headers)))).status).toBe(401)
      const tampered = built.body.replace("签约成功", "解约成功")
      expect(tampered).not.toBe(built.body)
      expect((yield* Effect.promise(() => handler(post(tampered, built.headers)))).status).toBe(401)
      // an undecodable resource is acknowledged only when its signature holds
      const undecodableSample = notifications.find(undecodable)!.sample as Json
      const forgedUndecodable = yield* buildNotification({
        timestamp: now(),
        plaintext: JSON.stringify(undecodableSample),
        key: { privateKey: Fixtures.strangerPrivateKey, serial: Fixtures.wechatpayPublicKeyId }
      })
      expect((yield* Effect.promise(() => handler(post(forgedUndecodable.body, forgedUndecodable.headers)))).status)
        .toBe(401)
      expect(calls).toHaveLength(1)
      yield* Effect.promise(dispose)
    }))
})

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/** The documented mapping (README, "Errors"): status and code → the typed error. */
const expectedErrorTag = (status: number, code: string): string =>
  status === 400 && code === "PARAM_ERROR"
    ? "ParamError"
    : status === 400 && code === "INVALID_REQUEST"
    ? "InvalidRequest"
    : status === 401 && code === "SIGN_ERROR"
    ? "SignError"
    : status === 403 && code === "NO_AUTH"
    ? "NoAuth"
    : status === 404
    ? "NotFound"
    : status === 429
    ? "FrequencyLimited"
    : status >= 500
    ? "SystemError"
    : "ApiError"

describe("error answers: each documented code mapped to its typed error", () => {
  for (const sample of errors) {
    it.effect(`${sample.file} (${sample.endpoint})`, () =>
      Effect.gen(function*() {
        const { body, status } = sample.sample as { status: number; body: { code: string; message: string } & Json }
        const fake = makeFake(() => ({ status, body }), { retries: 0 })
        const error = (yield* Effect.flip(
          call(sample.endpoint, paramsOf(sample.endpoint)).pipe(Effect.provide(fake.layer))
        )) as unknown as Json & { _tag: string }
        expect(error._tag).toBe(expectedErrorTag(status, body.code))
        expect(error.status).toBe(status)
        expect(error.code).toBe(body.code)
        // a 401 SIGN_ERROR keeps WeChat Pay's text and adds the likely local causes
        expect(error.message).toBe(`${body.message}${body.code === "SIGN_ERROR" ? SIGN_ERROR_HINT : ""}`)
        if (body.detail !== undefined) expect(error.detail).toEqual(body.detail)
        expect(error.requestId).toBeDefined()
      }))
  }
})

// ---------------------------------------------------------------------------------------------
// Certificates
// ---------------------------------------------------------------------------------------------

describe("certificate lists: decoded with effective_time and expire_time", () => {
  for (const sample of certificateLists) {
    it(`${sample.file}`, () => {
      const wire = sample.sample as { data: ReadonlyArray<Json> }
      const decoded = Certificates.parseAnswer(JSON.stringify(wire))
      if (Certificates.isCertificatesProblem(decoded)) throw new Error(decoded.message)
      expect(decoded).toHaveLength(wire.data.length)
      decoded.forEach((entry, i) => {
        expect(entry.serial_no).toBe(wire.data[i]!.serial_no)
        expect(millisOf(entry.effective_time!)).toBe(millisOf(wire.data[i]!.effective_time))
        expect(millisOf(entry.expire_time!)).toBe(millisOf(wire.data[i]!.expire_time))
      })
    })
  }
})

// ---------------------------------------------------------------------------------------------
// expire_time in the past
// ---------------------------------------------------------------------------------------------

describe("GET /v3/certificates: expire_time honoured", () => {
  it.live("a certificate listed with expire_time in the past verifies nothing; Wechatpay-Serial names the one in use", () =>
    Effect.gen(function*() {
      const aes = yield* Effect.promise(() => Aead.importKey(Bytes.utf8(Fixtures.apiV3Key)))
      const entry = (pem: string, serial: string, effective: string, expire: string) =>
        Effect.promise(async () => ({
          serial_no: serial,
          effective_time: effective,
          expire_time: expire,
          encrypt_certificate: {
            algorithm: "AEAD_AES_256_GCM",
            associated_data: "certificate",
            nonce: "61f9c719728a",
            ciphertext: await Aead.encrypt(aes, {
              plaintext: pem,
              nonce: "61f9c719728a",
              associatedData: "certificate"
            })
          }
        }))
      const retired = yield* entry(
        Fixtures.platformCertificate1,
        Fixtures.platformSerialNo1,
        "2020-06-08T10:34:56+08:00",
        "2025-01-01T00:00:00+08:00"
      )
      const current = yield* entry(
        Fixtures.platformCertificate2,
        Fixtures.platformSerialNo2,
        "2024-12-01T00:00:00+08:00",
        "20991231235959"
      )
      const key1 = { privateKey: Fixtures.platformPrivateKey1, serial: Fixtures.platformSerialNo1 }
      const key2 = { privateKey: Fixtures.platformPrivateKey2, serial: Fixtures.platformSerialNo2 }
      const record = answers.find((s) => s.endpoint === "queryByAuthorizationCode")!.sample
      let signWith: FakeWechatPay.SigningKey = key2
      const fake = makeFake(
        (request) =>
          request.url.pathname === "/v3/certificates"
            ? { status: 200, body: { data: [retired, current] }, signWith: key2 }
            : { status: 200, body: record, signWith },
        {
          wechatpayPublicKey: undefined,
          platformCertificates: "auto",
          apiV3Key: Redacted.make(Fixtures.apiV3Key),
          retries: 0
        } satisfies Partial<WechatPay.Options>
      )
      yield* Effect.scoped(
        Effect.gen(function*() {
          const query = call("queryByAuthorizationCode", paramsOf("queryByAuthorizationCode"))
          const ok = yield* Effect.either(query)
          expect(Either.isRight(ok)).toBe(true)
          const sent = fake.received.find((r) => r.url.pathname.startsWith("/v3/payscore"))!
          expect(sent.headers["wechatpay-serial"]).toBe(Fixtures.platformSerialNo2)

          signWith = key1
          const refused = yield* Effect.flip(query)
          expect(refused._tag).toBe("VerificationError")
        }).pipe(Effect.provide(fake.layer))
      )
    }))
})
