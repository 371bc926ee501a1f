/**
 * PayScoreNotifications.parse without HTTP: the official SDKs' vectors (AEAD_AES_256_GCM from
 * wechatpay-java, a notification signature from wechatpay-go at its pinned time), open, close and
 * unknown events, the 5-minute window to the second, serial routing, SIGNTEST, and every refusal.
 */
import { describe, expect, it } from "@effect/vitest"
import { Cause, DateTime, Effect, Exit, Layer, Option, Redacted, Result } from "effect"
import { TestClock } from "effect/testing"
import { X509Certificate } from "node:crypto"
import { Notification, PayScoreNotifications, WechatPay, WechatPayError } from "../../../src/index.js"
import { FakeWechatPay, Fixtures } from "../../../src/testing/index.js"
import {
  buildNotification,
  notificationsLayer,
  OPENID,
  resourceOf,
  SERVICE_ID,
  vectorFile,
  vectors
} from "../../helpers/notifications.js"

const Notifications = PayScoreNotifications.PayScoreNotifications
const NOW = 1_779_254_975 // seconds: 2026-05-20T05:29:35Z

const parse = (input: PayScoreNotifications.RawNotification) => Effect.flatMap(Notifications, (n) => n.parse(input))

const parseError = (input: PayScoreNotifications.RawNotification) => Effect.flip(parse(input))

// ---------------------------------------------------------------------------------------------
// AEAD_AES_256_GCM vector (wechatpay-java AeadAesCipherTest)
// ---------------------------------------------------------------------------------------------

describe("AEAD_AES_256_GCM vector", () => {
  const aead = vectors.aead_aes_256_gcm
  const layer = notificationsLayer({ apiV3Key: Redacted.make(aead.key) })
  const resource = {
    algorithm: "AEAD_AES_256_GCM",
    ciphertext: aead.ciphertext_base64,
    nonce: aead.nonce,
    associated_data: aead.associated_data
  }
  const decrypt = (r: typeof resource) => Effect.flatMap(Notifications, (n) => n.decrypt(r))

  /** The ciphertext with one bit of byte `index` (negative: from the end) flipped. */
  const flip = (index: number) => {
    const bytes = Buffer.from(aead.ciphertext_base64, "base64")
    bytes[index < 0 ? bytes.length + index : index]! ^= 0x01
    return bytes.toString("base64")
  }

  it.effect("decrypts the vector through the library's decryption", () =>
    Effect.gen(function*() {
      expect(yield* decrypt(resource)).toBe(aead.plaintext)
    }).pipe(Effect.provide(layer)))

  it.effect("fails with a changed associated_data, nonce, tag or ciphertext, as AuthenticationFailed", () =>
    Effect.gen(function*() {
      for (
        const changed of [
          { ...resource, associated_data: "associatedDatA" },
          { ...resource, associated_data: "" },
          { ...resource, nonce: "uluk4a9R25RX" },
          { ...resource, ciphertext: flip(-1) }, // the tag
          { ...resource, ciphertext: flip(0) } // the encrypted message
        ]
      ) {
        const error = yield* Effect.flip(decrypt(changed))
        expect(error).toBeInstanceOf(WechatPayError.DecryptionError)
        expect(error._tag === "DecryptionError" && error.reason).toBe("AuthenticationFailed")
        expect(error.message).not.toContain(aead.plaintext)
        expect(error.message).not.toContain(aead.key)
      }
    }).pipe(Effect.provide(layer)))

  it.effect("fails with another APIv3 key", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(decrypt(resource))
      expect(error._tag === "DecryptionError" && error.reason).toBe("AuthenticationFailed")
    }).pipe(Effect.provide(notificationsLayer())))

  it.effect("names a malformed ciphertext and another algorithm", () =>
    Effect.gen(function*() {
      const reasons = []
      for (
        const changed of [
          { ...resource, ciphertext: "not base64!" },
          { ...resource, ciphertext: Buffer.alloc(15).toString("base64") },
          { ...resource, algorithm: "AEAD_AES_128_GCM" }
        ]
      ) {
        const error = yield* Effect.flip(decrypt(changed))
        reasons.push(error._tag === "DecryptionError" ? error.reason : error._tag)
      }
      expect(reasons).toEqual(["MalformedCiphertext", "MalformedCiphertext", "UnsupportedAlgorithm"])
    }).pipe(Effect.provide(layer)))
})

// ---------------------------------------------------------------------------------------------
// notification_signature vector (wechatpay-go notify_test.go)
// ---------------------------------------------------------------------------------------------

