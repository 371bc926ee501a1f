/**
 * The sandbox's key material: the merchant's verifying key (what requests are checked with), the
 * WeChat Pay public key and platform certificates with their private halves (what answers are
 * signed with), and the choice of signing key for a request's `Wechatpay-Serial`.
 *
 * Public keys are derived from private keys with WebCrypto alone (PKCS#8 → JWK → SPKI), so a
 * user who overrides a private key need not give the public half too.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Bytes from "../../core/bytes.js"
import * as Keys from "../../core/keys.js"
import * as Pem from "../../core/pem.js"
import * as X509 from "../../core/x509.js"
import { InvalidConfig } from "../../errors/WechatPayError.js"
import type { SigningKey } from "../FakeWechatPay.js"

const subtle = globalThis.crypto.subtle

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
  /** The key answers are signed with when `Wechatpay-Serial` is absent or unknown. */
  readonly defaultSigning: SigningKey
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
  readonly platformCertificates: ReadonlyArray<{
    readonly certificate: string
    readonly privateKey: string
    readonly effectiveTime?: DateTime.DateTime.Input | undefined
    readonly expireTime?: DateTime.DateTime.Input | undefined
  }>
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

const invalid = (option: string, message: string) => new InvalidConfig({ option, message: `${option} ${message}` })

const firstBlock = (option: string, pem: string, expected: string) => {
  const blocks = typeof pem === "string" ? Pem.parsePem(pem) : { _tag: "NotPem" as const }
  if (!Array.isArray(blocks)) {
    return Effect.fail(invalid(option, Pem.describePemProblem(blocks as Pem.PemProblem, expected)))
  }
  return Effect.succeed((blocks as ReadonlyArray<Pem.PemBlock>)[0]!)
}

/** The SPKI of the public half of a PEM private key (PKCS#8 or PKCS#1). */
const publicHalf = (option: string, pem: string): Effect.Effect<Uint8Array<ArrayBuffer>, InvalidConfig> =>
  Effect.flatMap(firstBlock(option, pem, "PRIVATE KEY"), (block) => {
    if (block.label !== "PRIVATE KEY" && block.label !== "RSA PRIVATE KEY") {
      return Effect.fail(invalid(option, `has a "${block.label}" block; expected an RSA private key`))
    }
    const pkcs8 = block.label === "RSA PRIVATE KEY" ? Pem.pkcs1ToPkcs8(block.der) : block.der
    return Effect.tryPromise({
      try: async () => {
        const key = await subtle.importKey("pkcs8", pkcs8, Keys.RSA_ALGORITHM, true, ["sign"])
        const jwk = await subtle.exportKey("jwk", key)
        const pub = await subtle.importKey(
          "jwk",
          { kty: "RSA", n: jwk.n!, e: jwk.e!, ext: true },
          Keys.RSA_ALGORITHM,
          true,
          ["verify"]
        )
        return new Uint8Array(await subtle.exportKey("spki", pub))
      },
      catch: () => invalid(option, "could not be read as an RSA private key")
    })
  })

const readPublicKey = (option: string, pem: string): Effect.Effect<Uint8Array<ArrayBuffer>, InvalidConfig> =>
  Effect.flatMap(firstBlock(option, pem, "PUBLIC KEY"), (block) => {
    switch (block.label) {
      case "PUBLIC KEY":
        return Effect.succeed(block.der)
      case "RSA PUBLIC KEY":
        return Effect.succeed(Pem.pkcs1PublicToSpki(block.der))
      default:
        return Effect.fail(invalid(option, `has a "${block.label}" block; expected "-----BEGIN PUBLIC KEY-----"`))
    }
  })

const importVerifying = (option: string, spki: Uint8Array<ArrayBuffer>) =>
  Effect.tryPromise({
    try: () => Keys.importVerifyingKey(spki),
    catch: () => invalid(option, "could not be read as an RSA public key")
  })

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i])

/**
 * An SPKI public key as PEM.
 *
 * @internal
 */
export const spkiToPem = (spki: Uint8Array): string => {
  const lines = Bytes.toBase64(spki).match(/.{1,64}/g) ?? []
  return `-----BEGIN PUBLIC KEY-----\n${lines.join("\n")}\n-----END PUBLIC KEY-----\n`
}

