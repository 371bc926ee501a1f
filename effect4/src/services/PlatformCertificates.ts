/**
 * Platform certificates downloaded and kept fresh (`platformCertificates: "auto"`, or an `apiV3Key`
 * and no verifier): `GET /v3/certificates` is a call like any other, through `WechatPayClient` (its
 * timeout, retries, transport, redaction and error mapping), whose answer this service checks
 * itself, as wechatpay-go's downloader does: each certificate is decrypted with the APIv3 key (which
 * authenticates it), then the answer's signature is checked with a certificate already trusted or,
 * for a serial not trusted yet, with the one the answer carries (trust bootstrap).
 *
 * It provides a `KeyStore` that trusts what it downloaded next to the configured keys: certificates
 * still valid are kept across downloads, so old and new overlap during a rotation; one past its
 * `expire_time` (弃用时间) or X.509 `notAfter` verifies nothing; `Wechatpay-Serial` names the newest
 * already in effect (`effective_time`), unless a WeChat Pay public key is configured.
 *
 * Downloads run in a fiber of the layer's scope, never in the caller's: callers wait for the one
 * under way (single flight), and a caller that gives up (a timeout, an interruption) leaves it
 * running, so the certificates it brings are there for the next call. A download happens when the
 * layer is built (a failure fails the layer with `InvalidConfig` `platformCertificates`), when an
 * answer names an unknown certificate serial (at most once per `certificateRefreshMinGap`), every
 * `certificateRefreshInterval`, and on `refresh`. A failed refresh keeps the current certificates
 * and is logged at `Warning`.
 *
 * @since 0.2.0
 */
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as HttpClient from "effect/http/HttpClient"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as CoreCertificates from "../../../src/core/certificates.js"
import * as CoreOptions from "../../../src/core/options.js"
import * as Verification from "../../../src/core/verification.js"
import { DecodeError, type InvalidConfig } from "../errors/WechatPayError.js"
import * as Errors from "../internal/errors.js"
import * as InternalOptions from "../internal/options.js"
import * as KeyStore from "./KeyStore.js"
import * as Signer from "./Signer.js"
import * as WechatPayClient from "./WechatPayClient.js"

/**
 * @since 0.2.0
 * @category models
 */
export declare namespace PlatformCertificates {
  /**
   * @since 0.2.0
   * @category models
   */
  export interface Service {
    /** The trusted platform certificates: downloaded, and configured ones. */
    readonly certificates: Effect.Effect<ReadonlyArray<KeyStore.PlatformCertificate>>
    /**
     * Downloads the certificates now (joining a download under way), not rate limited. On failure
     * the current certificates stay.
     */
    readonly refresh: Effect.Effect<void, KeyStore.CertificateDownloadError>
  }
}

/**
 * @since 0.2.0
 * @category tags
 */
export class PlatformCertificates extends Context.Service<PlatformCertificates, PlatformCertificates.Service>()(
  "effect-wechatpay/PlatformCertificates"
) {}

/**
 * The default of `certificateRefreshInterval`: 12 hours.
 *
 * @since 0.2.0
 * @category constants
 */
export const DEFAULT_CERTIFICATE_REFRESH_INTERVAL: Duration.Duration = Duration.millis(
  CoreOptions.DEFAULTS.certificateRefreshIntervalMillis
)

/**
 * The default of `certificateRefreshMinGap`: 60 seconds.
 *
 * @since 0.2.0
 * @category constants
 */
export const DEFAULT_CERTIFICATE_REFRESH_MIN_GAP: Duration.Duration = Duration.millis(
  CoreOptions.DEFAULTS.certificateRefreshMinGapMillis
)

/**
 * The options it reads: the refresh interval and gap, the clock window, and the public key id
 * (which, when given, is always what `Wechatpay-Serial` names).
 *
 * @since 0.2.0
 * @category models
 */
export interface Options {
  readonly wechatpayPublicKey?: { readonly id: string } | undefined
  readonly maxClockSkew?: Duration.Input | undefined
  readonly certificateRefreshInterval?: Duration.Input | undefined
  readonly certificateRefreshMinGap?: Duration.Input | undefined
}

