/**
 * The sandbox engine: WeChat Pay imitated in plain TypeScript, one state (records, service orders, faults, the
 * request log, the keys and their rotations) and one function from a request to an answer. Each
 * Effect line wraps it (its `Sandbox` service) and serves it on 127.0.0.1 (`server.ts`). Time comes
 * from the clock the line passes in (its `Clock`: `TestClock` moves the sandbox too).
 *
 * @internal
 */
import * as Fixtures from "../fixtures.js"
import { apiError, render } from "./answers.js"
import { answerSigning, rotateKeys } from "./certificates.js"
import { type CertificateOption, type PlatformCertificate, resolveKeys, type SandboxKeys } from "./keys.js"
import { notify, type NotifyAnswer, type NotifyFailure, type NotifyOptions } from "./notify.js"
import * as Permissions from "./permissions.js"
import { type Binding, RecordStore } from "./records.js"
import { checkRequest } from "./requestCheck.js"
import { matchRoute } from "./routes.js"
import * as ServiceOrders from "./serviceOrders.js"
import {
  type Action,
  type Fault,
  type Incoming,
  isSandboxProblem,
  type LoggedRequest,
  type Plan,
  type SandboxProblem,
  type Seed
} from "./types.js"

/** Every option, already read by the line (durations in milliseconds, times in epoch millis). @internal */
export interface EngineOptions {
  readonly mchid?: string | undefined
  readonly merchantSerialNo?: string | undefined
  readonly merchantPrivateKey?: string | undefined
  readonly merchantPublicKey?: string | undefined
  readonly wechatpayPublicKey?:
    | { readonly id: string; readonly privateKey: string; readonly pem?: string | undefined }
    | false
    | undefined
  readonly platformCertificates?: ReadonlyArray<CertificateOption> | undefined
  readonly apiV3Key?: string | undefined
  readonly maxClockSkewMillis?: number | undefined
  /** How long a `Delay` fault without a duration waits. */
  readonly faultDelayMillis?: number | undefined
  readonly records?: Iterable<Seed> | undefined
}

/** A fault waiting for requests. @internal */
export interface PendingFault<F extends Fault = Fault> {
  readonly fault: F
  readonly remaining: number
}

/** @internal */
export interface Engine<F extends Fault = Fault> {
  /** The keys now (a rotation changes them). */
  readonly keys: () => SandboxKeys
  readonly apiV3Key: string
  /** The answer to a request, logged when decided (before a `Delay` fault's wait). */
  readonly handle: (incoming: Incoming) => Promise<Action>
  /** What the answer means, unsigned, with no fault and no log (the benchmark server signs its own). */
  readonly plan: (incoming: Incoming) => Promise<Plan>
  readonly seed: (seed: Seed) => void
  readonly clear: () => void
  /** How many records were bound. */
  readonly bindUser: (binding: Binding) => number
  /** `delayMillis`: how long a `Delay` fault waits (default `faultDelayMillis`). */
  readonly injectFault: (fault: F, times: number, delayMillis?: number | undefined) => void
  readonly clearFaults: () => void
  readonly pendingFaults: () => ReadonlyArray<PendingFault<F>>
  readonly requests: () => ReadonlyArray<LoggedRequest<F>>
  readonly clearRequests: () => void
  readonly reset: () => void
  /** A platform certificate rotation; answers its serial. */
  readonly rotate: (certificate?: CertificateOption | undefined) => Promise<string | SandboxProblem>
  readonly notify: (options: NotifyOptions) => Promise<NotifyAnswer | NotifyFailure>
  /** The user confirms a service order in WeChat (CREATED → DOING / USER_CONFIRM). */
  readonly confirmOrder: (
    ref: ServiceOrders.OrderRef & { readonly openid?: string | undefined; readonly sub_openid?: string | undefined }
  ) => ServiceOrders.UserStep
  /** The user pays a completed service order (USER_PAYING → DONE / USER_PAID). */
  readonly payOrder: (
    ref: ServiceOrders.OrderRef & { readonly transaction_id?: string | undefined }
  ) => ServiceOrders.UserStep
  /**
   * Sends the order's `PAYSCORE.USER_CONFIRM` or `PAYSCORE.USER_PAID` notification to `url`
   * (default: the order's `notify_url`), signed and encrypted like every notification.
   */
  readonly notifyOrder: (
    order: ServiceOrders.StoredOrder,
    event: typeof ServiceOrders.USER_CONFIRM | typeof ServiceOrders.USER_PAID,
    options?: Omit<NotifyOptions, "url" | "event" | "resource"> & { readonly url?: string | undefined }
  ) => Promise<NotifyAnswer | NotifyFailure>
}

