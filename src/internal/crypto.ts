/**
 * WebCrypto, PEM and base64 helpers. Everything RSA and AES goes through `globalThis.crypto.subtle`
 * (off the event loop); X.509, which WebCrypto lacks, is read by our own DER reader (`x509.ts`):
 * nothing here needs Node.
 *
 * @internal
 */
import * as X509 from "./x509.js"

const subtle = globalThis.crypto.subtle
const encoder = new TextEncoder()
const decoder = new TextDecoder("utf-8", { fatal: true })

/** @internal */
export const RSA_ALGORITHM = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const

/** @internal */
export const utf8 = (text: string): Uint8Array<ArrayBuffer> => encoder.encode(text)

/** @internal */
export const fromUtf8 = (bytes: Uint8Array): string => decoder.decode(bytes)

// ---------------------------------------------------------------------------------------------
// base64
// ---------------------------------------------------------------------------------------------

const hasBuffer = typeof globalThis.Buffer === "function"
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/** @internal */
export const toBase64 = (bytes: Uint8Array): string => {
  if (hasBuffer) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64")
  let binary = ""
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!)
  return btoa(binary)
}

/**
 * Strict base64 (standard alphabet, padded): `undefined` for anything else, never a throw.
 *
 * @internal
 */
export const fromBase64 = (text: string): Uint8Array<ArrayBuffer> | undefined => {
  if (hasBuffer) {
    // Buffer's decoder skips what is not base64: a text that encodes back to itself is canonical
    // base64, which the pattern accepts (checking that way costs less than the pattern on a
    // 344-character signature); anything else is checked against the pattern
    const buffer = Buffer.from(text, "base64")
    if (buffer.toString("base64") !== text && !BASE64.test(text)) return undefined
    return new Uint8Array(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength))
  }
  if (!BASE64.test(text)) return undefined
  const binary = atob(text)
  const out = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i)
  return out
}

// ---------------------------------------------------------------------------------------------
// PEM
// ---------------------------------------------------------------------------------------------

/** @internal */
export interface PemBlock {
  readonly label: string
  readonly der: Uint8Array<ArrayBuffer>
}

/** @internal */
export type PemProblem =
  | { readonly _tag: "NotPem" }
  | { readonly _tag: "BadBase64"; readonly label: string }
  | { readonly _tag: "Unterminated"; readonly label: string }

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g

/**
 * Reads every PEM block of a text. Stray whitespace (indentation, CRLF, blank lines) is tolerated;
 * anything else is described precisely, never echoed (it may be key material).
 *
 * @internal
 */
export const parsePem = (text: string): ReadonlyArray<PemBlock> | PemProblem => {
  const blocks: Array<PemBlock> = []
  for (const match of text.matchAll(PEM_BLOCK)) {
    const label = match[1]!
    const body = match[2]!.replace(/\s+/g, "")
    const der = fromBase64(body)
    if (der === undefined || der.length === 0) return { _tag: "BadBase64", label }
    blocks.push({ label, der })
  }
  if (blocks.length > 0) return blocks
  const begin = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(text)
  if (begin) return { _tag: "Unterminated", label: begin[1]! }
  return { _tag: "NotPem" }
}

/** @internal */
export const describePemProblem = (problem: PemProblem, expected: string): string => {
  switch (problem._tag) {
    case "NotPem":
      return `is not PEM: expected a "-----BEGIN ${expected}-----" line, the base64 body and the matching END line (paste the whole file, armour lines included)`
    case "BadBase64":
      return `has a "${problem.label}" block whose body is not valid base64 (a truncated or edited copy?)`
    case "Unterminated":
      return `has "-----BEGIN ${problem.label}-----" but no matching "-----END ${problem.label}-----" line (a truncated copy?)`
  }
}

// ---------------------------------------------------------------------------------------------
// DER: PKCS#1 → PKCS#8, without node:crypto
// ---------------------------------------------------------------------------------------------

const derLength = (length: number): Array<number> => {
  if (length < 0x80) return [length]
  const bytes: Array<number> = []
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff)
  return [0x80 | bytes.length, ...bytes]
}

const derTlv = (tag: number, content: Uint8Array): Uint8Array<ArrayBuffer> => {
  const header = [tag, ...derLength(content.length)]
  const out = new Uint8Array(header.length + content.length)
  out.set(header, 0)
  out.set(content, header.length)
  return out
}

// AlgorithmIdentifier { rsaEncryption, NULL } and INTEGER 0 (version)
const RSA_ALGORITHM_IDENTIFIER = Uint8Array.from([
  0x30,
  0x0d,
  0x06,
  0x09,
  0x2a,
  0x86,
  0x48,
  0x86,
  0xf7,
  0x0d,
  0x01,
  0x01,
  0x01,
  0x05,
  0x00
])
const VERSION_0 = Uint8Array.from([0x02, 0x01, 0x00])

/**
 * Wraps a PKCS#1 `RSAPrivateKey` into a PKCS#8 `PrivateKeyInfo` (RFC 5208), which WebCrypto imports.
 *
 * @internal
 */