describe("notification_signature vector", () => {
  const v = vectors.notification_signature
  const certificate = vectorFile(v.certificate_file)
  const serial = new X509Certificate(certificate).serialNumber.toUpperCase()
  const input = {
    headers: new Headers({
      "Wechatpay-Timestamp": v.wechatpay_timestamp,
      "Wechatpay-Nonce": v.wechatpay_nonce,
      "Wechatpay-Signature": v.wechatpay_signature,
      "Wechatpay-Serial": serial,
      "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048"
    }),
    body: vectorFile(v.body_file)
  }
  // only the certificate is trusted; the vector's APIv3 key is 16 bytes, so ours cannot decrypt it
  const layer = notificationsLayer({ wechatpayPublicKey: undefined, platformCertificates: [certificate] })
  const at = (offsetSeconds: number) => TestClock.setTime((Number(v.wechatpay_timestamp) + offsetSeconds) * 1000)

  it.effect("verifies at its pinned time: parse gets past the signature to the decryption", () =>
    Effect.gen(function*() {
      yield* at(0)
      const error = yield* parseError(input)
      expect(error._tag).toBe("DecryptionError")
    }).pipe(Effect.provide(layer)))

  it.effect("is refused 300 s later (ClockSkew) and with a changed body (BadSignature)", () =>
    Effect.gen(function*() {
      yield* at(300)
      const late = yield* parseError(input)
      expect(late._tag === "VerificationError" && late.reason).toBe("ClockSkew")
      yield* at(0)
      const changed = yield* parseError({ ...input, body: input.body.replace("签约成功", "签约失败") })
      expect(changed._tag === "VerificationError" && changed.reason).toBe("BadSignature")
    }).pipe(Effect.provide(layer)))
})

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

