/**
 * The runtime matrix: the same small program (program.ts, the library's built main entry over
 * `FetchHttpClient`) on Bun, Deno, and workerd through miniflare WITHOUT `nodejs_compat`, each from
 * its npm package, against sandboxes this test starts on 127.0.0.1 (port 0): a signed request and
 * a verified answer with the WeChat Pay public key, with platform certificates, with certificates
 * downloaded with the APIv3 key; a tampered answer refused; a broken certificate refused with its
 * cause. The sandbox sees the default User-Agent name the runtime.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as esbuild from "esbuild"
import { Miniflare } from "miniflare"
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { Fixtures, Sandbox } from "../../src/testing/index.js"
import * as Binaries from "./binaries.js"
import type { Input, Report } from "./program.js"

const HERE = fileURLToPath(new URL("./", import.meta.url))
const ROOT = fileURLToPath(new URL("../../", import.meta.url))

const query = { authorization_code: "1234323JKHDFE1243252", service_id: "500001" }
const seed = Sandbox.Seed.Merchant({
  ...query,
  record: { authorization_state: "AVAILABLE", openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o" }
})

/** Three sandboxes (public key; certificates only; every answer tampered), and the program's input. */
const sandboxes = Effect.gen(function*() {
  const publicKey = yield* Sandbox.make({ records: [seed] })
  const certificates = yield* Sandbox.make({ records: [seed], wechatpayPublicKey: false })
  const tampered = yield* Sandbox.make({ records: [seed] })
  yield* tampered.injectFault(Sandbox.Fault.TamperedBody({}), { times: Infinity })
  const input: Input = {
    publicKeySandbox: publicKey.baseUrl,
    certificatesSandbox: certificates.baseUrl,
    tamperedSandbox: tampered.baseUrl,
    mchid: Fixtures.mchid,
    merchantSerialNo: Fixtures.merchantSerialNo,
    merchantPrivateKey: Fixtures.merchantPrivateKeyPkcs8,
    wechatpayPublicKey: { id: Fixtures.wechatpayPublicKeyId, pem: Fixtures.wechatpayPublicKey },
    platformCertificates: [Fixtures.platformCertificate1, Fixtures.platformCertificate2],
    apiV3Key: Fixtures.apiV3Key,
    query
  }
  return { input, all: [publicKey, certificates, tampered] }
})

/** Runs `command` with `input` as JSON on stdin; its stdout as a Report. */
const runProcess = (command: string, args: ReadonlyArray<string>, input: Input) =>
  Effect.async<Report, Error>((resume) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"], env: { ...process.env } })
    let stdout = ""
    let stderr = ""
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000)
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
    child.on("error", (error) => resume(Effect.fail(error)))
    child.on("close", (code) => {
      clearTimeout(timer)
      if (code !== 0) return resume(Effect.fail(new Error(`${command} exited ${code}: ${stderr}`)))
      try {
        resume(Effect.succeed(JSON.parse(stdout.trim().split("\n").pop()!) as Report))
      } catch {
        resume(Effect.fail(new Error(`${command}: not a report: ${stdout} ${stderr}`)))
      }
    })
    child.stdin.end(JSON.stringify(input))
  })

/** The worker: program.ts bundled by esbuild for workerd (browser/worker conditions, no Node). */
const workerScript = Effect.promise(() =>
  esbuild.build({
    entryPoints: [`${HERE}worker.ts`],
    bundle: true,
    format: "esm",
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    target: "es2022",
    write: false,
    logLevel: "silent"
  })
).pipe(Effect.map((result) => result.outputFiles[0]!.text))

const runWorkerd = (input: Input) =>
  Effect.gen(function*() {
    const script = yield* workerScript
    const mf = yield* Effect.acquireRelease(
      Effect.sync(() =>
        new Miniflare({
          modules: true,
          script,
          // no compatibilityFlags: in particular no nodejs_compat
          compatibilityDate: "2025-07-18",
          compatibilityFlags: []
        })
      ),
      (mf) => Effect.promise(() => mf.dispose())
    )
    const response = yield* Effect.promise(() =>
      mf.dispatchFetch("http://localhost/", { method: "POST", body: JSON.stringify(input) })
    )
    const text = yield* Effect.promise(() => response.text())
    if (response.status !== 200) return yield* Effect.fail(new Error(`workerd answered ${response.status}: ${text}`))
    return JSON.parse(text) as Report
  })

const check = (
  report: Report,
  runtime: RegExp,
  all: ReadonlyArray<Sandbox.Sandbox.Service>
) =>
  Effect.gen(function*() {
    const outcomes = Object.fromEntries(report.steps.map((s) => [s.name, s.outcome]))
    expect(outcomes).toEqual({
      "public key: signed request, verified answer": "AVAILABLE",
      "platform certificates: verified answer": "AVAILABLE",
      "downloaded certificates: verified answer": "AVAILABLE",
      "tampered answer: refused": "VerificationError",
      "broken certificate: InvalidConfig with the cause": "InvalidConfig"
    })
    const broken = report.steps.find((s) => s.name.startsWith("broken"))!
    expect(broken.detail).toMatch(
      /^platformCertificates\[0\] is not a readable X\.509 certificate \(Certificate: \d+ bytes announced at byte 0, only \d+ there\)$/
    )
    expect(report.userAgent).toMatch(runtime)
    // every request reached a sandbox, signed and with that User-Agent; the download happened
    const requests = (yield* Effect.all(all.map((s) => s.requests))).flat()
    expect(requests.length).toBeGreaterThanOrEqual(5)
    for (const request of requests) {
      expect(request.headers["user-agent"]).toBe(report.userAgent)
      expect(request.status).toBe(200)
    }
    expect(requests.some((r) => r.url === "/v3/certificates")).toBe(true)
  })

describe("runtime matrix (sandbox on 127.0.0.1)", () => {
  it.scopedLive("Bun, from the bun npm package", () =>
    Effect.gen(function*() {
      const { all, input } = yield* sandboxes
      const report = yield* runProcess(Binaries.bun(), [`${HERE}bun.ts`], input)
      yield* check(report, /^effect-wechatpay\/\d+\.\d+\.\d+ \(linux [a-z0-9]+\) Bun\/\d+\.\d+\.\d+$/, all)
    }), 150_000)

  it.scopedLive("Deno, from the deno npm package (net to 127.0.0.1 only, read only)", () =>
    Effect.gen(function*() {
      const { all, input } = yield* sandboxes
      const report = yield* runProcess(
        Binaries.deno(),
        [
          "run",
          "--quiet",
          "--no-prompt",
          "--unstable-sloppy-imports",
          "--allow-net=127.0.0.1",
          "--allow-read",
          `${HERE}deno.ts`
        ],
        input
      )
      yield* check(report, /^effect-wechatpay\/\d+\.\d+\.\d+ \(linux [a-z0-9_]+\) Deno\/\d+\.\d+\.\d+$/, all)
    }), 150_000)

  it.scopedLive("workerd through miniflare, without nodejs_compat", () =>
    Effect.gen(function*() {
      const { all, input } = yield* sandboxes
      const report = yield* runWorkerd(input)
      yield* check(report, /^effect-wechatpay\/\d+\.\d+\.\d+ \(unknown\) workerd$/, all)
    }), 150_000)
})
