/**
 * A consumer project compiled with `declaration: true`, as a new user's app would be: exported
 * values typed by inference only (no annotations), on TypeScript 5.9 (`typescript`) and 7.x
 * (`typescript-7`, both devDependencies from the npm registry), under `NodeNext` and `Bundler`
 * resolution, as ESM and as CommonJS. Every type the library's signatures mention must be named
 * through the package's own entry points (`effect-wechatpay`, `/testing`, `/undici`): never a
 * path into `dist/` (TS2742 on 5.x, TS2883 on 7.x), and the service and error types print by name.
 *
 * The package is copied as `npm pack` ships it (package.json + dist/) into a temp project whose
 * `node_modules` links this repository's `effect`, `@effect/platform`, `undici` and `@types/node`.
 */
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

const root = fileURLToPath(new URL("../..", import.meta.url))
const run = promisify(execFile)

const COMPILERS = {
  "5.9": path.join(root, "node_modules/typescript/bin/tsc"),
  "7.x": path.join(root, "node_modules/typescript-7/bin/tsc")
} as const

/** The consumer's program: one export per public feature, none annotated. */
const program = (imports: "import" | "require") => {
  const lines = imports === "import"
    ? [
      `import { Effect, Layer, Redacted, Schema } from "effect"`,
      `import { FetchHttpClient } from "@effect/platform"`,
      `import { PayScorePermissions, PayScoreNotifications, WechatPay, WechatPayClient, WechatPayError, AuthorizationRecord, KeyStore, Signer, type Notification } from "effect-wechatpay"`,
      `type NotificationUnion = Notification.Notification`,
      `import { Sandbox, SampleRecords, FakeWechatPay, Fixtures } from "effect-wechatpay/testing"`,
      `import { UndiciHttpClient } from "effect-wechatpay/undici"`
    ]
    : [
      `import { Effect, Layer, Redacted, Schema } from "effect"`,
      `import { FetchHttpClient } from "@effect/platform"`,
      `import lib = require("effect-wechatpay")`,
      `import testing = require("effect-wechatpay/testing")`,
      `import undici = require("effect-wechatpay/undici")`,
      `const { PayScorePermissions, PayScoreNotifications, WechatPay, WechatPayClient, WechatPayError, AuthorizationRecord, KeyStore, Signer } = lib`,
      `const { Sandbox, SampleRecords, FakeWechatPay, Fixtures } = testing`,
      `const { UndiciHttpClient } = undici`,
      `type NotificationUnion = lib.Notification.Notification`
    ]
  return `${lines.join("\n")}

export const query = Effect.flatMap(PayScorePermissions.PayScorePermissions, (p) =>
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
export const overUndici = Effect.map(Sandbox.Sandbox, (s) => WechatPay.layer(Sandbox.wechatPayOptions(s)).pipe(Layer.provide(UndiciHttpClient.layer)))
export const sandbox = Sandbox.layer().pipe(Layer.provide(FetchHttpClient.layer))
export const seeded = Effect.flatMap(Sandbox.Sandbox, (s) => SampleRecords.seed(s))
export const seed = Sandbox.Seed.Partner({ authorization_code: "1", service_id: "500001", sub_mchid: "1900000109", record: { authorization_state: "AVAILABLE" } })
export const fault = Sandbox.Fault.TamperedBody({})
export const fake = FakeWechatPay.layer(() => ({ status: 404, body: { code: "NOT_FOUND", message: "no" } }))
export const notifications = PayScoreNotifications.httpApp((n: NotificationUnion) => Effect.log(n._tag))
export const parse = Effect.flatMap(PayScoreNotifications.PayScoreNotifications, (n) => n.parse({ headers: {}, body: "" }))
export const raw = Effect.flatMap(WechatPayClient.WechatPayClient, (c) => c.request({ method: "GET", path: "/v3/x", schema: Schema.Struct({ a: Schema.String }) }))
export const keys = Effect.flatMap(KeyStore.KeyStore, (k) => k.certificates)
export const signer = Signer.Signer
export const service = PayScorePermissions.PayScorePermissions
export const mock = Layer.mock(PayScorePermissions.PayScorePermissions, { queryByOpenid: () => Effect.fail(new WechatPayError.NotFound({ status: 404, code: "NOT_FOUND", message: "no" })) })
export type Service = ${imports === "import" ? "" : "lib."}PayScorePermissions.PayScorePermissions.Service
`
}

