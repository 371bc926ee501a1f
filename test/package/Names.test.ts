/**
 * Records have names: what an editor's hover prints for the methods' answers and parameters, for
 * each variant of each tagged union, and for a notification, is the library's name
 * (`AuthorizationRecord`, `AuthorizationRecord.Available`, `UserOpenService`, …), never the
 * expanded fields. Read with the checker's `typeToString` (the printer behind a hover) on
 * TypeScript 5.9 (`typescript`) and 7.x (`typescript-7`, through its API), in a consumer project
 * that sees the package as `npm pack` ships it (package.json + dist/).
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import ts from "typescript"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

const root = fileURLToPath(new URL("../..", import.meta.url))

/** One export per thing a user hovers, and what the hover prints (in a file importing every module). */
const EXPECTED: ReadonlyArray<readonly [name: string, printed: string]> = [
  // the answers of the methods
  ["queryByAuthorizationCode", "AuthorizationRecord.AuthorizationRecord"],
  ["queryPartnerByAuthorizationCode", "AuthorizationRecord.PartnerAuthorizationRecord"],
  ["queryAcquiringBankByAuthorizationCode", "AuthorizationRecord.AcquiringBankAuthorizationRecord"],
  ["queryByOpenid", "AuthorizationRecord.OpenidAuthorizationRecord"],
  ["queryPartnerByOpenid", "AuthorizationRecord.PartnerSearchAuthorizationRecord"],
  ["applyPermissions", "PermissionRequests.ApplyPermissionsResult"],
  ["applyPartnerPermissionsForScene", "SceneRequests.ApplyForSceneResult"],
  ["assessUserRiskLevel", "UserRiskLevel.UserRiskLevelRecord"],
  ["parse", "Notification.Notification"],
  // their parameters
  ["queryByAuthorizationCodeParams", "AuthorizationRecord.QueryByAuthorizationCodeParams"],
  ["queryPartnerByAuthorizationCodeParams", "AuthorizationRecord.QueryPartnerByAuthorizationCodeParams"],
  ["queryAcquiringBankByAuthorizationCodeParams", "AuthorizationRecord.QueryAcquiringBankByAuthorizationCodeParams"],
  ["queryByOpenidParams", "AuthorizationRecord.QueryByOpenidParams"],
  ["queryPartnerByOpenidParams", "PermissionRequests.QueryPartnerByOpenidParams"],
  ["applyPermissionsParams", "PermissionRequests.ApplyPermissionsParams"],
  ["applyPartnerPermissionsParams", "PermissionRequests.ApplyPartnerPermissionsParams"],
  ["applyAcquiringBankPermissionsParams", "PermissionRequests.ApplyAcquiringBankPermissionsParams"],
  ["applyPartnerPermissionsForSceneParams", "SceneRequests.ApplyPartnerPermissionsForSceneParams"],
  ["assessUserRiskLevelParams", "UserRiskLevel.AssessUserRiskLevelParams"],
  ["terminateByAuthorizationCodeParams", "PermissionRequests.TerminateByAuthorizationCodeParams"],
  ["terminatePartnerByAuthorizationCodeParams", "PermissionRequests.TerminatePartnerByAuthorizationCodeParams"],
  [
    "terminateAcquiringBankByAuthorizationCodeParams",
    "PermissionRequests.TerminateAcquiringBankByAuthorizationCodeParams"
  ],
  ["terminateByOpenidParams", "PermissionRequests.TerminateByOpenidParams"],
  ["terminatePartnerByOpenidParams", "PermissionRequests.TerminatePartnerByOpenidParams"],
  // a record narrowed on its _tag, and each union's variants
  ["narrowed", "AuthorizationRecord.AuthorizationRecord.Available | undefined"],
  ["available", "AuthorizationRecord.AuthorizationRecord.Available"],
  ["unavailable", "AuthorizationRecord.AuthorizationRecord.Unavailable"],
  ["unbindUser", "AuthorizationRecord.AuthorizationRecord.UnbindUser"],
  ["unknownState", "AuthorizationRecord.AuthorizationRecord.UnknownState"],
  ["partnerAvailable", "AuthorizationRecord.PartnerAuthorizationRecord.Available"],
  ["acquiringBankUnbindUser", "AuthorizationRecord.AcquiringBankAuthorizationRecord.UnbindUser"],
  ["openidUnavailable", "AuthorizationRecord.OpenidAuthorizationRecord.Unavailable"],
  ["partnerSearchAvailable", "AuthorizationRecord.PartnerSearchAuthorizationRecord.Available"],
  ["riskLevelAvailable", "UserRiskLevel.UserRiskLevelRecord.Available"],
  ["transaction", "SceneRequests.ApplyForSceneResult.Transaction"],
  ["unknownScene", "SceneRequests.ApplyForSceneResult.UnknownScene"],
  ["userOpenService", "Notification.UserOpenService"],
  ["userCloseService", "Notification.UserCloseService"],
  ["unknownEvent", "Notification.UnknownEvent"],
  ["undecodableEvent", "Notification.UndecodableEvent"],
  ["resource", "Notification.ServiceResource"],
  // what the variants' schemas make, and the wire forms
  ["made", "AuthorizationRecord.AuthorizationRecord.Available"],
  ["madeRiskLevel", "UserRiskLevel.UserRiskLevelRecord.UnbindUser"],
  ["madeScene", "SceneRequests.ApplyForSceneResult.Transaction"],
  ["encoded", "AuthorizationRecord.AuthorizationRecord.Encoded"],
  ["notificationEncoded", "Notification.Notification.Encoded"],
  // service orders
  ["createServiceOrder", "ServiceOrder.CreatedServiceOrder"],
  ["queryServiceOrder", "ServiceOrder.ServiceOrder"],
  ["cancelServiceOrder", "ServiceOrder.CancelServiceOrderResult"],
  ["queryAcquiringBankServiceOrderDeduction", "ServiceOrder.AcquiringBankDeduction"],
  ["assessPartnerUserRiskLevel", "UserRiskLevel.UserRiskLevelRecord"],
  ["createServiceOrderParams", "ServiceOrderRequests.CreateServiceOrderParams"],
  ["completePartnerServiceOrderParams", "ServiceOrderRequests.CompletePartnerServiceOrderParams"],
  ["assessPartnerUserRiskLevelParams", "UserRiskLevel.AssessPartnerUserRiskLevelParams"],
  ["orderDoing", "ServiceOrder.ServiceOrder.Doing"],
  ["collection", "ServiceOrder.Collection | undefined"],
  ["userConfirm", "Notification.UserConfirm"],
  ["userPaid", "Notification.UserPaid"],
  ["paidOrder", "ServiceOrder.ServiceOrder"]
]

