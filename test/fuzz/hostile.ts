/**
 * Hostile answers through the library's real pipeline: an `HttpClient.make` fake answers each query
 * with a generated case (random bytes, huge or endless bodies, deeply nested JSON, invalid UTF-8,
 * numbers where strings belong, duplicated and oversized headers, any value in the signature
 * headers), some of them correctly signed with `FakeWechatPay.signAnswer` so that decoding is
 * reached. Shared by the short property run in `npm test` (`Hostile.test.ts`) and the long run of
 * `npm run fuzz` (`scripts/fuzz.ts`).
 *
 * The invariants checked for every case (`check`):
 * - the outcome is a success or a typed failure: never a defect, never an interruption;
 * - a success only ever comes from a 2xx whose four signature headers are exactly those of a
 *   signature with the trusted key over the body as sent, within the clock window, under the cap;
 * - a correctly signed valid record always succeeds (the harness cannot pass by failing everything);
 * - a body over `maxResponseBytes` fails with `TransportError` naming the cap, and an endless body
 *   is not read much past the cap;
 * - a non-2xx without any signature header is a typed API error (unauthenticated, as documented).
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { Cause, Clock, Effect, Exit, FastCheck as fc, Layer, Redacted } from "effect"
import { PayScorePermissions, WechatPay } from "../../src/index.js"
import { FakeWechatPay, Fixtures } from "../../src/testing/index.js"

// ---------------------------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------------------------

/** How the body goes on the wire. Big bodies are described, not materialised, until sent. */
export type BodySpec =
  | { readonly _tag: "Text"; readonly text: string }
  | { readonly _tag: "Bytes"; readonly bytes: Uint8Array }
  /** `unit` repeated `count` times (huge bodies), one Uint8Array. */
  | { readonly _tag: "Repeat"; readonly unit: string; readonly count: number }
  /** `[[[…]]]` or `{"a":{"a":…}}`, `depth` levels, closed or not. */
  | { readonly _tag: "Deep"; readonly depth: number; readonly object: boolean; readonly closed: boolean }
  /** A lazy stream of `total` bytes in `chunk`-byte pieces; `contentLength` says what the header claims. */
  | {
    readonly _tag: "Endless"
    readonly chunk: number
    readonly total: number
    readonly contentLength: "none" | "true" | "small"
  }

/** Who signs the answer. */
export type SignKey = "trusted" | "stranger" | "platform1"

/** One hostile answer. */
export interface HostileCase {
  /** A label for the statistics. */
  readonly kind: string
  readonly status: number
  readonly body: BodySpec
  /** Signed with this key, this many seconds away from the clock, over the body as sent (or `signedText`). */
  readonly sign:
    | {
      readonly key: SignKey
      readonly offset: number
      readonly nonce: string | undefined
      readonly signedText: string | undefined
    }
    | undefined
  /** Appended after the signature headers, so a name given twice (or a signature header) is duplicated. */
  readonly headers: ReadonlyArray<readonly [string, string]>
  /** The client it runs against (see `CLIENTS`). */
  readonly client: number
}

/** The clients every case may run against: retries or not, the default cap or a small one. */
export const CLIENTS: ReadonlyArray<Partial<WechatPay.Options> & { readonly maxResponseBytes: number }> = [
  { retries: 0, maxResponseBytes: 1_048_576 },
  { retries: 2, retryBaseDelay: "1 millis", maxResponseBytes: 1_048_576 },
  { retries: 0, maxResponseBytes: 4096 }
]

const VALID_RECORD = {
  service_id: "500001",
  appid: "wxd678efh567hg6787",
  mchid: "1230000109",
  authorization_code: "1234323JKHDFE1243252",
  authorization_state: "AVAILABLE",
  authorization_success_time: "2015-05-20T13:29:35+08:00",
  user_risk_level: 1
} as const

