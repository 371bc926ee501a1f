/**
 * The fault soak: many queries at high concurrency against the sandbox over real HTTP, with a share
 * of the sandbox's answers bent by a random fault of every kind it has. Shared by the short run in
 * `npm test` (`Soak.test.ts`) and `npm run soak` (`scripts/soak.ts`).
 *
 * Each call carries its id in an `x-soak-call` request header (set by a wrapper of the
 * `HttpClient`, which also counts attempts; headers other than those signed are free to add), so
 * the sandbox's log says which faults each call met. A success is counted as verified only when no
 * answer of its call was tampered with, signed with a wrong key, a SIGNTEST probe, skewed or
 * missing a header, and its record has the seeded state.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { Cause, Duration, Effect, Exit, FiberRef, Layer, Random } from "effect"
import { PayScorePermissions, WechatPay } from "../../src/index.js"
import { Sandbox } from "../../src/testing/index.js"

/** What a soak run does. */
export interface SoakOptions {
  readonly calls: number
  readonly concurrency: number
  /** The share of calls before which a random fault is injected (it bends the next answer sent). */
  readonly faultRate: number
  /** The client's per-attempt timeout. */
  readonly timeout: Duration.DurationInput
  /** How long a `Delay` fault holds an answer: just above `timeout`. */
  readonly delay: Duration.DurationInput
  readonly retries: number
  readonly seed: number
}

/** A kind of fault: its label, and a builder (a fresh value goes in each time). */
export type FaultKind = readonly [label: string, make: (delay: Duration.DurationInput) => Sandbox.Fault]

/** The faults of the sandbox, every kind. */
export const FAULT_KINDS: ReadonlyArray<FaultKind> = [
  ["Status 429", () => Sandbox.Fault.Status({ status: 429 })],
  ["Status 500", () => Sandbox.Fault.Status({ status: 500 })],
  ["Status 503 unsigned", () => Sandbox.Fault.Status({ status: 503, signed: false })],
  ["Status 403", () => Sandbox.Fault.Status({ status: 403 })],
  ["GatewayHtml", () => Sandbox.Fault.GatewayHtml({})],
  ["Delay", (delay) => Sandbox.Fault.Delay({ duration: delay })],
  ["ConnectionReset", () => Sandbox.Fault.ConnectionReset()],
  ["TamperedBody", () => Sandbox.Fault.TamperedBody({})],
  ["WrongKey", () => Sandbox.Fault.WrongKey({})],
  ["SignTest", () => Sandbox.Fault.SignTest()],
  ["ClockSkew", () => Sandbox.Fault.ClockSkew({})],
  ["MissingHeader", () => Sandbox.Fault.MissingHeader({})]
]

/** Faults whose answer must never verify. */
const FORGING = new Set(["TamperedBody", "WrongKey", "SignTest", "ClockSkew", "MissingHeader"])

const faultLabel = (fault: Sandbox.Fault): string =>
  fault._tag === "Status" ? `Status ${fault.status}${fault.signed === false ? " unsigned" : ""}` : fault._tag

/** The summary of a run. */
export interface SoakSummary {
  readonly calls: number
  readonly concurrency: number
  readonly timeout: string
  readonly delay: string
  readonly retries: number
  readonly seconds: number
  readonly successes: number
  readonly errors: Readonly<Record<string, number>>
  readonly defects: number
  readonly interruptions: number
  readonly attempts: number
  readonly maxAttempts: number
  readonly sandboxRequests: number
  readonly faultsInjected: number
  readonly faultsApplied: Readonly<Record<string, number>>
  /** Successes whose answering attempt (the call's last request) met a forging fault: must be 0. */
  readonly forgedSuccesses: number
  /**
   * Successes of calls that met a forging fault on an earlier attempt which timed out before its
   * answer was read (the forged answer was never accepted; the retry was answered cleanly).
   */
  readonly successesAfterTimedOutForgery: number
  /** Successes whose record is not what was seeded: must be 0. */
  readonly wrongRecordSuccesses: number
  /** Successes whose call met no forging fault: all of them. */
  readonly verifiedSuccesses: number
  readonly heapMiB: { readonly before: number; readonly after: number; readonly gc: boolean }
}

const RECORDS = 64
const SERVICE_ID = "500001"
const code = (i: number) => `SOAK${String(i).padStart(6, "0")}`
const stateOf = (i: number) => (["AVAILABLE", "UNAVAILABLE", "UNBINDUSER"] as const)[i % 3]!
const tagOf = (i: number) => (["Available", "Unavailable", "UnbindUser"] as const)[i % 3]!

