/**
 * The environment variables of `WechatPay.layerConfig()`, for both Effect lines: which variables
 * there are, how their text is read (durations, whole numbers, `*_FILE` paths, certificate files),
 * what is required, and every sentence a problem is told in. Each line only fetches the values (its
 * `ConfigProvider`, its `FileSystem`) and wraps the result in its own types, so the two lines read
 * and say exactly the same.
 *
 * A message names the variable, and for a `*_FILE` variable its path too; it quotes what was given
 * only for plain settings (durations, whole numbers), never a secret nor key material.
 *
 * @internal
 */

/** @internal */
export const DEFAULT_PREFIX = "WECHATPAY"

/** Every variable, without its prefix, in the order problems are listed. @internal */
export const SUFFIXES = [
  "MCHID",
  "MERCHANT_SERIAL_NO",
  "MERCHANT_PRIVATE_KEY",
  "MERCHANT_PRIVATE_KEY_FILE",
  "PUBLIC_KEY_ID",
  "PUBLIC_KEY",
  "PUBLIC_KEY_FILE",
  "PLATFORM_CERTIFICATES_FILE",
  "APIV3_KEY",
  "BASE_URL",
  "TIMEOUT",
  "RETRIES",
  "MAX_CLOCK_SKEW",
  "USER_AGENT"
] as const

/** @internal */
export type Suffix = typeof SUFFIXES[number]

/** The variables read as secrets (`Config.redacted`): their text never leaves the line unwrapped. @internal */
export type SecretSuffix = "MERCHANT_PRIVATE_KEY" | "APIV3_KEY"

/** @internal */
export const SECRETS: ReadonlyArray<SecretSuffix> = ["MERCHANT_PRIVATE_KEY", "APIV3_KEY"]

/** @internal */
export type TextSuffix = Exclude<Suffix, SecretSuffix>

/** The variables that name a file. @internal */
export type FileSuffix = "MERCHANT_PRIVATE_KEY_FILE" | "PUBLIC_KEY_FILE" | "PLATFORM_CERTIFICATES_FILE"

/** One thing wrong with the environment, named by its variable. @internal */
export interface Problem {
  readonly variable: string
  readonly message: string
}

/** What an Effect line read through its `ConfigProvider`. @internal */
export interface Read<S> {
  /** The plain variables that are set, by suffix. */
  readonly text: Partial<Record<TextSuffix, string>>
  /** The secret variables that are set, as the line keeps them (`Redacted`). */
  readonly secrets: Partial<Record<SecretSuffix, S>>
  /** Variables the provider could not read at all. */
  readonly problems: ReadonlyArray<Problem>
}

/**
 * Why a file could not be read, as the line learnt it: a Node error code (`ENOENT`), a
 * `FileSystem` reason (`NotFound`), a message; or no way to read files at all.
 *
 * @internal
 */
export type ReadFailure =
  | {
    readonly _tag: "Failed"
    readonly code?: string | undefined
    readonly reason?: string | undefined
    readonly detail?: string | undefined
  }
  | { readonly _tag: "NoFileSystem" }

/** A file's text, or why it could not be read. @internal */
export type FileRead = { readonly _tag: "Text"; readonly text: string } | ReadFailure

/** Where an option came from: its variable, and the file's path for a `*_FILE` variable. @internal */
export interface Source {
  readonly variable: string
  readonly path?: string | undefined
}

/** The options read, in plain values (secrets as the line keeps them); durations in milliseconds. @internal */
export interface Values<S> {
  readonly mchid: string
  readonly merchantSerialNo: string
  readonly merchantPrivateKey: S
  readonly wechatpayPublicKey?: { readonly id: string; readonly pem: string }
  readonly platformCertificates?: ReadonlyArray<string>
  readonly apiV3Key?: S
  readonly baseUrl?: string
  readonly timeoutMillis?: number
  readonly retries?: number
  readonly maxClockSkewMillis?: number
  readonly userAgent?: string
}

