/**
 * WechatPay.options() / WechatPay.layerConfig(): the environment variables (inline and `_FILE`),
 * parsed durations and retries, errors naming the variable, and the contract defaults.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Duration, Effect, FileSystem, Layer, PlatformError, Redacted } from "effect"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { VERSION } from "../../../src/core/version.js"
import { KeyStore, PayScorePermissions, WechatPay, WechatPayClient, WechatPayError } from "../../src/index.js"
import { FakeWechatPay, Fixtures } from "../../src/testing/index.js"

const APIV3_KEY = "a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb"

let dir = ""
const files = { privateKey: "", publicKey: "", certificates: "", missing: "" }

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "effect-wechatpay-config-"))
  files.privateKey = join(dir, "apiclient_key.pem")
  files.publicKey = join(dir, "pub_key.pem")
  files.certificates = join(dir, "platform_certificates.pem")
  files.missing = join(dir, "does-not-exist.pem")
  writeFileSync(files.privateKey, `${Fixtures.merchantPrivateKeyPkcs1}\n`)
  writeFileSync(files.publicKey, `${Fixtures.wechatpayPublicKey}\r\n`)
  // two certificates in one file, separated the way `cat a.pem b.pem` does
  writeFileSync(files.certificates, `${Fixtures.platformCertificate1}\n${Fixtures.platformCertificate2}\n`)
})

afterAll(() => {
  if (dir !== "") rmSync(dir, { recursive: true, force: true })
})

const required = (): Array<[string, string]> => [
  ["WECHATPAY_MCHID", Fixtures.mchid],
  ["WECHATPAY_MERCHANT_SERIAL_NO", Fixtures.merchantSerialNo],
  ["WECHATPAY_MERCHANT_PRIVATE_KEY", Fixtures.merchantPrivateKeyPkcs8],
  ["WECHATPAY_PUBLIC_KEY_ID", Fixtures.wechatpayPublicKeyId],
  ["WECHATPAY_PUBLIC_KEY", Fixtures.wechatpayPublicKey]
]

/** Runs `effect` with exactly these environment variables. */
const withEnv = (entries: ReadonlyArray<readonly [string, string]>) =>
  Effect.provideService(ConfigProvider.ConfigProvider, ConfigProvider.fromEnv({ env: Object.fromEntries(entries) }))

const without = (entries: ReadonlyArray<[string, string]>, ...names: ReadonlyArray<string>) =>
  entries.filter(([name]) => !names.includes(name))

const record = {
  service_id: "500001",
  appid: "wxd678efh567hg6787",
  mchid: Fixtures.mchid,
  authorization_code: "1234323JKHDFE1243252",
  authorization_state: "AVAILABLE"
}

const query = Effect.gen(function*() {
  const permissions = yield* PayScorePermissions.PayScorePermissions
  return yield* permissions.queryByAuthorizationCode({
    authorization_code: record.authorization_code,
    service_id: record.service_id
  })
})

/** Builds `WechatPay.layerConfig()` over a fake, under `entries`; fails with its InvalidConfig. */
const buildFromEnv = (
  entries: ReadonlyArray<readonly [string, string]>,
  handler: Parameters<typeof FakeWechatPay.layer>[0] = () => ({ body: record })
) =>
  WechatPay.layerConfig().pipe(
    Layer.provide(FakeWechatPay.layer(handler)),
    Layer.build,
    Effect.scoped,
    withEnv(entries)
  )

