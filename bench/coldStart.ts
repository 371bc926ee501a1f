/**
 * Cold start: from the first `import` to the first query ready (modules loaded, layer built, keys
 * imported) and to the first answer, each in a fresh `node` process (plain ESM, no tsx), against
 * the bench server. The library is imported as a user would: `effect-wechatpay` (the built `dist/`,
 * through the package's self-reference), `effect`, `@effect/platform` (and `@effect/platform-node`
 * for undici, `effect-wechatpay/undici` for our own transport); the Effect 4 line as its users import
 * it (`effect-wechatpay/effect4`, effect 4's own `effect/http`), on Node 22, in a project whose
 * `effect` is 4 (bench/common.ts `effect4Project`). Median of `RUNS` processes per client.
 */
import { execFile } from "node:child_process"
import { readFileSync, rmSync } from "node:fs"
import { dirname, join } from "node:path"
import { Fixtures } from "../src/testing/index.js"
import { effect4Project, median, nodeBinary, QUERY, QUICK, reply, ROOT, TARGET } from "./common.js"
import { startServer } from "./server.js"

const RUNS = QUICK ? 2 : 3

/** One client's cold start, milliseconds from the first import. */
export interface ColdStart {
  readonly client: string
  /** Modules loaded. */
  readonly imported: number
  /** Client constructed: for the library, the layer built (keys parsed and imported). */
  readonly ready: number
  /** The first answer received (and verified, except wechatpay-node-v3). */
  readonly firstAnswer: number
  /** From the process start (Node's own start-up included) to the first answer. */
  readonly sinceProcessStart: number
}

/**
 * What of `import("effect-wechatpay")` is ours: medians over `ATTRIBUTION_RUNS` fresh processes,
 * milliseconds.
 */
export interface ImportAttribution {
  readonly runs: number
  /** `node -e 0`, the whole process (for scale). */
  readonly nodeAlone: number
  /** `import("effect")`, the barrel. */
  readonly effectBarrel: number
  /** `import("effect-wechatpay")`. */
  readonly entry: number
  /** `import("effect-wechatpay")` once its dependencies are loaded: our own module-level work. */
  readonly ours: number
  /**
   * `@effect/platform/HttpServerRequest` and `HttpServerResponse` (imported for the notification
   * handler only) once every other dependency is loaded: what a program that never handles a
   * notification pays for them.
   */
  readonly serverModules: number
}

/** Everything `coldStart.ts` measures. */
export interface ColdStartResult {
  readonly runs: number
  readonly clients: ReadonlyArray<ColdStart>
  readonly attribution?: ImportAttribution | undefined
}

const report =
  `console.log(JSON.stringify({ imported: t1 - t0, ready: t2 - t0, firstAnswer: t3 - t0, sinceProcessStart: t3 }))`

const library = (transport: "fetch" | "undici" | "UndiciHttpClient") => `
const t0 = performance.now()
const [{ Layer, ManagedRuntime, Redacted }, http, { PayScorePermissions, WechatPay }] = await Promise.all([
  import("effect"),
  ${
  transport === "fetch"
    ? `import("@effect/platform").then((m) => m.FetchHttpClient.layer)`
    : transport === "undici"
    ? `import("@effect/platform-node").then((m) => m.NodeHttpClient.layerUndici)`
    : `import("effect-wechatpay/undici").then((m) => m.UndiciHttpClient.layer)`
},
  import("effect-wechatpay")
])
const t1 = performance.now()
const env = process.env
const runtime = ManagedRuntime.make(WechatPay.layer({
  mchid: env.B_MCHID, merchantSerialNo: env.B_SERIAL, merchantPrivateKey: Redacted.make(env.B_KEY),
  wechatpayPublicKey: { id: env.B_PUBID, pem: env.B_PUB }, baseUrl: env.B_URL
}).pipe(Layer.provide(http)))
const permissions = await runtime.runPromise(PayScorePermissions.PayScorePermissions)
const t2 = performance.now()
const answer = await runtime.runPromise(permissions.queryByAuthorizationCode(JSON.parse(env.B_QUERY)))
if (answer._tag !== "Available") throw new Error("unexpected answer")
const t3 = performance.now()
${report}
await runtime.dispose()
`

