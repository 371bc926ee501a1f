/**
 * KeyStore: merchant keys in both PEM forms, precise InvalidConfig for every bad option, the base URL
 * check of the layer, and verification across a public-key / certificate migration.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, Redacted } from "effect"
import { TestClock } from "effect/testing"
import { generateKeyPairSync, X509Certificate } from "node:crypto"
import { vectorFile } from "../../../test/helpers/vectors.js"
import { KeyStore, PayScorePermissions, WechatPay, WechatPayError } from "../../src/index.js"
import { FakeWechatPay, Fixtures } from "../../src/testing/index.js"

const publicKeyMode: KeyStore.Options = {
  mchid: Fixtures.mchid,
  merchantSerialNo: Fixtures.merchantSerialNo,
  merchantPrivateKey: Redacted.make(Fixtures.merchantPrivateKeyPkcs8),
  wechatpayPublicKey: { id: Fixtures.wechatpayPublicKeyId, pem: Fixtures.wechatpayPublicKey }
}

const RSA = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const
const pemBody = (pem: string): Buffer =>
  Buffer.from(pem.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, ""), "base64")

/** Verifies a base64 signature over `message` with an SPKI PEM, through WebCrypto (independent of the library). */
const webCryptoVerify = (spkiPem: string, signature: string, message: string) =>
  Effect.promise(async () => {
    const key = await crypto.subtle.importKey("spki", new Uint8Array(pemBody(spkiPem)), RSA, false, ["verify"])
    return crypto.subtle.verify(
      RSA,
      key,
      new Uint8Array(Buffer.from(signature, "base64")),
      new TextEncoder().encode(message)
    )
  })

/** The InvalidConfig `KeyStore.make` fails with (a success fails the test). */
const invalidConfig = (options: KeyStore.Options) =>
  Effect.gen(function*() {
    const error = yield* Effect.flip(KeyStore.make(options))
    expect(error).toBeInstanceOf(WechatPayError.InvalidConfig)
    expect(error._tag).toBe("InvalidConfig")
    return error
  })

const armourLines = (pem: string) => {
  const lines = pem.trim().split("\n")
  return { begin: lines[0]!, body: lines.slice(1, -1), end: lines[lines.length - 1]! }
}

const record = {
  service_id: "500001",
  appid: "wxd678efh567hg6787",
  mchid: Fixtures.mchid,
  authorization_code: "1234323JKHDFE1243252",
  authorization_state: "AVAILABLE"
}

/** One real query through `WechatPay.layer` against a fake that signs with `signWith`; returns the exit and what was sent. */
const queryOnce = (options: WechatPay.Options, signWith: FakeWechatPay.SigningKey) =>
  Effect.gen(function*() {
    const received: Array<FakeWechatPay.Received> = []
    const fake = FakeWechatPay.layer((request) => {
      received.push(request)
      return { body: record, signWith }
    })
    const exit = yield* Effect.gen(function*() {
      const permissions = yield* PayScorePermissions.PayScorePermissions
      return yield* permissions.queryByAuthorizationCode({
        authorization_code: record.authorization_code,
        service_id: record.service_id
      })
    }).pipe(Effect.provide(WechatPay.layer({ retries: 0, ...options }).pipe(Layer.provide(fake))), Effect.result)
    return { exit, received }
  })

// ---------------------------------------------------------------------------------------------
// Merchant private keys
// ---------------------------------------------------------------------------------------------

