/**
 * Key material → WebCrypto keys (src/core/keys.ts), each refusal a `KeyProblem` whose message
 * completes a sentence about the option and never echoes the material: the merchant key (PKCS#8,
 * PKCS#1, encrypted, a public key given instead, another label, another algorithm, damaged,
 * RSA-1024), the WeChat Pay public key, platform certificates, the APIv3 key; then sign and verify.
 * Keys are made here with node:crypto.
 */
import { describe, expect, it } from "@effect/vitest"
import { generateKeyPairSync } from "node:crypto"
import * as Keys from "../../src/core/keys.js"
import { Fixtures } from "../../src/testing/index.js"
import { vectorFile } from "../helpers/vectors.js"

/** The label, apart: test/core/x509.test.ts reads every PEM certificate in the test tree. */
const CERTIFICATE = "CERTIFICATE"

const rsa = (bits: number) => generateKeyPairSync("rsa", { modulusLength: bits })
const rsa2048 = rsa(2048)

/** The problem's message, or a failure when a key came back. */
const problemOf = async (imported: Promise<CryptoKey | Keys.KeyProblem | ReadonlyArray<Keys.CertificateKey>>) => {
  const result = await imported
  if (!Keys.isKeyProblem(result)) throw new Error("expected a KeyProblem, got a key")
  return result.message
}

const keyOf = async (imported: Promise<CryptoKey | Keys.KeyProblem>): Promise<CryptoKey> => {
  const result = await imported
  if (Keys.isKeyProblem(result)) throw new Error(result.message)
  return result
}

/** The PEM with one character of its second base64 line (inside the modulus) changed. */
const damage = (pem: string): string => {
  const lines = pem.split("\n")
  const line = lines[2]!
  lines[2] = line.slice(0, 10) + (line[10] === "A" ? "B" : "A") + line.slice(11)
  return lines.join("\n")
}

