/**
 * `AEAD_AES_256_GCM` as WeChat Pay uses it (certificates and notification resources): key = the 32
 * bytes of the APIv3 key, nonce = 12 ASCII bytes, AAD = `associated_data` (may be empty),
 * `ciphertext` = base64(encrypted ‖ 16-byte tag). WebCrypto only.
 *
 * @internal
 */
import { fromBase64, fromUtf8, toBase64, utf8 } from "./bytes.js"

/** The one algorithm WeChat Pay uses. @internal */
export const ALGORITHM = "AEAD_AES_256_GCM"

/** @internal */
export const importKey = (raw: Uint8Array<ArrayBuffer>): Promise<CryptoKey> =>
  globalThis.crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["decrypt", "encrypt"])

/** What does not decrypt, and why (never the key, never the plaintext). @internal */
export type DecryptionProblem = "UnsupportedAlgorithm" | "MalformedCiphertext" | "AuthenticationFailed"

/** @internal */
export interface Sealed {
  readonly algorithm?: string | undefined
  readonly ciphertext: string
  readonly nonce: string
  readonly associated_data?: string | null | undefined
}

/**
 * Decrypts to bytes; rejects (the promise) when the tag does not hold.
 *
 * @internal
 */
export const decryptBytes = async (
  key: CryptoKey,
  input: { readonly ciphertext: string; readonly nonce: string; readonly associatedData: string }
): Promise<Uint8Array> => {
  const data = fromBase64(input.ciphertext)
  if (data === undefined || data.length < 16) throw new Error("ciphertext is not base64 of at least 16 bytes")
  const plain = await globalThis.crypto.subtle.decrypt(
    { name: "AES-GCM", iv: utf8(input.nonce), additionalData: utf8(input.associatedData), tagLength: 128 },
    key,
    data
  )
  return new Uint8Array(plain)
}

/**
 * Decrypts a sealed resource into UTF-8 text, or says why not. Never rejects.
 *
 * @internal
 */
export const decryptText = async (
  key: CryptoKey,
  sealed: Sealed
): Promise<{ readonly _tag: "Decrypted"; readonly text: string } | { readonly _tag: DecryptionProblem }> => {
  if (sealed.algorithm !== undefined && sealed.algorithm !== ALGORITHM) return { _tag: "UnsupportedAlgorithm" }
  const data = fromBase64(sealed.ciphertext)
  if (data === undefined || data.length < 16) return { _tag: "MalformedCiphertext" }
  let plain: Uint8Array
  try {
    plain = await decryptBytes(key, {
      ciphertext: sealed.ciphertext,
      nonce: sealed.nonce,
      associatedData: sealed.associated_data ?? ""
    })
  } catch {
    return { _tag: "AuthenticationFailed" }
  }
  try {
    // authenticated, so the sender's own bytes; still, a plaintext that is not UTF-8 is not a resource
    return { _tag: "Decrypted", text: fromUtf8(plain) }
  } catch {
    return { _tag: "MalformedCiphertext" }
  }
}

/** @internal */
export const encrypt = async (
  key: CryptoKey,
  input: { readonly plaintext: string; readonly nonce: string; readonly associatedData: string }
): Promise<string> => {
  const sealed = await globalThis.crypto.subtle.encrypt(
    { name: "AES-GCM", iv: utf8(input.nonce), additionalData: utf8(input.associatedData), tagLength: 128 },
    key,
    utf8(input.plaintext)
  )
  return toBase64(new Uint8Array(sealed))
}