describe("WechatPay.options() reads the environment", () => {
  it.effect("every variable, inline: ids, secrets as Redacted, durations and retries parsed", () =>
    Effect.gen(function*() {
      const options = yield* WechatPay.options().pipe(withEnv([
        ...required(),
        ["WECHATPAY_APIV3_KEY", APIV3_KEY],
        ["WECHATPAY_BASE_URL", "http://127.0.0.1:9/"],
        ["WECHATPAY_TIMEOUT", "5 seconds"],
        ["WECHATPAY_RETRIES", "3"],
        ["WECHATPAY_MAX_CLOCK_SKEW", "2 minutes"],
        ["WECHATPAY_USER_AGENT", "my-shop/1.0"]
      ]))
      expect(options.mchid).toBe(Fixtures.mchid)
      expect(options.merchantSerialNo).toBe(Fixtures.merchantSerialNo)
      expect(Redacted.isRedacted(options.merchantPrivateKey)).toBe(true)
      expect(Redacted.value(options.merchantPrivateKey as Redacted.Redacted<string>)).toBe(
        Fixtures.merchantPrivateKeyPkcs8
      )
      expect(options.wechatpayPublicKey).toEqual({
        id: Fixtures.wechatpayPublicKeyId,
        pem: Fixtures.wechatpayPublicKey
      })
      expect(options.platformCertificates).toBeUndefined()
      expect(Redacted.isRedacted(options.apiV3Key)).toBe(true)
      expect(Redacted.value(options.apiV3Key as Redacted.Redacted<string>)).toBe(APIV3_KEY)
      expect(options.baseUrl).toBe("http://127.0.0.1:9/")
      expect(Duration.toMillis(Duration.fromInputUnsafe(options.timeout!))).toBe(5_000)
      expect(options.retries).toBe(3)
      expect(Duration.toMillis(Duration.fromInputUnsafe(options.maxClockSkew!))).toBe(120_000)
      expect(options.userAgent).toBe("my-shop/1.0")
    }))

  it.effect("only the required variables: the optional options stay absent", () =>
    Effect.gen(function*() {
      const options = yield* WechatPay.options().pipe(withEnv(required()))
      for (const key of ["apiV3Key", "baseUrl", "timeout", "retries", "maxClockSkew", "userAgent"] as const) {
        expect(options[key], key).toBeUndefined()
      }
    }))

  it.effect("the _FILE variants: private key, public key, and a PLATFORM_CERTIFICATES_FILE with two certificates", () =>
    Effect.gen(function*() {
      const options = yield* WechatPay.options().pipe(withEnv([
        ["WECHATPAY_MCHID", Fixtures.mchid],
        ["WECHATPAY_MERCHANT_SERIAL_NO", Fixtures.merchantSerialNo],
        ["WECHATPAY_MERCHANT_PRIVATE_KEY_FILE", files.privateKey],
        ["WECHATPAY_PUBLIC_KEY_ID", Fixtures.wechatpayPublicKeyId],
        ["WECHATPAY_PUBLIC_KEY_FILE", files.publicKey],
        ["WECHATPAY_PLATFORM_CERTIFICATES_FILE", files.certificates]
      ]))
      expect(Redacted.isRedacted(options.merchantPrivateKey)).toBe(true)
      expect(Redacted.value(options.merchantPrivateKey as Redacted.Redacted<string>)).toBe(
        readFileSync(files.privateKey, "utf8")
      )
      expect(options.wechatpayPublicKey?.id).toBe(Fixtures.wechatpayPublicKeyId)
      expect(options.wechatpayPublicKey?.pem).toBe(readFileSync(files.publicKey, "utf8"))
      expect(options.platformCertificates).toEqual([Fixtures.platformCertificate1, Fixtures.platformCertificate2])
      // and those options make a working KeyStore with all three verifiers
      const keyStore = yield* KeyStore.make(options)
      expect([...keyStore.serials].sort()).toEqual(
        [Fixtures.wechatpayPublicKeyId, Fixtures.platformSerialNo1, Fixtures.platformSerialNo2].sort()
      )
      expect(keyStore.wechatpaySerial).toBe(Fixtures.wechatpayPublicKeyId)
    }))

  it.effect("an inline value wins over its _FILE variant", () =>
    Effect.gen(function*() {
      const options = yield* WechatPay.options().pipe(withEnv([
        ...required(),
        ["WECHATPAY_MERCHANT_PRIVATE_KEY_FILE", files.missing]
      ]))
      expect(Redacted.value(options.merchantPrivateKey as Redacted.Redacted<string>)).toBe(
        Fixtures.merchantPrivateKeyPkcs8
      )
    }))

  it.effect("a custom prefix reads <PREFIX>_… variables", () =>
    Effect.gen(function*() {
      const entries = required().map(([name, value]) => [name.replace(/^WECHATPAY_/, "SHOP2_"), value] as const)
      const options = yield* WechatPay.options("SHOP2").pipe(withEnv(entries))
      expect(options.mchid).toBe(Fixtures.mchid)
      const error = yield* Effect.flip(WechatPay.options().pipe(withEnv(entries)))
      expect(error.option).toBe("WECHATPAY_MCHID")
    }))

  it.effect("a missing WECHATPAY_MCHID gives InvalidConfig naming WECHATPAY_MCHID", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(WechatPay.options().pipe(withEnv(without(required(), "WECHATPAY_MCHID"))))
      expect(error).toBeInstanceOf(WechatPayError.InvalidConfig)
      expect(error.option).toBe("WECHATPAY_MCHID")
      expect(error.message).toMatch(/^missing WECHATPAY_MCHID/)
      const layerError = yield* Effect.flip(buildFromEnv(without(required(), "WECHATPAY_MCHID")))
      expect(layerError.option).toBe("WECHATPAY_MCHID")
    }))

  it.effect("a missing private key, or a public key without its id, names the variable", () =>
    Effect.gen(function*() {
      const noKey = yield* Effect.flip(
        WechatPay.options().pipe(withEnv(without(required(), "WECHATPAY_MERCHANT_PRIVATE_KEY")))
      )
      expect(noKey.option).toBe("WECHATPAY_MERCHANT_PRIVATE_KEY")
      expect(noKey.message).toContain("WECHATPAY_MERCHANT_PRIVATE_KEY_FILE")
      const noId = yield* Effect.flip(WechatPay.options().pipe(withEnv(without(required(), "WECHATPAY_PUBLIC_KEY_ID"))))
      expect(noId.option).toBe("WECHATPAY_PUBLIC_KEY_ID")
    }))

  it.effect("unparseable durations and retries name their variable", () =>
    Effect.gen(function*() {
      for (
        const [name, value] of [
          ["WECHATPAY_TIMEOUT", "soon"],
          ["WECHATPAY_RETRIES", "two"],
          ["WECHATPAY_MAX_CLOCK_SKEW", "5 parsecs"]
        ] as const
      ) {
        const error = yield* Effect.flip(WechatPay.options().pipe(withEnv([...required(), [name, value]])))
        expect(error._tag).toBe("InvalidConfig")
        expect(error.option, name).toBe(name)
        // "invalid WECHATPAY_TIMEOUT: …", without the ConfigError's parentheses
        expect(error.message, name).toMatch(new RegExp(`^invalid ${name}: .*${value}`))
        expect(error.message.split("(").length, name).toBe(error.message.split(")").length)
      }
    }))

  it.effect("a missing _FILE path names the _FILE variable", () =>
    Effect.gen(function*() {
      for (const name of ["WECHATPAY_MERCHANT_PRIVATE_KEY_FILE", "WECHATPAY_PUBLIC_KEY_FILE"]) {
        const inline = name.replace(/_FILE$/, "")
        const error = yield* Effect.flip(
          WechatPay.options().pipe(withEnv([...without(required(), inline), [name, files.missing]]))
        )
        expect(error).toBeInstanceOf(WechatPayError.InvalidConfig)
        expect(error.option, name).toBe(name)
        expect(error.message, name).toContain(name)
        expect(error.message, name).toContain("ENOENT")
      }
      const certificates = yield* Effect.flip(
        WechatPay.options().pipe(withEnv([...required(), ["WECHATPAY_PLATFORM_CERTIFICATES_FILE", files.missing]]))
      )
      expect(certificates.option).toBe("WECHATPAY_PLATFORM_CERTIFICATES_FILE")
      expect(certificates.message).toContain("ENOENT")
    }))
})

