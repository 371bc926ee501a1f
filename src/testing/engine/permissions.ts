/**
 * What the sandbox does for each Pay Score permission endpoint, once the request passed the checks
 * and its parameters the endpoint's rules: answer a seeded record, create a pre-authorization,
 * end an authorization, assess a user's level. Keyed by the endpoint's name.
 *
 * @internal
 */
import * as Certificates from "../../core/certificates.js"
import * as Permissions from "../../core/endpoints/permissions.js"
import { apiError, json } from "./answers.js"
import { planCertificates } from "./certificates.js"
import type { SandboxKeys } from "./keys.js"
import { partnerOpenidKey, recordKey, type RecordStore } from "./records.js"
import type { OrderStore } from "./serviceOrders.js"
import type { Plan } from "./types.js"

/** What a behaviour may read and change. @internal */
export interface BehaviourContext {
  readonly store: RecordStore
  /** The service orders. */
  readonly orders: OrderStore
  readonly keys: SandboxKeys
  readonly apiV3Key: string
  /** Milliseconds since the epoch. */
  readonly now: number
  /** Whether this request may change the records (not when a fault replaces its answer). */
  readonly write: boolean
}

/** @internal */
export type Behaviour = (params: Readonly<Record<string, unknown>>, context: BehaviourContext) => Plan | Promise<Plan>

/** The level a user gets when the record names none. @internal */
export const DEFAULT_RISK_LEVEL = 1
/** @internal */
export const DEFAULT_RISK_LEVEL_VERSION = 1

const newToken = (): string =>
  Array.from(globalThis.crypto.getRandomValues(new Uint8Array(20)), (b) => b.toString(16).padStart(2, "0")).join("")

const strings = (params: Readonly<Record<string, unknown>>): Record<string, string | undefined> => {
  const out: Record<string, string | undefined> = {}
  for (const [name, value] of Object.entries(params)) out[name] = typeof value === "string" ? value : undefined
  return out
}

const describe = (params: Readonly<Record<string, unknown>>, names: ReadonlyArray<string>): string =>
  names.filter((name) => typeof params[name] === "string").map((name) => `${name}=${String(params[name])}`).join(", ")

const notFound = (params: Readonly<Record<string, unknown>>, names: ReadonlyArray<string>): Plan =>
  apiError(404, "NOT_FOUND", `授权记录不存在 (no authorization record for ${describe(params, names)})`)

const query =
  (family: "Merchant" | "Partner" | "AcquiringBank" | "Openid", names: ReadonlyArray<string>): Behaviour =>
  (params, { store }) => {
    const record = store.lookup(recordKey(family, strings(params)))
    return record === undefined ? notFound(params, names) : json(200, record)
  }

const apply = (
  family: "Merchant" | "Partner" | "AcquiringBank",
  answer: (p: Readonly<Record<string, unknown>>) => unknown
): Behaviour =>
(params, { store, write }) => {
  const fields = strings(params)
  const outcome = store.apply(family, fields, write)
  return outcome._tag === "AlreadyUsed"
    ? apiError(
      400,
      "INVALID_REQUEST",
      `授权协议号已被使用 (authorization_code ${fields.authorization_code} is taken: its authorization is ${outcome.state})`
    )
    : json(200, answer(params))
}

const terminate =
  (family: "Merchant" | "Partner" | "AcquiringBank" | "Openid" | "PartnerOpenid"): Behaviour =>
  (params, { now, store, write }) =>
    store.terminate(family, strings(params), now, write)
      ? { status: 204, body: "", code: undefined }
      : apiError(
        404,
        "NOT_FOUND",
        `授权记录不存在 (no authorization record for ${
          Object.entries(params).filter(([name, value]) => name !== "reason" && typeof value === "string")
            .map(([name, value]) => `${name}=${String(value)}`).join(", ")
        })`
      )

/** The record with the user's level: 用户分层 defaults for an authorized user. */
const withRiskLevel = (record: Readonly<Record<string, unknown>>): Plan => {
  const answer: Record<string, unknown> = { ...record }
  if (record.authorization_state === "AVAILABLE" && answer.user_risk_level === undefined) {
    answer.user_risk_level = DEFAULT_RISK_LEVEL
  }
  if (answer.user_risk_level !== undefined && answer.risk_level_version === undefined) {
    answer.risk_level_version = DEFAULT_RISK_LEVEL_VERSION
  }
  return json(200, answer)
}