describe("parse", () => {
  const layer = notificationsLayer()

  it.effect("decodes PAYSCORE.USER_OPEN_SERVICE into UserOpenService", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW * 1000)
      const { body, headers } = yield* buildNotification({
        timestamp: NOW,
        associatedData: "payscore",
        originalType: "payscore",
        plaintext: JSON.stringify(
          resourceOf("USER_OPEN_SERVICE", { authorization_code: "1275342195190894594", out_request_no: "R1234" })
        )
      })
      const notification = yield* parse({ headers, body })
      expect(notification._tag).toBe("UserOpenService")
      if (notification._tag !== "UserOpenService") return
      expect(notification.id).toBe("EV-2018022511223320873")
      expect(notification.event_type).toBe("PAYSCORE.USER_OPEN_SERVICE")
      expect(notification.summary).toBe("签约成功")
      expect(notification.original_type).toBe("payscore")
      expect(DateTime.formatIso(notification.create_time)).toBe("2026-05-20T05:29:35.000Z")
      expect(notification.resource).toMatchObject({
        appid: "wxd678efh567hg6787",
        mchid: Fixtures.mchid,
        service_id: SERVICE_ID,
        openid: OPENID,
        user_service_status: "USER_OPEN_SERVICE",
        authorization_code: "1275342195190894594",
        out_request_no: "R1234"
      })
      expect(DateTime.formatIso(notification.resource.openorclose_time!)).toBe("2026-05-20T05:29:35.000Z")
    }).pipe(Effect.provide(layer)))

  it.effect("decodes PAYSCORE.USER_CLOSE_SERVICE (partner fields, empty associated_data, no original_type)", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW * 1000)
      const { body, headers } = yield* buildNotification({
        timestamp: NOW,
        eventType: Notification.USER_CLOSE_SERVICE,
        associatedData: "",
        plaintext: JSON.stringify({
          ...resourceOf("USER_CLOSE_SERVICE", { sub_mchid: "1900000109", sub_appid: "wxsub", sub_openid: "osub" }),
          openid: undefined,
          channel_id: "7000000001"
        })
      })
      const notification = yield* parse({ headers, body })
      expect(notification._tag).toBe("UserCloseService")
      if (notification._tag !== "UserCloseService") return
      expect(notification.original_type).toBeUndefined()
      expect(notification.resource.openid).toBeUndefined()
      expect(notification.resource).toMatchObject({
        sub_mchid: "1900000109",
        sub_appid: "wxsub",
        sub_openid: "osub",
        channel_id: "7000000001",
        user_service_status: "USER_CLOSE_SERVICE"
      })
    }).pipe(Effect.provide(layer)))

  it.effect("keeps an unknown event_type as UnknownEvent with its decrypted JSON", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW * 1000)
      const plaintext = { out_order_no: "1234323JKHDFE1243252", state: "DONE", total_amount: 100 }
      const { body, headers } = yield* buildNotification({
        timestamp: NOW,
        // an event this library does not type (PAYSCORE.USER_PAID is now UserPaid)
        eventType: "PAYSCORE.MCH_PREPAY",
        plaintext: JSON.stringify(plaintext)
      })
      const notification = yield* parse({ headers, body })
      expect(notification._tag).toBe("UnknownEvent")
      expect(notification.event_type).toBe("PAYSCORE.MCH_PREPAY")
      expect(notification.resource).toEqual(plaintext)
    }).pipe(Effect.provide(layer)))

  it.effect("reads a plain record of headers in any casing, and a missing associated_data", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW * 1000)
      const { body, headers } = yield* buildNotification({ timestamp: NOW })
      const upper = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]))
      const notification = yield* parse({ headers: upper, body })
      expect(notification._tag).toBe("UserOpenService")
    }).pipe(Effect.provide(layer)))

  it.effect("routes by Wechatpay-Serial: public key id and both certificates verify", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW * 1000)
      for (const key of [FakeWechatPay.keys.publicKey, FakeWechatPay.keys.platform1, FakeWechatPay.keys.platform2]) {
        const { body, headers } = yield* buildNotification({ timestamp: NOW, key })
        expect((yield* parse({ headers, body }))._tag).toBe("UserOpenService")
      }
    }).pipe(Effect.provide(layer)))

  it.effect("refuses a PUB_KEY_ID_… serial in certificate mode without a public key (UnknownSerial)", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW * 1000)
      const { body, headers } = yield* buildNotification({ timestamp: NOW, key: FakeWechatPay.keys.publicKey })
      const error = yield* parseError({ headers, body })
      expect(error._tag === "VerificationError" && error.reason).toBe("UnknownSerial")
    }).pipe(Effect.provide(notificationsLayer({ wechatpayPublicKey: undefined }))))

  it.effect("refuses a stranger's key, a SIGNTEST probe, a missing header and a tampered body", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW * 1000)
      const forged = yield* buildNotification({ timestamp: NOW, key: FakeWechatPay.keys.stranger })
      const good = yield* buildNotification({ timestamp: NOW })
      const cases: ReadonlyArray<readonly [PayScoreNotifications.RawNotification, string]> = [
        [forged, "BadSignature"],
        [{
          body: good.body,
          headers: { ...good.headers, "wechatpay-signature": `WECHATPAY/SIGNTEST/${"A".repeat(344)}` }
        }, "BadSignature"],
        [{ body: good.body, headers: { ...good.headers, "wechatpay-signature": undefined } }, "MissingHeaders"],
        [{ body: good.body.replace("签约成功", "签约成功 "), headers: good.headers }, "BadSignature"]
      ]
      for (const [input, reason] of cases) {
        const error = yield* parseError(input)
        expect(error._tag === "VerificationError" && error.reason).toBe(reason)
      }
    }).pipe(Effect.provide(layer)))

  it.effect("a resource that does not decrypt is a DecryptionError; a bad shape UndecodableEvent (reason without plaintext); not JSON a DecodeError", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW * 1000)
      const otherKey = yield* buildNotification({ timestamp: NOW, apiV3Key: "0123456789abcdef0123456789abcdef" })
      const decryption = yield* parseError(otherKey)
      expect(decryption._tag === "DecryptionError" && decryption.reason).toBe("AuthenticationFailed")

      const secret = "oSECRET_OPENID_VALUE"
      const badShape = yield* buildNotification({
        timestamp: NOW,
        plaintext: JSON.stringify({ ...resourceOf("USER_OPEN_SERVICE"), openid: secret, openorclose_time: secret })
      })
      const undecodable = yield* parse(badShape)
      if (undecodable._tag !== "UndecodableEvent") throw new Error(`expected UndecodableEvent, got ${undecodable._tag}`)
      expect(undecodable.event_type).toBe(Notification.USER_OPEN_SERVICE)
      expect(undecodable.message).toContain("openorclose_time")
      expect(undecodable.message).not.toContain(secret)
      expect(undecodable.resource).toMatchObject({ openid: secret, openorclose_time: secret })

      const noOpenid = yield* buildNotification({
        timestamp: NOW,
        plaintext: JSON.stringify({ ...resourceOf("USER_OPEN_SERVICE"), openid: undefined })
      })
      const noOpenidEvent = yield* parse(noOpenid)
      expect(noOpenidEvent._tag).toBe("UndecodableEvent")
      expect(noOpenidEvent._tag === "UndecodableEvent" && noOpenidEvent.message).toContain("openid or sub_openid")

      const notJson = yield* buildNotification({ timestamp: NOW, plaintext: "not json" })
      const notJsonError = yield* parseError(notJson)
      expect(notJsonError._tag).toBe("DecodeError")
      expect(notJsonError.message).not.toContain("not json")

      const envelope = yield* buildNotification({ timestamp: NOW })
      const broken = JSON.stringify({ ...JSON.parse(envelope.body), id: undefined })
      const signed = yield* Effect.promise(() =>
        FakeWechatPay.signAnswer({ key: FakeWechatPay.keys.publicKey, body: broken, timestamp: NOW })
      )
      expect((yield* parseError({ headers: signed, body: broken }))._tag).toBe("DecodeError")
    }).pipe(Effect.provide(layer)))
})