const SIGNATURE_HEADERS = ["wechatpay-timestamp", "wechatpay-nonce", "wechatpay-signature", "wechatpay-serial"]

/** Header values a `Headers` object accepts: tab, visible ASCII, Latin-1 above 0x7f (no CR, LF, NUL). */
const headerChar = fc.oneof(
  fc.integer({ min: 0x20, max: 0x7e }),
  fc.integer({ min: 0x80, max: 0xff }),
  fc.constant(0x09)
).map((code) => String.fromCharCode(code))
const headerText = (maxLength: number) => fc.array(headerChar, { maxLength }).map((chars) => chars.join(""))
const base64Text = fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString("base64"))

const headerValue = fc.oneof(
  { weight: 4, arbitrary: headerText(80) },
  { weight: 2, arbitrary: base64Text },
  { weight: 2, arbitrary: fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "",
      " ",
      "WECHATPAY/SIGNTEST/",
      `WECHATPAY/SIGNTEST/${"A".repeat(344)}`,
      "PUB_KEY_ID_0114232134912410000000000000",
      Fixtures.wechatpayPublicKeyId,
      Fixtures.platformSerialNo1,
      "1e9",
      "0x6553F100",
      "-1",
      "NaN",
      "Infinity",
      "9".repeat(400),
      "null",
      "[]",
      "{}",
      "=",
      "====",
      "%00"
    )
  },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 256 * 1024 }).map((n) => "A".repeat(n)) }
)

const headerName = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      "Wechatpay-Timestamp",
      "wechatpay-nonce",
      "WECHATPAY-SIGNATURE",
      "Wechatpay-Serial",
      "wechatpay-signature-type",
      "request-id",
      "content-type",
      "content-length"
    )
  },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/) }
)

const extraHeaders = fc.oneof(
  { weight: 5, arbitrary: fc.constant<ReadonlyArray<readonly [string, string]>>([]) },
  { weight: 3, arbitrary: fc.array(fc.tuple(headerName, headerValue), { minLength: 1, maxLength: 4 }) }
)

const sign = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  {
    weight: 8,
    arbitrary: fc.record({
      key: fc.oneof(
        { weight: 8, arbitrary: fc.constant<SignKey>("trusted") },
        { weight: 1, arbitrary: fc.constant<SignKey>("stranger") },
        { weight: 1, arbitrary: fc.constant<SignKey>("platform1") }
      ),
      offset: fc.oneof(
        { weight: 12, arbitrary: fc.constant(0) },
        { weight: 3, arbitrary: fc.constantFrom(1, -1, 298, -298, 302, -302, 3600, -3600) },
        { weight: 1, arbitrary: fc.integer({ min: -2_000_000_000, max: 2_000_000_000 }) }
      ),
      nonce: fc.oneof(
        { weight: 8, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: headerText(40) }
      ),
      signedText: fc.oneof(
        { weight: 12, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.string({ maxLength: 50 }) }
      )
    })
  }
)

const jsonText = (value: unknown) => ({ _tag: "Text" as const, text: JSON.stringify(value) })

/** A record with one field replaced by a random JSON value (numbers where strings belong, …). */
const mutatedRecord = fc.tuple(
  fc.constantFrom(...Object.keys(VALID_RECORD), "extra"),
  fc.oneof(
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.string({ maxLength: 40 }),
    fc.fullUnicodeString({ maxLength: 40 }),
    fc.jsonValue({ maxDepth: 3 }),
    fc.constantFrom("1e400", "2015-13-45T99:99:99Z", "", "AVAILABLE\u0000")
  )
).map(([field, value]) => jsonText({ ...VALID_RECORD, [field]: value }))