export const pkcs1ToPkcs8 = (pkcs1: Uint8Array): Uint8Array<ArrayBuffer> => {
  const octets = derTlv(0x04, pkcs1)
  const content = new Uint8Array(VERSION_0.length + RSA_ALGORITHM_IDENTIFIER.length + octets.length)
  content.set(VERSION_0, 0)
  content.set(RSA_ALGORITHM_IDENTIFIER, VERSION_0.length)
  content.set(octets, VERSION_0.length + RSA_ALGORITHM_IDENTIFIER.length)
  return derTlv(0x30, content)
}

/**
 * Wraps a PKCS#1 `RSAPublicKey` into an SPKI `SubjectPublicKeyInfo`.
 *
 * @internal
 */
export const pkcs1PublicToSpki = (pkcs1: Uint8Array): Uint8Array<ArrayBuffer> => {
  const bitString = new Uint8Array(pkcs1.length + 1)
  bitString.set(pkcs1, 1)
  const bits = derTlv(0x03, bitString)
  const content = new Uint8Array(RSA_ALGORITHM_IDENTIFIER.length + bits.length)
  content.set(RSA_ALGORITHM_IDENTIFIER, 0)
  content.set(bits, RSA_ALGORITHM_IDENTIFIER.length)
  return derTlv(0x30, content)
}

// ---------------------------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------------------------

/** @internal */
export const importSigningKey = (pkcs8: Uint8Array<ArrayBuffer>): Promise<CryptoKey> =>
  subtle.importKey("pkcs8", pkcs8, RSA_ALGORITHM, false, ["sign"])

/** @internal */
export const importVerifyingKey = (spki: Uint8Array<ArrayBuffer>): Promise<CryptoKey> =>
  subtle.importKey("spki", spki, RSA_ALGORITHM, false, ["verify"])

/** @internal */
export const sign = async (key: CryptoKey, message: string): Promise<string> =>
  toBase64(new Uint8Array(await subtle.sign(RSA_ALGORITHM, key, utf8(message))))

/** @internal */
export const verify = (key: CryptoKey, signature: Uint8Array<ArrayBuffer>, message: string): Promise<boolean> =>
  subtle.verify(RSA_ALGORITHM, key, signature, utf8(message))

/** @internal */
export type Certificate = X509.Certificate

/**
 * What `readCertificate` throws (inside `Effect.try`): the DER reader's reason, which names the
 * field and byte offset, never the bytes.
 *
 * @internal
 */
export class CertificateError extends Error {
  constructor(readonly reason: string) {
    super(reason)
    this.name = "CertificateError"
  }
}

/**
 * Why a certificate could not be read, for an error message: the reason of a `CertificateError`,
 * a fixed text for anything else.
 *
 * @internal
 */
export const certificateReason = (e: unknown): string => e instanceof CertificateError ? e.reason : "unreadable DER"

/**
 * Reads a DER X.509 certificate: serial (uppercase hex, no leading zero byte padding), public key
 * and validity. Throws a `CertificateError` on anything else (see `X509.parseCertificate` for the
 * non-throwing form).
 *
 * @internal
 */
export const readCertificate = (der: Uint8Array): Certificate => {
  const read = X509.parseCertificate(der)
  if (X509.isCertificateProblem(read)) throw new CertificateError(read.reason)
  return read
}

// ---------------------------------------------------------------------------------------------
// AES-256-GCM (APIv3 key)
// ---------------------------------------------------------------------------------------------

/** @internal */
export const importAesKey = (raw: Uint8Array<ArrayBuffer>): Promise<CryptoKey> =>
  subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["decrypt", "encrypt"])

/**
 * `AEAD_AES_256_GCM` as WeChat Pay uses it: `ciphertext` is base64(encrypted ‖ 16-byte tag),
 * `nonce` and `associated_data` are ASCII. Rejects on a bad tag.
 *
 * @internal
 */
export const decryptAeadAes256Gcm = async (
  key: CryptoKey,
  input: { readonly ciphertext: string; readonly nonce: string; readonly associatedData: string }
): Promise<Uint8Array> => {
  const data = fromBase64(input.ciphertext)
  if (data === undefined || data.length < 16) throw new Error("ciphertext is not base64 of at least 16 bytes")
  const plain = await subtle.decrypt(
    { name: "AES-GCM", iv: utf8(input.nonce), additionalData: utf8(input.associatedData), tagLength: 128 },
    key,
    data
  )
  return new Uint8Array(plain)
}

/** @internal */
export const encryptAeadAes256Gcm = async (
  key: CryptoKey,
  input: { readonly plaintext: string; readonly nonce: string; readonly associatedData: string }
): Promise<string> => {
  const sealed = await subtle.encrypt(
    { name: "AES-GCM", iv: utf8(input.nonce), additionalData: utf8(input.associatedData), tagLength: 128 },
    key,
    utf8(input.plaintext)
  )
  return toBase64(new Uint8Array(sealed))
}
