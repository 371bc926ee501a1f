/**
 * The fault soak, short (the long one is `npm run soak`): 600 queries at concurrency 32 against
 * the sandbox over real HTTP, 5% preceded by a random fault of every kind the sandbox has.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { runSoak } from "./soak.js"

describe("fault soak (short)", () => {
  it.live(
    "600 queries at concurrency 32 with 5% faults: no defect, no forged success, bounded attempts",
    () =>
      Effect.gen(function*() {
        const summary = yield* runSoak({
          calls: 600,
          concurrency: 32,
          faultRate: 0.05,
          timeout: "1 second",
          delay: "1200 millis",
          retries: 2,
          seed: 7
        })
        expect(summary.defects).toBe(0)
        expect(summary.interruptions).toBe(0)
        expect(summary.forgedSuccesses).toBe(0)
        expect(summary.wrongRecordSuccesses).toBe(0)
        expect(summary.attempts).toBeLessThanOrEqual(summary.maxAttempts)
        expect(summary.successes).toBeGreaterThan(500)
        expect(summary.faultsInjected).toBeGreaterThan(0)
        const failed = Object.values(summary.errors).reduce((a, b) => a + b, 0)
        expect(summary.successes + failed).toBe(summary.calls)
      }),
    60_000
  )
})