describe("importMerchantKey", () => {
  it("PKCS#8 and PKCS#1: a non-extractable RSA signing key whose signatures verify with the public half", async () => {
    const verifying = await keyOf(Keys.importPublicKey(Fixtures.merchantPublicKey))
    for (const pem of [Fixtures.merchantPrivateKeyPkcs8, Fixtures.merchantPrivateKeyPkcs1]) {
      const key = await keyOf(Keys.importMerchantKey(pem))
      expect([key.type, key.extractable, key.usages, key.algorithm.name]).toEqual([
        "private",
        false,
        ["sign"],
        "RSASSA-PKCS1-v1_5"
      ])
      const signature = await Keys.sign(key, "message")
      expect(await Keys.verify(verifying, Uint8Array.from(Buffer.from(signature, "base64")), "message")).toBe(true)
    }
    // a key made here, in both forms
    for (const type of ["pkcs8", "pkcs1"] as const) {
      await keyOf(Keys.importMerchantKey(rsa2048.privateKey.export({ type, format: "pem" }) as string))
    }
  })

  it("an encrypted key: says so and how to decrypt it", async () => {
    const encrypted = rsa2048.privateKey.export({
      type: "pkcs8",
      format: "pem",
      cipher: "aes-256-cbc",
      passphrase: "secret"
    }) as string
    expect(encrypted).toContain("BEGIN ENCRYPTED PRIVATE KEY")
    expect(await problemOf(Keys.importMerchantKey(encrypted))).toBe(
      "is encrypted (BEGIN ENCRYPTED PRIVATE KEY): decrypt it first, e.g. `openssl pkey -in key.pem -out plain.pem`"
    )
  })

  it("a public key, a PKCS#1 public key or a certificate given instead: not a private key", async () => {
    const pkcs1Public = rsa2048.publicKey.export({ type: "pkcs1", format: "pem" }) as string
    expect(await problemOf(Keys.importMerchantKey(Fixtures.merchantPublicKey))).toBe(
      "is a public key, not a private key: give apiclient_key.pem, the merchant API private key"
    )
    expect(await problemOf(Keys.importMerchantKey(pkcs1Public))).toBe(
      "is a rsa public key, not a private key: give apiclient_key.pem, the merchant API private key"
    )
    expect(await problemOf(Keys.importMerchantKey(Fixtures.platformCertificate1))).toBe(
      "is a certificate, not a private key: give apiclient_key.pem, the merchant API private key"
    )
  })

  it("another label, another algorithm, not PEM, not a string", async () => {
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" })
    expect(await problemOf(Keys.importMerchantKey(ec.privateKey.export({ type: "sec1", format: "pem" }) as string)))
      .toBe(`has a "EC PRIVATE KEY" block; expected "PRIVATE KEY" (PKCS#8) or "RSA PRIVATE KEY" (PKCS#1)`)
    expect(await problemOf(Keys.importMerchantKey(ec.privateKey.export({ type: "pkcs8", format: "pem" }) as string)))
      .toBe("could not be read as an RSA private key (PRIVATE KEY block): wrong algorithm or a corrupted key")
    expect(await problemOf(Keys.importMerchantKey("apiclient_key.pem"))).toMatch(
      /^is not PEM: expected a "-----BEGIN PRIVATE KEY-----" line/
    )
    expect(await problemOf(Keys.importMerchantKey(undefined))).toBe("must be a PEM string")
  })

  it("damaged (one character of the modulus changed): refused, in both forms, without the material", async () => {
    for (
      const [pem, label] of [[Fixtures.merchantPrivateKeyPkcs8, "PRIVATE KEY"], [
        Fixtures.merchantPrivateKeyPkcs1,
        "RSA PRIVATE KEY"
      ]] as const
    ) {
      const message = await problemOf(Keys.importMerchantKey(damage(pem)))
      expect(message).toBe(
        `is damaged (${label} block): its parts do not agree (a signature made with it does not verify with its own public half), so WeChat Pay would answer every request with SIGN_ERROR; copy apiclient_key.pem again`
      )
    }
  })

  it("RSA-1024 is refused (WeChat Pay's merchant keys are RSA-2048); RSA-3072 is accepted", async () => {
    expect(Keys.MIN_RSA_BITS).toBe(2048)
    const small = rsa(1024).privateKey.export({ type: "pkcs8", format: "pem" }) as string
    expect(await problemOf(Keys.importMerchantKey(small))).toBe(
      "is an RSA-1024 key; WeChat Pay's merchant API keys are RSA-2048: give apiclient_key.pem as downloaded from the merchant platform"
    )
    await keyOf(Keys.importMerchantKey(rsa(3072).privateKey.export({ type: "pkcs8", format: "pem" }) as string))
  })
})

describe("importPublicKey", () => {
  it("SPKI and PKCS#1: a verifying key", async () => {
    for (const pem of [Fixtures.wechatpayPublicKey, rsa2048.publicKey.export({ type: "pkcs1", format: "pem" })]) {
      const key = await keyOf(Keys.importPublicKey(pem as string))
      expect([key.type, key.usages]).toEqual(["public", ["verify"]])
    }
  })

  it("a certificate, a private key, another algorithm, not PEM, not a string: each named", async () => {
    expect(await problemOf(Keys.importPublicKey(Fixtures.platformCertificate1))).toBe(
      "is a certificate, not a public key: give certificates in platformCertificates"
    )
    expect(await problemOf(Keys.importPublicKey(Fixtures.merchantPrivateKeyPkcs8))).toBe(
      `has a "PRIVATE KEY" block, which is not a public key; expected "-----BEGIN PUBLIC KEY-----" (pub_key.pem from the merchant platform)`
    )
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ type: "spki", format: "pem" })
    expect(await problemOf(Keys.importPublicKey(ec as string))).toBe(
      "could not be read as an RSA public key: wrong algorithm or a corrupted key"
    )
    expect(await problemOf(Keys.importPublicKey("-----BEGIN PUBLIC KEY-----\n"))).toMatch(
      /^has "-----BEGIN PUBLIC KEY-----" but no matching/
    )
    expect(await problemOf(Keys.importPublicKey(42))).toBe("must be a PEM string")
  })
})

