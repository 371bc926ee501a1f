/**
 * The certificate download's reading (core/certificates.ts), against the `certificates_download`
 * known answer (wechatpay-java's DOWNLOAD_CERTIFICATE_RESPONSE): the encrypted entry decrypts to the
 * certificate whose serial is `expected_serial_no`, byte for byte the PEM of the vector; what is
 * changed or misnamed is a problem naming the serial, never the key. Also the answer's shape, the
 * trust after a refresh (`merge`) and which certificate `Wechatpay-Serial` names (`newest`).
 */
import { describe, expect, it } from "@effect/vitest"
import { X509Certificate } from "node:crypto"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import * as Aead from "../../src/core/aead.js"
import * as Bytes from "../../src/core/bytes.js"
import * as Certificates from "../../src/core/certificates.js"
import * as Pem from "../../src/core/pem.js"
import * as X509 from "../../src/core/x509.js"

const VECTORS_DIR = fileURLToPath(new URL("../vectors/", import.meta.url))
const vectorFile = (name: string): string => readFileSync(`${VECTORS_DIR}${name}`, "utf8")

interface CertificatesVector {
  readonly apiv3_key: string
  readonly response_file: string
  readonly decrypted_certificate_file: string
  readonly expected_serial_no: string
}

const vector = (JSON.parse(vectorFile("vectors.json")) as { certificates_download: CertificatesVector })
  .certificates_download
const body = vectorFile(vector.response_file)
const parsed = Certificates.parseAnswer(body)
if (Certificates.isCertificatesProblem(parsed)) throw new Error(parsed.message)
const entry = parsed[0]!
const apiV3Key = () => Aead.importKey(Bytes.utf8(vector.apiv3_key))

const decrypted = async (key: CryptoKey, e: Certificates.EncryptedCertificate) => {
  const read = await Certificates.decrypt(key, e)
  if (Certificates.isCertificatesProblem(read)) throw new Error(read.message)
  return read
}

const problem = async (key: CryptoKey, e: Certificates.EncryptedCertificate): Promise<string> => {
  const read = await Certificates.decrypt(key, e)
  if (!Certificates.isCertificatesProblem(read)) throw new Error("expected a problem")
  return read.message
}

describe("certificates_download vector", () => {
  it("decrypts to the certificate whose serial is expected_serial_no", async () => {
    expect(parsed).toHaveLength(1)
    const certificate = await decrypted(await apiV3Key(), entry)
    expect(certificate.serial).toBe(vector.expected_serial_no)
    expect(entry.serial_no).toBe(vector.expected_serial_no)
    // the validity is the certificate's, and matches the answer's effective_time / expire_time
    expect(certificate.effectiveTime).toBe(certificate.notBefore)
    expect(certificate.expireTime).toBe(certificate.notAfter)
    expect(certificate.key.type).toBe("public")
  })

  it("the plaintext is the vector's PEM, and the DER reader agrees with node's X509Certificate", async () => {
    const sealed = entry.encrypt_certificate
    const bytes = await Aead.decryptBytes(await apiV3Key(), {
      ciphertext: sealed.ciphertext,
      nonce: sealed.nonce,
      associatedData: sealed.associated_data!
    })
    const pem = Bytes.fromUtf8(bytes)
    expect(pem.trim()).toBe(vectorFile(vector.decrypted_certificate_file).trim())
    const blocks = Pem.parsePem(pem) as ReadonlyArray<Pem.PemBlock>
    const read = X509.parseCertificate(blocks[0]!.der) as X509.Certificate
    expect(read.serial).toBe(new X509Certificate(pem).serialNumber.toUpperCase())
    expect(read.serial).toBe(vector.expected_serial_no)
  })

  it("a changed ciphertext, nonce or associated_data, or another APIv3 key: a problem, never the key", async () => {
    const key = await apiV3Key()
    const otherKey = await Aead.importKey(Bytes.utf8("0".repeat(32)))
    const flipped = entry.encrypt_certificate.ciphertext.startsWith("A") ? "B" : "A"
    const cases: ReadonlyArray<readonly [CryptoKey, Certificates.EncryptedCertificate]> = [
      [otherKey, entry],
      [key, {
        ...entry,
        encrypt_certificate: {
          ...entry.encrypt_certificate,
          ciphertext: flipped + entry.encrypt_certificate.ciphertext.slice(1)
        }
      }],
      [key, { ...entry, encrypt_certificate: { ...entry.encrypt_certificate, nonce: "000000000000" } }],
      [key, { ...entry, encrypt_certificate: { ...entry.encrypt_certificate, associated_data: "transaction" } }]
    ]
    for (const [k, e] of cases) {
      const message = await problem(k, e)
      expect(message).toMatch(/does not decrypt with the APIv3 key/)
      expect(message).not.toContain(vector.apiv3_key)
    }
  })

  it("a serial_no that is not the certificate's serial, or another algorithm: a problem", async () => {
    const key = await apiV3Key()
    expect(await problem(key, { ...entry, serial_no: "3A1B2C3D4E5F60718293A4B5C6D7E8F901234567" })).toMatch(
      /whose serial is 5DEA10EF55877E3CF6C33255C2E7DEFFF7E427EC, not serial_no/
    )
    expect(
      await problem(key, { ...entry, encrypt_certificate: { ...entry.encrypt_certificate, algorithm: "AEAD_SM4_GCM" } })
    ).toMatch(/AEAD_SM4_GCM, not AEAD_AES_256_GCM/)
  })
})

