/**
 * The Effect 4 testing entry's `SampleRecords` (the sandbox engine's samples, shared with the Effect
 * 3 line): seeded into the Effect 4 sandbox, each answers its query over HTTP on 127.0.0.1 with its
 * state; each `describe()` line names what to ask for.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { PayScorePermissions } from "../../src/index.js"
import { SampleRecords, Sandbox } from "../../src/testing/index.js"
import { sandboxLayer } from "../helpers/sandbox.js"

const STATE_TAGS: Readonly<Record<string, string>> = {
  AVAILABLE: "Available",
  UNAVAILABLE: "Unavailable",
  UNBINDUSER: "UnbindUser"
}

describe("SampleRecords", () => {
  it.live("each sample, seeded into the sandbox, answers its own query with its state", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.Sandbox
      yield* SampleRecords.seed(sandbox)
      const p = yield* PayScorePermissions.PayScorePermissions
      const answered: Array<string> = []
      for (const seed of SampleRecords.seeds) {
        const record = yield* (() => {
          switch (seed._tag) {
            case "Merchant":
              return p.queryByAuthorizationCode(seed)
            case "Partner":
              return p.queryPartnerByAuthorizationCode(seed)
            case "AcquiringBank":
              return p.queryAcquiringBankByAuthorizationCode(seed)
            case "Openid":
              return p.queryByOpenid(seed)
            case "PartnerOpenid":
              return p.queryPartnerByOpenid({ ...seed, openid: seed.openid ?? "" })
          }
        })()
        expect(record._tag).toBe(STATE_TAGS[seed.record.authorization_state])
        answered.push(`${seed._tag} ${record.authorization_state}`)
      }
      expect(answered).toHaveLength(6)
      expect(SampleRecords.seeds.every((s) => s.service_id === SampleRecords.serviceId)).toBe(true)
    }).pipe(Effect.provide(sandboxLayer())))

  it("one line per sample, saying how to ask for it", () => {
    const lines = SampleRecords.describe()
    expect(lines).toHaveLength(SampleRecords.seeds.length)
    expect(lines[3]).toBe(
      `partner --authorization-code PARTNER-AVAILABLE-0001 --service-id ${SampleRecords.serviceId} --sub-mchid ${SampleRecords.subMchid} (AVAILABLE)`
    )
    expect(Sandbox.Seed.$is("Merchant")(SampleRecords.seeds[0]!)).toBe(true)
  })
})
