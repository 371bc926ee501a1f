/**
 * `npm run soak`: 20,000 queries at concurrency 128 against the sandbox over real HTTP, 5% of them
 * preceded by a random fault of every kind the sandbox has (see `test/soak/soak.ts`). Prints a
 * table and writes it as JSON to `reports/soak-report.json`; exits 1 on a defect, an
 * interruption, a success after a forging fault, a wrong record, or more attempts than allowed.
 *
 *   npm run soak -- --calls 20000 --concurrency 128 --timeout 500 --seed 1
 */
import { Effect } from "effect"
import { writeFileSync } from "node:fs"
import { runSoak, summaryRows } from "../test/soak/soak.js"

const arg = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(`--${name}`)
  const value = index === -1 ? undefined : Number(process.argv[index + 1])
  return value === undefined || !Number.isFinite(value) ? fallback : value
}

const unhandled: Array<string> = []
process.on("unhandledRejection", (reason) => unhandled.push(`unhandledRejection: ${String(reason)}`))

const timeoutMillis = arg("timeout", 500)
const summary = await Effect.runPromise(runSoak({
  calls: arg("calls", 20_000),
  concurrency: arg("concurrency", 128),
  faultRate: arg("fault-rate", 0.05),
  timeout: `${timeoutMillis} millis`,
  delay: `${timeoutMillis + 200} millis`,
  retries: arg("retries", 2),
  seed: arg("seed", 1)
}))
const report = { ...summary, unhandledRejections: unhandled.length }
console.log("\nFault soak against the sandbox")
console.table(summaryRows(summary))
const out = new URL("../reports/soak-report.json", import.meta.url)
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`)
console.log(`written to ${out.pathname}`)
const ok = summary.defects === 0 && summary.interruptions === 0 && summary.forgedSuccesses === 0 &&
  summary.wrongRecordSuccesses === 0 && summary.attempts <= summary.maxAttempts && unhandled.length === 0
process.exit(ok ? 0 : 1)
