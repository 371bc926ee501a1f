/**
 * The known-answer vectors of the official SDKs (test/vectors/vectors.json and the files it names),
 * typed for the tests that read them.
 */
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"

const VECTORS_DIR = fileURLToPath(new URL("../vectors/", import.meta.url))

/** A file of test/vectors, as text. */
export const vectorFile = (name: string): string => readFileSync(`${VECTORS_DIR}${name}`, "utf8")

/** A file of test/vectors, as bytes. */
export const vectorBytes = (name: string): Buffer => readFileSync(`${VECTORS_DIR}${name}`)

/** test/vectors/vectors.json. */
export interface Vectors {
  readonly rsa_sha256_sign: {
    readonly private_key_file: string
    readonly message: string
    readonly signature_base64: string
  }
  readonly request_authorization: {
    readonly private_key_file: string
    readonly mchid: string
    readonly merchant_serial_no: string
    readonly method: string
    readonly url: string
    readonly timestamp: string
    readonly nonce_str: string
    readonly message_to_sign: string
    readonly signature_base64: string
    readonly authorization_header: string
  }
  readonly aead_aes_256_gcm: {
    readonly key: string
    readonly nonce: string
    readonly associated_data: string
    readonly plaintext: string
    readonly ciphertext_base64: string
  }
  readonly certificates_download: {
    readonly apiv3_key: string
    readonly response_file: string
    readonly decrypted_certificate_file: string
    readonly expected_serial_no: string
  }
  readonly notification_signature: {
    readonly body_file: string
    readonly certificate_file: string
    readonly wechatpay_timestamp: string
    readonly wechatpay_nonce: string
    readonly wechatpay_signature: string
  }
}

export const vectors = JSON.parse(vectorFile("vectors.json")) as Vectors
