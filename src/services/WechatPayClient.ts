/**
 * The HTTP pipeline of every APIv3 call: build the URL (each path parameter checked and encoded
 * as exactly one segment), set `Accept`, `User-Agent`, `Wechatpay-Serial`, sign the exact URL and
 * body that are sent, time each attempt out, retry transient failures with jittered exponential
 * backoff (re-signed with a fresh nonce each time), verify answers over the raw body before
 * parsing, map non-2xx answers to typed errors, and decode with a Schema.
 *
 * It is public and general: any APIv3 path with your own Schema gets the same treatment.
 *
 * @since 0.1.0
 */
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as DefaultServices from "effect/DefaultServices"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { identity } from "effect/Function"
import * as Layer from "effect/Layer"
import * as ParseResult from "effect/ParseResult"
import * as Random from "effect/Random"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import * as Tracer from "effect/Tracer"
import {
  type ApiErrors,
  type ClientError,
  DecodeError,
  InvalidConfig,
  InvalidInput,
  TransportError,
  VerificationError
} from "../errors/WechatPayError.js"
import * as InternalApiError from "../internal/apiError.js"
import * as Body from "../internal/body.js"
import * as Direct from "../internal/direct.js"
import * as ExactNumbers from "../internal/exactNumbers.js"
import * as PathSegment from "../internal/pathSegment.js"
import * as PlainTransport from "../internal/plainTransport.js"
import * as Redirects from "../internal/redirects.js"
import * as Timeout from "../internal/timeout.js"
import * as TransportFailure from "../internal/transportFailure.js"
import { DEFAULT_USER_AGENT as defaultUserAgent } from "../internal/version.js"
import * as Wire from "../internal/wire.js"
import { KeyStore } from "./KeyStore.js"
import { getHeader, Signer } from "./Signer.js"

/**
 * The production host.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_BASE_URL = "https://api.mch.weixin.qq.com"

/**
 * The default `User-Agent`: `effect-wechatpay/<version> (<platform>) <runtime>`.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_USER_AGENT: string = defaultUserAgent

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Default `https://api.mch.weixin.qq.com`. */
  readonly baseUrl?: string | undefined
  /** Per attempt. Default 10 seconds. */
  readonly timeout?: Duration.DurationInput | undefined
  /**
   * Retries after the first attempt for transient failures; 0 disables. Default 2. An idempotent
   * call (GET, PUT, DELETE) is retried after a 5xx, a 429, a transport failure or a timeout; a
   * non-idempotent one (POST, PATCH) only when the request provably never left (connection
   * refused), never after a timeout, a reset, a 5xx or a 429 (see `RequestOptions.idempotent`).
   */
  readonly retries?: number | undefined
  /** The first backoff delay; each retry doubles it, with jitter. Default 200 millis. */
  readonly retryBaseDelay?: Duration.DurationInput | undefined
  /** Default `effect-wechatpay/<version> (…)`. */
  readonly userAgent?: string | undefined
  /**
   * The largest answer body read, in bytes; a larger one fails the attempt with `TransportError`
   * without being read in full (refused before reading when `Content-Length` says so). Default
   * 1 MiB (`DEFAULT_MAX_RESPONSE_BYTES`).
   */
  readonly maxResponseBytes?: number | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE"

/**
 * One APIv3 call. `path` may hold `{name}` placeholders filled from `pathParams`, each checked and
 * encoded as exactly one path segment (the typed equivalent of the seeds' `chain('v3/…/{authorization_code}')`).
 *
 * @since 0.1.0
 * @category models
 */
