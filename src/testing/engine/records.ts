/**
 * The sandbox's authorization records: how a seed is keyed, how a request finds it, and the answer
 * body it becomes; and the record store, with the state changes of the apply, bind and terminate
 * endpoints. One record may be found under several keys (by code, by openid): a change made
 * through one key is seen through every other.
 *
 * @internal
 */
import type { Seed } from "./types.js"

/**
 * The default `appid` of answers when a seed does not name one (the documentation's sample).
 *
 * @internal
 */
export const DEFAULT_APPID = "wxd678efh567hg6787"

/**
 * The fields that key a record of each endpoint, in order.
 *
 * @internal
 */
export const KEY_FIELDS = {
  Merchant: ["authorization_code", "service_id"],
  Partner: ["authorization_code", "service_id", "sub_mchid"],
  AcquiringBank: ["authorization_code", "service_id", "channel_id", "sub_mchid"],
  Openid: ["openid", "service_id", "appid"],
  PartnerOpenid: ["service_id", "appid", "sub_mchid", "openid"],
  PartnerSubOpenid: ["service_id", "appid", "sub_mchid", "sub_appid", "sub_openid"]
} as const satisfies Record<RecordFamily, ReadonlyArray<string>>

/**
 * What a key finds: a seed kind, or the partner search by `sub_openid` (a second key of a
 * `PartnerOpenid` record).
 *
 * @internal
 */
export type RecordFamily = Seed["_tag"] | "PartnerSubOpenid"

/**
 * The key of a record: the endpoint and its key fields.
 *
 * @internal
 */
export const recordKey = (endpoint: RecordFamily, fields: Readonly<Record<string, string | undefined>>): string =>
  JSON.stringify([endpoint, ...KEY_FIELDS[endpoint].map((name) => fields[name] ?? "")])

/**
 * The key of a partner search (or partner terminate by openid): by `openid` when given, else by
 * `sub_openid` under `sub_appid`.
 *
 * @internal
 */
export const partnerOpenidKey = (fields: Readonly<Record<string, string | undefined>>): string =>
  fields.openid !== undefined ? recordKey("PartnerOpenid", fields) : recordKey("PartnerSubOpenid", fields)

/**
 * The key of a seed.
 *
 * @internal
 */
export const seedKey = (seed: Seed): string => seedKeys(seed)[0]!

/**
 * Every key a seed is found under (a `PartnerOpenid` seed with both `openid` and `sub_openid` has two).
 *
 * @internal
 */
export const seedKeys = (seed: Seed): ReadonlyArray<string> => {
  const fields = seed as unknown as Readonly<Record<string, string | undefined>>
  if (seed._tag !== "PartnerOpenid") return [recordKey(seed._tag, fields)]
  const keys: Array<string> = []
  if (seed.openid !== undefined) keys.push(recordKey("PartnerOpenid", fields))
  if (seed.sub_openid !== undefined) keys.push(recordKey("PartnerSubOpenid", fields))
  return keys.length === 0 ? [recordKey("PartnerOpenid", fields)] : keys
}

/**
 * The `authorization_success_time` of a `PartnerOpenid` seed that names none (the partner search
 * answer requires it).
 *
 * @internal
 */
export const DEFAULT_SUCCESS_TIME = "2015-05-20T13:29:35+08:00"

/**
 * The answer of a seed: the fields the endpoint always has (filled from the key, the merchant and
 * {@link DEFAULT_APPID}), then the seed's `record`, which overrides them; a field set to
 * `undefined` in `record` is left out (to answer without a required field, say).
 *
 * @internal
 */
