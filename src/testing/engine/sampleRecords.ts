/**
 * A set of sample authorization records, one per mode and state, that the demo, the CLI's
 * `--sandbox` and `effect-wechatpay sandbox` seed into a sandbox (through either Effect line's
 * `SampleRecords`), so that a fresh install has something to query.
 *
 * @internal
 */
import type { Seed } from "./types.js"

/**
 * The `service_id` of every sample record.
 *
 * @internal
 */
export const serviceId = "500001"

/** @internal */
export const subMchid = "1900000109"

/** @internal */
export const channelId = "2000000001"

/** @internal */
export const appid = "wxd678efh567hg6787"

/**
 * The samples: for each mode, one record per state (a 19-digit numeric code among them).
 *
 * @internal
 */
export const seeds: ReadonlyArray<Seed> = [
  {
    _tag: "Merchant",
    authorization_code: "1275342195190894594",
    service_id: serviceId,
    record: {
      authorization_state: "AVAILABLE",
      openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
      authorization_success_time: "2026-11-20T10:00:00+08:00",
      notify_url: "https://merchant.example.com/payscore/notify",
      user_risk_level: 1,
      risk_level_version: 1
    }
  },
  {
    _tag: "Merchant",
    authorization_code: "MERCHANT-UNAVAILABLE-0001",
    service_id: serviceId,
    record: {
      authorization_state: "UNAVAILABLE",
      openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
      authorization_success_time: "2026-10-01T09:00:00+08:00",
      cancel_authorization_time: "2026-11-01T09:00:00+08:00"
    }
  },
  {
    _tag: "Merchant",
    authorization_code: "MERCHANT-UNBINDUSER-0001",
    service_id: serviceId,
    record: { authorization_state: "UNBINDUSER" }
  },
  {
    _tag: "Partner",
    authorization_code: "PARTNER-AVAILABLE-0001",
    service_id: serviceId,
    sub_mchid: subMchid,
    record: {
      authorization_state: "AVAILABLE",
      openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
      sub_appid: "wxcbda96de0b165484",
      sub_openid: "o5Dq15C8Cg0Q2hnmCuvb2f3H-Y5o",
      authorization_success_time: "2026-11-21T08:30:00+08:00"
    }
  },
  {
    _tag: "AcquiringBank",
    authorization_code: "BANK-AVAILABLE-0001",
    service_id: serviceId,
    channel_id: channelId,
    sub_mchid: subMchid,
    record: {
      authorization_state: "AVAILABLE",
      channel_id: channelId,
      sub_appid: "wxcbda96de0b165484",
      authorization_success_time: "2026-11-21T12:00:00+08:00"
    }
  },
  {
    _tag: "Openid",
    openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
    service_id: serviceId,
    appid,
    record: {
      authorization_state: "AVAILABLE",
      authorization_code: "1275342195190894594",
      authorization_success_time: "2026-11-20T10:00:00+08:00",
      user_risk_level: 1
    }
  }
]

/**
 * One line per sample: how to ask for it.
 *
 * @internal
 */
export const describe = (): ReadonlyArray<string> =>
  seeds.map((seed) => {
    switch (seed._tag) {
      case "Merchant":
        return `merchant --authorization-code ${seed.authorization_code} --service-id ${seed.service_id} (${seed.record.authorization_state})`
      case "Partner":
        return `partner --authorization-code ${seed.authorization_code} --service-id ${seed.service_id} --sub-mchid ${seed.sub_mchid} (${seed.record.authorization_state})`
      case "AcquiringBank":
        return `acquiring-bank --authorization-code ${seed.authorization_code} --service-id ${seed.service_id} --channel-id ${seed.channel_id} --sub-mchid ${seed.sub_mchid} (${seed.record.authorization_state})`
      case "Openid":
        return `merchant --openid ${seed.openid} --service-id ${seed.service_id} --appid ${seed.appid} (${seed.record.authorization_state})`
      case "PartnerOpenid":
        return `partner search: service_id ${seed.service_id}, appid ${seed.appid}, sub_mchid ${seed.sub_mchid}, ${
          seed.openid === undefined ? `sub_openid ${seed.sub_openid}` : `openid ${seed.openid}`
        } (${seed.record.authorization_state})`
    }
  })
