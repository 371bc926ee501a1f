/**
 * BENCHMARKS.md from the measurements: the machine, the versions, each benchmark's table, and the
 * targets, each computed as met or not from the figures (never written by hand).
 */
import type { BundleSizeResult } from "./bundleSize.js"
import {
  BARE_FETCH,
  BARE_UNDICI,
  type ClientName,
  EFFECT4_TRANSPORTS,
  effect4Name,
  LIBRARY_TRANSPORTS,
  libraryName,
  type LibraryTransport,
  PEERS,
  PLATFORM_FETCH,
  PLATFORM_UNDICI,
  type Way,
  WAYS
} from "./clients.js"
import type { ColdStartResult, ImportAttribution } from "./coldStart.js"
import type { E2EResult, Summary } from "./e2e.js"
import type { MemoryResult } from "./memory.js"
import type { ProfileResult, ProfileResults } from "./profile.js"
import type { SigningResult } from "./signing.js"

/** Where and with what the figures were measured. */
export interface Machine {
  readonly cpu: string
  readonly cores: number
  readonly memoryGiB: number
  readonly os: string
  readonly node: string
  readonly loadAverage: ReadonlyArray<number>
  readonly versions: Readonly<Record<string, string>>
  readonly date: string
  readonly quick: boolean
  readonly seconds: number
}

/** Everything `run.ts` measured. */
export interface Results {
  readonly machine: Machine
  readonly signing: SigningResult
  readonly e2e: E2EResult
  readonly coldStart: ColdStartResult
  readonly bundleSize?: BundleSizeResult | undefined
  readonly memory: MemoryResult
  readonly profile: ProfileResults
}

/** A target and whether the figures meet it. */
export interface Target {
  /** Issue 18's targets, or the ones this report had before it. */
  readonly group: "issue 18" | "earlier"
  readonly target: string
  readonly measured: string
  readonly met: boolean
  /**
   * The same figure for a client with no library code over the same transport (the ceiling of any
   * library built on it), and whether that client meets the target; absent where no such bound
   * applies.
   */
  readonly ceiling?: { readonly client: ClientName; readonly measured: string; readonly met: boolean }
  /** The same figure for the baseline build (before), where there is one. */
  readonly before?: string
}

/**
 * "No slower than today" for the `@effect/platform` transports: at least this much of the
 * baseline's throughput, measured in the same run. 5% is the tolerance for noise: on a shared
 * 2-core machine single runs differ by up to ±20%, medians of 3 alternating rounds by a few
 * percent (see an A/A run, the baseline built from the same sources, in the table of current vs
 * baseline).
 */
export const NO_SLOWER_TOLERANCE = 0.95

/** Issue 18: at least this much of bare undici's throughput at concurrency 16, 64 and 256, both ways. */
export const OF_BARE = 0.95

/** Issue 18: the median latency at concurrency 1 within this factor of bare undici's. */
export const LATENCY_BOUND = 1.1

const current = (transport: LibraryTransport, way: Way) => libraryName(transport, way, "current")
const before = (transport: LibraryTransport, way: Way) => libraryName(transport, way, "baseline")

/** The bare client of a library transport (the same HTTP stack, no library, no Effect). */
const BARE_OF: Readonly<Record<LibraryTransport, ClientName>> = {
  fetch: BARE_FETCH,
  undici: BARE_UNDICI,
  UndiciHttpClient: BARE_UNDICI
}

/** The client with no library code over the same transport as one of ours. */
const NO_LIBRARY: Readonly<Record<LibraryTransport, ClientName>> = {
  fetch: PLATFORM_FETCH,
  undici: PLATFORM_UNDICI,
  // our own transport: the bound is undici itself
  UndiciHttpClient: BARE_UNDICI
}

const PLATFORM_TRANSPORTS: ReadonlyArray<LibraryTransport> = ["fetch", "undici"]

const find = (e2e: E2EResult, client: ClientName, concurrency: number): Summary | undefined =>
  e2e.summaries.find((s) => s.client === client && s.concurrency === concurrency)

const at = (e2e: E2EResult, client: ClientName, concurrency: number): Summary => {
  const found = find(e2e, client, concurrency)
  if (found === undefined) throw new Error(`no figures for ${client} at c=${concurrency}`)
  return found
}

/** Whether every one of these clients was measured at every one of these concurrencies. */
const measured = (e2e: E2EResult, clients: ReadonlyArray<ClientName>, concurrencies: ReadonlyArray<number>) =>
  clients.every((client) => concurrencies.every((c) => find(e2e, client, c) !== undefined))