describe("parseAnswer", () => {
  it("refuses what is not the documented shape, naming where, without recursion", () => {
    const cases: ReadonlyArray<readonly [string, RegExp]> = [
      ["not json", /is not JSON/],
      ["{}", /expected \{ data: \[\.\.\.\] \}/],
      [`{"data":[]}`, /holds no certificate/],
      [`{"data":[1]}`, /data\[0\] is not an object/],
      [`{"data":[{"serial_no":1}]}`, /data\[0\]\.serial_no is not a string/],
      [
        `{"data":[{"serial_no":"A","encrypt_certificate":{"algorithm":"x","nonce":"n"}}]}`,
        /ciphertext is not a string/
      ],
      [
        `{"data":[{"serial_no":"A","effective_time":"yesterday","encrypt_certificate":{"algorithm":"x","nonce":"n","ciphertext":"c"}}]}`,
        /effective_time: expected a WeChat Pay time/
      ],
      // 5,000 nested arrays: a problem, not a stack overflow
      [`{"data":${"[".repeat(5000)}${"]".repeat(5000)}}`, /more than 32 levels deep/]
    ]
    for (const [text, expected] of cases) {
      const read = Certificates.parseAnswer(text)
      expect(Certificates.isCertificatesProblem(read), text.slice(0, 40)).toBe(true)
      expect((read as Certificates.CertificatesProblem).message, text.slice(0, 40)).toMatch(expected)
    }
  })
})

describe("trust across refreshes", () => {
  const key = {} as CryptoKey
  const at = (serial: string, notBefore: number, notAfter: number, extra: Partial<Certificates.Trusted> = {}) => ({
    serial,
    key,
    notBefore,
    notAfter,
    ...extra
  })

  it("merge keeps what is still trusted, lets the answer's word on a serial win, refuses an all-expired answer", () => {
    const old = at("OLD", 0, 1000)
    const renamed = at("KEEP", 0, 1000)
    const merged = Certificates.merge(
      [old, renamed],
      [at("KEEP", 0, 1000, { expireTime: 600 }), at("NEW", 100, 2000)],
      500
    )
    expect(Certificates.isCertificatesProblem(merged)).toBe(false)
    const map = merged as ReadonlyMap<string, Certificates.Trusted>
    expect([...map.keys()].sort()).toEqual(["KEEP", "NEW", "OLD"])
    expect(map.get("KEEP")!.expireTime).toBe(600)
    // at 1500 OLD has expired and is dropped
    const later = Certificates.merge(map.values(), [at("NEW", 100, 2000)], 1500) as ReadonlyMap<
      string,
      Certificates.Trusted
    >
    expect([...later.keys()]).toEqual(["NEW"])
    expect(Certificates.isCertificatesProblem(Certificates.merge([], [at("GONE", 0, 10)], 20))).toBe(true)
  })

  it("newest: the newest already in effect (effective_time, else notBefore), else the newest", () => {
    const a = at("A", 0, 10_000)
    const b = at("B", 0, 10_000, { effectiveTime: 5000 })
    expect(Certificates.newest([a, b], 1000)!.serial).toBe("A")
    expect(Certificates.newest([a, b], 6000)!.serial).toBe("B")
    expect(Certificates.newest([b], 1000)!.serial).toBe("B")
    expect(Certificates.newest([], 1000)).toBeUndefined()
  })
})
