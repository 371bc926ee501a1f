/**
 * On-CPU profiles of the per-call path with Linux `perf`: the subjects of bench/profile.ts (the
 * library over `UndiciHttpClient` one `runPromise` per query and in one Effect program, bare undici;
 * concurrency 16), each run as profile.ts's child under `perf record -e task-clock` (a sample every
 * 50 µs of a thread's own CPU time: a thread waiting for a CPU is not sampled, unlike
 * `node --cpu-prof`, which samples by the wall clock) with `node --perf-basic-prof` (JavaScript
 * frames by name). The samples of the measured window are summed per query: the client's main
 * thread by category and by symbol (self time), its other threads (WebCrypto's RSA on libuv's
 * threads, V8's compiler and GC helpers), and the bench server's process.
 *
 * Needs Linux, `perf`, and the right to profile (root, or `kernel.perf_event_paranoid` ≤ 1). Not
 * part of `npm run bench`. `npx tsx bench/perfProfile.ts` prints the tables (stderr) and JSON
 * (stdout); `BENCH_PROFILE_N` queries (default 6000) after `BENCH_PROFILE_WARMUP` (1000).
 */
import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { ROOT } from "./common.js"
import { type ChildResult, SUBJECTS } from "./profile.js"

const N = Number(process.env["BENCH_PROFILE_N"] ?? 6000)
/** µs of a thread's CPU time per sample. */
const PERIOD_MICROS = 50

/** The category of a sampled symbol (`sym`) in its object (`dso`). */
const categoryOf = (sym: string, dso: string): string => {
  if (dso.includes("kernel")) return "kernel (syscalls: socket I/O, epoll, futex, scheduling)"
  if (dso.includes("/perf-")) {
    if (/^(JS|Function|LazyCompile):/.test(sym)) {
      if (sym.includes("/node_modules/effect/")) return "JS: effect"
      if (sym.includes("/node_modules/@effect/")) return "JS: @effect/platform"
      if (sym.includes("/node_modules/undici/")) return "JS: undici"
      if (sym.includes("/dist/")) return "JS: effect-wechatpay dist"
      if (sym.includes("node:")) return "JS: node internals"
      if (sym.includes("/bench/")) return "JS: bench harness"
      return "JS: other"
    }
    return "V8 builtins / stubs"
  }
  if (dso.endsWith("/node") || dso === "node") {
    if (
      /Heap|Scaveng|MarkCompact|Mark[A-Z]|Sweep|Evacuat|GCTracer|MinorGC|Marking|Ephemeron|Compactor|MemoryAllocator|PagedSpace|NewSpace|SemiSpace|LargeObject|FreeList|RememberedSet|SlotSet|Barrier/
        .test(sym)
    ) return "V8 GC (incl. write barriers, allocation slow paths)"
    if (sym.startsWith("Builtins_")) return "V8 builtins / stubs"
    if (/EVP_|RSA|BN_|ossl_|OPENSSL|CRYPTO_|sha256|SHA256|bn_|rsaz|ASN1|asn1|X509|OSSL|ERR_|evp_|RAND_/.test(sym)) {
      return "OpenSSL (RSA, SHA-256)"
    }
    if (sym.startsWith("v8::internal::compiler::") || sym.startsWith("v8::internal::maglev::")) {
      return "V8 optimizing compiler"
    }
    if (sym.startsWith("uv_") || sym.startsWith("uv__")) return "libuv"
    if (sym.startsWith("node::")) return "node native"
    if (sym.startsWith("v8::")) return "V8 runtime (ICs, JSON, strings, API)"
    return "node binary (other)"
  }
  if (/libc|libm|libstdc|ld-linux|libpthread/.test(dso)) return "libc (malloc, memcpy, locks)"
  return `other: ${dso}`
}

interface Sample {
  readonly pid: number
  readonly tid: number
  readonly sym: string
  readonly dso: string
}

/** The per-query summary of one subject. */
export interface PerfProfile {
  readonly client: string
  readonly n: number
  /** Under perf: not a figure to compare with the benchmark's. */
  readonly qps: number
  readonly direct?: { readonly sends: number; readonly queries: number } | undefined
  /** µs of CPU per query. */
  readonly mainThread: number
  readonly otherThreads: number
  readonly server: number
  readonly mainByCategory: Readonly<Record<string, number>>
  readonly otherByCategory: Readonly<Record<string, number>>
  /** The main thread's symbols by self time, µs per query (the first 80). */
  readonly mainTop: ReadonlyArray<{ readonly symbol: string; readonly micros: number }>
}

const LINE = /^\s*(\d+)\/(\d+)\s+([\d.]+):\s+[0-9a-f]+\s+(.*?)\s+\((.*)\)\s*$/

const count = (samples: ReadonlyArray<Sample>, key: (s: Sample) => string, n: number) => {
  const out = new Map<string, number>()
  for (const s of samples) out.set(key(s), (out.get(key(s)) ?? 0) + (PERIOD_MICROS / n))
  return out
}

