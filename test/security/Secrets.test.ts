/**
 * No secret ever leaves the library: every failure path (configuration, API errors, verification,
 * transport, decode, input) is run with Debug logging captured and retries on, then every rendering
 * of the error (String, JSON, message, stack, Cause.pretty) and every log line is scanned for private
 * key material, the APIv3 key and the Authorization header that was sent.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import { describe, expect, it } from "@effect/vitest"
import { Cause, ConfigProvider, Effect, Exit, Layer, Logger, LogLevel, Redacted } from "effect"
import { createPublicKey, generateKeyPairSync } from "node:crypto"
import { inspect } from "node:util"
import { KeyStore, PayScorePermissions, WechatPay } from "../../src/index.js"
import { FakeWechatPay, Fixtures } from "../../src/testing/index.js"

const APIV3_KEY = "a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb"

const ecPrivateKey = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({
  type: "pkcs8",
  format: "pem"
}) as string

// ---------------------------------------------------------------------------------------------
// The scanner
// ---------------------------------------------------------------------------------------------

const base64Body = (pem: string): string => pem.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, "")

const WINDOW = 40

interface Secret {
  readonly name: string
  /** Any of these substrings found is a leak. */
  readonly needles: ReadonlyArray<string>
}

/**
 * Public material: a private key holds its public half (modulus, exponent), so a window of it may
 * legitimately appear in a public key or a certificate. Those windows are not secrets.
 */
const publicMaterial: ReadonlyArray<string> = [
  Fixtures.merchantPublicKey,
  Fixtures.wechatpayPublicKey,
  Fixtures.platformCertificate1,
  Fixtures.platformCertificate2
].map(base64Body)

const derivedPublicForms = (pem: string): ReadonlyArray<string> => {
  const publicKey = createPublicKey(pem)
  return [
    publicKey.export({ type: "spki", format: "der" }).toString("base64"),
    ...(publicKey.asymmetricKeyType === "rsa"
      ? [publicKey.export({ type: "pkcs1", format: "der" }).toString("base64")]
      : [])
  ]
}

/** Every 40-character window of the base64 body of a private key, but those found in public material. */
const privateKeySecret = (name: string, pem: string): Secret => {
  const body = base64Body(pem)
  const publicTexts = [...publicMaterial, ...derivedPublicForms(pem)]
  const needles: Array<string> = []
  for (let i = 0; i + WINDOW <= body.length; i++) {
    const window = body.slice(i, i + WINDOW)
    if (!publicTexts.some((text) => text.includes(window))) needles.push(window)
  }
  // the private part (private exponent, primes, CRT values) is most of the key
  if (needles.length < body.length / 2) throw new Error(`${name}: too few private windows (${needles.length})`)
  return { name, needles }
}

const privateKeys: ReadonlyArray<Secret> = [
  privateKeySecret("merchantPrivateKeyPkcs8", Fixtures.merchantPrivateKeyPkcs8),
  privateKeySecret("merchantPrivateKeyPkcs1", Fixtures.merchantPrivateKeyPkcs1),
  privateKeySecret("wechatpayPrivateKey", Fixtures.wechatpayPrivateKey),
  privateKeySecret("platformPrivateKey1", Fixtures.platformPrivateKey1),
  privateKeySecret("ecPrivateKey", ecPrivateKey)
]

const apiV3Secret = (value: string = APIV3_KEY): Secret => ({ name: "apiV3Key", needles: [value, APIV3_KEY] })

/** The full Authorization header value, and its signature part on its own. */
const authorizationSecrets = (headers: ReadonlyArray<string>): ReadonlyArray<Secret> =>
  headers.flatMap((header, i) => {
    const signature = /signature="([^"]+)"/.exec(header)?.[1]
    if (signature === undefined) throw new Error(`not an Authorization header: ${header.slice(0, 30)}…`)
    return [
      { name: `Authorization header #${i}`, needles: [header] },
      { name: `Authorization signature #${i}`, needles: [signature] }
    ]
  })

/**
 * The forms a text is searched in: as is, without any whitespace (PEM line breaks), and with JSON
 * escapes undone (`\n`, `\"`, `\/`) then whitespace removed.
 */
