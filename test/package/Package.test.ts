/**
 * The built package as users get it (`npm test` builds first): `import` and `require` of
 * `effect-wechatpay`, `effect-wechatpay/testing` and `effect-wechatpay/undici` through package.json
 * `exports` (self-reference), a query through each format against the sandbox, and what `npm pack`
 * ships.
 */
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { beforeAll, describe, expect, it } from "vitest"

const root = fileURLToPath(new URL("../..", import.meta.url))
const run = promisify(execFile)

const node = async (args: ReadonlyArray<string>) => {
  const { stderr, stdout } = await run(process.execPath, [...args], { cwd: root, timeout: 60_000 })
  return { stdout, stderr }
}

const exportsOf = (names: string) => `Object.keys(${names}).sort().join(",")`

const ESM_QUERY = `
import { Effect, Layer } from "effect"
import { FetchHttpClient } from "@effect/platform"
import { PayScorePermissions, WechatPay, WechatPayClient, Signer, KeyStore, AuthorizationRecord, WechatPayError } from "effect-wechatpay"
import { Sandbox, SampleRecords, Fixtures, FakeWechatPay } from "effect-wechatpay/testing"
const program = Effect.gen(function*() {
  const sandbox = yield* Sandbox.Sandbox
  yield* SampleRecords.seed(sandbox)
  const p = yield* PayScorePermissions.PayScorePermissions
  const r = yield* p.queryByAuthorizationCode({ authorization_code: "1275342195190894594", service_id: "500001" })
  console.log(JSON.stringify({ tag: r._tag, code: r.authorization_code }))
  console.log(${
  exportsOf(
    "{ PayScorePermissions, WechatPay, WechatPayClient, Signer, KeyStore, AuthorizationRecord, WechatPayError, Sandbox, SampleRecords, Fixtures, FakeWechatPay }"
  )
})
})
await Effect.runPromise(program.pipe(Effect.provide(Sandbox.layer().pipe(Layer.provide(FetchHttpClient.layer)))))
`

const CJS_QUERY = `
const { Effect, Layer } = require("effect")
const { FetchHttpClient } = require("@effect/platform")
const lib = require("effect-wechatpay")
const testing = require("effect-wechatpay/testing")
const program = Effect.gen(function*() {
  const sandbox = yield* testing.Sandbox.Sandbox
  yield* testing.SampleRecords.seed(sandbox)
  const p = yield* lib.PayScorePermissions.PayScorePermissions
  const r = yield* p.queryByAuthorizationCode({ authorization_code: "1275342195190894594", service_id: "500001" })
  console.log(JSON.stringify({ tag: r._tag, code: r.authorization_code }))
  console.log(Object.keys({ ...lib, ...testing }).sort().join(","))
})
Effect.runPromise(program.pipe(Effect.provide(testing.Sandbox.layer().pipe(Layer.provide(FetchHttpClient.layer)))))
  .catch((e) => { console.error(e); process.exit(1) })
`

/** A query over `effect-wechatpay/undici` (import or require), against the sandbox. */
const undiciQuery = (format: "esm" | "cjs") => `
${
  format === "esm"
    ? `import { Effect, Layer } from "effect"
import { PayScorePermissions, WechatPay } from "effect-wechatpay"
import { Sandbox, SampleRecords } from "effect-wechatpay/testing"
import { UndiciHttpClient } from "effect-wechatpay/undici"`
    : `const { Effect, Layer } = require("effect")
