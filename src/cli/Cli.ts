/**
 * The `effect-wechatpay` command-line tool:
 *
 * - `effect-wechatpay permissions query (--authorization-code CODE | --openid OPENID) --service-id ID
 *   [--appid APPID] [--mode merchant|partner|acquiring-bank] [--sub-mchid ID] [--channel-id ID] [--sandbox]`
 * - `effect-wechatpay sandbox [--port N]`
 *
 * Configuration comes from the environment (`WechatPay.layerConfig()`); `--sandbox` runs against an
 * in-process sandbox instead. The record is printed as JSON on stdout; a failure as JSON on stderr
 * with an exit code per kind (see `exitCodes`).
 *
 * @since 0.1.0
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as HashMap from "effect/HashMap"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import type * as Endpoint from "../core/endpoint.js"
import * as Permissions from "../core/endpoints/permissions.js"
import * as ServiceOrders from "../core/endpoints/serviceOrders.js"
import type * as Fields from "../core/fields.js"
import { VERSION } from "../core/version.js"
import type { WechatPayError } from "../errors/WechatPayError.js"
import { InvalidInput } from "../errors/WechatPayError.js"
import {
  AcquiringBankAuthorizationRecord,
  AuthorizationRecord,
  OpenidAuthorizationRecord,
  PartnerAuthorizationRecord
} from "../schemas/AuthorizationRecord.js"
import { PayScorePermissions } from "../services/PayScorePermissions.js"
import { PayScoreServiceOrders } from "../services/PayScoreServiceOrders.js"
import * as SampleRecords from "../testing/SampleRecords.js"
import * as Sandbox from "../testing/Sandbox.js"
import * as WechatPay from "../WechatPay.js"
import { STARTUP_EXIT_CODE } from "./startup.js"

/**
 * The exit code of each kind of failure.
 *
 * @since 0.1.0
 * @category constants
 */
export const exitCodes = {
  ok: 0,
  /** `InvalidInput`, `InvalidConfig`, or a command line that does not parse */
  input: 2,
  /** WeChat Pay answered with an error: `ParamError` … `ApiError` */
  api: 3,
  /** `VerificationError`: the answer was not signed by WeChat Pay */
  verification: 4,
  /** `TransportError`: network failure or timeout */
  transport: 5,
  /** `DecodeError`: a verified answer that is not the documented shape */
  decode: 6,
  /** the CLI cannot start here: too old a Node, a damaged install (one line on stderr says which) */
  startup: STARTUP_EXIT_CODE,
  /** anything unexpected (a bug: please report it) */
  unexpected: 1
} as const

/**
 * @since 0.1.0
 * @category errors
 */
export const exitCodeOf = (error: WechatPayError): number => {
  switch (error._tag) {
    case "InvalidInput":
    case "InvalidConfig":
      return exitCodes.input
    case "VerificationError":
      return exitCodes.verification
    case "TransportError":
      return exitCodes.transport
    case "DecodeError":
      return exitCodes.decode
    default:
      return exitCodes.api
  }
}

/**
 * A failure as the JSON printed on stderr: the error's fields, its `_tag` and its `message`.
 *
 * @since 0.1.0
 * @category errors
 */
export const errorJson = (error: WechatPayError): string =>
  JSON.stringify({ ...JSON.parse(JSON.stringify(error)), _tag: error._tag, message: error.message })

/**
 * Ends the process with a code (set by `main`, so the CLI stays testable).
 *
 * @since 0.1.0
 * @category models
 */
export class ExitCode {
  readonly _tag = "ExitCode"
  constructor(readonly code: number) {}
}

