/**
 * The `certificates_download` known answer (wechatpay-java's DOWNLOAD_CERTIFICATE_RESPONSE): the
 * library's decryption and certificate reading turn the encrypted entry into the certificate whose
 * serial is `expected_serial_no`, byte for byte the PEM of the vector.
 */
import { describe, expect, it } from "@effect/vitest"
import { DateTime, Effect, Exit, Schema } from "effect"
import { X509Certificate } from "node:crypto"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import * as Certificates from "../../src/internal/certificates.js"
import * as Crypto from "../../src/internal/crypto.js"

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
const response = Schema.decodeUnknownSync(Certificates.CertificatesAnswer)(JSON.parse(vectorFile(vector.response_file)))
const apiV3Key = () => Effect.promise(() => Crypto.importAesKey(Crypto.utf8(vector.apiv3_key)))

describe("certificates_download vector", () => {
  it.effect("decrypts to the certificate whose serial is expected_serial_no (decryptCertificate)", () =>
    Effect.gen(function*() {
      expect(response.data).toHaveLength(1)
      const entry = response.data[0]!
      const certificate = yield* Certificates.decryptCertificate(yield* apiV3Key(), entry)
      expect(certificate.serial).toBe(vector.expected_serial_no)
      expect(entry.serial_no).toBe(vector.expected_serial_no)
      // the validity is the certificate's, and matches the answer's effective_time / expire_time
      expect(certificate.notBefore).toBe(DateTime.toEpochMillis(entry.effective_time!))
      expect(certificate.notAfter).toBe(DateTime.toEpochMillis(entry.expire_time!))
      expect(certificate.effectiveTime).toBe(certificate.notBefore)
      expect(certificate.expireTime).toBe(certificate.notAfter)
      expect(certificate.key.type).toBe("public")
    }))

  it.effect("the plaintext is the vector's PEM, and readCertificate agrees with node's X509Certificate", () =>
    Effect.gen(function*() {
      const entry = response.data[0]!.encrypt_certificate
      const key = yield* apiV3Key()
      const bytes = yield* Effect.promise(() =>
        Crypto.decryptAeadAes256Gcm(key, {
          ciphertext: entry.ciphertext,
          nonce: entry.nonce,
          associatedData: entry.associated_data!
        })
      )
      const pem = Crypto.fromUtf8(bytes)
      expect(pem.trim()).toBe(vectorFile(vector.decrypted_certificate_file).trim())
      const blocks = Crypto.parsePem(pem) as ReadonlyArray<Crypto.PemBlock>
      const read = Crypto.readCertificate(blocks[0]!.der)
      expect(read.serial).toBe(new X509Certificate(pem).serialNumber.toUpperCase())
      expect(read.serial).toBe(vector.expected_serial_no)
    }))

  it.effect("a changed ciphertext, nonce or associated_data, or another APIv3 key, fails with DecodeError", () =>
    Effect.gen(function*() {
      const entry = response.data[0]!
      const key = yield* apiV3Key()
      const otherKey = yield* Effect.promise(() => Crypto.importAesKey(Crypto.utf8("0".repeat(32))))
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
        const exit = yield* Effect.exit(Certificates.decryptCertificate(k, e))
        expect(Exit.isFailure(exit)).toBe(true)
        const error = yield* Effect.flip(Certificates.decryptCertificate(k, e))
        expect(error._tag).toBe("DecodeError")
        expect(error.message).toMatch(/does not decrypt with the APIv3 key/)
        expect(error.message).not.toContain(vector.apiv3_key)
      }
    }))

  it.effect("a serial_no that is not the certificate's serial, or another algorithm, fails with DecodeError", () =>
    Effect.gen(function*() {
      const entry = response.data[0]!
      const key = yield* apiV3Key()
      const wrongSerial = yield* Effect.flip(
        Certificates.decryptCertificate(key, { ...entry, serial_no: "3A1B2C3D4E5F60718293A4B5C6D7E8F901234567" })
      )
      expect(wrongSerial.message).toMatch(/whose serial is 5DEA10EF55877E3CF6C33255C2E7DEFFF7E427EC, not serial_no/)
      const otherAlgorithm = yield* Effect.flip(
        Certificates.decryptCertificate(key, {
          ...entry,
          encrypt_certificate: { ...entry.encrypt_certificate, algorithm: "AEAD_SM4_GCM" }
        })
      )
      expect(otherAlgorithm.message).toMatch(/AEAD_SM4_GCM, not AEAD_AES_256_GCM/)
    }))
})