describe("WechatPay.layerConfig()", () => {
  it.effect("builds from _FILE variables and answers a real query; Wechatpay-Serial is the public key id", () =>
    Effect.gen(function*() {
      const received: Array<FakeWechatPay.Received> = []
      const fake = FakeWechatPay.layer((request) => {
        received.push(request)
        return { body: record, signWith: FakeWechatPay.keys.platform2 }
      })
      const answer = yield* query.pipe(
        Effect.provide(WechatPay.layerConfig().pipe(Layer.provide(fake))),
        withEnv([
          ["WECHATPAY_MCHID", Fixtures.mchid],
          ["WECHATPAY_MERCHANT_SERIAL_NO", Fixtures.merchantSerialNo],
          ["WECHATPAY_MERCHANT_PRIVATE_KEY_FILE", files.privateKey],
          ["WECHATPAY_PUBLIC_KEY_ID", Fixtures.wechatpayPublicKeyId],
          ["WECHATPAY_PUBLIC_KEY_FILE", files.publicKey],
          ["WECHATPAY_PLATFORM_CERTIFICATES_FILE", files.certificates],
          ["WECHATPAY_APIV3_KEY", APIV3_KEY],
          ["WECHATPAY_BASE_URL", "https://api2.mch.weixin.qq.com"],
          ["WECHATPAY_USER_AGENT", "my-shop/1.0"]
        ])
      )
      expect(answer._tag).toBe("Available")
      expect(received).toHaveLength(1)
      expect(received[0]!.url.origin).toBe("https://api2.mch.weixin.qq.com")
      expect(received[0]!.headers["user-agent"]).toBe("my-shop/1.0")
      expect(received[0]!.headers["wechatpay-serial"]).toBe(Fixtures.wechatpayPublicKeyId)
      expect(received[0]!.headers["authorization"]).toMatch(
        new RegExp(`^WECHATPAY2-SHA256-RSA2048 .*serial_no="${Fixtures.merchantSerialNo}"`)
      )
    }))

  it.effect("with only PLATFORM_CERTIFICATES_FILE, both certificates are trusted", () =>
    Effect.gen(function*() {
      const entries: ReadonlyArray<readonly [string, string]> = [
        ...without(required(), "WECHATPAY_PUBLIC_KEY", "WECHATPAY_PUBLIC_KEY_ID"),
        ["WECHATPAY_PLATFORM_CERTIFICATES_FILE", files.certificates]
      ]
      for (const key of [FakeWechatPay.keys.platform1, FakeWechatPay.keys.platform2]) {
        const fake = FakeWechatPay.layer(() => ({ body: record, signWith: key }))
        const answer = yield* query.pipe(
          Effect.provide(WechatPay.layerConfig().pipe(Layer.provide(fake))),
          withEnv(entries)
        )
        expect(answer._tag, key.serial).toBe("Available")
      }
    }))

  it.effect("a bad APIv3 key gives InvalidConfig naming WECHATPAY_APIV3_KEY", () =>
    Effect.gen(function*() {
      for (const value of [APIV3_KEY.slice(0, 16), `${APIV3_KEY} `, `${APIV3_KEY}XY`]) {
        const error = yield* Effect.flip(buildFromEnv([...required(), ["WECHATPAY_APIV3_KEY", value]]))
        expect(error).toBeInstanceOf(WechatPayError.InvalidConfig)
        expect(error.option).toBe("WECHATPAY_APIV3_KEY")
        expect(error.message).toContain("WECHATPAY_APIV3_KEY")
        expect(error.message).toContain("32 bytes")
      }
    }))

  it.effect("option errors of the layer name the variable: private key, public key, base URL, certificates", () =>
    Effect.gen(function*() {
      const cases: ReadonlyArray<readonly [ReadonlyArray<readonly [string, string]>, string]> = [
        [
          [...without(required(), "WECHATPAY_MERCHANT_PRIVATE_KEY"), ["WECHATPAY_MERCHANT_PRIVATE_KEY", "x"]],
          "WECHATPAY_MERCHANT_PRIVATE_KEY"
        ],
        [[...without(required(), "WECHATPAY_PUBLIC_KEY"), ["WECHATPAY_PUBLIC_KEY", "x"]], "WECHATPAY_PUBLIC_KEY"],
        [[...required(), ["WECHATPAY_BASE_URL", "ftp://x"]], "WECHATPAY_BASE_URL"],
        [
          [...without(required(), "WECHATPAY_MERCHANT_SERIAL_NO"), ["WECHATPAY_MERCHANT_SERIAL_NO", "nothex"]],
          "WECHATPAY_MERCHANT_SERIAL_NO"
        ],
        [
          [...required(), ["WECHATPAY_PLATFORM_CERTIFICATES_FILE", files.privateKey]],
          "WECHATPAY_PLATFORM_CERTIFICATES_FILE"
        ],
        [[...required(), ["WECHATPAY_RETRIES", "-1"]], "WECHATPAY_RETRIES"]
      ]
      for (const [entries, option] of cases) {
        const error = yield* Effect.flip(buildFromEnv(entries))
        expect(error._tag, option).toBe("InvalidConfig")
        expect(error.option, option).toBe(option)
        expect(error.message, option).toContain(option)
      }
    }))

  it.live("WECHATPAY_RETRIES and WECHATPAY_TIMEOUT are applied", () =>
    Effect.gen(function*() {
      let attempts = 0
      const failing = FakeWechatPay.layer(() => {
        attempts++
        return { status: 503, body: { code: "SYSTEM_ERROR", message: "busy" } }
      })
      const error = yield* query.pipe(
        Effect.provide(WechatPay.layerConfig().pipe(Layer.provide(failing))),
        withEnv([...required(), ["WECHATPAY_RETRIES", "1"]]),
        Effect.flip
      )
      expect(error._tag).toBe("SystemError")
      expect(attempts).toBe(2)

      const hanging = FakeWechatPay.layer(() => Effect.never)
      const started = Date.now()
      const timeout = yield* query.pipe(
        Effect.provide(WechatPay.layerConfig().pipe(Layer.provide(hanging))),
        withEnv([...required(), ["WECHATPAY_RETRIES", "0"], ["WECHATPAY_TIMEOUT", "50 millis"]]),
        Effect.flip
      )
      expect(timeout._tag).toBe("TransportError")
      expect(timeout.message).toMatch(/timeout/)
      expect(Date.now() - started).toBeLessThan(5_000)
    }))
})

