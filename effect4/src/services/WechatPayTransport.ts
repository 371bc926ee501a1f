/**
 * The transport a client runs its calls over, when it is faster than going through an `HttpClient`:
 * the core's transport interface (send one request, read at most N bytes, cancel), tied to the
 * `HttpClient` it stands for. `UndiciHttpClient.layer` provides one next to its `HttpClient`, and
 * `WechatPayClient` uses it for exactly that `HttpClient`: wrap the `HttpClient` in any middleware
 * (a new `HttpClient`) and the calls go through the middleware. Every transport runs the same
 * attempt (sign, send, classify, verify); only how bytes travel differs.
 *
 * @since 0.2.0
 */
import * as Context from "effect/Context"
import type * as HttpClient from "effect/http/HttpClient"
import type * as Transport from "../../../src/core/transport.js"

/**
 * The parts of the transport interface, by name: the request as signed, what came back (an answer,
 * or a failure saying whether the request left).
 *
 * @since 0.2.0
 * @category models
 */
export type { Exchange, Failed, FailureReason, OutgoingRequest, Received } from "../../../src/core/transport.js"

/**
 * One request out, its answer back within a byte cap, or a failure that says whether the request
 * left; cancelling aborts it. The core's interface (`core/transport.ts`).
 *
 * @since 0.2.0
 * @category models
 */
export interface Send extends Transport.Transport {}

/**
 * @since 0.2.0
 * @category models
 */
export declare namespace WechatPayTransport {
  /**
   * @since 0.2.0
   * @category models
   */
  export interface Service {
    /** The `HttpClient` this transport stands for: used only while that very client is the one in context. */
    readonly client: HttpClient.HttpClient
    readonly transport: Send
  }
}

/**
 * @since 0.2.0
 * @category tags
 */
export class WechatPayTransport extends Context.Service<WechatPayTransport, WechatPayTransport.Service>()(
  "effect-wechatpay/WechatPayTransport"
) {}