const PROBE = `import type { Effect } from "effect"
import { Schema } from "effect"
import {
  AuthorizationRecord,
  Notification,
  type PayScoreNotifications,
  type PayScorePermissions,
  type PayScoreServiceOrders,
  type PermissionRequests,
  SceneRequests,
  type ServiceOrder,
  type ServiceOrderRequests,
  UserRiskLevel
} from "effect-wechatpay"

declare const p: PayScorePermissions.PayScorePermissions.Service
declare const n: PayScoreNotifications.PayScoreNotifications.Service
declare const o: PayScoreServiceOrders.PayScoreServiceOrders.Service
declare function success<P, A, E>(method: (params: P) => Effect.Effect<A, E>): A
declare function params<P, A, E>(method: (params: P) => Effect.Effect<A, E>): P
declare function variant<U extends { readonly _tag: string }, T extends U["_tag"]>(union: U, tag: T): Extract<U, { readonly _tag: T }>

export const queryByAuthorizationCode = success(p.queryByAuthorizationCode)
export const queryPartnerByAuthorizationCode = success(p.queryPartnerByAuthorizationCode)
export const queryAcquiringBankByAuthorizationCode = success(p.queryAcquiringBankByAuthorizationCode)
export const queryByOpenid = success(p.queryByOpenid)
export const queryPartnerByOpenid = success(p.queryPartnerByOpenid)
export const applyPermissions = success(p.applyPermissions)
export const applyPartnerPermissionsForScene = success(p.applyPartnerPermissionsForScene)
export const assessUserRiskLevel = success(p.assessUserRiskLevel)
export const parse = success(n.parse)

export const queryByAuthorizationCodeParams = params(p.queryByAuthorizationCode)
export const queryPartnerByAuthorizationCodeParams = params(p.queryPartnerByAuthorizationCode)
export const queryAcquiringBankByAuthorizationCodeParams = params(p.queryAcquiringBankByAuthorizationCode)
export const queryByOpenidParams = params(p.queryByOpenid)
export const queryPartnerByOpenidParams = params(p.queryPartnerByOpenid)
export const applyPermissionsParams = params(p.applyPermissions)
export const applyPartnerPermissionsParams = params(p.applyPartnerPermissions)
export const applyAcquiringBankPermissionsParams = params(p.applyAcquiringBankPermissions)
export const applyPartnerPermissionsForSceneParams = params(p.applyPartnerPermissionsForScene)
export const assessUserRiskLevelParams = params(p.assessUserRiskLevel)
export const terminateByAuthorizationCodeParams = params(p.terminateByAuthorizationCode)
export const terminatePartnerByAuthorizationCodeParams = params(p.terminatePartnerByAuthorizationCode)
export const terminateAcquiringBankByAuthorizationCodeParams = params(p.terminateAcquiringBankByAuthorizationCode)
export const terminateByOpenidParams = params(p.terminateByOpenid)
export const terminatePartnerByOpenidParams = params(p.terminatePartnerByOpenid)

declare const record: AuthorizationRecord.AuthorizationRecord
export const available = variant(record, "Available")
export const narrowed = record._tag === "Available" ? record : undefined
export const unavailable = variant(record, "Unavailable")
export const unbindUser = variant(record, "UnbindUser")
export const unknownState = variant(record, "UnknownState")
export const partnerAvailable = variant(queryPartnerByAuthorizationCode, "Available")
export const acquiringBankUnbindUser = variant(queryAcquiringBankByAuthorizationCode, "UnbindUser")
export const openidUnavailable = variant(queryByOpenid, "Unavailable")
export const partnerSearchAvailable = variant(queryPartnerByOpenid, "Available")
export const riskLevelAvailable = variant(assessUserRiskLevel, "Available")
export const transaction = variant(applyPartnerPermissionsForScene, "Transaction")
export const unknownScene = variant(applyPartnerPermissionsForScene, "UnknownScene")
export const userOpenService = variant(parse, "UserOpenService")
export const userCloseService = variant(parse, "UserCloseService")
export const unknownEvent = variant(parse, "UnknownEvent")
export const undecodableEvent = variant(parse, "UndecodableEvent")
export const resource = userOpenService.resource

export const made = AuthorizationRecord.AuthorizationRecordVariants.Available.make({
  service_id: "500001", authorization_code: "1", appid: "wx1", mchid: "1900000001", authorization_state: "AVAILABLE"
})
export const madeRiskLevel = UserRiskLevel.UserRiskLevelRecordVariants.UnbindUser.make({
  service_id: "500001", appid: "wx1", mchid: "1900000001", authorization_state: "UNBINDUSER"
})
export const madeScene = SceneRequests.Transaction.make({ scene: "TRANSACTION" })
export const encoded = Schema.encodeSync(AuthorizationRecord.AuthorizationRecord)(made)
export const notificationEncoded = Schema.encodeSync(Notification.Notification)(userOpenService)

export const createServiceOrder = success(o.createServiceOrder)
export const queryServiceOrder = success(o.queryServiceOrder)
export const cancelServiceOrder = success(o.cancelServiceOrder)
export const queryAcquiringBankServiceOrderDeduction = success(o.queryAcquiringBankServiceOrderDeduction)
export const assessPartnerUserRiskLevel = success(p.assessPartnerUserRiskLevel)
export const createServiceOrderParams = params(o.createServiceOrder)
export const completePartnerServiceOrderParams = params(o.completePartnerServiceOrder)
export const assessPartnerUserRiskLevelParams = params(p.assessPartnerUserRiskLevel)
export const orderDoing = variant(queryServiceOrder, "Doing")
export const collection = orderDoing.collection
export const userConfirm = variant(parse, "UserConfirm")
export const userPaid = variant(parse, "UserPaid")
export const paidOrder = userPaid.resource
`

