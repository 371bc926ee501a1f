/**
 * The HTTP pipeline of every APIv3 call: build the URL (each path parameter checked and encoded
 * as exactly one segment), set `Accept`, `User-Agent`, `Wechatpay-Serial`, sign the exact URL and
 * body that are sent, time each attempt out, retry transient failures with jittered exponential
 * backoff (re-signed with a fresh nonce each time), verify answers over the raw body before
 * parsing, map non-2xx answers to typed errors, and decode with a Schema.
 *
 * It is public and general: any APIv3 path with your own Schema gets the same treatment.
 *
 * @since 0.2.0
 */
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Headers from "effect/http/Headers"
import * as HttpClient from "effect/http/HttpClient"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Tracer from "effect/Tracer"
import * as CoreApiError from "../../../src/core/apiError.js"
import * as Attempt from "../../../src/core/attempt.js"
import * as Json from "../../../src/core/json.js"
import * as CoreOptions from "../../../src/core/options.js"
import * as Path from "../../../src/core/path.js"
import * as Retry from "../../../src/core/retry.js"
import * as Transport from "../../../src/core/transport.js"
import { DEFAULT_USER_AGENT as defaultUserAgent } from "../../../src/core/version.js"
import type { ApiErrors, ClientError, InvalidConfig, VerificationError } from "../errors/WechatPayError.js"
import { DecodeError, InvalidInput } from "../errors/WechatPayError.js"
import * as Errors from "../internal/errors.js"
import * as HttpTransport from "../internal/httpTransport.js"
import * as InternalOptions from "../internal/options.js"
import { KeyStore } from "./KeyStore.js"
import { Signer } from "./Signer.js"
import { WechatPayTransport } from "./WechatPayTransport.js"

/**
 * The production host.
 *
 * @since 0.2.0
 * @category constants
 */
export const DEFAULT_BASE_URL: string = CoreOptions.DEFAULT_BASE_URL

/**
 * The default `User-Agent`: `effect-wechatpay/<version> (<platform>) <runtime>`.
 *
 * @since 0.2.0
 * @category constants
 */
export const DEFAULT_USER_AGENT: string = defaultUserAgent

/**
 * @since 0.2.0
 * @category models
 */
export interface Options {
  /** Default `https://api.mch.weixin.qq.com`. */
  readonly baseUrl?: string | undefined
  /** Per attempt. Default 10 seconds. */
  readonly timeout?: Duration.Input | undefined
  /**
   * Retries after the first attempt for transient failures; 0 disables. Default 2. An idempotent
   * call (GET, PUT, DELETE) is retried after a 5xx, a 429, a transport failure or a timeout; a
   * non-idempotent one (POST, PATCH) only when the request provably never left (connection
   * refused), never after a timeout, a reset, a 5xx or a 429 (see `RequestOptions.idempotent`).
   */
  readonly retries?: number | undefined
  /** The first backoff delay; each retry doubles it, with jitter. Default 200 millis. */
  readonly retryBaseDelay?: Duration.Input | undefined
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
 * @since 0.2.0
 * @category models
 */
export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE"

/**
 * One APIv3 call. `path` may hold `{name}` placeholders filled from `pathParams`, each checked and
 * encoded as exactly one path segment (the typed equivalent of the seeds' `chain('v3/…/{authorization_code}')`).
 *
 * @since 0.2.0
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
  /**
   * Whether the answer's signature is checked. Default `true`. `false` only for an answer you check
   * yourself, as `PlatformCertificates` does for `GET /v3/certificates` (its first answer can only
   * be checked with the certificates it carries).
   */
  readonly verify?: boolean | undefined
  /**
   * The key id sent as `Wechatpay-Serial` (which key WeChat Pay signs its answer with). Default: the
   * `KeyStore`'s `wechatpaySerial`; `""` sends none.
   */
  readonly wechatpaySerial?: string | undefined
}

/**
 * Whether a method is idempotent by default (RFC 9110 §9.2.2): GET, HEAD, PUT, DELETE, OPTIONS.
 *
 * @since 0.2.0
 * @category retries
 */
export const isIdempotentMethod: (method: string) => boolean = Retry.isIdempotentMethod