describe("WechatPay contract defaults", () => {
  it("WechatPay.defaults are the documented ones", () => {
    expect(WechatPay.defaults.baseUrl).toBe("https://api.mch.weixin.qq.com")
    expect(Duration.toMillis(WechatPay.defaults.timeout)).toBe(10_000)
    expect(WechatPay.defaults.retries).toBe(2)
    expect(Duration.toMillis(WechatPay.defaults.maxClockSkew)).toBe(5 * 60 * 1000)
    expect(WechatPay.defaults.userAgent.startsWith("effect-wechatpay/")).toBe(true)
    expect(WechatPay.defaults.userAgent.startsWith(`effect-wechatpay/${VERSION} `)).toBe(true)
    expect(WechatPayClient.DEFAULT_USER_AGENT).toBe(WechatPay.defaults.userAgent)
  })

  it("VERSION equals package.json's version", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as {
      version: string
    }
    expect(VERSION).toBe(pkg.version)
  })

  it.effect("the defaults are what a request uses: base URL and User-Agent", () =>
    Effect.gen(function*() {
      const received: Array<FakeWechatPay.Received> = []
      const fake = FakeWechatPay.layer((request) => {
        received.push(request)
        return { body: record }
      })
      yield* query.pipe(Effect.provide(WechatPay.layerConfig().pipe(Layer.provide(fake))), withEnv(required()))
      expect(received[0]!.url.origin).toBe(WechatPay.defaults.baseUrl)
      expect(received[0]!.headers["user-agent"]).toBe(WechatPay.defaults.userAgent)
      expect(received[0]!.headers["accept"]).toBe("application/json")
    }))
})