const describeError = (error: KeyStore.CertificateDownloadError): string =>
  "status" in error
    ? `${error._tag}: HTTP ${error.status} ${error.code}: ${error.message}`
    : `${error._tag}: ${error.message}`

const describeCause = (cause: Cause.Cause<KeyStore.CertificateDownloadError>): string => {
  const failure = Cause.findErrorOption(cause)
  if (Option.isSome(failure)) return describeError(failure.value)
  return Cause.hasInterruptsOnly(cause) ? "interrupted" : `a defect: ${Cause.pretty(cause).split("\n")[0]}`
}

/**
 * The service, and the `KeyStore` that trusts what it downloads, over the `WechatPayClient` and the
 * configured `KeyStore` in context. The first download happens here.
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<
  { readonly service: PlatformCertificates.Service; readonly keyStore: KeyStore.KeyStore.Service },
  InvalidConfig,
  WechatPayClient.WechatPayClient | KeyStore.KeyStore | Scope.Scope
> =>
  Effect.gen(function*() {
    const signerOptions = yield* InternalOptions.orInvalidConfig(
      CoreOptions.checkSigner({ maxClockSkew: InternalOptions.readDuration(options.maxClockSkew) })
    )
    const timing = yield* InternalOptions.orInvalidConfig(CoreOptions.checkCertificates({
      certificateRefreshInterval: InternalOptions.readDuration(options.certificateRefreshInterval),
      certificateRefreshMinGap: InternalOptions.readDuration(options.certificateRefreshMinGap)
    }))
    const client = yield* WechatPayClient.WechatPayClient
    const base = yield* KeyStore.KeyStore
    const scope = yield* Effect.scope
    const clock = yield* Clock.Clock
    const publicKeyId = options.wechatpayPublicKey?.id
    if (Option.isNone(base.apiV3Key)) {
      return yield* Errors.invalidConfig({
        _tag: "OptionProblem",
        option: "apiV3Key",
        message: "apiV3Key is required to download the platform certificates: they come encrypted with it"
      })
    }
    const apiV3Key = base.apiV3Key.value

    // The state: replaced as a whole by each successful download, read without any lock.
    let downloaded: ReadonlyMap<string, CoreCertificates.Trusted> = new Map()
    let lastMissRefresh = Number.NEGATIVE_INFINITY
    let inFlight: Deferred.Deferred<void, KeyStore.CertificateDownloadError> | undefined

    /** A downloaded certificate's key if trusted at `now` (known but past its time: verifies nothing). */
    const downloadedKey = (serial: string, now: number): CryptoKey | undefined => {
      const certificate = downloaded.get(serial)
      return certificate !== undefined && CoreCertificates.trustedUntil(certificate) > now ? certificate.key : undefined
    }

    const currentSerial = (): string => {
      if (publicKeyId !== undefined) return publicKeyId
      const now = clock.currentTimeMillisUnsafe()
      const trusted = Array.from(downloaded.values()).filter((c) => CoreCertificates.trustedUntil(c) > now)
      return (CoreCertificates.newest(trusted, now) ?? CoreCertificates.newest(downloaded.values(), now))?.serial ??
        base.wechatpaySerial
    }

    const download: Effect.Effect<void, KeyStore.CertificateDownloadError> = Effect.gen(function*() {
      const answer = yield* client.execute({
        method: "GET",
        path: CoreCertificates.CERTIFICATES_PATH,
        operation: "PlatformCertificates.download",
        // checked below: a serial not trusted yet is checked with the certificate the answer carries
        verify: false,
        wechatpaySerial: currentSerial()
      }).pipe(
        // a fixed path: an InvalidInput here is a bug of ours, not a download failure
        Effect.catchTag("InvalidInput", (error) => Effect.die(new Error(error.message)))
      )
      const entries = CoreCertificates.parseAnswer(answer.body)
      if (CoreCertificates.isCertificatesProblem(entries)) return yield* new DecodeError({ message: entries.message })
      const certificates = yield* Effect.promise(() => CoreCertificates.decryptAll(apiV3Key, entries))
      if (CoreCertificates.isCertificatesProblem(certificates)) {
        return yield* new DecodeError({ message: certificates.message })
      }
      const now = yield* Clock.currentTimeMillis
      const headers = Verification.readSignatureHeaders(answer.headers, now, signerOptions.maxClockSkewMillis)
      if (Verification.isVerificationProblem(headers)) return yield* Errors.verificationError(headers)
      const carried = certificates.find((c) => c.serial === headers.serial)?.key
      const trusted = downloadedKey(headers.serial, now) ??
        Option.getOrUndefined(yield* base.verifyingKey(headers.serial)) ?? carried
      if (trusted === undefined) {
        return yield* Errors.verificationError(
          Verification.verificationProblem("UnknownSerial", headers.serial),
          [...serials(now), ...certificates.map((c) => c.serial)]
        )
      }
      if (!(yield* Effect.promise(() => Verification.signatureHolds(trusted, headers, answer.body)))) {
        return yield* Errors.verificationError(
          Verification.verificationProblem("BadSignature", headers.serial),
          serials(now)
        )
      }
      const merged = CoreCertificates.merge(downloaded.values(), certificates, yield* Clock.currentTimeMillis)
      if (CoreCertificates.isCertificatesProblem(merged)) return yield* new DecodeError({ message: merged.message })
      downloaded = merged
    })

    /**
     * The download under way, or a new one forked into the layer's scope: whoever waits, and
     * whoever gives up waiting, the download runs to its end.
     */
    const shared: Effect.Effect<void, KeyStore.CertificateDownloadError> = Effect.suspend(() => {
      if (inFlight !== undefined) return Deferred.await(inFlight)
      const deferred = Deferred.makeUnsafe<void, KeyStore.CertificateDownloadError>()
      inFlight = deferred
      const run = Effect.exit(download).pipe(
        Effect.flatMap((exit) => Deferred.done(deferred, exit)),
        Effect.onInterrupt(() => Deferred.interrupt(deferred)),
        Effect.ensuring(Effect.sync(() => {
          inFlight = undefined
        }))
      )
      return Effect.flatMap(Effect.forkIn(run, scope), () => Deferred.await(deferred))
    })

    const warn = (trigger: string, cause: Cause.Cause<KeyStore.CertificateDownloadError>) =>
      Effect.logWarning(
        "effect-wechatpay: platform certificate refresh failed; the current certificates are kept",
        { trigger, error: describeCause(cause), serials: Array.from(downloaded.keys()) }
      )

    const serials = (now: number): ReadonlyArray<string> => {
      const out = new Set(base.serials)
      for (const serial of downloaded.keys()) if (downloadedKey(serial, now) !== undefined) out.add(serial)
      return Array.from(out)
    }

    const onUnknownSerial = (serial: string): Effect.Effect<Option.Option<CryptoKey>> =>
      Effect.suspend(() => {
        const now = clock.currentTimeMillisUnsafe()
        const found = () => Option.fromNullishOr(downloadedKey(serial, clock.currentTimeMillisUnsafe()))
        // a download under way may bring it: wait for it, whoever started it
        if (inFlight !== undefined) return Effect.map(Effect.exit(Deferred.await(inFlight)), found)
        if (now - lastMissRefresh < timing.certificateRefreshMinGapMillis) return Effect.succeed(Option.none())
        lastMissRefresh = now
        return Effect.flatMap(Effect.exit(shared), (exit) =>
          Exit.isFailure(exit)
            ? Effect.as(warn(`unknown serial ${serial}`, exit.cause), found())
            : Effect.succeed(found()))
      })

    const certificates = Effect.flatMap(base.certificates, (configured) =>
      Effect.sync(() => [...configured, ...KeyStore.describeCertificates(downloaded.values())]))

    const keyStore = KeyStore.KeyStore.of({
      mchid: base.mchid,
      merchantSerialNo: base.merchantSerialNo,
      get wechatpaySerial() {
        return currentSerial()
      },
      get serials() {
        return serials(clock.currentTimeMillisUnsafe())
      },
      sign: base.sign,
      verifyingKey: (serial) =>
        Effect.suspend(() => {
          const now = clock.currentTimeMillisUnsafe()
          if (downloaded.has(serial)) {
            return Effect.succeed(Option.fromNullishOr(downloadedKey(serial, now)))
          }
          return Effect.flatMap(base.verifyingKey(serial), (key) =>
            Option.isSome(key) || !CoreCertificates.CERTIFICATE_SERIAL.test(serial)
              ? Effect.succeed(key)
              : onUnknownSerial(serial))
        }),
      apiV3Key: base.apiV3Key,
      certificates,
      refresh: shared
    })

    // the first download: the layer fails when it does
    yield* Effect.mapError(shared, (error) =>
      Errors.invalidConfig({
        _tag: "OptionProblem",
        option: "platformCertificates",
        message: `platformCertificates could not be downloaded from ${CoreCertificates.CERTIFICATES_PATH} (${
          describeError(error)
        })`
      }))
    // then on a schedule, in a fiber of the layer's scope; any failure (a defect too) is logged and
    // the next one comes on time
    yield* Effect.sleep(Duration.millis(timing.certificateRefreshIntervalMillis)).pipe(
      Effect.flatMap(() =>
        Effect.flatMap(Effect.exit(shared), (exit) =>
          Exit.isFailure(exit) ? warn("schedule", exit.cause) : Effect.void)
      ),
      Effect.catchCause((cause) => warn("schedule", cause as Cause.Cause<never>)),
      Effect.forever,
      Effect.interruptible,
      Effect.forkIn(scope)
    )

    return { service: PlatformCertificates.of({ certificates, refresh: shared }), keyStore }
  })