/** The options and where each came from, or every problem (at least one), in variable order. @internal */
export type Assembled<S> =
  | { readonly _tag: "Values"; readonly values: Values<S>; readonly sources: Readonly<Record<string, Source>> }
  | { readonly _tag: "Problems"; readonly problems: ReadonlyArray<Problem> }

// ---------------------------------------------------------------------------------------------
// The sentences
// ---------------------------------------------------------------------------------------------

/** A variable and, for a file, its path: the subject of a sentence about it. @internal */
export const subject = (source: Source): string =>
  source.path === undefined ? source.variable : `${source.variable} (${source.path})`

const CODE_WORDS: Readonly<Record<string, string>> = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EISDIR: "it is a directory, not a file",
  ENOTDIR: "a part of the path is not a directory",
  ELOOP: "too many symbolic links",
  ENAMETOOLONG: "the path is too long",
  EMFILE: "too many open files",
  EBUSY: "the file is busy"
}

const REASON_WORDS: Readonly<Record<string, string>> = {
  NotFound: "no such file",
  PermissionDenied: "permission denied",
  BadResource: "it is not a readable file",
  Busy: "the file is busy",
  TimedOut: "timed out"
}

/** The sentences of every problem, for variables named in full (`WECHATPAY_MCHID`). @internal */
export const messages = {
  missing: (variable: string) => `missing ${variable}`,
  secretRequired: (variable: string) => `${variable} or ${variable}_FILE is required`,
  publicKeyPair: (id: string, key: string) => `${id} and ${key} (or ${key}_FILE) go together`,
  verifierRequired: (prefix: string) =>
    `one of ${prefix}_PUBLIC_KEY_ID with ${prefix}_PUBLIC_KEY (or ${prefix}_PUBLIC_KEY_FILE), ${prefix}_PLATFORM_CERTIFICATES_FILE or ${prefix}_APIV3_KEY (to download the platform certificates) is required: without a key to verify WeChat Pay's answers, no answer can be trusted`,
  /** A plain setting that does not parse: what it got, and an accepted value. */
  invalid: (variable: string, expected: string, got: string) =>
    `invalid ${variable}: expected ${expected}, not ${JSON.stringify(got)}`,
  /** A variable the `ConfigProvider` could not read (its own words, first line only). */
  unreadable: (variable: string, detail: string) => `${variable} cannot be read: ${firstLine(detail)}`,
  emptyFileVariable: (variable: string) => `${variable} is empty: set it to the path of the file, or leave it unset`,
  emptyFile: (source: Source) => `${subject(source)} is an empty file`,
  cannotRead: (source: Source, failure: ReadFailure, inline: string | undefined) => {
    if (failure._tag === "NoFileSystem") {
      return `${
        subject(source)
      } cannot be read: no FileSystem here: provide one (NodeFileSystem.layer, BunFileSystem.layer, …)${
        inline === undefined ? "" : ` or set ${inline} itself`
      }`
    }
    const words = (failure.code === undefined ? undefined : CODE_WORDS[failure.code]) ??
      (failure.reason === undefined ? undefined : REASON_WORDS[failure.reason]) ??
      (failure.detail === undefined || failure.detail === "" ? undefined : firstLine(failure.detail)) ??
      failure.reason ?? "unknown error"
    return `${subject(source)} cannot be read: ${words}${failure.code === undefined ? "" : ` (${failure.code})`}`
  }
} as const

const firstLine = (text: string): string => text.split("\n")[0]!.trim()

/** The accepted example of each parsed variable. @internal */
export const EXAMPLES = {
  TIMEOUT: "5 seconds",
  MAX_CLOCK_SKEW: "5 minutes",
  RETRIES: "2"
} as const

// ---------------------------------------------------------------------------------------------
// Reading text
// ---------------------------------------------------------------------------------------------