const CallId = FiberRef.unsafeMake(-1)

const heapMiB = () => Math.round(process.memoryUsage().heapUsed / 1024 / 1024 * 10) / 10
const gc = (globalThis as { gc?: () => void }).gc

/** What the sandbox's log says of the run: faults applied, and whether any success met a forging fault. */
const analyse = (
  log: ReadonlyArray<Sandbox.LoggedRequest>,
  successes: ReadonlyMap<number, string>,
  expected: ReadonlyMap<number, string | undefined>
) => {
  // the attempts of a call are sequential: its last attempt is the one that answered
  const lastFault = new Map<number, string | undefined>()
  const lastAttempt = new Map<number, number>()
  const forgingMet = new Set<number>()
  const faultsApplied = new Map<string, number>()
  for (const entry of log) {
    const id = Number(entry.headers["x-soak-call"])
    const attempt = Number(entry.headers["x-soak-attempt"])
    if (attempt > (lastAttempt.get(id) ?? 0)) {
      lastAttempt.set(id, attempt)
      lastFault.set(id, entry.fault?._tag)
    }
    if (entry.fault === undefined) continue
    const label = faultLabel(entry.fault)
    faultsApplied.set(label, (faultsApplied.get(label) ?? 0) + 1)
    if (FORGING.has(entry.fault._tag)) forgingMet.add(id)
  }
  let forgedSuccesses = 0
  let wrongRecordSuccesses = 0
  let successesAfterTimedOutForgery = 0
  for (const [id, tag] of successes) {
    const last = lastFault.get(id)
    if (last !== undefined && FORGING.has(last)) forgedSuccesses += 1
    else if (forgingMet.has(id)) successesAfterTimedOutForgery += 1
    if (expected.get(id) !== tag) wrongRecordSuccesses += 1
  }
  return {
    sandboxRequests: log.length,
    faultsApplied: Object.fromEntries([...faultsApplied.entries()].sort()),
    forgedSuccesses,
    successesAfterTimedOutForgery,
    wrongRecordSuccesses
  }
}

/** A failure's label in the summary: its tag, with the reason of a verification failure and the kind of a transport one. */
const labelOf = (error: { readonly _tag: string; readonly reason?: string; readonly message?: string }): string => {
  if (error._tag === "VerificationError") return `VerificationError.${error.reason}`
  if (error._tag === "TransportError") {
    return `TransportError.${error.message?.includes("timeout") === true ? "timeout" : "network"}`
  }
  return error._tag
}