const OPTION_NAMES = /\b(mchid|merchantSerialNo|merchantPrivateKey|wechatpayPublicKey|platformCertificates|apiV3Key)\b/

const balanced = (message: string) => message.split("(").length === message.split(")").length

describe("WechatPay.options(): every problem of the environment at once, by variable", () => {
  it.effect("nothing set: every required variable is listed, by its variable name only", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(WechatPay.options().pipe(withEnv([])))
      expect(error).toBeInstanceOf(WechatPayError.InvalidConfig)
      expect(error.option).toBe("WECHATPAY_MCHID")
      const parts = error.message.split("; ")
      expect(parts[0]).toBe("missing WECHATPAY_MCHID")
      expect(parts[1]).toBe("missing WECHATPAY_MERCHANT_SERIAL_NO")
      expect(parts[2]).toBe("WECHATPAY_MERCHANT_PRIVATE_KEY or WECHATPAY_MERCHANT_PRIVATE_KEY_FILE is required")
      expect(parts[3]).toMatch(
        /^one of WECHATPAY_PUBLIC_KEY_ID with WECHATPAY_PUBLIC_KEY \(or WECHATPAY_PUBLIC_KEY_FILE\), WECHATPAY_PLATFORM_CERTIFICATES_FILE or WECHATPAY_APIV3_KEY/
      )
      expect(parts).toHaveLength(4)
      expect(error.message).not.toMatch(OPTION_NAMES)
      expect(balanced(error.message)).toBe(true)
      // the layer reports the same, before anything is sent
      const layerError = yield* Effect.flip(buildFromEnv([]))
      expect(layerError.message).toBe(error.message)
    }))

  it.effect("missing, unparseable and unreadable variables together, in one InvalidConfig", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        WechatPay.options().pipe(withEnv([
          ...without(required(), "WECHATPAY_MCHID", "WECHATPAY_MERCHANT_PRIVATE_KEY"),
          ["WECHATPAY_MERCHANT_PRIVATE_KEY_FILE", files.missing],
          ["WECHATPAY_TIMEOUT", "soon"],
          ["WECHATPAY_RETRIES", "two"],
          ["WECHATPAY_MAX_CLOCK_SKEW", "5 parsecs"]
        ]))
      )
      expect(error.option).toBe("WECHATPAY_MCHID")
      const parts = error.message.split("; ")
      expect(parts).toHaveLength(5)
      expect(parts[0]).toBe("missing WECHATPAY_MCHID")
      expect(parts[1]).toBe(
        `WECHATPAY_MERCHANT_PRIVATE_KEY_FILE (${files.missing}) cannot be read: no such file (ENOENT)`
      )
      expect(parts[2]).toMatch(/^invalid WECHATPAY_TIMEOUT: .*soon/)
      expect(parts[3]).toMatch(/^invalid WECHATPAY_RETRIES: .*two/)
      expect(parts[4]).toMatch(/^invalid WECHATPAY_MAX_CLOCK_SKEW: .*5 parsecs/)
      expect(balanced(error.message)).toBe(true)
      expect(error.message).not.toMatch(OPTION_NAMES)
    }))

  it.effect("a layer error names the variable once, as the subject of its sentence", () =>
    Effect.gen(function*() {
      const cases: ReadonlyArray<readonly [ReadonlyArray<readonly [string, string]>, RegExp]> = [
        [[...without(required(), "WECHATPAY_MCHID"), ["WECHATPAY_MCHID", "1900 0001"]], /^WECHATPAY_MCHID must be/],
        [[...required(), ["WECHATPAY_APIV3_KEY", "short"]], /^WECHATPAY_APIV3_KEY .*32 bytes/],
        [
          [...required(), ["WECHATPAY_PLATFORM_CERTIFICATES_FILE", files.privateKey]],
          /^WECHATPAY_PLATFORM_CERTIFICATES_FILE \(certificate 1 of \/.*apiclient_key\.pem\) /
        ]
      ]
      for (const [entries, expected] of cases) {
        const error = yield* Effect.flip(buildFromEnv(entries))
        expect(error.message).toMatch(expected)
        expect(error.message).not.toMatch(OPTION_NAMES)
        expect(balanced(error.message)).toBe(true)
      }
    }))
})