const mode = Options.choice("mode", ["merchant", "partner", "acquiring-bank"]).pipe(
  Options.withDefault("merchant" as const),
  Options.withDescription(
    "who asks: a merchant, a partner (服务商) for a sub-merchant, or an acquiring bank (从业机构)"
  )
)
const authorizationCode = Options.text("authorization-code").pipe(
  Options.optional,
  Options.withDescription("query by authorization_code (授权协议号); give this or --openid")
)
const openid = Options.text("openid").pipe(
  Options.optional,
  Options.withDescription("query by openid (merchant mode only); needs --appid")
)
const serviceId = Options.text("service-id").pipe(Options.withDescription("the Pay Score service_id"))
const appid = Options.text("appid").pipe(Options.optional, Options.withDescription("the appid (with --openid)"))
const subMchid = Options.text("sub-mchid").pipe(
  Options.optional,
  Options.withDescription("the sub-merchant id (partner and acquiring-bank modes)")
)
const channelId = Options.text("channel-id").pipe(
  Options.optional,
  Options.withDescription("the channel id (acquiring-bank mode)")
)
const sandbox = Options.boolean("sandbox").pipe(
  Options.withDescription("run against an in-process WeChat Pay sandbox seeded with sample records (no configuration)")
)

interface QueryInput {
  readonly mode: "merchant" | "partner" | "acquiring-bank"
  readonly authorizationCode: Option.Option<string>
  readonly openid: Option.Option<string>
  readonly serviceId: string
  readonly appid: Option.Option<string>
  readonly subMchid: Option.Option<string>
  readonly channelId: Option.Option<string>
}

const required = (value: Option.Option<string>, flag: string, why: string) =>
  Option.isSome(value)
    ? Effect.succeed(value.value)
    : Effect.fail(new InvalidInput({ field: flag, message: `${flag} is required ${why}` }))

/**
 * Runs one query and returns its record as wire JSON (with `_tag`).
 *
 * @since 0.1.0
 * @category commands
 */
export const query = (input: QueryInput) =>
  Effect.gen(function*() {
    const permissions = yield* PayScorePermissions
    if (Option.isSome(input.authorizationCode) === Option.isSome(input.openid)) {
      return yield* new InvalidInput({
        field: "--authorization-code",
        message: "give exactly one of --authorization-code and --openid"
      })
    }
    if (Option.isSome(input.openid)) {
      if (input.mode !== "merchant") {
        return yield* new InvalidInput({
          field: "--openid",
          message: "--openid queries exist for --mode merchant only (WeChat Pay has no such query for the other modes)"
        })
      }
      const record = yield* permissions.queryByOpenid({
        openid: input.openid.value,
        service_id: input.serviceId,
        appid: yield* required(input.appid, "--appid", "with --openid")
      })
      return yield* encode(OpenidAuthorizationRecord, record)
    }
    const authorization_code = Option.getOrThrow(input.authorizationCode)
    switch (input.mode) {
      case "merchant":
        return yield* encode(
          AuthorizationRecord,
          yield* permissions.queryByAuthorizationCode({ authorization_code, service_id: input.serviceId })
        )
      case "partner":
        return yield* encode(
          PartnerAuthorizationRecord,
          yield* permissions.queryPartnerByAuthorizationCode({
            authorization_code,
            service_id: input.serviceId,
            sub_mchid: yield* required(input.subMchid, "--sub-mchid", "in partner mode")
          })
        )
      case "acquiring-bank":
        return yield* encode(
          AcquiringBankAuthorizationRecord,
          yield* permissions.queryAcquiringBankByAuthorizationCode({
            authorization_code,
            service_id: input.serviceId,
            channel_id: yield* required(input.channelId, "--channel-id", "in acquiring-bank mode"),
            sub_mchid: yield* required(input.subMchid, "--sub-mchid", "in acquiring-bank mode")
          })
        )
    }
  })

const encode = <A extends { readonly _tag: string }, I>(schema: Schema.Schema<A, I>, record: A) =>
  Effect.map(Effect.orDie(Schema.encode(schema)(record)), (wire) => ({ _tag: record._tag, ...wire }))

/** The library against the environment's configuration, or against an in-process sandbox. */
const wechatPayLayer = (useSandbox: boolean) =>
  useSandbox
    ? Layer.unwrapScoped(Effect.gen(function*() {
      const sandbox = yield* Sandbox.make()
      yield* SampleRecords.seed(sandbox)
      return WechatPay.layer(Sandbox.wechatPayOptions(sandbox))
    })).pipe(Layer.provide(FetchHttpClient.layer))
    : WechatPay.layerConfig().pipe(Layer.provide(FetchHttpClient.layer))

