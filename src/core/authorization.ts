/**
 * The request signature: the message `METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n` and the
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

/** Characters drawn from one fraction: 36^8 < 2^53, so each is exact. @internal */
export const NONCE_CHARS_PER_DRAW = 8

/** How many fractions a nonce takes: 4 × 8 = 32 characters (about 165 bits). @internal */
export const NONCE_DRAWS = NONCE_LENGTH / NONCE_CHARS_PER_DRAW

const SPAN = 36 ** NONCE_CHARS_PER_DRAW

/**
 * A nonce from `NONCE_DRAWS` fractions in `[0, 1)` (a random source's `next`): each gives 8
 * characters of the alphabet, its integer `floor(f × 36^8)` written in base 36, big-endian.
 *
 * @internal
 */
export const nonceFromFractions = (fractions: ReadonlyArray<number>): string => {
  let out = ""
  for (const fraction of fractions) {
    let n = Math.min(SPAN - 1, Math.max(0, Math.floor(fraction * SPAN)))
    let chunk = ""
    for (let i = 0; i < NONCE_CHARS_PER_DRAW; i++) {
      chunk = NONCE_ALPHABET[n % 36]! + chunk
      n = Math.floor(n / 36)
    }
    out += chunk
  }
  return out
}

/**
 * The fractions that give `nonce` (its inverse, for pinning a nonce in tests): each 8 characters
 * read in base 36, centred in their slice of `[0, 1)`.
 *
 * @internal
 */
export const fractionsOfNonce = (nonce: string): ReadonlyArray<number> => {
  if (nonce.length !== NONCE_LENGTH || [...nonce].some((c) => !NONCE_ALPHABET.includes(c))) {
    throw new Error(`a nonce is ${NONCE_LENGTH} characters of ${NONCE_ALPHABET}`)
  }
  const out: Array<number> = []
  for (let i = 0; i < NONCE_LENGTH; i += NONCE_CHARS_PER_DRAW) {
    let n = 0
    for (const c of nonce.slice(i, i + NONCE_CHARS_PER_DRAW)) n = n * 36 + NONCE_ALPHABET.indexOf(c)
    out.push((n + 0.5) / SPAN)
  }
  return out
}

/** Seconds since the epoch, as the header carries them. @internal */
export const timestampOf = (epochMillis: number): string => String(Math.floor(epochMillis / 1000))
