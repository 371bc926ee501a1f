/**
 * The DER reader (src/core/x509.ts) against `node:crypto`'s `X509Certificate`, on every
 * certificate of the test tree and of the shared known-answer vectors (official SDKs' fixtures:
 * wechatpay-java, wechatpay-go), and on malformed DER: always a `CertificateProblem`, never a throw.
 */
import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { createPublicKey, X509Certificate } from "node:crypto"
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import * as Keys from "../../src/core/keys.js"
import * as Pem from "../../src/core/pem.js"
import * as X509 from "../../src/core/x509.js"

const ROOT = fileURLToPath(new URL("../../", import.meta.url))

/**
 * The shared vectors sit beside the clone in CI (`../shared`), two levels up in a worktree; read
 * when present (test/vectors holds copies of the official SDKs' certificates either way).
 */
const SHARED = [join(ROOT, "../shared/vectors"), join(ROOT, "../../shared/vectors")].find(existsSync)

const filesUnder = (dir: string): ReadonlyArray<string> =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : /\.(pem|json|ts|txt)$/.test(name) ? [path] : []
  })

/** Every PEM certificate in a text, also inside JSON or TS strings (escaped newlines). */
const certificatesIn = (text: string): ReadonlyArray<string> =>
  text.replace(/\\n/g, "\n").match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []

const sources = [join(ROOT, "test"), join(ROOT, "src/testing"), ...(SHARED === undefined ? [] : [SHARED])]
const fixtures: ReadonlyArray<{ readonly file: string; readonly pem: string }> = sources.flatMap((dir) =>
  filesUnder(dir).filter((file) => !file.endsWith("x509.test.ts")).flatMap((file) =>
    certificatesIn(readFileSync(file, "utf8")).map((pem) => ({ file: file.slice(ROOT.length), pem }))
  )
)
const unique = [...new Map(fixtures.map((f) => [f.pem.replace(/\s+/g, ""), f])).values()]

const derOf = (pem: string): Uint8Array | undefined => {
  const blocks = Pem.parsePem(pem)
  return Array.isArray(blocks) ? (blocks as ReadonlyArray<Pem.PemBlock>)[0]!.der : undefined
}

const nodeReading = (der: Uint8Array) => {
  const x509 = new X509Certificate(der)
  return {
    serial: x509.serialNumber.toUpperCase(),
    spki: new Uint8Array(x509.publicKey.export({ type: "spki", format: "der" })),
    notBefore: Date.parse(x509.validFrom),
    notAfter: Date.parse(x509.validTo)
  }
}