export interface RequestOptions {
  readonly method: Method
  /** e.g. `/v3/payscore/permissions/authorization-code/{authorization_code}` */
  readonly path: string
  readonly pathParams?: Readonly<Record<string, string>> | undefined
  /** Sent in this order; `undefined` values are left out. */
  readonly query?: Readonly<Record<string, string | undefined>> | undefined
  /** Serialised once with `JSON.stringify`; those exact bytes are signed and sent. */
  readonly body?: unknown
  /**
   * The name of the call's span (one per call, over all its attempts; made only when a tracer is
   * installed: Effect's default tracer exports nothing, so none is made under it). Default `"WechatPayClient <METHOD> <path>"`; `PayScorePermissions` methods use
   * `"PayScorePermissions.<method>"`.
   */
  readonly operation?: string | undefined
  /**
   * Whether sending the call twice has the effect of sending it once, which decides what is
   * retried (`isRetryable`). Default: `true` for GET, PUT and DELETE, `false` for POST and PATCH.
   * A non-idempotent call is retried only when the request provably never left (connection
   * refused); an idempotent one after any transient failure (5xx, 429, transport, timeout).
   */
  readonly idempotent?: boolean | undefined
}

/**
 * Whether a method is idempotent by default (RFC 9110 §9.2.2): GET, HEAD, PUT, DELETE, OPTIONS.
 *
 * @since 0.1.0
 * @category retries
 */
export const isIdempotentMethod = (method: string): boolean =>
  method === "GET" || method === "HEAD" || method === "PUT" || method === "DELETE" || method === "OPTIONS"

/**
 * A verified answer.
 *
 * @since 0.1.0
 * @category models
 */
export interface Answer {
  readonly status: number
  readonly headers: Headers.Headers
  /** The raw body text, exactly as verified. */
  readonly body: string
  /** The `Request-ID` header. */
  readonly requestId: string | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export declare namespace WechatPayClient {
  /**
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** Signs, sends, verifies; a non-2xx answer fails with its typed error. */
    readonly execute: (options: RequestOptions) => Effect.Effect<Answer, ClientError>
    /** `execute`, then decodes the verified JSON body with `schema` (`DecodeError` when it does not fit). */
    readonly request: <A, I>(
      options: RequestOptions & { readonly schema: Schema.Schema<A, I, never> }
    ) => Effect.Effect<A, ClientError>
    /**
     * `execute` for calls answered with 204 (no content): succeeds with `void` on any verified 2xx
     * (a 204 is verified over the empty body; a 200 with a body is verified too, then its body is
     * ignored). Never fails with `DecodeError`.
     */
    readonly requestVoid: (options: RequestOptions) => Effect.Effect<void, ExecuteError>
  }
}

/**
 * @since 0.1.0
 * @category tags
 */
export class WechatPayClient
  extends Context.Tag("effect-wechatpay/WechatPayClient")<WechatPayClient, WechatPayClient.Service>()
{}

// ---------------------------------------------------------------------------------------------
// URL building
// ---------------------------------------------------------------------------------------------

const PLACEHOLDER = /\{([A-Za-z0-9_]+)\}/g

/** A path template split at its `{name}` placeholders: `literals` has one more entry than `names`. */
interface Template {
  readonly literals: ReadonlyArray<string>
  readonly names: ReadonlyArray<string>
}

/**
 * The valid templates seen so far: the methods' paths are a few constants, checked and split once.
 * A program that builds paths on the fly (with `execute`) fills it up to `MAX_TEMPLATES`; later
 * paths are checked and split on each call, and not kept.
 */
const templates = new Map<string, Template>()
const MAX_TEMPLATES = 256