/** Runs a soak; the sandbox and the client live in the scope of the run. */
export const runSoak = (options: SoakOptions): Effect.Effect<SoakSummary> =>
  Effect.gen(function*() {
    const sandbox = yield* Sandbox.make({})
    for (let i = 0; i < RECORDS; i++) {
      yield* sandbox.seed(Sandbox.Seed.Merchant({
        authorization_code: code(i),
        service_id: SERVICE_ID,
        record: { authorization_state: stateOf(i) }
      }))
    }
    let attempts = 0
    const attemptsOf = new Map<number, number>()
    const tag = (request: HttpClientRequest.HttpClientRequest) =>
      Effect.map(FiberRef.get(CallId), (id) => {
        attempts += 1
        const attempt = (attemptsOf.get(id) ?? 0) + 1
        attemptsOf.set(id, attempt)
        return HttpClientRequest.setHeaders(request, {
          "x-soak-call": String(id),
          "x-soak-attempt": String(attempt)
        })
      })
    const counting = Layer.effect(
      HttpClient.HttpClient,
      Effect.map(HttpClient.HttpClient, HttpClient.mapRequestEffect(tag))
    ).pipe(Layer.provide(FetchHttpClient.layer))
    const context = yield* Layer.build(
      WechatPay.layer(
        Sandbox.wechatPayOptions(sandbox, {
          timeout: options.timeout,
          retries: options.retries,
          retryBaseDelay: "10 millis"
        })
      ).pipe(Layer.provide(counting), Layer.orDie)
    )
    const permissions = yield* Effect.provide(PayScorePermissions.PayScorePermissions, context)

    const errors = new Map<string, number>()
    const successes = new Map<number, string>()
    let defects = 0
    let interruptions = 0
    let faultsInjected = 0
    const expected = new Map<number, string | undefined>()

    gc?.()
    const heapBefore = heapMiB()
    const started = Date.now()
    const ids = [...Array(options.calls).keys()]
    yield* Effect.forEach(
      ids,
      (i) =>
        Effect.gen(function*() {
          if ((yield* Random.next) < options.faultRate) {
            const [, make] = FAULT_KINDS[yield* Random.nextIntBetween(0, FAULT_KINDS.length)]!
            yield* sandbox.injectFault(make(options.delay), { times: 1 })
            faultsInjected += 1
          }
          // 2% ask for a record that does not exist
          const missing = (yield* Random.next) < 0.02
          const r = yield* Random.nextIntBetween(0, RECORDS)
          expected.set(i, missing ? undefined : tagOf(r))
          const exit = yield* permissions.queryByAuthorizationCode({
            authorization_code: missing ? `MISSING${i}` : code(r),
            service_id: SERVICE_ID
          }).pipe(Effect.locally(CallId, i), Effect.exit)
          if (Exit.isSuccess(exit)) {
            successes.set(i, exit.value._tag)
            return
          }
          if (Cause.isDie(exit.cause)) defects += 1
          else if (Cause.isInterrupted(exit.cause)) interruptions += 1
          const failure = Cause.failureOption(exit.cause)
          if (failure._tag === "Some") {
            const error = failure.value
            const label = labelOf(error)
            errors.set(label, (errors.get(label) ?? 0) + 1)
          }
        }),
      { concurrency: options.concurrency, discard: true }
    ).pipe(Effect.withRandom(Random.make(options.seed)))
    const seconds = (Date.now() - started) / 1000

    // a Delay fault may still hold an answer: let the sandbox finish before reading its log
    yield* Effect.sleep(Duration.sum(Duration.decode(options.delay), Duration.millis(100)))
    // analysed in a function, so the log copy is garbage before the heap is measured
    const analysis = analyse(yield* sandbox.requests, successes, expected)
    yield* sandbox.clearRequests
    gc?.()
    const heapAfter = heapMiB()

    return {
      calls: options.calls,
      concurrency: options.concurrency,
      timeout: Duration.format(Duration.decode(options.timeout)),
      delay: Duration.format(Duration.decode(options.delay)),
      retries: options.retries,
      seconds: Math.round(seconds * 10) / 10,
      successes: successes.size,
      errors: Object.fromEntries([...errors.entries()].sort((a, b) => b[1] - a[1])),
      defects,
      interruptions,
      attempts,
      maxAttempts: (1 + options.retries) * options.calls,
      sandboxRequests: analysis.sandboxRequests,
      faultsInjected,
      faultsApplied: analysis.faultsApplied,
      forgedSuccesses: analysis.forgedSuccesses,
      successesAfterTimedOutForgery: analysis.successesAfterTimedOutForgery,
      wrongRecordSuccesses: analysis.wrongRecordSuccesses,
      verifiedSuccesses: successes.size - analysis.forgedSuccesses,
      heapMiB: { before: heapBefore, after: heapAfter, gc: gc !== undefined }
    }
  }).pipe(Effect.scoped, Effect.orDie)

/** One row of the summary table. */
export interface SummaryRow {
  readonly metric: string
  readonly value: string | number
}

/** The summary as rows for `console.table`. */
export const summaryRows = (summary: SoakSummary): ReadonlyArray<SummaryRow> => [
  { metric: "calls", value: summary.calls },
  { metric: "concurrency", value: summary.concurrency },
  { metric: "timeout / Delay fault", value: `${summary.timeout} / ${summary.delay}` },
  { metric: "retries", value: summary.retries },
  { metric: "seconds", value: summary.seconds },
  { metric: "successes", value: summary.successes },
  ...Object.entries(summary.errors).map(([tag, count]) => ({ metric: `error ${tag}`, value: count })),
  { metric: "defects", value: summary.defects },
  { metric: "interruptions", value: summary.interruptions },
  { metric: "attempts (HttpClient)", value: summary.attempts },
  { metric: "attempts allowed ((1 + retries) × calls)", value: summary.maxAttempts },
  { metric: "requests logged by the sandbox", value: summary.sandboxRequests },
  { metric: "faults injected", value: summary.faultsInjected },
  ...Object.entries(summary.faultsApplied).map(([fault, count]) => ({
    metric: `fault applied: ${fault}`,
    value: count
  })),
  { metric: "successes after a forging fault (must be 0)", value: summary.forgedSuccesses },
  { metric: "successes after a timed-out forged attempt, retried clean", value: summary.successesAfterTimedOutForgery },
  { metric: "successes with a wrong record (must be 0)", value: summary.wrongRecordSuccesses },
  { metric: "verified successes", value: summary.verifiedSuccesses },
  { metric: "heap before (MiB)", value: summary.heapMiB.before },
  { metric: `heap after (MiB${summary.heapMiB.gc ? ", after GC" : ", no GC"})`, value: summary.heapMiB.after }
]
