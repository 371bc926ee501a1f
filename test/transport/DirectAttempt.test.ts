/**
 * `WechatPayClient`'s direct attempt (one callback chain: `DirectSigner` → undici `dispatch` →
 * capped read → `verifiesNow`, see src/internal/direct.ts) against its Effect attempt (`Signer` →
 * `HttpClient.execute` → `Body.readCapped` → `Timeout.timeoutFail` → `classify`), over the same
 * undici `Agent`, on loopback (the sandbox, or a raw node:http server).
 *
 * What it proves:
 * - the direct attempt is really taken with the built-in parts (`UndiciHttpClient.make`, the
 *   `KeyStore` and `Signer` of `WechatPay.layer`) under the live clock and the default `Random`: the
 *   client's `execute` is never called and undici's `request` API neither (only `dispatch`);
 * - it behaves exactly like the Effect attempt: the same decoded answers, the same request on the
 *   wire (method, target, body bytes, headers), the same failure for every sandbox fault, a refused
 *   connection, a cap passed, a reset body and other raw answers; retries and the certificate
 *   refresh after a rotation work through it;
 * - a 2xx it verifies with a key known now never reaches the `KeyStore`'s `verifyingKey`;
 * - interrupting it (or its per-attempt timeout) closes the request's connection, and one interrupted
 *   while queued for a connection is never sent;
 * - it is not taken under `TestClock`, a provided `Random`, a spread `Signer`, a custom `KeyStore`,
 *   a wrapped `HttpClient` or a timeout no timer can hold: those calls go through `execute`.
 *
 * The Effect attempt here is the same client wrapped with `HttpClient.mapRequest` (a wrapper loses
 * the hidden capability), counted by its mapping function.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it, vi } from "@effect/vitest"
import { Context, Effect, Either, Fiber, Layer, Random, type Scope, TestClock } from "effect"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import * as Net from "node:net"
import * as Undici from "undici"
import {
  KeyStore,
  PayScorePermissions,
  Signer,
  WechatPay,
  WechatPayClient,
  type WechatPayError
} from "../../src/index.js"
import * as Direct from "../../src/internal/direct.js"
import { Fixtures, SampleRecords, Sandbox } from "../../src/testing/index.js"
import { UndiciHttpClient } from "../../src/undici.js"
import { authorizationFields, merchantOptions } from "../helpers/merchant.js"

// ---------------------------------------------------------------------------------------------
// Records and calls
// ---------------------------------------------------------------------------------------------

const SERVICE_ID = SampleRecords.serviceId
const OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"
const MERCHANT_CODE = "1275342195190894594"
const APPLY_CODE = "1234323JKHDFE1243252"
const NOTIFY_URL = "https://merchant.example.com/payscore/notify"
const merchantQuery = { authorization_code: MERCHANT_CODE, service_id: SERVICE_ID }
const unknownQuery = { authorization_code: "NO-SUCH-CODE-0001", service_id: SERVICE_ID }

/** What a path provides that the tests use (`WechatPay.layer` provides more). */
type Services = Context.Context<
  PayScorePermissions.PayScorePermissions | WechatPayClient.WechatPayClient | Signer.Signer | KeyStore.KeyStore
>

/** A call of `PayScorePermissions`, run with the services of one path. */
const permissions = <A, E>(
  services: Services,
  f: (p: PayScorePermissions.PayScorePermissions.Service) => Effect.Effect<A, E>
): Effect.Effect<A, E> => Effect.flatMap(PayScorePermissions.PayScorePermissions, f).pipe(Effect.provide(services))

const query = (services: Services) => permissions(services, (p) => p.queryByAuthorizationCode(merchantQuery))

/** `WechatPayClient.execute` of one path. */
const execute = (services: Services, options: WechatPayClient.RequestOptions) =>
  Effect.flatMap(WechatPayClient.WechatPayClient, (client) => client.execute(options)).pipe(Effect.provide(services))

// ---------------------------------------------------------------------------------------------
// The wire: one undici Agent, its client counted, and a wrapped client over it
// ---------------------------------------------------------------------------------------------

interface Counts {
  /** Calls of the plain client's own `execute` (the Effect attempt over it). */
  readonly execute: number
  /** Requests through the wrapper (`HttpClient.mapRequest`): the Effect attempt over it. */
  readonly wrapper: number
  /** Calls of undici's `request` API: `UndiciHttpClient`'s Effect side always goes through it. */
  readonly request: number
  /** Calls of `dispatch`: every request, the direct transport's included. */
  readonly dispatch: number
}

interface Wire {
  /** `UndiciHttpClient.make(agent)`, the very object, its `execute` counted. */
  readonly client: HttpClient.HttpClient
  /** `client` behind `HttpClient.mapRequest`: no hidden capability, no plain mark. */
  readonly wrapped: HttpClient.HttpClient
  readonly counts: () => Counts
  /** Requests sent by the direct transport: dispatched without undici's `request` API. */
  readonly directSends: () => number
  /** Sets every count back to 0. */
  readonly reset: () => void
}

/**
 * An undici `Agent` (closed with the scope), `UndiciHttpClient.make` over it with `execute` counted
 * on the same object (so its hidden, non-enumerable capability stays), and the agent's `request`
 * and `dispatch` counted.
 */