const templateOf = (path: string): Template | InvalidInput => {
  const known = templates.get(path)
  if (known !== undefined) return known
  const normalized = path.startsWith("/") ? path : `/${path}`
  if (/[?#]/.test(normalized) || PathSegment.notVisibleAscii(normalized) !== undefined) {
    return new InvalidInput({ field: "path", message: "path must be printable ASCII without ? or # (use query)" })
  }
  // split with a capture group alternates literal, name, literal, …, literal
  const parts = normalized.split(PLACEHOLDER)
  const template = { literals: parts.filter((_, i) => i % 2 === 0), names: parts.filter((_, i) => i % 2 === 1) }
  if (templates.size < MAX_TEMPLATES) templates.set(path, template)
  return template
}

/**
 * Checks one path parameter: non-empty visible ASCII, none of `/ \ ? # %`, not `.` or `..`.
 * What passes is encoded with `encodeURIComponent` and can only ever be one path segment.
 *
 * @since 0.1.0
 * @category url
 */
export const checkPathSegment = (field: string, value: unknown): Either.Either<string, InvalidInput> => {
  if (typeof value !== "string") return Either.left(new InvalidInput({ field, message: `${field} must be a string` }))
  if (value.length === 0) return Either.left(new InvalidInput({ field, message: `${field} must not be empty` }))
  const problem = PathSegment.notVisibleAscii(value) ?? PathSegment.notOneSegment(value)
  if (problem !== undefined) return Either.left(new InvalidInput({ field, message: `${field} ${problem}` }))
  return Either.right(encodeURIComponent(value))
}

/**
 * Fills `{name}` placeholders and appends the query: the path and query as they go on the wire.
 *
 * @since 0.1.0
 * @category url
 */
export const buildPath = (
  path: string,
  pathParams: Readonly<Record<string, string>> = {},
  query: Readonly<Record<string, string | undefined>> = {}
): Either.Either<string, InvalidInput> => {
  const template = templateOf(path)
  if (template instanceof InvalidInput) return Either.left(template)
  let built = template.literals[0]!
  for (let i = 0; i < template.names.length; i++) {
    const name = template.names[i]!
    const given = Object.hasOwn(pathParams, name)
    const segment = checkPathSegment(name, given ? pathParams[name] : undefined)
    if (Either.isLeft(segment)) {
      return Either.left(
        given ? segment.left : new InvalidInput({ field: name, message: `${name} is required by the path` })
      )
    }
    built += segment.right + template.literals[i + 1]!
  }
  let search = ""
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue
    if (typeof value !== "string") {
      return Either.left(new InvalidInput({ field: key, message: `${key} must be a string` }))
    }
    let pair: string
    try {
      pair = `${encodeURIComponent(key)}=${encodeURIComponent(value)}`
    } catch {
      // a lone UTF-16 surrogate cannot be percent-encoded (URIError): refuse it, never throw
      return Either.left(new InvalidInput({ field: key, message: `${key} is not well-formed Unicode` }))
    }
    search += `${search === "" ? "?" : "&"}${pair}`
  }
  return Either.right(built + search)
}

const checkBaseUrl = (baseUrl: string): Either.Either<string, InvalidConfig> => {
  const bad = (message: string) => Either.left(new InvalidConfig({ option: "baseUrl", message: `baseUrl ${message}` }))
  if (typeof baseUrl !== "string") return bad("must be a string")
  let url: URL
  try {
    url = new URL(baseUrl)
  } catch {
    return bad("is not a URL: expected e.g. https://api.mch.weixin.qq.com")
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return bad("must be an http(s) URL")
  if (url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
    return bad("must not have a query, a fragment or credentials")
  }
  return Either.right(url.href.replace(/\/+$/, ""))
}

// ---------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------

interface Raw {
  readonly status: number
  readonly headers: Headers.Headers
  readonly body: string
  /** Whether `body` is exactly the bytes received (valid UTF-8): only such a body can verify. */
  readonly exact: boolean
}

/**
 * The default of `maxResponseBytes`: 1 MiB. Pay Score answers are well under 4 KiB.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 1_048_576

const textEncoder = new TextEncoder()

/** What a header object prints as: the values of `REDACTED_HEADERS` replaced by `<redacted>`. */
const printable = (headers: Headers.Headers): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    out[name] = REDACTED_HEADERS.includes(name) ? "<redacted>" : value
  }
  return out
}