export const recordAnswer = (seed: Seed, mchid: string): Readonly<Record<string, unknown>> => {
  let base: Record<string, unknown>
  switch (seed._tag) {
    case "Merchant":
      base = {
        service_id: seed.service_id,
        appid: DEFAULT_APPID,
        mchid,
        authorization_code: seed.authorization_code
      }
      break
    case "Partner":
      base = {
        service_id: seed.service_id,
        appid: DEFAULT_APPID,
        mchid,
        sub_mchid: seed.sub_mchid,
        authorization_code: seed.authorization_code
      }
      break
    case "AcquiringBank":
      base = {
        service_id: seed.service_id,
        appid: DEFAULT_APPID,
        mchid,
        sub_mchid: seed.sub_mchid,
        channel_id: seed.channel_id,
        authorization_code: seed.authorization_code
      }
      break
    case "Openid":
      base = { service_id: seed.service_id, appid: seed.appid, mchid, openid: seed.openid }
      break
    case "PartnerOpenid":
      base = {
        service_id: seed.service_id,
        appid: seed.appid,
        mchid,
        sub_mchid: seed.sub_mchid,
        sub_appid: seed.sub_appid,
        openid: seed.openid,
        sub_openid: seed.sub_openid,
        authorization_success_time: DEFAULT_SUCCESS_TIME
      }
      break
  }
  const answer: Record<string, unknown> = {}
  for (const [name, value] of Object.entries({ ...base, ...seed.record })) {
    if (value !== undefined) answer[name] = value
  }
  return answer
}

// ---------------------------------------------------------------------------------------------
// The store
// ---------------------------------------------------------------------------------------------

/**
 * A time as WeChat Pay writes it: RFC 3339 in Beijing time, e.g. `2015-05-20T13:29:35+08:00`.
 *
 * @internal
 */
export const beijingTime = (millis: number): string =>
  `${new Date(Math.floor(millis / 1000) * 1000 + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`

/** A record: its answer body (mutable: every key of the record sees a change). */
interface Entry {
  readonly family: RecordFamily
  readonly keyFields: Readonly<Record<string, string | undefined>>
  answer: Record<string, unknown>
}

/**
 * The families an apply endpoint writes to (by `authorization_code`).
 *
 * @internal
 */
export type ByCodeFamily = "Merchant" | "Partner" | "AcquiringBank"

/**
 * What an apply did.
 *
 * @internal
 */
export type ApplyOutcome =
  | { readonly _tag: "Applied" }
  | { readonly _tag: "AlreadyUsed"; readonly state: string }

/**
 * Who binds to a pre-authorization.
 *
 * @internal
 */
export interface Binding {
  readonly authorization_code: string
  readonly openid: string
  readonly sub_openid?: string | undefined
  readonly service_id?: string | undefined
}

/** The fields of an applied record, in answer order, from the apply request. */
const ANSWER_FIELDS: ReadonlyArray<string> = [
  "service_id",
  "appid",
  "mchid",
  "sub_mchid",
  "channel_id",
  "sub_appid",
  "authorization_code",
  "authorization_state",
  "notify_url"
]

/**
 * The sandbox's records and their state changes.
 *
 * @internal
 */
export class RecordStore {
  private readonly entries = new Map<string, Entry>()
  constructor(private readonly mchid: string) {}

  /** The answer body of the record under `key`. */
  lookup(key: string): Readonly<Record<string, unknown>> | undefined {
    return this.entries.get(key)?.answer
  }

  /** Adds a record (replacing whatever was under its keys). */
  seed(seed: Seed): void {
    const fields = seed as unknown as Readonly<Record<string, string | undefined>>
    const entry: Entry = { family: seed._tag, keyFields: fields, answer: { ...recordAnswer(seed, this.mchid) } }
    for (const key of seedKeys(seed)) this.entries.set(key, entry)
  }

  clear(): void {
    this.entries.clear()
  }