/** The best peer at a concurrency by a measure (highest throughput, or lowest of a latency/delay). */
const bestPeer = (e2e: E2EResult, concurrency: number, by: "qps" | "p50" | "p99" | "eldP99" | "eldMax"): Summary =>
  PEERS.map((peer) => at(e2e, peer, concurrency)).reduce((best, s) =>
    by === "qps" ? (s.qps > best.qps ? s : best) : (s[by] < best[by] ? s : best)
  )

const f0 = (n: number) => n.toFixed(0)
const f1 = (n: number) => n.toFixed(1)
const f2 = (n: number) => n.toFixed(2)
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1)
/** CPU µs per query, and the main thread's in brackets where known. */
const cpu = (s: Summary) =>
  `${f0(s.cpuPerQuery)}${s.mainCpuPerQuery === undefined ? "" : ` (${f0(s.mainCpuPerQuery)})`}`

const concurrenciesOf = (e2e: E2EResult): ReadonlyArray<number> => [...new Set(e2e.summaries.map((s) => s.concurrency))]

/** Per transport, way and concurrency ≥ 16: the platform transport's ceiling and the library against it. */
const ceilings = (e2e: E2EResult) => {
  const rows: Array<
    { concurrency: number; transport: string; way: Way; ceiling: number; library: number; ofCeiling: number }
  > = []
  for (const concurrency of concurrenciesOf(e2e).filter((c) => c >= 16)) {
    for (const transport of PLATFORM_TRANSPORTS) {
      for (const way of WAYS) {
        const library = current(transport, way)
        const reference = NO_LIBRARY[transport]
        const bare = BARE_OF[transport]
        if (!measured(e2e, [library, reference, bare], [concurrency])) continue
        const l = at(e2e, library, concurrency).qps
        const r = at(e2e, reference, concurrency).qps
        const b = at(e2e, bare, concurrency).qps
        rows.push({ concurrency, transport, way, ceiling: r / b, library: l / b, ofCeiling: l / r })
      }
    }
  }
  return rows
}

/** Whether the baseline's clients were measured. */
const hasBaseline = (e2e: E2EResult): boolean => e2e.baseline._tag === "Built"

/** Issue 18's targets, computed. */
const issueTargets = (e2e: E2EResult): Array<Target> => {
  const out: Array<Target> = []
  const concurrencies = concurrenciesOf(e2e)
  const baseline = hasBaseline(e2e)
  for (const way of WAYS) {
    const ours = current("UndiciHttpClient", way)
    const old = before("UndiciHttpClient", way)
    for (const concurrency of concurrencies.filter((c) => c >= 16)) {
      if (!measured(e2e, [ours, BARE_UNDICI], [concurrency])) continue
      const bare = at(e2e, BARE_UNDICI, concurrency).qps
      const mine = at(e2e, ours, concurrency).qps
      const was = baseline ? find(e2e, old, concurrency) : undefined
      out.push({
        group: "issue 18",
        target: `c=${concurrency}, ${way}: ${ours} ≥ ${f2(OF_BARE)}x ${BARE_UNDICI}`,
        measured: `${f2(mine / bare)}x (${f0(mine)} vs ${f0(bare)} q/s)`,
        met: mine >= bare * OF_BARE,
        ...(was === undefined ? {} : { before: `${f2(was.qps / bare)}x (${f0(was.qps)} q/s)` })
      })
    }
    if (concurrencies.includes(1) && measured(e2e, [ours, BARE_UNDICI], [1])) {
      const bare = at(e2e, BARE_UNDICI, 1).p50
      const mine = at(e2e, ours, 1).p50
      const was = baseline ? find(e2e, old, 1) : undefined
      out.push({
        group: "issue 18",
        target: `c=1, ${way}: ${ours} median latency within ${f0((LATENCY_BOUND - 1) * 100)}% of ${BARE_UNDICI}`,
        measured: `${f2(mine)} ms vs ${f2(bare)} ms (${f2(mine / bare)}x)`,
        met: mine <= bare * LATENCY_BOUND,
        ...(was === undefined ? {} : { before: `${f2(was.p50)} ms (${f2(was.p50 / bare)}x)` })
      })
    }
  }
  if (baseline) {
    for (const transport of PLATFORM_TRANSPORTS) {
      for (const way of WAYS) {
        const ours = current(transport, way)
        const old = before(transport, way)
        for (const concurrency of concurrencies) {
          if (!measured(e2e, [ours, old], [concurrency])) continue
          const mine = at(e2e, ours, concurrency).qps
          const was = at(e2e, old, concurrency).qps
          out.push({
            group: "issue 18",
            target: `c=${concurrency}, ${way}: ${ours} no slower than today (≥ ${
              f2(NO_SLOWER_TOLERANCE)
            }x the baseline's q/s)`,
            measured: `${f2(mine / was)}x (${f0(mine)} vs ${f0(was)} q/s)`,
            met: mine >= was * NO_SLOWER_TOLERANCE,
            before: `${f0(was)} q/s`
          })
        }
      }
    }
  }
  return out
}