/** Invalid UTF-8 put inside an otherwise valid record. */
const invalidUtf8 = fc.tuple(
  fc.constantFrom(
    [0xff],
    [0xfe, 0xff],
    [0xc0, 0xaf],
    [0xe0, 0x80, 0xaf],
    [0xed, 0xa0, 0x80],
    [0xf4, 0x90, 0x80, 0x80],
    [0xe6, 0x94],
    [0x80]
  ),
  fc.nat()
).map(([bad, at]) => {
  const good = new TextEncoder().encode(JSON.stringify(VALID_RECORD))
  const index = at % (good.length + 1)
  const bytes = new Uint8Array(good.length + bad.length)
  bytes.set(good.subarray(0, index), 0)
  bytes.set(bad, index)
  bytes.set(good.subarray(index), index + bad.length)
  return { _tag: "Bytes" as const, bytes }
})

const errorBody = fc.record({
  code: fc.oneof(
    fc.constantFrom("PARAM_ERROR", "INVALID_REQUEST", "SIGN_ERROR", "NO_AUTH", "NOT_FOUND", "SYSTEM_ERROR"),
    fc.jsonValue({ maxDepth: 2 })
  ),
  message: fc.oneof(fc.fullUnicodeString({ maxLength: 60 }), fc.jsonValue({ maxDepth: 2 })),
  detail: fc.option(fc.jsonValue({ maxDepth: 4 }), { nil: undefined })
}).map(jsonText)

const body = fc.oneof(
  { weight: 3, arbitrary: fc.constant(jsonText(VALID_RECORD)).map((b) => ["valid", b] as const) },
  { weight: 4, arbitrary: mutatedRecord.map((b) => ["mutated-record", b] as const) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => ["json-value", jsonText(v)] as const) },
  {
    weight: 1,
    arbitrary: fc.record({
      depth: fc.oneof(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 2000, max: 200_000 })),
      object: fc.boolean(),
      closed: fc.boolean()
    }).map((d) => ["deep-json", { _tag: "Deep" as const, ...d }] as const)
  },
  {
    weight: 2,
    arbitrary: fc.uint8Array({ maxLength: 2048 }).map((bytes) =>
      ["random-bytes", { _tag: "Bytes" as const, bytes }] as const
    )
  },
  { weight: 2, arbitrary: invalidUtf8.map((b) => ["invalid-utf8", b] as const) },
  {
    weight: 2,
    arbitrary: fc.oneof(fc.string({ maxLength: 300 }), fc.fullUnicodeString({ maxLength: 300 })).map((
      text
    ) => ["random-text", { _tag: "Text" as const, text }] as const)
  },
  {
    weight: 1,
    arbitrary: fc.constant(
      ["bom", { _tag: "Text" as const, text: `\uFEFF${JSON.stringify(VALID_RECORD)}` }] as const
    )
  },
  { weight: 3, arbitrary: errorBody.map((b) => ["error-body", b] as const) },
  {
    weight: 1,
    arbitrary: fc.record({
      unit: fc.constantFrom("A", "[", '{"a":1,', '"\\u0000",', "好"),
      count: fc.oneof(fc.integer({ min: 1000, max: 5000 }), fc.integer({ min: 300_000, max: 1_200_000 }))
    }).map((r) => ["huge", { _tag: "Repeat" as const, ...r }] as const)
  },
  {
    weight: 1,
    arbitrary: fc.record({
      chunk: fc.constantFrom(1024, 16_384, 65_536),
      total: fc.oneof(fc.integer({ min: 0, max: 8192 }), fc.integer({ min: 1_000_000, max: 16_000_000 })),
      contentLength: fc.constantFrom("none" as const, "true" as const, "small" as const)
    }).map((r) => ["endless-stream", { _tag: "Endless" as const, ...r }] as const)
  }
)

const status = fc.oneof(
  { weight: 10, arbitrary: fc.constant(200) },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      201,
      202,
      204,
      205,
      206,
      299,
      301,
      304,
      400,
      401,
      403,
      404,
      405,
      418,
      429,
      500,
      502,
      503,
      504,
      599
    )
  },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 599 }) }
)