  /**
   * Apply (预授权): creates the record of `authorization_code` (state `UNBINDUSER`), or rewrites a
   * record that is still `UNBINDUSER`; a code already bound or terminated is not reused.
   */
  apply(family: ByCodeFamily, body: Readonly<Record<string, string | undefined>>, write: boolean): ApplyOutcome {
    const key = recordKey(family, body)
    const existing = this.entries.get(key)
    if (existing !== undefined && existing.answer.authorization_state !== "UNBINDUSER") {
      return { _tag: "AlreadyUsed", state: String(existing.answer.authorization_state) }
    }
    if (!write) return { _tag: "Applied" }
    const fields: Readonly<Record<string, string | undefined>> = {
      ...body,
      mchid: this.mchid,
      authorization_state: "UNBINDUSER"
    }
    const answer: Record<string, unknown> = {}
    for (const name of ANSWER_FIELDS) if (fields[name] !== undefined) answer[name] = fields[name]
    if (existing !== undefined) existing.answer = answer
    else this.entries.set(key, { family, keyFields: { ...body }, answer })
    return { _tag: "Applied" }
  }

  /**
   * The user confirms (the step that happens in WeChat, not over the API): every `UNBINDUSER`
   * record of `authorization_code` (of `service_id`, when given) becomes `AVAILABLE` with the
   * user's `openid` (and `sub_openid`, partner and acquiring bank modes) and is then also found by
   * openid: merchant records by `queryByOpenid` / `terminateByOpenid`, partner records by the
   * partner search / terminate. Returns how many records were bound.
   */
  bind(binding: Binding, now: number): number {
    const bound = new Set<Entry>()
    for (const entry of this.entries.values()) {
      if (entry.family !== "Merchant" && entry.family !== "Partner" && entry.family !== "AcquiringBank") continue
      if (entry.keyFields.authorization_code !== binding.authorization_code) continue
      if (binding.service_id !== undefined && entry.keyFields.service_id !== binding.service_id) continue
      if (entry.answer.authorization_state !== "UNBINDUSER") continue
      bound.add(entry)
    }
    for (const entry of bound) {
      const answer = entry.answer
      answer.authorization_state = "AVAILABLE"
      answer.openid = binding.openid
      if (entry.family !== "Merchant" && binding.sub_openid !== undefined) answer.sub_openid = binding.sub_openid
      answer.authorization_success_time = beijingTime(now)
      delete answer.cancel_authorization_time
      const fields = answer as Readonly<Record<string, string | undefined>>
      if (entry.family === "Merchant") this.entries.set(recordKey("Openid", fields), entry)
      if (entry.family === "Partner") {
        this.entries.set(recordKey("PartnerOpenid", fields), entry)
        if (binding.sub_openid !== undefined && fields.sub_appid !== undefined) {
          this.entries.set(recordKey("PartnerSubOpenid", fields), entry)
        }
      }
    }
    return bound.size
  }

  /**
   * Finds the record a terminate names: by its key, or (acquiring bank without `channel_id`) the
   * record of that code, service and sub-merchant whatever its channel.
   */
  find(family: RecordFamily, fields: Readonly<Record<string, string | undefined>>): Entry | undefined {
    if (family === "AcquiringBank" && fields.channel_id === undefined) {
      for (const entry of this.entries.values()) {
        if (
          entry.family === "AcquiringBank" &&
          entry.keyFields.authorization_code === fields.authorization_code &&
          entry.keyFields.service_id === fields.service_id &&
          entry.keyFields.sub_mchid === fields.sub_mchid
        ) return entry
      }
      return undefined
    }
    const key = family === "PartnerOpenid" || family === "PartnerSubOpenid"
      ? partnerOpenidKey(fields)
      : recordKey(family, fields)
    return this.entries.get(key)
  }

  /**
   * Terminate (解除授权): the record becomes `UNAVAILABLE` with `cancel_authorization_time`; one
   * already `UNAVAILABLE` is left as it is. `false` when there is no such record.
   */
  terminate(
    family: RecordFamily,
    fields: Readonly<Record<string, string | undefined>>,
    now: number,
    write: boolean
  ): boolean {
    const entry = this.find(family, fields)
    if (entry === undefined) return false
    if (write && entry.answer.authorization_state !== "UNAVAILABLE") {
      entry.answer.authorization_state = "UNAVAILABLE"
      entry.answer.cancel_authorization_time = beijingTime(now)
    }
    return true
  }
}
