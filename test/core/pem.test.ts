/**
 * PEM armour and the two DER wrappings WebCrypto needs (src/core/pem.ts): blocks read with stray
 * whitespace tolerated, every problem described without echoing the material, and PKCS#1 wrapped
 * into PKCS#8 and SPKI byte for byte as OpenSSL does it.
 */
import { describe, expect, it } from "@effect/vitest"
import { createPrivateKey, createPublicKey, generateKeyPairSync } from "node:crypto"
import * as Pem from "../../src/core/pem.js"
import { Fixtures } from "../../src/testing/index.js"

const blocksOf = (text: string): ReadonlyArray<Pem.PemBlock> => {
  const blocks = Pem.parsePem(text)
  if (Pem.isPemProblem(blocks)) throw new Error(`not PEM: ${blocks._tag}`)
  return blocks
}

const bodyOf = (pem: string) => pem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, "").replace(/\s+/g, "")

describe("parsePem", () => {
  it("reads every block with its label and DER; indentation, CRLF and blank lines are tolerated", () => {
    const [block] = blocksOf(Fixtures.merchantPublicKey)
    expect(block!.label).toBe("PUBLIC KEY")
    expect(Buffer.from(block!.der).toString("base64")).toBe(bodyOf(Fixtures.merchantPublicKey))
    const messy = "\n\n   " + Fixtures.merchantPublicKey.split("\n").join("\r\n    \r\n") + "\n"
    expect(blocksOf(messy)).toEqual(blocksOf(Fixtures.merchantPublicKey))
    const two = blocksOf(`${Fixtures.platformCertificate1}\n${Fixtures.platformCertificate2}`)
    expect(two.map((b) => b.label)).toEqual(["CERTIFICATE", "CERTIFICATE"])
  })

  it("NotPem, Unterminated, BadBase64 (or an empty body): each named, with the label", () => {
    expect(Pem.parsePem("just text")).toEqual({ _tag: "NotPem" })
    expect(Pem.parsePem("-----BEGIN PRIVATE KEY-----\nMIIB")).toEqual({ _tag: "Unterminated", label: "PRIVATE KEY" })
    expect(Pem.parsePem("-----BEGIN PUBLIC KEY-----\nnot*base64\n-----END PUBLIC KEY-----")).toEqual({
      _tag: "BadBase64",
      label: "PUBLIC KEY"
    })
    expect(Pem.parsePem("-----BEGIN PUBLIC KEY-----\n\n-----END PUBLIC KEY-----")).toEqual({
      _tag: "BadBase64",
      label: "PUBLIC KEY"
    })
    // a BEGIN whose END names another label does not close it
    expect(Pem.parsePem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PRIVATE KEY-----")).toEqual({
      _tag: "Unterminated",
      label: "PUBLIC KEY"
    })
  })

  it("describePemProblem completes a sentence about the option, naming the labels, never the material", () => {
    expect(Pem.describePemProblem({ _tag: "NotPem" }, "PRIVATE KEY")).toBe(
      `is not PEM: expected a "-----BEGIN PRIVATE KEY-----" line, the base64 body and the matching END line (paste the whole file, armour lines included)`
    )
    expect(Pem.describePemProblem({ _tag: "BadBase64", label: "RSA PRIVATE KEY" }, "PRIVATE KEY")).toBe(
      `has a "RSA PRIVATE KEY" block whose body is not valid base64 (a truncated or edited copy?)`
    )
    // the label apart: test/core/x509.test.ts reads every PEM certificate in the test tree
    const label = "CERTIFICATE"
    expect(Pem.describePemProblem({ _tag: "Unterminated", label }, label)).toBe(
      `has "-----BEGIN ${label}-----" but no matching "-----END ${label}-----" line (a truncated copy?)`
    )
  })
})

describe("DER wrappings", () => {
  it("pkcs1ToPkcs8 gives exactly the PKCS#8 OpenSSL exports for the same key", () => {
    const [pkcs1] = blocksOf(Fixtures.merchantPrivateKeyPkcs1)
    expect(pkcs1!.label).toBe("RSA PRIVATE KEY")
    const openssl = createPrivateKey(Fixtures.merchantPrivateKeyPkcs1).export({ type: "pkcs8", format: "der" })
    expect(Buffer.from(Pem.pkcs1ToPkcs8(pkcs1!.der)).equals(openssl)).toBe(true)
    // and it is the fixture's own PKCS#8 form
    expect(Pem.pkcs1ToPkcs8(pkcs1!.der)).toEqual(blocksOf(Fixtures.merchantPrivateKeyPkcs8)[0]!.der)
  })

  it("pkcs1PublicToSpki gives exactly the SPKI OpenSSL exports, for a long and a short key", () => {
    const short = generateKeyPairSync("rsa", { modulusLength: 512 }).publicKey
    for (const key of [createPublicKey(Fixtures.merchantPublicKey), short]) {
      const pkcs1 = new Uint8Array(key.export({ type: "pkcs1", format: "der" }))
      const spki = key.export({ type: "spki", format: "der" })
      expect(Buffer.from(Pem.pkcs1PublicToSpki(pkcs1)).equals(spki)).toBe(true)
    }
  })
})