/** Every hostile case. */
export const hostileCase: fc.Arbitrary<HostileCase> = fc.record({
  body,
  status,
  sign,
  headers: extraHeaders,
  client: fc.oneof(
    { weight: 6, arbitrary: fc.constant(0) },
    { weight: 2, arbitrary: fc.constant(1) },
    { weight: 2, arbitrary: fc.constant(2) }
  )
}).map(({ body: [kind, spec], ...rest }) => ({ kind, body: spec, ...rest }))

// ---------------------------------------------------------------------------------------------
// Putting a case on the wire
// ---------------------------------------------------------------------------------------------

const encoder = new TextEncoder()
const lossy = new TextDecoder("utf-8", { ignoreBOM: true })

/** The bytes of a materialisable body (everything but `Endless`). */
const bodyBytes = (spec: Exclude<BodySpec, { _tag: "Endless" }>): Uint8Array => {
  switch (spec._tag) {
    case "Text":
      return encoder.encode(spec.text)
    case "Bytes":
      return spec.bytes
    case "Repeat":
      return encoder.encode(spec.unit.repeat(spec.count))
    case "Deep": {
      const open = spec.object ? '{"a":' : "["
      const close = spec.object ? "}" : "]"
      return encoder.encode(open.repeat(spec.depth) + "1" + (spec.closed ? close.repeat(spec.depth) : ""))
    }
  }
}

const signingKeys: Record<SignKey, FakeWechatPay.SigningKey> = {
  trusted: FakeWechatPay.keys.publicKey,
  stranger: FakeWechatPay.keys.stranger,
  platform1: FakeWechatPay.keys.platform1
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304])

/** What happened to a case on the wire (the last attempt). */
export interface Observed {
  attempts: number
  /** Bytes of an endless body handed to the reader, in the attempt that read most. */
  pulled: number
  /** Size of the body as sent, when known. */
  size: number | undefined
  /** The four signature headers are exactly a trusted signature over the body as sent, in the window. */
  verifiable: boolean
  /** At least one signature header is present. */
  anySignatureHeader: boolean
  /** A `content-length` header was added by the case (it may lie). */
  contentLengthTouched: boolean
}

interface Running {
  readonly testCase: HostileCase
  readonly observed: Observed
}

