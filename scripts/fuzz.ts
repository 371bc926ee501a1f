/**
 * `npm run fuzz`: the long hostile-answer run (default 100,000 cases) through the library's real
 * pipeline (see `test/fuzz/hostile.ts` for the cases and the invariants). Prints a summary and
 * writes it as JSON to `reports/fuzz-report.json`; exits 1 on any violation, defect,
 * interruption, unhandled rejection or uncaught exception.
 *
 *   npm run fuzz -- --cases 100000 --seed 42 --concurrency 32
 */
import { Effect, FastCheck as fc } from "effect"
import { writeFileSync } from "node:fs"
import { buildContexts, describeCase, hostileCase, makeHarness, runCase } from "../test/fuzz/hostile.js"

const arg = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(`--${name}`)
  const value = index === -1 ? undefined : Number(process.argv[index + 1])
  return value === undefined || !Number.isFinite(value) ? fallback : value
}

const CASES = arg("cases", 100_000)
const SEED = arg("seed", 20_240_601)
const CONCURRENCY = arg("concurrency", 32)
const BATCH = 1000

const unhandled: Array<string> = []
process.on("unhandledRejection", (reason) => unhandled.push(`unhandledRejection: ${String(reason)}`))
process.on("uncaughtException", (error) => unhandled.push(`uncaughtException: ${String(error)}`))

const heapMiB = () => Math.round(process.memoryUsage().heapUsed / 1024 / 1024 * 10) / 10
const gc = (globalThis as { gc?: () => void }).gc

const program = Effect.gen(function*() {
  const harness = makeHarness()
  const contexts = yield* buildContexts(harness)
  const outcomes = new Map<string, number>()
  const byKind = new Map<string, Map<string, number>>()
  const violations: Array<{ readonly index: number; readonly violation: string; readonly testCase: string }> = []
  let violationCount = 0
  const started = Date.now()
  gc?.()
  const heapBefore = heapMiB()
  let done = 0
  for (let batch = 0; done < CASES; batch++) {
    const size = Math.min(BATCH, CASES - done)
    const cases = fc.sample(hostileCase, { numRuns: size, seed: SEED + batch })
    yield* Effect.forEach(
      cases,
      (testCase, i) => {
        const index = done + i
        return runCase(harness, `f${index}`, testCase).pipe(
          Effect.provide(contexts[testCase.client]!),
          Effect.map((outcome) => {
            outcomes.set(outcome.label, (outcomes.get(outcome.label) ?? 0) + 1)
            const kind = byKind.get(testCase.kind) ?? new Map<string, number>()
            kind.set(outcome.label, (kind.get(outcome.label) ?? 0) + 1)
            byKind.set(testCase.kind, kind)
            if (outcome.violation !== undefined) {
              violationCount += 1
              if (violations.length < 20) {
                violations.push({ index, violation: outcome.violation, testCase: describeCase(testCase) })
              }
            }
          })
        )
      },
      { concurrency: CONCURRENCY, discard: true }
    )
    done += size
    if (done % 10_000 === 0 || done === CASES) {
      process.stdout.write(`  ${done} cases, ${Math.round((Date.now() - started) / 1000)} s\n`)
    }
  }
  gc?.()
  const heapAfter = heapMiB()
  return {
    cases: CASES,
    seed: SEED,
    concurrency: CONCURRENCY,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    outcomes: Object.fromEntries([...outcomes.entries()].sort((a, b) => b[1] - a[1])),
    byKind: Object.fromEntries(
      [...byKind.entries()].sort().map(([kind, counts]) => [kind, Object.fromEntries(counts)])
    ),
    defects: outcomes.get("Die") ?? 0,
    interruptions: outcomes.get("Interrupt") ?? 0,
    violations: violationCount,
    firstViolations: violations,
    heapMiB: { before: heapBefore, after: heapAfter, gc: gc !== undefined }
  }
})

const summary = await Effect.runPromise(Effect.scoped(program))
// let any late rejection surface before judging
await new Promise((resolve) => setTimeout(resolve, 200))
const report = { ...summary, unhandled: unhandled.slice(0, 20), unhandledCount: unhandled.length }

console.log("\nHostile answers: fuzz summary")
console.table(Object.entries(report.outcomes).map(([outcome, count]) => ({ outcome, count })))
console.log(
  `cases ${report.cases} (seed ${report.seed}) in ${report.seconds} s; defects ${report.defects}, interruptions ${report.interruptions}, violations ${report.violations}, unhandled ${report.unhandledCount}; heap ${report.heapMiB.before} → ${report.heapMiB.after} MiB${
    report.heapMiB.gc ? " (after GC)" : ""
  }`
)
for (const v of report.firstViolations) console.log(`VIOLATION #${v.index}: ${v.violation}\n  ${v.testCase}`)
const out = new URL("../reports/fuzz-report.json", import.meta.url)
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`)
console.log(`written to ${out.pathname}`)
process.exit(report.violations === 0 && report.unhandledCount === 0 ? 0 : 1)