// ---------------------------------------------------------------------------------------------
// The window, to the second
// ---------------------------------------------------------------------------------------------

describe("the 5-minute window", () => {
  const layer = notificationsLayer()
  const at = (skewSeconds: number) =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW * 1000)
      const notification = yield* buildNotification({ timestamp: NOW })
      yield* TestClock.setTime((NOW + skewSeconds) * 1000)
      return yield* Effect.result(parse(notification))
    })

  it.effect("accepts 299 s late and 299 s early", () =>
    Effect.gen(function*() {
      expect(Result.isSuccess(yield* at(299))).toBe(true)
      expect(Result.isSuccess(yield* at(-299))).toBe(true)
    }).pipe(Effect.provide(layer)))

  it.effect("refuses 300 s late (a replay) and 300 s early", () =>
    Effect.gen(function*() {
      for (const skew of [300, -300]) {
        const result = yield* at(skew)
        expect(Result.isFailure(result) && result.failure._tag === "VerificationError" && result.failure.reason).toBe(
          "ClockSkew"
        )
      }
    }).pipe(Effect.provide(layer)))
})

// ---------------------------------------------------------------------------------------------
// APIv3 key
// ---------------------------------------------------------------------------------------------

describe("APIv3 key", () => {
  it.effect("no APIv3 key: parse fails with InvalidConfig apiV3Key (before anything else)", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW * 1000)
      const notification = yield* buildNotification({ timestamp: NOW })
      const error = yield* parseError(notification)
      expect(error._tag).toBe("InvalidConfig")
      expect(error._tag === "InvalidConfig" && error.option).toBe("apiV3Key")
    }).pipe(Effect.provide(notificationsLayer({ apiV3Key: undefined }))))

  it.effect("an APIv3 key that is not 32 bytes fails the layer at start-up with InvalidConfig apiV3Key", () =>
    Effect.gen(function*() {
      for (const apiV3Key of ["0123456789abcdef", `${Fixtures.apiV3Key} `, `${Fixtures.apiV3Key}xx`]) {
        for (
          const layer of [
            notificationsLayer({ apiV3Key: Redacted.make(apiV3Key) }),
            WechatPay.layer({ ...merchant(), apiV3Key: Redacted.make(apiV3Key) }).pipe(
              Layer.provide(FakeWechatPay.layer(() => ({ status: 500 })))
            )
          ]
        ) {
          const exit = yield* Effect.exit(Effect.scoped(Layer.build(layer)))
          expect(Exit.isFailure(exit)).toBe(true)
          if (Exit.isFailure(exit)) {
            const error = Option.getOrUndefined(Cause.findErrorOption(exit.cause))
            expect(error).toBeInstanceOf(WechatPayError.InvalidConfig)
            expect(error?.option).toBe("apiV3Key")
            expect(error?.message).not.toContain(apiV3Key.trim())
          }
        }
      }
    }))

  it.effect("WechatPay.layer provides PayScoreNotifications", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW * 1000)
      const notification = yield* buildNotification({ timestamp: NOW })
      expect((yield* parse(notification))._tag).toBe("UserOpenService")
    }).pipe(
      Effect.provide(WechatPay.layer(merchant()).pipe(Layer.provide(FakeWechatPay.layer(() => ({ status: 500 })))))
    ))
})

const merchant = (): WechatPay.Options => ({
  mchid: Fixtures.mchid,
  merchantSerialNo: Fixtures.merchantSerialNo,
  merchantPrivateKey: Redacted.make(Fixtures.merchantPrivateKeyPkcs8),
  wechatpayPublicKey: { id: Fixtures.wechatpayPublicKeyId, pem: Fixtures.wechatpayPublicKey },
  apiV3Key: Redacted.make(Fixtures.apiV3Key)
})
