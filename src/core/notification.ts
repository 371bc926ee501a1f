/**
 * Notifications: the envelope WeChat Pay POSTs, read tolerantly (only what
 * verification, decryption and routing need is required: `id`, `create_time`, `event_type` and the
 * encrypted `resource`; `summary`, `resource_type`, `original_type` and `associated_data` may be
 * absent, as in older official examples and other SDKs' models), and its resource decrypted.
 *
 * @internal
 */
import * as Aead from "./aead.js"
import { describeJsonProblem, readJson } from "./json.js"
import * as Time from "./time.js"

/** The `event_type` of an authorization opened by the user (授权成功 / 开启服务). @internal */
export const USER_OPEN_SERVICE = "PAYSCORE.USER_OPEN_SERVICE"

/** The `event_type` of an authorization revoked by the user (解除授权 / 关闭服务). @internal */
export const USER_CLOSE_SERVICE = "PAYSCORE.USER_CLOSE_SERVICE"

/** The `event_type` of a service order the user confirmed (用户确认订单). @internal */
export const USER_CONFIRM = "PAYSCORE.USER_CONFIRM"

/** The `event_type` of a service order the user paid (支付成功). @internal */
export const USER_PAID = "PAYSCORE.USER_PAID"

/** The `_tag` of a notification of an `event_type`. @internal */
export type EventTag = "UserOpenService" | "UserCloseService" | "UserConfirm" | "UserPaid" | "UnknownEvent"

/**
 * The `_tag` of each known `event_type`; any other is `UnknownEvent` (WeChat Pay adds events).
 *
 * @internal
 */
export const eventTag = (eventType: string): EventTag => {
  switch (eventType) {
    case USER_OPEN_SERVICE:
      return "UserOpenService"
    case USER_CLOSE_SERVICE:
      return "UserCloseService"
    case USER_CONFIRM:
      return "UserConfirm"
    case USER_PAID:
      return "UserPaid"
    default:
      return "UnknownEvent"
  }
}

/** The encrypted resource of a notification. @internal */
export interface EncryptedResource {
  readonly algorithm: string
  readonly ciphertext: string
  readonly nonce: string
  readonly associated_data?: string | undefined
  readonly original_type?: string | undefined
}

/** The envelope, read. @internal */
export interface Envelope {
  readonly id: string
  readonly create_time: string
  /** `create_time` in epoch millis. */
  readonly createTimeMillis: number
  readonly event_type: string
  readonly resource_type?: string | undefined
  readonly summary?: string | undefined
  readonly resource: EncryptedResource
}

/** Why a body is not a notification envelope. @internal */
export interface EnvelopeProblem {
  readonly _tag: "EnvelopeProblem"
  readonly message: string
}

/** @internal */
export const isEnvelopeProblem = (u: unknown): u is EnvelopeProblem =>
  typeof u === "object" && u !== null && (u as { _tag?: unknown })._tag === "EnvelopeProblem"

const problem = (message: string): EnvelopeProblem => ({
  _tag: "EnvelopeProblem",
  message: `the verified notification is not the documented envelope: ${message}`
})

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

const optionalString = (record: Record<string, unknown>, name: string): string | undefined => {
  const value = record[name]
  return typeof value === "string" ? value : undefined
}

/** @internal */
export const parseEnvelope = (body: string): Envelope | EnvelopeProblem => {
  const read = readJson(body)
  if (read._tag !== "Json") return problem(`the body ${describeJsonProblem(read)}`)
  const value = read.value
  if (!isRecord(value)) return problem("expected a JSON object")
  for (const name of ["id", "create_time", "event_type"] as const) {
    if (typeof value[name] !== "string") return problem(`${name} is missing or not a string`)
  }
  const createTimeMillis = Time.parseMillis(value["create_time"] as string)
  if (createTimeMillis === undefined) return problem(`create_time: ${Time.EXPECTED}`)
  const resource = value["resource"]
  if (!isRecord(resource)) return problem("resource is missing or not an object")
  for (const name of ["ciphertext", "nonce"] as const) {
    if (typeof resource[name] !== "string") return problem(`resource.${name} is missing or not a string`)
  }
  const algorithm = resource["algorithm"]
  if (algorithm !== undefined && algorithm !== null && typeof algorithm !== "string") {
    return problem("resource.algorithm is not a string")
  }
  const associated = optionalString(resource, "associated_data")
  const originalType = optionalString(resource, "original_type")
  const resourceType = optionalString(value, "resource_type")
  const summary = optionalString(value, "summary")
  return {
    id: value["id"] as string,
    create_time: value["create_time"] as string,
    createTimeMillis,
    event_type: value["event_type"] as string,
    ...(resourceType === undefined ? {} : { resource_type: resourceType }),
    ...(summary === undefined ? {} : { summary }),
    resource: {
      // absent: the only algorithm there is
      algorithm: typeof algorithm === "string" ? algorithm : Aead.ALGORITHM,
      ciphertext: resource["ciphertext"] as string,
      nonce: resource["nonce"] as string,
      ...(associated === undefined ? {} : { associated_data: associated }),
      ...(originalType === undefined ? {} : { original_type: originalType })
    }
  }
}

/** What the decrypted resource is. @internal */
export type ResourceRead =
  | { readonly _tag: "Resource"; readonly json: unknown }
  | { readonly _tag: "DecryptionProblem"; readonly reason: Aead.DecryptionProblem }
  | { readonly _tag: "NotJson"; readonly message: string }

/**
 * Decrypts the resource with the APIv3 key and reads its JSON (with the depth and exact-number
 * guards).
 *
 * @internal
 */
export const readResource = async (apiV3Key: CryptoKey, resource: EncryptedResource): Promise<ResourceRead> => {
  const decrypted = await Aead.decryptText(apiV3Key, resource)
  if (decrypted._tag !== "Decrypted") return { _tag: "DecryptionProblem", reason: decrypted._tag }
  const read = readJson(decrypted.text)
  if (read._tag !== "Json") return { _tag: "NotJson", message: `the decrypted resource ${describeJsonProblem(read)}` }
  return { _tag: "Resource", json: read.value }
}
