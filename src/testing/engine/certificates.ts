/**
 * The sandbox's `GET /v3/certificates` and its platform certificate rotation:
 * the certificates encrypted with the APIv3 key (AEAD_AES_256_GCM, `associated_data`
 * `"certificate"`, a fresh 12-character nonce each), the answer always signed with a platform
 * certificate, and which key signs answers once a rotation has happened.
 *
 * @internal
 */
import * as Aead from "../../core/aead.js"
import * as Bytes from "../../core/bytes.js"
import * as Time from "../../core/time.js"
import { apiError, json } from "./answers.js"
import type { PlatformCertificate, SandboxKeys } from "./keys.js"
import { signingCertificate, signingKeyFor } from "./keys.js"
import type { SigningKey } from "./signing.js"
import type { Incoming, Plan } from "./types.js"

/** @internal */
export const CERTIFICATES_PATH = "/v3/certificates"

/**
 * WeChat Pay's answer to an account that has only a WeChat Pay public key (seen in the wild, e.g.
 * binarywang/WxJava#3412 and jeequan/jeepay#73): 404 `RESOURCE_NOT_EXISTS`.
 *
 * @internal
 */
export const NO_CERTIFICATE_MESSAGE =
  "无可用的平台证书，请在商户平台-API安全申请使用微信支付公钥。可查看指引https://pay.weixin.qq.com/doc/v3/merchant/4012153196"

/** @internal */
export const isCertificatesRequest = (incoming: Incoming): boolean =>
  incoming.url.split(/[?#]/, 1)[0] === CERTIFICATES_PATH

/** @internal */
export interface CertificatesContext {
  readonly keys: SandboxKeys
  /** The APIv3 key the certificates are encrypted with (as given to the sandbox). */
  readonly apiV3Key: string
}

const NONCE_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

const newNonce = (): string =>
  Array.from(globalThis.crypto.getRandomValues(new Uint8Array(12)), (b) => NONCE_ALPHABET[b % NONCE_ALPHABET.length])
    .join("")

/**
 * A time as WeChat Pay writes it: `2023-09-19T23:15:58+08:00`.
 *
 * @internal
 */
export const chinaTime = (millis: number): string => Time.formatRfc3339(millis)

/**
 * The plan of the answer to `GET /v3/certificates` (the request already checked): the certificates
 * of the sandbox, each encrypted with the APIv3 key; 404 `RESOURCE_NOT_EXISTS` in public-key-only
 * mode.
 *
 * @internal
 */
export const planCertificates = async (context: CertificatesContext): Promise<Plan> => {
  const certificates = context.keys.certificates
  if (certificates.length === 0) return apiError(404, "RESOURCE_NOT_EXISTS", NO_CERTIFICATE_MESSAGE)
  const key = await Aead.importKey(Bytes.utf8(context.apiV3Key)).then((k) => k, () => undefined)
  if (key === undefined) return apiError(500, "SYSTEM_ERROR", "the sandbox's apiV3Key is not an AES key")
  const data = []
  for (const certificate of certificates) {
    const nonce = newNonce()
    const ciphertext = await Aead.encrypt(key, { plaintext: certificate.pem, nonce, associatedData: "certificate" })
    data.push({
      serial_no: certificate.serial,
      effective_time: chinaTime(certificate.effectiveTime ?? certificate.notBefore),
      expire_time: chinaTime(certificate.expireTime ?? certificate.notAfter),
      encrypt_certificate: { algorithm: "AEAD_AES_256_GCM", associated_data: "certificate", nonce, ciphertext }
    })
  }
  return json(200, { data })
}

const newest = (certificates: ReadonlyArray<PlatformCertificate>): PlatformCertificate | undefined =>
  signingCertificate(certificates, Date.now())

/**
 * The key an answer is signed with. Before any rotation (`current` undefined), as for every route
 * (`signingKeyFor`), except that `GET /v3/certificates` is always signed with a platform
 * certificate (the one named, else the newest). After a rotation, whatever a platform certificate
 * would sign is signed with `current`; the public key still signs what names its id.
 *
 * @internal
 */
export const answerSigning = (
  keys: SandboxKeys,
  current: PlatformCertificate | undefined,
  incoming: Incoming
): SigningKey => {
  const serial = incoming.headers["wechatpay-serial"]
  if (isCertificatesRequest(incoming)) {
    if (current !== undefined) return current.signing
    const named = serial === undefined ? undefined : keys.certificates.find((c) => c.serial === serial.toUpperCase())
    return named?.signing ?? newest(keys.certificates)?.signing ?? keys.unnamedSigning
  }
  const chosen = signingKeyFor(keys, serial)
  return current !== undefined && chosen !== keys.publicKey?.signing ? current.signing : chosen
}

/**
 * The keys once `certificate` is rotated in: added (or moved to the end when known), and the
 * default signer when there is no public key.
 *
 * @internal
 */
export const rotateKeys = (keys: SandboxKeys, certificate: PlatformCertificate): SandboxKeys => ({
  ...keys,
  certificates: [...keys.certificates.filter((c) => c.serial !== certificate.serial), certificate],
  defaultSigning: keys.publicKey?.signing ?? certificate.signing,
  unnamedSigning: certificate.signing
})
