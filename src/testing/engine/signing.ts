/**
 * Signing as WeChat Pay does, for the sandbox and the fakes: the four `Wechatpay-*` headers over
 * `TIMESTAMP\nNONCE\nBODY\n` with a test key.
 *
 * @internal
 */
import * as Keys from "../../core/keys.js"
import * as Pem from "../../core/pem.js"
import * as Verification from "../../core/verification.js"

/** A signing identity: a private key (PEM, PKCS#8 or PKCS#1) and the serial it signs under. @internal */
export interface SigningKey {
  readonly privateKey: string
  readonly serial: string
}

const imported = new Map<string, Promise<CryptoKey>>()

/** The private key of a PEM, imported once. @internal */
export const signingKey = (pem: string): Promise<CryptoKey> => {
  let key = imported.get(pem)
  if (key === undefined) {
    const blocks = Pem.parsePem(pem)
    if (Pem.isPemProblem(blocks)) throw new Error("not a PEM private key")
    const block = blocks[0]!
    key = Keys.importSigningKey(block.label === "RSA PRIVATE KEY" ? Pem.pkcs1ToPkcs8(block.der) : block.der)
    imported.set(pem, key)
  }
  return key
}

/**
 * The four `Wechatpay-*` headers (and `Wechatpay-Signature-Type`) WeChat Pay puts on an answer or
 * a notification.
 *
 * @internal
 */
export const signAnswer = async (input: {
  readonly key: SigningKey
  readonly body: string
  readonly timestamp: number
  readonly nonce?: string
}): Promise<Record<string, string>> => {
  const nonce = input.nonce ?? crypto.randomUUID().replace(/-/g, "")
  const timestamp = String(input.timestamp)
  const signature = await Keys.sign(
    await signingKey(input.key.privateKey),
    Verification.answerMessage({ timestamp, nonce, body: input.body })
  )
  return {
    "wechatpay-timestamp": timestamp,
    "wechatpay-nonce": nonce,
    "wechatpay-signature": signature,
    "wechatpay-serial": input.key.serial,
    "wechatpay-signature-type": "WECHATPAY2-SHA256-RSA2048"
  }
}
