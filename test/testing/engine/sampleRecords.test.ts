/**
 * The sample records (src/testing/engine/sampleRecords.ts), seeded by both Effect lines'
 * `SampleRecords`, the demo and the CLI: one per mode and state, each under its own key, each
 * described by a line that says how to ask for it.
 */
import { describe, expect, it } from "@effect/vitest"
import { seedKey } from "../../../src/testing/engine/records.js"
import * as Samples from "../../../src/testing/engine/sampleRecords.js"

describe("the sample records", () => {
  it("every mode, every state of the merchant's, each under its own key", () => {
    expect(Samples.seeds.map((s) => `${s._tag} ${s.record.authorization_state}`)).toEqual([
      "Merchant AVAILABLE",
      "Merchant UNAVAILABLE",
      "Merchant UNBINDUSER",
      "Partner AVAILABLE",
      "AcquiringBank AVAILABLE",
      "Openid AVAILABLE"
    ])
    expect(new Set(Samples.seeds.map(seedKey)).size).toBe(Samples.seeds.length)
    expect(Samples.seeds.every((s) => s.service_id === Samples.serviceId)).toBe(true)
  })

  it("one line per sample, naming its key", () => {
    const lines = Samples.describe()
    expect(lines).toHaveLength(Samples.seeds.length)
    expect(lines[0]).toBe("merchant --authorization-code 1275342195190894594 --service-id 500001 (AVAILABLE)")
    expect(lines[4]).toBe(
      `acquiring-bank --authorization-code BANK-AVAILABLE-0001 --service-id 500001 --channel-id ${Samples.channelId} --sub-mchid ${Samples.subMchid} (AVAILABLE)`
    )
  })
})
