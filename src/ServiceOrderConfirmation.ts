/**
 * The user's confirmation page (确认订单页) after a create: what the merchant's front end passes to
 * WeChat to open the Pay Score page, built from the create's answer (`CreatedServiceOrder`: its
 * `package`, and its `mchid` for the signed form). The protocol is `core/confirmation.ts`'s.
 *
 * Two documented forms:
 * - **`package` only**, what the current pages pass: the mini program
 *   (`wx.openBusinessView({ businessType: "wxpayScoreUse", extraData: { package } })`, `miniProgram`),
 *   JSAPI (`wx.invoke("openBusinessView", { businessType: "wxpayScoreUse", queryString })`,
 *   `jsapi`), and the acquiring bank's pages (`{ package }`, `confirmationPackage`);
 * - **the signed set** `mch_id`, `package`, `timestamp` (seconds), `nonce_str`, `sign_type`
 *   (`HMAC-SHA256`), `sign` (`signed`): the APP page (`WXOpenBusinessView`'s `query`, `toQueryString`),
 *   the global mini-program page and the 2019 pages. It is signed with the **APIv2 key** (the
 *   merchant platform's API密钥, not the APIv3 key, not the RSA key), by the APIv2 algorithm:
 *   HMAC-SHA256 over the sorted `k=v&…&key=<APIv2 key>`, upper-case hex. `timestamp` comes from the
 *   `Clock`, `nonce_str` (32 letters and digits) from `Random`, unless given.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"
import * as Redacted from "effect/Redacted"
import * as Core from "./core/confirmation.js"
import * as Path from "./core/path.js"
import type { InvalidInput } from "./errors/WechatPayError.js"
import * as Errors from "./internal/errors.js"

/**
 * The confirmation page's `businessType`: `wxpayScoreUse`.
 *
 * @since 0.1.0
 * @category constants
 */
export const BUSINESS_TYPE: typeof Core.BUSINESS_TYPE = Core.BUSINESS_TYPE

/**
 * The one documented `sign_type`: `HMAC-SHA256`.
 *
 * @since 0.1.0
 * @category constants
 */
export const SIGN_TYPE: typeof Core.SIGN_TYPE = Core.SIGN_TYPE

/**
 * `{ package }`: what the current mini-program, JSAPI and acquiring-bank pages pass.
 *
 * @since 0.1.0
 * @category models
 */
export interface ConfirmationPackage extends Core.ConfirmationPackage {}

/**
 * `wx.openBusinessView`'s argument in a mini program (add your `success` / `fail` callbacks).
 *
 * @since 0.1.0
 * @category models
 */
export interface MiniProgramConfirmation extends Core.MiniProgramConfirmation {}

/**
 * `wx.invoke("openBusinessView", …)`'s argument in a JSAPI page: `queryString` is
 * `package=<UrlEncoded package>`.
 *
 * @since 0.1.0
 * @category models
 */
export interface JsapiConfirmation extends Core.JsapiConfirmation {}

/**
 * The signed parameter set, in the documented order: `mch_id`, `package`, `timestamp`, `nonce_str`,
 * `sign_type`, `sign`.
 *
 * @since 0.1.0
 * @category models
 */
export interface SignedConfirmation extends Core.SignedConfirmation {}

/**
 * What a confirmation is built from: the create's answer (`CreatedServiceOrder`), or just its
 * `package` (and `mchid` for the signed set).
 *
 * @since 0.1.0
 * @category models
 */
export interface CreatedOrder {
  readonly package: string
}

/**
 * @since 0.1.0
 * @category models
 */
export interface SignOptions {
  /** The merchant's APIv2 key (API密钥, 32 characters), `Redacted` or plain. */
  readonly apiV2Key: Redacted.Redacted<string> | string
  /** Seconds since the epoch. Default: now, from the `Clock`. */
  readonly timestamp?: number | string | undefined
  /** 1 to 32 letters and digits. Default: 32 drawn from `Random`. */
  readonly nonce_str?: string | undefined
}

const fromCore = <A>(result: A | Path.InputProblem): Effect.Effect<A, InvalidInput> =>
  Path.isInputProblem(result) ? Effect.fail(Errors.invalidInput(result)) : Effect.succeed(result)

/**
 * `{ package }` of the create's answer.
 *
 * @since 0.1.0
 * @category constructors
 */
export const confirmationPackage = (order: CreatedOrder): Effect.Effect<ConfirmationPackage, InvalidInput> =>
  Effect.suspend(() => fromCore(Core.confirmationPackage(order.package)))

/**
 * The mini program's `wx.openBusinessView` argument:
 * `{ businessType: "wxpayScoreUse", extraData: { package } }`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const miniProgram = (order: CreatedOrder): Effect.Effect<MiniProgramConfirmation, InvalidInput> =>
  Effect.suspend(() => fromCore(Core.miniProgramConfirmation(order.package)))

/**
 * The JSAPI page's `wx.invoke("openBusinessView", …)` argument:
 * `{ businessType: "wxpayScoreUse", queryString: "package=<UrlEncoded package>" }`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const jsapi = (order: CreatedOrder): Effect.Effect<JsapiConfirmation, InvalidInput> =>
  Effect.suspend(() => fromCore(Core.jsapiConfirmation(order.package)))

/** 32 letters and digits drawn from the fiber's `Random` (a seeded `Random` pins it). */
const nonce: Effect.Effect<string> = Effect.map(
  Effect.all(Array.from({ length: Core.NONCE_LENGTH }, () => Random.nextIntBetween(0, Core.NONCE_ALPHABET.length))),
  Core.nonceFromIndexes
)

/**
 * The signed set of the create's answer (`mch_id` = its `mchid`), signed with the APIv2 key:
 * `mch_id`, `package`, `timestamp` (the `Clock`'s seconds unless given), `nonce_str` (from
 * `Random` unless given), `sign_type` `HMAC-SHA256`, `sign`. Fails with `InvalidInput` naming the
 * field (`mch_id`, `package`, `timestamp`, `nonce_str`, `apiV2Key`). The key never appears in an
 * error.
 *
 * @since 0.1.0
 * @category constructors
 */
export const signed = (
  order: CreatedOrder & { readonly mchid: string },
  options: SignOptions
): Effect.Effect<SignedConfirmation, InvalidInput> =>
  Effect.gen(function*() {
    const timestamp = options.timestamp ?? Math.floor((yield* Clock.currentTimeMillis) / 1000)
    const nonce_str = options.nonce_str ?? (yield* nonce)
    const key = Redacted.isRedacted(options.apiV2Key) ? Redacted.value(options.apiV2Key) : options.apiV2Key
    const made = yield* Effect.promise(() =>
      Core.signedConfirmation({ mch_id: order.mchid, package: order.package, timestamp, nonce_str }, key)
    )
    return yield* fromCore(made)
  })

/**
 * `k=v&k=v` with each value UrlEncoded, in the order given: the APP page's `query` and the old JSAPI
 * `queryString` of a signed set.
 *
 * @since 0.1.0
 * @category constructors
 */
export const toQueryString = (params: SignedConfirmation | ConfirmationPackage): string =>
  Core.toQueryString({ ...params })