let project = ""

const link = (name: string) => {
  const target = path.join(project, "node_modules", name)
  fs.mkdirSync(path.dirname(target), { recursive: true })
  fs.symlinkSync(path.join(root, "node_modules", name), target, "dir")
}

const COMPILER_OPTIONS = {
  target: "ES2022",
  lib: ["ES2022", "DOM"],
  strict: true,
  exactOptionalPropertyTypes: true,
  noEmit: true,
  types: ["node"],
  module: "NodeNext",
  moduleResolution: "NodeNext"
}

/** Each export's hover on TypeScript 5.9: the language service's quick info, as an editor shows it. */
const hoversWith59 = (file: string): Map<string, string> => {
  const parsed = ts.parseJsonConfigFileContent({ compilerOptions: COMPILER_OPTIONS, files: [file] }, ts.sys, project)
  const service = ts.createLanguageService({
    getScriptFileNames: () => parsed.fileNames,
    getScriptVersion: () => "1",
    getScriptSnapshot: (name) =>
      fs.existsSync(name) ? ts.ScriptSnapshot.fromString(fs.readFileSync(name, "utf8")) : undefined,
    getCurrentDirectory: () => project,
    getCompilationSettings: () => parsed.options,
    getDefaultLibFileName: ts.getDefaultLibFilePath,
    fileExists: ts.sys.fileExists,
    readFile: ts.sys.readFile,
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
    realpath: (name) => ts.sys.realpath?.(name) ?? name
  })
  try {
    const diagnostics = [...service.getSyntacticDiagnostics(file), ...service.getSemanticDiagnostics(file)]
    expect(ts.formatDiagnostics(diagnostics, ts.createCompilerHost(parsed.options))).toBe("")
    const text = fs.readFileSync(file, "utf8")
    const hovers = new Map<string, string>()
    for (const [name] of EXPECTED) {
      const info = service.getQuickInfoAtPosition(file, text.indexOf(`export const ${name} =`) + "export const ".length)
      const shown = info === undefined ? "(no quick info)" : ts.displayPartsToString(info.displayParts)
      hovers.set(name, shown.replace(`const ${name}: `, ""))
    }
    return hovers
  } finally {
    service.dispose()
  }
}