const makeWire = (agentOptions: Undici.Agent.Options = {}) =>
  Effect.gen(function*() {
    const agent = yield* Effect.acquireRelease(
      Effect.sync(() => new Undici.Agent({ keepAliveTimeout: 4000, ...agentOptions })),
      (agent) => Effect.promise(() => agent.destroy())
    )
    const client = UndiciHttpClient.make(agent)
    expect(Object.isFrozen(client)).toBe(false)
    const executeSpy = vi.spyOn(client, "execute")
    const requestSpy = vi.spyOn(agent, "request")
    const dispatchSpy = vi.spyOn(agent, "dispatch")
    // the spies replaced methods on the same objects: the capability and the plain mark are still there
    expect(Direct.transportOf(client)).toBeDefined()
    let wrapper = 0
    const wrapped = HttpClient.mapRequest(client, (request) => {
      wrapper += 1
      return request
    })
    expect(Direct.transportOf(wrapped)).toBeUndefined()
    const counts = (): Counts => ({
      execute: executeSpy.mock.calls.length,
      wrapper,
      request: requestSpy.mock.calls.length,
      dispatch: dispatchSpy.mock.calls.length
    })
    return {
      client,
      wrapped,
      counts,
      directSends: () => dispatchSpy.mock.calls.length - requestSpy.mock.calls.length,
      reset: () => {
        executeSpy.mockClear()
        requestSpy.mockClear()
        dispatchSpy.mockClear()
        wrapper = 0
      }
    } satisfies Wire
  })

/** `WechatPay.layer(options)` over `http`, built in the current scope. */
const buildOver = (http: HttpClient.HttpClient, options: WechatPay.Options) =>
  Layer.build(WechatPay.layer(options).pipe(Layer.provide(Layer.succeed(HttpClient.HttpClient, http)), Layer.orDie))

/** The same options over both paths, sharing one wire; counts reset after the layers are built. */
const twoPaths = (options: WechatPay.Options) =>
  Effect.gen(function*() {
    const wire = yield* makeWire()
    const direct = yield* buildOver(wire.client, options)
    const effect = yield* buildOver(wire.wrapped, options)
    wire.reset()
    return { wire, direct, effect }
  })

/**
 * The whole stack with the `KeyStore` and the `Signer` of your choice: the built-in ones, or adapted
 * (e.g. spread into a new object, which drops their hidden capability).
 */
const buildCustom = (
  http: HttpClient.HttpClient,
  options: WechatPay.Options,
  adapt: {
    readonly keyStore?: (keys: KeyStore.KeyStore.Service) => KeyStore.KeyStore.Service
    readonly signer?: (signer: Signer.Signer.Service) => Signer.Signer.Service
  }
) => {
  const keyStore = Layer.effect(
    KeyStore.KeyStore,
    Effect.map(KeyStore.make(options), (keys) => adapt.keyStore?.(keys) ?? keys)
  )
  const signer = Layer.effect(
    Signer.Signer,
    Effect.map(Signer.make(options), (signer) => adapt.signer?.(signer) ?? signer)
  ).pipe(Layer.provideMerge(keyStore))
  return Layer.build(
    PayScorePermissions.layer.pipe(
      Layer.provideMerge(WechatPayClient.layer(options)),
      Layer.provideMerge(signer),
      Layer.provide(Layer.succeed(HttpClient.HttpClient, http)),
      Layer.orDie
    )
  )
}

// ---------------------------------------------------------------------------------------------
// The sandbox and its log
// ---------------------------------------------------------------------------------------------

/** A sandbox in the current scope, seeded with the sample records. */
const startSandbox = (options: Sandbox.Options = {}) => Sandbox.make({ records: SampleRecords.seeds, ...options })

/** One attempt, a 2-second timeout (loose enough for a loaded machine). */
const oneAttempt = { retries: 0, timeout: "2 seconds" } as const

/** A logged request with what changes per request left out: the nonce, signature and timestamp. */
const stableParts = (logged: Sandbox.LoggedRequest) => {
  const { authorization, ...headers } = logged.headers
  const fields = authorizationFields(authorization)
  return {
    method: logged.method,
    url: logged.url,
    body: logged.body,
    headerNames: Object.keys(logged.headers),
    headers,
    authorizationFields: Object.keys(fields),
    mchid: fields["mchid"],
    serialNo: fields["serial_no"],
    signatureVerified: logged.signatureVerified,
    status: logged.status
  }
}

const nonceOf = (logged: Sandbox.LoggedRequest): string =>
  authorizationFields(logged.headers["authorization"])["nonce_str"]!

// ---------------------------------------------------------------------------------------------
// Failures compared
// ---------------------------------------------------------------------------------------------

/** The failure of a call, or `undefined` when it succeeded. */
const failureOf = <A, R>(
  effect: Effect.Effect<A, WechatPayError.ClientError, R>
): Effect.Effect<WechatPayError.ClientError | undefined, never, R> =>
  Effect.match(effect, { onFailure: (error) => error, onSuccess: () => undefined })

/**
 * A failure as data: `_tag`, `message` (a getter on some errors), whether it was never sent, and
 * every own enumerable field; the `requestId`, which differs per answer, is replaced by whether it
 * is the one answered. A success is only named (its answer would make a long diff).
 */
const fieldsOf = (error: WechatPayError.ClientError | undefined, answered?: string | undefined) => {
  if (error === undefined) return { _tag: "(no failure: the call succeeded)" }
  const fields: Record<string, unknown> = {
    _tag: error._tag,
    message: error.message,
    neverSent: WechatPayClient.isNeverSent(error)
  }
  for (const [key, value] of Object.entries(error)) {
    fields[key] = key === "requestId" && value === answered ? "(the Request-ID answered)" : value
  }
  return fields
}

// ---------------------------------------------------------------------------------------------
// A raw server, a closed port, waiting
// ---------------------------------------------------------------------------------------------

interface RawServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  /** The request targets received, in order. */
  readonly received: () => ReadonlyArray<string>
  /** Whether the connection the request to `target` came on is closed. */
  readonly closed: (target: string) => boolean
}

/**
 * A node:http server on 127.0.0.1 that keeps idle connections 30 seconds (so a close within a test
 * comes from the client), answering with `handler`; closed with the scope.
 */