describe("WechatPay.options(): *_FILE through FileSystem", () => {
  const virtual = "/virtual/apiclient_key.pem"
  const memoryFs = FileSystem.layerNoop({
    readFileString: (path) =>
      path === virtual
        ? Effect.succeed(Fixtures.merchantPrivateKeyPkcs1)
        : Effect.fail(PlatformError.systemError({ _tag: "NotFound", module: "FileSystem", method: "readFileString" }))
  })
  const fromFile = (path: string): Array<[string, string]> => [
    ...without(required(), "WECHATPAY_MERCHANT_PRIVATE_KEY"),
    ["WECHATPAY_MERCHANT_PRIVATE_KEY_FILE", path]
  ]

  it.effect("the FileSystem in context is the one read (here an in-memory one)", () =>
    Effect.gen(function*() {
      const options = yield* WechatPay.options().pipe(withEnv(fromFile(virtual)), Effect.provide(memoryFs))
      expect(Redacted.value(options.merchantPrivateKey as Redacted.Redacted<string>)).toBe(
        Fixtures.merchantPrivateKeyPkcs1
      )
      const error = yield* Effect.flip(
        WechatPay.options().pipe(withEnv(fromFile(files.privateKey)), Effect.provide(memoryFs))
      )
      expect(error.option).toBe("WECHATPAY_MERCHANT_PRIVATE_KEY_FILE")
      expect(error.message).toBe(
        `WECHATPAY_MERCHANT_PRIVATE_KEY_FILE (${files.privateKey}) cannot be read: no such file`
      )
    }))

  it.effect("without a FileSystem in context: the runtime's own file reading, a missing file named with ENOENT", () =>
    Effect.gen(function*() {
      const options = yield* WechatPay.options().pipe(withEnv(fromFile(files.privateKey)))
      expect(Redacted.value(options.merchantPrivateKey as Redacted.Redacted<string>)).toContain(
        "BEGIN RSA PRIVATE KEY"
      )
      const error = yield* Effect.flip(WechatPay.options().pipe(withEnv(fromFile(files.missing))))
      expect(error.message).toBe(
        `WECHATPAY_MERCHANT_PRIVATE_KEY_FILE (${files.missing}) cannot be read: no such file (ENOENT)`
      )
    }))

  it.effect("no FileSystem and no built-in file reading (a Worker, a browser): says what to provide", () =>
    Effect.gen(function*() {
      const saved = process.getBuiltinModule
      const setBuiltin = (value: unknown) =>
        Effect.sync(() => Object.defineProperty(process, "getBuiltinModule", { value, configurable: true }))
      const error = yield* setBuiltin(undefined).pipe(
        Effect.andThen(Effect.flip(WechatPay.options().pipe(withEnv(fromFile(files.privateKey))))),
        Effect.ensuring(setBuiltin(saved))
      )
      expect(error.option).toBe("WECHATPAY_MERCHANT_PRIVATE_KEY_FILE")
      expect(error.message).toContain("no FileSystem here: provide one (NodeFileSystem.layer")
      // and without any _FILE variable, nothing needs a file system at all
      const options = yield* WechatPay.options().pipe(withEnv(required()))
      expect(options.mchid).toBe(Fixtures.mchid)
    }))
})

/** Every line of key material in the fixtures: none may appear in a message. */
const materialLines = [
  Fixtures.merchantPrivateKeyPkcs8,
  Fixtures.merchantPrivateKeyPkcs1,
  Fixtures.wechatpayPrivateKey,
  Fixtures.wechatpayPublicKey,
  Fixtures.platformCertificate1
].flatMap((pem) => pem.split("\n").filter((line) => line.length > 20 && !line.startsWith("-----")))

const noSecret = (message: string) => {
  expect(message).not.toContain(APIV3_KEY)
  for (const line of materialLines) expect(message).not.toContain(line)
}

