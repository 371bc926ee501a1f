/**
 * A small DER reader for the X.509 certificates WeChat Pay hands out: the serial number, the
 * `SubjectPublicKeyInfo` (imported with WebCrypto) and the validity period. Nothing else is read,
 * nothing is checked that WebCrypto checks later (the key itself), and nothing of Node is used, so
 * certificate modes run wherever WebCrypto runs.
 *
 * Any input, however malformed, ends in a `CertificateProblem` naming what is wrong and where: the
 * reader never throws, never recurses and reads each byte at most once (no hang on hostile input).
 *
 * @internal
 */

/** @internal */
export interface Certificate {
  /** Uppercase hex, without leading zero bytes (as `node:crypto`'s `X509Certificate#serialNumber`). */
  readonly serial: string
  /** The DER `SubjectPublicKeyInfo`, as it stands in the certificate. */
  readonly spki: Uint8Array<ArrayBuffer>
  /** Epoch milliseconds. */
  readonly notBefore: number
  /** Epoch milliseconds. */
  readonly notAfter: number
}

/** @internal */
export interface CertificateProblem {
  readonly _tag: "CertificateProblem"
  /** What is wrong, and at which byte offset: never any of the bytes themselves. */
  readonly reason: string
}

/** @internal */
export const isCertificateProblem = (u: Certificate | CertificateProblem): u is CertificateProblem =>
  "_tag" in u && u._tag === "CertificateProblem"

const TAG_INTEGER = 0x02
const TAG_BIT_STRING = 0x03
const TAG_UTC_TIME = 0x17
const TAG_GENERALIZED_TIME = 0x18
const TAG_SEQUENCE = 0x30
const TAG_VERSION = 0xa0 // [0] EXPLICIT, constructed

interface Tlv {
  readonly tag: number
  /** Offset of the tag byte. */
  readonly start: number
  /** Offset of the first content byte. */
  readonly content: number
  /** Offset just past the content. */
  readonly end: number
}

class Problem {
  constructor(readonly reason: string) {}
}

const fail = (reason: string): never => {
  throw new Problem(reason)
}

const describeTag = (tag: number): string => `0x${tag.toString(16).padStart(2, "0")}`

/** One TLV at `offset`, which must end by `limit`. */
const readTlv = (der: Uint8Array, offset: number, limit: number, what: string): Tlv => {
  if (offset >= limit) fail(`${what}: missing (the data ends at byte ${offset})`)
  const tag = der[offset]!
  if ((tag & 0x1f) === 0x1f) fail(`${what}: multi-byte tag at byte ${offset} (not used by X.509)`)
  if (offset + 1 >= limit) fail(`${what}: no length byte after the tag at byte ${offset}`)
  const first = der[offset + 1]!
  let length: number
  let content: number
  if (first < 0x80) {
    length = first
    content = offset + 2
  } else {
    const count = first & 0x7f
    if (count === 0) fail(`${what}: indefinite length at byte ${offset + 1} (not DER)`)
    if (count > 4) fail(`${what}: a ${count}-byte length at byte ${offset + 1} (too large for a certificate)`)
    if (offset + 2 + count > limit) fail(`${what}: the length at byte ${offset + 1} runs past the end`)
    length = 0
    for (let i = 0; i < count; i++) length = length * 256 + der[offset + 2 + i]!
    content = offset + 2 + count
  }
  const end = content + length
  if (end > limit) {
    fail(`${what}: ${length} bytes announced at byte ${offset}, only ${Math.max(0, limit - content)} there`)
  }
  return { tag, start: offset, content, end }
}

const expectTag = (tlv: Tlv, tag: number, what: string): Tlv => {
  if (tlv.tag !== tag) fail(`${what}: tag ${describeTag(tlv.tag)} at byte ${tlv.start}, expected ${describeTag(tag)}`)
  return tlv
}

const HEX = "0123456789ABCDEF"

const readSerial = (der: Uint8Array, tlv: Tlv): string => {
  if (tlv.end === tlv.content) fail(`serialNumber: empty INTEGER at byte ${tlv.start}`)
  if ((der[tlv.content]! & 0x80) !== 0) fail(`serialNumber: negative at byte ${tlv.start} (RFC 5280 wants positive)`)
  let i = tlv.content
  while (i < tlv.end - 1 && der[i] === 0) i++
  if (tlv.end - i === 1 && der[i] === 0) return "0"
  let hex = ""
  for (; i < tlv.end; i++) hex += HEX[der[i]! >> 4]! + HEX[der[i]! & 0x0f]!
  return hex
}

const TIME_UTC = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/
const TIME_GENERALIZED = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/

