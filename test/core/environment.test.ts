/**
 * The environment variables of `WechatPay.layerConfig()` (src/core/environment.ts), read the same by
 * both Effect lines: durations and whole numbers with an accepted example, `*_FILE` variables named
 * with their path (empty, missing, unreadable, an empty file), every problem at once in variable
 * order, and the layer's problems told by the variable (and file) an option came from.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Environment from "../../src/core/environment.js"

/** Secrets kept as the lines keep them: boxed, so a test sees they are never unwrapped. */
interface Box {
  readonly secret: string
}
const box = (secret: string): Box => ({ secret })

const read = (
  text: Environment.Read<Box>["text"],
  secrets: Environment.Read<Box>["secrets"] = {},
  problems: ReadonlyArray<Environment.Problem> = []
): Environment.Read<Box> => ({ text, secrets, problems })

const base = {
  MCHID: "1900000001",
  MERCHANT_SERIAL_NO: "5157F09EFDC096DE15EBE81A47057A7232F1B8E1",
  PUBLIC_KEY_ID: "PUB_KEY_ID_01",
  PUBLIC_KEY: "-----BEGIN PUBLIC KEY-----…"
}
const { PUBLIC_KEY: _, ...baseWithoutPublicKey } = base
const key = { MERCHANT_PRIVATE_KEY: box("-----BEGIN PRIVATE KEY-----…") }

const problemsOf = (assembled: Environment.Assembled<Box>): ReadonlyArray<string> =>
  assembled._tag === "Problems" ? assembled.problems.map((p) => p.message) : []

describe("parseDuration / parseInteger", () => {
  it("Effect's duration words, singular or plural, in milliseconds", () => {
    expect(Environment.parseDuration("5 seconds")).toBe(5_000)
    expect(Environment.parseDuration(" 1 second ")).toBe(1_000)
    expect(Environment.parseDuration("250 millis")).toBe(250)
    expect(Environment.parseDuration("1.5 minutes")).toBe(90_000)
    expect(Environment.parseDuration("2 hours")).toBe(7_200_000)
    expect(Environment.parseDuration("1 week")).toBe(604_800_000)
    expect(Environment.parseDuration("500 micros")).toBe(0.5)
  })

  it("anything else is not a duration: 5s, 5, -1 seconds, 5 parsecs, empty", () => {
    for (const text of ["5s", "5", "-1 seconds", "5 parsecs", "", "seconds", "1e3 millis", "5 SECONDS"]) {
      expect(Environment.parseDuration(text), text).toBeUndefined()
    }
  })

  it("whole numbers, a sign allowed (the layer checks the range); nothing else", () => {
    expect(Environment.parseInteger("2")).toBe(2)
    expect(Environment.parseInteger(" 0 ")).toBe(0)
    expect(Environment.parseInteger("-1")).toBe(-1)
    for (const text of ["two", "2.5", "2x", "", "0x10"]) expect(Environment.parseInteger(text), text).toBeUndefined()
  })
})

describe("messages", () => {
  it("a file's subject is its variable and path; a read failure in words, with the code", () => {
    const source = { variable: "WECHATPAY_PUBLIC_KEY_FILE", path: "/etc/wechatpay/pub_key.pem" }
    expect(Environment.messages.cannotRead(source, { _tag: "Failed", code: "ENOENT" }, undefined)).toBe(
      "WECHATPAY_PUBLIC_KEY_FILE (/etc/wechatpay/pub_key.pem) cannot be read: no such file (ENOENT)"
    )
    expect(Environment.messages.cannotRead(source, { _tag: "Failed", code: "EACCES" }, undefined)).toBe(
      "WECHATPAY_PUBLIC_KEY_FILE (/etc/wechatpay/pub_key.pem) cannot be read: permission denied (EACCES)"
    )
    expect(Environment.messages.cannotRead(source, { _tag: "Failed", reason: "NotFound" }, undefined)).toBe(
      "WECHATPAY_PUBLIC_KEY_FILE (/etc/wechatpay/pub_key.pem) cannot be read: no such file"
    )
    expect(Environment.messages.cannotRead(source, { _tag: "Failed", detail: "boom\n  at x" }, undefined)).toBe(
      "WECHATPAY_PUBLIC_KEY_FILE (/etc/wechatpay/pub_key.pem) cannot be read: boom"
    )
    expect(Environment.messages.cannotRead(source, { _tag: "NoFileSystem" }, "WECHATPAY_PUBLIC_KEY")).toBe(
      "WECHATPAY_PUBLIC_KEY_FILE (/etc/wechatpay/pub_key.pem) cannot be read: no FileSystem here: provide one (NodeFileSystem.layer, BunFileSystem.layer, …) or set WECHATPAY_PUBLIC_KEY itself"
    )
  })

  it("a value that does not parse is quoted with an accepted one", () => {
    expect(Environment.messages.invalid("WECHATPAY_TIMEOUT", 'a duration such as "5 seconds"', "5s")).toBe(
      'invalid WECHATPAY_TIMEOUT: expected a duration such as "5 seconds", not "5s"'
    )
  })
})