/** The Effect 4 line, imported as its users do (`effect-wechatpay/effect4`, effect 4's own http). */
const effect4 = (transport: "fetch" | "UndiciHttpClient") => `
const t0 = performance.now()
const [{ Effect, Layer, ManagedRuntime, Redacted }, http, { PayScorePermissions, WechatPay }] = await Promise.all([
  import("effect"),
  ${
  transport === "fetch"
    ? `import("effect/http").then((m) => m.FetchHttpClient.layer)`
    : `import("effect-wechatpay/effect4/undici").then((m) => m.UndiciHttpClient.layer)`
},
  import("effect-wechatpay/effect4")
])
const t1 = performance.now()
const env = process.env
const runtime = ManagedRuntime.make(WechatPay.layer({
  mchid: env.B_MCHID, merchantSerialNo: env.B_SERIAL, merchantPrivateKey: Redacted.make(env.B_KEY),
  wechatpayPublicKey: { id: env.B_PUBID, pem: env.B_PUB }, baseUrl: env.B_URL
}).pipe(Layer.provide(http)))
const permissions = await runtime.runPromise(Effect.service(PayScorePermissions.PayScorePermissions))
const t2 = performance.now()
const answer = await runtime.runPromise(permissions.queryByAuthorizationCode(JSON.parse(env.B_QUERY)))
if (answer._tag !== "Available") throw new Error("unexpected answer")
const t3 = performance.now()
${report}
await runtime.dispose()
`

const axiosPlugin = `
const t0 = performance.now()
const { Wechatpay } = await import("wechatpay-axios-plugin")
const t1 = performance.now()
const env = process.env
const wxpay = new Wechatpay({ mchid: env.B_MCHID, serial: env.B_SERIAL, privateKey: env.B_KEY, certs: { [env.B_PUBID]: env.B_PUB }, baseURL: env.B_URL, proxy: false })
const t2 = performance.now()
const q = JSON.parse(env.B_QUERY)
const answer = await wxpay.v3.payscore.permissions.authorizationCode._authorization_code_.get({ authorization_code: q.authorization_code, params: { service_id: q.service_id }, headers: { "Wechatpay-Serial": env.B_PUBID } })
if (answer.data.authorization_state !== "AVAILABLE") throw new Error("unexpected answer")
const t3 = performance.now()
${report}
`

const nodeV3 = `
const t0 = performance.now()
const { default: Pay } = await import("wechatpay-node-v3")
const t1 = performance.now()
const env = process.env
const pay = new Pay({ appid: "wxd678efh567hg6787", mchid: env.B_MCHID, serial_no: env.B_SERIAL, publicKey: Buffer.from(env.B_MERCHANT_PUB), privateKey: Buffer.from(env.B_KEY) })
const t2 = performance.now()
const headers = pay.getHeaders(pay.buildAuthorization("GET", env.B_TARGET), { "Wechatpay-Serial": env.B_PUBID })
const answer = await pay.httpService.get(env.B_URL + env.B_TARGET, headers)
if (answer.data?.authorization_state !== "AVAILABLE") throw new Error("unexpected answer")
const t3 = performance.now()
${report}
`

/** Where a subject runs: the repository (the Effect 3 line, this Node), or the Effect 4 line's project on Node 22. */
interface Place {
  readonly node: string
  readonly cwd: string
}

const once = (code: string, env: Record<string, string>, place: Place): Promise<Omit<ColdStart, "client">> =>
  new Promise((resolve, reject) => {
    execFile(
      place.node,
      ["--input-type=module", "-e", code],
      { cwd: place.cwd, env: { ...process.env, ...env } },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`cold start failed: ${error.message}\n${stderr}`))
        else resolve(JSON.parse(stdout.trim().split("\n").pop()!) as Omit<ColdStart, "client">)
      }
    )
  })

const ATTRIBUTION_RUNS = QUICK ? 3 : 7

/**
 * The bare specifiers the built main entry's files import (the entry, the line its guard loads with
 * `await import("./index.real.js")`, and their chunks).
 */
const entryDependencies = (): ReadonlyArray<string> => {
  const seen = new Set<string>()
  const deps = new Set<string>()
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    for (const [, spec] of readFileSync(file, "utf8").matchAll(/\b(?:from\s*|import\s*\(\s*)['"]([^'"]+)['"]/g)) {
      if (spec!.startsWith(".")) visit(join(dirname(file), spec!))
      else deps.add(spec!)
    }
  }
  visit(join(ROOT, "dist", "index.js"))
  // the guard reads the installed versions from `package.json` files: not modules to preload
  return [...deps].filter((d) => !d.endsWith(".json")).sort()
}

const timed = (code: string): Promise<number> =>
  new Promise((resolve, reject) => {
    execFile(process.execPath, ["--input-type=module", "-e", code], { cwd: ROOT }, (error, stdout, stderr) => {
      if (error) reject(new Error(`import timing failed: ${error.message}\n${stderr}`))
      else resolve(Number(stdout.trim().split("\n").pop()))
    })
  })