/** One line on stderr: the error as JSON (`_tag`, fields, `message`) and the `exitCode` it ends with. */
const fail = (error: WechatPayError) => {
  const exitCode = exitCodeOf(error)
  return Effect.zipRight(
    Console.error(JSON.stringify({ ...JSON.parse(errorJson(error)), exitCode })),
    Effect.fail(new ExitCode(exitCode))
  )
}

const queryCommand = Command.make(
  "query",
  { mode, authorizationCode, openid, serviceId, appid, subMchid, channelId, sandbox },
  (input) =>
    query(input).pipe(
      Effect.flatMap((record) => Console.log(JSON.stringify(record, null, 2))),
      Effect.provide(wechatPayLayer(input.sandbox)),
      Effect.catchAll((error) => error instanceof ExitCode ? Effect.fail(error) : fail(error))
    )
).pipe(Command.withDescription("Query a user's Pay Score authorization (prints the record as JSON)"))

const permissionsCommand = Command.make("permissions").pipe(
  Command.withDescription("Pay Score service authorizations (微信支付分授权)"),
  Command.withSubcommands([queryCommand])
)

// ---------------------------------------------------------------------------------------------
// Every endpoint, from its declaration
// ---------------------------------------------------------------------------------------------

const runMethod = (service: object, endpoint: Endpoint.Any, params: unknown) => {
  const method: unknown = Reflect.get(service, endpoint.name)
  return typeof method === "function"
    ? (method as (p: unknown) => Effect.Effect<unknown, WechatPayError>)(params)
    : Effect.dieMessage(`${endpoint.name} is declared but its service has no such method`)
}

/**
 * The endpoints `call` runs, by name: the declarations the library's methods and the sandbox read,
 * each with the method of its service that runs it.
 *
 * @since 0.1.0
 * @category commands
 */
export const callable: ReadonlyArray<{
  readonly endpoint: Endpoint.Any
  readonly run: (
    params: unknown
  ) => Effect.Effect<unknown, WechatPayError, PayScorePermissions | PayScoreServiceOrders>
}> = [
  ...Permissions.all.map((endpoint) => ({
    endpoint,
    run: (params: unknown) => Effect.flatMap(PayScorePermissions, (service) => runMethod(service, endpoint, params))
  })),
  ...ServiceOrders.all.map((endpoint) => ({
    endpoint,
    run: (params: unknown) => Effect.flatMap(PayScoreServiceOrders, (service) => runMethod(service, endpoint, params))
  }))
]

const ruleWords = (rule: Fields.Rule | Fields.StringRule<string>): string => {
  switch (rule.kind) {
    case "string":
      return rule.values !== undefined
        ? rule.values.join(" | ")
        : `text${rule.maxLength === undefined ? "" : ` ≤ ${rule.maxLength}`}`
    case "integer":
      return `integer${rule.min === undefined ? "" : ` ≥ ${rule.min}`}${rule.max === undefined ? "" : ` ≤ ${rule.max}`}`
    case "boolean":
      return "true | false"
    case "array":
      return "JSON array"
    case "object":
      return "JSON object"
    default:
      return "a WeChat Pay time (yyyyMMddHHmmss, yyyyMMdd, …)"
  }
}

/**
 * One endpoint as the `endpoints` command lists it: name, method and path, what it is, and each
 * field with where it goes, whether it is required, and its rule.
 *
 * @since 0.1.0
 * @category commands
 */
