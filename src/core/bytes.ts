/**
 * Bytes and text: UTF-8 both ways, strict base64 both ways, and a body collected from chunks
 * decoded once, exactly. Nothing here needs Node; `Buffer` is used only when the runtime has it.
 *
 * @internal
 */

const encoder = new TextEncoder()
const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true })
const lossy = new TextDecoder("utf-8", { ignoreBOM: true })

/** @internal */
export const utf8 = (text: string): Uint8Array<ArrayBuffer> => encoder.encode(text)

/**
 * Strict UTF-8 (a leading BOM kept); throws a `TypeError` on bytes that are not UTF-8.
 *
 * @internal
 */
export const fromUtf8 = (bytes: Uint8Array): string => strict.decode(bytes)

const hasBuffer = typeof globalThis.Buffer === "function"
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/** @internal */
export const toBase64 = (bytes: Uint8Array): string => {
  if (hasBuffer) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64")
  let binary = ""
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!)
  return btoa(binary)
}

/**
 * Strict base64 (standard alphabet, padded): `undefined` for anything else, never a throw.
 *
 * @internal
 */
export const fromBase64 = (text: string): Uint8Array<ArrayBuffer> | undefined => {
  if (hasBuffer) {
    // Buffer's decoder skips what is not base64: a text that encodes back to itself is canonical
    // base64, which the pattern accepts (checking that way costs less than the pattern on a
    // 344-character signature); anything else is checked against the pattern
    const buffer = Buffer.from(text, "base64")
    if (buffer.toString("base64") !== text && !BASE64.test(text)) return undefined
    return new Uint8Array(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength))
  }
  if (!BASE64.test(text)) return undefined
  const binary = atob(text)
  const out = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i)
  return out
}

/**
 * A body as text, and whether that text is exactly its bytes: `exact` is `false` when the bytes are
 * not valid UTF-8 (the text then has U+FFFD where they were), so no signature can ever be checked
 * over it. Verification needs `exact`; an error answer's message may use the lossy text.
 *
 * @internal
 */
export interface Decoded {
  readonly text: string
  readonly exact: boolean
}

const emptyBody: Decoded = { text: "", exact: true }

/** @internal */
export const join = (chunks: ReadonlyArray<Uint8Array>, total: number): Uint8Array => {
  if (chunks.length === 1) return chunks[0]!
  const bytes = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}

/**
 * Chunks of a body read in order, `total` bytes in all, decoded once, whole (a character split
 * across chunks is kept, a leading BOM too: a signature covers the body exactly as sent), telling
 * whether the bytes were valid UTF-8 (see `Decoded`).
 *
 * @internal
 */
export const decodeExact = (chunks: ReadonlyArray<Uint8Array>, total: number): Decoded => {
  if (chunks.length === 0) return emptyBody
  const bytes = join(chunks, total)
  try {
    return { text: strict.decode(bytes), exact: true }
  } catch {
    return { text: lossy.decode(bytes), exact: false }
  }
}

/**
 * Whether a `Content-Length` header announces more than `maxBytes`: such a body is refused before
 * a byte of it is read.
 *
 * @internal
 */
export const declaresMoreThan = (contentLength: string | undefined, maxBytes: number): boolean =>
  contentLength !== undefined && /^\d+$/.test(contentLength) && Number(contentLength) > maxBytes

/**
 * A body collected chunk by chunk with a cap: `push` answers `false` once more than `maxBytes`
 * arrived (the caller stops reading and refuses), `done` decodes what came.
 *
 * @internal
 */
export class CappedBody {
  private readonly chunks: Array<Uint8Array> = []
  private total = 0
  constructor(readonly maxBytes: number) {}
  push(chunk: Uint8Array): boolean {
    this.total += chunk.byteLength
    if (this.total > this.maxBytes) return false
    this.chunks.push(chunk)
    return true
  }
  done(): Decoded {
    return decodeExact(this.chunks, this.total)
  }
}