/** The platform's prototype of header objects, with a `toJSON` that prints them redacted. */
let redactingProto: object | undefined
const redactingProtoOf = (headers: Headers.Headers): object =>
  redactingProto ??= Object.create(Object.getPrototypeOf(headers), {
    toJSON: {
      value(this: Headers.Headers) {
        return printable(this)
      },
      enumerable: false
    }
  })

/**
 * Makes the `Authorization` header's value invisible to `String`, `JSON.stringify` and
 * `util.inspect` of the request the library builds (the platform's `toJSON` prints headers as
 * they are outside a logger): that request's own headers object gets a prototype with a redacting
 * `toJSON` (an inherited method: a transport converts the object's own keys, and fetch refuses
 * any own key that is not a header, enumerable or not), and the request an inspect method. A
 * middleware that changes the headers makes a new object, without it (see SECURITY.md).
 */
const redactOnPrint = (request: HttpClientRequest.HttpClientRequest): void => {
  const headers = request.headers
  Object.setPrototypeOf(headers, redactingProtoOf(headers))
  Object.defineProperty(request, NodeInspect, {
    value: () => ({ ...(request.toJSON() as object), headers: printable(headers) }),
    enumerable: false
  })
}

const NodeInspect = Symbol.for("nodejs.util.inspect.custom")

const decoders = new WeakMap<Schema.Schema.Any, (text: string) => Either.Either<unknown, ParseResult.ParseError>>()

/** The JSON decoder of a schema, built once: building one compiles the schema, which costs more than a query. */
const decoderOf = <A, I>(schema: Schema.Schema<A, I, never>) => {
  let decode = decoders.get(schema)
  if (decode === undefined) {
    decode = Schema.decodeUnknownEither(Schema.parseJson(schema))
    decoders.set(schema, decode)
  }
  return decode as (text: string) => Either.Either<A, ParseResult.ParseError>
}

const SIGNATURE_HEADERS = ["wechatpay-timestamp", "wechatpay-nonce", "wechatpay-signature", "wechatpay-serial"]

const optionalSerial = (serial: string | undefined): { readonly serial?: string } =>
  serial === undefined ? {} : { serial }

/**
 * What does not fit in a `DecodeError` message: the formatter prints the offending value, which
 * may be a deeply nested array that overflows the stack (found by the fuzz: a defect, not a typed
 * error) or a large one; so it is guarded and cut at 2,000 characters.
 */
const describeParseError = (error: ParseResult.ParseError): string => {
  let text: string
  try {
    text = ParseResult.TreeFormatter.formatErrorSync(error)
  } catch {
    return "(the answer is too deeply nested to describe)"
  }
  return text.length > 2000 ? `${text.slice(0, 2000)}… (${text.length} characters)` : text
}

/**
 * Maps a non-2xx answer to its typed error: WeChat Pay's `code`, `message`, `detail` and the
 * `Request-ID` are kept.
 *
 * @since 0.1.0
 * @category errors
 */
export const toApiError: (status: number, body: string, requestId: string | undefined) => ApiErrors =
  InternalApiError.toApiError

/**
 * What `execute` (and `requestVoid`) can fail with: every `ClientError` but `DecodeError`.
 *
 * @since 0.1.0
 * @category errors
 */
export type ExecuteError = Exclude<ClientError, DecodeError>

/**
 * Whether a failure may go away on its own: retried within the budget (for idempotent calls).
 *
 * @since 0.1.0
 * @category retries
 */
export const isTransient = (error: ClientError): boolean =>
  error._tag === "TransportError" || error._tag === "FrequencyLimited" || error._tag === "SystemError"

/**
 * Whether a failure proves the request never reached the server: a `TransportError` made from a
 * `RequestError` of reason `"Transport"` whose cause chain has the code `ECONNREFUSED`. Never true
 * of a timeout, a reset connection or any answer.
 *
 * @since 0.1.0
 * @category retries
 */
export const isNeverSent = (error: ClientError): boolean =>
  error._tag === "TransportError" && TransportFailure.isMarkedNeverSent(error)

