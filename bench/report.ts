/**
 * BENCHMARKS.md from the measurements: the machine, the versions, each benchmark's table, and the
 * targets, each computed as met or not from the figures (never written by hand).
 */
import type { BundleSizeResult } from "./bundleSize.js"
import type { ClientName } from "./clients.js"
import type { ColdStartResult, ImportAttribution } from "./coldStart.js"
import type { E2EResult, Summary } from "./e2e.js"
import type { MemoryResult } from "./memory.js"
import type { ProfileResult } from "./profile.js"
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
  readonly profile: ProfileResult
}

/** A target and whether the figures meet it. */
export interface Target {
  readonly target: string
  readonly measured: string
  readonly met: boolean
  /**
   * The same figure for a client with no library code over the same transport (the ceiling of any
   * library built on it), and whether that client meets the target; absent where no such bound
   * applies.
   */
  readonly ceiling?: { readonly client: ClientName; readonly measured: string; readonly met: boolean }
}

/** The client with no library code over the same transport as one of ours. */
const NO_LIBRARY: Readonly<Partial<Record<ClientName, ClientName>>> = {
  "effect-wechatpay (fetch)": "platform fetch, no library",
  "effect-wechatpay (undici)": "platform undici, no library",
  // our own transport: the bound is undici itself
  "effect-wechatpay (UndiciHttpClient)": "bare undici"
}

const PEERS: ReadonlyArray<ClientName> = ["wechatpay-axios-plugin", "wechatpay-node-v3"]
const OURS: ReadonlyArray<readonly [ClientName, ClientName]> = [
  ["effect-wechatpay (fetch)", "bare fetch"],
  ["effect-wechatpay (undici)", "bare undici"],
  ["effect-wechatpay (UndiciHttpClient)", "bare undici"]
]

/** Our clients over undici: the 2.5x target is computed for each. */
const OURS_UNDICI: ReadonlyArray<ClientName> = ["effect-wechatpay (undici)", "effect-wechatpay (UndiciHttpClient)"]

const at = (e2e: E2EResult, client: ClientName, concurrency: number): Summary =>
  e2e.summaries.find((s) => s.client === client && s.concurrency === concurrency)!

/** The best peer at a concurrency by a measure (highest throughput, or lowest of a latency/delay). */
const bestPeer = (e2e: E2EResult, concurrency: number, by: "qps" | "p50" | "p99" | "eldP99" | "eldMax"): Summary =>
  PEERS.map((peer) => at(e2e, peer, concurrency)).reduce((best, s) =>
    by === "qps" ? (s.qps > best.qps ? s : best) : (s[by] < best[by] ? s : best)
  )

const f0 = (n: number) => n.toFixed(0)
const f1 = (n: number) => n.toFixed(1)
const f2 = (n: number) => n.toFixed(2)
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1)

/** Per transport and concurrency ≥ 16: the platform transport's ceiling and the library against it. */
const ceilings = (e2e: E2EResult) => {
  const rows: Array<
    { concurrency: number; transport: string; ceiling: number; library: number; ofCeiling: number }
  > = []
  const concurrencies = [...new Set(e2e.summaries.map((s) => s.concurrency))].filter((c) => c >= 16)
  const pairs = [
    ["fetch", "effect-wechatpay (fetch)", "platform fetch, no library", "bare fetch"],
    ["undici", "effect-wechatpay (undici)", "platform undici, no library", "bare undici"]
  ] as const
  for (const concurrency of concurrencies) {
    for (const [transport, library, reference, bare] of pairs) {
      const l = at(e2e, library, concurrency).qps
      const r = at(e2e, reference, concurrency).qps
      const b = at(e2e, bare, concurrency).qps
      rows.push({ concurrency, transport, ceiling: r / b, library: l / b, ofCeiling: l / r })
    }
  }
  return rows
}

