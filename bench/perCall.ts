/**
 * Per-call CPU without the network: the library over `UndiciHttpClient`, both ways (in one Effect
 * program; one `runPromise` per query), as it is now and as of `BENCH_BASELINE`, and the bare
 * undici + WebCrypto client, each answering from one canned answer of the bench server (an undici
 * `Dispatcher` that replays it on the next turn of the event loop; clients.ts `cannedDispatcher`):
 * no socket, no server process competing for the cores. What is left per query is the client's
 * own work — sign (WebCrypto), the library's call path, verify (WebCrypto), parse — so the CPU time
 * per query (`process.cpuUsage`, every thread) less bare undici's is what the library costs per
 * call, far less noisy than throughput on a shared machine.
 *
 * Each client in a child process of its own (as bench/e2e.ts), warmed up, then rounds alternating
 * between clients; medians over rounds. Not part of `npm run bench` (it measures what the
 * end-to-end benchmark's CPU column measures, minus the network): run it when the per-call cost is
 * the question.
 *
 * `npx tsx bench/perCall.ts` (prints JSON and a table); `BENCH_PERCALL_N` (default 4000),
 * `BENCH_PERCALL_ROUNDS` (5), `BENCH_PERCALL_CONCURRENCY` (16), `BENCH_BASELINE` as for e2e.
 */
import * as Undici from "undici"
import { prepareBaseline } from "./baseline.js"
import { bare, type CannedAnswer, clientName, type ClientSpec, WAYS } from "./clients.js"
import { median, QUICK, TARGET } from "./common.js"
import { inChild, type Measured, type Runner, startRunners } from "./e2e.js"
import { startServer } from "./server.js"

const N = Number(process.env["BENCH_PERCALL_N"] ?? (QUICK ? 1000 : 4000))
const ROUNDS = Number(process.env["BENCH_PERCALL_ROUNDS"] ?? (QUICK ? 2 : 5))
const CONCURRENCY = Number(process.env["BENCH_PERCALL_CONCURRENCY"] ?? 16)

/** One answer of the bench server to a bare, correctly signed query (headers as undici gives them). */
const capture = async (): Promise<CannedAnswer> => {
  const server = await startServer()
  const agent = new Undici.Agent()
  let captured: CannedAnswer | undefined
  try {
    const query = await bare(async (headers) => {
      const response = await Undici.request(server.baseUrl + TARGET, { headers, dispatcher: agent })
      const body = await response.body.text()
      const strings: Record<string, string> = {}
      for (const [name, value] of Object.entries(response.headers)) {
        if (typeof value === "string") strings[name] = value
      }
      captured = { headers: strings, body }
      return { status: response.statusCode, header: (name) => strings[name], body }
    })
    await query()
  } finally {
    await agent.close()
    await server.close()
  }
  return captured!
}

/** The medians of one client. */
export interface PerCallSummary {
  readonly client: string
  /** CPU µs per query (median over rounds), and each round's. */
  readonly cpuPerQuery: number
  readonly cpuRuns: ReadonlyArray<number>
  /** Of which the main thread's, µs per query (median), and its wait for a CPU. */
  readonly mainCpuPerQuery: number | undefined
  readonly mainWaitPerQuery: number | undefined
  /** Queries per second (no network: a ceiling, not a figure to compare with e2e). */
  readonly qps: number
}

const main = async () => {
  const log = (line: string) => console.error(line)
  const canned = await capture()
  const baseline = prepareBaseline(log)
  let runners: ReadonlyArray<Runner> = []
  try {
    const specs: Array<ClientSpec> = [
      ...(baseline.dist === undefined ? (["current"] as const) : (["current", "baseline"] as const)).flatMap((build) =>
        WAYS.map((way): ClientSpec => ({ kind: "library", transport: "UndiciHttpClient", way, build }))
      ),
      { kind: "bare", transport: "undici" }
    ]
    runners = await startRunners(
      specs.map((spec) => ({ spec, baseUrl: "http://127.0.0.1:9", baselineDist: baseline.dist, canned })),
      inChild,
      2
    )
    for (const runner of runners) await runner.warm(Math.min(N, 1000), CONCURRENCY)
    const runs = new Map<string, Array<Measured>>(runners.map((r) => [r.name, []]))
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < runners.length; i++) {
        const runner = runners[(i + round) % runners.length]!
        const measured = await runner.measure(N, CONCURRENCY)
        runs.get(runner.name)!.push(measured)
        log(`round ${round + 1}/${ROUNDS} ${runner.name}: ${measured.cpuPerQuery.toFixed(1)} µs CPU per query`)
      }
    }
    const summaries: Array<PerCallSummary> = specs.map((spec) => {
      const mine = runs.get(clientName(spec))!
      return {
        client: clientName(spec),
        cpuPerQuery: median(mine.map((m) => m.cpuPerQuery)),
        cpuRuns: mine.map((m) => m.cpuPerQuery),
        mainCpuPerQuery: mine.every((m) => m.mainCpuPerQuery !== undefined)
          ? median(mine.map((m) => m.mainCpuPerQuery!))
          : undefined,
        mainWaitPerQuery: mine.every((m) => m.mainWaitPerQuery !== undefined)
          ? median(mine.map((m) => m.mainWaitPerQuery!))
          : undefined,
        qps: median(mine.map((m) => m.qps))
      }
    })
    const bareSummary = summaries.find((s) => s.client === "bare undici")!
    const bareCpu = bareSummary.cpuPerQuery
    const bareMain = bareSummary.mainCpuPerQuery
    console.error(`\nconcurrency ${CONCURRENCY}, ${N} queries per run, medians of ${ROUNDS} rounds`)
    console.error(
      "| client | CPU µs per query | over bare undici | rounds | main thread µs per query | over bare undici | main thread waiting for a CPU µs per query |"
    )
    console.error("|---|---|---|---|---|---|---|")
    for (const s of summaries) {
      console.error(
        `| ${s.client} | ${s.cpuPerQuery.toFixed(1)} | ${(s.cpuPerQuery - bareCpu).toFixed(1)} | ${
          s.cpuRuns.map((x) => x.toFixed(0)).join(", ")
        } | ${s.mainCpuPerQuery?.toFixed(1) ?? "—"} | ${
          s.mainCpuPerQuery === undefined || bareMain === undefined ? "—" : (s.mainCpuPerQuery - bareMain).toFixed(1)
        } | ${s.mainWaitPerQuery?.toFixed(1) ?? "—"} |`
      )
    }
    console.log(
      JSON.stringify({ concurrency: CONCURRENCY, n: N, rounds: ROUNDS, baseline: baseline.info, summaries }, null, 2)
    )
  } finally {
    await Promise.allSettled(runners.map((r) => r.close()))
    baseline.cleanup()
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