const assessUserRiskLevel: Behaviour = (params, { store }) => {
  const { appid, authorization_code, openid, service_id } = strings(params)
  const record = authorization_code !== undefined
    ? store.lookup(recordKey("Merchant", { authorization_code, service_id }))
    : store.lookup(recordKey("Openid", { openid, service_id, appid }))
  if (record === undefined || (record.appid !== undefined && record.appid !== appid)) {
    return notFound(params, ["service_id", "appid", "authorization_code", "openid"])
  }
  if (authorization_code !== undefined && openid !== undefined && record.openid !== openid) {
    return apiError(
      400,
      "INVALID_REQUEST",
      `authorization_code ${authorization_code} is not the authorization of openid ${openid}`
    )
  }
  return withRiskLevel(record)
}

/** The partner's: the record of `authorization_code` for `sub_mchid`, else of `openid` / `sub_openid`. */
const assessPartnerUserRiskLevel: Behaviour = (params, { store }) => {
  const fields = strings(params)
  const record = fields.authorization_code !== undefined
    ? store.lookup(recordKey("Partner", fields))
    : store.lookup(partnerOpenidKey(fields))
  if (record === undefined || (record.appid !== undefined && record.appid !== fields.appid)) {
    return notFound(params, ["service_id", "appid", "sub_mchid", "authorization_code", "openid", "sub_openid"])
  }
  return withRiskLevel(record)
}

/**
 * The endpoints the sandbox serves for the permission family, with what each does.
 *
 * @internal
 */
export const behaviours: ReadonlyMap<string, Behaviour> = new Map<string, Behaviour>([
  [Permissions.queryByAuthorizationCode.name, query("Merchant", ["authorization_code", "service_id"])],
  [
    Permissions.queryPartnerByAuthorizationCode.name,
    query("Partner", ["authorization_code", "service_id", "sub_mchid"])
  ],
  [
    Permissions.queryAcquiringBankByAuthorizationCode.name,
    query("AcquiringBank", ["authorization_code", "service_id", "channel_id", "sub_mchid"])
  ],
  [Permissions.queryByOpenid.name, query("Openid", ["openid", "service_id", "appid"])],
  [Permissions.queryPartnerByOpenid.name, (params, { store }) => {
    const record = store.lookup(partnerOpenidKey(strings(params)))
    return record === undefined
      ? notFound(params, ["service_id", "appid", "sub_mchid", "sub_appid", "openid", "sub_openid"])
      : json(200, record)
  }],
  [Permissions.applyPermissions.name, apply("Merchant", () => ({ apply_permissions_token: newToken() }))],
  [Permissions.applyPartnerPermissions.name, apply("Partner", () => ({ apply_permissions_token: newToken() }))],
  [
    Permissions.applyAcquiringBankPermissions.name,
    apply("AcquiringBank", () => ({ apply_permissions_token: newToken() }))
  ],
  [
    Permissions.applyPartnerPermissionsForScene.name,
    apply("Partner", (params) => ({ scene: params["scene"], transaction_permissions_token: newToken() }))
  ],
  [Permissions.assessUserRiskLevel.name, assessUserRiskLevel],
  [Permissions.assessPartnerUserRiskLevel.name, assessPartnerUserRiskLevel],
  [Permissions.terminateByAuthorizationCode.name, terminate("Merchant")],
  [Permissions.terminatePartnerByAuthorizationCode.name, terminate("Partner")],
  [Permissions.terminateAcquiringBankByAuthorizationCode.name, terminate("AcquiringBank")],
  [Permissions.terminateByOpenid.name, terminate("Openid")],
  [Permissions.terminatePartnerByOpenid.name, terminate("PartnerOpenid")],
  [Certificates.downloadCertificates.name, (_, { apiV3Key, keys }) => planCertificates({ keys, apiV3Key })]
])

/** The endpoints of the permission family, and the certificate download. @internal */
export const endpoints = [...Permissions.all, Certificates.downloadCertificates] as const