/** The targets this report had before issue 18, for the in-program way (where they were set). */
const earlierTargets = (results: Results): Array<Target> => {
  const { e2e, memory, signing } = results
  const out: Array<Target> = []
  const concurrencies = concurrenciesOf(e2e)
  const way: Way = "in-program"
  for (const concurrency of concurrencies.filter((c) => c >= 16)) {
    for (const transport of LIBRARY_TRANSPORTS) {
      const ours = current(transport, way)
      const bare = BARE_OF[transport]
      const reference = NO_LIBRARY[transport]
      if (!measured(e2e, [ours, bare, reference], [concurrency])) continue
      const ratio = at(e2e, ours, concurrency).qps / at(e2e, bare, concurrency).qps
      const bound = reference === bare
        ? undefined
        : at(e2e, reference, concurrency).qps / at(e2e, bare, concurrency).qps
      out.push({
        group: "earlier",
        target: `c=${concurrency}: ${ours} ≥ 0.85x ${bare}`,
        measured: `${f2(ratio)}x (${f0(at(e2e, ours, concurrency).qps)} vs ${f0(at(e2e, bare, concurrency).qps)} q/s)`,
        met: ratio >= 0.85,
        ...(bound === undefined
          ? {}
          : { ceiling: { client: reference, measured: `${f2(bound)}x`, met: bound >= 0.85 } })
      })
    }
  }
  for (const concurrency of [64, 256].filter((c) => concurrencies.includes(c))) {
    for (const transport of ["undici", "UndiciHttpClient"] as const) {
      const name = current(transport, way)
      const reference = NO_LIBRARY[transport]
      if (!measured(e2e, [name, reference, ...PEERS], [concurrency])) continue
      const ours = at(e2e, name, concurrency)
      const peer = bestPeer(e2e, concurrency, "qps")
      const bound = at(e2e, reference, concurrency).qps / peer.qps
      out.push({
        group: "earlier",
        target: `c=${concurrency}: ${name} ≥ 2.5x the best peer`,
        measured: `${f2(ours.qps / peer.qps)}x (${f0(ours.qps)} vs ${peer.client} ${f0(peer.qps)} q/s)`,
        met: ours.qps / peer.qps >= 2.5,
        ceiling: { client: reference, measured: `${f2(bound)}x`, met: bound >= 2.5 }
      })
    }
  }
  if (concurrencies.includes(1)) {
    for (const transport of LIBRARY_TRANSPORTS) {
      const ours = current(transport, way)
      const reference = NO_LIBRARY[transport]
      if (!measured(e2e, [ours, reference, ...PEERS], [1])) continue
      const peer = bestPeer(e2e, 1, "p50")
      const mine = at(e2e, ours, 1)
      const bound = at(e2e, reference, 1).p50
      out.push({
        group: "earlier",
        target: `c=1: ${ours} median latency within 10% of the best peer`,
        measured: `${f2(mine.p50)} ms vs ${peer.client} ${f2(peer.p50)} ms (${f2(mine.p50 / peer.p50)}x)`,
        met: mine.p50 <= peer.p50 * 1.1,
        ceiling: {
          client: reference,
          measured: `${f2(bound)} ms (${f2(bound / peer.p50)}x)`,
          met: bound <= peer.p50 * 1.1
        }
      })
    }
  }
  if (concurrencies.includes(64)) {
    for (const transport of LIBRARY_TRANSPORTS) {
      const ours = current(transport, way)
      if (!measured(e2e, [ours, ...PEERS], [64])) continue
      const mine = at(e2e, ours, 64)
      for (
        const [by, label] of [["p99", "p99 latency"], ["eldP99", "event-loop delay p99"], [
          "eldMax",
          "event-loop delay max"
        ]] as const
      ) {
        const peer = bestPeer(e2e, 64, by)
        out.push({
          group: "earlier",
          target: `c=64: ${ours} ${label} below the best peer's`,
          measured: `${f1(mine[by])} ms vs ${peer.client} ${f1(peer[by])} ms`,
          met: mine[by] < peer[by]
        })
      }
    }
  }
  const library = signing.figures.find((f) => f.kind === "library")!
  out.push({
    group: "earlier",
    target: "signing ≥ 0.9x the WebCrypto floor",
    measured: `${f2(library.ratioToFloor)}x (${f0(library.perSecond)}/s vs ${f0(signing.figures[0]!.perSecond)}/s)`,
    met: library.ratioToFloor >= 0.9
  })
  const growth = memory.heapAfterTotal - memory.heapAfterFirst
  out.push({
    group: "earlier",
    target: `no heap growth between ${memory.first} and ${memory.total} queries (within 10% or 2 MiB)`,
    measured: `${mib(memory.heapAfterFirst)} → ${mib(memory.heapAfterTotal)} MiB (${growth >= 0 ? "+" : ""}${
      mib(growth)
    } MiB)`,
    met: growth <= Math.max(2 * 1024 * 1024, memory.heapAfterFirst * 0.1)
  })
  return out
}