const UNIT_MILLIS: Readonly<Record<string, number>> = {
  nano: 1e-6,
  micro: 1e-3,
  milli: 1,
  second: 1_000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 604_800_000
}

/**
 * A duration as Effect writes one, `5 seconds` (nanos, micros, millis, seconds, minutes, hours,
 * days, weeks; singular or plural), in milliseconds; `undefined` for anything else (`5s`, `-1 seconds`).
 *
 * @internal
 */
export const parseDuration = (text: string): number | undefined => {
  const match = /^(\d+(?:\.\d+)?)\s*(nano|micro|milli|second|minute|hour|day|week)s?$/.exec(text.trim())
  return match === null ? undefined : Number(match[1]) * UNIT_MILLIS[match[2]!]!
}

/** A whole number, `2` (a sign allowed: the layer says what range it takes); `undefined` for anything else. @internal */
export const parseInteger = (text: string): number | undefined => {
  const trimmed = text.trim()
  return /^[-+]?\d+$/.test(trimmed) ? Number(trimmed) : undefined
}

/** Each PEM certificate of a file; a file with none is kept whole (the layer says what it holds). @internal */
export const splitCertificates = (text: string): ReadonlyArray<string> => {
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)
  return blocks === null ? [text] : blocks
}

// ---------------------------------------------------------------------------------------------
// Reading the environment
// ---------------------------------------------------------------------------------------------

const INLINE: Readonly<Record<FileSuffix, Suffix | undefined>> = {
  MERCHANT_PRIVATE_KEY_FILE: "MERCHANT_PRIVATE_KEY",
  PUBLIC_KEY_FILE: "PUBLIC_KEY",
  PLATFORM_CERTIFICATES_FILE: undefined
}

const isSet = <S>(read: Read<S>, suffix: Suffix): boolean =>
  (SECRETS as ReadonlyArray<Suffix>).includes(suffix)
    ? read.secrets[suffix as SecretSuffix] !== undefined
    : read.text[suffix as TextSuffix] !== undefined

/**
 * The files to read: every `*_FILE` variable that is set to a path (not empty) and is not
 * overridden by its inline variable (the inline value wins).
 *
 * @internal
 */
export const filesToRead = <S>(
  prefix: string,
  read: Read<S>
): ReadonlyArray<{ readonly suffix: FileSuffix; readonly variable: string; readonly path: string }> =>
  (Object.keys(INLINE) as Array<FileSuffix>).flatMap((suffix) => {
    const path = read.text[suffix]
    const inline = INLINE[suffix]
    if (path === undefined || path.trim() === "" || (inline !== undefined && isSet(read, inline))) return []
    return [{ suffix, variable: `${prefix}_${suffix}`, path }]
  })

/**
 * Every rule of the environment over what the line read and the files' texts: the options with
 * where each came from, or every problem at once, in variable order.
 *
 * @internal
 */
