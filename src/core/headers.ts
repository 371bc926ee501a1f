/**
 * Header lookup over whatever a caller holds: a web `Headers`, or a record whose keys may have any
 * casing and whose values may be arrays (repeated headers count as absent: they cannot be what
 * WeChat Pay signed).
 *
 * @internal
 */

/** @internal */
export type HeadersInput =
  | globalThis.Headers
  | Readonly<Record<string, string | ReadonlyArray<string> | undefined>>

/** @internal */
export const getHeader = (headers: HeadersInput, name: string): string | undefined => {
  if (
    typeof (headers as globalThis.Headers).get === "function" && typeof Headers !== "undefined" &&
    headers instanceof Headers
  ) {
    return headers.get(name) ?? undefined
  }
  const record = headers as Readonly<Record<string, string | ReadonlyArray<string> | undefined>>
  let value = record[name]
  if (value === undefined) {
    const lower = name.toLowerCase()
    value = record[lower]
    if (value === undefined) {
      for (const key of Object.keys(record)) {
        if (key.toLowerCase() === lower) {
          value = record[key]
          break
        }
      }
    }
  }
  return typeof value === "string" ? value : undefined
}

/**
 * A record of headers with lowercase names and string values (arrays joined with `, `, as the
 * fetch standard does), for the answer a transport hands back.
 *
 * @internal
 */
export const lowercaseRecord = (
  headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>
): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue
    out[name.toLowerCase()] = typeof value === "string" ? value : value.join(", ")
  }
  return out
}