export const describeEndpoint = (endpoint: Endpoint.Any): ReadonlyArray<string> => {
  const placeholders = Array.from(endpoint.path.matchAll(/\{([A-Za-z0-9_]+)\}/g), (m) => m[1]!)
  const fields = Object.entries(endpoint.params.fields as Record<string, Fields.Field<unknown>>)
  return [
    `${endpoint.name}: ${endpoint.method} ${endpoint.path} (${endpoint.answer === "empty" ? "204" : "200 + JSON"}${
      endpoint.idempotent ? ", retried" : ""
    })`,
    `  ${endpoint.summary}`,
    ...fields.map(([name, field]) =>
      `  --param ${name}=…  ${
        placeholders.includes(name) ? "path" : endpoint.query.includes(name) ? "query" : "body"
      }, ${field.optional ? "optional" : "required"}, ${ruleWords(field.rule as Fields.Rule)}`
    )
  ]
}

/**
 * The parameters of `call`: `--param name=value` pairs (a value of a field whose rule is not text is
 * read as JSON: a number, true/false, an object, an array) over `--json` (a JSON object).
 *
 * @since 0.1.0
 * @category commands
 */
export const callParams = (
  endpoint: Endpoint.Any,
  pairs: ReadonlyArray<readonly [string, string]>,
  json: string | undefined
): Effect.Effect<Record<string, unknown>, InvalidInput> =>
  Effect.gen(function*() {
    let params: Record<string, unknown> = {}
    if (json !== undefined) {
      let parsed: unknown
      try {
        parsed = JSON.parse(json)
      } catch {
        return yield* new InvalidInput({ field: "--json", message: "--json is not JSON" })
      }
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        return yield* new InvalidInput({ field: "--json", message: "--json must be a JSON object" })
      }
      params = { ...(parsed as Record<string, unknown>) }
    }
    const fields = endpoint.params.fields as Record<string, Fields.Field<unknown>>
    for (const [name, value] of pairs) {
      const field = fields[name]
      if (field === undefined) {
        return yield* new InvalidInput({
          field: `--param ${name}`,
          message: `${endpoint.name} has no parameter ${name} (it has ${Object.keys(fields).join(", ")})`
        })
      }
      const kind = (field.rule as Fields.Rule).kind
      if (kind === "string" || (kind as string) === "time") {
        params[name] = value
        continue
      }
      try {
        params[name] = JSON.parse(value)
      } catch {
        return yield* new InvalidInput({
          field: `--param ${name}`,
          message: `${name} must be JSON (${ruleWords(field.rule as Fields.Rule)})`
        })
      }
    }
    return params
  })

const methodName = Args.text({ name: "method" }).pipe(
  Args.withDescription("the method to call, by its library name (see `effect-wechatpay endpoints`)")
)
const paramPairs = Options.keyValueMap("param").pipe(
  Options.optional,
  Options.withDescription("a parameter, name=value (repeat it); see `effect-wechatpay endpoints` for each method's")
)
const jsonParams = Options.text("json").pipe(
  Options.optional,
  Options.withDescription("the parameters as one JSON object (--param pairs go over it)")
)

const callCommand = Command.make(
  "call",
  { method: methodName, param: paramPairs, json: jsonParams, sandbox },
  (input) =>
    Effect.gen(function*() {
      const entry = callable.find((c) => c.endpoint.name === input.method)
      if (entry === undefined) {
        return yield* new InvalidInput({
          field: "method",
          message: `no method ${input.method}: one of ${callable.map((c) => c.endpoint.name).join(", ")}`
        })
      }
      const pairs = Option.match(input.param, { onNone: () => [], onSome: (map) => Array.from(HashMap.entries(map)) })
      const params = yield* callParams(entry.endpoint, pairs, Option.getOrUndefined(input.json))
      const answer = yield* Effect.provide(entry.run(params), wechatPayLayer(input.sandbox))
      yield* Console.log(JSON.stringify(answer ?? null, null, 2))
    }).pipe(Effect.catchAll((error) => error instanceof ExitCode ? Effect.fail(error) : fail(error)))
).pipe(Command.withDescription("Call any method by name, its parameters checked by the same rules as the library's"))

const endpointsCommand = Command.make(
  "endpoints",
  {},
  () =>
    Effect.forEach(callable, ({ endpoint }) => Console.log(describeEndpoint(endpoint).join("\n")), { discard: true })
).pipe(
  Command.withDescription("List every method `call` runs: path, parameters and their rules (from the declarations)")
)

