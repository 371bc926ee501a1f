/**
 * What each Effect line's `Sandbox` shell takes from the engine besides the engine itself: the
 * client options pointed at a started sandbox (the line wraps the secrets in its own `Redacted`),
 * and the sentences its controls die with when misused.
 *
 * @internal
 */
import type { Engine } from "./engine.js"
import type { Binding } from "./records.js"
import type { Fault } from "./types.js"

/**
 * The `WechatPay.layer` options of a client of the sandbox, secrets as plain strings: its merchant
 * and serial, the merchant private key, the WeChat Pay public key when it has one, its platform
 * certificates when it has some, the APIv3 key, and `baseUrl`.
 *
 * @internal
 */
export interface ClientOptions {
  readonly mchid: string
  readonly merchantSerialNo: string
  readonly merchantPrivateKey: string
  readonly wechatpayPublicKey?: { readonly id: string; readonly pem: string } | undefined
  readonly platformCertificates?: ReadonlyArray<string> | undefined
  readonly apiV3Key: string
  readonly baseUrl: string
}

/** @internal */
export const clientOptions = <F extends Fault>(engine: Engine<F>, baseUrl: string): ClientOptions => {
  const keys = engine.keys()
  return {
    mchid: keys.mchid,
    merchantSerialNo: keys.merchantSerialNo,
    merchantPrivateKey: keys.merchantPrivateKey,
    ...(keys.publicKey === undefined ? {} : { wechatpayPublicKey: { id: keys.publicKey.id, pem: keys.publicKey.pem } }),
    ...(keys.certificates.length === 0 ? {} : { platformCertificates: keys.certificates.map((c) => c.pem) }),
    apiV3Key: engine.apiV3Key,
    baseUrl
  }
}

/**
 * Why `injectFault` cannot take `times` (a whole number ≥ 1, or `Infinity`), or `undefined`.
 *
 * @internal
 */
export const faultTimesProblem = (times: number): string | undefined =>
  times === Infinity || (Number.isInteger(times) && times >= 1)
    ? undefined
    : `injectFault: times must be a whole number ≥ 1 or Infinity, got ${times}`

/**
 * Why `bindUser` found nothing to bind.
 *
 * @internal
 */
export const nothingToBind = (binding: Binding): string =>
  `bindUser: no UNBINDUSER record with authorization_code ${binding.authorization_code}${
    binding.service_id === undefined ? "" : ` and service_id ${binding.service_id}`
  } (apply first)`