/** The fake WeChat Pay: answers `/…/{id}` with the case registered under `id`. */
export const makeHarness = () => {
  const running = new Map<string, Running>()

  const answer = (request: HttpClientRequest.HttpClientRequest, url: URL) =>
    Effect.gen(function*() {
      const id = decodeURIComponent(url.pathname.slice(url.pathname.lastIndexOf("/") + 1))
      const run = running.get(id)
      if (run === undefined) return yield* Effect.dieMessage(`fuzz harness: no case ${id}`)
      const { observed, testCase } = run
      observed.attempts += 1
      const nullBody = NULL_BODY_STATUSES.has(testCase.status)
      let init: BodyInit | null = null
      let text = ""
      observed.size = 0
      if (!nullBody && testCase.body._tag === "Endless") {
        const { chunk, total } = testCase.body
        let sent = 0
        observed.size = total
        init = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent >= total) return controller.close()
            const n = Math.min(chunk, total - sent)
            sent += n
            observed.pulled = Math.max(observed.pulled, sent)
            controller.enqueue(new Uint8Array(n).fill(0x41))
          }
        }, { highWaterMark: 0 })
        text = total <= 8192 ? "A".repeat(total) : ""
      } else if (!nullBody && testCase.body._tag !== "Endless") {
        const bytes = bodyBytes(testCase.body)
        observed.size = bytes.byteLength
        init = new Uint8Array(bytes)
        text = lossy.decode(bytes)
      }
      const headers = new globalThis.Headers({ "content-type": "application/json", "request-id": `fuzz-${id}` })
      let signed: Record<string, string> | undefined
      const now = Math.floor((yield* Clock.currentTimeMillis) / 1000)
      if (testCase.sign !== undefined) {
        const sign = testCase.sign
        signed = yield* Effect.promise(() =>
          FakeWechatPay.signAnswer({
            key: signingKeys[sign.key],
            body: sign.signedText ?? text,
            timestamp: now + sign.offset,
            ...(sign.nonce === undefined ? {} : { nonce: sign.nonce })
          })
        )
        for (const [name, value] of Object.entries(signed)) headers.set(name, value)
      }
      if (testCase.body._tag === "Endless" && !nullBody) {
        if (testCase.body.contentLength === "true") headers.set("content-length", String(testCase.body.total))
        if (testCase.body.contentLength === "small") headers.set("content-length", "16")
      }
      for (const [name, value] of testCase.headers) headers.append(name, value)
      observed.contentLengthTouched = testCase.headers.some(([name]) => name.toLowerCase() === "content-length")
      observed.anySignatureHeader = SIGNATURE_HEADERS.some((name) => headers.get(name) !== null)
      observed.verifiable = signed !== undefined && testCase.sign?.key === "trusted" &&
        (testCase.sign.signedText === undefined || testCase.sign.signedText === text) &&
        (testCase.body._tag !== "Endless" || testCase.body.total <= 8192 || nullBody) &&
        Math.abs(testCase.sign.offset) <= 298 &&
        SIGNATURE_HEADERS.every((name) => headers.get(name) === signed![name])
      return HttpClientResponse.fromWeb(request, new Response(init, { status: testCase.status, headers }))
    })

  const http = HttpClient.make((request, url) => answer(request, url))

  /** One `WechatPay` layer per client of `CLIENTS`, over the fake. */
  const layers = CLIENTS.map((client) =>
    WechatPay.layer({
      mchid: Fixtures.mchid,
      merchantSerialNo: Fixtures.merchantSerialNo,
      merchantPrivateKey: Redacted.make(Fixtures.merchantPrivateKeyPkcs8),
      wechatpayPublicKey: { id: Fixtures.wechatpayPublicKeyId, pem: Fixtures.wechatpayPublicKey },
      timeout: "30 seconds",
      ...client
    }).pipe(Layer.provide(Layer.succeed(HttpClient.HttpClient, http)), Layer.orDie)
  )

  return { running, layers }
}

// ---------------------------------------------------------------------------------------------
// Running and checking
// ---------------------------------------------------------------------------------------------

const TYPED_TAGS = new Set([
  "ParamError",
  "InvalidRequest",
  "SignError",
  "NoAuth",
  "NotFound",
  "FrequencyLimited",
  "SystemError",
  "ApiError",
  "VerificationError",
  "TransportError",
  "DecodeError"
])
const API_TAGS = new Set([
  "ParamError",
  "InvalidRequest",
  "SignError",
  "NoAuth",
  "NotFound",
  "FrequencyLimited",
  "SystemError",
  "ApiError"
])

/** What a case ended in, for the statistics: `Success`, an error tag (+ reason), or a violation. */
export interface Outcome {
  readonly label: string
  /** Why the case breaks an invariant, if it does. */
  readonly violation: string | undefined
}

