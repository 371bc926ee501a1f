/**
 * PEM armour and the two DER wrappings WebCrypto needs (PKCS#1 → PKCS#8 for private keys, PKCS#1 →
 * SPKI for public keys). Key material is never echoed in a problem: problems name what is wrong.
 *
 * @internal
 */
import { fromBase64 } from "./bytes.js"

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
export const isPemProblem = (u: ReadonlyArray<PemBlock> | PemProblem): u is PemProblem => !Array.isArray(u)

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

// AlgorithmIdentifier { rsaEncryption, NULL }
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
// INTEGER 0 (version)
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