/** Every target, computed: issue 18's first, then the earlier ones. */
export const targets = (results: Results): ReadonlyArray<Target> => [
  ...issueTargets(results.e2e),
  ...earlierTargets(results)
]

/** One line: how many targets are met, and how many of the others no library could meet. */
export const targetSummary = (all: ReadonlyArray<Target>): string => {
  const met = all.filter((t) => t.met).length
  const beyond = all.filter((t) => !t.met && t.ceiling !== undefined && !t.ceiling.met).length
  return `${met} of ${all.length} targets met${
    beyond === 0 ?
      "" :
      `; of the ${all.length - met} not met, ${beyond} ${
        beyond === 1 ? "is" : "are"
      } missed by the client with no library code over the same transport as well`
  }.`
}

/** The table of current vs baseline, per transport, way and concurrency. */
const beforeAfter = (e2e: E2EResult): ReadonlyArray<string> => {
  const rows: Array<string> = []
  for (const transport of LIBRARY_TRANSPORTS) {
    for (const way of WAYS) {
      for (const concurrency of concurrenciesOf(e2e)) {
        const now = find(e2e, current(transport, way), concurrency)
        const was = find(e2e, before(transport, way), concurrency)
        const bare = find(e2e, BARE_OF[transport], concurrency)
        if (now === undefined || was === undefined) continue
        rows.push(
          `| ${transport} | ${way} | ${concurrency} | ${f0(now.qps)} | ${f0(was.qps)} | ${f2(now.qps / was.qps)}x | ${
            bare === undefined ? "—" : `${f2(now.qps / bare.qps)}x / ${f2(was.qps / bare.qps)}x`
          } | ${f2(now.p50)} / ${f2(was.p50)} | ${cpu(now)} / ${cpu(was)} |`
        )
      }
    }
  }
  return rows
}

/** The table of the two ways: runPromise per query against in-program, per build, transport and concurrency. */
const bothWays = (e2e: E2EResult): ReadonlyArray<string> => {
  const rows: Array<string> = []
  for (const build of ["current", "baseline"] as const) {
    for (const transport of LIBRARY_TRANSPORTS) {
      for (const concurrency of concurrenciesOf(e2e)) {
        const inProgram = find(e2e, libraryName(transport, "in-program", build), concurrency)
        const perQuery = find(e2e, libraryName(transport, "runPromise per query", build), concurrency)
        if (inProgram === undefined || perQuery === undefined) continue
        rows.push(
          `| ${build} | ${transport} | ${concurrency} | ${f0(inProgram.qps)} | ${f0(perQuery.qps)} | ${
            f2(perQuery.qps / inProgram.qps)
          }x | ${f2(inProgram.p50)} / ${f2(perQuery.p50)} | ${cpu(inProgram)} / ${cpu(perQuery)} |`
        )
      }
    }
  }
  return rows
}

/** What BENCHMARKS.md says about the baseline build. */
const baselineLine = (e2e: E2EResult): string => {
  const b = e2e.baseline
  if (b._tag === "Skipped") return `No baseline build in this run (${b.reason}): the "before" figures are absent.`
  return `Baseline ("before", \`effect-wechatpay@baseline\`): \`${b.ref}\` = ${b.commit.slice(0, 7)} ("${
    b.subject.replaceAll("|", "\\|")
  }"), built with tsup into a temporary git worktree (node_modules shared) and imported from its \`dist/\`, measured in the same run, same rounds, same clients.${
    b.sameSources
      ? " **Its sources are the same as this checkout's: an A/A run; the differences below are the noise of the run.**"
      : ""
  }`
}

