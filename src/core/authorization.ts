/**
 * The request signature (PROTOCOL §4): the message `METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n` and the
 * `Authorization` header. Time and nonce are arguments: the caller reads its clock and its random
 * source (an Effect line reads `Clock` and `Random`, so `TestClock` and a seeded `Random` pin them).
 *
 * @internal
 */

/** The `Authorization` scheme of APIv3. @internal */
export const SCHEME = "WECHATPAY2-SHA256-RSA2048"

/** @internal */
export const requestMessage = (input: {
  readonly method: string
  readonly url: string
  readonly timestamp: string
  readonly nonce: string
  readonly body: string
}): string => `${input.method}\n${input.url}\n${input.timestamp}\n${input.nonce}\n${input.body}\n`

/**
 * The `Authorization` header of one merchant with its constant parts joined once: what changes per
 * request (nonce, signature, timestamp) is filled in by the returned function.
 *
 * @internal
 */
export const authorizationFor = (mchid: string, serialNo: string) => {
  const start = `${SCHEME} mchid="${mchid}",nonce_str="`
  const end = `",serial_no="${serialNo}"`
  return (nonce: string, signature: string, timestamp: string): string =>
    `${start}${nonce}",signature="${signature}",timestamp="${timestamp}${end}`
}

/** @internal */
export const formatAuthorization = (input: {
  readonly mchid: string
  readonly nonce: string
  readonly signature: string
  readonly timestamp: string
  readonly serialNo: string
}): string => authorizationFor(input.mchid, input.serialNo)(input.nonce, input.signature, input.timestamp)

/**
 * Reads an `Authorization` header back into its fields (any order); `undefined` if it is not one.
 *
 * @internal
 */
export const parseAuthorization = (header: string): Record<string, string> | undefined => {
  if (!header.startsWith(`${SCHEME} `)) return undefined
  const fields: Record<string, string> = {}
  const pattern = /\s*([a-z_]+)="([^"]*)"\s*(?:,|$)/gy
  const rest = header.slice(SCHEME.length + 1)
  pattern.lastIndex = 0
  let match: RegExpExecArray | null
  let end = 0
  while ((match = pattern.exec(rest)) !== null) {
    fields[match[1]!] = match[2]!
    end = pattern.lastIndex
    if (end >= rest.length) break
  }
  return end === rest.length ? fields : undefined
}

/** The nonce alphabet: 36 characters, a nonce is 32 of them. @internal */
export const NONCE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

/** @internal */
export const NONCE_LENGTH = 32

/** Seconds since the epoch, as the header carries them. @internal */
export const timestampOf = (epochMillis: number): string => String(Math.floor(epochMillis / 1000))