describe("KeyStore merchant private key", () => {
  it.effect("PKCS#8 and PKCS#1 forms both sign, and the signatures verify with merchantPublicKey (WebCrypto)", () =>
    Effect.gen(function*() {
      const message = "GET\n/v3/payscore/permissions/openid/x?service_id=1\n1554208460\nNONCE\n\n"
      const pkcs8 = yield* KeyStore.make({
        ...publicKeyMode,
        merchantPrivateKey: Redacted.make(Fixtures.merchantPrivateKeyPkcs8)
      })
      const pkcs1 = yield* KeyStore.make({ ...publicKeyMode, merchantPrivateKey: Fixtures.merchantPrivateKeyPkcs1 })
      const signature8 = yield* pkcs8.sign(message)
      const signature1 = yield* pkcs1.sign(message)
      expect(yield* webCryptoVerify(Fixtures.merchantPublicKey, signature8, message)).toBe(true)
      expect(yield* webCryptoVerify(Fixtures.merchantPublicKey, signature1, message)).toBe(true)
      // RSASSA-PKCS1-v1_5 is deterministic and both PEMs hold one key
      expect(signature1).toBe(signature8)
      // and the check is not vacuous: another message or another key does not verify
      expect(yield* webCryptoVerify(Fixtures.merchantPublicKey, signature8, message + "x")).toBe(false)
      expect(yield* webCryptoVerify(Fixtures.wechatpayPublicKey, signature8, message)).toBe(false)
    }))

  it.effect("a PEM with stray whitespace (indentation, CRLF, blank lines, spaces inside the body) still works", () =>
    Effect.gen(function*() {
      const clean = yield* KeyStore.make(publicKeyMode)
      const expected = yield* clean.sign("stray whitespace")
      const { begin, body, end } = armourLines(Fixtures.merchantPrivateKeyPkcs8)
      const pkcs1 = armourLines(Fixtures.merchantPrivateKeyPkcs1)
      const variants = [
        // indented, as pasted in YAML
        [begin, ...body, end].map((line) => `    ${line}`).join("\n"),
        // CRLF line ends with leading and trailing blank lines
        `\r\n\r\n${[begin, ...body, end].join("\r\n")}\r\n\r\n`,
        // blank lines and tabs inside the body
        [begin, "", ...body.map((line, i) => (i % 3 === 0 ? `\t${line}  ` : line)), "", end].join("\n"),
        // the body on one line, broken in odd places
        `${begin}\n${body.join("").replace(/(.{50})/g, "$1 \n ")}\n${end}\n`,
        // PKCS#1, indented with CRLF
        [pkcs1.begin, ...pkcs1.body, pkcs1.end].map((line) => `  ${line}  `).join("\r\n")
      ]
      for (const pem of variants) {
        const keyStore = yield* KeyStore.make({ ...publicKeyMode, merchantPrivateKey: Redacted.make(pem) })
        expect(yield* keyStore.sign("stray whitespace")).toBe(expected)
      }
    }))

  it.effect("an unparseable merchant key fails with InvalidConfig merchantPrivateKey saying what is wrong", () =>
    Effect.gen(function*() {
      const { begin, body, end } = armourLines(Fixtures.merchantPrivateKeyPkcs8)
      const cases: ReadonlyArray<readonly [string, string, RegExp]> = [
        ["garbage", "this is not a key", /is not PEM.*BEGIN PRIVATE KEY.*armour/],
        ["armour stripped", body.join("\n"), /is not PEM.*armour lines included/],
        ["empty", "", /is not PEM/],
        [
          "truncated base64 (not a multiple of 4)",
          [begin, ...body.slice(0, 5), "MIIEv", end].join("\n"),
          /not valid base64/
        ],
        [
          "base64 with a stray character",
          [begin, ...body.slice(0, 5), "MII*", ...body.slice(6), end].join("\n"),
          /not valid base64/
        ],
        ["END line missing", [begin, ...body.slice(0, 10)].join("\n"), /no matching "-----END PRIVATE KEY-----"/],
        [
          "truncated but valid base64",
          [begin, ...body.slice(0, 8), end].join("\n"),
          /could not be read as an RSA private key.*corrupted/
        ],
        [
          "unknown label",
          `-----BEGIN OPENSSH PRIVATE KEY-----\n${body.join("\n")}\n-----END OPENSSH PRIVATE KEY-----`,
          /"OPENSSH PRIVATE KEY" block/
        ],
        [
          "encrypted",
          `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${body.join("\n")}\n-----END ENCRYPTED PRIVATE KEY-----`,
          /is encrypted/
        ]
      ]
      for (const [name, pem, message] of cases) {
        const error = yield* invalidConfig({ ...publicKeyMode, merchantPrivateKey: Redacted.make(pem) })
        expect(error.option, name).toBe("merchantPrivateKey")
        expect(error.message, name).toMatch(message)
        expect(error.message, name).toMatch(/^merchantPrivateKey /)
      }
    }))

  it.effect("a public key or a certificate given as merchantPrivateKey fails, saying it is not a private key", () =>
    Effect.gen(function*() {
      const publicKey = yield* invalidConfig({ ...publicKeyMode, merchantPrivateKey: Fixtures.merchantPublicKey })
      expect(publicKey.option).toBe("merchantPrivateKey")
      expect(publicKey.message).toMatch(/is a public key, not a private key/)
      const certificate = yield* invalidConfig({ ...publicKeyMode, merchantPrivateKey: Fixtures.platformCertificate1 })
      expect(certificate.option).toBe("merchantPrivateKey")
      expect(certificate.message).toMatch(/is a certificate, not a private key/)
    }))

  it.effect("an EC private key fails with InvalidConfig merchantPrivateKey (not an RSA key)", () =>
    Effect.gen(function*() {
      const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" })
      const ecPem = privateKey.export({ type: "pkcs8", format: "pem" }) as string
      expect(ecPem).toContain("BEGIN PRIVATE KEY")
      const error = yield* invalidConfig({ ...publicKeyMode, merchantPrivateKey: Redacted.make(ecPem) })
      expect(error.option).toBe("merchantPrivateKey")
      expect(error.message).toMatch(/could not be read as an RSA private key.*wrong algorithm/)
    }))
})