export const assemble = <S>(
  prefix: string,
  read: Read<S>,
  files: Partial<Record<FileSuffix, FileRead>>,
  secret: (text: string) => S
): Assembled<S> => {
  const name = (suffix: Suffix) => `${prefix}_${suffix}`
  const problems: Array<Problem> = [...read.problems]
  const sources: Record<string, Source> = {}
  const problem = (suffix: Suffix, message: string) => problems.push({ variable: name(suffix), message })

  /** A `*_FILE` variable: given (set, even empty), and its text when it was read. */
  const file = (suffix: FileSuffix): { readonly given: boolean; readonly text?: string; readonly source?: Source } => {
    const path = read.text[suffix]
    if (path === undefined) return { given: false }
    const variable = name(suffix)
    if (path.trim() === "") {
      problem(suffix, messages.emptyFileVariable(variable))
      return { given: true }
    }
    const source: Source = { variable, path }
    const got = files[suffix]
    if (got === undefined) return { given: true, source }
    if (got._tag !== "Text") {
      const inline = INLINE[suffix]
      problem(suffix, messages.cannotRead(source, got, inline === undefined ? undefined : name(inline)))
      return { given: true, source }
    }
    if (got.text.trim() === "") {
      problem(suffix, messages.emptyFile(source))
      return { given: true, source }
    }
    return { given: true, text: got.text, source }
  }

  const required = (suffix: TextSuffix): string | undefined => {
    const value = read.text[suffix]
    const unreadable = read.problems.some((p) => p.variable === name(suffix))
    if (value === undefined && !unreadable) problem(suffix, messages.missing(name(suffix)))
    return value
  }
  const parsed = (suffix: TextSuffix, parse: (text: string) => number | undefined, expected: string) => {
    const text = read.text[suffix]
    if (text === undefined) return undefined
    const value = parse(text)
    if (value === undefined) problem(suffix, messages.invalid(name(suffix), expected, text))
    return value
  }

  const mchid = required("MCHID")
  const merchantSerialNo = required("MERCHANT_SERIAL_NO")

  let merchantPrivateKey: S | undefined = read.secrets.MERCHANT_PRIVATE_KEY
  if (merchantPrivateKey !== undefined) {
    sources.merchantPrivateKey = { variable: name("MERCHANT_PRIVATE_KEY") }
  } else {
    const fromFile = file("MERCHANT_PRIVATE_KEY_FILE")
    if (!fromFile.given) problem("MERCHANT_PRIVATE_KEY", messages.secretRequired(name("MERCHANT_PRIVATE_KEY")))
    if (fromFile.source !== undefined) sources.merchantPrivateKey = fromFile.source
    if (fromFile.text !== undefined) merchantPrivateKey = secret(fromFile.text)
  }

  const publicKeyId = read.text.PUBLIC_KEY_ID
  let publicKey = read.text.PUBLIC_KEY
  let publicKeyGiven = publicKey !== undefined
  if (publicKey !== undefined) {
    sources.wechatpayPublicKey = { variable: name("PUBLIC_KEY") }
  } else {
    const fromFile = file("PUBLIC_KEY_FILE")
    publicKeyGiven = fromFile.given
    if (fromFile.source !== undefined) sources.wechatpayPublicKey = fromFile.source
    publicKey = fromFile.text
  }
  if (publicKeyGiven !== (publicKeyId !== undefined)) {
    problem("PUBLIC_KEY_ID", messages.publicKeyPair(name("PUBLIC_KEY_ID"), name("PUBLIC_KEY")))
  }

  const certificates = file("PLATFORM_CERTIFICATES_FILE")
  if (certificates.source !== undefined) sources.platformCertificates = certificates.source
  const apiV3Key = read.secrets.APIV3_KEY
  if (!publicKeyGiven && publicKeyId === undefined && !certificates.given && apiV3Key === undefined) {
    problem("PUBLIC_KEY", messages.verifierRequired(prefix))
  }

  const baseUrl = read.text.BASE_URL
  const timeoutMillis = parsed("TIMEOUT", parseDuration, `a duration such as "${EXAMPLES.TIMEOUT}"`)
  const retries = parsed("RETRIES", parseInteger, `a whole number such as ${EXAMPLES.RETRIES}`)
  const maxClockSkewMillis = parsed(
    "MAX_CLOCK_SKEW",
    parseDuration,
    `a duration such as "${EXAMPLES.MAX_CLOCK_SKEW}"`
  )
  const userAgent = read.text.USER_AGENT

  if (
    problems.length > 0 || mchid === undefined || merchantSerialNo === undefined || merchantPrivateKey === undefined
  ) {
    const rank = (p: Problem) => SUFFIXES.indexOf(p.variable.slice(prefix.length + 1) as Suffix)
    return {
      _tag: "Problems",
      problems: problems.map((p, i) => [p, i] as const).sort(([a, i], [b, j]) => rank(a) - rank(b) || i - j).map((
        [p]
      ) => p)
    }
  }
  const values: Values<S> = {
    mchid,
    merchantSerialNo,
    merchantPrivateKey,
    ...(publicKey !== undefined && publicKeyId !== undefined
      ? { wechatpayPublicKey: { id: publicKeyId, pem: publicKey } }
      : {}),
    ...(certificates.text !== undefined ? { platformCertificates: splitCertificates(certificates.text) } : {}),
    ...(apiV3Key !== undefined ? { apiV3Key } : {}),
    ...(baseUrl !== undefined ? { baseUrl } : {}),
    ...(timeoutMillis !== undefined ? { timeoutMillis } : {}),
    ...(retries !== undefined ? { retries } : {}),
    ...(maxClockSkewMillis !== undefined ? { maxClockSkewMillis } : {}),
    ...(userAgent !== undefined ? { userAgent } : {})
  }
  return { _tag: "Values", values, sources }
}

