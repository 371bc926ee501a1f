/**
 * Memory: the heap after 10k and after 100k queries of the library (`effect-wechatpay (UndiciHttpClient)`,
 * concurrency 64) against the bench server, each after a full GC (`--expose-gc`, run as a child
 * process by `runMemory`). No growth = the heap after 100k within 10% (or 2 MiB) of the heap after 10k.
 */
import { library } from "./clients.js"
import { QUICK, reply, runChild } from "./common.js"
import { startServer } from "./server.js"

const FIRST = Number(process.env["BENCH_MEMORY_FIRST"] ?? (QUICK ? 1_000 : 10_000))
const TOTAL = Number(process.env["BENCH_MEMORY_TOTAL"] ?? (QUICK ? 10_000 : 100_000))
const CONCURRENCY = 64

/** Heap figures, bytes. */
export interface MemoryResult {
  readonly client: string
  readonly concurrency: number
  readonly first: number
  readonly total: number
  readonly heapAfterWarmup: number
  readonly heapAfterFirst: number
  readonly heapAfterTotal: number
  readonly rssAfterTotal: number
  /** Queries per second over the whole run. */
  readonly qps: number
  readonly seconds: number
}

const heap = (): number => {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc === undefined) throw new Error("run with --expose-gc")
  gc()
  gc()
  return process.memoryUsage().heapUsed
}

const child = async () => {
  const server = await startServer()
  // over its own transport: the direct attempt (callbacks, timers, cancel functions) is where a leak
  // would hide, and it is the fastest client, which keeps the 100k queries short
  const client = await library({ transport: "UndiciHttpClient", way: "in-program" }, server.baseUrl)
  await client.run(1000, CONCURRENCY, () => {})
  const heapAfterWarmup = heap()
  const start = performance.now()
  await client.run(FIRST, CONCURRENCY, () => {})
  const heapAfterFirst = heap()
  await client.run(TOTAL - FIRST, CONCURRENCY, () => {})
  const seconds = (performance.now() - start) / 1000
  const heapAfterTotal = heap()
  const rssAfterTotal = process.memoryUsage().rss
  await client.close()
  await server.close()
  reply(
    {
      client: client.name,
      concurrency: CONCURRENCY,
      first: FIRST,
      total: TOTAL,
      heapAfterWarmup,
      heapAfterFirst,
      heapAfterTotal,
      rssAfterTotal,
      qps: TOTAL / seconds,
      seconds
    } satisfies MemoryResult
  )
}

/** Runs the memory measurement in a child process with `--expose-gc`. */
export const runMemory = (): Promise<MemoryResult> =>
  runChild<MemoryResult>("./memory.ts", { execArgv: ["--expose-gc"], env: { BENCH_MEMORY_CHILD: "1" } })

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.env["BENCH_MEMORY_CHILD"] === "1") void child()
  else {
    runMemory().then(reply, (error: unknown) => {
      console.error(error)
      process.exit(1)
    })
  }
}
