/**
 * The Effect 3 line's reading of the options: durations (`Duration.DurationInput`) read into
 * milliseconds (anything unreadable marked so, never a throw), then every option checked by the
 * core in one place (`core/options.ts`), a problem becoming `InvalidConfig` naming the option.
 *
 * @internal
 */
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as CoreOptions from "../core/options.js"
import type { InvalidConfig } from "../errors/WechatPayError.js"
import type * as KeyStore from "../services/KeyStore.js"
import type * as Signer from "../services/Signer.js"
import type * as WechatPayClient from "../services/WechatPayClient.js"
import * as Errors from "./errors.js"

/** @internal */
export const readDuration = (input: unknown): CoreOptions.DurationRead => {
  if (input === undefined) return undefined
  const decoded = Duration.decodeUnknown(input)
  if (Option.isNone(decoded)) return "invalid"
  const millis = Duration.toMillis(decoded.value)
  return Number.isNaN(millis) ? "invalid" : { millis }
}

/** Every option of the library, as `WechatPay.layer` takes them. @internal */
export interface AllOptions extends KeyStore.AutoOptions, Signer.Options, WechatPayClient.Options {}

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

/** A core check's result as an `Either` of the Effect line. @internal */
export const orInvalidConfig = <A>(checked: A | CoreOptions.OptionProblem): Either.Either<A, InvalidConfig> =>
  CoreOptions.isOptionProblem(checked) ? Either.left(Errors.invalidConfig(checked)) : Either.right(checked)

/** The secret's text. @internal */
export const reveal = (value: Redacted.Redacted<string> | string): string =>
  Redacted.isRedacted(value) ? Redacted.value(value) : value
