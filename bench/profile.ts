/**
 * CPU profiles of the per-call path, side by side: `effect-wechatpay (UndiciHttpClient)` called the
 * way a request handler calls it (one `ManagedRuntime.runPromise` per query), the same in one
 * Effect program (`Effect.forEach`), and the bare undici + WebCrypto client with no library, all at
 * concurrency 16 against the bench server; each in a child process run with `node --cpu-prof`
 * (sampled every 100 µs). Each profile is summarised over the measured queries only (start-up and
 * warm-up left out) as main-thread time per query: by category (Effect's runtime, our `dist/`,
 * undici, Node's internals, GC, …) and by function, self and inclusive. V8's profiler samples by
 * the wall clock: on a busy machine that time includes the main thread's waits for a CPU, which
 * concentrate where it wakes another thread (bench/results/PROFILE-NOTES.md). For on-CPU time, see
 * bench/perfProfile.ts (Linux perf).
 *
 * Over `UndiciHttpClient` it also counts the attempts that took the direct path
 * (internal/direct.ts: sign, send, read and verify as one callback chain) rather than the Effect
 * services, by wrapping the transport's direct `send`.
 *
 * Run alone: `npx tsx bench/profile.ts` (prints JSON; the .cpuprofile files stay in the OS temp
 * dir). One profile: `BENCH_PROFILE_TRANSPORT=UndiciHttpClient|undici|fetch|bare`,
 * `BENCH_PROFILE_WAY=in-program|runPromise`, `BENCH_PROFILE_CONCURRENCY=16`, `BENCH_PROFILE_N`.
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { bareUndici, type BenchClient, library, libraryName, type LibraryTransport, type Way } from "./clients.js"
import { QUICK, reply, ROOT, runChild } from "./common.js"
import { startServer } from "./server.js"

const N = Number(process.env["BENCH_PROFILE_N"] ?? (QUICK ? 500 : 4000))
const WARMUP = Number(process.env["BENCH_PROFILE_WARMUP"] ?? (QUICK ? 300 : 1000))
const INTERVAL_MICROS = Number(process.env["BENCH_PROFILE_INTERVAL"] ?? 100)

/** What one profile runs. */
export interface ProfileSubject {
  /** A library transport, or `bare` (undici + WebCrypto, no library). */
  readonly transport: LibraryTransport | "bare"
  readonly way: Way
  readonly concurrency: number
}

/** The profiles of `npm run bench`. */
export const SUBJECTS: ReadonlyArray<ProfileSubject> = [
  { transport: "UndiciHttpClient", way: "runPromise per query", concurrency: 16 },
  { transport: "UndiciHttpClient", way: "in-program", concurrency: 16 },
  { transport: "bare", way: "runPromise per query", concurrency: 16 }
]

export const subjectName = (s: ProfileSubject): string =>
  s.transport === "bare" ? "bare undici" : libraryName(s.transport, s.way)

/** A function and its share of the sampled time. */
export interface HotFunction {
  readonly name: string
  /** `file:line`, relative to the repository (or to `node_modules`). */
  readonly location: string
  readonly category: string
  readonly selfMillis: number
  readonly selfPercent: number
  /** Self time per query, µs. */
  readonly selfMicrosPerQuery: number
}

/** A function by the time of the samples it is on the stack of. */
export interface InclusiveFunction {
  readonly name: string
  readonly location: string
  readonly category: string
  /** Inclusive time per query, µs (synchronous stacks only: an `await` ends a stack). */
  readonly microsPerQuery: number
}

/** The summary of one profile. */
export interface ProfileResult {
  readonly client: string
  readonly subject: ProfileSubject
  readonly concurrency: number
  readonly n: number
  readonly qps: number
  readonly file: string
  readonly intervalMicros: number
  /** Sampled time that was not idle, ms. */
  readonly busyMillis: number
  /** Busy time per query, µs. */
  readonly busyMicrosPerQuery: number
  readonly gcPercent: number
  /** Self time by category, µs per query, largest first. */
  readonly categories: ReadonlyArray<{ readonly name: string; readonly microsPerQuery: number }>
  readonly top: ReadonlyArray<HotFunction>
  readonly inclusive: ReadonlyArray<InclusiveFunction>
  /** Self time by package (`effect`, `@effect/platform`, `undici`, `node:` internals, this repo, …). */
  readonly byPackage: ReadonlyArray<{ readonly name: string; readonly selfPercent: number }>
  /** Over `UndiciHttpClient`: attempts that took the direct path, of all queries measured. */
  readonly direct?: { readonly sends: number; readonly queries: number } | undefined
}

/** Everything `profile.ts` measures for `npm run bench`. */
export interface ProfileResults {
  readonly profiles: ReadonlyArray<ProfileResult>
}

interface CpuProfileNode {
  readonly id: number
  readonly callFrame: {
    readonly functionName: string
    readonly url: string
    readonly lineNumber: number
  }
  readonly children?: ReadonlyArray<number>
}

interface CpuProfile {
  readonly nodes: ReadonlyArray<CpuProfileNode>
  readonly startTime: number
  readonly samples: ReadonlyArray<number>
  readonly timeDeltas: ReadonlyArray<number>
}