const { PayScorePermissions, WechatPay } = require("effect-wechatpay")
const { Sandbox, SampleRecords } = require("effect-wechatpay/testing")
const { UndiciHttpClient } = require("effect-wechatpay/undici")`
}
const program = Effect.gen(function*() {
  const sandbox = yield* Sandbox.Sandbox
  yield* SampleRecords.seed(sandbox)
  const live = WechatPay.layer(sandbox.wechatPayOptions).pipe(Layer.provide(UndiciHttpClient.layer))
  const r = yield* Effect.flatMap(PayScorePermissions.PayScorePermissions, (p) =>
    p.queryByAuthorizationCode({ authorization_code: "1275342195190894594", service_id: "500001" })).pipe(Effect.provide(live))
  console.log(JSON.stringify({ tag: r._tag, code: r.authorization_code, keepAlive: UndiciHttpClient.DEFAULT_KEEP_ALIVE_TIMEOUT }))
})
Effect.runPromise(Effect.scoped(program).pipe(Effect.provide(Sandbox.layer().pipe(Layer.provide(UndiciHttpClient.layer)))))
  .catch((e) => { console.error(e); process.exit(1) })
`

const ALL_EXPORTS = [
  "AuthorizationRecord",
  "FakeWechatPay",
  "Fixtures",
  "KeyStore",
  "PayScorePermissions",
  "SampleRecords",
  "Sandbox",
  "Signer",
  "WechatPay",
  "WechatPayClient",
  "WechatPayError"
]