/**
 * Reads and cross-checks every key of the options: a private key must match its public key or
 * certificate, or the sandbox fails with `InvalidConfig` naming the option.
 *
 * @internal
 */
export const resolveKeys = (options: KeyOptions): Effect.Effect<SandboxKeys, InvalidConfig> =>
  Effect.gen(function*() {
    const merchantSpki = options.merchantPublicKey === undefined
      ? yield* publicHalf("merchantPrivateKey", options.merchantPrivateKey)
      : yield* readPublicKey("merchantPublicKey", options.merchantPublicKey)
    const merchantVerifyingKey = yield* importVerifying("merchantPublicKey", merchantSpki)

    let publicKey: SandboxKeys["publicKey"]
    if (options.wechatpayPublicKey !== undefined) {
      const { id, pem, privateKey } = options.wechatpayPublicKey
      if (typeof id !== "string" || !/^[\x21-\x7e]{1,128}$/.test(id)) {
        return yield* invalid("wechatpayPublicKey.id", "must be a public key id (PUB_KEY_ID_…), printable ASCII")
      }
      const derived = yield* publicHalf("wechatpayPublicKey.privateKey", privateKey)
      if (pem !== undefined && !sameBytes(yield* readPublicKey("wechatpayPublicKey.pem", pem), derived)) {
        return yield* invalid("wechatpayPublicKey.pem", "is not the public half of wechatpayPublicKey.privateKey")
      }
      publicKey = { id, pem: pem ?? spkiToPem(derived), signing: { privateKey, serial: id } }
    }

    const certificates: Array<PlatformCertificate> = []
    for (let i = 0; i < options.platformCertificates.length; i++) {
      const option = `platformCertificates[${i}]`
      const { certificate, effectiveTime, expireTime, privateKey } = options.platformCertificates[i]!
      const effective = effectiveTime === undefined ? undefined : DateTime.make(effectiveTime)
      const expire = expireTime === undefined ? undefined : DateTime.make(expireTime)
      if (effective !== undefined && effective._tag === "None") {
        return yield* invalid(`${option}.effectiveTime`, "is not a date")
      }
      if (expire !== undefined && expire._tag === "None") return yield* invalid(`${option}.expireTime`, "is not a date")
      const block = yield* firstBlock(`${option}.certificate`, certificate, "CERTIFICATE")
      if (block.label !== "CERTIFICATE") {
        return yield* invalid(`${option}.certificate`, `has a "${block.label}" block; expected a certificate`)
      }
      const read = yield* Effect.try({
        try: () => readCertificate(block.der),
        catch: () => invalid(`${option}.certificate`, "is not a readable X.509 certificate")
      })
      const derived = yield* publicHalf(`${option}.privateKey`, privateKey)
      if (!sameBytes(read.spki, derived)) {
        return yield* invalid(`${option}.privateKey`, "is not the private key of the certificate")
      }
      certificates.push({
        serial: read.serial,
        pem: certificate,
        notBefore: read.notBefore,
        notAfter: read.notAfter,
        ...(effective?._tag === "Some" ? { effectiveTime: DateTime.toEpochMillis(effective.value) } : {}),
        ...(expire?._tag === "Some" ? { expireTime: DateTime.toEpochMillis(expire.value) } : {}),
        signing: { privateKey, serial: read.serial }
      })
    }

    const newest = signingCertificate(certificates, yield* Clock.currentTimeMillis)
    const defaultSigning = publicKey?.signing ?? newest?.signing
    if (defaultSigning === undefined) {
      return yield* invalid(
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
      defaultSigning
    }
  })

/**
 * The key an answer is signed with: the one the request's `Wechatpay-Serial` names (a public key
 * id or a platform certificate serial); when absent or unknown, the public key if there is one,
 * else the newest certificate.
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
  return keys.defaultSigning
}

const readCertificate = (der: Uint8Array): X509.Certificate => {
  const read = X509.parseCertificate(der)
  if (X509.isCertificateProblem(read)) throw new Error(read.reason)
  return read
}