// ---------------------------------------------------------------------------------------------
// Verifiers, APIv3 key, ids
// ---------------------------------------------------------------------------------------------

describe("KeyStore verifiers and other options", () => {
  it.effect("a wechatpayPublicKey.pem that is not a public key fails with InvalidConfig wechatpayPublicKey.pem", () =>
    Effect.gen(function*() {
      const cases: ReadonlyArray<readonly [string, string, RegExp]> = [
        ["a private key", Fixtures.wechatpayPrivateKey, /"PRIVATE KEY" block, which is not a public key/],
        [
          "a PKCS#1 private key",
          Fixtures.merchantPrivateKeyPkcs1,
          /"RSA PRIVATE KEY" block, which is not a public key/
        ],
        ["a certificate", Fixtures.platformCertificate1, /is a certificate, not a public key.*platformCertificates/],
        ["garbage", "PUB_KEY_ID_0114", /is not PEM.*BEGIN PUBLIC KEY/],
        [
          "a corrupted public key",
          Fixtures.wechatpayPublicKey.replace(/\n[^\n]+\n-----END/, "\n-----END"),
          /could not be read as an RSA public key/
        ]
      ]
      for (const [name, pem, message] of cases) {
        const error = yield* invalidConfig({
          ...publicKeyMode,
          wechatpayPublicKey: { id: Fixtures.wechatpayPublicKeyId, pem }
        })
        expect(error.option, name).toBe("wechatpayPublicKey.pem")
        expect(error.message, name).toMatch(message)
      }
      const badId = yield* invalidConfig({
        ...publicKeyMode,
        wechatpayPublicKey: { id: "PUB KEY", pem: Fixtures.wechatpayPublicKey }
      })
      expect(badId.option).toBe("wechatpayPublicKey.id")
    }))

  it.effect("a platform certificate that is garbage (or not a certificate) fails with InvalidConfig platformCertificates[i]", () =>
    Effect.gen(function*() {
      const { wechatpayPublicKey: _, ...noPublicKey } = publicKeyMode
      const garbage = yield* invalidConfig({ ...noPublicKey, platformCertificates: ["garbage"] })
      expect(garbage.option).toBe("platformCertificates[0]")
      expect(garbage.message).toMatch(/is not PEM.*BEGIN CERTIFICATE/)
      const second = yield* invalidConfig({
        ...noPublicKey,
        platformCertificates: [Fixtures.platformCertificate1, Fixtures.wechatpayPublicKey]
      })
      expect(second.option).toBe("platformCertificates[1]")
      expect(second.message).toMatch(/"PUBLIC KEY" block; expected "-----BEGIN CERTIFICATE-----"/)
      const notX509 = yield* invalidConfig({
        ...noPublicKey,
        platformCertificates: [
          `-----BEGIN CERTIFICATE-----\n${
            pemBody(Fixtures.wechatpayPublicKey).toString("base64")
          }\n-----END CERTIFICATE-----`
        ]
      })
      expect(notX509.option).toBe("platformCertificates[0]")
      expect(notX509.message).toMatch(/not a readable X\.509 certificate/)
    }))

  it.effect("an APIv3 key of 16, 31, 33, 34 bytes or 32 bytes + trailing space fails with InvalidConfig apiV3Key", () =>
    Effect.gen(function*() {
      const key32 = "a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb"
      expect(key32.length).toBe(32)
      const cases: ReadonlyArray<readonly [string, number, boolean]> = [
        [key32.slice(0, 16), 16, false],
        [key32.slice(0, 31), 31, false],
        [`${key32}X`, 33, false],
        [`${key32}XY`, 34, false],
        [`${key32} `, 33, true],
        // 32 characters but 33 bytes: the rule is bytes
        [`${key32.slice(0, 31)}é`, 33, false]
      ]
      for (const [value, bytes, whitespace] of cases) {
        const error = yield* invalidConfig({ ...publicKeyMode, apiV3Key: Redacted.make(value) })
        expect(error.option).toBe("apiV3Key")
        expect(error.message).toContain(`must be exactly 32 bytes; this one is ${bytes}`)
        expect(error.message.includes("whitespace")).toBe(whitespace)
      }
      const ok = yield* KeyStore.make({ ...publicKeyMode, apiV3Key: Redacted.make(key32) })
      expect(Option.isSome(ok.apiV3Key)).toBe(true)
      const none = yield* KeyStore.make(publicKeyMode)
      expect(Option.isNone(none.apiV3Key)).toBe(true)
    }))

  it.effect("no verifier at all fails with InvalidConfig wechatpayPublicKey", () =>
    Effect.gen(function*() {
      const { wechatpayPublicKey: _, ...noVerifier } = publicKeyMode
      for (const options of [noVerifier, { ...noVerifier, platformCertificates: [] }]) {
        const error = yield* invalidConfig(options)
        expect(error.option).toBe("wechatpayPublicKey")
        expect(error.message).toMatch(/wechatpayPublicKey or platformCertificates is required/)
      }
    }))

  it.effect("a bad mchid or merchantSerialNo fails with InvalidConfig naming it", () =>
    Effect.gen(function*() {
      for (const mchid of ["", "1900 000001", "1".repeat(33), "商户号"]) {
        const error = yield* invalidConfig({ ...publicKeyMode, mchid })
        expect(error.option).toBe("mchid")
        expect(error.message).toMatch(/^mchid must be the merchant id/)
      }
      for (const merchantSerialNo of ["", "XYZ", "5157F09E FDC0", "0x5157", "A".repeat(65)]) {
        const error = yield* invalidConfig({ ...publicKeyMode, merchantSerialNo })
        expect(error.option).toBe("merchantSerialNo")
        expect(error.message).toMatch(/^merchantSerialNo must be the hex serial number/)
      }
    }))

  it.effect("a bad baseUrl fails WechatPay.layer with InvalidConfig baseUrl", () =>
    Effect.gen(function*() {
      const fake = FakeWechatPay.layer(() => ({ body: record }))
      const build = (baseUrl: string) =>
        WechatPay.layer({ ...publicKeyMode, baseUrl }).pipe(Layer.provide(fake), Layer.build, Effect.scoped)
      for (
        const [baseUrl, message] of [
          ["not a url", /is not a URL/],
          ["ftp://x", /must be an http\(s\) URL/],
          ["https://x/?a=1", /must not have a query/],
          ["https://x/#frag", /must not have a query, a fragment/],
          ["https://user:pass@x/", /credentials/]
        ] as const
      ) {
        const error = yield* Effect.flip(build(baseUrl))
        expect(error._tag, baseUrl).toBe("InvalidConfig")
        expect(error.option, baseUrl).toBe("baseUrl")
        expect(error.message, baseUrl).toMatch(message)
      }
      // good ones build
      yield* build("https://api2.mch.weixin.qq.com")
      yield* build("http://127.0.0.1:8080/prefix/")
    }))
})

