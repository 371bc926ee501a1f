/**
 * No secret in traces either: every failure path runs with the Effect logger at Debug level, the
 * console captured, and a recording tracer (`Layer.setTracer`) that keeps every span the library and
 * `@effect/platform`'s HttpClient open — names, attributes (including the `http.request.header.*`
 * and `http.response.header.*` attributes the platform adds), events, and the exit each span ends
 * with. Then all of it, every rendering of each error (`String`, `JSON.stringify`, `message`,
 * `stack`, `Cause.pretty`) and `JSON.stringify`/`String` of the options are scanned for private key
 * material, the APIv3 key and every `Authorization` value sent. (`test/security/Secrets.test.ts` does the
 * same without tracing.)
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, Layer, Logger, LogLevel, Option, Redacted, Tracer } from "effect"
import { createPublicKey } from "node:crypto"
import { inspect } from "node:util"
import { PayScorePermissions, WechatPay } from "../../src/index.js"
import { FakeWechatPay, Fixtures, Sandbox } from "../../src/testing/index.js"

const APIV3_KEY = "b8cde1ZJB1kG2e7VfTs3jQzaWizur8Gc"

// ---------------------------------------------------------------------------------------------
// Secrets and the scanner
// ---------------------------------------------------------------------------------------------

const base64Body = (pem: string): string => pem.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, "")
const WINDOW = 40

const publicMaterial = [
  Fixtures.merchantPublicKey,
  Fixtures.wechatpayPublicKey,
  Fixtures.platformCertificate1,
  Fixtures.platformCertificate2
].map(base64Body)

/** Every 40-character window of a private key's base64 body that is not also public material. */
const privateWindows = (pem: string): ReadonlyArray<string> => {
  const body = base64Body(pem)
  const publicKey = createPublicKey(pem)
  const publicTexts = [
    ...publicMaterial,
    publicKey.export({ type: "spki", format: "der" }).toString("base64"),
    publicKey.export({ type: "pkcs1", format: "der" }).toString("base64")
  ]
  const windows: Array<string> = []
  for (let i = 0; i + WINDOW <= body.length; i++) {
    const window = body.slice(i, i + WINDOW)
    if (!publicTexts.some((text) => text.includes(window))) windows.push(window)
  }
  return windows
}

const KEY_SECRETS: ReadonlyArray<readonly [string, ReadonlyArray<string>]> = [
  ["merchantPrivateKeyPkcs8", privateWindows(Fixtures.merchantPrivateKeyPkcs8)],
  ["merchantPrivateKeyPkcs1", privateWindows(Fixtures.merchantPrivateKeyPkcs1)],
  ["wechatpayPrivateKey", privateWindows(Fixtures.wechatpayPrivateKey)],
  ["apiV3Key", [APIV3_KEY]]
]

/** The text as is, without whitespace, and with JSON escapes undone. */
const forms = (text: string): ReadonlyArray<string> => {
  const unescaped = text.replace(/\\r|\\n|\\t/g, "").replace(/\\"/g, '"').replace(/\\\//g, "/")
  return [text, text.replace(/\s+/g, ""), unescaped.replace(/\s+/g, "")]
}

const scan = (
  texts: ReadonlyArray<readonly [string, string]>,
  authorizations: ReadonlyArray<string>
): ReadonlyArray<string> => {
  const secrets: Array<readonly [string, ReadonlyArray<string>]> = [...KEY_SECRETS]
  authorizations.forEach((header, i) => {
    const signature = /signature="([^"]+)"/.exec(header)?.[1]
    secrets.push([`Authorization #${i}`, signature === undefined ? [header] : [header, signature]])
  })
  const leaks: Array<string> = []
  for (const [where, text] of texts) {
    const haystacks = forms(text)
    for (const [name, needles] of secrets) {
      if (needles.some((needle) => haystacks.some((haystack) => haystack.includes(needle)))) {
        leaks.push(`${name} in ${where}`)
      }
    }
  }
  return leaks
}