const rawServer = (handler: (req: Http.IncomingMessage, res: Http.ServerResponse) => void) =>
  Effect.acquireRelease(
    Effect.async<{ readonly server: Http.Server; readonly raw: RawServer }>((resume) => {
      const sockets = new Map<string, Net.Socket>()
      const closedSockets = new WeakSet<Net.Socket>()
      const server = Http.createServer((req, res) => {
        sockets.set(req.url ?? "", req.socket)
        res.on("error", () => {})
        req.resume()
        req.on("end", () => handler(req, res))
      })
      server.keepAliveTimeout = 30_000
      server.on("connection", (socket: Net.Socket) => socket.once("close", () => closedSockets.add(socket)))
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo
        resume(Effect.succeed({
          server,
          raw: {
            url: `http://127.0.0.1:${port}`,
            received: () => [...sockets.keys()],
            closed: (target) => {
              const socket = sockets.get(target)
              return socket !== undefined && closedSockets.has(socket)
            }
          }
        }))
      })
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map(({ raw }) => raw))

/** A port that was just bound on 127.0.0.1 and closed again: nothing listens there. */
const closedPort = Effect.async<number>((resume) => {
  const server = Net.createServer()
  server.listen(0, "127.0.0.1", () => {
    const { port } = server.address() as AddressInfo
    server.close(() => resume(Effect.succeed(port)))
  })
})

/** Polls (live clock) until `check` holds; dies after `seconds`. */
const waitUntil = (what: string, check: () => boolean, seconds = 5) =>
  Effect.gen(function*() {
    const deadline = Date.now() + seconds * 1000
    while (!check()) {
      if (Date.now() > deadline) return yield* Effect.die(new Error(`gave up after ${seconds} s waiting for: ${what}`))
      yield* Effect.sleep("20 millis")
    }
  })

/** How long `effect` takes, in milliseconds (wall clock). */
const timed = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.suspend(() => {
    const start = Date.now()
    return Effect.map(effect, (result) => ({ result, millis: Date.now() - start }))
  })

// ---------------------------------------------------------------------------------------------
// The fault table
// ---------------------------------------------------------------------------------------------

/**
 * Every fault kind, on the query of a seeded record (a 200 bent by the fault), and the signature
 * faults on a record that does not exist too: a signed 404 whose signature does not hold must fail
 * verification, not pass as `NotFound`.
 */
const faults: ReadonlyArray<readonly [name: string, fault: Sandbox.Fault, record?: "unknown"]> = [
  ["404 signed", Sandbox.Fault.Status({ status: 404 })],
  ["404 unsigned", Sandbox.Fault.Status({ status: 404, signed: false })],
  ["500 signed", Sandbox.Fault.Status({ status: 500 })],
  ["500 unsigned", Sandbox.Fault.Status({ status: 500, signed: false })],
  ["429 signed", Sandbox.Fault.Status({ status: 429 })],
  ["429 unsigned", Sandbox.Fault.Status({ status: 429, signed: false })],
  ["403 NO_AUTH signed", Sandbox.Fault.Status({ status: 403 })],
  ["400 PARAM_ERROR with a message", Sandbox.Fault.Status({ status: 400, code: "PARAM_ERROR", message: "参数错误" })],
  ["a 502 HTML gateway page", Sandbox.Fault.GatewayHtml({})],
  ["a 504 HTML gateway page", Sandbox.Fault.GatewayHtml({ status: 504 })],
  ["a tampered body", Sandbox.Fault.TamperedBody({})],
  ["a wrong key", Sandbox.Fault.WrongKey({})],
  ["a SIGNTEST probe", Sandbox.Fault.SignTest()],
  ["a timestamp ten minutes old", Sandbox.Fault.ClockSkew({})],
  ["a timestamp ten minutes ahead", Sandbox.Fault.ClockSkew({ seconds: 600 })],
  ["no Wechatpay-Timestamp", Sandbox.Fault.MissingHeader({ header: "Wechatpay-Timestamp" })],
  ["no Wechatpay-Nonce", Sandbox.Fault.MissingHeader({ header: "Wechatpay-Nonce" })],
  ["no Wechatpay-Signature", Sandbox.Fault.MissingHeader({ header: "Wechatpay-Signature" })],
  ["no Wechatpay-Serial", Sandbox.Fault.MissingHeader({ header: "Wechatpay-Serial" })],
  ["a reset connection", Sandbox.Fault.ConnectionReset()],
  ["a delay past the timeout", Sandbox.Fault.Delay({ duration: "4 seconds" })],
  ["a 404 signed with a wrong key", Sandbox.Fault.WrongKey({}), "unknown"],
  ["a 404 with a SIGNTEST probe", Sandbox.Fault.SignTest(), "unknown"],
  ["a 404 ten minutes old", Sandbox.Fault.ClockSkew({}), "unknown"],
  ["a 404 without Wechatpay-Nonce", Sandbox.Fault.MissingHeader({ header: "Wechatpay-Nonce" }), "unknown"]
]

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