/**
 * The one retry rule: an idempotent call is retried after any transient failure (`isTransient`:
 * 5xx, 429, transport, timeout); a non-idempotent one (a POST) only when the request never left
 * (`isNeverSent`: connection refused), because after a timeout, a reset, a 5xx or a 429 WeChat Pay
 * may have acted on it.
 *
 * @since 0.1.0
 * @category retries
 */
export const isRetryable = (error: ClientError, idempotent: boolean): boolean =>
  idempotent ? isTransient(error) : isNeverSent(error)

const describeTransport = (error: HttpClientError.HttpClientError): TransportError =>
  TransportFailure.describe(error, error.request.headers)

// ---------------------------------------------------------------------------------------------
// Service
// ---------------------------------------------------------------------------------------------

/**
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options = {}
): Effect.Effect<WechatPayClient.Service, InvalidConfig, HttpClient.HttpClient | Signer | KeyStore> =>
  Effect.gen(function*() {
    const baseUrl = checkBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL)
    if (Either.isLeft(baseUrl)) return yield* baseUrl.left
    const timeout = Duration.decodeUnknown(options.timeout ?? "10 seconds")
    if (timeout._tag === "None" || !Duration.greaterThan(timeout.value, Duration.zero)) {
      return yield* new InvalidConfig({ option: "timeout", message: "timeout must be a positive duration" })
    }
    const retries = options.retries ?? 2
    if (!Number.isInteger(retries) || retries < 0) {
      return yield* new InvalidConfig({ option: "retries", message: "retries must be a whole number, 0 or more" })
    }
    const retryBaseDelay = Duration.decodeUnknown(options.retryBaseDelay ?? "200 millis")
    if (retryBaseDelay._tag === "None") {
      return yield* new InvalidConfig({ option: "retryBaseDelay", message: "retryBaseDelay must be a duration" })
    }
    const userAgent = options.userAgent ?? DEFAULT_USER_AGENT
    if (typeof userAgent !== "string" || !/^[\x20-\x7e]+$/.test(userAgent)) {
      return yield* new InvalidConfig({ option: "userAgent", message: "userAgent must be printable ASCII" })
    }
    const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES
    if (!Number.isSafeInteger(maxResponseBytes) || maxResponseBytes < 1) {
      return yield* new InvalidConfig({
        option: "maxResponseBytes",
        message: "maxResponseBytes must be a whole number of bytes, 1 or more"
      })
    }

    // our own span (below) covers each call; the platform's per-request span would add a span,
    // header attributes for every request and answer header, and trace headers sent to WeChat Pay
    // (a plain transport, such as UndiciHttpClient, makes neither: nothing to switch off)
    const transport = yield* HttpClient.HttpClient
    const plain = PlainTransport.isPlain(transport)
    const httpClient = plain ? transport : transport.pipe(
      HttpClient.withTracerDisabledWhen(() => true),
      HttpClient.withTracerPropagation(false)
    )
    const signer = yield* Signer
    const keys = yield* KeyStore
    const timeoutText = Duration.format(timeout.value)
    const schedule = Schedule.exponential(retryBaseDelay.value).pipe(
      Schedule.jittered,
      Schedule.intersect(Schedule.recurs(retries))
    )
    const baseHeaders = { accept: "application/json", "user-agent": userAgent }
    const onTimeout = () =>
      new TransportError({
        message: `sent, but no complete answer within ${timeoutText} (timeout); ${TransportFailure.OUTCOME_UNKNOWN}`
      })
    const timeoutMillis = Duration.toMillis(timeout.value)

    // every part one of ours: an attempt can run as one callback chain (see internal/direct.ts)
    const directSigner = Direct.signerOf(signer)
    const directTransport = Direct.transportOf(transport)
    const direct = directSigner !== undefined && directTransport !== undefined &&
        timeoutMillis <= Timeout.MAX_TIMER_MILLIS
      ? { signer: directSigner, transport: directTransport }
      : undefined

    /**
     * `Effect.retry({ schedule, while: isRetryable })`, with the schedule started only after a
     * first retryable failure: the same attempts, delays and jitter draws, and nothing to pay on
     * the calls that succeed the first time (nearly all of them).
     */
    const retrying =
      (idempotent: boolean) => <A>(attempt: Effect.Effect<A, ExecuteError>): Effect.Effect<A, ExecuteError> => {
        if (retries === 0) return attempt
        const retryable = (error: ExecuteError) => isRetryable(error, idempotent)
        return Effect.catchIf(attempt, retryable, (first) =>
          Effect.flatMap(Schedule.driver(schedule), (driver) => {
            const again = (error: ExecuteError): Effect.Effect<A, ExecuteError> =>
              Effect.matchEffect(driver.next(error), {
                onFailure: () => Effect.fail(error),
                onSuccess: () => Effect.catchIf(attempt, retryable, again)
              })
            return again(first)
          }))
      }

    const answerOf = (raw: Raw): Answer => ({
      status: raw.status,
      headers: raw.headers,
      body: raw.body,
      requestId: getHeader(raw.headers, "request-id")
    })

    const retryingIdempotent = retrying(true)
    const retryingOnce = retrying(false)

    const classify = (raw: Raw): Effect.Effect<Answer, ApiErrors | VerificationError> => {
      if (Redirects.isRedirect(raw.status)) return Effect.fail(Redirects.redirectError(raw.status, raw.headers))
      const ok = raw.status >= 200 && raw.status < 300
      const signed = SIGNATURE_HEADERS.some((name) => raw.headers[name] !== undefined)
      // bytes that are not UTF-8 have no exact text: no signature can hold over them
      const verified = !ok && !signed
        ? Effect.void
        : raw.exact
        ? signer.verify(raw)
        : Effect.fail(
          new VerificationError({
            reason: "BadSignature",
            ...optionalSerial(getHeader(raw.headers, "wechatpay-serial"))
          })
        )
      return Effect.flatMap(
        verified,
        () =>
          ok
            ? Effect.succeed(answerOf(raw))
            : Effect.fail(toApiError(raw.status, raw.body, getHeader(raw.headers, "request-id")))
      )
    }

    /** One attempt through the services: `Signer`, `HttpClient`, the capped reader, `classify`. */
    const effectAttempt = (
      method: Method,
      url: URL,
      target: string,
      body: string
    ): Effect.Effect<Answer, ExecuteError> =>
      Effect.gen(function*() {
        const request = HttpClientRequest.make(method)(url.href).pipe(
          // read per attempt: with downloaded certificates, the newest serial changes on rotation
          HttpClientRequest.setHeaders({ ...baseHeaders, "wechatpay-serial": keys.wechatpaySerial }),
          body === "" ? (r) => r : HttpClientRequest.bodyText(body, "application/json")
        )
        const authorization = yield* signer.authorization({ method, url: target, body })
        const signed = HttpClientRequest.setHeader(request, "authorization", authorization)
        redactOnPrint(signed)
        const response = yield* (plain ? httpClient.execute(signed) : Redirects.noRedirects(httpClient.execute(signed)))
        const headers = response.headers
        // read the bytes ourselves, capped at maxResponseBytes: `response.text` would read any size
        // and drop a leading BOM, and the signature covers the body exactly as sent
        const read = yield* Body.readCapped(response, maxResponseBytes, headers["content-length"])
        return { status: response.status, headers, body: read.text, exact: read.exact }
      }).pipe(
        Effect.catchAll((error) => Effect.fail(describeTransport(error))),
        (self) => Timeout.timeoutFail(self, timeout.value, onTimeout),
        Effect.flatMap(classify)
      )

    const logTransient = (error: ExecuteError): Effect.Effect<void> =>
      isTransient(error)
        ? Effect.logDebug("effect-wechatpay: transient failure", {
          _tag: error._tag,
          ...("status" in error ? { status: error.status, code: error.code } : {}),
          ...("message" in error ? { message: error.message } : {})
        })
        : Effect.void

    /**
     * One attempt as one callback chain: sign, send, read (under the per-attempt timeout), then a
     * 2xx answer verified with a key known now. Anything else goes to `classify`, as in the Effect
     * attempt: the same errors, the same certificate refresh. Interruption aborts the request or
     * destroys the body.
     */
    const directAttempt = (
      parts: NonNullable<typeof direct>,
      method: Method,
      url: URL,
      target: string,
      body: string
    ): Effect.Effect<Answer, ExecuteError> =>
      Effect.async<Answer, ExecuteError>((resume) => {
        const bytes = body === "" ? null : textEncoder.encode(body)
        // the headers the Effect attempt sends, in its order (`HttpClientRequest.bodyText` adds the
        // content type and length)
        const headers: Record<string, string> = { ...baseHeaders, "wechatpay-serial": keys.wechatpaySerial }
        if (bytes !== null) {
          headers["content-type"] = "application/json"
          headers["content-length"] = String(bytes.byteLength)
        }
        let over = false
        let cancel: (() => void) | undefined
        const timer = setTimeout(() => {
          if (over) return
          over = true
          cancel?.()
          resume(Effect.fail(onTimeout()))
        }, timeoutMillis)
        parts.signer.authorization(method, target, body).then(
          (authorization) => {
            if (over) return
            headers["authorization"] = authorization
            cancel = parts.transport.send({ method, url, headers, body: bytes }, maxResponseBytes, (result) => {
              if (over) return
              over = true
              clearTimeout(timer)
              if (result._tag !== "Answer") {
                const sent = result._tag === "ResponseFailed"
                resume(Effect.fail(TransportFailure.describe({
                  _tag: sent ? "ResponseError" : "RequestError",
                  reason: sent ? "Decode" : "Transport",
                  cause: result.cause
                }, headers)))
                return
              }
              const raw: Raw = {
                status: result.status,
                headers: Headers.fromInput(result.headers),
                body: result.body,
                exact: result.exact
              }
              if (raw.status < 200 || raw.status >= 300 || !raw.exact) {
                resume(classify(raw))
                return
              }
              parts.signer.verifiesNow(raw).then(
                (verified) => resume(verified ? Effect.succeed(answerOf(raw)) : classify(raw)),
                (cause: unknown) => resume(Effect.die(cause))
              )
            })
          },
          (cause: unknown) => {
            // as `KeyStore.sign` (an `Effect.promise`): a signing key WebCrypto refuses is a defect
            if (over) return
            over = true
            clearTimeout(timer)
            resume(Effect.die(cause))
          }
        )
        return Effect.sync(() => {
          if (over) return
          over = true
          clearTimeout(timer)
          cancel?.()
        })
      })

    const execute = (options: RequestOptions): Effect.Effect<Answer, ExecuteError> =>
      Effect.suspend((): Effect.Effect<Answer, ExecuteError> => {
        const path = buildPath(options.path, options.pathParams, options.query)
        if (Either.isLeft(path)) return Effect.fail(path.left)
        let body = ""
        if (options.body !== undefined) {
          try {
            body = JSON.stringify(options.body) ?? ""
          } catch (e) {
            return Effect.fail(
              new InvalidInput({ field: "body", message: `body cannot be serialised to JSON: ${(e as Error).message}` })
            )
          }
        }
        const url = new URL(baseUrl.right + path.right)
        // sign what goes on the wire: the request target as the server receives it
        const target = url.pathname + url.search
        // the direct attempt only where the Effect one would read the system clock and the CSPRNG
        const attempt = direct === undefined
          ? effectAttempt(options.method, url, target, body)
          : Effect.withFiberRuntime<Answer, ExecuteError>((fiber) => {
            const services = fiber.getFiberRef(DefaultServices.currentServices)
            return Timeout.isLiveClock(Context.get(services, Clock.Clock)) &&
                Context.get(services, Random.Random) === Wire.defaultRandom
              ? directAttempt(direct, options.method, url, target, body)
              : effectAttempt(options.method, url, target, body)
          })
        const idempotent = options.idempotent ?? isIdempotentMethod(options.method)
        return Effect.tapError(attempt, logTransient).pipe(
          idempotent ? retryingIdempotent : retryingOnce,
          plain ? identity : withRedactedHeaders,
          withCallSpan(options)
        )
      })

    const request = <A, I>(
      options: RequestOptions & { readonly schema: Schema.Schema<A, I, never> }
    ): Effect.Effect<A, ClientError> => {
      const decode = decoderOf(options.schema)
      return Effect.flatMap(execute(options), (answer) => {
        const inexact = ExactNumbers.inexactNumber(answer.body)
        if (inexact !== undefined) {
          return Effect.fail(
            new DecodeError({
              message: `the verified answer has a number no JavaScript number holds exactly (${
                inexact.length > 40 ? `${inexact.slice(0, 40)}…` : inexact
              }): it would be rounded or infinite`
            })
          )
        }
        const decoded = decode(answer.body)
        return Either.isRight(decoded) ? Effect.succeed(decoded.right) : Effect.fail(
          new DecodeError({
            message: `the verified answer does not have the documented shape: ${describeParseError(decoded.left)}`
          })
        )
      })
    }

    const requestVoid = (options: RequestOptions): Effect.Effect<void, ExecuteError> => Effect.asVoid(execute(options))

    return WechatPayClient.of({ execute, request, requestVoid })
  })