/** The invariants (see the module comment). */
export const check = (
  testCase: HostileCase,
  observed: Observed,
  exit: Exit.Exit<unknown, unknown>
): Outcome => {
  const cap = CLIENTS[testCase.client]!.maxResponseBytes
  const ok = testCase.status >= 200 && testCase.status < 300
  const overCap = observed.size !== undefined && observed.size > cap
  if (Exit.isSuccess(exit)) {
    if (!ok) return { label: "Success", violation: `a ${testCase.status} answer succeeded` }
    if (!observed.verifiable) return { label: "Success", violation: "an answer that cannot verify succeeded" }
    if (overCap) return { label: "Success", violation: `a ${observed.size}-byte body over the cap succeeded` }
    return { label: "Success", violation: undefined }
  }
  const cause = exit.cause
  if (Cause.isDie(cause)) return { label: "Die", violation: `a defect: ${Cause.pretty(cause).slice(0, 2000)}` }
  if (Cause.isInterrupted(cause)) return { label: "Interrupt", violation: "interrupted" }
  const failure = Cause.failureOption(cause)
  if (failure._tag === "None") return { label: "Empty", violation: `no failure: ${Cause.pretty(cause)}` }
  const error = failure.value as { readonly _tag?: unknown; readonly reason?: unknown; readonly message?: unknown }
  const tag = String(error._tag)
  const label = tag === "VerificationError"
    ? `${tag}.${String(error.reason)}`
    : tag === "TransportError"
    ? `${tag}.${
      String(error.message).includes("maxResponseBytes")
        ? "overCap"
        : String(error.message).includes("timeout")
        ? "timeout"
        : "other"
    }`
    : tag
  if (!TYPED_TAGS.has(tag)) return { label, violation: `an untyped failure: ${tag}` }
  if (overCap && observed.size !== undefined) {
    if (tag !== "TransportError" || !String(error.message).includes("maxResponseBytes")) {
      return { label, violation: `a ${observed.size}-byte body over the ${cap}-byte cap ended in ${label}` }
    }
  }
  if (testCase.body._tag === "Endless" && observed.pulled > cap + 2 * testCase.body.chunk) {
    return { label, violation: `${observed.pulled} bytes of an endless body read past the ${cap}-byte cap` }
  }
  if (!ok && !observed.anySignatureHeader && !overCap && !observed.contentLengthTouched && !API_TAGS.has(tag)) {
    return { label, violation: `an unsigned ${testCase.status} ended in ${label}, not a typed API error` }
  }
  // ±298 s may cross the 300 s edge while a loaded machine gets from signing to verifying: either outcome is fine there
  const validRecord = testCase.kind === "valid" && testCase.status === 200 && observed.verifiable &&
    Math.abs(testCase.sign?.offset ?? 0) <= 200 && !observed.contentLengthTouched && !overCap
  if (validRecord) return { label, violation: `a correctly signed valid record failed with ${label}` }
  return { label, violation: undefined }
}

/** The query of a case: the id is the authorization code, which the fake reads back from the path. */
export const runCase = (
  harness: ReturnType<typeof makeHarness>,
  id: string,
  testCase: HostileCase
): Effect.Effect<Outcome, never, PayScorePermissions.PayScorePermissions> =>
  Effect.suspend(() => {
    const observed: Observed = {
      attempts: 0,
      pulled: 0,
      size: undefined,
      verifiable: false,
      anySignatureHeader: false,
      contentLengthTouched: false
    }
    harness.running.set(id, { testCase, observed })
    return PayScorePermissions.PayScorePermissions.pipe(
      Effect.flatMap((permissions) =>
        permissions.queryByAuthorizationCode({ authorization_code: id, service_id: "500001" })
      ),
      Effect.exit,
      Effect.map((exit) => check(testCase, observed, exit)),
      Effect.ensuring(Effect.sync(() => harness.running.delete(id)))
    )
  })

/** A short description of a case for a report (big values cut). */
export const describeCase = (testCase: HostileCase): string =>
  JSON.stringify(testCase, (_, value: unknown) => {
    if (value instanceof Uint8Array) {
      return `<${value.byteLength} bytes: ${Buffer.from(value.subarray(0, 64)).toString("hex")}…>`
    }
    if (typeof value === "string" && value.length > 200) return `${value.slice(0, 200)}…(${value.length} chars)`
    return value
  })

/** Builds the layers once (in the current scope) and returns, for each client, the services to run cases with. */
export const buildContexts = (harness: ReturnType<typeof makeHarness>) =>
  Effect.forEach(harness.layers, (layer) => Layer.build(layer))