// ---------------------------------------------------------------------------------------------
// Recording: spans, logs, console
// ---------------------------------------------------------------------------------------------

interface Recorded {
  readonly spans: Array<
    { name: string; attributes: Array<readonly [string, unknown]>; events: Array<string>; exit: string }
  >
  readonly logs: Array<string>
  readonly console: Array<string>
}

/** A tracer that keeps every span it makes (over the native tracer, so spans behave as usual). */
const recordingTracer = (recorded: Recorded, base: Tracer.Tracer): Tracer.Tracer =>
  Tracer.make({
    span: (name, parent, context, links, startTime, kind, options) => {
      const span = base.span(name, parent, context, links, startTime, kind, options)
      const entry = { name, attributes: [] as Array<readonly [string, unknown]>, events: [] as Array<string>, exit: "" }
      recorded.spans.push(entry)
      return Object.assign(Object.create(span) as Tracer.Span, {
        attribute: (key: string, value: unknown) => {
          entry.attributes.push([key, value])
          span.attribute(key, value)
        },
        event: (eventName: string, time: bigint, attributes?: Record<string, unknown>) => {
          entry.events.push(`${eventName} ${inspect(attributes, { depth: 8 })}`)
          span.event(eventName, time, attributes)
        },
        end: (endTime: bigint, exit: Exit.Exit<unknown, unknown>) => {
          entry.exit = Exit.isFailure(exit) ? Cause.pretty(exit.cause, { renderErrorCause: true }) : "success"
          for (const [key, value] of span.attributes) entry.attributes.push([key, value])
          span.end(endTime, exit)
        }
      })
    },
    context: (f, fiber) => base.context(f, fiber)
  })

const CONSOLE_METHODS = ["log", "info", "warn", "error", "debug", "trace"] as const

/** Runs `effect` with Debug logs (default logger to the console, plus a JSON copy), the console captured and spans recorded. */
const recordRun = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.gen(function*() {
    const recorded: Recorded = { spans: [], logs: [], console: [] }
    const base = yield* Effect.tracer
    const saved = CONSOLE_METHODS.map((method) => [method, console[method]] as const)
    for (const method of CONSOLE_METHODS) {
      console[method] = (...args: ReadonlyArray<unknown>) => {
        recorded.console.push(args.map((arg) => typeof arg === "string" ? arg : inspect(arg, { depth: 10 })).join(" "))
      }
    }
    const jsonCopy = Logger.make<unknown, void>((options) => {
      recorded.logs.push(Logger.jsonLogger.log(options))
      recorded.logs.push(Logger.logfmtLogger.log(options))
    })
    const exit = yield* effect.pipe(
      Effect.tapErrorCause((cause) => Effect.logError("the call failed", cause)),
      Effect.withSpan("application"),
      Effect.exit,
      Effect.provide(Layer.mergeAll(
        Layer.setTracer(recordingTracer(recorded, base)),
        Logger.add(jsonCopy),
        Logger.minimumLogLevel(LogLevel.Debug)
      )),
      Effect.ensuring(Effect.sync(() => {
        for (const [method, fn] of saved) console[method] = fn
      }))
    )
    return { exit, recorded }
  })