/** The per-query profile tables (bench/profile.ts). */
const profileSection = (results: ProfileResults): ReadonlyArray<string> => {
  const { profiles } = results
  if (profiles.length === 0) return []
  const first = profiles[0]!
  const categories = [...new Set(profiles.flatMap((p) => p.categories.map((c) => c.name)))]
  const per = (p: ProfileResult, name: string) => p.categories.find((c) => c.name === name)?.microsPerQuery ?? 0
  return [
    "## 5. Profile of the per-call path",
    "",
    `\`node --cpu-prof\` (sampled every ${first.intervalMicros} µs), each subject in its own process at concurrency ${first.concurrency}, ${first.n} queries after a warm-up; only the samples of the measured queries. Main-thread time per query, µs (the samples that were not idle, divided by the queries). V8 samples by the wall clock: on a busy machine this includes the main thread's waits for a CPU, which pile up where it wakes another thread (the WebCrypto job dispatch, the socket write): read those two rows as waiting, the others as work. \`npx tsx bench/perfProfile.ts\` (Linux perf) gives on-CPU time instead.`,
    "",
    `| | ${profiles.map((p) => p.client).join(" | ")} |`,
    `|---|${profiles.map(() => "---").join("|")}|`,
    `| q/s under the profiler | ${profiles.map((p) => f0(p.qps)).join(" | ")} |`,
    `| **busy µs per query** | ${profiles.map((p) => `**${f0(p.busyMicrosPerQuery)}**`).join(" | ")} |`,
    ...categories.map((name) => `| ${name} | ${profiles.map((p) => f1(per(p, name))).join(" | ")} |`),
    `| direct attempts (internal/direct.ts) | ${
      profiles.map((p) => p.direct === undefined ? "—" : `${p.direct.sends} of ${p.direct.queries}`).join(" | ")
    } |`,
    "",
    ...profiles.flatMap((p) => [
      `Top functions by self time, ${p.client}:`,
      "",
      "| function | where | category | self µs per query | self % |",
      "|---|---|---|---|---|",
      ...p.top.slice(0, 15).map((t) =>
        `| \`${t.name}\` | ${t.location} | ${t.category} | ${f1(t.selfMicrosPerQuery)} | ${f1(t.selfPercent)} |`
      ),
      ""
    ]),
    "bench/results/PROFILE-NOTES.md reads these profiles: what the `runPromise` way pays for.",
    ""
  ]
}

