/**
 * Helpers of the notification tests: the merchant layers (KeyStore → Signer → PayScoreNotifications),
 * an in-process WeChat Pay that builds, encrypts and signs notifications (no HTTP), and the
 * merchant's endpoint (`httpApp`) served on 127.0.0.1 with notifications encrypted by `node:crypto`
 * (the public entries only).
 */
import { HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { Context, Effect, Layer, Logger, LogLevel, Redacted } from "effect"
import { createCipheriv, randomBytes } from "node:crypto"
import { createServer } from "node:http"
import * as Aead from "../../src/core/aead.js"
import * as Bytes from "../../src/core/bytes.js"
import { KeyStore, Notification, PayScoreNotifications, Signer, WechatPay } from "../../src/index.js"
import { FakeWechatPay, Fixtures } from "../../src/testing/index.js"
import { merchantOptionsWithApiV3Key } from "./merchant.js"

/** The fixtures merchant: public key and both platform certificates, the fixtures' APIv3 key. */
export const notificationOptions = (overrides: Partial<WechatPay.Options> = {}): WechatPay.Options => ({
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
  const options = notificationOptions(overrides)
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

/** AEAD_AES_256_GCM as WeChat Pay uses it: base64(ciphertext ‖ 16-byte tag). */
export const encryptResource = (plaintext: string, nonce: string, associatedData: string): string => {
  const cipher = createCipheriv("aes-256-gcm", Buffer.from(Fixtures.apiV3Key, "utf8"), Buffer.from(nonce, "utf8"))
  cipher.setAAD(Buffer.from(associatedData, "utf8"))
  const encrypted = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()])
  return encrypted.toString("base64")
}

/** The decrypted resource of a merchant-mode `PAYSCORE.USER_OPEN_SERVICE`, as documented. */
export const openServiceResource = {
  appid: "wxd678efh567hg6787",
  mchid: Fixtures.mchid,
  out_request_no: "1234323JKHDFE1243252",
  service_id: "500001",
  openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
  user_service_status: "USER_OPEN_SERVICE",
  openorclose_time: "20260520132935"
}

/**
 * A notification as WeChat Pay sends it, signed with the WeChat Pay public key (now): `envelope`
 * builds the envelope object from the encrypted resource (so a test can leave `summary` out), or
 * `rawBody` replaces the whole body (signed as it is).
 */
export const signedNotification = (options: {
  readonly plaintext?: string
  readonly envelope?: (resource: Record<string, string>) => Record<string, unknown>
  readonly rawBody?: string
}) =>
  Effect.promise(async () => {
    const nonce = randomBytes(6).toString("hex")
    const resource = {
      original_type: "payscore",
      algorithm: "AEAD_AES_256_GCM",
      ciphertext: encryptResource(options.plaintext ?? JSON.stringify(openServiceResource), nonce, "payscore"),
      associated_data: "payscore",
      nonce
    }
    const envelope = options.envelope ?? ((resource) => ({
      id: "EV-2018022511223320873",
      create_time: "2026-05-20T13:29:35+08:00",
      resource_type: "encrypt-resource",
      event_type: "PAYSCORE.USER_OPEN_SERVICE",
      summary: "签约成功",
      resource
    }))
    const body = options.rawBody ?? JSON.stringify(envelope(resource))
    const headers = await FakeWechatPay.signAnswer({
      key: FakeWechatPay.keys.publicKey,
      body,
      timestamp: Math.floor(Date.now() / 1000)
    })
    return { body, headers: { "content-type": "application/json", ...headers } }
  })

/**
 * `PayScoreNotifications.httpApp(handler)` served by `NodeHttpServer` on 127.0.0.1 (a free port) in
 * the current scope, over `WechatPay.layer` (public-key mode: it sends no request). Answers the URL.
 */
export const serveNotifications = (
  handler: (notification: Notification.Notification) => Effect.Effect<void>,
  options: PayScoreNotifications.HttpAppOptions = {}
) =>
  Effect.gen(function*() {
    const app = PayScoreNotifications.httpApp(handler, options)
    const context = yield* Layer.build(
      HttpServer.serve(app).pipe(
        Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" })),
        Layer.provide(WechatPay.layer(merchantOptionsWithApiV3Key()).pipe(Layer.provide(FetchHttpClient.layer)))
      )
    ).pipe(Logger.withMinimumLogLevel(LogLevel.None))
    const address = Context.get(context, HttpServer.HttpServer).address
    if (address._tag !== "TcpAddress") return yield* Effect.dieMessage("not a TCP server")
    return { url: `http://127.0.0.1:${address.port}/payscore/notify`, port: address.port }
  })

/** POSTs `body` with `headers` to `url` (fetch); the status and body text. */
export const post = (url: string, body: string, headers: Record<string, string>) =>
  Effect.promise(async () => {
    const response = await fetch(url, { method: "POST", body, headers })
    return { status: response.status, body: await response.text() }
  })