/**
 * A verified answer.
 *
 * @since 0.2.0
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
 * @since 0.2.0
 * @category models
 */
export declare namespace WechatPayClient {
  /**
   * @since 0.2.0
   * @category models
   */
  export interface Service {
    /** Signs, sends, verifies; a non-2xx answer fails with its typed error. */
    readonly execute: (options: RequestOptions) => Effect.Effect<Answer, ClientError>
    /** `execute`, then decodes the verified JSON body with `schema` (`DecodeError` when it does not fit). */
    readonly request: <A, I>(
      options: RequestOptions & { readonly schema: Schema.Codec<A, I> }
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
 * @since 0.2.0
 * @category tags
 */
export class WechatPayClient extends Context.Service<WechatPayClient, WechatPayClient.Service>()(
  "effect-wechatpay/WechatPayClient"
) {
  /** See `layer`. @since 0.2.0 */
  static readonly layer = (
    options: Options = {}
  ): Layer.Layer<WechatPayClient, InvalidConfig, HttpClient.HttpClient | Signer | KeyStore> => layer(options)
}

// ---------------------------------------------------------------------------------------------
// URL building
// ---------------------------------------------------------------------------------------------

/**
 * The valid templates seen so far: the methods' paths are a few constants, checked and split once.
 * A program that builds paths on the fly (with `execute`) fills it up to `MAX_TEMPLATES`; later
 * paths are checked and split on each call, and not kept.
 */
const templates = new Map<string, Path.Template>()
const MAX_TEMPLATES = 256

const templateOf = (path: string): Path.Template | Path.InputProblem => {
  const known = templates.get(path)
  if (known !== undefined) return known
  const made = Path.template(path)
  if (Path.isTemplate(made) && templates.size < MAX_TEMPLATES) templates.set(path, made)
  return made
}

/**
 * Checks one path parameter: non-empty visible ASCII, none of `/ \ ? # %`, not `.` or `..`.
 * What passes is encoded with `encodeURIComponent` and can only ever be one path segment.
 *
 * @since 0.2.0
 * @category url
 */
export const checkPathSegment = (field: string, value: unknown): Result.Result<string, InvalidInput> => {
  const segment = Path.pathSegment(field, value)
  return typeof segment === "string" ? Result.succeed(segment) : Result.fail(Errors.invalidInput(segment))
}

/**
 * Fills `{name}` placeholders and appends the query: the path and query as they go on the wire.
 *
 * @since 0.2.0
 * @category url
 */
export const buildPath = (
  path: string,
  pathParams: Readonly<Record<string, string>> = {},
  query: Readonly<Record<string, string | undefined>> = {}
): Result.Result<string, InvalidInput> => {
  const tpl = templateOf(path)
  if (!Path.isTemplate(tpl)) return Result.fail(Errors.invalidInput(tpl))
  const target = Path.buildTarget(tpl, pathParams, Object.entries(query))
  return typeof target === "string" ? Result.succeed(target) : Result.fail(Errors.invalidInput(target))
}

// ---------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------

/**
 * The default of `maxResponseBytes`: 1 MiB. Pay Score answers are well under 4 KiB.
 *
 * @since 0.2.0
 * @category constants
 */
export const DEFAULT_MAX_RESPONSE_BYTES: number = CoreOptions.DEFAULTS.maxResponseBytes

const decoders = new WeakMap<object, (json: unknown) => Result.Result<unknown, Schema.SchemaError>>()

/** The decoder of a schema, built once: building one compiles the schema, which costs more than a query. */
const decoderOf = <A, I>(schema: Schema.Codec<A, I>) => {
  let decode = decoders.get(schema)
  if (decode === undefined) {
    decode = Schema.decodeUnknownResult(schema) as (json: unknown) => Result.Result<unknown, Schema.SchemaError>
    decoders.set(schema, decode)
  }
  return decode as (json: unknown) => Result.Result<A, Schema.SchemaError>
}

/**
 * What does not fit in a `DecodeError` message: the formatter prints the offending value, which
 * may be large; so it is guarded and cut at 2,000 characters.
 */
const describeSchemaError = (error: Schema.SchemaError): string => {
  let text: string
  try {
    text = error.message
  } catch {
    return "(the answer is too deeply nested to describe)"
  }
  return text.length > 2000 ? `${text.slice(0, 2000)}… (${text.length} characters)` : text
}

/**
 * Maps a non-2xx answer to its typed error: WeChat Pay's `code`, `message`, `detail` and the
 * `Request-ID` are kept.
 *
 * @since 0.2.0
 * @category errors
 */
export const toApiError = (status: number, body: string, requestId: string | undefined): ApiErrors =>
  Errors.apiError(CoreApiError.fromAnswer(status, body, requestId))

/**
 * What `execute` (and `requestVoid`) can fail with: every `ClientError` but `DecodeError`.
 *
 * @since 0.2.0
 * @category errors
 */
export type ExecuteError = Exclude<ClientError, DecodeError>

/**
 * Whether a failure may go away on its own: retried within the budget (for idempotent calls).
 *
 * @since 0.2.0
 * @category retries
 */
export const isTransient: (error: ClientError) => boolean = Retry.isTransient

/**
 * Whether a failure proves the request never reached the server: a `TransportError` whose `reason`
 * is `NeverSent` (the connection was refused, the name did not resolve, the runtime refused the URL
 * or port). Never true of a timeout, a reset connection or any answer.
 *
 * @since 0.2.0
 * @category retries
 */
export const isNeverSent: (error: ClientError) => boolean = Retry.isNeverSent

/**
 * The one retry rule: an idempotent call is retried after any transient failure (`isTransient`:
 * 5xx, 429, transport, timeout); a non-idempotent one (a POST) only when the request never left
 * (`isNeverSent`), because after a timeout, a reset, a 5xx or a 429 WeChat Pay may have acted on it.
 *
 * @since 0.2.0
 * @category retries
 */
export const isRetryable: (error: ClientError, idempotent: boolean) => boolean = Retry.isRetryable

/**
 * Header names Effect's HTTP logging and tracing must never print.
 *
 * @since 0.2.0
 * @category constants
 */
export const REDACTED_HEADERS: ReadonlyArray<string> = ["authorization", "wechatpay-signature"]

// ---------------------------------------------------------------------------------------------
// Service
// ---------------------------------------------------------------------------------------------

const makeClosable = (
  options: Options
): Effect.Effect<
  { readonly service: WechatPayClient.Service; readonly closeAll: Effect.Effect<void> },
  InvalidConfig,
  HttpClient.HttpClient | Signer | KeyStore
> =>
  Effect.gen(function*() {
    const checked = yield* InternalOptions.orInvalidConfig(CoreOptions.checkClient({
      baseUrl: options.baseUrl,
      userAgent: options.userAgent,
      retries: options.retries,
      maxResponseBytes: options.maxResponseBytes,
      timeout: InternalOptions.readDuration(options.timeout),
      retryBaseDelay: InternalOptions.readDuration(options.retryBaseDelay)
    }))
    const { baseUrl, maxResponseBytes, retries } = checked
    const userAgent = checked.userAgent ?? DEFAULT_USER_AGENT
    const timeoutMillis = checked.timeoutMillis
    const timeoutText = Duration.format(Duration.millis(timeoutMillis))
    // the transport: the one standing for the HttpClient in context when there is one (as
    // `UndiciHttpClient.layer` provides), else the HttpClient itself, run in the caller's fiber
    const http = yield* HttpClient.HttpClient
    const own = yield* Effect.serviceOption(WechatPayTransport)
    const transportOf: Effect.Effect<Transport.Transport> = Option.isSome(own) && own.value.client === http
      ? Effect.succeed(own.value.transport)
      : Effect.map(Effect.context<never>(), HttpTransport.fromHttpClient(http))
    const signer = yield* Signer
    const keys = yield* KeyStore
    // jittered exponential backoff, at most `retries` times (`max`: both must go on, the longer delay)
    const schedule = Schedule.max([
      Schedule.exponential(Duration.millis(checked.retryBaseDelayMillis)).pipe(Schedule.jittered),
      Schedule.recurs(retries)
    ])
    const trusted = () => keys.serials

    /**
     * `Effect.retry({ schedule, while: isRetryable })`, with the schedule started only after a
     * first retryable failure: the same attempts, delays and jitter draws, and nothing to pay on
     * the calls that succeed the first time (nearly all of them).
     */
    const retrying =
      (idempotent: boolean) => <A>(attempt: Effect.Effect<A, ExecuteError>): Effect.Effect<A, ExecuteError> => {
        if (retries === 0) return attempt
        const retryable = (error: ExecuteError) => Retry.isRetryable(error, idempotent)
        return Effect.catchIf(attempt, retryable, (first) =>
          Effect.flatMap(Schedule.toStepWithSleep(schedule), (step) => {
            const again = (error: ExecuteError): Effect.Effect<A, ExecuteError> =>
              Effect.matchEffect(step(error), {
                // the schedule is done (Cause.Done): the last failure stands
                onFailure: () =>
                  Effect.fail(error),
                onSuccess: () =>
                  Effect.catchIf(attempt, retryable, again)
              })
            return again(first)
          }))
      }
    const retryingIdempotent = retrying(true)
    const retryingOnce = retrying(false)

    const finish = (outcome: Attempt.Outcome): Effect.Effect<Answer, ExecuteError> =>
      outcome._tag === "Answer"
        ? Effect.succeed({
          status: outcome.status,
          headers: Headers.fromRecordUnsafe(outcome.headers),
          body: outcome.body,
          requestId: outcome.requestId
        })
        : Effect.fail(Errors.fromOutcome(outcome, trusted))

    /**
     * The exchanges under way, each with what ends it: when the client's layer closes (a
     * `ManagedRuntime` disposed, a scope ended), each is cancelled and fails, whatever the
     * transport (undici's closes with its `Agent`; fetch has nothing to close).
     */
    const inFlight = new Set<() => void>()
    let closed = false
    const closeAll = Effect.sync(() => {
      closed = true
      for (const end of Array.from(inFlight)) {
        end()
      }
    })

    /** The exchange, within the per-attempt timeout (real time: the network's). */
    const exchange = (request: Transport.OutgoingRequest): Effect.Effect<Transport.Exchange> =>
      Effect.flatMap(transportOf, (transport) =>
        Effect.callback<Transport.Exchange>((resume) => {
          if (closed) {
            resume(Effect.succeed(Transport.notBuilt(new Error("the client's layer was closed"), "Closed")))
            return
          }
          const end = () => {
            inFlight.delete(end)
            cancel()
            resume(Effect.succeed<Transport.Exchange>({
              _tag: "Failed",
              reason: "OutcomeUnknown",
              what: "the answer was abandoned: the client's layer was closed (its runtime disposed or its scope ended)"
            }))
          }
          const cancel = Transport.sendWithin(
            transport,
            request,
            maxResponseBytes,
            timeoutMillis,
            timeoutText,
            (exchanged) => {
              inFlight.delete(end)
              resume(Effect.succeed(exchanged))
            }
          )
          inFlight.add(end)
          return Effect.sync(() => {
            inFlight.delete(end)
            cancel()
          })
        }))

    /** One attempt: sign → send (within the timeout) → classify → verify → conclude. */
    const attempt = (
      call: Attempt.Call,
      verify: boolean,
      serialOverride: string | undefined
    ): Effect.Effect<Answer, ExecuteError> =>
      Effect.flatMap(
        signer.authorization({ method: call.method, url: call.target, body: call.body }),
        (authorization) => {
          // read per attempt: with downloaded certificates, the newest serial changes on rotation
          const serial = serialOverride ?? keys.wechatpaySerial
          const request = Attempt.outgoing(call, {
            userAgent,
            wechatpaySerial: serial === "" ? undefined : serial,
            authorization
          })
          return Effect.flatMap(exchange(request), (exchanged) => {
            const classified = Attempt.classify(exchanged, request, { verify })
            if (classified._tag === "Done") {
              return finish(classified.outcome)
            }
            return Effect.flatMap(
              signer.verify({ headers: classified.received.headers, body: classified.body }),
              () =>
                finish(Attempt.conclude(classified.received, request, undefined))
            )
          })
        }
      )

    const logTransient = (error: ExecuteError): Effect.Effect<void> =>
      Retry.isTransient(error)
        ? Effect.logDebug("effect-wechatpay: transient failure", {
          _tag: error._tag,
          ...("status" in error ? { status: error.status, code: error.code } : {}),
          ...("message" in error ? { message: error.message } : {})
        })
        : Effect.void

    const execute = (options: RequestOptions): Effect.Effect<Answer, ExecuteError> =>
      Effect.suspend((): Effect.Effect<Answer, ExecuteError> => {
        const tpl = templateOf(options.path)
        if (!Path.isTemplate(tpl)) return Effect.fail(Errors.invalidInput(tpl))
        const call = Attempt.prepare({
          baseUrl,
          method: options.method,
          template: tpl,
          pathParams: options.pathParams ?? {},
          query: Object.entries(options.query ?? {}),
          body: options.body
        })
        if (Path.isInputProblem(call)) return Effect.fail(Errors.invalidInput(call))
        const idempotent = options.idempotent ?? Retry.isIdempotentMethod(options.method)
        return Effect.tapError(attempt(call, options.verify ?? true, options.wechatpaySerial), logTransient).pipe(
          idempotent ? retryingIdempotent : retryingOnce,
          withCallSpan(options)
        )
      })

    const request = <A, I>(
      options: RequestOptions & { readonly schema: Schema.Codec<A, I> }
    ): Effect.Effect<A, ClientError> => {
      const decode = decoderOf(options.schema)
      return Effect.flatMap(execute(options), (answer) => {
        const read = Json.readJson(answer.body)
        if (read._tag !== "Json") {
          return Effect.fail(new DecodeError({ message: `the verified answer ${Json.describeJsonProblem(read)}` }))
        }
        const decoded = decode(read.value)
        return Result.isSuccess(decoded) ? Effect.succeed(decoded.success) : Effect.fail(
          new DecodeError({
            message: `the verified answer does not have the documented shape: ${describeSchemaError(decoded.failure)}`
          })
        )
      })
    }

    const requestVoid = (options: RequestOptions): Effect.Effect<void, ExecuteError> => Effect.asVoid(execute(options))

    return { service: WechatPayClient.of({ execute, request, requestVoid }), closeAll }
  })

/**
 * Every call, one path: the call is built once (target, body); each attempt is signed (`Signer`:
 * the fiber's `Clock` and `Random`), sent over the transport (the one standing for the `HttpClient`
 * in context, or the `HttpClient` itself) within the per-attempt timeout with the answer read
 * within `maxResponseBytes`, read by the core (`classify`), verified (`Signer.verify`) and
 * concluded; around it, the retry rule with jittered backoff (each retry re-signed), the call's
 * span, and the header names Effect's logging must redact.
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = (
  options: Options = {}
): Effect.Effect<WechatPayClient.Service, InvalidConfig, HttpClient.HttpClient | Signer | KeyStore> =>
  Effect.map(makeClosable(options), ({ service }) => service)

/**
 * `make`, with the calls under way failed when the scope closes.
 *
 * @internal
 */
export const makeScoped = (
  options: Options = {}
): Effect.Effect<WechatPayClient.Service, InvalidConfig, HttpClient.HttpClient | Signer | KeyStore | Scope.Scope> =>
  Effect.flatMap(
    makeClosable(options),
    ({ closeAll, service }) => Effect.as(Effect.addFinalizer(() => closeAll), service)
  )

/**
 * The span of one call (all its attempts), named `operation` (`PayScorePermissions.<method>` for
 * the methods) with the method and path template as attributes: made when a tracer is installed
 * (OpenTelemetry, the DevTools, your own). Under Effect's own tracer (`Tracer.nativeTracer`), which
 * exports nothing, none is made: a span costs a share of a call's CPU and nothing could read it.
 */
const withCallSpan = (options: RequestOptions) => <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.withFiber((fiber) =>
    fiber.getRef(Tracer.Tracer) === Tracer.nativeTracer ? effect : Effect.withSpan(
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
 * @since 0.2.0
 * @category layers
 */
export const layer = (
  options: Options = {}
): Layer.Layer<WechatPayClient, InvalidConfig, HttpClient.HttpClient | Signer | KeyStore> =>
  Layer.effect(WechatPayClient, makeScoped(options))

/** @internal */
export type { VerificationError }
