/**
 * The platform certificates download (`GET /v3/certificates`): the answer read (plain
 * checks, no recursion over the input), each `encrypt_certificate` decrypted with the APIv3 key and
 * read as X.509, its serial checked against `serial_no`, its `effective_time` / `expire_time` kept;
 * which certificates stay trusted after a refresh; which one `Wechatpay-Serial` names. A certificate
 * service runs the download through the client's one request path.
 *
 * @internal
 */
import * as Aead from "./aead.js"
import { fromUtf8 } from "./bytes.js"
import type { Endpoint } from "./endpoint.js"
import { COMMON_ERRORS } from "./endpoints/common.js"
import * as Fields from "./fields.js"
import { describeJsonProblem, readJson } from "./json.js"
import * as Keys from "./keys.js"
import { isPemProblem, parsePem } from "./pem.js"
import * as Time from "./time.js"
import * as X509 from "./x509.js"

/** The path of the download. @internal */
export const CERTIFICATES_PATH = "/v3/certificates"

/** The download, as an endpoint: a GET without parameters. @internal */
export const downloadCertificates: Endpoint<{}, "downloadCertificates"> = {
  name: "downloadCertificates",
  service: "PayScorePermissions",
  method: "GET",
  path: CERTIFICATES_PATH,
  query: [],
  params: Fields.object<{}>({}),
  answer: "json",
  idempotent: true,
  idempotenceNote: "a GET",
  errors: [
    ...COMMON_ERRORS,
    { status: 404, code: "RESOURCE_NOT_EXISTS", meaning: "the account has only a WeChat Pay public key" }
  ],
  summary: "the platform certificates, encrypted with the APIv3 key"
}

/** One entry of the answer, as sent. @internal */
export interface EncryptedCertificate {
  readonly serial_no: string
  readonly effective_time?: string | undefined
  readonly expire_time?: string | undefined
  readonly encrypt_certificate: {
    readonly algorithm: string
    readonly associated_data?: string | undefined
    readonly nonce: string
    readonly ciphertext: string
  }
}

/** A certificate of the answer: decrypted, read, its serial checked. Times are epoch millis. @internal */
export interface DownloadedCertificate extends Keys.CertificateKey {
  /** `effective_time` (启用时间), when given: not named in `Wechatpay-Serial` before it. */
  readonly effectiveTime?: number | undefined
  /** `expire_time` (弃用时间), when given: not trusted from then on. */
  readonly expireTime?: number | undefined
}

/** Why the answer cannot be used. @internal */
export interface CertificatesProblem {
  readonly _tag: "CertificatesProblem"
  readonly message: string
}

const problem = (message: string): CertificatesProblem => ({ _tag: "CertificatesProblem", message })

/** @internal */
export const isCertificatesProblem = (u: unknown): u is CertificatesProblem =>
  typeof u === "object" && u !== null && (u as { _tag?: unknown })._tag === "CertificatesProblem"

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

const shape = (why: string) => problem(`the ${CERTIFICATES_PATH} answer does not have the documented shape: ${why}`)

/**
 * Reads the answer: `{ data: [{ serial_no, effective_time?, expire_time?, encrypt_certificate: {
 * algorithm, associated_data?, nonce, ciphertext } }] }`; fields WeChat Pay adds are ignored.
 *
 * @internal
 */
export const parseAnswer = (body: string): ReadonlyArray<EncryptedCertificate> | CertificatesProblem => {
  const read = readJson(body)
  if (read._tag !== "Json") return problem(`the ${CERTIFICATES_PATH} answer ${describeJsonProblem(read)}`)
  if (!isRecord(read.value) || !Array.isArray(read.value["data"])) return shape("expected { data: [...] }")
  const data = read.value["data"] as ReadonlyArray<unknown>
  if (data.length === 0) return problem(`the ${CERTIFICATES_PATH} answer holds no certificate`)
  const out: Array<EncryptedCertificate> = []
  for (let i = 0; i < data.length; i++) {
    const entry = data[i]
    if (!isRecord(entry)) return shape(`data[${i}] is not an object`)
    const serial = entry["serial_no"]
    if (typeof serial !== "string") return shape(`data[${i}].serial_no is not a string`)
    const sealed = entry["encrypt_certificate"]
    if (!isRecord(sealed)) return shape(`data[${i}].encrypt_certificate is not an object`)
    for (const name of ["algorithm", "nonce", "ciphertext"] as const) {
      if (typeof sealed[name] !== "string") return shape(`data[${i}].encrypt_certificate.${name} is not a string`)
    }
    const aad = sealed["associated_data"]
    if (aad !== undefined && aad !== null && typeof aad !== "string") {
      return shape(`data[${i}].encrypt_certificate.associated_data is not a string`)
    }
    const times: Record<string, string> = {}
    for (const name of ["effective_time", "expire_time"] as const) {
      const value = entry[name]
      if (value === undefined || value === null) continue
      if (typeof value !== "string" || Time.parseMillis(value) === undefined) {
        return shape(`data[${i}].${name}: ${Time.EXPECTED}`)
      }
      times[name] = value
    }
    out.push({
      serial_no: serial,
      ...times,
      encrypt_certificate: {
        algorithm: sealed["algorithm"] as string,
        nonce: sealed["nonce"] as string,
        ciphertext: sealed["ciphertext"] as string,
        ...(typeof aad === "string" ? { associated_data: aad } : {})
      }
    })
  }
  return out
}

