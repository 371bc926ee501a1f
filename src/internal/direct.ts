/**
 * The direct attempt: what lets `WechatPayClient` run one attempt of a call (sign, send, read,
 * verify) as one callback chain instead of a dozen effects, when every part is one of ours.
 *
 * Each built-in part carries a hidden, non-enumerable capability next to its Effect service:
 *
 * - a `KeyStore` made by `KeyStore.make` / `makeAuto`: `DirectKeys` (sign with the merchant key,
 *   look up a verifying key already known);
 * - a `Signer` made by `Signer.make` over such a `KeyStore`: `DirectSigner` (the `Authorization`
 *   header from the system clock and the CSPRNG; the answer check of `Wire.verifiesNow`);
 * - an `HttpClient` made by `UndiciHttpClient.make`: `DirectTransport` (one `dispatcher.request`,
 *   the body read with the cap).
 *
 * A part you provide yourself (a KMS `KeyStore`, a test `Signer`, a wrapped `HttpClient`) has no
 * capability, and every call goes through the Effect services as before. Spreading a service
 * (`{ ...signer, verify }`) drops it too, since it is not enumerable. `WechatPayClient` also takes
 * the direct attempt only under the live `Clock` and Effect's default `Random`, so `TestClock` and
 * pinned nonces keep working.
 *
 * The direct attempt never decides a failure by itself: whatever is not a verified 2xx answer (an
 * error status, a missing header, an unknown serial, a bad signature) is handed to the same
 * `classify` as the Effect attempt, which gives the same typed error or refreshes the
 * certificates.
 *
 * @internal
 */

const keysMark: unique symbol = Symbol.for("effect-wechatpay/Direct/KeyStore")
const signerMark: unique symbol = Symbol.for("effect-wechatpay/Direct/Signer")
const transportMark: unique symbol = Symbol.for("effect-wechatpay/Direct/Transport")

/** @internal */
export interface DirectKeys {
  /** Signs with the merchant key: base64 of RSASSA-PKCS1-v1_5 SHA-256. */
  readonly sign: (message: string) => Promise<string>
  /** A verifying key known now; `undefined` leaves the lookup (and any refresh) to the Effect path. */
  readonly knownKey: (serial: string) => CryptoKey | undefined
}

/** @internal */
export interface DirectSigner {
  /** The `Authorization` header, with the time from `Date.now()` and a nonce from the CSPRNG. */
  readonly authorization: (method: string, url: string, body: string) => Promise<string>
  /** `true` only when `Signer.verify` would succeed now; `false` leaves the verdict to it. */
  readonly verifiesNow: (message: { readonly headers: HeadersRecord; readonly body: string }) => Promise<boolean>
}

/** @internal */
export type HeadersRecord = Readonly<Record<string, string | ReadonlyArray<string> | undefined>>

/** @internal */
export interface DirectRequest {
  readonly method: string
  readonly url: URL
  readonly headers: Readonly<Record<string, string>>
  readonly body: Uint8Array | null
}

/** @internal */
export type DirectResult =
  | {
    readonly _tag: "Answer"
    readonly status: number
    readonly headers: HeadersRecord
    readonly body: string
    /** Whether `body` is exactly the bytes received (valid UTF-8): only such a body can verify. */
    readonly exact: boolean
  }
  /** Nothing was answered: the `cause` as the transport gave it (its `code`, e.g. `ECONNREFUSED`). */
  | { readonly _tag: "RequestFailed"; readonly cause: unknown }
  /** An answer came but its body could not be read, or was over the cap. */
  | { readonly _tag: "ResponseFailed"; readonly cause: unknown }

/** @internal */
export interface DirectTransport {
  /**
   * Sends `request` and reads the answer's body, at most `maxBytes` (refused unread when its
   * `Content-Length` says more); calls `done` once, unless cancelled first. Returns the cancel
   * function, which aborts the request or destroys the body.
   */
  readonly send: (request: DirectRequest, maxBytes: number, done: (result: DirectResult) => void) => () => void
}

const attach = <T extends object>(target: T, mark: symbol, value: unknown): T => {
  Object.defineProperty(target, mark, { value, enumerable: false })
  return target
}

const read = <A>(target: object, mark: symbol): A | undefined =>
  (target as { readonly [key: symbol]: A | undefined })[mark]

/** @internal */
export const withKeys = <T extends object>(keyStore: T, keys: DirectKeys): T => attach(keyStore, keysMark, keys)

/** @internal */
export const keysOf = (keyStore: object): DirectKeys | undefined => read(keyStore, keysMark)

/** @internal */
export const withSigner = <T extends object>(signer: T, direct: DirectSigner): T => attach(signer, signerMark, direct)

/** @internal */
export const signerOf = (signer: object): DirectSigner | undefined => read(signer, signerMark)

/** @internal */
export const withTransport = <T extends object>(client: T, transport: DirectTransport): T =>
  attach(client, transportMark, transport)

/** @internal */
export const transportOf = (client: object): DirectTransport | undefined => read(client, transportMark)
