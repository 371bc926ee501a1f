/**
 * Helpers of the notification tests: the merchant layers (KeyStore → Signer → PayScoreNotifications)
 * and an in-process WeChat Pay that builds, encrypts and signs notifications (no HTTP).
 */
import { Effect, Layer, Redacted } from "effect"
import * as Aead from "../../../src/core/aead.js"
import * as Bytes from "../../../src/core/bytes.js"
import { KeyStore, Notification, PayScoreNotifications, Signer, WechatPay } from "../../src/index.js"
import { FakeWechatPay, Fixtures } from "../../src/testing/index.js"

/** The official SDKs' vectors (the root suite's helper: one reader of test/vectors). */
export { vectorFile, vectors } from "../../../test/helpers/vectors.js"

/** The fixtures merchant: public key and both platform certificates, the fixtures' APIv3 key. */
export const merchantOptions = (overrides: Partial<WechatPay.Options> = {}): WechatPay.Options => ({
  mchid: Fixtures.mchid,
  merchantSerialNo: Fixtures.merchantSerialNo,
  merchantPrivateKey: Redacted.make(Fixtures.merchantPrivateKeyPkcs8),
  wechatpayPublicKey: { id: Fixtures.wechatpayPublicKeyId, pem: Fixtures.wechatpayPublicKey },
  platformCertificates: [Fixtures.platformCertificate1, Fixtures.platformCertificate2],
  apiV3Key: Redacted.make(Fixtures.apiV3Key),
  ...overrides
})

/** `PayScoreNotifications` (and `Signer`, `KeyStore`) over the merchant's keys, without HTTP. */
export const notificationsLayer = (overrides: Partial<WechatPay.Options> = {}) => {
  const options = merchantOptions(overrides)
  const keys = KeyStore.layer(options)
  const signer = Signer.layer(options).pipe(Layer.provideMerge(keys))
  return PayScoreNotifications.layer.pipe(Layer.provideMerge(signer))
}

export const SERVICE_ID = "500001"
export const OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"
export const APPID = "wxd678efh567hg6787"

/** The decrypted resource of an authorization notification. */
export const resourceOf = (
  status: "USER_OPEN_SERVICE" | "USER_CLOSE_SERVICE",
  extra: Record<string, unknown> = {}
) => ({
  appid: APPID,
  mchid: Fixtures.mchid,
  service_id: SERVICE_ID,
  openid: OPENID,
  user_service_status: status,
  openorclose_time: "2026-05-20T13:29:35+08:00",
  ...extra
})

export interface BuildOptions {
  readonly id?: string
  readonly eventType?: string
  readonly plaintext?: string
  readonly associatedData?: string | undefined
  readonly originalType?: string | undefined
  readonly key?: FakeWechatPay.SigningKey
  /** Seconds since the epoch. */
  readonly timestamp: number
  readonly apiV3Key?: string
}

/** A notification as WeChat Pay sends it: the exact body and its signature headers. */
export const buildNotification = (options: BuildOptions) =>
  Effect.promise(async () => {
    const eventType = options.eventType ?? Notification.USER_OPEN_SERVICE
    const plaintext = options.plaintext ?? JSON.stringify(resourceOf("USER_OPEN_SERVICE"))
    const nonce = "Kj7QIyUiYx1q"
    const aesKey = await Aead.importKey(Bytes.utf8(options.apiV3Key ?? Fixtures.apiV3Key))
    const ciphertext = await Aead.encrypt(aesKey, {
      plaintext,
      nonce,
      associatedData: options.associatedData ?? ""
    })
    const body = JSON.stringify({
      id: options.id ?? "EV-2018022511223320873",
      create_time: "2026-05-20T13:29:35+08:00",
      resource_type: "encrypt-resource",
      event_type: eventType,
      summary: "签约成功",
      resource: {
        ...(options.originalType === undefined ? {} : { original_type: options.originalType }),
        algorithm: "AEAD_AES_256_GCM",
        ciphertext,
        ...(options.associatedData === undefined ? {} : { associated_data: options.associatedData }),
        nonce
      }
    })
    const headers = await FakeWechatPay.signAnswer({
      key: options.key ?? FakeWechatPay.keys.publicKey,
      body,
      timestamp: options.timestamp
    })
    return { body, headers }
  })
