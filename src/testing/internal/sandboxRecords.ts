/**
 * The sandbox's authorization records: how a seed is keyed, how a request finds it, and the answer
 * body it becomes.
 *
 * @internal
 */
import type { Seed } from "../Sandbox.js"

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
  Openid: ["openid", "service_id", "appid"]
} as const satisfies Record<Seed["_tag"], ReadonlyArray<string>>

/**
 * The key of a record: the endpoint and its key fields.
 *
 * @internal
 */
export const recordKey = (endpoint: Seed["_tag"], fields: Readonly<Record<string, string | undefined>>): string =>
  JSON.stringify([endpoint, ...KEY_FIELDS[endpoint].map((name) => fields[name] ?? "")])

/**
 * The key of a seed.
 *
 * @internal
 */
export const seedKey = (seed: Seed): string =>
  recordKey(seed._tag, seed as unknown as Readonly<Record<string, string | undefined>>)

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
  }
  const answer: Record<string, unknown> = {}
  for (const [name, value] of Object.entries({ ...base, ...seed.record })) {
    if (value !== undefined) answer[name] = value
  }
  return answer
}