/**
 * Decrypts and reads one entry; the problem says which serial and why (never key material or
 * plaintext).
 *
 * @internal
 */
export const decrypt = async (
  apiV3Key: CryptoKey,
  entry: EncryptedCertificate
): Promise<DownloadedCertificate | CertificatesProblem> => {
  const serialNo = entry.serial_no.toUpperCase()
  const bad = (why: string) => problem(`the certificate ${entry.serial_no} ${why}`)
  const sealed = entry.encrypt_certificate
  if (sealed.algorithm !== Aead.ALGORITHM) return bad(`is encrypted with ${sealed.algorithm}, not ${Aead.ALGORITHM}`)
  let plain: Uint8Array
  try {
    plain = await Aead.decryptBytes(apiV3Key, {
      ciphertext: sealed.ciphertext,
      nonce: sealed.nonce,
      associatedData: sealed.associated_data ?? ""
    })
  } catch {
    return bad(
      "does not decrypt with the APIv3 key (is apiV3Key this merchant's? or the answer was changed on the way)"
    )
  }
  let pem: string
  try {
    pem = fromUtf8(plain)
  } catch {
    return bad("is not PEM text")
  }
  const blocks = parsePem(pem)
  const block = isPemProblem(blocks) ? undefined : blocks.find((b) => b.label === "CERTIFICATE")
  if (block === undefined) return bad("decrypts to something other than a PEM certificate")
  const certificate = X509.parseCertificate(block.der)
  if (X509.isCertificateProblem(certificate)) return bad(`is not a readable X.509 certificate (${certificate.reason})`)
  if (certificate.serial !== serialNo) {
    return bad(`decrypts to a certificate whose serial is ${certificate.serial}, not serial_no`)
  }
  let key: CryptoKey
  try {
    key = await Keys.importVerifyingKey(certificate.spki)
  } catch {
    return bad("does not hold an RSA public key")
  }
  const effectiveTime = entry.effective_time === undefined ? undefined : Time.parseMillis(entry.effective_time)
  const expireTime = entry.expire_time === undefined ? undefined : Time.parseMillis(entry.expire_time)
  return {
    serial: certificate.serial,
    key,
    notBefore: certificate.notBefore,
    notAfter: certificate.notAfter,
    ...(effectiveTime === undefined ? {} : { effectiveTime }),
    ...(expireTime === undefined ? {} : { expireTime })
  }
}

/** Decrypts every entry; the first problem fails the whole answer. @internal */
export const decryptAll = async (
  apiV3Key: CryptoKey,
  entries: ReadonlyArray<EncryptedCertificate>
): Promise<ReadonlyArray<DownloadedCertificate> | CertificatesProblem> => {
  const out: Array<DownloadedCertificate> = []
  for (const entry of entries) {
    const certificate = await decrypt(apiV3Key, entry)
    if (isCertificatesProblem(certificate)) return certificate
    out.push(certificate)
  }
  return out
}

/** A trusted platform certificate, configured or downloaded. @internal */
export interface Trusted extends Keys.CertificateKey {
  readonly effectiveTime?: number | undefined
  readonly expireTime?: number | undefined
}

/** From when a certificate is in effect: `effective_time` when WeChat Pay gave one, else `notBefore`. @internal */
export const effectiveFrom = (c: Trusted): number => Math.max(c.notBefore, c.effectiveTime ?? Number.NEGATIVE_INFINITY)

/** Until when a certificate is trusted: the earlier of `notAfter` and `expire_time` (弃用时间). @internal */
export const trustedUntil = (c: Trusted): number => Math.min(c.notAfter, c.expireTime ?? Number.POSITIVE_INFINITY)

/**
 * The newest certificate already in effect at `now` (else the newest), by `effective_time` (else
 * `notBefore`): the one `Wechatpay-Serial` names.
 *
 * @internal
 */
export const newest = <C extends Trusted>(certificates: Iterable<C>, now: number): C | undefined => {
  let best: C | undefined
  let bestInEffect: C | undefined
  for (const c of certificates) {
    const from = effectiveFrom(c)
    if (best === undefined || from > effectiveFrom(best)) best = c
    if (from <= now && (bestInEffect === undefined || from > effectiveFrom(bestInEffect))) bestInEffect = c
  }
  return bestInEffect ?? best
}

/**
 * After a download: every certificate still trusted is kept (old and new overlap during a
 * rotation), what the answer says of a serial replaces what was known; a problem when the answer
 * brings nothing still trusted.
 *
 * @internal
 */
export const merge = (
  current: Iterable<Trusted>,
  downloaded: ReadonlyArray<DownloadedCertificate>,
  now: number
): ReadonlyMap<string, Trusted> | CertificatesProblem => {
  const fresh = downloaded.filter((c) => trustedUntil(c) > now)
  if (fresh.length === 0) {
    return problem(
      `every certificate of the ${CERTIFICATES_PATH} answer has expired (notAfter or expire_time passed)`
    )
  }
  const named = new Set(downloaded.map((c) => c.serial))
  const next = new Map<string, Trusted>()
  for (const c of current) if (trustedUntil(c) > now && !named.has(c.serial)) next.set(c.serial, c)
  for (const c of fresh) next.set(c.serial, c)
  return next
}

/** A serial a certificate could have: only these trigger a refresh when unknown (not `PUB_KEY_ID_…`). @internal */
export const CERTIFICATE_SERIAL = /^[0-9A-Fa-f]{1,64}$/
