/**
 * The CPU profile of the library's hot path: `effect-wechatpay (undici)` at concurrency 64 against
 * the bench server, in a child process run with `node --cpu-prof`; the profile is summarised as the
 * functions with the most self time (and self time by package), leaving out idle and GC.
 *
 * Run alone: `npx tsx bench/profile.ts` (prints JSON; the .cpuprofile stays in the OS temp dir).
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { bareUndici, library } from "./clients.js"
import { QUICK, reply, ROOT, runChild } from "./common.js"
import { startServer } from "./server.js"

const N = Number(process.env["BENCH_PROFILE_N"] ?? (QUICK ? 500 : 4000))
const CONCURRENCY = 64
/**
 * `BENCH_PROFILE_TRANSPORT=UndiciHttpClient`: the library over its own transport instead;
 * `BENCH_PROFILE_TRANSPORT=bare`: the bare undici client (no library), to compare with.
 */
const TRANSPORT = process.env["BENCH_PROFILE_TRANSPORT"] ?? "undici"

/** A function and its share of the sampled time. */
export interface HotFunction {
  readonly name: string
  /** `file:line`, relative to the repository. */
  readonly location: string
  readonly selfMillis: number
  readonly selfPercent: number
}

/** The summary of one profile. */
export interface ProfileResult {
  readonly client: string
  readonly concurrency: number
  readonly n: number
  readonly qps: number
  readonly file: string
  /** Sampled time that was not idle, ms. */
  readonly busyMillis: number
  readonly gcPercent: number
  readonly top: ReadonlyArray<HotFunction>
  /** Self time by package (`effect`, `@effect/platform`, `undici`, `node:` internals, this repo, …). */
  readonly byPackage: ReadonlyArray<{ readonly name: string; readonly selfPercent: number }>
}

interface CpuProfile {
  readonly nodes: ReadonlyArray<{
    readonly id: number
    readonly callFrame: {
      readonly functionName: string
      readonly url: string
      readonly lineNumber: number
    }
  }>
  readonly startTime: number
  readonly samples: ReadonlyArray<number>
  readonly timeDeltas: ReadonlyArray<number>
}

/** The measured window, in the profile's clock (monotonic microseconds, as `process.hrtime`). */
interface Window {
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

/** Reads a `.cpuprofile` into self times. */
export const summarise = (file: string, meta: ChildResult): ProfileResult => {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const self = new Map<number, number>()
  let at = profile.startTime
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0
    at += delta
    if (at < meta.window.from || at > meta.window.to) continue
    const id = profile.samples[i]!
    self.set(id, (self.get(id) ?? 0) + delta)
  }
  const byFunction = new Map<string, { name: string; location: string; micros: number; pkg: string }>()
  let busy = 0
  let gc = 0
  for (const [id, time] of self) {
    const frame = byId.get(id)!.callFrame
    if (frame.functionName === "(idle)") continue
    busy += time
    if (frame.functionName === "(garbage collector)") gc += time
    const location = `${frame.url.replace(`file://${ROOT}`, "").replace(/^.*node_modules\//, "")}:${
      frame.lineNumber + 1
    }`
    const key = `${frame.functionName}@${location}`
    const entry = byFunction.get(key) ??
      { name: frame.functionName || "(anonymous)", location, micros: 0, pkg: packageOf(frame.url) }
    entry.micros += time
    byFunction.set(key, entry)
  }
  const packages = new Map<string, number>()
  for (const entry of byFunction.values()) packages.set(entry.pkg, (packages.get(entry.pkg) ?? 0) + entry.micros)
  const top = [...byFunction.values()].sort((a, b) => b.micros - a.micros).slice(0, 15)
  return {
    client: meta.client,
    concurrency: CONCURRENCY,
    n: meta.n,
    qps: meta.qps,
    file,
    busyMillis: busy / 1000,
    gcPercent: (gc / busy) * 100,
    top: top.map((e) => ({
      name: e.name,
      location: e.location,
      selfMillis: e.micros / 1000,
      selfPercent: (e.micros / busy) * 100
    })),
    byPackage: [...packages].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([name, time]) => ({
      name,
      selfPercent: (time / busy) * 100
    }))
  }
}

interface ChildResult {
  readonly client: string
  readonly n: number
  readonly qps: number
  readonly window: Window
}

const micros = (): number => Number(process.hrtime.bigint() / 1000n)

/**
 * In the profiled child: start-up and a warm-up, then the measured queries; only the samples of
 * the measured window are summarised (start-up — tsx compiling, module loading — is left out).
 */
const child = async () => {
  const server = await startServer()
  const client = TRANSPORT === "UndiciHttpClient"
    ? await library("effect-wechatpay (UndiciHttpClient)", "UndiciHttpClient", server.baseUrl)
    : TRANSPORT === "bare"
    ? await bareUndici(server.baseUrl)
    : await library("effect-wechatpay (undici)", "undici", server.baseUrl)
  await client.run(500, CONCURRENCY, () => {})
  const from = micros()
  const start = performance.now()
  await client.run(N, CONCURRENCY, () => {})
  const qps = (N / (performance.now() - start)) * 1000
  const to = micros()
  await client.close()
  await server.close()
  reply({ client: client.name, n: N, qps, window: { from, to } } satisfies ChildResult)
}

/** Profiles the library at concurrency 64 and summarises the profile. */
export const runProfile = async (): Promise<ProfileResult> => {
  const dir = mkdtempSync(join(tmpdir(), "effect-wechatpay-profile-"))
  const meta = await runChild<ChildResult>("./profile.ts", {
    execArgv: ["--cpu-prof", `--cpu-prof-dir=${dir}`],
    env: { BENCH_PROFILE_CHILD: "1" }
  })
  const file = readdirSync(dir).find((name) => name.endsWith(".cpuprofile"))
  if (file === undefined) throw new Error(`no .cpuprofile in ${dir}`)
  return summarise(join(dir, file), meta)
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.env["BENCH_PROFILE_CHILD"] === "1") void child()
  else {
    runProfile().then(reply, (error: unknown) => {
      console.error(error)
      process.exit(1)
    })
  }
}
