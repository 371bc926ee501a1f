/**
 * The sandbox's key material: the merchant's verifying key (what requests are checked with), the
 * WeChat Pay public key and platform certificates with their private halves (what answers are
 * signed with), and the choice of signing key for a request's `Wechatpay-Serial`. Public keys are
 * derived from private keys with WebCrypto alone (PKCS#8 → JWK → SPKI).
 *
 * @internal
 */
import * as Bytes from "../../core/bytes.js"
import * as Keys from "../../core/keys.js"
import * as Pem from "../../core/pem.js"
import * as X509 from "../../core/x509.js"
import type { SigningKey } from "./signing.js"
import { isSandboxProblem, type SandboxProblem, sandboxProblem } from "./types.js"

const subtle = () => globalThis.crypto.subtle

/** @internal */
export interface PlatformCertificate {
  readonly serial: string
  readonly pem: string
  readonly notBefore: number
  readonly notAfter: number
  /** `effective_time` in the certificate list: this, else `notBefore`. */
  readonly effectiveTime?: number | undefined
  /** `expire_time` in the certificate list: this, else `notAfter`. */
  readonly expireTime?: number | undefined
  readonly signing: SigningKey
}

/** @internal */
export interface SandboxKeys {
  readonly mchid: string
  readonly merchantSerialNo: string
  /** PEM, handed to the client by `wechatPayOptions`. */
  readonly merchantPrivateKey: string
  /** What request signatures are checked with. */
  readonly merchantVerifyingKey: CryptoKey
  readonly publicKey: { readonly id: string; readonly pem: string; readonly signing: SigningKey } | undefined
  readonly certificates: ReadonlyArray<PlatformCertificate>
  /**
   * The key notifications are signed with by default: the public key when there is one, else the
   * certificate in use (WeChat Pay chooses for notifications, whatever requests name).
   */
  readonly defaultSigning: SigningKey
  /**
   * The key an answer is signed with when its request names no `Wechatpay-Serial`, or one the
   * account does not have: the platform certificate in use when the account has certificates, else
   * the public key (see `signingKeyFor`).
   */
  readonly unnamedSigning: SigningKey
}

/** A platform certificate option, its times already in epoch millis. @internal */
export interface CertificateOption {
  readonly certificate: string
  readonly privateKey: string
  readonly effectiveTime?: number | undefined
  readonly expireTime?: number | undefined
}

/** @internal */
export interface KeyOptions {
  readonly mchid: string
  readonly merchantSerialNo: string
  readonly merchantPrivateKey: string
  readonly merchantPublicKey: string | undefined
  readonly wechatpayPublicKey:
    | { readonly id: string; readonly privateKey: string; readonly pem?: string | undefined }
    | undefined
  readonly platformCertificates: ReadonlyArray<CertificateOption>
}

/**
 * The certificate WeChat Pay signs with at `now`: the newest already in effect (by `effective_time`,
 * else `notBefore`) among those not retired (`expire_time`, else `notAfter`, still ahead); failing
 * that, the newest of all.
 *
 * @internal
 */
export const signingCertificate = (
  certificates: ReadonlyArray<PlatformCertificate>,
  now: number
): PlatformCertificate | undefined => {
  const from = (c: PlatformCertificate) => c.effectiveTime ?? c.notBefore
  const newestOf = (list: ReadonlyArray<PlatformCertificate>) =>
    list.reduce<PlatformCertificate | undefined>(
      (best, c) => best === undefined || from(c) > from(best) ? c : best,
      undefined
    )
  const inUse = certificates.filter((c) => from(c) <= now && (c.expireTime ?? c.notAfter) > now)
  return newestOf(inUse) ?? newestOf(certificates)
}

const firstBlock = (option: string, pem: unknown, expected: string): Pem.PemBlock | SandboxProblem => {
  const blocks = typeof pem === "string" ? Pem.parsePem(pem) : { _tag: "NotPem" as const }
  if (Pem.isPemProblem(blocks)) return sandboxProblem(option, Pem.describePemProblem(blocks, expected))
  return blocks[0]!
}

/** The SPKI of the public half of a PEM private key (PKCS#8 or PKCS#1). */
const publicHalf = async (option: string, pem: unknown): Promise<Uint8Array<ArrayBuffer> | SandboxProblem> => {
  const block = firstBlock(option, pem, "PRIVATE KEY")
  if (isSandboxProblem(block)) return block
  if (block.label !== "PRIVATE KEY" && block.label !== "RSA PRIVATE KEY") {
    return sandboxProblem(option, `has a "${block.label}" block; expected an RSA private key`)
  }
  const pkcs8 = block.label === "RSA PRIVATE KEY" ? Pem.pkcs1ToPkcs8(block.der) : block.der
  try {
    const key = await subtle().importKey("pkcs8", pkcs8, Keys.RSA_ALGORITHM, true, ["sign"])
    const jwk = await subtle().exportKey("jwk", key)
    const pub = await subtle().importKey(
      "jwk",
      { kty: "RSA", n: jwk.n!, e: jwk.e!, ext: true },
      Keys.RSA_ALGORITHM,
      true,
      ["verify"]
    )
    return new Uint8Array(await subtle().exportKey("spki", pub))
  } catch {
    return sandboxProblem(option, "could not be read as an RSA private key")
  }
}

const readPublicKey = (option: string, pem: unknown): Uint8Array<ArrayBuffer> | SandboxProblem => {
  const block = firstBlock(option, pem, "PUBLIC KEY")
  if (isSandboxProblem(block)) return block
  switch (block.label) {
    case "PUBLIC KEY":
      return block.der
    case "RSA PUBLIC KEY":
      return Pem.pkcs1PublicToSpki(block.der)
    default:
      return sandboxProblem(option, `has a "${block.label}" block; expected "-----BEGIN PUBLIC KEY-----"`)
  }
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i])