/**
 * The service over configured keys only: their certificates, and a `refresh` with nothing to do.
 *
 * @since 0.2.0
 * @category constructors
 */
export const configured = (keyStore: KeyStore.KeyStore.Service): PlatformCertificates.Service =>
  PlatformCertificates.of({ certificates: keyStore.certificates, refresh: Effect.void })

/**
 * `make` as a layer: `PlatformCertificates` and the `KeyStore` that trusts what it downloads (it
 * replaces the configured one given to it).
 *
 * @since 0.2.0
 * @category layers
 */
export const layer = (
  options: Options
): Layer.Layer<
  PlatformCertificates | KeyStore.KeyStore,
  InvalidConfig,
  WechatPayClient.WechatPayClient | KeyStore.KeyStore
> =>
  Layer.effectContext(
    Effect.map(make(options), ({ keyStore, service }) =>
      Context.make(PlatformCertificates, service).pipe(Context.add(KeyStore.KeyStore, keyStore)))
  )

/**
 * Everything a download needs from the options alone: the configured `KeyStore`, a `Signer` and a
 * `WechatPayClient` over it and the `HttpClient`, then `make`. Every option is checked first: a bad
 * one fails before anything is sent.
 *
 * @since 0.2.0
 * @category constructors
 */
export const makeWithKeyStore = (
  options: KeyStore.AutoOptions
): Effect.Effect<
  { readonly service: PlatformCertificates.Service; readonly keyStore: KeyStore.KeyStore.Service },
  InvalidConfig,
  HttpClient.HttpClient | Scope.Scope
> =>
  Effect.gen(function*() {
    const checked = CoreOptions.check(InternalOptions.input(options))
    if (CoreOptions.isOptionProblem(checked)) return yield* Errors.invalidConfig(checked)
    const base = yield* KeyStore.makeConfigured(options)
    const signer = yield* Effect.provideService(Signer.make(options), KeyStore.KeyStore, base)
    const client = yield* WechatPayClient.makeScoped(options).pipe(
      Effect.provideService(Signer.Signer, signer),
      Effect.provideService(KeyStore.KeyStore, base)
    )
    return yield* make(options).pipe(
      Effect.provideService(WechatPayClient.WechatPayClient, client),
      Effect.provideService(KeyStore.KeyStore, base)
    )
  })
