/**
 * Key management: the merchant signing key, the keys that verify WeChat Pay's answers (by serial or
 * public key id, WeChat Pay public key and platform certificates side by side), which id to send as
 * `Wechatpay-Serial`, and the APIv3 key.
 *
 * Key material is parsed once, when the layer is built, into non-extractable `CryptoKey`s; a bad key
 * fails the layer with `InvalidConfig` naming the option. A custom `KeyStore` layer can keep the
 * merchant key elsewhere (a KMS, an HSM): only `sign` touches it.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { InvalidConfig } from "../errors/WechatPayError.js"
import * as Crypto from "../internal/crypto.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface WechatpayPublicKey {
  /** The key id WeChat Pay gives with the key, `PUB_KEY_ID_…`. */
  readonly id: string
  /** The public key, SPKI PEM (`-----BEGIN PUBLIC KEY-----`). */
  readonly pem: string
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The merchant id (商户号). */
  readonly mchid: string
  /** The serial of the merchant API certificate, hex. */
  readonly merchantSerialNo: string
  /** The merchant API private key, PEM, PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1 (`BEGIN RSA PRIVATE KEY`). */
  readonly merchantPrivateKey: Redacted.Redacted<string> | string
  /** The WeChat Pay public key and its id (public-key mode). */
  readonly wechatpayPublicKey?: WechatpayPublicKey | undefined
  /** Platform certificates, X.509 PEM (certificate mode); the serial is read from each certificate. */
  readonly platformCertificates?: ReadonlyArray<string> | undefined
  /** The APIv3 key: exactly 32 bytes. Needed for notifications and certificate download. */
  readonly apiV3Key?: Redacted.Redacted<string> | string | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export declare namespace KeyStore {
  /**
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    readonly mchid: string
    readonly merchantSerialNo: string
    /** The id sent as `Wechatpay-Serial`: the public key id when there is one, else the newest certificate's serial. */
    readonly wechatpaySerial: string
    /** Every trusted serial / key id. */
    readonly serials: ReadonlyArray<string>
    /** RSASSA-PKCS1-v1_5/SHA-256 over the UTF-8 message with the merchant key, base64. */
    readonly sign: (message: string) => Effect.Effect<string>
    /** The key that verifies answers signed under `serial`, if trusted. */
    readonly verifyingKey: (serial: string) => Effect.Effect<Option.Option<CryptoKey>>
    /** The APIv3 key as an AES-256-GCM `CryptoKey`, when configured. */
    readonly apiV3Key: Option.Option<CryptoKey>
  }
}

/**
 * @since 0.1.0
 * @category tags
 */
export class KeyStore extends Context.Tag("effect-wechatpay/KeyStore")<KeyStore, KeyStore.Service>() {}

const MCHID = /^[0-9A-Za-z_-]{1,32}$/
const HEX = /^[0-9A-Fa-f]{1,64}$/
const KEY_ID = /^[\x21-\x7e]{1,128}$/

const invalid = (option: string, message: string) => new InvalidConfig({ option, message: `${option} ${message}` })

const reveal = (value: Redacted.Redacted<string> | string): string =>
  Redacted.isRedacted(value) ? Redacted.value(value) : value

const importPrivateKey = (value: Redacted.Redacted<string> | string) =>
  Effect.gen(function*() {
    const option = "merchantPrivateKey"
    const pem = reveal(value)
    if (typeof pem !== "string") return yield* invalid(option, "must be a PEM string")
    const blocks = Crypto.parsePem(pem)
    if (!Array.isArray(blocks)) {
      return yield* invalid(option, Crypto.describePemProblem(blocks as Crypto.PemProblem, "PRIVATE KEY"))
    }
    const block = (blocks as ReadonlyArray<Crypto.PemBlock>)[0]!
    let pkcs8: Uint8Array<ArrayBuffer>
    switch (block.label) {
      case "PRIVATE KEY":
        pkcs8 = block.der
        break
      case "RSA PRIVATE KEY":
        pkcs8 = Crypto.pkcs1ToPkcs8(block.der)
        break
      case "ENCRYPTED PRIVATE KEY":
        return yield* invalid(
          option,
          "is encrypted (BEGIN ENCRYPTED PRIVATE KEY): decrypt it first, e.g. `openssl pkey -in key.pem -out plain.pem`"
        )
      case "PUBLIC KEY":
      case "RSA PUBLIC KEY":
      case "CERTIFICATE":
        return yield* invalid(
          option,
          `is a ${block.label.toLowerCase()}, not a private key: give apiclient_key.pem, the merchant API private key`
        )
      default:
        return yield* invalid(
          option,
          `has a "${block.label}" block; expected "PRIVATE KEY" (PKCS#8) or "RSA PRIVATE KEY" (PKCS#1)`
        )
    }
    return yield* Effect.tryPromise({
      try: () => Crypto.importSigningKey(pkcs8),
      catch: () =>
        invalid(
          option,
          `could not be read as an RSA private key (${block.label} block): wrong algorithm or a corrupted key`
        )
    })
  })

