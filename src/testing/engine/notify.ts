/**
 * The sandbox as the sender of notifications: builds a Pay Score authorization notification like
 * WeChat Pay's, encrypts its resource with the APIv3 key (`AEAD_AES_256_GCM`),
 * signs it (`Wechatpay-Timestamp`, `-Nonce`, `-Signature`, `-Serial`, `-Signature-Type`) with the key
 * the options choose, optionally bends it (tampered body, skewed clock, SIGNTEST probe, missing
 * header, another APIv3 key), POSTs it to the merchant's URL and reports the answer.
 *
 * @internal
 */
import * as Http from "node:http"
import * as Https from "node:https"
import * as Aead from "../../core/aead.js"
import * as Bytes from "../../core/bytes.js"
import * as Time from "../../core/time.js"
import * as Verification from "../../core/verification.js"
import * as Fixtures from "../fixtures.js"
import { type SandboxKeys, signingCertificate } from "./keys.js"
import { DEFAULT_APPID } from "./records.js"
import { signAnswer, type SigningKey } from "./signing.js"
import type { SignatureHeader } from "./types.js"

/** `PAYSCORE.USER_OPEN_SERVICE` and `PAYSCORE.USER_CLOSE_SERVICE` (the core's). @internal */
export { USER_CLOSE_SERVICE, USER_OPEN_SERVICE } from "../../core/notification.js"
import { USER_CLOSE_SERVICE, USER_OPEN_SERVICE } from "../../core/notification.js"

/** Why a notification could not be delivered (a transport failure). @internal */
export interface NotifyFailure {
  readonly _tag: "NotifyFailure"
  readonly message: string
  readonly cause?: unknown
}

/** @internal */
export const isNotifyFailure = (u: unknown): u is NotifyFailure =>
  typeof u === "object" && u !== null && (u as { _tag?: unknown })._tag === "NotifyFailure"

/**
 * Which key signs a notification:
 *
 * - `"publicKey"`: the sandbox's WeChat Pay public key, under its `PUB_KEY_ID_…`;
 * - `"certificate"`: the sandbox's newest platform certificate, under its serial;
 * - `{ serial }`: the sandbox's key for that public key id or certificate serial (an unknown one:
 *   the default key, under that serial);
 * - `"stranger"`: `Fixtures.strangerPrivateKey` under the default serial (a forgery);
 * - a `SigningKey`: any private key under any serial.
 *
 * Default: the public key when the sandbox has one, else the newest certificate.
 *
 * @since 0.1.0
 * @category notifications
 */
export type NotifySigner = "publicKey" | "certificate" | "stranger" | { readonly serial: string } | SigningKey

/**
 * A notification as it went on the wire: headers (lowercase names) and the exact body.
 *
 * @since 0.1.0
 * @category notifications
 */