describe("X.509 DER reader", () => {
  it("finds the fixture certificates (the test tree, the sandbox's, the shared vectors)", () => {
    // 4 in test/vectors (the official SDKs' certificates), 3 in src/testing/fixtures.ts: at least 7 distinct
    expect(unique.length).toBeGreaterThanOrEqual(7)
    expect(fixtures.some((f) => f.file.startsWith("test/vectors/"))).toBe(true)
  })

  for (const { file, pem } of unique) {
    it(`agrees with node:crypto on ${file} (${pem.slice(28, 48).trim()}…)`, () => {
      const der = derOf(pem)
      if (der === undefined) {
        // a test's deliberately broken PEM (bad base64): node refuses it too
        expect(() => new X509Certificate(pem)).toThrow()
        return
      }
      let node: ReturnType<typeof nodeReading> | undefined
      try {
        node = nodeReading(der)
      } catch {
        node = undefined
      }
      const ours = X509.parseCertificate(der)
      if (node === undefined) {
        // a test's deliberately broken certificate: refused by both
        expect(X509.isCertificateProblem(ours)).toBe(true)
        return
      }
      if (X509.isCertificateProblem(ours)) throw new Error(ours.reason)
      expect(ours.serial).toBe(node.serial)
      expect(ours.spki).toEqual(node.spki)
      expect(ours.notBefore).toBe(node.notBefore)
      expect(ours.notAfter).toBe(node.notAfter)
      // and the SPKI imports with WebCrypto, as the library does
      expect(createPublicKey({ key: Buffer.from(ours.spki), format: "der", type: "spki" }).asymmetricKeyType).toBe(
        "rsa"
      )
    })
  }

  it("the decrypted certificates_download vector: the serial is expected_serial_no", () => {
    const vectors = JSON.parse(readFileSync(join(ROOT, "test/vectors/vectors.json"), "utf8")) as {
      certificates_download: { decrypted_certificate_file: string; expected_serial_no: string }
    }
    const pem = readFileSync(
      join(ROOT, "test/vectors", vectors.certificates_download.decrypted_certificate_file),
      "utf8"
    )
    const read = X509.parseCertificate(derOf(pem)!)
    expect(X509.isCertificateProblem(read)).toBe(false)
    expect((read as X509.Certificate).serial).toBe(vectors.certificates_download.expected_serial_no)
  })

  const sample = derOf(readFileSync(join(ROOT, "test/vectors/java-platform-certificate.pem"), "utf8"))!

  it("names what is wrong: truncated, trailing bytes, indefinite length, a wrong tag", () => {
    const reason = (der: Uint8Array) => {
      const read = X509.parseCertificate(der)
      return X509.isCertificateProblem(read) ? read.reason : "read"
    }
    expect(reason(new Uint8Array(0))).toBe("Certificate: missing (the data ends at byte 0)")
    expect(reason(sample.slice(0, sample.length - 1))).toMatch(/^Certificate: \d+ bytes announced at byte 0/)
    expect(reason(Uint8Array.from([...sample, 0]))).toBe("Certificate: 1 bytes after its end")
    expect(reason(Uint8Array.from([0x30, 0x80, 0, 0]))).toMatch(/indefinite length/)
    expect(reason(Uint8Array.from([0x31, 0x00]))).toMatch(/^Certificate: tag 0x31 at byte 0, expected 0x30/)
    expect(reason(Uint8Array.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff]))).toMatch(/announced/)
  })

  it("a certificate that does not read: importCertificates says why, which InvalidConfig carries", async () => {
    const truncated = `-----BEGIN CERTIFICATE-----\n${
      Buffer.from(sample.slice(0, 20)).toString("base64")
    }\n-----END CERTIFICATE-----`
    const read = await Keys.importCertificates(truncated)
    expect(Keys.isKeyProblem(read)).toBe(true)
    expect((read as Keys.KeyProblem).message).toMatch(/is not a readable X\.509 certificate \(.*announced/)
  })

  const neverThrows = (der: Uint8Array) => {
    const read = X509.parseCertificate(der)
    if (X509.isCertificateProblem(read)) {
      expect(typeof read.reason).toBe("string")
      expect(read.reason.length).toBeGreaterThan(0)
    }
    return read
  }

  it.prop("any bytes: a Certificate or a CertificateProblem, never a throw", [
    fc.uint8Array({ maxLength: 2048 })
  ], ([bytes]) => {
    neverThrows(bytes)
  }, { fastCheck: { numRuns: 2000 } })

  it.prop("a certificate cut anywhere: a CertificateProblem", [fc.nat(sample.length - 1)], ([at]) => {
    const read = neverThrows(sample.slice(0, at))
    expect(X509.isCertificateProblem(read)).toBe(true)
  }, { fastCheck: { numRuns: 500 } })

  it.prop(
    "a certificate with bytes changed, inserted or removed: never a throw; when both read it, node agrees",
    [
      fc.array(
        fc.record({ at: fc.nat(sample.length - 1), byte: fc.integer({ min: 0, max: 255 }), op: fc.nat(2) }),
        { minLength: 1, maxLength: 4 }
      )
    ],
    ([edits]) => {
      const bytes = Array.from(sample)
      for (const { at, byte, op } of edits) {
        const i = Math.min(at, bytes.length - 1)
        if (op === 0) bytes[i] = byte
        else if (op === 1) bytes.splice(i, 0, byte)
        else bytes.splice(i, 1)
      }
      const der = Uint8Array.from(bytes)
      const read = neverThrows(der)
      if (X509.isCertificateProblem(read)) return
      let node: ReturnType<typeof nodeReading> | undefined
      try {
        node = nodeReading(der)
      } catch {
        // node refuses more (names, extensions, the key): nothing to compare
      }
      if (node !== undefined) {
        expect(read.serial).toBe(node.serial)
        expect(read.notBefore).toBe(node.notBefore)
        expect(read.notAfter).toBe(node.notAfter)
      }
    },
    { fastCheck: { numRuns: 1000 } }
  )
})