const importPublicKey = (option: string, pem: string) =>
  Effect.gen(function*() {
    if (typeof pem !== "string") return yield* invalid(option, "must be a PEM string")
    const blocks = Crypto.parsePem(pem)
    if (!Array.isArray(blocks)) {
      return yield* invalid(option, Crypto.describePemProblem(blocks as Crypto.PemProblem, "PUBLIC KEY"))
    }
    const block = (blocks as ReadonlyArray<Crypto.PemBlock>)[0]!
    let spki: Uint8Array<ArrayBuffer>
    switch (block.label) {
      case "PUBLIC KEY":
        spki = block.der
        break
      case "RSA PUBLIC KEY":
        spki = Crypto.pkcs1PublicToSpki(block.der)
        break
      case "CERTIFICATE":
        return yield* invalid(option, "is a certificate, not a public key: give certificates in platformCertificates")
      default:
        return yield* invalid(
          option,
          `has a "${block.label}" block, which is not a public key; expected "-----BEGIN PUBLIC KEY-----" (pub_key.pem from the merchant platform)`
        )
    }
    return yield* Effect.tryPromise({
      try: () => Crypto.importVerifyingKey(spki),
      catch: () => invalid(option, "could not be read as an RSA public key: wrong algorithm or a corrupted key")
    })
  })

interface Verifier {
  readonly serial: string
  readonly key: CryptoKey
  readonly notBefore: number
}

const importCertificates = (pems: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const option = "platformCertificates"
    if (!Array.isArray(pems)) return yield* invalid(option, "must be an array of X.509 PEM strings")
    const verifiers: Array<Verifier> = []
    for (let i = 0; i < pems.length; i++) {
      const at = `${option}[${i}]`
      const pem = pems[i]
      if (typeof pem !== "string") return yield* invalid(at, "must be a PEM string")
      const blocks = Crypto.parsePem(pem)
      if (!Array.isArray(blocks)) {
        return yield* invalid(at, Crypto.describePemProblem(blocks as Crypto.PemProblem, "CERTIFICATE"))
      }
      for (const block of blocks as ReadonlyArray<Crypto.PemBlock>) {
        if (block.label !== "CERTIFICATE") {
          return yield* invalid(
            at,
            `has a "${block.label}" block; expected "-----BEGIN CERTIFICATE-----" (wechatpay_<serial>.pem)`
          )
        }
        const certificate = yield* Effect.try({
          try: () => Crypto.readCertificate(block.der),
          catch: () => invalid(at, "is not a readable X.509 certificate")
        })
        const key = yield* Effect.tryPromise({
          try: () => Crypto.importVerifyingKey(certificate.spki),
          catch: () => invalid(at, "does not hold an RSA public key")
        })
        verifiers.push({ serial: certificate.serial, key, notBefore: certificate.notBefore })
      }
    }
    return verifiers
  })

const importApiV3Key = (value: Redacted.Redacted<string> | string) =>
  Effect.gen(function*() {
    const option = "apiV3Key"
    const key = reveal(value)
    if (typeof key !== "string") return yield* invalid(option, "must be a string")
    const bytes = Crypto.utf8(key)
    if (bytes.length !== 32) {
      const hint = key.trim().length !== key.length ? " (it has leading or trailing whitespace)" : ""
      return yield* invalid(option, `must be exactly 32 bytes; this one is ${bytes.length}${hint}`)
    }
    return yield* Effect.tryPromise({
      try: () => Crypto.importAesKey(bytes),
      catch: () => invalid(option, "could not be imported as an AES-256 key")
    })
  })

/**
 * Parses and imports every key of the options. Fails with `InvalidConfig` naming the option.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<KeyStore.Service, InvalidConfig> =>
  Effect.gen(function*() {
    if (typeof options.mchid !== "string" || !MCHID.test(options.mchid)) {
      return yield* invalid("mchid", "must be the merchant id: 1 to 32 letters or digits")
    }
    if (typeof options.merchantSerialNo !== "string" || !HEX.test(options.merchantSerialNo)) {
      return yield* invalid("merchantSerialNo", "must be the hex serial number of the merchant API certificate")
    }
    const signingKey = yield* importPrivateKey(options.merchantPrivateKey)

    const verifiers = new Map<string, CryptoKey>()
    let publicKeyId: string | undefined
    if (options.wechatpayPublicKey !== undefined) {
      const { id, pem } = options.wechatpayPublicKey
      if (typeof id !== "string" || !KEY_ID.test(id)) {
        return yield* invalid("wechatpayPublicKey.id", "must be the public key id (PUB_KEY_ID_…), printable ASCII")
      }
      verifiers.set(id, yield* importPublicKey("wechatpayPublicKey.pem", pem))
      publicKeyId = id
    }
    let newestCertificate: Verifier | undefined
    if (options.platformCertificates !== undefined) {
      for (const verifier of yield* importCertificates(options.platformCertificates)) {
        verifiers.set(verifier.serial, verifier.key)
        if (newestCertificate === undefined || verifier.notBefore > newestCertificate.notBefore) {
          newestCertificate = verifier
        }
      }
    }
    const wechatpaySerial = publicKeyId ?? newestCertificate?.serial
    if (wechatpaySerial === undefined) {
      return yield* invalid(
        "wechatpayPublicKey",
        "or platformCertificates is required: without a key to verify WeChat Pay's answers, no answer can be trusted"
      )
    }
    const apiV3Key = options.apiV3Key === undefined
      ? Option.none<CryptoKey>()
      : Option.some(yield* importApiV3Key(options.apiV3Key))

    const serials = Array.from(verifiers.keys())
    return KeyStore.of({
      mchid: options.mchid,
      merchantSerialNo: options.merchantSerialNo,
      wechatpaySerial,
      serials,
      sign: (message) => Effect.promise(() => Crypto.sign(signingKey, message)),
      verifyingKey: (serial) => Effect.sync(() => Option.fromNullable(verifiers.get(serial))),
      apiV3Key
    })
  })

/**
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<KeyStore, InvalidConfig> => Layer.effect(KeyStore, make(options))