describe("filesToRead", () => {
  it("each *_FILE set to a path and not overridden by its inline variable", () => {
    expect(Environment.filesToRead(
      "WECHATPAY",
      read({ MERCHANT_PRIVATE_KEY_FILE: "/k.pem", PUBLIC_KEY_FILE: "/p.pem", PUBLIC_KEY: "inline" })
    )).toEqual([{
      suffix: "MERCHANT_PRIVATE_KEY_FILE",
      variable: "WECHATPAY_MERCHANT_PRIVATE_KEY_FILE",
      path: "/k.pem"
    }])
    expect(Environment.filesToRead("WECHATPAY", read({ MERCHANT_PRIVATE_KEY_FILE: "/k.pem" }, key))).toEqual([])
    expect(Environment.filesToRead("WECHATPAY", read({ PLATFORM_CERTIFICATES_FILE: " " }))).toEqual([])
  })
})

describe("assemble", () => {
  it("the values, secrets kept boxed, durations in milliseconds, and where each came from", () => {
    const assembled = Environment.assemble(
      "SHOP",
      read({ ...baseWithoutPublicKey, PUBLIC_KEY_FILE: "/p.pem", TIMEOUT: "5 seconds", RETRIES: "3" }, {
        ...key,
        APIV3_KEY: box("k")
      }),
      { PUBLIC_KEY_FILE: { _tag: "Text", text: "PEM" } },
      box
    )
    expect(assembled).toEqual({
      _tag: "Values",
      values: {
        mchid: base.MCHID,
        merchantSerialNo: base.MERCHANT_SERIAL_NO,
        merchantPrivateKey: key.MERCHANT_PRIVATE_KEY,
        wechatpayPublicKey: { id: "PUB_KEY_ID_01", pem: "PEM" },
        apiV3Key: box("k"),
        timeoutMillis: 5_000,
        retries: 3
      },
      sources: {
        merchantPrivateKey: { variable: "SHOP_MERCHANT_PRIVATE_KEY" },
        wechatpayPublicKey: { variable: "SHOP_PUBLIC_KEY_FILE", path: "/p.pem" }
      }
    })
  })

  it("every problem at once, in variable order, a provider's own failure not reported again as missing", () => {
    const assembled = Environment.assemble(
      "WECHATPAY",
      read(
        { MERCHANT_PRIVATE_KEY_FILE: "/k.pem", RETRIES: "two", TIMEOUT: "5s" },
        {},
        [{ variable: "WECHATPAY_MCHID", message: "WECHATPAY_MCHID cannot be read: source down" }]
      ),
      { MERCHANT_PRIVATE_KEY_FILE: { _tag: "Failed", code: "ENOENT" } },
      box
    )
    expect(problemsOf(assembled)).toEqual([
      "WECHATPAY_MCHID cannot be read: source down",
      "missing WECHATPAY_MERCHANT_SERIAL_NO",
      "WECHATPAY_MERCHANT_PRIVATE_KEY_FILE (/k.pem) cannot be read: no such file (ENOENT)",
      Environment.messages.verifierRequired("WECHATPAY"),
      'invalid WECHATPAY_TIMEOUT: expected a duration such as "5 seconds", not "5s"',
      'invalid WECHATPAY_RETRIES: expected a whole number such as 2, not "two"'
    ])
  })

  it("an empty *_FILE is said to be empty, and counts as given (no second problem)", () => {
    for (const suffix of ["MERCHANT_PRIVATE_KEY_FILE", "PUBLIC_KEY_FILE", "PLATFORM_CERTIFICATES_FILE"] as const) {
      const inline = suffix === "MERCHANT_PRIVATE_KEY_FILE" ? {} : key
      const text = suffix === "PUBLIC_KEY_FILE"
        ? { ...baseWithoutPublicKey, [suffix]: "" }
        : { ...base, [suffix]: "" }
      expect(problemsOf(Environment.assemble("WECHATPAY", read(text, inline), {}, box)), suffix).toEqual([
        `WECHATPAY_${suffix} is empty: set it to the path of the file, or leave it unset`
      ])
    }
  })

  it("an empty file, by its variable and path", () => {
    expect(problemsOf(Environment.assemble(
      "WECHATPAY",
      read({ ...base, PLATFORM_CERTIFICATES_FILE: "/c.pem" }, key),
      { PLATFORM_CERTIFICATES_FILE: { _tag: "Text", text: " \n" } },
      box
    ))).toEqual(["WECHATPAY_PLATFORM_CERTIFICATES_FILE (/c.pem) is an empty file"])
  })
})

