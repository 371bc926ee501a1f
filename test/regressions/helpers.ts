/**
 * Helpers of the issue-18 regression tests. Only the public entries of the library are used
 * (`src/index.ts`, `src/testing/index.ts`, `src/undici.ts`), so that these tests survive the
 * refactor: notifications are encrypted here with `node:crypto` and signed with
 * `FakeWechatPay.signAnswer`, servers are real HTTP servers on 127.0.0.1 started and stopped by
 * each test's scope.
 */
import { HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { Cause, Context, Effect, Exit, Layer, Logger, LogLevel, Option, Redacted } from "effect"
import { createCipheriv, randomBytes } from "node:crypto"
import { createServer } from "node:http"
import { type Notification, PayScoreNotifications, WechatPay } from "../../src/index.js"
import { FakeWechatPay, Fixtures } from "../../src/testing/index.js"

/** `depth` nested JSON arrays: `[[[…]]]`. */
export const nestedArrays = (depth: number): string => "[".repeat(depth) + "]".repeat(depth)

/** The fixtures merchant in public-key mode, with the APIv3 key (notifications need it). */
export const merchantOptions = (overrides: Partial<WechatPay.Options> = {}): WechatPay.Options => ({
  mchid: Fixtures.mchid,
  merchantSerialNo: Fixtures.merchantSerialNo,
  merchantPrivateKey: Redacted.make(Fixtures.merchantPrivateKeyPkcs8),
  wechatpayPublicKey: { id: Fixtures.wechatpayPublicKeyId, pem: Fixtures.wechatpayPublicKey },
  apiV3Key: Redacted.make(Fixtures.apiV3Key),
  ...overrides
})

export interface LogLine {
  readonly level: LogLevel.LogLevel
  readonly text: string
}

/** A logger that keeps every line (message and annotations, as JSON) in `lines`. */
export const capturingLogger = (lines: Array<LogLine>) =>
  Logger.replace(
    Logger.defaultLogger,
    Logger.make(({ annotations, logLevel, message }) => {
      let text: string
      try {
        text = JSON.stringify({ message, annotations: Object.fromEntries(annotations) })
      } catch {
        text = String(message)
      }
      lines.push({ level: logLevel, text })
    })
  )

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
        Layer.provide(WechatPay.layer(merchantOptions()).pipe(Layer.provide(FetchHttpClient.layer)))
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

/**
 * What an Exit is, for one readable assertion: the success's `_tag`, the failure's `_tag` (with its
 * `option` or `reason` when it has one), or the defect.
 */
export const describeExit = <A, E>(exit: Exit.Exit<A, E>): Record<string, string> => {
  if (Exit.isSuccess(exit)) {
    const value = exit.value as { _tag?: string } | undefined
    return { succeeded: value?._tag ?? "(a value without _tag)" }
  }
  const failure = Cause.failureOption(exit.cause)
  if (Option.isSome(failure)) {
    const error = failure.value as { _tag?: string; option?: string; reason?: string }
    return {
      failed: String(error._tag),
      ...(error.option === undefined ? {} : { option: error.option }),
      ...(error.reason === undefined ? {} : { reason: error.reason })
    }
  }
  const defect = Cause.dieOption(exit.cause)
  return Option.isSome(defect)
    ? { died: String(defect.value) }
    : { interrupted: String(Cause.isInterruptedOnly(exit.cause)) }
}
