/**
 * The built package as users of the Effect 4 line get it (`npm test` builds first): package.json
 * and dist/ copied into a temp project whose node_modules/effect is this workspace's effect 4 (the
 * repository root's effect is 3, so the built dist/effect4 cannot be imported from the repository
 * itself). `import` and `require` of "effect-wechatpay/effect4", "…/effect4/testing" and
 * "…/effect4/undici" run a query, and the testing entry's Sandbox a query and a service order on
 * loopback; the wrong combinations fail with the guard's sentence, never a
 * missing-module stack.
 */
import { describe, expect, it } from "@effect/vitest"
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const workspace = fileURLToPath(new URL("../..", import.meta.url))
const root = path.join(workspace, "..")

/** A temp project with the built package and the given packages linked from `from`. */
const project = (links: Record<string, string>): string => {
  if (!fs.existsSync(path.join(root, "dist/effect4/index.js"))) {
    throw new Error("dist/effect4 is missing: run npm run build first (npm test does)")
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "effect-wechatpay-effect4-"))
  const pkg = path.join(dir, "node_modules/effect-wechatpay")
  fs.mkdirSync(pkg, { recursive: true })
  fs.copyFileSync(path.join(root, "package.json"), path.join(pkg, "package.json"))
  fs.cpSync(path.join(root, "dist"), path.join(pkg, "dist"), { recursive: true })
  for (const [name, target] of Object.entries(links)) {
    fs.mkdirSync(path.dirname(path.join(dir, "node_modules", name)), { recursive: true })
    fs.symlinkSync(target, path.join(dir, "node_modules", name), "dir")
  }
  return dir
}

const effect4 = path.join(workspace, "node_modules/effect")
const effect3 = path.join(root, "node_modules/effect")
const platform3 = path.join(root, "node_modules/@effect/platform")
const undici = path.join(root, "node_modules/undici")

/** Runs `text` as `file` in `dir`: its stdout, or its stderr when it fails. */
const run = (dir: string, file: string, text: string): { readonly ok: boolean; readonly output: string } => {
  fs.writeFileSync(path.join(dir, file), text)
  try {
    return { ok: true, output: execFileSync(process.execPath, [file], { cwd: dir, encoding: "utf8", stdio: "pipe" }) }
  } catch (e) {
    return { ok: false, output: String((e as { stderr: string }).stderr) }
  }
}

const program = `
const record = { service_id: "500001", appid: "wx1", mchid: Fixtures.mchid, authorization_code: "C1", authorization_state: "AVAILABLE" }
const live = WechatPay.layer({
  mchid: Fixtures.mchid,
  merchantSerialNo: Fixtures.merchantSerialNo,
  merchantPrivateKey: Fixtures.merchantPrivateKeyPkcs8,
  wechatpayPublicKey: { id: Fixtures.wechatpayPublicKeyId, pem: Fixtures.wechatpayPublicKey }
}).pipe(Layer.provide(FakeWechatPay.layer(() => ({ body: record }))))
const query = Effect.flatMap(Effect.service(PayScorePermissions.PayScorePermissions), (p) =>
  p.queryByAuthorizationCode({ authorization_code: "C1", service_id: "500001" }))
Effect.runPromise(Effect.provide(query, live)).then((r) =>
  console.log(JSON.stringify({ tag: r._tag, undici: typeof UndiciHttpClient.layer, mocks: typeof Mocks.permissions })))
`