// ---------------------------------------------------------------------------------------------
// The layer's problems, by variable
// ---------------------------------------------------------------------------------------------

/** The variable of each option (without the prefix). @internal */
export const VARIABLES: Readonly<Record<string, Suffix>> = {
  mchid: "MCHID",
  merchantSerialNo: "MERCHANT_SERIAL_NO",
  merchantPrivateKey: "MERCHANT_PRIVATE_KEY",
  "wechatpayPublicKey.id": "PUBLIC_KEY_ID",
  "wechatpayPublicKey.pem": "PUBLIC_KEY",
  wechatpayPublicKey: "PUBLIC_KEY",
  platformCertificates: "PLATFORM_CERTIFICATES_FILE",
  apiV3Key: "APIV3_KEY",
  baseUrl: "BASE_URL",
  timeout: "TIMEOUT",
  retries: "RETRIES",
  maxClockSkew: "MAX_CLOCK_SKEW",
  userAgent: "USER_AGENT"
}

const sourceOf = (prefix: string, sources: Readonly<Record<string, Source>>, option: string): Source | undefined => {
  const suffix = VARIABLES[option]
  if (suffix === undefined) return undefined
  const base = option === "wechatpayPublicKey.pem" ? "wechatpayPublicKey" : option
  return sources[base] ?? { variable: `${prefix}_${suffix}` }
}

/**
 * A problem of the layer (`"merchantPrivateKey is a certificate, …"`, option `merchantPrivateKey`),
 * told by the variable it came from: `"WECHATPAY_MERCHANT_PRIVATE_KEY_FILE (/etc/key.pem) is a
 * certificate, …"`, option `WECHATPAY_MERCHANT_PRIVATE_KEY_FILE`; a certificate of the file by its
 * place in it; any other option the sentence names, by its variable too. `undefined` for an option
 * that no variable sets.
 *
 * @internal
 */
export const renameProblem = (
  prefix: string,
  sources: Readonly<Record<string, Source>>,
  problem: { readonly option: string; readonly message: string }
): { readonly option: string; readonly message: string } | undefined => {
  const indexed = /^(.*)\[(\d+)\]$/.exec(problem.option)
  const option = indexed === null ? problem.option : indexed[1]!
  const source = sourceOf(prefix, sources, option)
  if (source === undefined) return undefined
  const head = indexed === null
    ? subject(source)
    : `${source.variable} (certificate ${Number(indexed[2]) + 1} of ${source.path ?? "the file"})`
  const rest = problem.message.startsWith(problem.option)
    ? problem.message.slice(problem.option.length)
    : `: ${problem.message}`
  const named = rest.replace(
    /\b(wechatpayPublicKey\.id|wechatpayPublicKey\.pem|wechatpayPublicKey|merchantPrivateKey|merchantSerialNo|platformCertificates|apiV3Key|mchid|baseUrl|maxClockSkew|userAgent)\b/g,
    (word) => sourceOf(prefix, sources, word)?.variable ?? word
  )
  return { option: source.variable, message: `${head}${named}` }
}
