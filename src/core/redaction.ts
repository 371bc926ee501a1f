/**
 * Secrets the library sends (the `Authorization` header, a signature) never come back out in what
 * it prints: a proxy or gateway that echoes our headers in its error body, or a transport error
 * quoting them, is scrubbed before the text reaches a message, a log line or a cause.
 *
 * @internal
 */

/** The request headers whose values are secret, lowercase. @internal */
export const SECRET_HEADERS: ReadonlyArray<string> = ["authorization", "wechatpay-signature"]

/** What replaces a secret. @internal */
export const REDACTED = "<redacted>"

/**
 * The secret values of a request's headers: each secret header's value and, for `Authorization`,
 * its `signature="…"` on its own (which survives JSON escaping of the rest).
 *
 * @internal
 */
export const secretsOf = (headers: Readonly<Record<string, string | undefined>>): ReadonlyArray<string> => {
  const out: Array<string> = []
  for (const name of SECRET_HEADERS) {
    const value = headers[name]
    if (typeof value !== "string" || value === "") continue
    out.push(value)
    const signature = /signature="([^"]+)"/.exec(value)?.[1]
    if (signature !== undefined) out.push(signature)
  }
  return out
}

/**
 * `text` with every occurrence of each secret (and of its JSON-escaped form) replaced.
 *
 * @internal
 */
export const scrub = (text: string, secrets: ReadonlyArray<string>): string => {
  let out = text
  for (const secret of secrets) {
    if (secret.length < 8) continue
    out = out.split(secret).join(REDACTED)
    const escaped = JSON.stringify(secret).slice(1, -1)
    if (escaped !== secret) out = out.split(escaped).join(REDACTED)
  }
  return out
}

/**
 * A JSON value with every string scrubbed (the `detail` of an error body).
 *
 * @internal
 */
export const scrubValue = (value: unknown, secrets: ReadonlyArray<string>, depth = 0): unknown => {
  if (secrets.length === 0 || depth > 16) return value
  if (typeof value === "string") return scrub(value, secrets)
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, secrets, depth + 1))
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = scrubValue(v, secrets, depth + 1)
    return out
  }
  return value
}
