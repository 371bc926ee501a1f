/**
 * End to end: N permission queries at concurrency 1, 16, 64 and 256 against the bench server (a
 * child process on 127.0.0.1), for every client of `clients.ts`. First the server's own capacity
 * (a raw load: one pre-signed request repeated, answers not verified), then a warm-up of each
 * client, then rounds in which runs alternate between clients (the order rotates each round).
 * Each run records throughput, p50/p99 latency and the event-loop delay
 * (`perf_hooks.monitorEventLoopDelay`) p99 and max, beyond the monitor's resolution.
 *
 * Run alone: `npx tsx bench/e2e.ts` (prints JSON); `BENCH_QUICK=1` for a smoke run.
 */
import { monitorEventLoopDelay } from "node:perf_hooks"
import * as Undici from "undici"
import { Fixtures } from "../src/testing/index.js"
import { type BenchClient, CLIENT_NAMES, type ClientName, makeClients } from "./clients.js"
import { median, pemBody, percentile, QUICK, reply, TARGET } from "./common.js"
import { type BenchServer, startServer } from "./server.js"

/** The concurrencies measured. */
export const CONCURRENCIES: ReadonlyArray<number> = process.env["BENCH_CONCURRENCIES"]
  ? process.env["BENCH_CONCURRENCIES"].split(",").map(Number)
  : [1, 16, 64, 256]

/** `BENCH_CLIENTS=undici,axios`: only the clients whose name contains one of these (for profiling work). */
const ONLY = process.env["BENCH_CLIENTS"]?.split(",").filter((s) => s !== "")

const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? (QUICK ? 1 : 3))
/** Queries per run at concurrency ≥ 16, and at concurrency 1. */
const N = Number(process.env["BENCH_N"] ?? (QUICK ? 300 : 1000))
const N_SERIAL = Number(process.env["BENCH_N_SERIAL"] ?? (QUICK ? 100 : 300))
const ELD_RESOLUTION_MS = 5

/** One run of one client. */
export interface RunResult {
  readonly client: ClientName
  readonly concurrency: number
  readonly round: number
  readonly n: number
  /** Queries per second. */
  readonly qps: number
  /** Latency, milliseconds. */
  readonly p50: number
  readonly p99: number
  /** Event-loop delay beyond the monitor's resolution, milliseconds. */
  readonly eldP99: number
  readonly eldMax: number
}

/** The medians over rounds of one client at one concurrency. */
export interface Summary {
  readonly client: ClientName
  readonly concurrency: number
  readonly qps: number
  readonly p50: number
  readonly p99: number
  readonly eldP99: number
  readonly eldMax: number
  /** Throughput of each round, to show the spread. */
  readonly qpsRuns: ReadonlyArray<number>
}

/** The server's capacity under a raw load. */
export interface Capacity {
  readonly concurrency: number
  readonly n: number
  readonly qps: number
  readonly p50: number
  readonly p99: number
}

/** Everything `e2e.ts` measures. */
export interface E2EResult {
  readonly rounds: number
  readonly n: number
  readonly nSerial: number
  readonly capacity: ReadonlyArray<Capacity>
  readonly runs: ReadonlyArray<RunResult>
  readonly summaries: ReadonlyArray<Summary>
}

const measure = async (
  run: (record: (ms: number) => void) => Promise<void>,
  n: number
): Promise<{ qps: number; p50: number; p99: number; eldP99: number; eldMax: number }> => {
  const latencies = new Float64Array(n)
  let count = 0
  const record = (ms: number) => {
    latencies[count++] = ms
  }
  const monitor = monitorEventLoopDelay({ resolution: ELD_RESOLUTION_MS })
  monitor.enable()
  const start = performance.now()
  await run(record)
  const elapsed = performance.now() - start
  monitor.disable()
  if (count !== n) throw new Error(`expected ${n} latencies, got ${count}`)
  latencies.sort()
  const beyond = (ns: number) => Math.max(0, ns / 1e6 - ELD_RESOLUTION_MS)
  return {
    qps: (n / elapsed) * 1000,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    eldP99: beyond(monitor.percentile(99)),
    eldMax: beyond(monitor.max)
  }
}