/** The measured window, in the profile's clock (monotonic microseconds, as `process.hrtime`). */
export interface Window {
  readonly from: number
  readonly to: number
}

const packageOf = (url: string): string => {
  if (url === "") return "(native / V8)"
  if (url.startsWith("node:")) return "node: internals"
  const modules = url.lastIndexOf("node_modules/")
  if (modules >= 0) {
    const rest = url.slice(modules + "node_modules/".length).split("/")
    return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!
  }
  if (url.includes("/dist/")) return "effect-wechatpay (dist)"
  if (url.includes("/src/")) return "effect-wechatpay (src: test fixtures)"
  if (url.includes("/bench/")) return "bench harness"
  return url
}

/**
 * The category of a frame, for the per-query table. Two frames get categories of their own: the
 * executor of `jobPromise` (node:internal/crypto/util), where WebCrypto hands a sign or verify to
 * libuv's threads, and `writeLatin1String`, where undici writes a request to its socket. Both wake
 * another thread or process, which on a busy machine often takes the CPU from the main thread
 * there and then: `--cpu-prof` samples by the wall clock, so that wait is counted as their "self
 * time" (bench/results/PROFILE-NOTES.md: most of it is waiting, not work).
 */
const categoryOf = (frame: CpuProfileNode["callFrame"]): string => {
  if (frame.functionName === "(garbage collector)") return "GC"
  if (frame.url === "node:internal/crypto/util" && frame.lineNumber + 1 === 470) {
    return "WebCrypto job dispatch (jobPromise; mostly waiting for a CPU)"
  }
  if (frame.functionName === "writeLatin1String") return "socket write (writeLatin1String; waiting for a CPU too)"
  if (frame.functionName === "(program)") return "(program): V8, not attributed to JS"
  const pkg = packageOf(frame.url)
  if (pkg === "effect") return "effect (runtime, core)"
  if (pkg === "@effect/platform" || pkg === "@effect/platform-node") return "@effect/platform(-node)"
  if (pkg === "(native / V8)") return "native / V8 builtins (incl. WebCrypto calls)"
  if (pkg === "tsx" || pkg === "esbuild") return "other"
  return pkg
}

const locationOf = (frame: CpuProfileNode["callFrame"]): string =>
  `${frame.url.replace(`file://${ROOT}`, "").replace(/^.*node_modules\//, "")}:${frame.lineNumber + 1}`

/** Reads a `.cpuprofile` into per-query times. */
export const summarise = (file: string, meta: ChildResult): ProfileResult => {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  const self = new Map<number, number>()
  let at = profile.startTime
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0
    at += delta
    if (at < meta.window.from || at > meta.window.to) continue
    const id = profile.samples[i]!
    self.set(id, (self.get(id) ?? 0) + delta)
  }
  const perQuery = (micros: number) => micros / meta.n
  const byFunction = new Map<
    string,
    { name: string; location: string; micros: number; pkg: string; category: string }
  >()
  const inclusive = new Map<string, { name: string; location: string; micros: number; category: string }>()
  let busy = 0
  let gc = 0
  for (const [id, time] of self) {
    const frame = byId.get(id)!.callFrame
    if (frame.functionName === "(idle)") continue
    busy += time
    if (frame.functionName === "(garbage collector)") gc += time
    const location = locationOf(frame)
    const key = `${frame.functionName}@${location}`
    const entry = byFunction.get(key) ??
      {
        name: frame.functionName || "(anonymous)",
        location,
        micros: 0,
        pkg: packageOf(frame.url),
        category: categoryOf(frame)
      }
    entry.micros += time
    byFunction.set(key, entry)
    // inclusive: every distinct function on this sample's stack
    const seen = new Set<string>()
    for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
      const f = byId.get(node)!.callFrame
      if (f.functionName === "(root)") continue
      const k = `${f.functionName}@${locationOf(f)}`
      if (seen.has(k)) continue
      seen.add(k)
      const e = inclusive.get(k) ??
        { name: f.functionName || "(anonymous)", location: locationOf(f), micros: 0, category: categoryOf(f) }
      e.micros += time
      inclusive.set(k, e)
    }
  }
  const packages = new Map<string, number>()
  const categories = new Map<string, number>()
  for (const entry of byFunction.values()) {
    packages.set(entry.pkg, (packages.get(entry.pkg) ?? 0) + entry.micros)
    categories.set(entry.category, (categories.get(entry.category) ?? 0) + entry.micros)
  }
  const top = [...byFunction.values()].sort((a, b) => b.micros - a.micros).slice(0, 25)
  return {
    client: meta.client,
    subject: meta.subject,
    concurrency: meta.subject.concurrency,
    n: meta.n,
    qps: meta.qps,
    file,
    intervalMicros: INTERVAL_MICROS,
    busyMillis: busy / 1000,
    busyMicrosPerQuery: perQuery(busy),
    gcPercent: (gc / busy) * 100,
    categories: [...categories].sort((a, b) => b[1] - a[1]).map(([name, micros]) => ({
      name,
      microsPerQuery: perQuery(micros)
    })),
    top: top.map((e) => ({
      name: e.name,
      location: e.location,
      category: e.category,
      selfMillis: e.micros / 1000,
      selfPercent: (e.micros / busy) * 100,
      selfMicrosPerQuery: perQuery(e.micros)
    })),
    inclusive: [...inclusive.values()].sort((a, b) => b.micros - a.micros).slice(0, 60).map((e) => ({
      name: e.name,
      location: e.location,
      category: e.category,
      microsPerQuery: perQuery(e.micros)
    })),
    byPackage: [...packages].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([name, time]) => ({
      name,
      selfPercent: (time / busy) * 100
    })),
    direct: meta.direct
  }
}