/** The testing entry's Sandbox on 127.0.0.1: the samples seeded, a query, a service order created and confirmed. */
const sandboxProgram = `
const program = Effect.gen(function*() {
  const sandbox = yield* Sandbox.Sandbox
  yield* SampleRecords.seed(sandbox)
  const permissions = yield* PayScorePermissions.PayScorePermissions
  const record = yield* permissions.queryByAuthorizationCode({ authorization_code: "1275342195190894594", service_id: SampleRecords.serviceId })
  const orders = yield* PayScoreServiceOrders.PayScoreServiceOrders
  const created = yield* orders.createServiceOrder({
    out_order_no: "PKG-1", appid: SampleRecords.appid, service_id: SampleRecords.serviceId, service_introduction: "共享充电宝",
    post_payments: [{ name: "充电宝租借", amount: 300 }], time_range: { start_time: "OnAccept" },
    risk_fund: { name: "ESTIMATE_ORDER_COST", amount: 9900 }, notify_url: "https://merchant.example.com/notify"
  })
  const confirmed = yield* sandbox.confirmOrder({ out_order_no: "PKG-1", notify: false })
  const queried = yield* orders.queryServiceOrder({ query_id: confirmed.query_id, service_id: SampleRecords.serviceId, appid: SampleRecords.appid })
  return {
    record: record._tag,
    created: created._tag,
    queried: queried._tag + "/" + queried.state_description,
    loopback: sandbox.baseUrl.startsWith("http://127.0.0.1:"),
    requests: (yield* sandbox.requests).length,
    fault: Sandbox.Fault.Status({ status: 500 })._tag,
    mockedOrder: Mocks.order.Doing.make({ appid: "wx1", mchid: "1", out_order_no: "o", service_id: "s", state: "DOING" })._tag
  }
})
Effect.runPromise(program.pipe(Effect.provide(Sandbox.layer({ client: { retries: 0 } }).pipe(Layer.provide(FetchHttpClient.layer)))))
  .then((r) => console.log(JSON.stringify(r)))
`

const sandboxAnswer = {
  record: "Available",
  created: "Created",
  queried: "Doing/USER_CONFIRM",
  loopback: true,
  requests: 3,
  fault: "Status",
  mockedOrder: "Doing"
}

describe("package, Effect 4 line (effect 4 installed)", () => {
  const dir = project({ effect: effect4, undici })

  it("import (ESM): the three entries load, a query runs", () => {
    const { ok, output } = run(
      dir,
      "esm.mjs",
      `import { Effect, Layer } from "effect"
import { PayScorePermissions, WechatPay } from "effect-wechatpay/effect4"
import { FakeWechatPay, Fixtures, Mocks } from "effect-wechatpay/effect4/testing"
import { UndiciHttpClient } from "effect-wechatpay/effect4/undici"
${program}`
    )
    expect(ok, output).toBe(true)
    expect(JSON.parse(output)).toEqual({ tag: "Available", undici: "object", mocks: "function" })
  })

  it("require (CJS): the three entries load, a query runs", () => {
    const { ok, output } = run(
      dir,
      "cjs.cjs",
      `const { Effect, Layer } = require("effect")
const { PayScorePermissions, WechatPay } = require("effect-wechatpay/effect4")
const { FakeWechatPay, Fixtures, Mocks } = require("effect-wechatpay/effect4/testing")
const { UndiciHttpClient } = require("effect-wechatpay/effect4/undici")
${program}`
    )
    expect(ok, output).toBe(true)
    expect(JSON.parse(output)).toEqual({ tag: "Available", undici: "object", mocks: "function" })
  })

  it("import (ESM): the testing entry's Sandbox serves a query and a service order on 127.0.0.1", () => {
    const { ok, output } = run(
      dir,
      "sandbox.mjs",
      `import { Effect, Layer } from "effect"
import { FetchHttpClient } from "effect/http"
import { PayScorePermissions, PayScoreServiceOrders } from "effect-wechatpay/effect4"
import { Mocks, SampleRecords, Sandbox } from "effect-wechatpay/effect4/testing"
${sandboxProgram}`
    )
    expect(ok, output).toBe(true)
    expect(JSON.parse(output)).toEqual(sandboxAnswer)
  })

  it("require (CJS): the testing entry's Sandbox serves a query and a service order on 127.0.0.1", () => {
    const { ok, output } = run(
      dir,
      "sandbox.cjs",
      `const { Effect, Layer } = require("effect")
const { FetchHttpClient } = require("effect/http")
const { PayScorePermissions, PayScoreServiceOrders } = require("effect-wechatpay/effect4")
const { Mocks, SampleRecords, Sandbox } = require("effect-wechatpay/effect4/testing")
${sandboxProgram}`
    )
    expect(ok, output).toBe(true)
    expect(JSON.parse(output)).toEqual(sandboxAnswer)
  })

  it("the Effect 3 entries refuse by name, in ESM and CJS, with the command that fixes it", () => {
    const expected =
      `effect-wechatpay: "effect-wechatpay" and "effect-wechatpay/testing" are the Effect 3 line, but effect 4.1.5 is installed. With Effect 4, import "effect-wechatpay/effect4" and "effect-wechatpay/effect4/testing" instead. To stay on Effect 3: npm install effect@3 @effect/platform@0.97`
    for (
      const [file, text] of [
        ["wrong.mjs", `import "effect-wechatpay"\n`],
        ["wrong-testing.mjs", `import "effect-wechatpay/testing"\n`],
        ["wrong.cjs", `require("effect-wechatpay")\n`],
        ["wrong-undici.cjs", `require("effect-wechatpay/undici")\n`]
      ] as const
    ) {
      const { ok, output } = run(dir, file, text)
      expect(ok, file).toBe(false)
      expect(output, file).toContain(expected)
      expect(output, file).not.toMatch(/ERR_MODULE_NOT_FOUND|Cannot find module|ERR_PACKAGE_PATH_NOT_EXPORTED/)
    }
  })

  it("internal modules of the Effect 4 line are not importable; its public modules are, by path", () => {
    const { output } = run(
      dir,
      "paths.mjs",
      `const tryImport = (id) => import(id).then(() => "ok", (e) => e.code)
const out = {}
for (const id of ["effect-wechatpay/effect4/internal/errors", "effect-wechatpay/effect4/services/KeyStore", "effect-wechatpay/effect4/WechatPay"]) out[id] = await tryImport(id)
console.log(JSON.stringify(out))`
    )
    expect(JSON.parse(output)).toEqual({
      "effect-wechatpay/effect4/internal/errors": "ERR_PACKAGE_PATH_NOT_EXPORTED",
      "effect-wechatpay/effect4/services/KeyStore": "ok",
      "effect-wechatpay/effect4/WechatPay": "ok"
    })
  })
})