const readTime = (der: Uint8Array, tlv: Tlv, what: string): number => {
  if (tlv.tag !== TAG_UTC_TIME && tlv.tag !== TAG_GENERALIZED_TIME) {
    fail(`${what}: tag ${describeTag(tlv.tag)} at byte ${tlv.start}, expected UTCTime or GeneralizedTime`)
  }
  if (tlv.end - tlv.content > 32) fail(`${what}: ${tlv.end - tlv.content} bytes at byte ${tlv.start}, too long`)
  let text = ""
  for (let i = tlv.content; i < tlv.end; i++) text += String.fromCharCode(der[i]!)
  const match = (tlv.tag === TAG_UTC_TIME ? TIME_UTC : TIME_GENERALIZED).exec(text)
  if (match === null) fail(`${what}: not a UTC time of the form RFC 5280 requires, at byte ${tlv.start}`)
  const [, y, mo, d, h, mi, s] = match!
  const year = tlv.tag === TAG_UTC_TIME ? (Number(y) >= 50 ? 1900 : 2000) + Number(y) : Number(y)
  const month = Number(mo)
  const day = Number(d)
  const hour = Number(h)
  const minute = Number(mi)
  const second = Number(s)
  const time = Date.UTC(year, month - 1, day, hour, minute, second)
  const back = new Date(time)
  if (
    month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59 ||
    back.getUTCDate() !== day || back.getUTCMonth() !== month - 1
  ) fail(`${what}: not a calendar date and time, at byte ${tlv.start}`)
  return time
}

const read = (der: Uint8Array): Certificate => {
  const certificate = expectTag(readTlv(der, 0, der.length, "Certificate"), TAG_SEQUENCE, "Certificate")
  if (certificate.end !== der.length) fail(`Certificate: ${der.length - certificate.end} bytes after its end`)
  const tbs = expectTag(
    readTlv(der, certificate.content, certificate.end, "tbsCertificate"),
    TAG_SEQUENCE,
    "tbsCertificate"
  )
  let at = tbs.content
  let field = readTlv(der, at, tbs.end, "serialNumber")
  if (field.tag === TAG_VERSION) {
    at = field.end
    field = readTlv(der, at, tbs.end, "serialNumber")
  }
  const serial = readSerial(der, expectTag(field, TAG_INTEGER, "serialNumber"))
  at = field.end
  const signature = expectTag(readTlv(der, at, tbs.end, "signature"), TAG_SEQUENCE, "signature")
  const issuer = expectTag(readTlv(der, signature.end, tbs.end, "issuer"), TAG_SEQUENCE, "issuer")
  const validity = expectTag(readTlv(der, issuer.end, tbs.end, "validity"), TAG_SEQUENCE, "validity")
  const notBeforeTlv = readTlv(der, validity.content, validity.end, "notBefore")
  const notAfterTlv = readTlv(der, notBeforeTlv.end, validity.end, "notAfter")
  if (notAfterTlv.end !== validity.end) fail(`validity: bytes after notAfter, at byte ${notAfterTlv.end}`)
  const notBefore = readTime(der, notBeforeTlv, "notBefore")
  const notAfter = readTime(der, notAfterTlv, "notAfter")
  const subject = expectTag(readTlv(der, validity.end, tbs.end, "subject"), TAG_SEQUENCE, "subject")
  const spki = expectTag(
    readTlv(der, subject.end, tbs.end, "subjectPublicKeyInfo"),
    TAG_SEQUENCE,
    "subjectPublicKeyInfo"
  )
  const algorithm = expectTag(
    readTlv(der, spki.content, spki.end, "subjectPublicKeyInfo.algorithm"),
    TAG_SEQUENCE,
    "subjectPublicKeyInfo.algorithm"
  )
  const key = expectTag(
    readTlv(der, algorithm.end, spki.end, "subjectPublicKeyInfo.subjectPublicKey"),
    TAG_BIT_STRING,
    "subjectPublicKeyInfo.subjectPublicKey"
  )
  if (key.end !== spki.end) fail(`subjectPublicKeyInfo: bytes after the key, at byte ${key.end}`)
  // signatureAlgorithm and signatureValue must be there, though nothing of them is used here
  const signatureAlgorithm = expectTag(
    readTlv(der, tbs.end, certificate.end, "signatureAlgorithm"),
    TAG_SEQUENCE,
    "signatureAlgorithm"
  )
  const signatureValue = expectTag(
    readTlv(der, signatureAlgorithm.end, certificate.end, "signatureValue"),
    TAG_BIT_STRING,
    "signatureValue"
  )
  if (signatureValue.end !== certificate.end) fail(`Certificate: bytes after signatureValue`)
  return { serial, spki: der.slice(spki.start, spki.end), notBefore, notAfter }
}

/**
 * Reads a DER X.509 certificate, or says precisely why it cannot.
 *
 * @internal
 */
export const parseCertificate = (der: Uint8Array): Certificate | CertificateProblem => {
  try {
    return read(der)
  } catch (e) {
    if (e instanceof Problem) return { _tag: "CertificateProblem", reason: e.reason }
    // not reached: every failure above is a Problem; kept so that no input can throw out of here
    return { _tag: "CertificateProblem", reason: "unreadable DER" }
  }
}