describe("issue 19: a *_FILE variable's problems name the variable and its path; durations show an example", () => {
  let wrong = ""
  const wrongFiles = { certificate: "", privateKey: "", empty: "" }
  beforeAll(() => {
    wrong = mkdtempSync(join(tmpdir(), "effect-wechatpay-config-wrong-"))
    wrongFiles.certificate = join(wrong, "wechatpay_cert.pem")
    wrongFiles.privateKey = join(wrong, "a private key.pem")
    wrongFiles.empty = join(wrong, "empty.pem")
    writeFileSync(wrongFiles.certificate, Fixtures.platformCertificate1)
    writeFileSync(wrongFiles.privateKey, Fixtures.wechatpayPrivateKey)
    writeFileSync(wrongFiles.empty, "\n")
  })
  afterAll(() => {
    if (wrong !== "") rmSync(wrong, { recursive: true, force: true })
  })

  const withFile = (name: string, path: string): Array<[string, string]> => {
    const inline = name.replace(/_FILE$/, "")
    return [...without(required(), inline), [name, path]]
  }
  const FILE_VARIABLES = [
    "WECHATPAY_MERCHANT_PRIVATE_KEY_FILE",
    "WECHATPAY_PUBLIC_KEY_FILE",
    "WECHATPAY_PLATFORM_CERTIFICATES_FILE"
  ] as const

  it.effect("a missing file: the variable, its path, and the reason in words (ENOENT)", () =>
    Effect.gen(function*() {
      for (const name of FILE_VARIABLES) {
        const error = yield* Effect.flip(WechatPay.options().pipe(withEnv(withFile(name, files.missing))))
        expect(error.option, name).toBe(name)
        expect(error.message, name).toBe(`${name} (${files.missing}) cannot be read: no such file (ENOENT)`)
      }
    }))

  it.effect("an unreadable path (a directory): the variable, its path and why, through the built-in reading and a FileSystem", () =>
    Effect.gen(function*() {
      const expected =
        `WECHATPAY_MERCHANT_PRIVATE_KEY_FILE (${dir}) cannot be read: it is a directory, not a file (EISDIR)`
      const builtin = yield* Effect.flip(
        WechatPay.options().pipe(withEnv(withFile("WECHATPAY_MERCHANT_PRIVATE_KEY_FILE", dir)))
      )
      expect(builtin.message).toBe(expected)
      // a FileSystem's failure says the same (what @effect/platform-node's NodeFileSystem gives for a directory)
      const directoryFs = FileSystem.layerNoop({
        readFileString: () =>
          Effect.fail(PlatformError.systemError({
            _tag: "BadResource",
            module: "FileSystem",
            method: "readFile",
            description: "EISDIR: illegal operation on a directory, read"
          }))
      })
      const node = yield* Effect.flip(
        WechatPay.options().pipe(
          withEnv(withFile("WECHATPAY_MERCHANT_PRIVATE_KEY_FILE", dir)),
          Effect.provide(directoryFs)
        )
      )
      expect(node.message).toBe(expected)
    }))

  it.effect('an empty *_FILE= says the variable is empty (not "cannot read : NotFound")', () =>
    Effect.gen(function*() {
      for (const name of FILE_VARIABLES) {
        for (const fs of [Layer.empty, FileSystem.layerNoop({})]) {
          const error = yield* Effect.flip(
            WechatPay.options().pipe(withEnv(withFile(name, "")), Effect.provide(fs))
          )
          expect(error.option, name).toBe(name)
          expect(error.message, name).toBe(`${name} is empty: set it to the path of the file, or leave it unset`)
        }
      }
      // only that: the private key's "is required" and the public key's "go together" are not added
      const error = yield* Effect.flip(
        WechatPay.options().pipe(withEnv(withFile("WECHATPAY_PUBLIC_KEY_FILE", "")))
      )
      expect(error.message.split("; ")).toHaveLength(1)
      // Effect 4's providers read "" as missing: the key the container lists tells it was set, for
      // fromEnv (above) and fromUnknown alike
      const unknown = yield* Effect.flip(
        WechatPay.options().pipe(
          Effect.provideService(
            ConfigProvider.ConfigProvider,
            ConfigProvider.fromUnknown(Object.fromEntries(withFile("WECHATPAY_MERCHANT_PRIVATE_KEY_FILE", "")))
          )
        )
      )
      expect(unknown.message).toBe(
        "WECHATPAY_MERCHANT_PRIVATE_KEY_FILE is empty: set it to the path of the file, or leave it unset"
      )
    }))

  it.effect("an empty file: the variable and its path", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        WechatPay.options().pipe(withEnv(withFile("WECHATPAY_MERCHANT_PRIVATE_KEY_FILE", wrongFiles.empty)))
      )
      expect(error.message).toBe(`WECHATPAY_MERCHANT_PRIVATE_KEY_FILE (${wrongFiles.empty}) is an empty file`)
    }))

  it.effect("the wrong kind of key in a *_FILE: the layer names the _FILE variable and its path, not the inline variable", () =>
    Effect.gen(function*() {
      const certificateAsKey = yield* Effect.flip(
        buildFromEnv(withFile("WECHATPAY_MERCHANT_PRIVATE_KEY_FILE", wrongFiles.certificate))
      )
      expect(certificateAsKey.option).toBe("WECHATPAY_MERCHANT_PRIVATE_KEY_FILE")
      expect(certificateAsKey.message).toBe(
        `WECHATPAY_MERCHANT_PRIVATE_KEY_FILE (${wrongFiles.certificate}) is a certificate, not a private key: give apiclient_key.pem, the merchant API private key`
      )
      const privateKeyAsPublic = yield* Effect.flip(
        buildFromEnv(withFile("WECHATPAY_PUBLIC_KEY_FILE", wrongFiles.privateKey))
      )
      expect(privateKeyAsPublic.option).toBe("WECHATPAY_PUBLIC_KEY_FILE")
      expect(privateKeyAsPublic.message).toMatch(
        new RegExp(
          `^WECHATPAY_PUBLIC_KEY_FILE \\(${
            wrongFiles.privateKey.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")
          }\\) has a "PRIVATE KEY" block, which is not a public key`
        )
      )
      // a certificate given as the public key: the variable to put it in, not the option
      const certificateAsPublic = yield* Effect.flip(
        buildFromEnv(withFile("WECHATPAY_PUBLIC_KEY_FILE", wrongFiles.certificate))
      )
      expect(certificateAsPublic.message).toBe(
        `WECHATPAY_PUBLIC_KEY_FILE (${wrongFiles.certificate}) is a certificate, not a public key: give certificates in WECHATPAY_PLATFORM_CERTIFICATES_FILE`
      )
      // inline, the inline variable (no path)
      const inline = yield* Effect.flip(buildFromEnv([
        ...without(required(), "WECHATPAY_MERCHANT_PRIVATE_KEY"),
        ["WECHATPAY_MERCHANT_PRIVATE_KEY", Fixtures.platformCertificate1]
      ]))
      expect(inline.option).toBe("WECHATPAY_MERCHANT_PRIVATE_KEY")
      expect(inline.message).toMatch(/^WECHATPAY_MERCHANT_PRIVATE_KEY is a certificate, not a private key/)
      for (const error of [certificateAsKey, privateKeyAsPublic, certificateAsPublic, inline]) {
        expect(error.message).not.toMatch(OPTION_NAMES)
        noSecret(error.message)
      }
    }))

  it.effect("durations and retries: what was given and an accepted example", () =>
    Effect.gen(function*() {
      const cases = [
        ["WECHATPAY_TIMEOUT", "5s", `invalid WECHATPAY_TIMEOUT: expected a duration such as "5 seconds", not "5s"`],
        [
          "WECHATPAY_TIMEOUT",
          "-1 seconds",
          `invalid WECHATPAY_TIMEOUT: expected a duration such as "5 seconds", not "-1 seconds"`
        ],
        [
          "WECHATPAY_MAX_CLOCK_SKEW",
          "5m",
          `invalid WECHATPAY_MAX_CLOCK_SKEW: expected a duration such as "5 minutes", not "5m"`
        ],
        ["WECHATPAY_RETRIES", "two", `invalid WECHATPAY_RETRIES: expected a whole number such as 2, not "two"`]
      ] as const
      for (const [name, value, message] of cases) {
        const error = yield* Effect.flip(WechatPay.options().pipe(withEnv([...required(), [name, value]])))
        expect(error.option, value).toBe(name)
        expect(error.message, value).toBe(message)
      }
      // the accepted forms
      for (
        const [value, millis] of [["5 seconds", 5_000], ["1 second", 1_000], ["250 millis", 250], [
          "2 minutes",
          120_000
        ]] as const
      ) {
        const options = yield* WechatPay.options().pipe(withEnv([...required(), ["WECHATPAY_TIMEOUT", value]]))
        expect(Duration.toMillis(Duration.fromInputUnsafe(options.timeout!)), value).toBe(millis)
      }
    }))

  it.effect("no secret in any message: a wrong-length APIv3 key, a damaged inline key", () =>
    Effect.gen(function*() {
      const apiV3 = yield* Effect.flip(buildFromEnv([...required(), ["WECHATPAY_APIV3_KEY", `${APIV3_KEY}XY`]]))
      noSecret(apiV3.message)
      expect(apiV3.message).not.toContain(`${APIV3_KEY}XY`)
      const damaged = Fixtures.merchantPrivateKeyPkcs8.replace(/\n[A-Za-z0-9+/]{10}/, "\n!!!!!!!!!!")
      const key = yield* Effect.flip(buildFromEnv([
        ...without(required(), "WECHATPAY_MERCHANT_PRIVATE_KEY"),
        ["WECHATPAY_MERCHANT_PRIVATE_KEY", damaged]
      ]))
      expect(key.option).toBe("WECHATPAY_MERCHANT_PRIVATE_KEY")
      noSecret(key.message)
      for (const line of damaged.split("\n").filter((l) => l.length > 20)) expect(key.message).not.toContain(line)
    }))
})
