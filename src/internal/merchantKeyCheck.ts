/**
 * The merchant key's internal consistency, checked once when the `KeyStore` is built: WebCrypto
 * imports a PKCS#8 RSA key without checking that its parts agree, so a key with one base64 line
 * damaged inside the modulus imports, signs, and every request then fails at WeChat Pay with
 * `SIGN_ERROR`. Here the key signs a fixed message and the public half taken from the key itself
 * (its `n` and `e`, through a JWK export) verifies it: a private exponent or primes that do not
 * belong to the modulus give a signature that does not hold. WebCrypto only (no `node:crypto`),
 * about a millisecond, once per layer.
 *
 * @internal
 */
import { RSA_ALGORITHM } from "./crypto.js"

const PROBE = new TextEncoder().encode("effect-wechatpay merchant key check")

/**
 * Whether the PKCS#8 RSA key signs what its own public half verifies. `false` for a key that does
 * not import, or whose parts disagree.
 *
 * @internal
 */
export const isConsistent = async (pkcs8: Uint8Array<ArrayBuffer>): Promise<boolean> => {
  const subtle = globalThis.crypto.subtle
  try {
    const extractable = await subtle.importKey("pkcs8", pkcs8, RSA_ALGORITHM, true, ["sign"])
    const jwk = await subtle.exportKey("jwk", extractable)
    if (typeof jwk.n !== "string" || typeof jwk.e !== "string") return false
    const publicHalf = await subtle.importKey(
      "jwk",
      { kty: "RSA", n: jwk.n, e: jwk.e, alg: "RS256", ext: true },
      RSA_ALGORITHM,
      false,
      ["verify"]
    )
    const signature = await subtle.sign(RSA_ALGORITHM, extractable, PROBE)
    return await subtle.verify(RSA_ALGORITHM, publicHalf, signature, PROBE)
  } catch {
    return false
  }
}
