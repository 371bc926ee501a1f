/**
 * Key material → WebCrypto keys, once, with a precise word on anything wrong (never the material):
 * the merchant private key (PKCS#8 or PKCS#1 PEM, RSA 2048 bits or more, its parts consistent), a
 * WeChat Pay public key (SPKI or PKCS#1 PEM), platform certificates (X.509 PEM, our DER reader), the
 * APIv3 key (exactly 32 bytes). Then signing and verifying (RSASSA-PKCS1-v1_5 / SHA-256).
 *
 * Every import resolves to the key or to a `KeyProblem` whose `message` completes a sentence that
 * starts with the option's name ("merchantPrivateKey is encrypted …").
 *
 * @internal
 */
import * as Aead from "./aead.js"
import { fromBase64, toBase64, utf8 } from "./bytes.js"
import { describePemProblem, isPemProblem, parsePem, pkcs1PublicToSpki, pkcs1ToPkcs8 } from "./pem.js"
import * as X509 from "./x509.js"

/** @internal */
export const RSA_ALGORITHM = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const

/** The smallest merchant key accepted, in bits: WeChat Pay issues RSA-2048 keys. @internal */
export const MIN_RSA_BITS = 2048

/** @internal */
export interface KeyProblem {
  readonly _tag: "KeyProblem"
  readonly message: string
}

const problem = (message: string): KeyProblem => ({ _tag: "KeyProblem", message })

/** @internal */
export const isKeyProblem = (u: unknown): u is KeyProblem =>
  typeof u === "object" && u !== null && (u as { _tag?: unknown })._tag === "KeyProblem"

const subtle = () => globalThis.crypto.subtle

const PROBE = utf8("effect-wechatpay merchant key check")

/**
 * The modulus size of a PKCS#8 RSA key, and whether its parts agree: WebCrypto imports a key with a
 * damaged line inside the modulus without a word, and every request then fails at WeChat Pay with
 * `SIGN_ERROR`; so the key signs a probe and the public half taken from the key itself (its `n` and
 * `e`, through a JWK export) verifies it. About a millisecond, once per layer.
 */
const inspect = async (
  pkcs8: Uint8Array<ArrayBuffer>
): Promise<{ readonly bits: number; readonly consistent: boolean } | undefined> => {
  try {
    const extractable = await subtle().importKey("pkcs8", pkcs8, RSA_ALGORITHM, true, ["sign"])
    const jwk = await subtle().exportKey("jwk", extractable)
    if (typeof jwk.n !== "string" || typeof jwk.e !== "string") return undefined
    const modulus = fromBase64(jwk.n.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(jwk.n.length / 4) * 4, "="))
    let bits = 0
    if (modulus !== undefined) {
      let i = 0
      while (i < modulus.length && modulus[i] === 0) i++
      bits = i === modulus.length ? 0 : (modulus.length - i - 1) * 8 + (32 - Math.clz32(modulus[i]!))
    }
    const publicHalf = await subtle().importKey(
      "jwk",
      { kty: "RSA", n: jwk.n, e: jwk.e, alg: "RS256", ext: true },
      RSA_ALGORITHM,
      false,
      ["verify"]
    )
    const signature = await subtle().sign(RSA_ALGORITHM, extractable, PROBE)
    return { bits, consistent: await subtle().verify(RSA_ALGORITHM, publicHalf, signature, PROBE) }
  } catch {
    return undefined
  }
}

/**
 * The merchant API private key (apiclient_key.pem) → a non-extractable signing key.
 *
 * @internal
 */
export const importMerchantKey = async (pem: unknown): Promise<CryptoKey | KeyProblem> => {
  if (typeof pem !== "string") return problem("must be a PEM string")
  const blocks = parsePem(pem)
  if (isPemProblem(blocks)) return problem(describePemProblem(blocks, "PRIVATE KEY"))
  const block = blocks[0]!
  let pkcs8: Uint8Array<ArrayBuffer>
  switch (block.label) {
    case "PRIVATE KEY":
      pkcs8 = block.der
      break
    case "RSA PRIVATE KEY":
      pkcs8 = pkcs1ToPkcs8(block.der)
      break
    case "ENCRYPTED PRIVATE KEY":
      return problem(
        "is encrypted (BEGIN ENCRYPTED PRIVATE KEY): decrypt it first, e.g. `openssl pkey -in key.pem -out plain.pem`"
      )
    case "PUBLIC KEY":
    case "RSA PUBLIC KEY":
    case "CERTIFICATE":
      return problem(
        `is a ${block.label.toLowerCase()}, not a private key: give apiclient_key.pem, the merchant API private key`
      )
    default:
      return problem(`has a "${block.label}" block; expected "PRIVATE KEY" (PKCS#8) or "RSA PRIVATE KEY" (PKCS#1)`)
  }
  let key: CryptoKey
  try {
    key = await subtle().importKey("pkcs8", pkcs8, RSA_ALGORITHM, false, ["sign"])
  } catch {
    return problem(`could not be read as an RSA private key (${block.label} block): wrong algorithm or a corrupted key`)
  }
  const facts = await inspect(pkcs8)
  if (facts === undefined || !facts.consistent) {
    return problem(
      `is damaged (${block.label} block): its parts do not agree (a signature made with it does not verify with its own public half), so WeChat Pay would answer every request with SIGN_ERROR; copy apiclient_key.pem again`
    )
  }
  if (facts.bits < MIN_RSA_BITS) {
    return problem(
      `is an RSA-${facts.bits} key; WeChat Pay's merchant API keys are RSA-2048: give apiclient_key.pem as downloaded from the merchant platform`
    )
  }
  return key
}