describe("importCertificates", () => {
  it("every certificate of a text: its serial (uppercase hex), key and validity", async () => {
    const certificates = await Keys.importCertificates(
      `${Fixtures.platformCertificate1}\n${Fixtures.platformCertificate2}`
    )
    if (Keys.isKeyProblem(certificates)) throw new Error(certificates.message)
    expect(certificates.map((c) => c.serial)).toEqual([Fixtures.platformSerialNo1, Fixtures.platformSerialNo2])
    for (const c of certificates) {
      expect(c.notBefore).toBeLessThan(c.notAfter)
      expect(c.key.usages).toEqual(["verify"])
    }
  })

  it("a block that is not a certificate, or a certificate that does not read: named", async () => {
    expect(await problemOf(Keys.importCertificates(`${Fixtures.platformCertificate1}\n${Fixtures.wechatpayPublicKey}`)))
      .toBe(`has a "PUBLIC KEY" block; expected "-----BEGIN ${CERTIFICATE}-----" (wechatpay_<serial>.pem)`)
    const truncated = "-----BEGIN CERTIFICATE-----\nMIIBCgKCAQEA\n-----END CERTIFICATE-----"
    expect(await problemOf(Keys.importCertificates(truncated))).toMatch(/^is not a readable X\.509 certificate \(.+\)$/)
    expect(await problemOf(Keys.importCertificates(null))).toBe("must be a PEM string")
    expect(await problemOf(Keys.importCertificates("no certificate here"))).toMatch(
      /^is not PEM: expected a "-----BEGIN CERTIFICATE-{5}"/
    )
  })

  it("the certificates of the official SDKs read too (wechatpay-go's notification certificate)", async () => {
    const certificates = await Keys.importCertificates(vectorFile("go-notification-platform-certificate.pem"))
    expect(Keys.isKeyProblem(certificates)).toBe(false)
  })
})

describe("importApiV3Key", () => {
  it("exactly 32 bytes: an AES-GCM key", async () => {
    const key = await keyOf(Keys.importApiV3Key(Fixtures.apiV3Key))
    expect(key.algorithm.name).toBe("AES-GCM")
    expect(Keys.APIV3_KEY_BYTES).toBe(32)
  })

  it("any other length in bytes (characters are not bytes), whitespace named, never the key", async () => {
    expect(await problemOf(Keys.importApiV3Key("a".repeat(31)))).toBe("must be exactly 32 bytes; this one is 31")
    expect(await problemOf(Keys.importApiV3Key("a".repeat(16)))).toBe("must be exactly 32 bytes; this one is 16")
    expect(await problemOf(Keys.importApiV3Key(`${Fixtures.apiV3Key} `))).toBe(
      "must be exactly 32 bytes; this one is 33 (it has leading or trailing whitespace)"
    )
    // 11 characters of 3 bytes each
    expect(await problemOf(Keys.importApiV3Key("密".repeat(11)))).toBe("must be exactly 32 bytes; this one is 33")
    expect(await problemOf(Keys.importApiV3Key(32))).toBe("must be a string")
  })
})

describe("sign and verify", () => {
  it("sign is RSASSA-PKCS1-v1_5 / SHA-256 over UTF-8; verify holds only over the same message", async () => {
    const signing = await Keys.importSigningKey(
      new Uint8Array(rsa2048.privateKey.export({ type: "pkcs8", format: "der" }))
    )
    const verifying = await Keys.importVerifyingKey(
      new Uint8Array(rsa2048.publicKey.export({ type: "spki", format: "der" }))
    )
    const signature = Uint8Array.from(Buffer.from(await Keys.sign(signing, "签名 message"), "base64"))
    expect(await Keys.verify(verifying, signature, "签名 message")).toBe(true)
    expect(await Keys.verify(verifying, signature, "签名 messagf")).toBe(false)
    expect(await Keys.verify(verifying, signature.slice(1), "签名 message")).toBe(false)
  })

  it("verify answers false, never rejects, when WebCrypto refuses the inputs (a signing key given)", async () => {
    const signing = await Keys.importSigningKey(
      new Uint8Array(rsa2048.privateKey.export({ type: "pkcs8", format: "der" }))
    )
    await expect(Keys.verify(signing, new Uint8Array(256), "m")).resolves.toBe(false)
  })
})