/**
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options = {}
): Layer.Layer<WechatPayClient, InvalidConfig, HttpClient.HttpClient | Signer | KeyStore> =>
  Layer.effect(WechatPayClient, make(options))

/** Effect's default tracer, which exports its spans nowhere. */
const defaultTracer = Context.get(DefaultServices.liveServices, Tracer.Tracer)

/**
 * The span of one call (all its attempts): named `operation` (the methods of `PayScorePermissions`
 * name it after themselves), with the method and the path template as attributes. Made only when
 * a tracer is installed (OpenTelemetry, the DevTools, your own): under Effect's default tracer,
 * which sends spans nowhere, making one costs about as much CPU as the rest of the call's set-up
 * and shows nothing.
 */
const withCallSpan = (options: RequestOptions) => <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.tracerWith((tracer) =>
    tracer === defaultTracer ? effect : Effect.withSpan(
      effect,
      options.operation ?? `WechatPayClient ${options.method} ${options.path}`,
      {
        kind: "client",
        captureStackTrace: false,
        attributes: { "http.request.method": options.method, "url.template": options.path }
      }
    )
  )

/**
 * Runs `effect` with `REDACTED_HEADERS` among the header names Effect's logging and tracing print as
 * `<redacted>` (`Headers.currentRedactedNames`), so a logging middleware on the user's `HttpClient`
 * never prints a signature. Most of the time they already are (the platform's default has
 * `authorization`, and a fiber that ran one call keeps nothing, so this is checked per call): a
 * check, not a copy of the fiber's references, which costs more than the rest of the call's set-up.
 */
const withRedactedHeaders = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.withFiberRuntime((fiber) => {
    const names = fiber.getFiberRef(Headers.currentRedactedNames)
    for (const name of REDACTED_HEADERS) {
      if (!names.some((n) => typeof n === "string" && n.toLowerCase() === name)) {
        return Effect.locally(effect, Headers.currentRedactedNames, [...names, ...REDACTED_HEADERS])
      }
    }
    return effect
  })

/**
 * Header names Effect's HTTP logging and tracing must never print.
 *
 * @since 0.1.0
 * @category constants
 */
export const REDACTED_HEADERS: ReadonlyArray<string> = ["authorization", "wechatpay-signature"]