const port = Options.integer("port").pipe(
  Options.withDefault(0),
  Options.withDescription("the port on 127.0.0.1 (0: any free port)")
)
const keysDir = Options.directory("keys-dir").pipe(
  Options.optional,
  Options.withDescription("where to write the test keys the printed environment points at (default: a temp dir)")
)

/**
 * The faults `effect-wechatpay sandbox --fault` can inject, by name.
 *
 * @since 0.1.0
 * @category commands
 */
export const faults: Readonly<Record<string, Sandbox.Fault>> = {
  "status-429": Sandbox.Fault.Status({ status: 429 }),
  "status-500": Sandbox.Fault.Status({ status: 500 }),
  "status-503": Sandbox.Fault.Status({ status: 503 }),
  "html-502": Sandbox.Fault.GatewayHtml({}),
  "delay": Sandbox.Fault.Delay({}),
  "connection-reset": Sandbox.Fault.ConnectionReset(),
  "tampered-body": Sandbox.Fault.TamperedBody({}),
  "wrong-key": Sandbox.Fault.WrongKey({}),
  "signtest": Sandbox.Fault.SignTest(),
  "clock-skew": Sandbox.Fault.ClockSkew({}),
  "missing-headers": Sandbox.Fault.MissingHeader({})
}

const faultNames = Object.keys(faults) as [string, ...Array<string>]
const fault = Options.choice("fault", faultNames).pipe(
  Options.optional,
  Options.withDescription("bend the next answers (see --fault-times) to try a client's error handling")
)
const faultTimes = Options.integer("fault-times").pipe(
  Options.withDefault(1),
  Options.withDescription("how many answers --fault bends (0: all of them)")
)

const sandboxCommand = Command.make(
  "sandbox",
  { port, keysDir, fault, faultTimes },
  ({ fault, faultTimes, keysDir, port }) =>
    Effect.scoped(Effect.gen(function*() {
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        return yield* new InvalidInput({ field: "--port", message: `--port must be from 0 to 65535 (got ${port})` })
      }
      const sandbox = yield* Sandbox.make({ port })
      yield* SampleRecords.seed(sandbox)
      if (Option.isSome(fault)) {
        yield* sandbox.injectFault(faults[fault.value]!, { times: faultTimes <= 0 ? Infinity : faultTimes })
      }
      const env = yield* environment(sandbox, Option.getOrUndefined(keysDir))
      yield* Console.log(`# WeChat Pay sandbox listening on ${sandbox.baseUrl} (Ctrl-C stops it)`)
      yield* Console.log("# point the CLI or the library at it with:")
      for (const [name, value] of Object.entries(env)) yield* Console.log(`export ${name}=${shellQuote(value)}`)
      yield* Console.log("# sample records (effect-wechatpay permissions query --mode …):")
      for (const line of SampleRecords.describe()) yield* Console.log(`#   ${line}`)
      return yield* Effect.never
    })).pipe(Effect.catchAll(fail))
).pipe(
  Command.withDescription("Run the WeChat Pay emulator on 127.0.0.1 and print the environment that points at it")
)

/**
 * The environment that points `WechatPay.layerConfig()` (and so the CLI) at a sandbox; the keys are
 * written as PEM files into `dir`, or into a new temp dir that is removed when the scope closes
 * (the command ends, fails, or is stopped by SIGINT / SIGTERM: `NodeRuntime.runMain` interrupts).
 *
 * @since 0.1.0
 * @category commands
 */