const newRequestId = (): string =>
  Array.from(globalThis.crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, "0")).join("")
    .toUpperCase()

const redactAuthorization = (headers: Readonly<Record<string, string>>): Record<string, string> => {
  const authorization = headers["authorization"]
  return authorization === undefined
    ? { ...headers }
    : { ...headers, authorization: authorization.replace(/signature="[^"]*"/, 'signature="<redacted>"') }
}

/** Every endpoint the sandbox routes: the permission family, the certificates, the service orders. */
const ENDPOINTS = [...Permissions.endpoints, ...ServiceOrders.endpoints]

/** Faults after which WeChat Pay has not acted on the request: the state stays as it was. */
const replacesAnswer = (fault: Fault): boolean =>
  fault._tag === "Status" || fault._tag === "GatewayHtml" || fault._tag === "ConnectionReset"

/**
 * A new engine, its keys read and cross-checked (a problem names the option).
 *
 * @internal
 */
export const createEngine = async <F extends Fault = Fault>(
  options: EngineOptions,
  now: () => number
): Promise<Engine<F> | SandboxProblem> => {
  let keys = await resolveKeys({
    mchid: options.mchid ?? Fixtures.mchid,
    merchantSerialNo: options.merchantSerialNo ?? Fixtures.merchantSerialNo,
    merchantPrivateKey: options.merchantPrivateKey ?? Fixtures.merchantPrivateKeyPkcs8,
    merchantPublicKey: options.merchantPublicKey ??
      (options.merchantPrivateKey === undefined ? Fixtures.merchantPublicKey : undefined),
    wechatpayPublicKey: options.wechatpayPublicKey === false
      ? undefined
      : options.wechatpayPublicKey ?? {
        id: Fixtures.wechatpayPublicKeyId,
        privateKey: Fixtures.wechatpayPrivateKey,
        pem: Fixtures.wechatpayPublicKey
      },
    platformCertificates: options.platformCertificates ?? [
      { certificate: Fixtures.platformCertificate1, privateKey: Fixtures.platformPrivateKey1 },
      { certificate: Fixtures.platformCertificate2, privateKey: Fixtures.platformPrivateKey2 }
    ]
  }, now())
  if (isSandboxProblem(keys)) return keys
  const apiV3Key = options.apiV3Key ?? Fixtures.apiV3Key
  const maxClockSkewMillis = options.maxClockSkewMillis ?? 5 * 60_000
  const faultDelayMillis = options.faultDelayMillis ?? 15_000

  const store = new RecordStore(keys.mchid)
  const orders = new ServiceOrders.OrderStore()
  for (const seed of options.records ?? []) store.seed(seed)
  const faults: Array<{ readonly fault: F; remaining: number; readonly delayMillis: number }> = []
  /** The certificate answers are signed with since the last rotation. */
  let rotatedTo: PlatformCertificate | undefined
  const log: Array<LoggedRequest<F>> = []

  const takeFault = () => {
    const head = faults[0]
    if (head === undefined) return undefined
    head.remaining -= 1
    if (head.remaining <= 0) faults.shift()
    return head
  }

  const plan = async (incoming: Incoming, at: number, write: boolean): Promise<{ plan: Plan; verified: boolean }> => {
    const refused = await checkRequest(incoming, { keys: keys as SandboxKeys, now: at, maxClockSkewMillis })
    if (refused !== undefined) return { plan: refused, verified: false }
    const match = matchRoute(ENDPOINTS, {
      method: incoming.method,
      url: incoming.url,
      contentType: incoming.headers["content-type"],
      body: incoming.bodyBytes ?? incoming.body
    })
    switch (match._tag) {
      case "NoRoute":
        return {
          plan: apiError(
            404,
            "NOT_FOUND",
            `no API at ${incoming.method} ${incoming.url.split("?", 1)[0]} in this sandbox`
          ),
          verified: true
        }
      case "MethodNotAllowed":
        return {
          plan: apiError(405, "METHOD_NOT_ALLOWED", `${incoming.method} is not allowed here; use ${match.allowed}`),
          verified: true
        }
      case "InvalidRequest":
        return { plan: apiError(400, "INVALID_REQUEST", match.message), verified: true }
      case "ParamError":
        return { plan: apiError(400, "PARAM_ERROR", match.problem.issue, match.problem), verified: true }
      case "Matched": {
        const behaviour = Permissions.behaviours.get(match.endpoint.name) ??
          ServiceOrders.behaviours.get(match.endpoint.name)
        if (behaviour === undefined) {
          return {
            plan: apiError(501, "NOT_IMPLEMENTED", `the sandbox does not serve ${match.endpoint.name}`),
            verified: true
          }
        }
        return {
          plan: await behaviour(match.params, { store, orders, keys: keys as SandboxKeys, apiV3Key, now: at, write }),
          verified: true
        }
      }
    }
  }

  const handle = async (incoming: Incoming): Promise<Action> => {
    const at = now()
    const taken = takeFault()
    const fault = taken?.fault
    // a fault that replaces the answer (an error status, a gateway page, a reset) means the
    // request was not acted on: no state change
    const { plan: planned, verified } = await plan(incoming, at, fault === undefined || !replacesAnswer(fault))
    const requestId = newRequestId()
    const action = await render(planned, {
      signing: answerSigning(keys as SandboxKeys, rotatedTo, incoming),
      now: Math.floor(at / 1000),
      requestId,
      fault,
      delayMillis: taken?.delayMillis ?? faultDelayMillis
    })
    log.push({
      method: incoming.method,
      url: incoming.url,
      headers: redactAuthorization(incoming.headers),
      body: incoming.body,
      status: action._tag === "Respond" ? action.status : undefined,
      code: action._tag === "Respond" ? action.code : undefined,
      requestId: action._tag === "Respond" ? requestId : undefined,
      fault,
      signatureVerified: verified,
      answer: action._tag === "Respond"
        ? { status: action.status, headers: action.headers, body: action.body }
        : undefined
    })
    return action
  }

  return {
    keys: () => keys as SandboxKeys,
    apiV3Key,
    handle,
    plan: async (incoming) => (await plan(incoming, now(), true)).plan,
    seed: (seed) => store.seed(seed),
    clear: () => {
      store.clear()
      orders.clear()
    },
    bindUser: (binding) => store.bind(binding, now()),
    injectFault: (fault, times, delayMillis) => {
      faults.push({ fault, remaining: times, delayMillis: delayMillis ?? faultDelayMillis })
    },
    clearFaults: () => void faults.splice(0),
    pendingFaults: () => faults.map(({ fault, remaining }) => ({ fault, remaining })),
    requests: () => log.slice(),
    clearRequests: () => void log.splice(0),
    reset: () => {
      store.clear()
      orders.clear()
      faults.splice(0)
      log.splice(0)
    },
    rotate: async (certificate) => {
      const current = keys as SandboxKeys
      const resolved = await resolveKeys({
        mchid: current.mchid,
        merchantSerialNo: current.merchantSerialNo,
        merchantPrivateKey: current.merchantPrivateKey,
        merchantPublicKey: undefined,
        wechatpayPublicKey: undefined,
        platformCertificates: [
          certificate ?? { certificate: Fixtures.platformCertificate3, privateKey: Fixtures.platformPrivateKey3 }
        ]
      }, now())
      if (isSandboxProblem(resolved)) return resolved
      const rotated = resolved.certificates[0]!
      keys = rotateKeys(current, rotated)
      rotatedTo = rotated
      return rotated.serial
    },
    notify: (notifyOptions) => notify(keys as SandboxKeys, apiV3Key, notifyOptions, now()),
    confirmOrder: (ref) => ServiceOrders.confirm(orders, ref, now()),
    payOrder: (ref) => ServiceOrders.pay(orders, ref, now()),
    notifyOrder: (order, event, options = {}) => {
      const { url, ...rest } = options
      return notify(keys as SandboxKeys, apiV3Key, {
        summary: event === ServiceOrders.USER_CONFIRM ? "确认订单" : "支付成功",
        ...rest,
        url: url ?? String(order.fields.notify_url),
        event,
        resource: JSON.stringify(ServiceOrders.notificationResource(order))
      }, now())
    }
  }
}