export interface SentNotification {
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/**
 * What `notify` sends. Only `url` is required: the default is a `PAYSCORE.USER_OPEN_SERVICE` of the
 * sandbox's merchant, signed and encrypted correctly, timestamped now (by the caller's `Clock`).
 *
 * @since 0.1.0
 * @category notifications
 */
export interface NotifyOptions {
  /** The merchant's notification endpoint, `http://` or `https://`. */
  readonly url: string
  /** `event_type`. Default `PAYSCORE.USER_OPEN_SERVICE`; `user_service_status` follows it for the two known events. */
  readonly event?: string | undefined
  /** The notification `id`. Default: a new UUID. Send the same id twice for a duplicate. */
  readonly id?: string | undefined
  /** Default `"签约成功"` (opened) / `"解约成功"` (closed) / `"通知"`. */
  readonly summary?: string | undefined
  /** `create_time`. Default: now, RFC 3339 in China Standard Time (`2026-05-20T13:29:35+08:00`), as the documentation's envelope. */
  readonly createTime?: string | undefined
  /**
   * How the resource's `openorclose_time` is written: `"compact"` (default) `yyyyMMddHHmmss` in China
   * Standard Time (`20260520132935`), as WeChat Pay sends it in authorization notifications;
   * `"rfc3339"` (`2026-05-20T13:29:35+08:00`), as some other products send their times.
   */
  readonly timeFormat?: "compact" | "rfc3339" | undefined
  /**
   * Fields of the decrypted resource over the defaults, the documentation's example
   * (`appid`, `mchid` = the sandbox's merchant, `out_request_no`, `service_id` `500001`, `openid`,
   * `user_service_status`, `openorclose_time` = now in `timeFormat`); a field set to `undefined`
   * is left out. A string is sent as the plaintext as is (not JSON, say).
   */
  readonly resource?: Readonly<Record<string, unknown>> | string | undefined
  /** The signing key. See `NotifySigner`. */
  readonly signWith?: NotifySigner | undefined
  /** `true`: a body other than the signed one is sent (its `summary` changed); a string: that body is sent. */
  readonly tamper?: boolean | string | undefined
  /** `Wechatpay-Timestamp` this many seconds from now (-300: five minutes old). Default 0. */
  readonly clockSkewSeconds?: number | undefined
  /** `Wechatpay-Signature` is a `WECHATPAY/SIGNTEST/…` probe. */
  readonly signTest?: boolean | undefined
  /** Signature headers to drop. */
  readonly omitHeaders?: ReadonlyArray<SignatureHeader> | undefined
  /** Encrypt with this key instead of the sandbox's APIv3 key (another merchant's: `DecryptionError`). */
  readonly apiV3Key?: string | undefined
  /** `associated_data`. Default `"payscore"`; `""` is sent as an empty string, `null` leaves the field out. */
  readonly associatedData?: string | null | undefined
  /** `original_type`. Default `"payscore"`; `null` leaves the field out. */
  readonly originalType?: string | null | undefined
  /** Extra request headers, set last. */
  readonly headers?: Readonly<Record<string, string>> | undefined
  /** Send this exact notification again (from an earlier answer's `sent`), ignoring the other options. */
  readonly replay?: SentNotification | undefined
  /** How long to wait for the merchant's answer. Default 10 seconds. */
  readonly timeoutMillis?: number | undefined
}

/**
 * The merchant's answer to a notification, and what was sent.
 *
 * @since 0.1.0
 * @category notifications
 */
export interface NotifyAnswer {
  readonly status: number
  /** Lowercase names. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  /** The notification `id`. */
  readonly id: string
  /** The request as sent; pass it as `replay` to send it again byte for byte. */
  readonly sent: SentNotification
}

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

const randomText = (length: number): string =>
  Array.from(globalThis.crypto.getRandomValues(new Uint8Array(length)), (b) => ALPHANUMERIC[b % ALPHANUMERIC.length])
    .join("")

/** RFC 3339 in China Standard Time, as WeChat Pay writes envelope times: `2015-05-20T13:29:35+08:00`. */
const chinaTime = (millis: number): string => Time.formatRfc3339(millis)

/** `openorclose_time` as WeChat Pay writes it (`20180225112233`), or RFC 3339 when asked. */
const serviceTime = (millis: number, format: NotifyOptions["timeFormat"]): string =>
  format === "rfc3339" ? chinaTime(millis) : Time.formatCompact(millis)

const chooseKey = (keys: SandboxKeys, signWith: NotifySigner | undefined): SigningKey => {
  if (signWith === undefined) return keys.defaultSigning
  if (signWith === "publicKey") {
    if (keys.publicKey === undefined) {
      throw new Error('sandbox.notify: signWith "publicKey", but the sandbox has no WeChat Pay public key')
    }
    return keys.publicKey.signing
  }
  if (signWith === "certificate") {
    const newest = signingCertificate(keys.certificates, Date.now())
    if (newest === undefined) {
      throw new Error('sandbox.notify: signWith "certificate", but the sandbox has no platform certificate')
    }
    return newest.signing
  }
  if (signWith === "stranger") return { privateKey: Fixtures.strangerPrivateKey, serial: keys.defaultSigning.serial }
  if ("privateKey" in signWith) return signWith
  const serial = signWith.serial
  if (keys.publicKey?.id === serial) return keys.publicKey.signing
  const certificate = keys.certificates.find((c) => c.serial === serial.toUpperCase())
  return certificate?.signing ?? { privateKey: keys.defaultSigning.privateKey, serial }
}

const defaultSummary = (event: string): string =>
  event === USER_OPEN_SERVICE ? "签约成功" : event === USER_CLOSE_SERVICE ? "解约成功" : "通知"

const tamperBody = (body: string): string => {
  const parsed = JSON.parse(body) as Record<string, unknown>
  return JSON.stringify({ ...parsed, summary: `${String(parsed.summary)} (tampered)` })
}

/** Builds, encrypts and signs a notification. */
const build = async (
  keys: SandboxKeys,
  apiV3Key: string,
  options: NotifyOptions,
  now: number
): Promise<SentNotification & { readonly id: string }> => {
  const event = options.event ?? USER_OPEN_SERVICE
  const id = options.id ?? globalThis.crypto.randomUUID()
  const plaintext = typeof options.resource === "string" ? options.resource : JSON.stringify(
    Object.fromEntries(
      Object.entries({
        appid: DEFAULT_APPID,
        mchid: keys.mchid,
        out_request_no: "1234323JKHDFE1243252",
        service_id: "500001",
        openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
        user_service_status: event === USER_CLOSE_SERVICE ? "USER_CLOSE_SERVICE" : "USER_OPEN_SERVICE",
        openorclose_time: serviceTime(now, options.timeFormat),
        ...options.resource
      }).filter(([, value]) => value !== undefined)
    )
  )
  const nonce = randomText(12)
  const associatedData = options.associatedData === undefined ? "payscore" : options.associatedData
  const originalType = options.originalType === undefined ? "payscore" : options.originalType
  const ciphertext = await Aead.encrypt(await Aead.importKey(Bytes.utf8(options.apiV3Key ?? apiV3Key)), {
    plaintext,
    nonce,
    associatedData: associatedData ?? ""
  })
  const body = JSON.stringify({
    id,
    create_time: options.createTime ?? chinaTime(now),
    resource_type: "encrypt-resource",
    event_type: event,
    summary: options.summary ?? defaultSummary(event),
    resource: {
      ...(originalType === null ? {} : { original_type: originalType }),
      algorithm: "AEAD_AES_256_GCM",
      ciphertext,
      ...(associatedData === null ? {} : { associated_data: associatedData }),
      nonce
    }
  })
  const key = chooseKey(keys, options.signWith)
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "Mozilla/4.0",
    ...(await signAnswer({ key, body, timestamp: Math.floor(now / 1000) + (options.clockSkewSeconds ?? 0) }))
  }
  if (options.signTest === true) {
    headers["wechatpay-signature"] = `${Verification.SIGNTEST_PREFIX}${
      Bytes.toBase64(globalThis.crypto.getRandomValues(new Uint8Array(256)))
    }`
  }
  for (const name of options.omitHeaders ?? []) delete headers[name.toLowerCase()]
  for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value
  const sent = options.tamper === undefined || options.tamper === false
    ? body
    : options.tamper === true
    ? tamperBody(body)
    : options.tamper
  return { id, headers, body: sent }
}