/** Every target of the issue, computed. */
export const targets = (results: Results): ReadonlyArray<Target> => {
  const { e2e, memory, signing } = results
  const out: Array<Target> = []
  const concurrencies = [...new Set(e2e.summaries.map((s) => s.concurrency))]
  for (const concurrency of concurrencies.filter((c) => c >= 16)) {
    for (const [ours, bare] of OURS) {
      const ratio = at(e2e, ours, concurrency).qps / at(e2e, bare, concurrency).qps
      const reference = NO_LIBRARY[ours]
      const bound = reference === undefined || reference === bare
        ? undefined
        : at(e2e, reference, concurrency).qps / at(e2e, bare, concurrency).qps
      out.push({
        target: `c=${concurrency}: ${ours} ≥ 0.85x ${bare}`,
        measured: `${f2(ratio)}x (${f0(at(e2e, ours, concurrency).qps)} vs ${f0(at(e2e, bare, concurrency).qps)} q/s)`,
        met: ratio >= 0.85,
        ...(bound === undefined || reference === undefined
          ? {}
          : { ceiling: { client: reference, measured: `${f2(bound)}x`, met: bound >= 0.85 } })
      })
    }
  }
  for (const concurrency of [64, 256].filter((c) => concurrencies.includes(c))) {
    for (const name of OURS_UNDICI) {
      const ours = at(e2e, name, concurrency)
      const peer = bestPeer(e2e, concurrency, "qps")
      const reference = NO_LIBRARY[name]!
      const bound = at(e2e, reference, concurrency).qps / peer.qps
      out.push({
        target: `c=${concurrency}: ${name} ≥ 2.5x the best peer`,
        measured: `${f2(ours.qps / peer.qps)}x (${f0(ours.qps)} vs ${peer.client} ${f0(peer.qps)} q/s)`,
        met: ours.qps / peer.qps >= 2.5,
        ceiling: { client: reference, measured: `${f2(bound)}x`, met: bound >= 2.5 }
      })
    }
  }
  if (concurrencies.includes(1)) {
    const peer = bestPeer(e2e, 1, "p50")
    for (const [ours] of OURS) {
      const mine = at(e2e, ours, 1)
      const reference = NO_LIBRARY[ours]!
      const bound = at(e2e, reference, 1).p50
      out.push({
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
    for (const [ours] of OURS) {
      const mine = at(e2e, ours, 64)
      for (
        const [by, label] of [["p99", "p99 latency"], ["eldP99", "event-loop delay p99"], [
          "eldMax",
          "event-loop delay max"
        ]] as const
      ) {
        const peer = bestPeer(e2e, 64, by)
        out.push({
          target: `c=64: ${ours} ${label} below the best peer's`,
          measured: `${f1(mine[by])} ms vs ${peer.client} ${f1(peer[by])} ms`,
          met: mine[by] < peer[by]
        })
      }
    }
  }
  const library = signing.figures.find((f) => f.kind === "library")!
  out.push({
    target: "signing ≥ 0.9x the WebCrypto floor",
    measured: `${f2(library.ratioToFloor)}x (${f0(library.perSecond)}/s vs ${f0(signing.figures[0]!.perSecond)}/s)`,
    met: library.ratioToFloor >= 0.9
  })
  const growth = memory.heapAfterTotal - memory.heapAfterFirst
  out.push({
    target: `no heap growth between ${memory.first} and ${memory.total} queries (within 10% or 2 MiB)`,
    measured: `${mib(memory.heapAfterFirst)} → ${mib(memory.heapAfterTotal)} MiB (${growth >= 0 ? "+" : ""}${
      mib(growth)
    } MiB)`,
    met: growth <= Math.max(2 * 1024 * 1024, memory.heapAfterFirst * 0.1)
  })
  return out
}

/** One line: how many targets are met, and how many of the others no library could meet. */
export const targetSummary = (all: ReadonlyArray<Target>): string => {
  const met = all.filter((t) => t.met).length
  const beyond = all.filter((t) => !t.met && t.ceiling !== undefined && !t.ceiling.met).length
  return `${met} of ${all.length} targets met; of the ${all.length - met} not met, ${beyond} ${
    beyond === 1 ? "is" : "are"
  } missed by the client with no library code over the same transport as well.`
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
    "## Targets",
    "",
    targetSummary(targets(results)),
    "",
    "The last column: the same figure for a client with no library code over the same transport (`platform …, no library` for the `@effect/platform` transports, `bare undici` for `UndiciHttpClient`, which is undici itself). Where that client misses the target too, no library over that transport can meet it.",
    "",
    "| target | measured | met | with no library code over the same transport |",
    "|---|---|---|---|",
    ...targets(results).map((t) =>
      `| ${t.target} | ${t.measured} | ${t.met ? "yes" : "**no**"} | ${
        t.ceiling === undefined
          ? "—"
          : `${t.ceiling.client}: ${t.ceiling.measured}${t.ceiling.met ? "" : " (misses it too)"}`
      } |`
    ),
    "",
    "### What the platform transports leave",
    "",
    "The same WebCrypto client as the bare ones, over the `@effect/platform` transport with no library code (`platform … , no library`), against the bare client of that transport: the ceiling of any library built on that transport. Then the library against that ceiling.",
    "",
    "| concurrency | transport | platform, no library / bare | library / bare | library / platform, no library |",
    "|---|---|---|---|---|",
    ...ceilings(results.e2e).map((c) =>
      `| ${c.concurrency} | ${c.transport} | ${f2(c.ceiling)}x | ${f2(c.library)}x | ${f2(c.ofCeiling)}x |`
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
    `Permission queries (merchant mode, by code, an AVAILABLE record) against the bench server (\`bench/server.ts\`: the sandbox's request check, routes and records in a child process on 127.0.0.1, answer signatures cached per second). ${e2e.n} queries per run at concurrency ≥ 16, ${e2e.nSerial} at concurrency 1; runs alternate between clients (the order rotates each round); medians of ${e2e.rounds} rounds. Event-loop delay: \`monitorEventLoopDelay\`, beyond its 5 ms resolution. wechatpay-node-v3 does not verify answers (it does less work than the others); every other client verifies every answer's signature.`,
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
  for (const concurrency of [...new Set(e2e.summaries.map((s) => s.concurrency))]) {
    const peer = bestPeer(e2e, concurrency, "qps")
    push(
      `### Concurrency ${concurrency}`,
      "",
      "| client | q/s (median) | q/s per round | x best peer | p50 ms | p99 ms | ELD p99 ms | ELD max ms |",
      "|---|---|---|---|---|---|---|---|",
      ...e2e.summaries.filter((s) => s.concurrency === concurrency).map((s) =>
        `| ${s.client} | ${f0(s.qps)} | ${s.qpsRuns.map(f0).join(", ")} | ${f2(s.qps / peer.qps)}x | ${f2(s.p50)} | ${
          f2(s.p99)
        } | ${f1(s.eldP99)} | ${f1(s.eldMax)} |`
      ),
      ""
    )
  }
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
    "## 5. Profile of the hot path",
    "",
    `\`node --cpu-prof\`, ${profile.client} at concurrency ${profile.concurrency}, ${profile.n} queries (${
      f0(profile.qps)
    } q/s under the profiler); only the samples of the measured queries (start-up and warm-up left out). Busy main-thread time ${
      f0(profile.busyMillis)
    } ms (${f0((profile.busyMillis * 1000) / profile.n)} µs per query), of which GC ${f1(profile.gcPercent)}%.`,
    "",
    "Self time by package:",
    "",
    "| package | self % |",
    "|---|---|",
    ...profile.byPackage.map((p) => `| ${p.name} | ${f1(p.selfPercent)} |`),
    "",
    "Top functions by self time:",
    "",
    "| function | where | self ms | self % |",
    "|---|---|---|---|",
    ...profile.top.map((t) => `| \`${t.name}\` | ${t.location} | ${f0(t.selfMillis)} | ${f1(t.selfPercent)} |`),
    "",
    ...bundleSizes(results.bundleSize),
    "## How to run",
    "",
    "```sh",
    "npm run bench                 # everything, writes BENCHMARKS.md and bench/results/",
    "BENCH_QUICK=1 npm run bench   # a smoke run of the harness (small N, one round)",
    "npx tsx bench/e2e.ts          # one benchmark alone (prints JSON): signing, e2e, coldStart, memory, profile",
    "```",
    ""
  )
  return lines.join("\n")
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