/** What the profiled child reports (also read by bench/perfProfile.ts). */
export interface ChildResult {
  readonly client: string
  /** The child's process id (its main thread's id too, on Linux). */
  readonly pid: number
  readonly subject: ProfileSubject
  readonly n: number
  readonly qps: number
  readonly window: Window
  readonly direct?: { readonly sends: number; readonly queries: number } | undefined
}

const micros = (): number => Number(process.hrtime.bigint() / 1000n)

const DIRECT_TRANSPORT = Symbol.for("effect-wechatpay/Direct/Transport")

/**
 * In the profiled child: start-up and a warm-up, then the measured queries; only the samples of
 * the measured window are summarised (start-up — tsx compiling, module loading — is left out).
 */
const child = async (subject: ProfileSubject) => {
  const server = await startServer()
  let sends = 0
  const countSends = (client: object) => {
    const direct = (client as { readonly [key: symbol]: { send: (...args: Array<never>) => unknown } | undefined })[
      DIRECT_TRANSPORT
    ]
    if (direct === undefined) return
    const send = direct.send
    direct.send = (...args) => {
      sends += 1
      return send(...args)
    }
  }
  const client: BenchClient = subject.transport === "bare"
    ? await bareUndici(server.baseUrl)
    : await library({ transport: subject.transport, way: subject.way }, server.baseUrl, {
      onTransport: subject.transport === "UndiciHttpClient" ? countSends : undefined
    })
  await client.run(WARMUP, subject.concurrency, () => {})
  sends = 0
  const from = micros()
  const start = performance.now()
  await client.run(N, subject.concurrency, () => {})
  const qps = (N / (performance.now() - start)) * 1000
  const to = micros()
  await client.close()
  await server.close()
  reply(
    {
      client: client.name,
      pid: process.pid,
      subject,
      n: N,
      qps,
      window: { from, to },
      direct: subject.transport === "UndiciHttpClient" ? { sends, queries: N } : undefined
    } satisfies ChildResult
  )
}

/** Profiles one subject in a child process and summarises the profile. */
export const profileOne = async (subject: ProfileSubject): Promise<ProfileResult> => {
  const dir = mkdtempSync(join(tmpdir(), "effect-wechatpay-profile-"))
  const meta = await runChild<ChildResult>("./profile.ts", {
    execArgv: ["--cpu-prof", `--cpu-prof-dir=${dir}`, `--cpu-prof-interval=${INTERVAL_MICROS}`],
    env: { BENCH_PROFILE_CHILD: JSON.stringify(subject) }
  })
  const file = readdirSync(dir).find((name) => name.endsWith(".cpuprofile"))
  if (file === undefined) throw new Error(`no .cpuprofile in ${dir}`)
  return summarise(join(dir, file), meta)
}

/** The subjects of `npm run bench`, or the one of `BENCH_PROFILE_TRANSPORT` / `_WAY` / `_CONCURRENCY`. */
const subjects = (): ReadonlyArray<ProfileSubject> => {
  const transport = process.env["BENCH_PROFILE_TRANSPORT"]
  if (transport === undefined) return SUBJECTS
  const way = process.env["BENCH_PROFILE_WAY"]
  return [{
    transport: transport as ProfileSubject["transport"],
    way: way === undefined || way.startsWith("runPromise") ? "runPromise per query" : "in-program",
    concurrency: Number(process.env["BENCH_PROFILE_CONCURRENCY"] ?? 16)
  }]
}

/** Profiles each subject, one after another. */
export const runProfiles = async (log: (line: string) => void = () => {}): Promise<ProfileResults> => {
  const profiles: Array<ProfileResult> = []
  for (const subject of subjects()) {
    const result = await profileOne(subject)
    log(
      `profile ${subjectName(subject)} c=${subject.concurrency}: ${
        result.busyMicrosPerQuery.toFixed(0)
      } µs of CPU per query${
        result.direct === undefined ? "" : `, direct attempts ${result.direct.sends} of ${result.direct.queries}`
      }`
    )
    profiles.push(result)
  }
  return { profiles }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const subject = process.env["BENCH_PROFILE_CHILD"]
  if (subject !== undefined) void child(JSON.parse(subject) as ProfileSubject)
  else {
    runProfiles((line) => console.error(line)).then(reply, (error: unknown) => {
      console.error(error)
      process.exit(1)
    })
  }
}