/**
 * Each export's type as TypeScript 7.x prints it in the probe file (its checker's `typeToString`,
 * through the API that runs the native compiler; the file as the enclosing declaration, as a hover).
 */
const printWith7 = async (file: string): Promise<Map<string, string>> => {
  const { API } = await import(path.join(root, "node_modules/typescript-7/dist/api/sync/api.js")) as {
    readonly API: new(options: { readonly cwd: string }) => {
      updateSnapshot(params: { readonly openProjects: ReadonlyArray<string> }): {
        getProjects(): ReadonlyArray<{
          readonly checker: {
            getSymbolAtPosition(file: string, position: number): object | undefined
            getTypeOfSymbol(symbol: object): object | undefined
            typeToString(type: object, enclosingDeclaration?: object, flags?: number): string
          }
          readonly program: { getSourceFile(file: string): object | undefined }
        }>
      }
      close(): void
    }
  }
  const api = new API({ cwd: project })
  try {
    const [checked] = api.updateSnapshot({ openProjects: [path.join(project, "tsconfig.json")] }).getProjects()
    const text = fs.readFileSync(file, "utf8")
    const source = checked!.program.getSourceFile(file)
    const printed = new Map<string, string>()
    for (const [name] of EXPECTED) {
      const position = text.indexOf(`export const ${name} =`) + "export const ".length
      const symbol = checked!.checker.getSymbolAtPosition(file, position)
      const type = symbol === undefined ? undefined : checked!.checker.getTypeOfSymbol(symbol)
      printed.set(
        name,
        type === undefined ? "(no type)" : checked!.checker.typeToString(type, source, ts.TypeFormatFlags.NoTruncation)
      )
    }
    return printed
  } finally {
    api.close()
  }
}

describe("hovers print the records' names", () => {
  beforeAll(() => {
    if (!fs.existsSync(path.join(root, "dist/index.js"))) {
      throw new Error("dist/ is missing: run npm run build first (npm test does)")
    }
    project = fs.mkdtempSync(path.join(os.tmpdir(), "effect-wechatpay-names-"))
    const pkg = path.join(project, "node_modules", "effect-wechatpay")
    fs.mkdirSync(pkg, { recursive: true })
    fs.copyFileSync(path.join(root, "package.json"), path.join(pkg, "package.json"))
    fs.cpSync(path.join(root, "dist"), path.join(pkg, "dist"), { recursive: true })
    for (const dep of ["effect", "@effect/platform", "undici", "@types/node"]) link(dep)
    fs.writeFileSync(
      path.join(project, "package.json"),
      JSON.stringify({ name: "probe", private: true, type: "module" })
    )
    fs.writeFileSync(
      path.join(project, "tsconfig.json"),
      JSON.stringify({ compilerOptions: COMPILER_OPTIONS, include: ["probe.ts"] })
    )
    fs.writeFileSync(path.join(project, "probe.ts"), PROBE)
  })
  afterAll(() => {
    if (project !== "") fs.rmSync(project, { recursive: true, force: true })
  })

  it("TypeScript 5.9: every answer, parameter and variant hovers as its name", { timeout: 120_000 }, () => {
    const printed = hoversWith59(path.join(project, "probe.ts"))
    expect(Object.fromEntries(EXPECTED.map(([name]) => [name, printed.get(name)]))).toEqual(
      Object.fromEntries(EXPECTED)
    )
  })

  it("TypeScript 7.x: every answer, parameter and variant prints its name", { timeout: 120_000 }, async () => {
    const printed = await printWith7(path.join(project, "probe.ts"))
    expect(Object.fromEntries(EXPECTED.map(([name]) => [name, printed.get(name)]))).toEqual(
      Object.fromEntries(EXPECTED)
    )
  })
})