const forms = (text: string): ReadonlyArray<string> => {
  const unescaped = text.replace(/\\r|\\n|\\t/g, "").replace(/\\"/g, '"').replace(/\\\//g, "/")
  return [text, text.replace(/\s+/g, ""), unescaped, unescaped.replace(/\s+/g, "")]
}

interface Leak {
  readonly secret: string
  readonly where: string
}

const scan = (
  texts: ReadonlyArray<readonly [where: string, text: string]>,
  secrets: ReadonlyArray<Secret>
): ReadonlyArray<Leak> => {
  const leaks: Array<Leak> = []
  for (const [where, text] of texts) {
    const haystacks = forms(text)
    for (const secret of secrets) {
      if (secret.needles.some((needle) => haystacks.some((haystack) => haystack.includes(needle)))) {
        leaks.push({ secret: secret.name, where })
      }
    }
  }
  return leaks
}

/** Every rendering of a failure: the error itself, and the Cause it came in. */
const renderings = (label: string, error: unknown, cause: Cause.Cause<unknown>) => {
  const e = error as { readonly message?: unknown; readonly stack?: unknown }
  const texts: Array<readonly [string, string]> = [
    [`${label}: String(e)`, String(error)],
    [`${label}: JSON.stringify(e)`, JSON.stringify(error) ?? ""],
    [`${label}: e.message`, String(e.message)],
    [`${label}: e.stack`, String(e.stack)],
    [`${label}: inspect(e)`, inspect(error, { depth: 10 })],
    [`${label}: Cause.pretty`, Cause.pretty(cause)],
    [`${label}: Cause.pretty(renderErrorCause)`, Cause.pretty(cause, { renderErrorCause: true })]
  ]
  return texts
}

// ---------------------------------------------------------------------------------------------
// Capturing logs
// ---------------------------------------------------------------------------------------------

/** A Debug-level logger that keeps every line in three formats (string, JSON, logfmt). */
const captureLogs = () => {
  const lines: Array<string> = []
  const logger = Logger.make<unknown, void>((options) => {
    lines.push(Logger.stringLogger.log(options))
    lines.push(Logger.jsonLogger.log(options))
    lines.push(Logger.logfmtLogger.log(options))
  })
  const layer = Layer.mergeAll(
    Logger.replace(Logger.defaultLogger, logger),
    Logger.minimumLogLevel(LogLevel.Debug)
  )
  return { lines, layer }
}

/**
 * Runs `effect` under the capturing logger; a failure is also logged the way an application would
 * (`Effect.logError` with the cause). Returns the failure and every rendering to scan.
 */
const runFailing = <A, E>(label: string, effect: Effect.Effect<A, E>) =>
  Effect.gen(function*() {
    const logs = captureLogs()
    const exit = yield* effect.pipe(
      Effect.tapErrorCause((cause) => Effect.logError(`${label} failed`, cause)),
      Effect.annotateLogs("operation", label),
      Effect.exit,
      Effect.provide(logs.layer)
    )
    if (Exit.isSuccess(exit)) throw new Error(`${label}: expected a failure, got a success`)
    const failure = Cause.failureOption(exit.cause)
    if (failure._tag === "None") throw new Error(`${label}: expected a typed failure, got ${Cause.pretty(exit.cause)}`)
    const texts = [
      ...renderings(label, failure.value, exit.cause),
      ...logs.lines.map((line, i) => [`${label}: log line ${i}`, line] as const)
    ]
    return { error: failure.value, texts, logLines: logs.lines }
  })

const expectNoLeak = (
  texts: ReadonlyArray<readonly [string, string]>,
  secrets: ReadonlyArray<Secret>
) => expect(scan(texts, secrets)).toEqual([])

// ---------------------------------------------------------------------------------------------
// Fixtures of the runs
// ---------------------------------------------------------------------------------------------

const baseOptions: WechatPay.Options = {
  mchid: Fixtures.mchid,
  merchantSerialNo: Fixtures.merchantSerialNo,
  merchantPrivateKey: Redacted.make(Fixtures.merchantPrivateKeyPkcs8),
  wechatpayPublicKey: { id: Fixtures.wechatpayPublicKeyId, pem: Fixtures.wechatpayPublicKey },
  apiV3Key: Redacted.make(APIV3_KEY),
  retries: 2,
  retryBaseDelay: "1 millis"
}

const record = {
  service_id: "500001",
  appid: "wxd678efh567hg6787",
  mchid: Fixtures.mchid,
  authorization_code: "1234323JKHDFE1243252",
  authorization_state: "AVAILABLE"
}

const queryWith = (params: { readonly authorization_code: string; readonly service_id: string }) =>
  Effect.gen(function*() {
    const permissions = yield* PayScorePermissions.PayScorePermissions
    return yield* permissions.queryByAuthorizationCode(params)
  })

const query = queryWith({ authorization_code: record.authorization_code, service_id: record.service_id })

/** A query against a fake WeChat Pay answering with `reply`; every Authorization header sent is kept. */
const againstFake = (reply: (request: FakeWechatPay.Received) => FakeWechatPay.Reply, options = baseOptions) => {
  const authorizations: Array<string> = []
  const fake = FakeWechatPay.layer((request) => {
    authorizations.push(request.headers["authorization"]!)
    return reply(request)
  })
  return { effect: query.pipe(Effect.provide(WechatPay.layer(options).pipe(Layer.provide(fake)))), authorizations }
}

const allSecrets = (authorizations: ReadonlyArray<string>) => [
  ...privateKeys,
  apiV3Secret(),
  ...authorizationSecrets(authorizations)
]

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

describe("the secret scanner", () => {
  it("finds each kind of secret, in plain, PEM-wrapped and JSON-escaped text, and nothing in clean text", () => {
    const header = `WECHATPAY2-SHA256-RSA2048 mchid="1900000001",nonce_str="N",signature="${
      "Zm9vYmFyYmF6cXV4".repeat(20)
    }==",timestamp="1",serial_no="AB"`
    const secrets = allSecrets([header])
    const body = base64Body(Fixtures.merchantPrivateKeyPkcs1)
    const found = (text: string) => scan([["sample", text]], secrets).map((leak) => leak.secret)
    expect(found(`the key is ${Fixtures.merchantPrivateKeyPkcs8}`)).toContain("merchantPrivateKeyPkcs8")
    expect(found(JSON.stringify({ key: Fixtures.merchantPrivateKeyPkcs1 }))).toContain("merchantPrivateKeyPkcs1")
    // one 40-character window from the middle of the body is enough
    expect(found(`...${body.slice(700, 740)}...`)).toEqual(["merchantPrivateKeyPkcs1"])
    // 39 characters are not
    expect(found(`...${body.slice(700, 739)}...`)).toEqual([])
    // a window broken over PEM lines is still found
    expect(found(`x ${body.slice(900, 930)}\n    ${body.slice(930, 950)} y`)).toEqual(["merchantPrivateKeyPkcs1"])
    expect(found(`bad key ${APIV3_KEY}!`)).toEqual(["apiV3Key"])
    expect(found(`headers: ${JSON.stringify({ authorization: header })}`)).toEqual([
      "Authorization header #0",
      "Authorization signature #0"
    ])
    expect(found(`sig=${/signature="([^"]+)"/.exec(header)![1]}`)).toEqual(["Authorization signature #0"])
    expect(found('merchantPrivateKey is not PEM: expected a "-----BEGIN PRIVATE KEY-----" line')).toEqual([])
    expect(found(Fixtures.merchantPublicKey + Fixtures.wechatpayPublicKey + Fixtures.platformCertificate1)).toEqual([])
  })

  it.live("runFailing captures Debug log lines and the renderings that are scanned", () =>
    Effect.gen(function*() {
      const { logLines, texts } = yield* runFailing(
        "sample",
        Effect.logDebug("debug line", { secret: "x" }).pipe(
          Effect.zipRight(Effect.fail(new Error(`oops ${APIV3_KEY}`)))
        )
      )
      expect(logLines.some((line) => line.includes("debug line"))).toBe(true)
      expect(logLines.some((line) => line.includes("sample failed"))).toBe(true)
      const leaks = scan(texts, [apiV3Secret()])
      for (const where of ["String(e)", "e.message", "e.stack", "Cause.pretty", "log line"]) {
        expect(leaks.some((leak) => leak.where.includes(where)), where).toBe(true)
      }
    }))
})

describe("no secret in errors or logs", () => {
  it.live("InvalidConfig of every key problem carries no key material and no APIv3 key", () =>
    Effect.gen(function*() {
      const pkcs8 = Fixtures.merchantPrivateKeyPkcs8
      const body = base64Body(pkcs8)
      const lines = pkcs8.split("\n")
      const cases: ReadonlyArray<readonly [string, Partial<WechatPay.Options>]> = [
        ["armour stripped", { merchantPrivateKey: Redacted.make(lines.slice(1, -1).join("\n")) }],
        ["armour stripped, one line", { merchantPrivateKey: Redacted.make(body) }],
        ["truncated base64", {
          merchantPrivateKey: Redacted.make([...lines.slice(0, 10), "MIIEv", lines.at(-1)!].join("\n"))
        }],
        ["truncated, valid base64", {
          merchantPrivateKey: Redacted.make([...lines.slice(0, 10), lines.at(-1)!].join("\n"))
        }],
        ["END line missing", { merchantPrivateKey: Redacted.make(lines.slice(0, -1).join("\n")) }],
        ["stray character", {
          merchantPrivateKey: Redacted.make(pkcs8.replace(lines[3]!, `${lines[3]!.slice(0, 10)}*`))
        }],
        ["unknown label", { merchantPrivateKey: pkcs8.replace(/PRIVATE KEY/g, "OPENSSH PRIVATE KEY") }],
        ["encrypted label", { merchantPrivateKey: pkcs8.replace(/PRIVATE KEY/g, "ENCRYPTED PRIVATE KEY") }],
        ["plain string, PKCS#1 relabelled PKCS#8", {
          merchantPrivateKey: Fixtures.merchantPrivateKeyPkcs1.replace(/RSA PRIVATE KEY/g, "PRIVATE KEY")
        }],
        ["EC key", { merchantPrivateKey: Redacted.make(ecPrivateKey) }],
        ["merchant private key as wechatpayPublicKey.pem", {
          wechatpayPublicKey: { id: Fixtures.wechatpayPublicKeyId, pem: pkcs8 }
        }],
        ["PKCS#1 private key as wechatpayPublicKey.pem", {
          wechatpayPublicKey: { id: Fixtures.wechatpayPublicKeyId, pem: Fixtures.merchantPrivateKeyPkcs1 }
        }],
        ["private key as platform certificate", { platformCertificates: [Fixtures.platformCertificate1, pkcs8] }],
        ["private key relabelled CERTIFICATE", {
          platformCertificates: [pkcs8.replace(/PRIVATE KEY/g, "CERTIFICATE")]
        }],
        ["APIv3 key of 16 bytes", { apiV3Key: Redacted.make(APIV3_KEY.slice(0, 16)) }],
        ["APIv3 key of 31 bytes", { apiV3Key: Redacted.make(APIV3_KEY.slice(0, 31)) }],
        ["APIv3 key of 33 bytes", { apiV3Key: Redacted.make(`${APIV3_KEY}X`) }],
        ["APIv3 key of 34 bytes", { apiV3Key: `${APIV3_KEY}XY` }],
        ["APIv3 key + trailing space", { apiV3Key: Redacted.make(`${APIV3_KEY} `) }],
        ["no verifier", { wechatpayPublicKey: undefined }]
      ]
      for (const [label, patch] of cases) {
        const options = { ...baseOptions, ...patch } as WechatPay.Options
        const apiV3Value = options.apiV3Key === undefined
          ? APIV3_KEY
          : Redacted.isRedacted(options.apiV3Key)
          ? Redacted.value(options.apiV3Key)
          : options.apiV3Key
        // through KeyStore.make, and through the whole layer
        const direct = yield* runFailing(label, KeyStore.make(options))
        expect((direct.error as { _tag: string })._tag, label).toBe("InvalidConfig")
        expectNoLeak(direct.texts, [...privateKeys, apiV3Secret(apiV3Value.slice(0, 16))])
        const layered = yield* runFailing(
          label,
          WechatPay.layer(options).pipe(
            Layer.provide(FakeWechatPay.layer(() => ({ body: record }))),
            Layer.build,
            Effect.scoped
          )
        )
        expect((layered.error as { _tag: string })._tag, label).toBe("InvalidConfig")
        expectNoLeak(layered.texts, [...privateKeys, apiV3Secret(apiV3Value.slice(0, 16))])
      }
    }))

  it.live("InvalidConfig from the environment (layerConfig) carries no key material and no APIv3 key", () =>
    Effect.gen(function*() {
      const env = (entries: ReadonlyArray<readonly [string, string]>) =>
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map(entries)))
      const required: ReadonlyArray<readonly [string, string]> = [
        ["WECHATPAY_MCHID", Fixtures.mchid],
        ["WECHATPAY_MERCHANT_SERIAL_NO", Fixtures.merchantSerialNo],
        ["WECHATPAY_PUBLIC_KEY_ID", Fixtures.wechatpayPublicKeyId]
      ]
      const cases: ReadonlyArray<readonly [string, ReadonlyArray<readonly [string, string]>]> = [
        ["armour stripped", [
          ...required,
          ["WECHATPAY_MERCHANT_PRIVATE_KEY", base64Body(Fixtures.merchantPrivateKeyPkcs8)],
          ["WECHATPAY_PUBLIC_KEY", Fixtures.wechatpayPublicKey]
        ]],
        ["private key as public key", [
          ...required,
          ["WECHATPAY_MERCHANT_PRIVATE_KEY", Fixtures.merchantPrivateKeyPkcs8],
          ["WECHATPAY_PUBLIC_KEY", Fixtures.merchantPrivateKeyPkcs1]
        ]],
        ["APIv3 key + space", [
          ...required,
          ["WECHATPAY_MERCHANT_PRIVATE_KEY", Fixtures.merchantPrivateKeyPkcs8],
          ["WECHATPAY_PUBLIC_KEY", Fixtures.wechatpayPublicKey],
          ["WECHATPAY_APIV3_KEY", `${APIV3_KEY} `]
        ]],
        ["no public key id", [
          ["WECHATPAY_MCHID", Fixtures.mchid],
          ["WECHATPAY_MERCHANT_SERIAL_NO", Fixtures.merchantSerialNo],
          ["WECHATPAY_MERCHANT_PRIVATE_KEY", Fixtures.merchantPrivateKeyPkcs8],
          ["WECHATPAY_PUBLIC_KEY", Fixtures.wechatpayPublicKey],
          ["WECHATPAY_APIV3_KEY", APIV3_KEY],
          ["WECHATPAY_RETRIES", "many"]
        ]]
      ]
      for (const [label, entries] of cases) {
        const { error, texts } = yield* runFailing(
          label,
          WechatPay.layerConfig().pipe(
            Layer.provide(FakeWechatPay.layer(() => ({ body: record }))),
            Layer.build,
            Effect.scoped,
            env(entries)
          )
        )
        expect((error as { _tag: string })._tag, label).toBe("InvalidConfig")
        expectNoLeak(texts, [...privateKeys, apiV3Secret()])
      }
    }))

  it.live("a 401 SIGN_ERROR answer: SignError carries neither keys nor the Authorization header", () =>
    Effect.gen(function*() {
      const { authorizations, effect } = againstFake((request) => ({
        status: 401,
        body: {
          code: "SIGN_ERROR",
          message: "错误的签名，验签失败",
          detail: {
            detail: { issue: "sign not match" },
            field: "signature",
            location: "authorization",
            sign_information: {
              method: request.method,
              sign_message_length: 120,
              truncated_sign_message: `${request.method}\n${request.url.pathname}${request.url.search}\n`,
              url: `${request.url.pathname}${request.url.search}`
            }
          }
        },
        // gateways answer 401 without signature headers
        signWith: false
      }))
      const { error, texts } = yield* runFailing("SIGN_ERROR", effect)
      expect((error as { _tag: string })._tag).toBe("SignError")
      expect(authorizations).toHaveLength(1)
      expectNoLeak(texts, allSecrets(authorizations))
    }))

  it.live("5xx and 429 answers retried (Debug retry log lines) carry no secret", () =>
    Effect.gen(function*() {
      for (const [status, tag] of [[503, "SystemError"], [429, "FrequencyLimited"]] as const) {
        const { authorizations, effect } = againstFake(() => ({
          status,
          body: { code: status === 429 ? "FREQUENCY_LIMITED" : "SYSTEM_ERROR", message: "busy" }
        }))
        const { error, logLines, texts } = yield* runFailing(tag, effect)
        expect((error as { _tag: string })._tag).toBe(tag)
        // 1 attempt + 2 retries, each signed with a fresh nonce, each logged at Debug
        expect(authorizations).toHaveLength(3)
        expect(new Set(authorizations).size).toBe(3)
        expect(logLines.filter((line) => line.includes("transient failure")).length).toBeGreaterThanOrEqual(3)
        expectNoLeak(texts, allSecrets(authorizations))
      }
    }))

  it.live("a VerificationError (answer signed by a stranger) carries no secret", () =>
    Effect.gen(function*() {
      const { authorizations, effect } = againstFake(() => ({ body: record, signWith: FakeWechatPay.keys.stranger }))
      const { error, texts } = yield* runFailing("VerificationError", effect)
      expect((error as { _tag: string; reason: string }).reason).toBe("BadSignature")
      expectNoLeak(texts, allSecrets(authorizations))
    }))

  it.live("a TransportError whose underlying error message holds the request headers carries no secret", () =>
    Effect.gen(function*() {
      const authorizations: Array<string> = []
      const failing = Layer.succeed(
        HttpClient.HttpClient,
        HttpClient.make((request) => {
          authorizations.push(request.headers["authorization"]!)
          const headerLines = Object.entries(request.headers).map(([name, value]) => `${name}: ${value}`).join("\n")
          return Effect.fail(
            new HttpClientError.RequestError({
              request,
              reason: "Transport",
              cause: new Error(
                `connect ECONNREFUSED 127.0.0.1:443 while sending ${request.method} ${request.url}\n${headerLines}\n${
                  JSON.stringify(request.headers)
                }`
              )
            })
          )
        })
      )
      const { error, logLines, texts } = yield* runFailing(
        "TransportError",
        query.pipe(Effect.provide(WechatPay.layer(baseOptions).pipe(Layer.provide(failing))))
      )
      expect((error as { _tag: string })._tag).toBe("TransportError")
      // the useful part of the cause is kept
      expect((error as { message: string }).message).toContain("ECONNREFUSED")
      expect(authorizations).toHaveLength(3)
      expect(logLines.filter((line) => line.includes("transient failure")).length).toBeGreaterThanOrEqual(3)
      expectNoLeak(texts, allSecrets(authorizations))
    }))

  it.live("a DecodeError (verified answer of the wrong shape) carries no secret", () =>
    Effect.gen(function*() {
      const { authorizations, effect } = againstFake(() => ({ body: { unexpected: true, mchid: 1 } }))
      const { error, texts } = yield* runFailing("DecodeError", effect)
      expect((error as { _tag: string })._tag).toBe("DecodeError")
      expect(authorizations).toHaveLength(1)
      expectNoLeak(texts, allSecrets(authorizations))
    }))

  it.live("an InvalidInput carries no secret and nothing is sent", () =>
    Effect.gen(function*() {
      const authorizations: Array<string> = []
      const fake = FakeWechatPay.layer((request) => {
        authorizations.push(request.headers["authorization"]!)
        return { body: record }
      })
      const { error, texts } = yield* runFailing(
        "InvalidInput",
        queryWith({ authorization_code: "../../v3/certificates", service_id: "500001" }).pipe(
          Effect.provide(WechatPay.layer(baseOptions).pipe(Layer.provide(fake)))
        )
      )
      expect((error as { _tag: string })._tag).toBe("InvalidInput")
      expect(authorizations).toEqual([])
      expectNoLeak(texts, [...privateKeys, apiV3Secret()])
    }))

  it.effect("options with Redacted secrets, and the KeyStore, serialise without them", () =>
    Effect.gen(function*() {
      const options: WechatPay.Options = {
        ...baseOptions,
        merchantPrivateKey: Redacted.make(Fixtures.merchantPrivateKeyPkcs1)
      }
      const texts: Array<readonly [string, string]> = [
        ["JSON.stringify(options)", JSON.stringify(options)],
        ["String(options)", String(options)],
        ["inspect(options)", inspect(options, { depth: 10 })]
      ]
      const keyStore = yield* KeyStore.make(options)
      texts.push(["JSON.stringify(keyStore)", JSON.stringify(keyStore)], ["inspect(keyStore)", inspect(keyStore)])
      // and the options read from the environment
      const fromEnv = yield* WechatPay.options().pipe(
        Effect.withConfigProvider(ConfigProvider.fromMap(
          new Map([
            ["WECHATPAY_MCHID", Fixtures.mchid],
            ["WECHATPAY_MERCHANT_SERIAL_NO", Fixtures.merchantSerialNo],
            ["WECHATPAY_MERCHANT_PRIVATE_KEY", Fixtures.merchantPrivateKeyPkcs8],
            ["WECHATPAY_PUBLIC_KEY_ID", Fixtures.wechatpayPublicKeyId],
            ["WECHATPAY_PUBLIC_KEY", Fixtures.wechatpayPublicKey],
            ["WECHATPAY_APIV3_KEY", APIV3_KEY]
          ])
        ))
      )
      texts.push(["JSON.stringify(WechatPay.options())", JSON.stringify(fromEnv)], [
        "inspect(WechatPay.options())",
        inspect(fromEnv, { depth: 10 })
      ])
      expectNoLeak(texts, [...privateKeys, apiV3Secret()])
      // not vacuous: the same object with the values revealed does leak
      const revealed = { ...options, merchantPrivateKey: Fixtures.merchantPrivateKeyPkcs1, apiV3Key: APIV3_KEY }
      expect(scan([["revealed", JSON.stringify(revealed)]], [...privateKeys, apiV3Secret()]).map((l) => l.secret))
        .toEqual(["merchantPrivateKeyPkcs1", "apiV3Key"])
    }))
})