describe("the direct attempt behaves exactly like the Effect attempt", () => {
  it.scopedLive("1. queries, an apply and a 204 terminate: same results, same requests; no execute call", () =>
    Effect.gen(function*() {
      const sandbox = yield* startSandbox()
      const { direct, effect, wire } = yield* twoPaths(Sandbox.wechatPayOptions(sandbox, oneAttempt))

      const scenario = (services: Services) =>
        Effect.gen(function*() {
          yield* sandbox.reset
          yield* sandbox.seedMany(SampleRecords.seeds)
          wire.reset()
          // an answer the direct attempt verifies with a key known now never reaches the KeyStore's
          // `verifyingKey` (the Effect attempt's `Signer.verify` looks each one up)
          const keyStore: KeyStore.KeyStore.Service = Context.get(services, KeyStore.KeyStore)
          const verifyingKey = vi.spyOn(keyStore, "verifyingKey")
          const p = <A, E>(f: (p: PayScorePermissions.PayScorePermissions.Service) => Effect.Effect<A, E>) =>
            permissions(services, f)
          const merchant = yield* p((p) => p.queryByAuthorizationCode(merchantQuery))
          const partner = yield* p((p) =>
            p.queryPartnerByAuthorizationCode({
              authorization_code: "PARTNER-AVAILABLE-0001",
              service_id: SERVICE_ID,
              sub_mchid: SampleRecords.subMchid
            })
          )
          const bank = yield* p((p) =>
            p.queryAcquiringBankByAuthorizationCode({
              authorization_code: "BANK-AVAILABLE-0001",
              service_id: SERVICE_ID,
              channel_id: SampleRecords.channelId,
              sub_mchid: SampleRecords.subMchid
            })
          )
          const byOpenid = yield* p((p) =>
            p.queryByOpenid({ openid: OPENID, service_id: SERVICE_ID, appid: SampleRecords.appid })
          )
          const applied = yield* p((p) =>
            p.applyPermissions({
              service_id: SERVICE_ID,
              appid: SampleRecords.appid,
              authorization_code: APPLY_CODE,
              notify_url: NOTIFY_URL
            })
          )
          // the token is the sandbox's random one: its shape is compared, not its value
          expect(applied.apply_permissions_token).toMatch(/^[0-9a-f]{40}$/)
          const pending = yield* p((p) =>
            p.queryByAuthorizationCode({ authorization_code: APPLY_CODE, service_id: SERVICE_ID })
          )
          const terminated = yield* p((p) => p.terminateByAuthorizationCode({ ...merchantQuery, reason: "用户投诉" }))
          const logged = yield* sandbox.requests
          return {
            results: { merchant, partner, bank, byOpenid, applied: Object.keys(applied), pending, terminated },
            logged,
            counts: wire.counts(),
            directSends: wire.directSends(),
            lookups: verifyingKey.mock.calls.length
          }
        })

      const viaDirect = yield* scenario(direct)
      const viaEffect = yield* scenario(effect)

      // the same decoded results (the records are what the sandbox was seeded with)
      expect(viaDirect.results).toEqual(viaEffect.results)
      expect(viaDirect.results.merchant._tag).toBe("Available")
      expect(viaDirect.results.merchant.openid).toBe(OPENID)
      expect(viaDirect.results.partner.sub_mchid).toBe(SampleRecords.subMchid)
      expect(viaDirect.results.bank.channel_id).toBe(SampleRecords.channelId)
      expect(viaDirect.results.byOpenid.authorization_code).toBe(MERCHANT_CODE)
      expect(viaDirect.results.pending._tag).toBe("UnbindUser")
      expect(viaDirect.results.terminated).toBeUndefined()

      // the direct attempt was taken for all seven calls: never `execute`, never undici's `request` API
      expect(viaDirect.counts).toEqual({ execute: 0, wrapper: 0, request: 0, dispatch: 7 })
      expect(viaDirect.directSends).toBe(7)
      // and the wrapped client was not: seven requests through `execute`'s pipeline
      expect(viaEffect.counts).toEqual({ execute: 0, wrapper: 7, request: 7, dispatch: 7 })
      expect(viaEffect.directSends).toBe(0)
      expect([viaDirect.lookups, viaEffect.lookups]).toEqual([0, 7])

      // the same requests on the wire: method, target, body bytes, header names (in order) and values
      expect(viaDirect.logged.map(stableParts)).toEqual(viaEffect.logged.map(stableParts))
      expect(viaDirect.logged.map((r) => [r.method, r.status, r.signatureVerified])).toEqual([
        ["GET", 200, true],
        ["GET", 200, true],
        ["GET", 200, true],
        ["GET", 200, true],
        ["POST", 200, true],
        ["GET", 200, true],
        ["POST", 204, true]
      ])
      const [, , , , apply, , terminate] = viaDirect.logged
      expect(apply!.body).toBe(
        `{"service_id":"${SERVICE_ID}","appid":"${SampleRecords.appid}","authorization_code":"${APPLY_CODE}","notify_url":"${NOTIFY_URL}"}`
      )
      expect(apply!.headers["content-type"]).toBe("application/json")
      expect(apply!.headers["content-length"]).toBe(String(Buffer.byteLength(apply!.body)))
      expect(terminate!.body).toBe(`{"service_id":"${SERVICE_ID}","reason":"用户投诉"}`)
      expect(terminate!.answer?.body).toBe("")
      for (const logged of [...viaDirect.logged, ...viaEffect.logged]) {
        expect(logged.headers["accept"]).toBe("application/json")
        expect(logged.headers["user-agent"]).toBe(WechatPayClient.DEFAULT_USER_AGENT)
        expect(logged.headers["wechatpay-serial"]).toBe(Fixtures.wechatpayPublicKeyId)
        const fields = authorizationFields(logged.headers["authorization"])
        expect(Object.keys(fields)).toEqual(["mchid", "nonce_str", "signature", "timestamp", "serial_no"])
        expect(fields["mchid"]).toBe(Fixtures.mchid)
        expect(fields["serial_no"]).toBe(Fixtures.merchantSerialNo)
        expect(fields["nonce_str"]).toMatch(/^[0-9A-Z]{32}$/)
        expect(Math.abs(Number(fields["timestamp"]) - Date.now() / 1000)).toBeLessThan(60)
      }
      // every nonce differs
      const nonces = [...viaDirect.logged, ...viaEffect.logged].map(nonceOf)
      expect(new Set(nonces).size).toBe(nonces.length)
    }))

  for (const [name, fault, record] of faults) {
    it.scopedLive(`2. ${name}: the same failure over both paths`, () =>
      Effect.gen(function*() {
        const sandbox = yield* startSandbox()
        const { direct, effect, wire } = yield* twoPaths(Sandbox.wechatPayOptions(sandbox, oneAttempt))
        const outcomes: Array<Record<string, unknown>> = []
        for (const services of [direct, effect]) {
          yield* sandbox.clearRequests
          yield* sandbox.injectFault(fault)
          const error = yield* failureOf(
            record === "unknown"
              ? permissions(services, (p) => p.queryByAuthorizationCode(unknownQuery))
              : query(services)
          )
          const logged = yield* sandbox.requests
          expect(logged).toHaveLength(1)
          expect(logged[0]!.answer?.status ?? "no answer").toBe(
            fault._tag === "Status" ? fault.status : fault._tag === "GatewayHtml" ?
              fault.status ?? 502 :
              fault._tag === "ConnectionReset"
              ? "no answer"
              : record === "unknown"
              ? 404
              : 200
          )
          expect(logged[0]!.fault).toEqual(fault)
          outcomes.push(fieldsOf(error, logged[0]!.requestId))
        }
        expect(outcomes[0]).toEqual(outcomes[1])
        // one request each way; the first one direct
        expect(wire.counts()).toEqual({ execute: 0, wrapper: 1, request: 1, dispatch: 2 })
        expect(wire.directSends()).toBe(1)

        const failure = outcomes[0]!
        switch (fault._tag) {
          case "Status":
          case "GatewayHtml":
            // an error answer, whose Request-ID is kept
            expect(failure["status"]).toBe(fault.status ?? 502)
            if (fault._tag === "Status" && fault.signed !== false) {
              expect(failure["requestId"]).toBe("(the Request-ID answered)")
            }
            break
          case "Delay":
            expect(failure).toEqual({
              _tag: "TransportError",
              message:
                "sent, but no complete answer within 2s (timeout); the request may have reached WeChat Pay, the outcome is unknown: query the record before repeating a non-idempotent call",
              neverSent: false
            })
            break
          case "ConnectionReset":
            expect(failure).toMatchObject({ _tag: "TransportError", neverSent: false })
            break
          case "TamperedBody":
          case "WrongKey":
          case "SignTest":
            expect(failure).toMatchObject({ _tag: "VerificationError", reason: "BadSignature" })
            break
          case "ClockSkew":
            expect(failure).toMatchObject({ _tag: "VerificationError", reason: "ClockSkew" })
            break
          case "MissingHeader":
            expect(failure).toMatchObject({ _tag: "VerificationError", reason: "MissingHeaders" })
            break
        }
      }))
  }

  for (
    const [name, fault] of [["500", Sandbox.Fault.Status({ status: 500 })], [
      "a reset",
      Sandbox.Fault.ConnectionReset()
    ]] as const
  ) {
    it.scopedLive(`3. retries over the direct path: ${name} then success, two requests with different nonces`, () =>
      Effect.gen(function*() {
        const sandbox = yield* startSandbox()
        const { direct, effect, wire } = yield* twoPaths(
          Sandbox.wechatPayOptions(sandbox, { retries: 2, retryBaseDelay: "10 millis", timeout: "2 seconds" })
        )
        for (const services of [direct, effect]) {
          yield* sandbox.clearRequests
          yield* sandbox.injectFault(fault, { times: 1 })
          expect((yield* query(services))._tag).toBe("Available")
          const logged = yield* sandbox.requests
          expect(logged.map((r) => r.fault)).toEqual([fault, undefined])
          expect(logged[1]!.status).toBe(200)
          expect(nonceOf(logged[0]!)).not.toBe(nonceOf(logged[1]!))
          // re-signed: the same request otherwise
          expect(stableParts(logged[0]!).headers).toEqual(stableParts(logged[1]!).headers)
        }
        // both attempts of the first call were direct; both of the second went through the wrapper
        expect(wire.counts()).toEqual({ execute: 0, wrapper: 2, request: 2, dispatch: 4 })
        expect(wire.directSends()).toBe(2)
      }))
  }

  it.scopedLive("4. downloaded certificates: after a rotation, one download and the direct query succeeds", () =>
    Effect.gen(function*() {
      const sandbox = yield* startSandbox({ wechatpayPublicKey: false })
      const options = Sandbox.wechatPayOptions(sandbox, {
        platformCertificates: "auto",
        wechatpayPublicKey: undefined,
        ...oneAttempt
      })
      expect(options.apiV3Key).toBeDefined()
      const wire = yield* makeWire()
      const services = yield* buildOver(wire.client, options)
      const keyStore = Context.get(services, KeyStore.KeyStore)
      // the layer's own download went through `execute`
      expect(wire.counts().execute).toBe(1)
      expect(Direct.keysOf(keyStore)).toBeDefined()
      expect(Direct.signerOf(Context.get(services, Signer.Signer))).toBeDefined()

      wire.reset()
      expect((yield* query(services))._tag).toBe("Available")
      expect(wire.counts()).toEqual({ execute: 0, wrapper: 0, request: 0, dispatch: 1 })

      const before = keyStore.wechatpaySerial
      expect(yield* sandbox.rotatePlatformCertificate()).toBe(Fixtures.platformSerialNo3)
      yield* sandbox.clearRequests
      wire.reset()
      expect((yield* query(services))._tag).toBe("Available")
      const logged = yield* sandbox.requests
      // the query (direct, answered under the unknown serial), then exactly one download (through
      // `execute`, from the KeyStore's refresh), and no second query
      expect(logged.map((r) => r.url)).toEqual([
        `/v3/payscore/permissions/authorization-code/${MERCHANT_CODE}?service_id=${SERVICE_ID}`,
        "/v3/certificates"
      ])
      expect(logged[0]!.headers["wechatpay-serial"]).toBe(before)
      expect(logged[0]!.answer?.headers["wechatpay-serial"]).toBe(Fixtures.platformSerialNo3)
      expect(wire.counts()).toEqual({ execute: 1, wrapper: 0, request: 1, dispatch: 2 })
      expect(wire.directSends()).toBe(1)
      expect(keyStore.wechatpaySerial).toBe(Fixtures.platformSerialNo3)

      // from now on the new serial is known: direct, no download
      yield* sandbox.clearRequests
      wire.reset()
      expect((yield* query(services))._tag).toBe("Available")
      expect((yield* sandbox.requests).map((r) => r.headers["wechatpay-serial"])).toEqual([Fixtures.platformSerialNo3])
      expect(wire.counts()).toEqual({ execute: 0, wrapper: 0, request: 0, dispatch: 1 })
    }))

  it.scopedLive("5. connection refused: the same never-sent TransportError, without the Authorization header", () =>
    Effect.gen(function*() {
      const port = yield* closedPort
      const baseUrl = `http://127.0.0.1:${port}`
      const { direct, effect, wire } = yield* twoPaths(merchantOptions({ baseUrl, ...oneAttempt }))
      const apply = { service_id: SERVICE_ID, appid: SampleRecords.appid, authorization_code: APPLY_CODE }
      const calls: ReadonlyArray<(services: Services) => Effect.Effect<unknown, WechatPayError.ClientError>> = [
        (services) => permissions(services, (p) => p.applyPermissions(apply)),
        (services) => query(services)
      ]
      for (const call of calls) {
        const failures = []
        for (const services of [direct, effect]) {
          const error = yield* failureOf(call(services))
          const fields = fieldsOf(error)
          expect(fields).toMatchObject({ _tag: "TransportError", neverSent: true })
          expect(fields["message"]).toMatch(/^never sent: the connection was refused \(Transport\): .*ECONNREFUSED/)
          for (const text of [error?.message, JSON.stringify(error), String(error)]) {
            expect(text).not.toContain("WECHATPAY2-SHA256-RSA2048")
            expect(text).not.toContain("signature=")
          }
          failures.push(fields)
        }
        expect(failures[0]).toEqual(failures[1])
      }
      expect(wire.counts()).toEqual({ execute: 0, wrapper: 2, request: 2, dispatch: 4 })
      expect(wire.directSends()).toBe(2)

      // never sent: a POST is retried through the direct path too
      const retrying = yield* buildOver(
        wire.client,
        merchantOptions({ baseUrl, retries: 2, retryBaseDelay: "10 millis" })
      )
      wire.reset()
      const error = yield* failureOf(permissions(retrying, (p) => p.applyPermissions(apply)))
      expect(fieldsOf(error)).toMatchObject({ _tag: "TransportError", neverSent: true })
      expect(wire.counts()).toEqual({ execute: 0, wrapper: 0, request: 0, dispatch: 3 })
    }))

  it.scopedLive("6. maxResponseBytes and other raw answers: the same outcome; a refused answer's connection closes", () =>
    Effect.gen(function*() {
      const cap = 4096
      const server = yield* rawServer((req, res) => {
        const path = new URL(req.url ?? "/", "http://localhost").pathname
        switch (path) {
          case "/v3/declared":
            // announces 100,000 bytes, sends one: reading it would wait until the timeout
            res.writeHead(200, { "content-type": "application/json", "content-length": "100000" })
            res.write("{")
            return
          case "/v3/chunked": {
            // no Content-Length, never ending, until the client goes away
            res.writeHead(200, { "content-type": "application/json" })
            const chunk = Buffer.alloc(1024, 0x61)
            const timer = setInterval(() => res.write(chunk), 5)
            res.on("close", () => clearInterval(timer))
            return
          }
          case "/v3/at-cap-declared":
            res.writeHead(200, { "content-type": "application/json", "content-length": String(cap) })
            res.end(Buffer.alloc(cap, 0x61))
            return
          case "/v3/at-cap-chunked":
            res.writeHead(200, { "content-type": "application/json" })
            res.write(Buffer.alloc(cap - 1, 0x61))
            setTimeout(() => res.end("b"), 20)
            return
          case "/v3/reset-body":
            // the head and part of the body, then the connection is destroyed
            res.writeHead(200, { "content-type": "application/json", "content-length": "100" })
            res.write(`{"partial":`)
            setTimeout(() => req.socket.destroy(), 50)
            return
          case "/v3/bom-400":
            // an error body behind a byte order mark
            res.writeHead(400, { "content-type": "application/json" })
            res.end(
              Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`{"code":"PARAM_ERROR","message":"x"}`)])
            )
            return
          case "/v3/early-hints":
            // a 103 head before the answer's own
            res.writeEarlyHints({ link: "</a>; rel=preload" })
            setTimeout(() => res.writeHead(404, { "content-type": "application/json" }).end(`{"code":"NOT_FOUND"}`), 20)
            return
          case "/v3/repeated-serial":
            // a 2xx whose Wechatpay-Serial comes twice
            res.writeHead(
              200,
              [
                ["Wechatpay-Serial", "A1"],
                ["Wechatpay-Serial", "B2"],
                ["Wechatpay-Nonce", "N"],
                ["Wechatpay-Timestamp", String(Math.floor(Date.now() / 1000))],
                ["Wechatpay-Signature", "c2ln"]
              ].flat()
            )
            res.end("{}")
            return
          case "/v3/empty-500":
            res.writeHead(500).end()
            return
          default:
            res.writeHead(404).end()
        }
      })
      const { direct, effect, wire } = yield* twoPaths(
        merchantOptions({ baseUrl: server.url, maxResponseBytes: cap, ...oneAttempt })
      )
      const compare = (path: string) =>
        Effect.gen(function*() {
          const outcomes = []
          for (const [via, services] of [["direct", direct], ["effect", effect]] as const) {
            outcomes.push(fieldsOf(yield* failureOf(execute(services, { method: "GET", path, query: { via } }))))
          }
          expect(outcomes[0]).toEqual(outcomes[1])
          return outcomes[0]!
        })

      const declared = yield* compare("/v3/declared")
      expect(declared["_tag"]).toBe("TransportError")
      expect(declared["message"]).toBe(
        `sent, but the answer could not be read in full (Decode): the answer is larger than maxResponseBytes (${cap} bytes): Content-Length is 100000; not read; the request may have reached WeChat Pay, the outcome is unknown: query the record before repeating a non-idempotent call`
      )
      // refused unread and discarded: the connection is closed, not left waiting for the body
      yield* waitUntil(
        "the declared answer's connection closes (direct)",
        () => server.closed("/v3/declared?via=direct")
      )
      yield* waitUntil(
        "the declared answer's connection closes (effect)",
        () => server.closed("/v3/declared?via=effect")
      )

      const chunked = yield* compare("/v3/chunked")
      expect(chunked["message"]).toBe(
        `sent, but the answer could not be read in full (Decode): the answer is larger than maxResponseBytes (${cap} bytes): more than ${cap} bytes sent; not read; the request may have reached WeChat Pay, the outcome is unknown: query the record before repeating a non-idempotent call`
      )
      yield* waitUntil("the endless answer's connection closes (direct)", () => server.closed("/v3/chunked?via=direct"))
      yield* waitUntil("the endless answer's connection closes (effect)", () => server.closed("/v3/chunked?via=effect"))

      // exactly at the cap: read whole, then refused as unsigned (not as too large)
      for (const path of ["/v3/at-cap-declared", "/v3/at-cap-chunked"]) {
        expect(yield* compare(path)).toMatchObject({ _tag: "VerificationError", reason: "MissingHeaders" })
      }

      const reset = yield* compare("/v3/reset-body")
      expect(reset["_tag"]).toBe("TransportError")
      expect(reset["message"]).toMatch(/^sent, but the answer could not be read in full \(Decode\)/)

      expect(yield* compare("/v3/bom-400")).toMatchObject({ _tag: "ApiError", status: 400, code: "HTTP_400" })
      expect(yield* compare("/v3/early-hints")).toMatchObject({ _tag: "NotFound", status: 404 })
      expect(yield* compare("/v3/repeated-serial")).toMatchObject({ _tag: "VerificationError", serial: "A1, B2" })
      expect(yield* compare("/v3/empty-500")).toMatchObject({ _tag: "SystemError", status: 500 })

      expect(wire.counts().execute).toBe(0)
      expect(wire.directSends()).toBe(9)
      expect(wire.counts().wrapper).toBe(9)
    }))

  it.scopedLive("7. interrupting a direct call, or its timeout, closes the request's connection", () =>
    Effect.gen(function*() {
      const server = yield* rawServer((req, res) => {
        if (req.url?.startsWith("/v3/stalled") === true) {
          // the head and one chunk, then nothing
          res.writeHead(200, { "content-type": "application/json" })
          res.write(`{"partial":`)
        }
        // anything else: accepted, never answered (a Delay that never ends)
      })
      const { direct, effect, wire } = yield* twoPaths(merchantOptions({ baseUrl: server.url, ...oneAttempt }))
      const hang = (services: Services, path: string) => execute(services, { method: "GET", path })

      // Effect.timeout around the call: interrupted while waiting for the head
      const timedOut = yield* timed(Effect.either(Effect.timeout(hang(direct, "/v3/hang"), "300 millis")))
      expect(Either.isLeft(timedOut.result) && timedOut.result.left._tag).toBe("TimeoutException")
      // at once: not when the 2-second attempt would have ended
      expect(timedOut.millis).toBeLessThan(1900)
      yield* waitUntil("the interrupted request's connection closes", () => server.closed("/v3/hang"))

      // interrupted while reading the body
      const stalled = yield* Effect.either(Effect.timeout(hang(direct, "/v3/stalled"), "500 millis"))
      expect(Either.isLeft(stalled) && stalled.left._tag).toBe("TimeoutException")
      yield* waitUntil("the interrupted read's connection closes", () => server.closed("/v3/stalled"))

      // Fiber.interrupt once the server has the request
      const fiber = yield* Effect.fork(hang(direct, "/v3/hang-fiber"))
      yield* waitUntil("the server receives the forked request", () => server.received().includes("/v3/hang-fiber"))
      yield* Fiber.interrupt(fiber)
      yield* waitUntil("the forked request's connection closes", () => server.closed("/v3/hang-fiber"))

      // interrupted at once (while signing, or before the request starts): nothing is left open
      const early = yield* Effect.fork(hang(direct, "/v3/hang-early"))
      yield* Fiber.interrupt(early)
      yield* Effect.sleep("300 millis")
      if (server.received().includes("/v3/hang-early")) {
        yield* waitUntil("the early-interrupted request's connection closes", () => server.closed("/v3/hang-early"))
      }
      expect(wire.counts()).toMatchObject({ execute: 0, wrapper: 0, request: 0 })

      // the per-attempt timeout: the same TransportError as the Effect attempt's, the connection closed
      const failures = []
      for (const [via, services] of [["direct", direct], ["effect", effect]] as const) {
        failures.push(fieldsOf(yield* failureOf(hang(services, `/v3/hang-timeout-${via}`))))
        yield* waitUntil(
          `the timed-out request's connection closes (${via})`,
          () => server.closed(`/v3/hang-timeout-${via}`)
        )
      }
      expect(failures[0]).toEqual({
        _tag: "TransportError",
        message:
          "sent, but no complete answer within 2s (timeout); the request may have reached WeChat Pay, the outcome is unknown: query the record before repeating a non-idempotent call",
        neverSent: false
      })
      expect(failures[1]).toEqual(failures[0])
      expect(wire.counts().execute).toBe(0)
    }))

  it.scopedLive("7. a direct call interrupted while queued for a connection is never sent", () =>
    Effect.gen(function*() {
      let held: Http.ServerResponse | undefined
      const server = yield* rawServer((req, res) => {
        if (req.url === "/v3/hold") {
          held = res
          return
        }
        res.writeHead(200, { "content-type": "application/json" })
        res.end("{}")
      })
      // one connection: while /v3/hold holds it, the next request waits in the agent's queue
      const wire = yield* makeWire({ connections: 1 })
      const services = yield* buildOver(wire.client, merchantOptions({ baseUrl: server.url, ...oneAttempt }))
      const call = (path: string) => failureOf(execute(services, { method: "GET", path }))

      const holding = yield* Effect.fork(call("/v3/hold"))
      yield* waitUntil("the server holds the first request", () => held !== undefined)
      const queued = yield* Effect.fork(call("/v3/queued"))
      yield* waitUntil("the queued request is dispatched", () => wire.counts().dispatch === 2)
      yield* Fiber.interrupt(queued)
      // the connection is free again: the queued request would go out now, if it were not cancelled
      held!.writeHead(200, { "content-type": "application/json" }).end("{}")
      expect(fieldsOf(yield* Fiber.join(holding))).toMatchObject({
        _tag: "VerificationError",
        reason: "MissingHeaders"
      })
      expect(fieldsOf(yield* call("/v3/after"))).toMatchObject({ _tag: "VerificationError", reason: "MissingHeaders" })
      expect(server.received()).toEqual(["/v3/hold", "/v3/after"])
      expect(wire.counts()).toMatchObject({ execute: 0, request: 0, dispatch: 3 })
    }))

  it.scopedLive("8. not direct: a provided Random, a spread Signer, a custom KeyStore, a wrapper, a huge timeout", () =>
    Effect.gen(function*() {
      const sandbox = yield* startSandbox()
      const wire = yield* makeWire()
      const options = Sandbox.wechatPayOptions(sandbox, oneAttempt)
      const seeded = (random: Random.Random) => <A, E, R>(effect: Effect.Effect<A, E, R>) =>
        Effect.withRandom(effect, random)
      const variants: ReadonlyArray<{
        readonly name: string
        readonly build: Effect.Effect<Services, never, Scope.Scope>
        readonly around?: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
        readonly direct: boolean
      }> = [
        // the control: every part built in, so the direct attempt
        { name: "the built-in parts", build: buildOver(wire.client, options), direct: true },
        // the control of the two below: the built-in KeyStore and Signer, layered by hand
        { name: "the built-in parts, by hand", build: buildCustom(wire.client, options, {}), direct: true },
        {
          name: "a provided Random",
          build: buildOver(wire.client, options),
          around: seeded(Random.make("pinned")),
          direct: false
        },
        {
          name: "a spread Signer",
          build: buildCustom(wire.client, options, { signer: (signer) => Signer.Signer.of({ ...signer }) }),
          direct: false
        },
        {
          name: "a custom KeyStore",
          build: buildCustom(wire.client, options, { keyStore: (keys) => KeyStore.KeyStore.of({ ...keys }) }),
          direct: false
        },
        { name: "a wrapped HttpClient", build: buildOver(wire.wrapped, options), direct: false },
        {
          name: "a timeout no timer holds",
          build: buildOver(wire.client, { ...options, timeout: "30 days" }),
          direct: false
        }
      ]
      const outcomes: Array<readonly [string, boolean, boolean]> = []
      for (const variant of variants) {
        const services = yield* variant.build
        wire.reset()
        yield* sandbox.clearRequests
        const around = variant.around ?? ((effect) => effect)
        expect((yield* around(query(services)))._tag).toBe("Available")
        const counts = wire.counts()
        const [logged] = yield* sandbox.requests
        expect(logged!.signatureVerified).toBe(true)
        // one request; direct, or through `execute` (the wrapper's for the wrapped client)
        expect(counts.dispatch).toBe(1)
        const viaExecute = counts.execute + counts.wrapper
        outcomes.push([variant.name, wire.directSends() === 1, viaExecute > 0])
      }
      expect(outcomes).toEqual(variants.map((v) => [v.name, v.direct, !v.direct]))

      // a provided Random is what the nonce is drawn from: the same seed, the same nonce
      const services = yield* buildOver(wire.client, options)
      yield* sandbox.clearRequests
      yield* seeded(Random.make("pinned"))(query(services))
      yield* seeded(Random.make("pinned"))(query(services))
      const [first, second] = yield* sandbox.requests
      expect(nonceOf(first!)).toBe(nonceOf(second!))
      // the spread and custom parts lost their capability, the built-in ones keep it
      expect(Direct.signerOf(Context.get(services, Signer.Signer))).toBeDefined()
      expect(Direct.signerOf(Signer.Signer.of({ ...Context.get(services, Signer.Signer) }))).toBeUndefined()
      expect(Direct.keysOf(KeyStore.KeyStore.of({ ...Context.get(services, KeyStore.KeyStore) }))).toBeUndefined()
    }))

  it.scoped("8. not direct: under TestClock the call goes through execute and signs with the TestClock's time", () =>
    Effect.gen(function*() {
      // 90 seconds in the past: within the 5-minute window of either clock, yet unmistakable
      const testTime = Date.now() - 90_000
      yield* TestClock.setTime(testTime)
      const sandbox = yield* startSandbox()
      const wire = yield* makeWire()
      const services = yield* buildOver(wire.client, Sandbox.wechatPayOptions(sandbox, oneAttempt))
      wire.reset()
      expect((yield* query(services))._tag).toBe("Available")
      expect(wire.counts()).toEqual({ execute: 1, wrapper: 0, request: 1, dispatch: 1 })
      expect(wire.directSends()).toBe(0)
      const [logged] = yield* sandbox.requests
      expect(authorizationFields(logged!.headers["authorization"])["timestamp"]).toBe(
        String(Math.floor(testTime / 1000))
      )
    }))
})