/** A program that imports only what it uses: the types it infers come from modules it never imported. */
const minimal = (imports: "import" | "require") =>
  `${
    imports === "import"
      ? `import { Effect } from "effect"
import { PayScorePermissions } from "effect-wechatpay"
import { Sandbox, SampleRecords } from "effect-wechatpay/testing"`
      : `import { Effect } from "effect"
import lib = require("effect-wechatpay")
import testing = require("effect-wechatpay/testing")
const { PayScorePermissions } = lib
const { Sandbox, SampleRecords } = testing`
  }
export const program = Effect.gen(function*() {
  const sandbox = yield* Sandbox.Sandbox
  yield* SampleRecords.seed(sandbox)
  const permissions = yield* PayScorePermissions.PayScorePermissions
  return yield* permissions.queryByAuthorizationCode({ authorization_code: "1275342195190894594", service_id: "500001" })
})
export const terminate = Effect.flatMap(PayScorePermissions.PayScorePermissions, (p) =>
  p.terminateByAuthorizationCode({ authorization_code: "1", service_id: "500001", reason: "r" }))
export const layer = Sandbox.layer()
`

/**
 * One program returning the four answers of the queries by code and by openid: its emitted
 * declaration names the four records (`AuthorizationRecord`, …), never their expanded variants.
 */
const fourAnswers = (imports: "import" | "require") =>
  `${
    imports === "import"
      ? `import { Effect } from "effect"
import { PayScorePermissions } from "effect-wechatpay"`
      : `import { Effect } from "effect"
import lib = require("effect-wechatpay")
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

/**
 * The most lines the emitted declaration of `fourAnswers` may have: it is 8 (the imports, the
 * four named records, the error and the requirement); with the records expanded it was 240.
 */
const FOUR_ANSWERS_MAX_LINES = 12

/** The record each of the four answers is. */
const FOUR_RECORDS = {
  merchant: "AuthorizationRecord",
  partner: "PartnerAuthorizationRecord",
  bank: "AcquiringBankAuthorizationRecord",
  byOpenid: "OpenidAuthorizationRecord"
}

interface Setup {
  readonly name: string
  readonly packageType: "module" | "commonjs"
  readonly file: string
  readonly imports: "import" | "require"
  readonly compilerOptions: Record<string, unknown>
}

const SETUPS: ReadonlyArray<Setup> = [
  {
    name: "NodeNext, ESM",
    packageType: "module",
    file: "index.ts",
    imports: "import",
    compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext" }
  },
  {
    name: "NodeNext, CommonJS",
    packageType: "commonjs",
    file: "index.ts",
    imports: "import",
    compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext" }
  },
  {
    name: "Node16, CommonJS",
    packageType: "commonjs",
    file: "index.ts",
    imports: "import",
    compilerOptions: { module: "Node16", moduleResolution: "Node16" }
  },
  {
    name: "Bundler, ESM (import)",
    packageType: "module",
    file: "index.ts",
    imports: "import",
    compilerOptions: { module: "Preserve", moduleResolution: "Bundler" }
  },
  {
    name: "Bundler, CommonJS (import = require)",
    packageType: "commonjs",
    file: "index.ts",
    imports: "require",
    compilerOptions: { module: "Preserve", moduleResolution: "Bundler" }
  }
]

let work = ""