/**
 * A WeChat Pay public key (pub_key.pem) → a verifying key.
 *
 * @internal
 */
export const importPublicKey = async (pem: unknown): Promise<CryptoKey | KeyProblem> => {
  if (typeof pem !== "string") return problem("must be a PEM string")
  const blocks = parsePem(pem)
  if (isPemProblem(blocks)) return problem(describePemProblem(blocks, "PUBLIC KEY"))
  const block = blocks[0]!
  let spki: Uint8Array<ArrayBuffer>
  switch (block.label) {
    case "PUBLIC KEY":
      spki = block.der
      break
    case "RSA PUBLIC KEY":
      spki = pkcs1PublicToSpki(block.der)
      break
    case "CERTIFICATE":
      return problem("is a certificate, not a public key: give certificates in platformCertificates")
    default:
      return problem(
        `has a "${block.label}" block, which is not a public key; expected "-----BEGIN PUBLIC KEY-----" (pub_key.pem from the merchant platform)`
      )
  }
  try {
    return await importVerifyingKey(spki)
  } catch {
    return problem("could not be read as an RSA public key: wrong algorithm or a corrupted key")
  }
}

/** @internal */
export const importVerifyingKey = (spki: Uint8Array<ArrayBuffer>): Promise<CryptoKey> =>
  subtle().importKey("spki", spki, RSA_ALGORITHM, false, ["verify"])

/**
 * A platform certificate: its serial (uppercase hex), verifying key and validity (epoch millis).
 *
 * @internal
 */
export interface CertificateKey {
  readonly serial: string
  readonly key: CryptoKey
  readonly notBefore: number
  readonly notAfter: number
}

/**
 * Every certificate of one PEM text (a file may hold several). The problem's `message` is about
 * the text as a whole.
 *
 * @internal
 */
export const importCertificates = async (pem: unknown): Promise<ReadonlyArray<CertificateKey> | KeyProblem> => {
  if (typeof pem !== "string") return problem("must be a PEM string")
  const blocks = parsePem(pem)
  if (isPemProblem(blocks)) return problem(describePemProblem(blocks, "CERTIFICATE"))
  const out: Array<CertificateKey> = []
  for (const block of blocks) {
    if (block.label !== "CERTIFICATE") {
      return problem(`has a "${block.label}" block; expected "-----BEGIN CERTIFICATE-----" (wechatpay_<serial>.pem)`)
    }
    const certificate = X509.parseCertificate(block.der)
    if (X509.isCertificateProblem(certificate)) {
      return problem(`is not a readable X.509 certificate (${certificate.reason})`)
    }
    let key: CryptoKey
    try {
      key = await importVerifyingKey(certificate.spki)
    } catch {
      return problem("does not hold an RSA public key")
    }
    out.push({ serial: certificate.serial, key, notBefore: certificate.notBefore, notAfter: certificate.notAfter })
  }
  return out
}

/** The APIv3 key's required length in bytes. @internal */
export const APIV3_KEY_BYTES = 32

/**
 * The APIv3 key → an AES-256-GCM key. Exactly 32 bytes (trailing whitespace, a 16- or 34-byte value
 * are the usual mistakes).
 *
 * @internal
 */
export const importApiV3Key = async (value: unknown): Promise<CryptoKey | KeyProblem> => {
  if (typeof value !== "string") return problem("must be a string")
  const bytes = utf8(value)
  if (bytes.length !== APIV3_KEY_BYTES) {
    const hint = value.trim().length !== value.length ? " (it has leading or trailing whitespace)" : ""
    return problem(`must be exactly 32 bytes; this one is ${bytes.length}${hint}`)
  }
  try {
    return await Aead.importKey(bytes)
  } catch {
    return problem("could not be imported as an AES-256 key")
  }
}

/**
 * RSASSA-PKCS1-v1_5 / SHA-256 over the UTF-8 message, base64.
 *
 * @internal
 */
export const sign = async (key: CryptoKey, message: string): Promise<string> =>
  toBase64(new Uint8Array(await subtle().sign(RSA_ALGORITHM, key, utf8(message))))

/**
 * Whether `signature` holds over the UTF-8 message; `false` (never a rejection) when WebCrypto
 * refuses the inputs.
 *
 * @internal
 */
export const verify = (key: CryptoKey, signature: Uint8Array<ArrayBuffer>, message: string): Promise<boolean> =>
  subtle().verify(RSA_ALGORITHM, key, signature, utf8(message)).catch(() => false)

/** A PKCS#8 DER private key as a signing key, no checks (test keys, the sandbox). @internal */
export const importSigningKey = (pkcs8: Uint8Array<ArrayBuffer>): Promise<CryptoKey> =>
  subtle().importKey("pkcs8", pkcs8, RSA_ALGORITHM, false, ["sign"])