/** Everything to scan of one run. */
const texts = (label: string, exit: Exit.Exit<unknown, unknown>, recorded: Recorded) => {
  const out: Array<readonly [string, string]> = []
  if (Exit.isFailure(exit)) {
    out.push([`${label}: Cause.pretty`, Cause.pretty(exit.cause, { renderErrorCause: true })])
    const failure = Cause.failureOption(exit.cause)
    if (Option.isSome(failure)) {
      const error = failure.value as { readonly message?: unknown; readonly stack?: unknown }
      out.push(
        [`${label}: String(error)`, String(failure.value)],
        [`${label}: JSON.stringify(error)`, JSON.stringify(failure.value) ?? ""],
        [`${label}: error.message`, String(error.message)],
        [`${label}: error.stack`, String(error.stack)],
        [`${label}: inspect(error)`, inspect(failure.value, { depth: 10 })]
      )
    }
  }
  recorded.logs.forEach((line, i) => out.push([`${label}: log ${i}`, line]))
  recorded.console.forEach((line, i) => out.push([`${label}: console ${i}`, line]))
  for (const span of recorded.spans) {
    out.push([`${label}: span ${span.name} name`, span.name])
    for (const [key, value] of span.attributes) {
      out.push([
        `${label}: span ${span.name} attribute ${key}`,
        `${key}=${String(value)} ${JSON.stringify(value) ?? ""}`
      ])
    }
    span.events.forEach((event, i) => out.push([`${label}: span ${span.name} event ${i}`, event]))
    out.push([`${label}: span ${span.name} exit`, span.exit])
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// The failure paths
// ---------------------------------------------------------------------------------------------

const OPTIONS: WechatPay.Options = {
  mchid: Fixtures.mchid,
  merchantSerialNo: Fixtures.merchantSerialNo,
  merchantPrivateKey: Redacted.make(Fixtures.merchantPrivateKeyPkcs8),
  wechatpayPublicKey: { id: Fixtures.wechatpayPublicKeyId, pem: Fixtures.wechatpayPublicKey },
  apiV3Key: Redacted.make(APIV3_KEY),
  retries: 2,
  retryBaseDelay: "1 millis",
  timeout: "2 seconds"
}

const RECORD = {
  service_id: "500001",
  appid: "wxd678efh567hg6787",
  mchid: Fixtures.mchid,
  authorization_code: "1234323JKHDFE1243252",
  authorization_state: "AVAILABLE"
}

const query = (code = RECORD.authorization_code) =>
  Effect.flatMap(
    PayScorePermissions.PayScorePermissions,
    (permissions) => permissions.queryByAuthorizationCode({ authorization_code: code, service_id: "500001" })
  )

const errorBody = (code: string, detail?: unknown) => ({
  code,
  message: `${code} from the fake`,
  ...(detail === undefined ? {} : { detail })
})

/** Failure paths answered by the in-memory fake: each an answer to every request. */
const FAKE_PATHS: ReadonlyArray<readonly [string, (request: FakeWechatPay.Received) => FakeWechatPay.Reply]> = [
  ["400 PARAM_ERROR", () => ({ status: 400, body: errorBody("PARAM_ERROR", { field: "service_id" }) })],
  ["401 SIGN_ERROR, sign_information echoing the request", (request) => ({
    status: 401,
    body: errorBody("SIGN_ERROR", {
      sign_information: { method: request.method, url: request.url.pathname, truncated_sign_message: "GET\n…" }
    })
  })],
  ["403 NO_AUTH", () => ({ status: 403, body: errorBody("NO_AUTH") })],
  ["404 NOT_FOUND", () => ({ status: 404, body: errorBody("NOT_FOUND") })],
  ["429, retried", () => ({ status: 429, body: errorBody("FREQUENCY_LIMITED") })],
  ["500, retried", () => ({ status: 500, body: errorBody("SYSTEM_ERROR") })],
  ["502 gateway page, unsigned", () => ({ status: 502, body: "<html>bad gateway</html>", signWith: false })],
  [
    "tampered body",
    () => ({ body: { ...RECORD, authorization_state: "UNAVAILABLE" }, signedBody: JSON.stringify(RECORD) })
  ],
  ["wrong key", () => ({ body: RECORD, signWith: FakeWechatPay.keys.stranger })],
  ["unknown serial", () => ({ body: RECORD, signWith: FakeWechatPay.keys.platform1 })],
  ["SIGNTEST probe", () => ({ body: RECORD, headers: { "wechatpay-signature": "WECHATPAY/SIGNTEST/AAAA" } })],
  ["missing headers", () => ({ body: RECORD, signWith: false })],
  ["clock skew", () => ({ body: RECORD, timestamp: 1_000_000_000 })],
  ["decode error", () => ({ body: { ...RECORD, authorization_state: 42 } })],
  ["body over the cap", () => ({ body: "x".repeat(2_000_000), signWith: false })],
  ["timeout, retried", () => ({ body: RECORD }) as FakeWechatPay.Reply]
]

/** A transport that fails, quoting the request's headers in its error (as some do). */
const leakyTransport = Layer.succeed(
  HttpClient.HttpClient,
  HttpClient.make((request) =>
    Effect.fail(
      new HttpClientError.RequestError({
        request,
        reason: "Transport",
        cause: new Error(`connect ECONNREFUSED; request headers were ${JSON.stringify(request.headers)}`)
      })
    )
  )
)

describe("secrets under Debug logging and HTTP tracing", () => {
  it.live(
    "every failure path, through the fake: no key, no APIv3 key, no Authorization in logs, console, errors or spans",
    () =>
      Effect.gen(function*() {
        const leaks: Array<string> = []
        const spanNames = new Set<string>()
        const headerAttributes = new Set<string>()
        for (const [label, reply] of FAKE_PATHS) {
          const authorizations: Array<string> = []
          const fake = FakeWechatPay.layer((request) => {
            authorizations.push(request.headers["authorization"]!)
            const answer = reply(request)
            return label.startsWith("timeout") ? Effect.as(Effect.sleep("5 seconds"), answer) : answer
          })
          const layer = WechatPay.layer(OPTIONS).pipe(Layer.provide(fake))
          const { exit, recorded } = yield* recordRun(Effect.provide(query(), layer))
          expect(Exit.isFailure(exit), label).toBe(true)
          if (Exit.isFailure(exit)) expect(Cause.isDie(exit.cause), `${label}: a defect`).toBe(false)
          expect(authorizations.length, label).toBeGreaterThan(0)
          for (const span of recorded.spans) {
            spanNames.add(span.name)
            for (const [key] of span.attributes) if (key.includes("header")) headerAttributes.add(key)
          }
          leaks.push(...scan(texts(label, exit, recorded), authorizations))
        }
        expect(leaks).toEqual([])
        // the tracing really was on: the library's span of each call was recorded, named after the
        // method; the platform's per-request `http.client` span (with every header as an
        // attribute) is switched off by WechatPayClient
        expect([...spanNames]).toContain("PayScorePermissions.queryByAuthorizationCode")
        expect([...spanNames].filter((name) => name.startsWith("WechatPayClient"))).toEqual([])
        expect([...spanNames].some((name) => name.startsWith("http.client"))).toBe(false)
      }),
    60_000
  )

  it.live("a transport error that quotes the request headers, retried, under tracing: scrubbed everywhere", () =>
    Effect.gen(function*() {
      const authorizations: Array<string> = []
      const recordingTransport = Layer.effect(
        HttpClient.HttpClient,
        Effect.map(HttpClient.HttpClient, (client) =>
          HttpClient.mapRequest(client, (request) => {
            authorizations.push(request.headers["authorization"]!)
            return request
          }))
      ).pipe(Layer.provide(leakyTransport))
      const layer = WechatPay.layer(OPTIONS).pipe(Layer.provide(recordingTransport))
      const { exit, recorded } = yield* recordRun(Effect.provide(query(), layer))
      expect(authorizations.length).toBe(3)
      const leaks = scan(texts("transport", exit, recorded), authorizations)
      // The library scrubs its own TransportError, logs and spans. What it cannot scrub is the
      // platform's own `http.client` span, which ends with the transport's raw error: a transport
      // that quotes request headers in its error messages leaks them there (fetch and undici do not).
      // Known limitation, written down in SECURITY.md; everything else must be clean.
      expect(leaks.filter((leak) => !/span http\.client \w+ exit$/.test(leak))).toEqual([])
    }))

  it.live("input and configuration failures, and the options themselves", () =>
    Effect.gen(function*() {
      const leaks: Array<string> = []
      const fake = FakeWechatPay.layer(() => ({ body: RECORD }))
      const input = yield* recordRun(Effect.provide(query("a/b"), WechatPay.layer(OPTIONS).pipe(Layer.provide(fake))))
      leaks.push(...scan(texts("InvalidInput", input.exit, input.recorded), []))
      const badKey = { ...OPTIONS, merchantPrivateKey: Redacted.make(Fixtures.merchantPrivateKeyPkcs8.slice(0, 900)) }
      const config = yield* recordRun(Effect.provide(query(), WechatPay.layer(badKey).pipe(Layer.provide(fake))))
      expect(Exit.isFailure(config.exit)).toBe(true)
      leaks.push(...scan(texts("InvalidConfig", config.exit, config.recorded), []))
      const shortApiV3 = { ...OPTIONS, apiV3Key: Redacted.make(`${APIV3_KEY} `) }
      const apiV3 = yield* recordRun(Effect.provide(query(), WechatPay.layer(shortApiV3).pipe(Layer.provide(fake))))
      leaks.push(...scan(texts("InvalidConfig apiV3Key", apiV3.exit, apiV3.recorded), []))
      leaks.push(...scan([
        ["JSON.stringify(options)", JSON.stringify(OPTIONS)],
        ["String(merchantPrivateKey)", String(OPTIONS.merchantPrivateKey)],
        ["inspect(options)", inspect(OPTIONS, { depth: 10 })]
      ], []))
      expect(leaks).toEqual([])
    }))

  it.live(
    "over real HTTP against the sandbox (fetch): SIGN_ERROR, connection reset, tampered answer, timeout",
    () =>
      Effect.gen(function*() {
        const sandbox = yield* Sandbox.make({ faultDelay: "1 second" })
        const authorizations: Array<string> = []
        const recordingFetch = Layer.effect(
          HttpClient.HttpClient,
          Effect.map(HttpClient.HttpClient, (client) =>
            HttpClient.mapRequest(client, (request) => {
              authorizations.push(request.headers["authorization"]!)
              return request
            }))
        ).pipe(Layer.provide(FetchHttpClient.layer))
        const client = (overrides: Partial<WechatPay.Options>) =>
          WechatPay.layer(
            Sandbox.wechatPayOptions(sandbox, {
              apiV3Key: Redacted.make(APIV3_KEY),
              retries: 1,
              retryBaseDelay: "1 millis",
              timeout: "2 seconds",
              ...overrides
            })
          )
            .pipe(Layer.provide(recordingFetch))
        const leaks: Array<string> = []
        const runs: ReadonlyArray<readonly [string, Effect.Effect<void>, Partial<WechatPay.Options>]> = [
          ["SIGN_ERROR (a merchant serial the sandbox does not know)", Effect.void, { merchantSerialNo: "ABCDEF" }],
          ["connection reset", sandbox.injectFault(Sandbox.Fault.ConnectionReset(), { times: 2 }), {}],
          ["tampered answer", sandbox.injectFault(Sandbox.Fault.TamperedBody({}), { times: 1 }), {}],
          [
            "delay past the timeout",
            sandbox.injectFault(Sandbox.Fault.Delay({ duration: "4 seconds" }), { times: 2 }),
            {}
          ]
        ]
        for (const [label, setup, overrides] of runs) {
          yield* sandbox.clearFaults
          yield* setup
          const { exit, recorded } = yield* recordRun(Effect.provide(query(), client(overrides)))
          expect(Exit.isFailure(exit), label).toBe(true)
          leaks.push(...scan(texts(label, exit, recorded), authorizations))
        }
        const log = yield* sandbox.requests
        leaks.push(...scan([["sandbox log", JSON.stringify(log)]], authorizations))
        expect(leaks).toEqual([])
      }).pipe(Effect.scoped),
    60_000
  )
})
