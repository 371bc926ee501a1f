/**
 * The Effect 4 line's reading of the options: durations (`Duration.Input`) read into milliseconds
 * (anything unreadable marked so, never a throw), then every option checked by the core in one
 * place (`core/options.ts`), a problem becoming `InvalidConfig` naming the option.
 *
 * @internal
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as CoreOptions from "../../../src/core/options.js"
import type { InvalidConfig } from "../errors/WechatPayError.js"
import * as Errors from "./errors.js"

/** A duration given by a user, as Effect 4 reads one; `None` for anything else (never a throw). @internal */
export const decodeDuration = (input: unknown): Option.Option<Duration.Duration> => {
  if (
    typeof input === "number" || typeof input === "string" || typeof input === "bigint" ||
    Duration.isDuration(input) || (Array.isArray(input) && input.length === 2) ||
    (typeof input === "object" && input !== null && !Array.isArray(input))
  ) {
    return Duration.fromInput(input as Duration.Input)
  }
  return Option.none()
}

/** @internal */
export const readDuration = (input: unknown): CoreOptions.DurationRead => {
  if (input === undefined) return undefined
  const decoded = decodeDuration(input)
  if (Option.isNone(decoded)) return "invalid"
  const millis = Duration.toMillis(decoded.value)
  return Number.isNaN(millis) ? "invalid" : { millis }
}

/** Every option of the library, as `WechatPay.layer` takes them. @internal */
export interface AllOptions {
  readonly mchid: string
  readonly merchantSerialNo: string
  readonly merchantPrivateKey: Redacted.Redacted<string> | string
  readonly wechatpayPublicKey?: { readonly id: string; readonly pem: string } | undefined
  readonly platformCertificates?: ReadonlyArray<string> | "auto" | undefined
  readonly apiV3Key?: Redacted.Redacted<string> | string | undefined
  readonly baseUrl?: string | undefined
  readonly timeout?: Duration.Input | undefined
  readonly retries?: number | undefined
  readonly retryBaseDelay?: Duration.Input | undefined
  readonly userAgent?: string | undefined
  readonly maxResponseBytes?: number | undefined
  readonly maxClockSkew?: Duration.Input | undefined
  readonly certificateRefreshInterval?: Duration.Input | undefined
  readonly certificateRefreshMinGap?: Duration.Input | undefined
}

/** @internal */
export const input = (options: Partial<AllOptions>): CoreOptions.Input => ({
  mchid: options.mchid,
  merchantSerialNo: options.merchantSerialNo,
  wechatpayPublicKey: options.wechatpayPublicKey,
  platformCertificates: options.platformCertificates,
  apiV3KeyGiven: options.apiV3Key !== undefined,
  baseUrl: options.baseUrl,
  userAgent: options.userAgent,
  retries: options.retries,
  maxResponseBytes: options.maxResponseBytes,
  timeout: readDuration(options.timeout),
  retryBaseDelay: readDuration(options.retryBaseDelay),
  maxClockSkew: readDuration(options.maxClockSkew),
  certificateRefreshInterval: readDuration(options.certificateRefreshInterval),
  certificateRefreshMinGap: readDuration(options.certificateRefreshMinGap)
})

/** A core check's result as an effect of the Effect line. @internal */
export const orInvalidConfig = <A>(checked: A | CoreOptions.OptionProblem): Effect.Effect<A, InvalidConfig> =>
  CoreOptions.isOptionProblem(checked) ? Effect.fail(Errors.invalidConfig(checked)) : Effect.succeed(checked)

/** The secret's text. @internal */
export const reveal = (value: Redacted.Redacted<string> | string): string =>
  Redacted.isRedacted(value) ? Redacted.value(value) : value