describe("the built package", () => {
  beforeAll(() => {
    for (const file of ["dist/index.js", "dist/index.cjs", "dist/testing/index.js", "dist/testing/index.cjs"]) {
      if (!fs.existsSync(path.join(root, file))) {
        throw new Error(`${file} is missing: run npm run build first (npm test does)`)
      }
    }
  })

  it("import (ESM) of effect-wechatpay and effect-wechatpay/testing: a query against the sandbox", async () => {
    const { stdout } = await node(["--input-type=module", "-e", ESM_QUERY])
    const [first, second] = stdout.trim().split("\n")
    expect(JSON.parse(first!)).toMatchObject({ tag: "Available", code: "1275342195190894594" })
    for (const name of ALL_EXPORTS) expect(second!.split(","), name).toContain(name)
  })

  it("require (CJS) of effect-wechatpay and effect-wechatpay/testing: a query against the sandbox", async () => {
    const { stdout } = await node(["-e", CJS_QUERY])
    const [first, second] = stdout.trim().split("\n")
    expect(JSON.parse(first!)).toMatchObject({ tag: "Available", code: "1275342195190894594" })
    for (const name of ALL_EXPORTS) expect(second!.split(","), name).toContain(name)
  })

  it("import and require of effect-wechatpay/undici: a query over UndiciHttpClient against the sandbox", async () => {
    for (const [format, args] of [["esm", ["--input-type=module", "-e"]], ["cjs", ["-e"]]] as const) {
      const { stdout } = await node([...args, undiciQuery(format)])
      expect(JSON.parse(stdout.trim()), format).toEqual({
        tag: "Available",
        code: "1275342195190894594",
        keepAlive: 4000
      })
    }
  })

  it("the library entry point loads neither @effect/platform-node nor @effect/cli", async () => {
    const script = `
      const Module = require("node:module")
      const seen = []
      const original = Module._load
      Module._load = function (request, ...rest) { seen.push(request); return original.call(this, request, ...rest) }
      require("effect-wechatpay")
      console.log(JSON.stringify(seen.filter((r) => /platform-node|@effect\\/cli|undici/.test(r))))
    `
    const { stdout } = await node(["-e", script])
    expect(JSON.parse(stdout)).toEqual([])
  })

  it("internal modules are not importable (ERR_PACKAGE_PATH_NOT_EXPORTED); the public modules are, by path", async () => {
    const probe = `
const tryImport = (id) => import(id).then(() => "ok", (e) => e.code)
const tryRequire = (id) => { try { require(id); return "ok" } catch (e) { return e.code } }
const { createRequire } = await import("node:module")
const require = createRequire(import.meta.url)
const ids = ["effect-wechatpay/internal/errors", "effect-wechatpay/core/keys", "effect-wechatpay/core/endpoints/permissions",
  "effect-wechatpay/transport/undici", "effect-wechatpay/testing/internal/sandboxRoutes", "effect-wechatpay/cli/main",
  "effect-wechatpay/services/KeyStore", "effect-wechatpay/schemas/AuthorizationRecord", "effect-wechatpay/errors/WechatPayError"]
const out = {}
for (const id of ids) out[id] = [await tryImport(id), tryRequire(id)]
console.log(JSON.stringify(out))
`
    const { stdout } = await node(["--input-type=module", "-e", probe])
    const result = JSON.parse(stdout) as Record<string, [string, string]>
    for (const id of Object.keys(result)) {
      const expected = /\/(internal|core|transport|cli)\//.test(id) ? "ERR_PACKAGE_PATH_NOT_EXPORTED" : "ok"
      expect(result[id], id).toEqual([expected, expected])
    }
  })

  it("type declarations exist for both formats and both entry points", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"))
    for (const entry of [".", "./testing", "./undici"]) {
      for (const format of ["import", "require"]) {
        const target = pkg.exports[entry][format]
        expect(fs.existsSync(path.join(root, target.types)), `${entry} ${format} types`).toBe(true)
        expect(fs.existsSync(path.join(root, target.default)), `${entry} ${format}`).toBe(true)
      }
    }
    expect(fs.existsSync(path.join(root, pkg.bin["effect-wechatpay"]))).toBe(true)
  })

  it("npm pack ships only dist/, the README, the licence and package.json", async () => {
    const { stdout } = await run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: root,
      timeout: 60_000
    })
    const files: ReadonlyArray<string> = JSON.parse(stdout)[0].files.map((f: { path: string }) => f.path)
    expect(files).toContain("package.json")
    expect(files).toContain("README.md")
    expect(files).toContain("LICENSE")
    expect(files).toContain("dist/index.js")
    expect(files).toContain("dist/index.cjs")
    expect(files).toContain("dist/testing/index.js")
    expect(files).toContain("dist/undici.js")
    expect(files).toContain("dist/undici.cjs")
    expect(files).toContain("dist/cli/main.js")
    const unexpected = files.filter((f) => !/^(dist\/|README\.md$|LICENSE$|package\.json$)/.test(f))
    expect(unexpected).toEqual([])
  })
  it("npm pack ships no source maps (they could only point at src/, which is not shipped)", async () => {
    const { stdout } = await run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: root,
      timeout: 60_000
    })
    const files: ReadonlyArray<string> = JSON.parse(stdout)[0].files.map((f: { path: string }) => f.path)
    expect(files.filter((f) => f.endsWith(".map"))).toEqual([])
    for (const file of files.filter((f) => /\.(c?js)$/.test(f))) {
      expect(fs.readFileSync(path.join(root, file), "utf8"), file).not.toMatch(/sourceMappingURL/)
    }
  })

  it("repository, homepage and bugs point at the GitHub repository; BENCHMARKS.md has the npm pack size", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"))
    expect(pkg.repository).toEqual({ type: "git", url: "git+https://github.com/effect-wechatpay/effect-wechatpay.git" })
    expect(pkg.homepage).toBe("https://github.com/effect-wechatpay/effect-wechatpay#readme")
    expect(pkg.bugs.url).toBe("https://github.com/effect-wechatpay/effect-wechatpay/issues")
    const benchmarks = fs.readFileSync(path.join(root, "BENCHMARKS.md"), "utf8")
    expect(benchmarks).toMatch(/^npm pack: [\d.]+ KiB packed, [\d.]+ KiB unpacked, \d+ files/m)
  })

  it("README links resolve from the npm page: relative links only to anchors or to files the package ships", async () => {
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8")
    const { stdout } = await run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: root,
      timeout: 60_000
    })
    const shipped = new Set<string>(JSON.parse(stdout)[0].files.map((f: { path: string }) => f.path))
    const targets = Array.from(readme.matchAll(/\]\(([^)\s]+)\)/g), (m) => m[1]!)
    expect(targets.length).toBeGreaterThan(0)
    for (const target of targets) {
      if (/^(https?:|mailto:|#)/.test(target)) continue
      expect(shipped.has(target.replace(/^\.\//, "").replace(/#.*$/, "")), `README link ${target}`).toBe(true)
    }
  })
})
