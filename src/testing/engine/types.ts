/**
 * The sandbox engine's data: seeds, faults, requests and answers, in plain TypeScript (no Effect),
 * so each Effect line wraps the same engine. The Effect 3 line's `Sandbox.Seed` / `Sandbox.Fault`
 * constructors make values of these shapes.
 *
 * @internal
 */

/**
 * The fields of an authorization record as the endpoints answer them, under their wire names.
 *
 * @internal
 */
export interface RecordFields {
  readonly authorization_state: string
  readonly service_id?: string | undefined
  readonly appid?: string | undefined
  readonly mchid?: string | undefined
  readonly openid?: string | undefined
  readonly authorization_code?: string | undefined
  readonly sub_mchid?: string | undefined
  readonly sub_appid?: string | undefined
  readonly sub_openid?: string | undefined
  readonly channel_id?: string | undefined
  readonly notify_url?: string | undefined
  /** e.g. `2015-05-20T13:29:35+08:00` */
  readonly authorization_success_time?: string | undefined
  readonly cancel_authorization_time?: string | undefined
  readonly user_risk_level?: number | undefined
  readonly risk_level_version?: number | undefined
  readonly [field: string]: unknown
}

/** A seed of an authorization record, one variant per query. @internal */
export type Seed =
  | {
    readonly _tag: "Merchant"
    readonly authorization_code: string
    readonly service_id: string
    readonly record: RecordFields
  }
  | {
    readonly _tag: "Partner"
    readonly authorization_code: string
    readonly service_id: string
    readonly sub_mchid: string
    readonly record: RecordFields
  }
  | {
    readonly _tag: "AcquiringBank"
    readonly authorization_code: string
    readonly service_id: string
    readonly channel_id: string
    readonly sub_mchid: string
    readonly record: RecordFields
  }
  | {
    readonly _tag: "Openid"
    readonly openid: string
    readonly service_id: string
    readonly appid: string
    readonly record: RecordFields
  }
  | {
    readonly _tag: "PartnerOpenid"
    readonly service_id: string
    readonly appid: string
    readonly sub_mchid: string
    readonly openid?: string | undefined
    readonly sub_appid?: string | undefined
    readonly sub_openid?: string | undefined
    readonly record: RecordFields
  }

/** A signature header of an answer. @internal */
export type SignatureHeader = "Wechatpay-Timestamp" | "Wechatpay-Nonce" | "Wechatpay-Signature" | "Wechatpay-Serial"

/**
 * A way for the next answers to go wrong (see the Effect line's `Sandbox.Fault`). A `Delay`'s
 * `duration` is the line's own duration input: the engine waits `delayMillis` given with it.
 *
 * @internal
 */
export type Fault =
  | {
    readonly _tag: "Status"
    readonly status: number
    readonly code?: string | undefined
    readonly message?: string | undefined
    readonly signed?: boolean | undefined
  }
  | { readonly _tag: "GatewayHtml"; readonly status?: number | undefined }
  | { readonly _tag: "Delay"; readonly duration?: unknown }
  | { readonly _tag: "ConnectionReset" }
  | { readonly _tag: "TamperedBody"; readonly body?: string | undefined }
  | { readonly _tag: "WrongKey"; readonly privateKey?: string | undefined }
  | { readonly _tag: "SignTest" }
  | { readonly _tag: "ClockSkew"; readonly seconds?: number | undefined }
  | { readonly _tag: "MissingHeader"; readonly header?: SignatureHeader | undefined }

/**
 * A request as received: `url` is `req.url`, the path and query exactly as sent; header names
 * lowercase.
 *
 * @internal
 */
export interface Incoming {
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  /** The body as UTF-8 text (lossy when the bytes are not UTF-8). */
  readonly body: string
  /** The body bytes exactly as received: when present, the signature is checked over these. */
  readonly bodyBytes?: Uint8Array | undefined
}

/**
 * What the sandbox means to answer, before signing and faults.
 *
 * @internal
 */
export interface Plan {
  readonly status: number
  /** The exact body text. */
  readonly body: string
  /** WeChat Pay's error `code`, for error answers. */
  readonly code: string | undefined
}

/**
 * How an answer goes on the wire.
 *
 * @internal
 */
export type Action =
  | {
    readonly _tag: "Respond"
    readonly status: number
    readonly headers: Readonly<Record<string, string>>
    readonly body: string
    readonly code: string | undefined
    /** Wait this long (milliseconds) before answering. */
    readonly delayMillis: number | undefined
  }
  | { readonly _tag: "Reset" }

/**
 * A request the sandbox received, and what it answered.
 *
 * @internal
 */
export interface LoggedRequest<F = Fault> {
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  readonly status: number | undefined
  readonly code: string | undefined
  readonly requestId: string | undefined
  readonly fault: F | undefined
  readonly signatureVerified?: boolean | undefined
  readonly answer:
    | { readonly status: number; readonly headers: Readonly<Record<string, string>>; readonly body: string }
    | undefined
}

/** A problem with an option of the sandbox, naming it. @internal */
export interface SandboxProblem {
  readonly _tag: "SandboxProblem"
  readonly option: string
  readonly message: string
}

/** @internal */
export const sandboxProblem = (option: string, message: string): SandboxProblem => ({
  _tag: "SandboxProblem",
  option,
  message: `${option} ${message}`
})

/** @internal */
export const isSandboxProblem = (u: unknown): u is SandboxProblem =>
  typeof u === "object" && u !== null && (u as { _tag?: unknown })._tag === "SandboxProblem"