/** The Markdown report. */
export const markdown = (results: Results, chartPath: string): string => {
  const { coldStart, e2e, machine, memory, profile, signing } = results
  const lines: Array<string> = []
  const push = (...more: Array<string>) => lines.push(...more)
  push(
    "# Benchmarks",
    "",
    `Generated by \`npm run bench\` (bench/run.ts) on ${machine.date}${
      machine.quick ? " — **BENCH_QUICK=1 smoke run: small N, one round; not figures to quote**" : ""
    }; the whole run took ${
      f0(machine.seconds)
    } s. Every figure below is computed by the scripts in \`bench/\`; nothing is typed by hand.`,
    "",
    "## Machine",
    "",
    "| | |",
    "|---|---|",
    `| CPU | ${machine.cpu} |`,
    `| cores | ${machine.cores} |`,
    `| memory | ${f1(machine.memoryGiB)} GiB |`,
    `| OS | ${machine.os} |`,
    `| Node | ${machine.node} |`,
    `| load average at start (1, 5, 15 min) | ${machine.loadAverage.map(f2).join(", ")} |`,
    "",
    "| package | version |",
    "|---|---|",
    ...Object.entries(machine.versions).map(([name, version]) => `| ${name} | ${version} |`),
    "",
    `![throughput](${chartPath})`,
    "",
    "## Targets of issue 18",
    "",
    `Both ways a service calls the library: \`in-program\` (one Effect program, \`Effect.forEach(…, { concurrency })\` in one \`runPromise\`) and \`runPromise per query\` (a pool of C workers, each query one \`ManagedRuntime.runPromise\`, as a request handler does), ${
      e2e.isolated ? "each client in a process of its own" : "all clients in one process"
    }, medians of ${e2e.rounds} alternating rounds. Over \`UndiciHttpClient\`: at least ${
      f2(OF_BARE)
    }x bare undici + WebCrypto at concurrency 16, 64 and 256, and the median latency at concurrency 1 within ${
      f0((LATENCY_BOUND - 1) * 100)
    }% of bare undici's. Over the \`@effect/platform\` transports: no slower than today, i.e. at least ${
      f2(NO_SLOWER_TOLERANCE)
    }x the baseline build's throughput in the same run (the 5% allows for the noise of medians of ${e2e.rounds} rounds on a shared machine).`,
    "",
    baselineLine(e2e),
    "",
    targetSummary(targets(results).filter((t) => t.group === "issue 18")),
    "",
    "| target | measured | met | before (baseline build, same run) |",
    "|---|---|---|---|",
    ...targets(results).filter((t) => t.group === "issue 18").map((t) =>
      `| ${t.target} | ${t.measured} | ${t.met ? "yes" : "**no**"} | ${t.before ?? "—"} |`
    ),
    "",
    ...(hasBaseline(e2e)
      ? [
        "### Current vs baseline",
        "",
        "Per transport, way and concurrency: the median q/s of the current build and of the baseline, their ratio, each against the bare client of the same HTTP stack (bare fetch for `fetch`, bare undici for the others), the median latencies and the CPU time per query.",
        "",
        "| transport | way | concurrency | current q/s | baseline q/s | current / baseline | current / bare, baseline / bare | p50 ms current / baseline | CPU µs per query (main thread) current / baseline |",
        "|---|---|---|---|---|---|---|---|---|",
        ...beforeAfter(e2e),
        ""
      ]
      : []),
    "### The two ways",
    "",
    "`runPromise per query` against `in-program`, same build, same transport, same run.",
    "",
    "| build | transport | concurrency | in-program q/s | runPromise per query q/s | per query / in-program | p50 ms in-program / per query | CPU µs per query (main thread) in-program / per query |",
    "|---|---|---|---|---|---|---|---|",
    ...bothWays(e2e),
    "",
    "## Earlier targets",
    "",
    "The targets this report had before issue 18, for the `in-program` way (where they were set), the current build.",
    "",
    targetSummary(targets(results).filter((t) => t.group === "earlier")),
    "",
    "The last column: the same figure for a client with no library code over the same transport (`platform …, no library` for the `@effect/platform` transports, `bare undici` for `UndiciHttpClient`, which is undici itself). Where that client misses the target too, no library over that transport can meet it.",
    "",
    "| target | measured | met | with no library code over the same transport |",
    "|---|---|---|---|",
    ...targets(results).filter((t) => t.group === "earlier").map((t) =>
      `| ${t.target} | ${t.measured} | ${t.met ? "yes" : "**no**"} | ${
        t.ceiling === undefined
          ? "—"
          : `${t.ceiling.client}: ${t.ceiling.measured}${t.ceiling.met ? "" : " (misses it too)"}`
      } |`
    ),
    "",
    "### What the platform transports leave",
    "",
    "The same WebCrypto client as the bare ones, over the `@effect/platform` transport with no library code (`platform … , no library`, one `runPromise` per query), against the bare client of that transport: the ceiling of any library built on that transport. Then the library (current build, each way) against that ceiling.",
    "",
    "| concurrency | transport | way | platform, no library / bare | library / bare | library / platform, no library |",
    "|---|---|---|---|---|---|",
    ...ceilings(results.e2e).map((c) =>
      `| ${c.concurrency} | ${c.transport} | ${c.way} | ${f2(c.ceiling)}x | ${f2(c.library)}x | ${f2(c.ofCeiling)}x |`
    ),
    "",
    "## 1. Signing",
    "",
    `${signing.n} signatures per run (${
      signing.figures.filter((f) => f.n !== signing.n).map((f) => `${f.name}: ${f.n}`).join(", ") || "every method"
    }), median of ${signing.rounds} alternating runs; concurrent methods keep ${signing.concurrency} calls in flight (libuv thread pool: ${signing.threadpoolSize} threads). The floor is raw \`subtle.sign\` over a pre-encoded message; the library figure is the whole \`Authorization\` header (clock, a nonce from \`crypto.getRandomValues\`, message, signature, header text); the synchronous figures run on the main thread only.`,
    "",
    "| method | per second | ratio to the floor | runs |",
    "|---|---|---|---|",
    ...signing.figures.map((f) =>
      `| ${f.name} | ${f0(f.perSecond)} | ${f2(f.ratioToFloor)}x | ${f.runs.map(f0).join(", ")} |`
    ),
    "",
    "## 2. End to end",
    "",
    `Permission queries (merchant mode, by code, an AVAILABLE record) against the bench server (\`bench/server.ts\`: the sandbox's request check, routes and records in a child process on 127.0.0.1, answer signatures cached per second). ${e2e.n} queries per run at concurrency ≥ 16, ${e2e.nSerial} at concurrency 1, each run preceded by one unmeasured query per worker (every client starts with its connections open, whatever its keep-alive); ${
      e2e.isolated
        ? "each client in a child process of its own (started and warmed up once), one client running at a time"
        : "every client in one process"
    }; runs alternate between clients (the order rotates each round); medians of ${e2e.rounds} rounds; the benchmark took ${
      f0(e2e.seconds)
    } s. Event-loop delay: \`monitorEventLoopDelay\`, beyond its 5 ms resolution. CPU per query: \`process.cpuUsage\` of the client's process over the run (every thread: RSA signing and verifying run on libuv's threads), divided by the queries, and in brackets the main thread's alone (Linux: its on-CPU time from \`/proc/self/task/<pid>/schedstat\`), where the JavaScript runs — the client, the library, Effect's runtime, undici — beside WebCrypto's threads; it moves less with the machine's load than throughput does. "Main thread waited": how long per query the main thread was ready to run but had no CPU (the same file's run delay): the load of the machine, which stretches every step of a query. wechatpay-node-v3 does not verify answers (it does less work than the others); every other client verifies every answer's signature.`,
    "",
    "### The server's own capacity",
    "",
    "A raw load (one pre-signed request repeated over undici, answers not verified): what the server answers when the client does no crypto. Client and server share the same cores, so every client's crypto also takes CPU from the server.",
    "",
    "| concurrency | queries | q/s | p50 ms | p99 ms |",
    "|---|---|---|---|---|",
    ...e2e.capacity.map((c) => `| ${c.concurrency} | ${c.n} | ${f0(c.qps)} | ${f2(c.p50)} | ${f2(c.p99)} |`),
    ""
  )
  for (const concurrency of concurrenciesOf(e2e)) {
    const peer = measured(e2e, PEERS, [concurrency]) ? bestPeer(e2e, concurrency, "qps") : undefined
    push(
      `### Concurrency ${concurrency}`,
      "",
      "| client | q/s (median) | q/s per round | x best peer | p50 ms | p99 ms | ELD p99 ms | ELD max ms | CPU µs per query (main thread) | main thread waited µs per query |",
      "|---|---|---|---|---|---|---|---|---|---|",
      ...e2e.summaries.filter((s) => s.concurrency === concurrency).map((s) =>
        `| ${s.client} | ${f0(s.qps)} | ${s.qpsRuns.map(f0).join(", ")} | ${
          peer === undefined ? "—" : `${f2(s.qps / peer.qps)}x`
        } | ${f2(s.p50)} | ${f2(s.p99)} | ${f1(s.eldP99)} | ${f1(s.eldMax)} | ${cpu(s)} | ${
          s.mainWaitPerQuery === undefined ? "—" : f0(s.mainWaitPerQuery)
        } |`
      ),
      ""
    )
  }
  push(...effect4Section(e2e))
  push(
    "## 3. Cold start",
    "",
    `A fresh \`node\` process per sample (plain ESM, no tsx), median of ${coldStart.runs}; milliseconds from the first \`import\`. The library is imported as users do (\`effect-wechatpay\` from \`dist/\`, \`effect\`, the \`@effect/platform\` or \`@effect/platform-node\` barrel); "ready" = the layer built (keys parsed and imported as \`CryptoKey\`s).`,
    "",
    "| client | imported | ready | first answer | first answer since process start |",
    "|---|---|---|---|---|",
    ...coldStart.clients.map((c) =>
      `| ${c.client} | ${f0(c.imported)} | ${f0(c.ready)} | ${f0(c.firstAnswer)} | ${f0(c.sinceProcessStart)} |`
    ),
    "",
    ...importAttribution(coldStart.attribution),
    "## 4. Memory",
    "",
    `${memory.client}, concurrency ${memory.concurrency}, heap used after a full GC (\`--expose-gc\`).`,
    "",
    "| after | heap used MiB |",
    "|---|---|",
    `| warm-up (1000 queries) | ${mib(memory.heapAfterWarmup)} |`,
    `| ${memory.first} queries | ${mib(memory.heapAfterFirst)} |`,
    `| ${memory.total} queries | ${mib(memory.heapAfterTotal)} |`,
    "",
    `RSS after ${memory.total}: ${mib(memory.rssAfterTotal)} MiB; ${f0(memory.qps)} q/s over the ${
      f0(memory.seconds)
    } s run.`,
    "",
    ...profileSection(profile),
    ...bundleSizes(results.bundleSize),
    "## How to run",
    "",
    "```sh",
    "npm run bench                 # everything, writes BENCHMARKS.md and bench/results/",
    "BENCH_QUICK=1 npm run bench   # a smoke run of the harness (small N, one round)",
    "npx tsx bench/e2e.ts          # one benchmark alone (prints JSON): signing, e2e, coldStart, memory, profile",
    'BENCH_BASELINE=<git ref> npm run bench   # the "before" build (default 3a53c9d); BENCH_BASELINE=none: none',
    "BENCH_ISOLATE=0 npx tsx bench/e2e.ts     # every client in one process instead of one process each",
    "npx tsx bench/perCall.ts      # CPU per query without the network, both ways, current and baseline",
    "npx tsx bench/perfProfile.ts  # on-CPU profiles with Linux perf (bench/results/PROFILE-NOTES.md)",
    "npx tsx bench/run.ts --report # BENCHMARKS.md again from bench/results/latest.json",
    "```",
    ""
  )
  return lines.join("\n")
}