const wall = (args: ReadonlyArray<string>): Promise<number> =>
  new Promise((resolve, reject) => {
    const started = performance.now()
    execFile(process.execPath, [...args], { cwd: ROOT }, (error) => {
      if (error) reject(error)
      else resolve(performance.now() - started)
    })
  })

const medianOf = async (runs: number, sample: () => Promise<number>): Promise<number> => {
  const values: Array<number> = []
  for (let i = 0; i < runs; i++) values.push(await sample())
  return median(values)
}

const imports = (specs: ReadonlyArray<string>) =>
  `await Promise.all([${specs.map((s) => `import(${JSON.stringify(s)})`).join(", ")}])`

/** What of the main entry's import time is ours, and what its dependencies'. */
export const runImportAttribution = async (log: (line: string) => void = () => {}): Promise<ImportAttribution> => {
  const deps = entryDependencies()
  const n = ATTRIBUTION_RUNS
  const time = (before: string, measured: string) =>
    timed(`${before}; const t0 = performance.now(); ${measured}; console.log(performance.now() - t0)`)
  const nodeAlone = await medianOf(n, () => wall(["-e", "0"]))
  const effectBarrel = await medianOf(n, () => time("", `await import("effect")`))
  const entry = await medianOf(n, () => time("", `await import("effect-wechatpay")`))
  const ours = await medianOf(n, () => time(imports(deps), `await import("effect-wechatpay")`))
  const server = deps.filter((d) => d.startsWith("@effect/platform/HttpServer"))
  const serverModules = await medianOf(n, () => time(imports(deps.filter((d) => !server.includes(d))), imports(server)))
  log(`import attribution: entry ${entry.toFixed(0)} ms, ours ${ours.toFixed(0)} ms`)
  return { runs: n, nodeAlone, effectBarrel, entry, ours, serverModules }
}

/** Runs the cold-start measurements. */
export const runColdStart = async (log: (line: string) => void = () => {}): Promise<ColdStartResult> => {
  const server = await startServer()
  const line4Dir = effect4Project()
  try {
    const env = {
      B_MCHID: Fixtures.mchid,
      B_SERIAL: Fixtures.merchantSerialNo,
      B_KEY: Fixtures.merchantPrivateKeyPkcs8,
      B_MERCHANT_PUB: Fixtures.merchantPublicKey,
      B_PUBID: Fixtures.wechatpayPublicKeyId,
      B_PUB: Fixtures.wechatpayPublicKey,
      B_URL: server.baseUrl,
      B_TARGET: TARGET,
      B_QUERY: JSON.stringify(QUERY)
    }
    const here: Place = { node: process.execPath, cwd: ROOT }
    const line4: Place = { node: nodeBinary(22), cwd: line4Dir }
    const subjects: ReadonlyArray<readonly [string, string, Place]> = [
      ["effect-wechatpay (fetch)", library("fetch"), here],
      ["effect-wechatpay (undici)", library("undici"), here],
      ["effect-wechatpay (UndiciHttpClient)", library("UndiciHttpClient"), here],
      ["effect-wechatpay/effect4 (fetch)", effect4("fetch"), line4],
      ["effect-wechatpay/effect4 (UndiciHttpClient)", effect4("UndiciHttpClient"), line4],
      ["wechatpay-axios-plugin", axiosPlugin, here],
      ["wechatpay-node-v3", nodeV3, here]
    ]
    const samples = new Map<string, Array<Omit<ColdStart, "client">>>()
    for (let run = 0; run < RUNS; run++) {
      for (const [client, code, place] of subjects) {
        const sample = await once(code, env, place)
        samples.set(client, [...(samples.get(client) ?? []), sample])
        log(
          `cold start ${run + 1}/${RUNS} ${client}: ready ${sample.ready.toFixed(0)} ms, first answer ${
            sample.firstAnswer.toFixed(0)
          } ms`
        )
      }
    }
    const attribution = await runImportAttribution(log)
    return {
      runs: RUNS,
      attribution,
      clients: subjects.map(([client]) => {
        const mine = samples.get(client)!
        return {
          client,
          imported: median(mine.map((s) => s.imported)),
          ready: median(mine.map((s) => s.ready)),
          firstAnswer: median(mine.map((s) => s.firstAnswer)),
          sinceProcessStart: median(mine.map((s) => s.sinceProcessStart))
        }
      })
    }
  } finally {
    await server.close()
    rmSync(line4Dir, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runColdStart((line) => console.error(line)).then(reply, (error: unknown) => {
    console.error(error)
    process.exit(1)
  })
}
