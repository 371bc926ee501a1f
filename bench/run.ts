/**
 * `npm run bench`: every benchmark, each in its own child process, one after another (never in
 * `npm test`); writes BENCHMARKS.md, bench/results/chart.svg and bench/results/latest.json.
 * `BENCH_QUICK=1` for a smoke run of the harness. `npx tsx bench/run.ts --report`: BENCHMARKS.md and
 * the chart again from bench/results/latest.json (after a change to report.ts or chart.ts), measuring
 * nothing.
 */
import { execFileSync } from "node:child_process"
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { cpus, loadavg, release, totalmem, type } from "node:os"
import { join } from "node:path"
import type { BundleSizeResult } from "./bundleSize.js"
import { chart } from "./chart.js"
import type { ColdStartResult } from "./coldStart.js"
import { QUICK, ROOT, runChild } from "./common.js"
import type { E2EResult } from "./e2e.js"
import type { MemoryResult } from "./memory.js"
import type { ProfileResults } from "./profile.js"
import { markdown, type Results, targets, targetSummary } from "./report.js"
import type { SigningResult } from "./signing.js"

const version = (name: string): string => {
  const file = join(ROOT, "node_modules", name, "package.json")
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version : "?"
}

const main = async () => {
  const start = performance.now()
  const log = (line: string) => console.log(`[${((performance.now() - start) / 1000).toFixed(0)} s] ${line}`)
  const loadAverage = loadavg()
  // the library is benchmarked as users run it, built (dist/), and as the sources are now
  log("npm run build: the benchmarks run the library from dist/")
  execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" })
  const own = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }

  log("signing")
  const signing = await runChild<SigningResult>("./signing.ts")
  log("end to end")
  const e2e = await runChild<E2EResult>("./e2e.ts", { env: { BENCH_LOG: "1" } })
  log("cold start")
  const coldStart = await runChild<ColdStartResult>("./coldStart.ts")
  const bundleSize = await runChild<BundleSizeResult>("./bundleSize.ts")
  log("memory")
  const memory = await runChild<MemoryResult>("./memory.ts", {
    execArgv: ["--expose-gc"],
    env: { BENCH_MEMORY_CHILD: "1" }
  })
  log("profile")
  const profile = await runChild<ProfileResults>("./profile.ts")

  const results: Results = {
    machine: {
      cpu: cpus()[0]?.model ?? "?",
      cores: cpus().length,
      memoryGiB: totalmem() / 1024 ** 3,
      os: `${type()} ${release()}`,
      node: process.version,
      loadAverage,
      versions: {
        "effect-wechatpay": own.version,
        effect: version("effect"),
        "@effect/platform": version("@effect/platform"),
        "@effect/platform-node": version("@effect/platform-node"),
        undici: version("undici"),
        "undici (bundled in Node's fetch)": process.versions["undici"] ?? "?",
        "wechatpay-axios-plugin": version("wechatpay-axios-plugin"),
        axios: version("axios"),
        "wechatpay-node-v3": version("wechatpay-node-v3"),
        superagent: version("superagent"),
        tsx: version("tsx")
      },
      date: new Date().toISOString(),
      quick: QUICK,
      seconds: (performance.now() - start) / 1000
    },
    signing,
    e2e,
    coldStart,
    bundleSize,
    memory,
    profile
  }
  mkdirSync(join(ROOT, "bench", "results"), { recursive: true })
  writeFileSync(join(ROOT, "bench", "results", "latest.json"), JSON.stringify(results, null, 2) + "\n")
  writeFileSync(join(ROOT, "bench", "results", "chart.svg"), chart(e2e, signing))
  writeFileSync(join(ROOT, "BENCHMARKS.md"), markdown(results, "bench/results/chart.svg"))
  const all = targets(results)
  for (const t of all) {
    const bound = t.met || t.ceiling === undefined || t.ceiling.met ? "" : ` (no library code: ${t.ceiling.measured})`
    const before = t.before === undefined ? "" : ` (before: ${t.before})`
    log(`${t.met ? "met    " : "NOT MET"} [${t.group}] ${t.target}: ${t.measured}${before}${bound}`)
  }
  log(`issue 18: ${targetSummary(all.filter((t) => t.group === "issue 18"))}`)
  log(`earlier: ${targetSummary(all.filter((t) => t.group === "earlier"))}`)
  log(`done in ${results.machine.seconds.toFixed(0)} s: BENCHMARKS.md, bench/results/`)
}

const reportOnly = () => {
  const results = JSON.parse(readFileSync(join(ROOT, "bench", "results", "latest.json"), "utf8")) as Results
  writeFileSync(join(ROOT, "bench", "results", "chart.svg"), chart(results.e2e, results.signing))
  writeFileSync(join(ROOT, "BENCHMARKS.md"), markdown(results, "bench/results/chart.svg"))
  console.log(`BENCHMARKS.md and bench/results/chart.svg from bench/results/latest.json (${results.machine.date})`)
}
;(process.argv.includes("--report") ? Promise.resolve().then(reportOnly) : main()).catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