const sorted = (m: Map<string, number>) => Object.fromEntries([...m].sort((a, b) => b[1] - a[1]))

const profileOne = (subject: (typeof SUBJECTS)[number], dir: string): PerfProfile => {
  const data = join(dir, "perf.data")
  const record = spawnSync("perf", [
    "record",
    "-q",
    "-e",
    "task-clock",
    "-c",
    String(PERIOD_MICROS * 1000),
    "-k",
    "CLOCK_MONOTONIC",
    "-o",
    data,
    "--",
    process.execPath,
    "--import",
    "tsx",
    "--perf-basic-prof",
    `--logfile=${join(dir, "v8.log")}`,
    "--no-logfile-per-isolate",
    fileURLToPath(new URL("./profile.ts", import.meta.url))
  ], {
    cwd: ROOT,
    env: { ...process.env, BENCH_PROFILE_CHILD: JSON.stringify(subject), BENCH_PROFILE_N: String(N) },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024
  })
  if (record.status !== 0) throw new Error(`perf record: ${record.stderr || record.error}`)
  const meta = JSON.parse(record.stdout) as ChildResult
  const script = spawnSync("perf", ["script", "-i", data, "-F", "pid,tid,time,ip,sym,dso"], {
    encoding: "utf8",
    maxBuffer: 1024 * 1024 * 1024
  })
  rmSync(`/tmp/perf-${meta.pid}.map`, { force: true })
  if (script.status !== 0) throw new Error(`perf script: ${script.stderr}`)
  const from = meta.window.from / 1e6
  const to = meta.window.to / 1e6
  const samples: Array<Sample> = []
  for (const line of script.stdout.split("\n")) {
    const m = LINE.exec(line)
    if (m === null) continue
    const time = Number(m[3])
    if (time < from || time > to) continue
    samples.push({ pid: Number(m[1]), tid: Number(m[2]), sym: m[4]!, dso: m[5]! })
  }
  const main = samples.filter((s) => s.pid === meta.pid && s.tid === meta.pid)
  const others = samples.filter((s) => s.pid === meta.pid && s.tid !== meta.pid)
  const server = samples.filter((s) => s.pid !== meta.pid)
  const per = (k: number) => (k * PERIOD_MICROS) / meta.n
  const clean = (sym: string) => sym.replace(`file://${ROOT}`, "").replace(/node_modules\//g, "")
  return {
    client: meta.client,
    n: meta.n,
    qps: meta.qps,
    direct: meta.direct,
    mainThread: per(main.length),
    otherThreads: per(others.length),
    server: per(server.length),
    mainByCategory: sorted(count(main, (s) => categoryOf(s.sym, s.dso), meta.n)),
    otherByCategory: sorted(count(others, (s) => categoryOf(s.sym, s.dso), meta.n)),
    mainTop: [...count(main, (s) => clean(s.sym) || `(${s.dso})`, meta.n)].sort((a, b) => b[1] - a[1]).slice(0, 80)
      .map(([symbol, micros]) => ({ symbol, micros }))
  }
}

const table = (profiles: ReadonlyArray<PerfProfile>, pick: (p: PerfProfile) => Readonly<Record<string, number>>) => {
  const names = [...new Set(profiles.flatMap((p) => Object.keys(pick(p))))]
  return names.map((name) => `| ${name} | ${profiles.map((p) => (pick(p)[name] ?? 0).toFixed(1)).join(" | ")} |`)
}

const main = () => {
  const dir = mkdtempSync(join(tmpdir(), "effect-wechatpay-perf-"))
  try {
    const profiles = SUBJECTS.map((subject) => {
      const result = profileOne(subject, dir)
      console.error(`${result.client}: main thread ${result.mainThread.toFixed(0)} µs of CPU per query`)
      return result
    })
    const header = [
      `| µs of CPU per query | ${profiles.map((p) => p.client).join(" | ")} |`,
      `|---|${profiles.map(() => "---").join("|")}|`
    ]
    console.error(
      [
        "",
        ...header,
        `| client, main thread | ${profiles.map((p) => p.mainThread.toFixed(1)).join(" | ")} |`,
        `| client, other threads | ${profiles.map((p) => p.otherThreads.toFixed(1)).join(" | ")} |`,
        `| bench server | ${profiles.map((p) => p.server.toFixed(1)).join(" | ")} |`,
        "",
        "Main thread:",
        "",
        ...header,
        ...table(profiles, (p) => p.mainByCategory),
        "",
        "Other threads of the client:",
        "",
        ...header,
        ...table(profiles, (p) => p.otherByCategory),
        ""
      ].join("\n")
    )
    console.log(JSON.stringify({ periodMicros: PERIOD_MICROS, profiles }, null, 2))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

main()