/**
 * The Effect 4 line beside the Effect 3 line and the bare client of the same transport: q/s of
 * each, and the Effect 4 line's share of each, per transport, way and concurrency.
 */
const effect4Section = (e2e: E2EResult): ReadonlyArray<string> => {
  const rows: Array<string> = []
  for (const transport of EFFECT4_TRANSPORTS) {
    for (const way of WAYS) {
      for (const concurrency of concurrenciesOf(e2e)) {
        const four = find(e2e, effect4Name(transport, way), concurrency)
        const three = find(e2e, current(transport, way), concurrency)
        const bare = find(e2e, BARE_OF[transport], concurrency)
        if (four === undefined || three === undefined) continue
        rows.push(
          `| ${transport} | ${way} | ${concurrency} | ${f0(four.qps)} | ${f0(three.qps)} | ${
            f2(four.qps / three.qps)
          }x | ${bare === undefined ? "—" : `${f2(four.qps / bare.qps)}x / ${f2(three.qps / bare.qps)}x`} | ${
            f2(four.p50)
          } / ${f2(three.p50)} | ${cpu(four)} / ${cpu(three)} |`
        )
      }
    }
  }
  if (rows.length === 0) return []
  return [
    "### The Effect 4 line beside the Effect 3 line",
    "",
    "`effect-wechatpay/effect4` (effect 4.1, in a project whose `effect` is 4, on Node 22 from the toolchain workspace) against `effect-wechatpay` (effect 3) over the same transport: effect's own `FetchHttpClient` for each line, and each line's `UndiciHttpClient`. Same server, same rounds.",
    "",
    "| transport | way | concurrency | Effect 4 q/s | Effect 3 q/s | 4 / 3 | x bare (4 / 3) | p50 ms (4 / 3) | CPU µs per query (4 / 3) |",
    "|---|---|---|---|---|---|---|---|---|",
    ...rows,
    ""
  ]
}