const link = (project: string, name: string) => {
  const target = path.join(project, "node_modules", name)
  fs.mkdirSync(path.dirname(target), { recursive: true })
  fs.symlinkSync(path.join(root, "node_modules", name), target, "dir")
}

const makeProject = (setup: Setup, compiler: string) => {
  const project = path.join(work, `${compiler}-${setup.name.replace(/[^A-Za-z]+/g, "-")}`)
  fs.mkdirSync(project, { recursive: true })
  // the package as npm pack ships it
  const pkgDir = path.join(project, "node_modules", "effect-wechatpay")
  fs.mkdirSync(pkgDir, { recursive: true })
  fs.copyFileSync(path.join(root, "package.json"), path.join(pkgDir, "package.json"))
  fs.cpSync(path.join(root, "dist"), path.join(pkgDir, "dist"), { recursive: true })
  for (const dep of ["effect", "@effect/platform", "undici", "@types/node"]) link(project, dep)
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
        outDir: "out",
        rootDir: ".",
        types: ["node"],
        ...setup.compilerOptions
      },
      include: [setup.file, "minimal.ts", "four.ts"]
    })
  )
  fs.writeFileSync(path.join(project, setup.file), program(setup.imports))
  fs.writeFileSync(path.join(project, "minimal.ts"), minimal(setup.imports))
  fs.writeFileSync(path.join(project, "four.ts"), fourAnswers(setup.imports))
  return project
}

const compile = async (tsc: string, project: string) => {
  try {
    await run(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: project, timeout: 120_000 })
    return ""
  } catch (e) {
    const error = e as { stdout?: string; stderr?: string; message: string }
    return `${error.stdout ?? ""}${error.stderr ?? ""}` || error.message
  }
}

describe("a consumer project with declaration: true, no annotations", () => {
  beforeAll(() => {
    if (!fs.existsSync(path.join(root, "dist/index.js"))) {
      throw new Error("dist/ is missing: run npm run build first (npm test does)")
    }
    work = fs.mkdtempSync(path.join(os.tmpdir(), "effect-wechatpay-consumer-"))
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
          const emitted = fs.readFileSync(path.join(project, "out", setup.file.replace(/\.ts$/, ".d.ts")), "utf8")
          // only the package's entry points are referenced, never a file inside dist/
          expect(emitted).not.toMatch(/dist\//)
          expect(emitted).not.toMatch(/node_modules/)
          const emittedMinimal = fs.readFileSync(path.join(project, "out", "minimal.d.ts"), "utf8")
          expect(emittedMinimal).not.toMatch(/dist\/|node_modules/)
          // the error channel prints by its name, not as the expanded union of a dozen classes
          const queryLine = /export declare const query:[\s\S]*?;\n(?=export )/.exec(emitted)?.[0] ?? emitted
          expect(queryLine, queryLine).toMatch(/WechatPayError\.ClientError|QueryByAuthorizationCodeError/)
          // the service type is nameable as documented
          expect(emitted).toMatch(/type Service = .*PayScorePermissions\.PayScorePermissions\.Service/)
          // records have names: the four answers print as the four records, not their fields
          const four = fs.readFileSync(path.join(project, "out", "four.d.ts"), "utf8")
          expect(four).not.toMatch(/dist\/|node_modules/)
          for (const [field, record] of Object.entries(FOUR_RECORDS)) {
            expect(four, four).toMatch(new RegExp(`${field}: [^;{]*\\.${record};`))
          }
          expect(four).not.toContain("readonly authorization_state: string")
          expect(four).not.toContain("_tag")
          expect(four.trimEnd().split("\n").length, four).toBeLessThanOrEqual(FOUR_ANSWERS_MAX_LINES)
          // a variant made in the program prints as the variant's name
          const availableLine = /export declare const available: [^;]*;/.exec(emitted)?.[0] ?? emitted
          expect(availableLine).toMatch(/AuthorizationRecord\.Available;$/)
        }
      )
    }
  }
})
