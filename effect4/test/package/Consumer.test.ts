/**
 * A consumer project on the Effect 4 line compiled with `declaration: true`, as a new user's app
 * would be (the permissions, the service orders, the notifications, the testing entry's Sandbox): exported values typed by inference only (no annotations), on TypeScript 5.9
 * (`typescript`) and 7.x (`typescript-7`, both devDependencies of the repository), under
 * `NodeNext` (ESM and CommonJS) and `Bundler`. Every type the library's signatures mention must be
 * named through the package's entry points (`effect-wechatpay/effect4`, `/effect4/testing`,
 * `/effect4/undici`) or its public modules, never a path into `dist/` (TS2742 on 5.x, TS2883 on
 * 7.x), with `skipLibCheck: false`: the Effect 4 line's declarations check against effect 4.
 *
 * The package is copied as `npm pack` ships it (package.json + dist/) into a temp project whose
 * `node_modules` links this workspace's `effect` (4) and `@types/node`, and the root's `undici`.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"

const workspace = fileURLToPath(new URL("../..", import.meta.url))
const root = path.join(workspace, "..")
const run = promisify(execFile)

const COMPILERS = {
  "5.9": path.join(root, "node_modules/typescript/bin/tsc"),
  "7.x": path.join(root, "node_modules/typescript-7/bin/tsc")
} as const

const program = (imports: "import" | "require") => {
  const lines = imports === "import"
    ? [
      `import { Effect, Layer, Redacted, Schema } from "effect"`,
      `import { FetchHttpClient } from "effect/http"`,
      `import { PayScorePermissions, PayScoreNotifications, WechatPay, WechatPayClient, WechatPayError, AuthorizationRecord, KeyStore, Signer, type Notification } from "effect-wechatpay/effect4"`,
      `type NotificationUnion = Notification.Notification`,
      `import { FakeWechatPay, Fixtures, Mocks, SampleRecords, Sandbox } from "effect-wechatpay/effect4/testing"`,
      `import { PayScoreServiceOrders, ServiceOrderConfirmation, ServiceOrderRequests } from "effect-wechatpay/effect4"`,
      `import { UndiciHttpClient } from "effect-wechatpay/effect4/undici"`
    ]
    : [
      `import { Effect, Layer, Redacted, Schema } from "effect"`,
      `import { FetchHttpClient } from "effect/http"`,
      `import lib = require("effect-wechatpay/effect4")`,
      `import testing = require("effect-wechatpay/effect4/testing")`,
      `import undici = require("effect-wechatpay/effect4/undici")`,
      `const { PayScorePermissions, PayScoreNotifications, WechatPay, WechatPayClient, WechatPayError, AuthorizationRecord, KeyStore, Signer } = lib`,
      `const { FakeWechatPay, Fixtures, Mocks, SampleRecords, Sandbox } = testing`,
      `const { PayScoreServiceOrders, ServiceOrderConfirmation, ServiceOrderRequests } = lib`,
      `const { UndiciHttpClient } = undici`,
      `type NotificationUnion = lib.Notification.Notification`
    ]
  return `${lines.join("\n")}

export const query = Effect.flatMap(Effect.service(PayScorePermissions.PayScorePermissions), (p) =>
  p.queryByAuthorizationCode({ authorization_code: "1275342195190894594", service_id: "500001" }))
export const program = Effect.gen(function*() {
  const permissions = yield* PayScorePermissions.PayScorePermissions
  const record = yield* permissions.queryPartnerByAuthorizationCode({ authorization_code: "1", service_id: "500001", sub_mchid: "1900000109" })
  const token = yield* permissions.applyPermissions({ service_id: "500001", appid: "wx1", authorization_code: "1" })
  yield* permissions.terminateByOpenid({ openid: "o1", service_id: "500001", appid: "wx1", reason: "r" })
  const search = yield* permissions.queryPartnerByOpenid({ service_id: "500001", appid: "wx1", sub_mchid: "1900000109", openid: "o1" })
  return { record, token, search }
})
export const recovered = query.pipe(
  Effect.catchTags({ NotFound: () => Effect.succeed(null), VerificationError: (e) => Effect.die(e) })
)
export const available = AuthorizationRecord.AuthorizationRecordVariants.Available.make({
  service_id: "500001", authorization_code: "1", appid: "wx1", mchid: "1900000001", authorization_state: "AVAILABLE"
})
export const live = WechatPay.layer({
  mchid: "1900000001",
  merchantSerialNo: Fixtures.merchantSerialNo,
  merchantPrivateKey: Redacted.make(Fixtures.merchantPrivateKeyPkcs8),
  wechatpayPublicKey: { id: Fixtures.wechatpayPublicKeyId, pem: Fixtures.wechatpayPublicKey }
}).pipe(Layer.provide(FetchHttpClient.layer))
export const fromEnv = WechatPay.layerConfig()
export const overUndici = WechatPay.layer({
  mchid: "1900000001",
  merchantSerialNo: Fixtures.merchantSerialNo,
  merchantPrivateKey: Fixtures.merchantPrivateKeyPkcs8,
  wechatpayPublicKey: { id: Fixtures.wechatpayPublicKeyId, pem: Fixtures.wechatpayPublicKey }
}).pipe(Layer.provide(UndiciHttpClient.layer))
export const fake = FakeWechatPay.layer(() => ({ status: 404, body: { code: "NOT_FOUND", message: "no" } }))
export const notifications = PayScoreNotifications.httpApp((n: NotificationUnion) => Effect.log(n._tag))
export const parse = Effect.flatMap(Effect.service(PayScoreNotifications.PayScoreNotifications), (n) => n.parse({ headers: {}, body: "" }))
export const raw = Effect.flatMap(Effect.service(WechatPayClient.WechatPayClient), (c) => c.request({ method: "GET", path: "/v3/x", schema: Schema.Struct({ a: Schema.String }) }))
export const keys = Effect.flatMap(Effect.service(KeyStore.KeyStore), (k) => k.certificates)
export const signer = Signer.Signer
export const service = PayScorePermissions.PayScorePermissions
export const mock = Mocks.permissions({ queryByOpenid: () => Effect.fail(new WechatPayError.NotFound({ status: 404, code: "NOT_FOUND", message: "no" })) })
export const mocked = Layer.mock(PayScorePermissions.PayScorePermissions)({ queryByOpenid: () => Effect.die("unused") })
export type Service = ${imports === "import" ? "" : "lib."}PayScorePermissions.PayScorePermissions.Service
export type OrdersService = ${imports === "import" ? "" : "lib."}PayScoreServiceOrders.PayScoreServiceOrders.Service
export const orders = PayScoreServiceOrders.PayScoreServiceOrders
export const ordersMock = Mocks.serviceOrders({ queryServiceOrder: () => Effect.succeed(Mocks.order.Doing.make({ appid: "wx1", mchid: "1", out_order_no: "o", service_id: "s", state: "DOING" })) })
export const sandbox = Sandbox.layer({ client: { retries: 0 } }).pipe(Layer.provide(FetchHttpClient.layer))
export const sandboxServer = Sandbox.layerServer()
export const seeded = Effect.flatMap(Effect.service(Sandbox.Sandbox), (s) => SampleRecords.seed(s))
export const seed = Sandbox.Seed.Partner({ authorization_code: "1", service_id: "500001", sub_mchid: "1900000109", record: { authorization_state: "AVAILABLE" } })
export const fault = Sandbox.Fault.TamperedBody({})
export const confirmed = Effect.flatMap(Effect.service(Sandbox.Sandbox), (s) => s.confirmOrder({ out_order_no: "1", notify: false }))
export const notified = Sandbox.notify({ url: "http://127.0.0.1:1/notify" })
export const clientOptions = Effect.map(Effect.service(Sandbox.Sandbox), (s) => Sandbox.wechatPayOptions(s, { retries: 0 }))
export const confirmation = ServiceOrderConfirmation.signed({ mchid: "1900000001", package: "P" }, { apiV2Key: Redacted.make("k") })
export const miniProgram = ServiceOrderConfirmation.miniProgram({ package: "P" })
export const createParams = ServiceOrderRequests.CreateServiceOrderParams
export const paid = Effect.map(parse, (n) => (n._tag === "UserPaid" ? n.resource : undefined))
`
}

const orderAnswers = (imports: "import" | "require") =>
  `${
    imports === "import"
      ? `import { Effect } from "effect"
import { PayScorePermissions, PayScoreServiceOrders } from "effect-wechatpay/effect4"
import { Sandbox } from "effect-wechatpay/effect4/testing"`
      : `import { Effect } from "effect"
import lib = require("effect-wechatpay/effect4")
import testing = require("effect-wechatpay/effect4/testing")
const { PayScorePermissions, PayScoreServiceOrders } = lib
const { Sandbox } = testing`
  }
export const orderAnswers = Effect.gen(function*() {
  const o = yield* PayScoreServiceOrders.PayScoreServiceOrders
  const created = yield* o.createServiceOrder({ out_order_no: "1", appid: "wx1", service_id: "500001", service_introduction: "s", risk_fund: { name: "DEPOSIT", amount: 1 }, time_range: { start_time: "OnAccept" }, notify_url: "https://example.com/n" })
  const queried = yield* o.queryServiceOrder({ out_order_no: "1", service_id: "500001", appid: "wx1" })
  const cancelled = yield* o.cancelServiceOrder({ out_order_no: "1", appid: "wx1", reason: "r" })
  const deduction = yield* o.queryAcquiringBankServiceOrderDeduction({ service_id: "500001", appid: "wx1", sub_mchid: "1900000109", channel_id: "c1", out_order_no: "1" })
  const completed = yield* o.completePartnerServiceOrder({ out_order_no: "1", sub_mchid: "1900000109", service_id: "500001", post_payments: [{ amount: 1 }], total_amount: 1 })
  const risk = yield* (yield* PayScorePermissions.PayScorePermissions).assessPartnerUserRiskLevel({ sub_mchid: "1900000109", service_id: "500001", appid: "wx1", openid: "o1" })
  const step = yield* (yield* Sandbox.Sandbox).payOrder({ out_order_no: "1", notify: false })
  return { created, queried, cancelled, deduction, completed, risk, step }
})
`

const ORDER_ANSWERS = {
  created: "CreatedServiceOrder",
  queried: "ServiceOrder",
  cancelled: "CancelServiceOrderResult",
  deduction: "AcquiringBankDeduction",
  risk: "UserRiskLevelRecord",
  step: "UserStep"
}

const fourAnswers = (imports: "import" | "require") =>
  `${
    imports === "import"
      ? `import { Effect } from "effect"
import { PayScorePermissions } from "effect-wechatpay/effect4"`
      : `import { Effect } from "effect"
import lib = require("effect-wechatpay/effect4")
const { PayScorePermissions } = lib`
  }
export const fourAnswers = Effect.gen(function*() {
  const permissions = yield* PayScorePermissions.PayScorePermissions
  const merchant = yield* permissions.queryByAuthorizationCode({ authorization_code: "1", service_id: "500001" })
  const partner = yield* permissions.queryPartnerByAuthorizationCode({ authorization_code: "1", service_id: "500001", sub_mchid: "1900000109" })
  const bank = yield* permissions.queryAcquiringBankByAuthorizationCode({ authorization_code: "1", service_id: "500001", channel_id: "c1", sub_mchid: "1900000109" })
  const byOpenid = yield* permissions.queryByOpenid({ openid: "o1", service_id: "500001", appid: "wx1" })
  return { merchant, partner, bank, byOpenid }
})
`

const FOUR_RECORDS = {
  merchant: "AuthorizationRecord",
  partner: "PartnerAuthorizationRecord",
  bank: "AcquiringBankAuthorizationRecord",
  byOpenid: "OpenidAuthorizationRecord"
}

interface Setup {
  readonly name: string
  readonly packageType: "module" | "commonjs"
  readonly imports: "import" | "require"
  readonly compilerOptions: Record<string, unknown>
}

const SETUPS: ReadonlyArray<Setup> = [
  {
    name: "NodeNext, ESM",
    packageType: "module",
    imports: "import",
    compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext" }
  },
  {
    name: "NodeNext, CommonJS",
    packageType: "commonjs",
    imports: "import",
    compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext" }
  },
  {
    name: "Bundler, ESM",
    packageType: "module",
    imports: "import",
    compilerOptions: { module: "Preserve", moduleResolution: "Bundler" }
  }
]

let work = ""

const makeProject = (setup: Setup, compiler: string) => {
  const project = path.join(work, `${compiler}-${setup.name.replace(/[^A-Za-z]+/g, "-")}`)
  const pkgDir = path.join(project, "node_modules", "effect-wechatpay")
  fs.mkdirSync(pkgDir, { recursive: true })
  fs.copyFileSync(path.join(root, "package.json"), path.join(pkgDir, "package.json"))
  fs.cpSync(path.join(root, "dist"), path.join(pkgDir, "dist"), { recursive: true })
  const links: Record<string, string> = {
    effect: path.join(workspace, "node_modules/effect"),
    "@types/node": path.join(workspace, "node_modules/@types/node"),
    undici: path.join(root, "node_modules/undici")
  }
  for (const [name, target] of Object.entries(links)) {
    fs.mkdirSync(path.dirname(path.join(project, "node_modules", name)), { recursive: true })
    fs.symlinkSync(target, path.join(project, "node_modules", name), "dir")
  }
  fs.writeFileSync(
    path.join(project, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: setup.packageType })
  )
  fs.writeFileSync(
    path.join(project, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        lib: ["ES2022", "DOM"],
        strict: true,
        declaration: true,
        emitDeclarationOnly: true,
        skipLibCheck: false,
        outDir: "out",
        rootDir: ".",
        types: ["node"],
        ...setup.compilerOptions
      },
      include: ["index.ts", "four.ts", "orders.ts"]
    })
  )
  fs.writeFileSync(path.join(project, "index.ts"), program(setup.imports))
  fs.writeFileSync(path.join(project, "four.ts"), fourAnswers(setup.imports))
  fs.writeFileSync(path.join(project, "orders.ts"), orderAnswers(setup.imports))
  return project
}

const compile = async (tsc: string, project: string) => {
  try {
    await run(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: project, timeout: 170_000 })
    return ""
  } catch (e) {
    const error = e as { stdout?: string; stderr?: string; message: string }
    return `${error.stdout ?? ""}${error.stderr ?? ""}` || error.message
  }
}

describe("a consumer on the Effect 4 line, declaration: true, no annotations", () => {
  beforeAll(() => {
    if (!fs.existsSync(path.join(root, "dist/effect4/index.js"))) {
      throw new Error("dist/effect4 is missing: run npm run build first (npm test does)")
    }
    work = fs.mkdtempSync(path.join(os.tmpdir(), "effect-wechatpay-effect4-consumer-"))
  })
  afterAll(() => {
    if (work !== "") fs.rmSync(work, { recursive: true, force: true })
  })

  for (const [version, tsc] of Object.entries(COMPILERS)) {
    for (const setup of SETUPS) {
      it(
        `TypeScript ${version}, ${setup.name}: compiles, every type named through the package`,
        { timeout: 180_000 },
        async () => {
          const project = makeProject(setup, version)
          const errors = await compile(tsc, project)
          expect(errors, `tsc ${version} in ${project}`).toBe("")
          const emitted = fs.readFileSync(path.join(project, "out", "index.d.ts"), "utf8")
          expect(emitted).not.toMatch(/dist\//)
          expect(emitted).not.toMatch(/node_modules/)
          const queryLine = /export declare const query:[\s\S]*?;\n(?=export )/.exec(emitted)?.[0] ?? emitted
          expect(queryLine, queryLine).toMatch(/WechatPayError\.ClientError|QueryByAuthorizationCodeError/)
          expect(emitted).toMatch(/type Service = .*PayScorePermissions\.PayScorePermissions\.Service/)
          const four = fs.readFileSync(path.join(project, "out", "four.d.ts"), "utf8")
          expect(four).not.toMatch(/dist\/|node_modules/)
          for (const [field, record] of Object.entries(FOUR_RECORDS)) {
            expect(four, four).toMatch(new RegExp(`${field}: [^;{]*\\.${record};`))
          }
          expect(four).not.toContain("readonly authorization_state: string")
          const availableLine = /export declare const available: [^;]*;/.exec(emitted)?.[0] ?? emitted
          expect(availableLine).toMatch(/AuthorizationRecord\.Available;$/)
          expect(emitted).toMatch(/type OrdersService = .*PayScoreServiceOrders\.PayScoreServiceOrders\.Service/)
          const sandboxLine = /export declare const sandbox: [^;]*;/.exec(emitted)?.[0] ?? emitted
          expect(sandboxLine, sandboxLine).toMatch(/Sandbox\.Sandbox/)
          expect(sandboxLine, sandboxLine).toMatch(/WechatPay\.Services/)
          const paidLine = /export declare const paid: [^;]*;/.exec(emitted)?.[0] ?? emitted
          // the order, named (through the barrel's namespace or the public module effect4/schemas/ServiceOrder)
          expect(paidLine, paidLine).toMatch(/ServiceOrder"?\)?\.ServiceOrder \| undefined/)
          const ordersOut = fs.readFileSync(path.join(project, "out", "orders.d.ts"), "utf8")
          expect(ordersOut).not.toMatch(/dist\/|node_modules/)
          for (const [field, name] of Object.entries(ORDER_ANSWERS)) {
            expect(ordersOut, ordersOut).toMatch(new RegExp(`${field}: [^;{]*\\.${name};`))
          }
          expect(ordersOut, ordersOut).toMatch(/completed: void;/)
          expect(ordersOut).not.toContain("readonly out_order_no: string")
        }
      )
    }
  }
})