const post = (
  url: string,
  notification: SentNotification,
  timeoutMillis: number
): Promise<Omit<NotifyAnswer, "id" | "sent"> | NotifyFailure> =>
  new Promise((resolve) => {
    let target: URL
    try {
      target = new URL(url)
    } catch {
      return resolve({ _tag: "NotifyFailure", message: `sandbox.notify: not a URL: ${url}` })
    }
    const transport = target.protocol === "https:" ? Https : Http
    const payload = Buffer.from(notification.body, "utf8")
    const req = transport.request(
      target,
      {
        method: "POST",
        headers: { ...notification.headers, "content-length": String(payload.length) },
        agent: false,
        timeout: timeoutMillis
      },
      (res) => {
        const chunks: Array<Buffer> = []
        res.on("data", (chunk: Buffer) => chunks.push(chunk))
        res.on("error", (cause) =>
          resolve({ _tag: "NotifyFailure", message: "sandbox.notify: the answer broke off", cause }))
        res.on("end", () => {
          const headers: Record<string, string> = {}
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined) {
              headers[name] = Array.isArray(value) ? value.join(", ") : value
            }
          }
          resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString("utf8") })
        })
      }
    )
    req.on("timeout", () =>
      req.destroy(new Error(`no answer within ${timeoutMillis} ms`)))
    req.on("error", (cause) =>
      resolve({ _tag: "NotifyFailure", message: `sandbox.notify: POST ${target.origin} failed: ${cause.message}` }))
    req.end(payload)
  })

/**
 * Builds (or replays), sends and reports one notification.
 *
 * @internal
 */
export const notify = async (
  keys: SandboxKeys,
  apiV3Key: string,
  options: NotifyOptions,
  now: number
): Promise<NotifyAnswer | NotifyFailure> => {
  const notification = options.replay === undefined
    ? await build(keys, apiV3Key, options, now)
    : { ...options.replay, id: idOf(options.replay.body) }
  const answer = await post(options.url, notification, options.timeoutMillis ?? 10_000)
  if (isNotifyFailure(answer)) return answer
  return { ...answer, id: notification.id, sent: { headers: notification.headers, body: notification.body } }
}

const idOf = (body: string): string => {
  try {
    const parsed: unknown = JSON.parse(body)
    if (typeof parsed === "object" && parsed !== null && typeof (parsed as { id?: unknown }).id === "string") {
      return (parsed as { id: string }).id
    }
  } catch {
    // not JSON
  }
  return ""
}
