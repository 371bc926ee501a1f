/**
 * The sandbox's records (src/testing/engine/records.ts): how a seed is keyed and answered.
 */
import { describe, expect, it } from "@effect/vitest"
import { recordAnswer, recordKey, seedKey } from "../../../src/testing/engine/records.js"
import { Sandbox } from "../../../src/testing/index.js"

describe("sandbox records", () => {
  it("keys a seed like the request that finds it", () => {
    const seed = Sandbox.Seed.AcquiringBank({
      authorization_code: "c",
      service_id: "s",
      channel_id: "ch",
      sub_mchid: "m",
      record: { authorization_state: "AVAILABLE" }
    })
    expect(seedKey(seed)).toBe(
      recordKey("AcquiringBank", { authorization_code: "c", service_id: "s", channel_id: "ch", sub_mchid: "m" })
    )
    expect(seedKey(seed)).not.toBe(recordKey("Partner", { authorization_code: "c", service_id: "s", sub_mchid: "m" }))
  })

  it("fills required fields, lets the record override them or drop them", () => {
    const seed = Sandbox.Seed.Merchant({
      authorization_code: "c",
      service_id: "s",
      record: { authorization_state: "X", appid: undefined, extra: 1 }
    })
    expect(recordAnswer(seed, "1900000001")).toEqual({
      service_id: "s",
      mchid: "1900000001",
      authorization_code: "c",
      authorization_state: "X",
      extra: 1
    })
  })
})