// ---------------------------------------------------------------------------------------------
// Migration: public key and platform certificates side by side
// ---------------------------------------------------------------------------------------------

describe("KeyStore migration between key modes", () => {
  const both: WechatPay.Options = {
    ...publicKeyMode,
    platformCertificates: [Fixtures.platformCertificate1, Fixtures.platformCertificate2]
  }
  const { wechatpayPublicKey: _, ...certificatesOnly } = both

  it("the fixture serials are the certificates' own serials (uppercase hex)", () => {
    expect(new X509Certificate(Fixtures.platformCertificate1).serialNumber.toUpperCase()).toBe(
      Fixtures.platformSerialNo1
    )
    expect(new X509Certificate(Fixtures.platformCertificate2).serialNumber.toUpperCase()).toBe(
      Fixtures.platformSerialNo2
    )
  })

  it.effect("with public key and two certificates, answers signed by the public key, platform1 and platform2 all verify", () =>
    Effect.gen(function*() {
      const keyStore = yield* KeyStore.make(both)
      expect([...keyStore.serials].sort()).toEqual(
        [Fixtures.wechatpayPublicKeyId, Fixtures.platformSerialNo1, Fixtures.platformSerialNo2].sort()
      )
      expect(keyStore.wechatpaySerial).toBe(Fixtures.wechatpayPublicKeyId)
      for (const key of [FakeWechatPay.keys.publicKey, FakeWechatPay.keys.platform1, FakeWechatPay.keys.platform2]) {
        const { exit, received } = yield* queryOnce(both, key)
        expect(exit._tag, key.serial).toBe("Success")
        if (exit._tag === "Success") expect(exit.success._tag).toBe("Available")
        expect(received).toHaveLength(1)
        // Wechatpay-Serial sent = the public key id when there is one
        expect(received[0]!.headers["wechatpay-serial"]).toBe(Fixtures.wechatpayPublicKeyId)
      }
    }))

  it.effect("with only certificates, Wechatpay-Serial is a configured serial with the latest notBefore", () =>
    Effect.gen(function*() {
      const keyStore = yield* KeyStore.make(certificatesOnly)
      // Both fixture certificates were made in the same second: notBefore ties, so either may be sent.
      const notBefore1 = Date.parse(new X509Certificate(Fixtures.platformCertificate1).validFrom)
      const notBefore2 = Date.parse(new X509Certificate(Fixtures.platformCertificate2).validFrom)
      const latest = Math.max(notBefore1, notBefore2)
      const newest = [
        ...(notBefore1 === latest ? [Fixtures.platformSerialNo1] : []),
        ...(notBefore2 === latest ? [Fixtures.platformSerialNo2] : [])
      ]
      expect(newest).toContain(keyStore.wechatpaySerial)
      for (const key of [FakeWechatPay.keys.platform1, FakeWechatPay.keys.platform2]) {
        const { exit, received } = yield* queryOnce(certificatesOnly, key)
        expect(exit._tag, key.serial).toBe("Success")
        expect(received[0]!.headers["wechatpay-serial"]).toBe(keyStore.wechatpaySerial)
      }
      // the public key id is not trusted in certificate mode
      const { exit } = yield* queryOnce(certificatesOnly, FakeWechatPay.keys.publicKey)
      expect(exit._tag === "Failure" && exit.failure._tag === "VerificationError" && exit.failure.reason).toBe(
        "UnknownSerial"
      )
    }))

  it.effect("with certificates of different ages, the newest one (latest notBefore) is sent, in any order", () =>
    Effect.gen(function*() {
      // vector certificates: 2021 (go), 2022 (java wechat pay, with its private key), 2023 (java platform)
      const go = vectorFile("go-notification-platform-certificate.pem")
      const javaWechatPay = vectorFile("java-wechat-pay-certificate.pem")
      const javaPlatform = vectorFile("java-platform-certificate.pem")
      const info = (pem: string) => {
        const x509 = new X509Certificate(pem)
        return { serial: x509.serialNumber.toUpperCase(), notBefore: Date.parse(x509.validFrom) }
      }
      const newestOf = (pems: ReadonlyArray<string>) =>
        pems.map(info).reduce((a, b) => (b.notBefore > a.notBefore ? b : a)).serial
      const all = [go, javaWechatPay, javaPlatform]
      expect(new Set(all.map((pem) => info(pem).notBefore)).size).toBe(3)
      for (const order of [all, [...all].reverse(), [javaWechatPay, javaPlatform, go]]) {
        const keyStore = yield* KeyStore.make({ ...certificatesOnly, platformCertificates: order })
        expect(keyStore.wechatpaySerial).toBe(newestOf(order))
        expect(keyStore.wechatpaySerial).toBe(info(javaPlatform).serial)
      }
      // and through a real query: the 2022 certificate is the newest of [2022, 2021], whatever the order
      const wechatPayKey = {
        privateKey: vectorFile("java-wechat-pay-private-key.pem"),
        serial: info(javaWechatPay).serial
      }
      for (const order of [[go, javaWechatPay], [javaWechatPay, go]]) {
        // the vector certificates expired in 2025: the pinned clock shows that validity dates are not checked
        yield* TestClock.setTime(Date.parse("2030-01-01T00:00:00Z"))
        const { exit, received } = yield* queryOnce({ ...certificatesOnly, platformCertificates: order }, wechatPayKey)
        expect(exit._tag).toBe("Success")
        expect(received[0]!.headers["wechatpay-serial"]).toBe(info(javaWechatPay).serial)
      }
    }))

  it.effect("answers signed by a stranger fail with VerificationError BadSignature", () =>
    Effect.gen(function*() {
      for (const options of [both, publicKeyMode]) {
        const { exit } = yield* queryOnce(options, FakeWechatPay.keys.stranger)
        expect(exit._tag).toBe("Failure")
        if (exit._tag === "Failure") {
          expect(exit.failure).toBeInstanceOf(WechatPayError.VerificationError)
          expect(exit.failure._tag === "VerificationError" && exit.failure.reason).toBe("BadSignature")
          expect(exit.failure._tag === "VerificationError" && exit.failure.serial).toBe(Fixtures.wechatpayPublicKeyId)
        }
      }
      // a trusted certificate's serial with another certificate's key: BadSignature too
      const swapped = { privateKey: Fixtures.platformPrivateKey1, serial: Fixtures.platformSerialNo2 }
      const { exit } = yield* queryOnce(both, swapped)
      expect(exit._tag === "Failure" && exit.failure._tag === "VerificationError" && exit.failure.reason).toBe(
        "BadSignature"
      )
    }))

  it.effect("a serial nobody configured fails with VerificationError UnknownSerial, serial set", () =>
    Effect.gen(function*() {
      const serial = "0123456789ABCDEF0123456789ABCDEF01234567"
      const { exit } = yield* queryOnce(both, { privateKey: Fixtures.platformPrivateKey1, serial })
      expect(exit._tag).toBe("Failure")
      if (exit._tag === "Failure") {
        expect(exit.failure._tag).toBe("VerificationError")
        if (exit.failure._tag === "VerificationError") {
          expect(exit.failure.reason).toBe("UnknownSerial")
          expect(exit.failure.serial).toBe(serial)
          expect(exit.failure.message).toContain(serial)
        }
      }
      const keyStore = yield* KeyStore.make(both)
      expect(Option.isNone(yield* keyStore.verifyingKey(serial))).toBe(true)
      expect(Option.isSome(yield* keyStore.verifyingKey(Fixtures.platformSerialNo2))).toBe(true)
    }))
})