describe("renameProblem", () => {
  const sources = {
    merchantPrivateKey: { variable: "WECHATPAY_MERCHANT_PRIVATE_KEY_FILE", path: "/etc/key.pem" },
    wechatpayPublicKey: { variable: "WECHATPAY_PUBLIC_KEY_FILE", path: "/etc/pub.pem" },
    platformCertificates: { variable: "WECHATPAY_PLATFORM_CERTIFICATES_FILE", path: "/etc/certs.pem" }
  }

  it("an option from a file: the _FILE variable and its path are the subject; other options by variable", () => {
    expect(Environment.renameProblem("WECHATPAY", sources, {
      option: "merchantPrivateKey",
      message: "merchantPrivateKey is a certificate, not a private key: give apiclient_key.pem"
    })).toEqual({
      option: "WECHATPAY_MERCHANT_PRIVATE_KEY_FILE",
      message:
        "WECHATPAY_MERCHANT_PRIVATE_KEY_FILE (/etc/key.pem) is a certificate, not a private key: give apiclient_key.pem"
    })
    expect(Environment.renameProblem("WECHATPAY", sources, {
      option: "wechatpayPublicKey.pem",
      message: "wechatpayPublicKey.pem is a certificate, not a public key: give certificates in platformCertificates"
    })).toEqual({
      option: "WECHATPAY_PUBLIC_KEY_FILE",
      message:
        "WECHATPAY_PUBLIC_KEY_FILE (/etc/pub.pem) is a certificate, not a public key: give certificates in WECHATPAY_PLATFORM_CERTIFICATES_FILE"
    })
    expect(Environment.renameProblem("WECHATPAY", sources, {
      option: "platformCertificates[1]",
      message: "platformCertificates[1] has expired"
    })).toEqual({
      option: "WECHATPAY_PLATFORM_CERTIFICATES_FILE",
      message: "WECHATPAY_PLATFORM_CERTIFICATES_FILE (certificate 2 of /etc/certs.pem) has expired"
    })
  })

  it("an inline option: its variable; the public key id is never the file; an unknown option stays", () => {
    expect(Environment.renameProblem("SHOP", {}, { option: "mchid", message: "mchid must be the merchant id" }))
      .toEqual({ option: "SHOP_MCHID", message: "SHOP_MCHID must be the merchant id" })
    expect(Environment.renameProblem("WECHATPAY", sources, { option: "wechatpayPublicKey.id", message: "bad" }))
      .toEqual({ option: "WECHATPAY_PUBLIC_KEY_ID", message: "WECHATPAY_PUBLIC_KEY_ID: bad" })
    expect(Environment.renameProblem("WECHATPAY", sources, { option: "port", message: "port is busy" }))
      .toBeUndefined()
  })
})