export const environment = (
  sandbox: Sandbox.Sandbox.Service,
  dir?: string
): Effect.Effect<Record<string, string>, never, Scope.Scope> =>
  Effect.gen(function*() {
    const fs = yield* Effect.promise(() => import("node:fs/promises"))
    const os = yield* Effect.promise(() => import("node:os"))
    const path = yield* Effect.promise(() => import("node:path"))
    const target = dir ?? (yield* Effect.acquireRelease(
      Effect.promise(() => fs.mkdtemp(path.join(os.tmpdir(), "effect-wechatpay-sandbox-"))),
      (created) => Effect.promise(() => fs.rm(created, { recursive: true, force: true }))
    ))
    return yield* Effect.promise(async () => {
      await fs.mkdir(target, { recursive: true })
      const options = sandbox.wechatPayOptions
      const env: Record<string, string> = {
        WECHATPAY_BASE_URL: sandbox.baseUrl,
        WECHATPAY_MCHID: options.mchid,
        WECHATPAY_MERCHANT_SERIAL_NO: options.merchantSerialNo
      }
      const write = async (name: string, text: string) => {
        const file = path.join(target, name)
        await fs.writeFile(file, text, { mode: 0o600 })
        return file
      }
      env.WECHATPAY_MERCHANT_PRIVATE_KEY_FILE = await write("apiclient_key.pem", reveal(options.merchantPrivateKey))
      if (options.wechatpayPublicKey !== undefined) {
        env.WECHATPAY_PUBLIC_KEY_ID = options.wechatpayPublicKey.id
        env.WECHATPAY_PUBLIC_KEY_FILE = await write("pub_key.pem", options.wechatpayPublicKey.pem)
      }
      if (
        options.platformCertificates !== undefined && options.platformCertificates !== "auto" &&
        options.platformCertificates.length > 0
      ) {
        env.WECHATPAY_PLATFORM_CERTIFICATES_FILE = await write(
          "platform_certificates.pem",
          options.platformCertificates.join("\n")
        )
      }
      if (options.apiV3Key !== undefined) env.WECHATPAY_APIV3_KEY = reveal(options.apiV3Key)
      return env
    })
  })

/**
 * Whether output to a stream may carry ANSI colour: only to a terminal, and never under `NO_COLOR`
 * (any non-empty value, https://no-color.org).
 *
 * @since 0.1.0
 * @category output
 */
export const colourAllowed = (
  stream: { readonly isTTY?: boolean | undefined },
  env: Readonly<Record<string, string | undefined>>
): boolean => stream.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === "")

const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g

/**
 * Text without its ANSI escape sequences.
 *
 * @since 0.1.0
 * @category output
 */
export const stripAnsi = (text: string): string => text.replace(ANSI, "")

/**
 * A `Console` that strips colour from what goes to stdout (`log`, `info`, `debug`) and / or stderr
 * (`error`, `warn`): `@effect/cli` always renders its help and errors with ANSI codes.
 *
 * @since 0.1.0
 * @category output
 */
export const plainConsole = (
  base: Console.Console,
  plain: { readonly stdout: boolean; readonly stderr: boolean }
): Console.Console => {
  const strip = (args: ReadonlyArray<unknown>) => args.map((a) => typeof a === "string" ? stripAnsi(a) : a)
  return {
    ...base,
    log: (...args) => base.log(...(plain.stdout ? strip(args) : args)),
    info: (...args) => base.info(...(plain.stdout ? strip(args) : args)),
    debug: (...args) => base.debug(...(plain.stdout ? strip(args) : args)),
    error: (...args) => base.error(...(plain.stderr ? strip(args) : args)),
    warn: (...args) => base.warn(...(plain.stderr ? strip(args) : args))
  }
}

const reveal = (value: Redacted.Redacted<string> | string) => Redacted.isRedacted(value) ? Redacted.value(value) : value

const shellQuote = (value: string) => /^[A-Za-z0-9_./:@-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`

/**
 * The root command.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("effect-wechatpay").pipe(
  Command.withDescription("WeChat Pay APIv3 from the command line: Pay Score permissions, and a local sandbox"),
  Command.withSubcommands([permissionsCommand, callCommand, endpointsCommand, sandboxCommand])
)

/**
 * Runs the CLI over `process.argv`-style arguments (node and script paths first).
 *
 * @since 0.1.0
 * @category commands
 */
export const run = Command.run(command, { name: "effect-wechatpay", version: VERSION })