/** An SPKI public key as PEM. @internal */
export const spkiToPem = (spki: Uint8Array): string => {
  const lines = Bytes.toBase64(spki).match(/.{1,64}/g) ?? []
  return `-----BEGIN PUBLIC KEY-----\n${lines.join("\n")}\n-----END PUBLIC KEY-----\n`
}

/**
 * Reads and cross-checks every key of the options: a private key must match its public key or
 * certificate, or the problem names the option.
 *
 * @internal
 */
export const resolveKeys = async (options: KeyOptions, now: number): Promise<SandboxKeys | SandboxProblem> => {
  const merchantSpki = options.merchantPublicKey === undefined
    ? await publicHalf("merchantPrivateKey", options.merchantPrivateKey)
    : readPublicKey("merchantPublicKey", options.merchantPublicKey)
  if (isSandboxProblem(merchantSpki)) return merchantSpki
  let merchantVerifyingKey: CryptoKey
  try {
    merchantVerifyingKey = await Keys.importVerifyingKey(merchantSpki)
  } catch {
    return sandboxProblem("merchantPublicKey", "could not be read as an RSA public key")
  }

  let publicKey: SandboxKeys["publicKey"]
  if (options.wechatpayPublicKey !== undefined) {
    const { id, pem, privateKey } = options.wechatpayPublicKey
    if (typeof id !== "string" || !/^[\x21-\x7e]{1,128}$/.test(id)) {
      return sandboxProblem("wechatpayPublicKey.id", "must be a public key id (PUB_KEY_ID_…), printable ASCII")
    }
    const derived = await publicHalf("wechatpayPublicKey.privateKey", privateKey)
    if (isSandboxProblem(derived)) return derived
    if (pem !== undefined) {
      const given = readPublicKey("wechatpayPublicKey.pem", pem)
      if (isSandboxProblem(given)) return given
      if (!sameBytes(given, derived)) {
        return sandboxProblem("wechatpayPublicKey.pem", "is not the public half of wechatpayPublicKey.privateKey")
      }
    }
    publicKey = { id, pem: pem ?? spkiToPem(derived), signing: { privateKey, serial: id } }
  }

  const certificates: Array<PlatformCertificate> = []
  for (let i = 0; i < options.platformCertificates.length; i++) {
    const option = `platformCertificates[${i}]`
    const { certificate, effectiveTime, expireTime, privateKey } = options.platformCertificates[i]!
    const block = firstBlock(`${option}.certificate`, certificate, "CERTIFICATE")
    if (isSandboxProblem(block)) return block
    if (block.label !== "CERTIFICATE") {
      return sandboxProblem(`${option}.certificate`, `has a "${block.label}" block; expected a certificate`)
    }
    const read = X509.parseCertificate(block.der)
    if (X509.isCertificateProblem(read)) {
      return sandboxProblem(`${option}.certificate`, "is not a readable X.509 certificate")
    }
    const derived = await publicHalf(`${option}.privateKey`, privateKey)
    if (isSandboxProblem(derived)) return derived
    if (!sameBytes(read.spki, derived)) {
      return sandboxProblem(`${option}.privateKey`, "is not the private key of the certificate")
    }
    certificates.push({
      serial: read.serial,
      pem: certificate,
      notBefore: read.notBefore,
      notAfter: read.notAfter,
      ...(effectiveTime === undefined ? {} : { effectiveTime }),
      ...(expireTime === undefined ? {} : { expireTime }),
      signing: { privateKey, serial: read.serial }
    })
  }

  const inUse = signingCertificate(certificates, now)?.signing
  const defaultSigning = publicKey?.signing ?? inUse
  const unnamedSigning = inUse ?? publicKey?.signing
  if (defaultSigning === undefined || unnamedSigning === undefined) {
    return sandboxProblem(
      "wechatpayPublicKey",
      "or platformCertificates is required: the sandbox needs a key to sign its answers with"
    )
  }
  return {
    mchid: options.mchid,
    merchantSerialNo: options.merchantSerialNo,
    merchantPrivateKey: options.merchantPrivateKey,
    merchantVerifyingKey,
    publicKey,
    certificates,
    defaultSigning,
    unnamedSigning
  }
}

/**
 * The key an answer is signed with: the one the request's `Wechatpay-Serial` names (a public key
 * id or a platform certificate serial); when absent or unknown, the platform certificate in use if
 * the account has certificates, else the public key (`unnamedSigning`).
 *
 * That is WeChat Pay's rule for an account holding both during the certificate → public key
 * switch: "应答部分的灰度由商户控制,在请求头部 Wechatpay-Serial 填入公钥ID 来指定应答时使用的验签方案,不指定则
 * 默认平台证书" (WeChat Pay staff, developers.weixin.qq.com/community/pay/doc/000a2456f08f80e3a0f2f10f461400;
 * /doc/v3/merchant/4012154180 §4.5: the share of answers under the public key is set by the
 * request's Wechatpay-Serial; binarywang/WxJava#3454: "如果serial请求头不传或值有误则使用原有的平台证书").
 * An account with only a public key (public-key mode) signs everything with it; one with only
 * certificates, with them.
 *
 * @internal
 */
export const signingKeyFor = (keys: SandboxKeys, serial: string | undefined): SigningKey => {
  if (serial !== undefined) {
    if (keys.publicKey !== undefined && keys.publicKey.id === serial) return keys.publicKey.signing
    const wanted = serial.toUpperCase()
    const certificate = keys.certificates.find((c) => c.serial === wanted)
    if (certificate !== undefined) return certificate.signing
  }
  return keys.unnamedSigning
}