describe("package, wrong combinations for the Effect 4 line", () => {
  it("effect 3 installed: the Effect 4 entries refuse by name, ESM and CJS", () => {
    const dir = project({ effect: effect3, "@effect/platform": platform3 })
    const expected =
      `effect-wechatpay: "effect-wechatpay/effect4" is the Effect 4 line, but effect 3.22.4 is installed. With Effect 3, import "effect-wechatpay" and "effect-wechatpay/testing" instead. To move to Effect 4: npm install effect@4`
    for (
      const [file, text] of [
        ["wrong.mjs", `import "effect-wechatpay/effect4"\n`],
        ["wrong.cjs", `require("effect-wechatpay/effect4/testing")\n`]
      ] as const
    ) {
      const { ok, output } = run(dir, file, text)
      expect(ok, file).toBe(false)
      expect(output, file).toContain(expected)
    }
  })

  it("no effect installed: the Effect 4 entry says so and names the command", () => {
    const dir = project({})
    const { ok, output } = run(dir, "none.mjs", `import "effect-wechatpay/effect4"\n`)
    expect(ok).toBe(false)
    expect(output).toContain(
      "effect-wechatpay: the Effect 4 line needs effect 4.1.x (not installed). Run: npm install effect@4.1"
    )
  })

  it("effect 3 without @effect/platform (the bare install): the Effect 3 entry names both fixes", () => {
    const dir = project({ effect: effect3 })
    const { ok, output } = run(dir, "bare.mjs", `import "effect-wechatpay"\n`)
    expect(ok).toBe(false)
    expect(output).toContain(
      `effect-wechatpay: the Effect 3 line needs @effect/platform ^0.97.2 (not installed). Run: npm install @effect/platform@0.97 (or, for the Effect 4 line: npm install effect@4, and import "effect-wechatpay/effect4")`
    )
  })
})