/** Cold start, continued: what of the main entry's `import` is ours (bench/coldStart.ts). */
export const importAttribution = (a: ImportAttribution | undefined): ReadonlyArray<string> =>
  a === undefined ? [] : [
    "### What of the import is ours",
    "",
    `Medians of ${a.runs} fresh processes, milliseconds. \`node -e 0\` takes ${
      a.nodeAlone.toFixed(0)
    } ms as a whole process.`,
    "",
    "| what | ms |",
    "|---|---|",
    `| \`import("effect")\` (the barrel) | ${a.effectBarrel.toFixed(0)} |`,
    `| \`import("effect-wechatpay")\` (its effect and @effect/platform subpaths included) | ${a.entry.toFixed(0)} |`,
    `| of which our own module-level work (the entry imported once its dependencies are loaded) | ${
      a.ours.toFixed(0)
    } |`,
    `| of which \`@effect/platform/HttpServerRequest\` + \`HttpServerResponse\`, imported for the notification handler only, after every other dependency | ${
      a.serverModules.toFixed(0)
    } |`,
    ""
  ]

/** Bundle size for the browser (bench/bundleSize.ts). */
export const bundleSizes = (b: BundleSizeResult | undefined): ReadonlyArray<string> =>
  b === undefined ? [] : [
    "## 6. Bundle size for the browser",
    "",
    `esbuild ${b.esbuild}, \`platform: "browser"\`, ESM, minified, everything bundled (effect included); gzip level 9. A peer that cannot be bundled for the browser shows esbuild's first error.`,
    "",
    "| subject | minified KiB | gzip KiB |",
    "|---|---|---|",
    ...b.bundles.map((x) =>
      x.minified === undefined || x.gzip === undefined
        ? `| ${x.client} | does not bundle: ${x.error ?? "?"} | |`
        : `| ${x.client} | ${(x.minified / 1024).toFixed(1)} | ${(x.gzip / 1024).toFixed(1)} |`
    ),
    ""
  ]