/** A raw load: one request signed once (no client crypto), repeated over undici; answers not verified. */
const capacity = async (server: BenchServer, concurrency: number, n: number): Promise<Capacity> => {
  const subtle = globalThis.crypto.subtle
  const key = await subtle.importKey(
    "pkcs8",
    pemBody(Fixtures.merchantPrivateKeyPkcs8),
    { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    false,
    ["sign"]
  )
  const timestamp = String(Math.floor(Date.now() / 1000))
  const nonce = "BENCHCAPACITY0000000000000000000"
  const signature = Buffer.from(
    await subtle.sign("RSASSA-PKCS1-v1_5", key, new TextEncoder().encode(`GET\n${TARGET}\n${timestamp}\n${nonce}\n\n`))
  ).toString("base64")
  const headers = {
    accept: "application/json",
    "user-agent": "bench-capacity",
    "wechatpay-serial": Fixtures.wechatpayPublicKeyId,
    authorization:
      `WECHATPAY2-SHA256-RSA2048 mchid="${Fixtures.mchid}",nonce_str="${nonce}",signature="${signature}",timestamp="${timestamp}",serial_no="${Fixtures.merchantSerialNo}"`
  }
  const agent = new Undici.Agent({ keepAliveTimeout: 30_000 })
  const url = server.baseUrl + TARGET
  const result = await measure(async (record) => {
    let started = 0
    const worker = async () => {
      while (started < n) {
        started += 1
        const t = performance.now()
        const response = await Undici.request(url, { headers, dispatcher: agent })
        await response.body.text()
        if (response.statusCode !== 200) throw new Error(`capacity load: status ${response.statusCode}`)
        record(performance.now() - t)
      }
    }
    await Promise.all(Array.from({ length: concurrency }, worker))
  }, n)
  await agent.close()
  return { concurrency, n, qps: result.qps, p50: result.p50, p99: result.p99 }
}

const checkServer = async (server: BenchServer, expected: number, what: string) => {
  const byStatus = await server.stats()
  const ok = byStatus["200"] ?? 0
  if (ok !== expected || Object.keys(byStatus).some((status) => status !== "200")) {
    throw new Error(`${what}: the server answered ${JSON.stringify(byStatus)}, expected ${expected} × 200`)
  }
}

/** Runs the whole end-to-end benchmark. */
export const runE2E = async (log: (line: string) => void = () => {}): Promise<E2EResult> => {
  const server = await startServer()
  const clients: ReadonlyArray<BenchClient> = (await makeClients(server.baseUrl)).filter((c) =>
    ONLY === undefined || ONLY.some((part) => c.name.includes(part))
  )
  try {
    const capacityResults: Array<Capacity> = []
    for (const concurrency of [64, 256]) {
      await capacity(server, concurrency, Math.min(500, N))
      const result = await capacity(server, concurrency, N)
      await checkServer(server, N + Math.min(500, N), "capacity")
      capacityResults.push(result)
      log(`capacity c=${concurrency}: ${result.qps.toFixed(0)} q/s`)
    }
    for (const client of clients) {
      const warm = Math.min(N, 500)
      await client.run(warm, 16, () => {})
      await checkServer(server, warm, `${client.name} warm-up`)
    }
    const runs: Array<RunResult> = []
    for (let round = 0; round < ROUNDS; round++) {
      for (const concurrency of CONCURRENCIES) {
        const n = concurrency === 1 ? N_SERIAL : N
        for (let i = 0; i < clients.length; i++) {
          const client = clients[(i + round) % clients.length]!
          const result = await measure((record) => client.run(n, concurrency, record), n)
          await checkServer(server, n, client.name)
          runs.push({ client: client.name as ClientName, concurrency, round, n, ...result })
          log(
            `round ${round + 1}/${ROUNDS} c=${concurrency} ${client.name}: ${result.qps.toFixed(0)} q/s, p50 ${
              result.p50.toFixed(2)
            } ms, p99 ${result.p99.toFixed(2)} ms, ELD max ${result.eldMax.toFixed(1)} ms`
          )
        }
      }
    }
    const summaries: Array<Summary> = []
    for (const concurrency of CONCURRENCIES) {
      for (const name of CLIENT_NAMES) {
        const mine = runs.filter((r) => r.client === name && r.concurrency === concurrency)
        summaries.push({
          client: name,
          concurrency,
          qps: median(mine.map((r) => r.qps)),
          p50: median(mine.map((r) => r.p50)),
          p99: median(mine.map((r) => r.p99)),
          eldP99: median(mine.map((r) => r.eldP99)),
          eldMax: median(mine.map((r) => r.eldMax)),
          qpsRuns: mine.map((r) => r.qps)
        })
      }
    }
    return { rounds: ROUNDS, n: N, nSerial: N_SERIAL, capacity: capacityResults, runs, summaries }
  } finally {
    for (const client of clients) await client.close()
    await server.close()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runE2E((line) => console.error(line)).then(reply, (error: unknown) => {
    console.error(error)
    process.exit(1)
  })
}
