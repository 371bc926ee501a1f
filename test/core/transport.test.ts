/**
 * The core's transport interface (src/core/transport.ts): which failures prove that nothing of the
 * request left (`NeverSent`: a refused connection, a name that does not resolve, a port the runtime
 * refuses, an AggregateError of refusals, any of them as a nested cause) and which may have reached
 * WeChat Pay (`OutcomeUnknown`: a reset, a timeout); what a `TransportError` then says; and
 * `sendWithin`, the one per-attempt timeout (real time), which cancels the exchange and sets no
 * timer it could not hold.
 */
import { afterEach, describe, expect, it, vi } from "@effect/vitest"
import * as Net from "node:net"
import * as Transport from "../../src/core/transport.js"

const coded = (code: string, message = `${code} happened`) => Object.assign(new Error(message), { code })

/** A port that was just bound on 127.0.0.1 and closed again: nothing listens there. */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = Net.createServer()
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as Net.AddressInfo
      server.close(() => resolve(port))
    })
  })

/** What fetch rejects with for `url` (undici's TypeError, its cause the network's error). */
const fetchError = (url: string) => fetch(url).then(() => undefined, (error: unknown) => error)

describe("neverSentCode", () => {
  it("a refused connection, as fetch and node:net report it: ECONNREFUSED", async () => {
    const port = await closedPort()
    const fromFetch = await fetchError(`http://127.0.0.1:${port}/v3/x`)
    expect(fromFetch).toBeInstanceOf(TypeError)
    expect(Transport.neverSentCode(fromFetch)).toBe("ECONNREFUSED")
    const fromNet = await new Promise<unknown>((resolve) => Net.connect(port, "127.0.0.1").on("error", resolve))
    expect(Transport.neverSentCode(fromNet)).toBe("ECONNREFUSED")
  })

  it('a port the runtime refuses (fetch\'s "bad port", no code): named by its message', async () => {
    const badPort = await fetchError("http://127.0.0.1:1/v3/x")
    expect(Transport.neverSentCode(badPort)).toBe("bad port")
    expect(Transport.neverSentCode(new TypeError("Invalid URL: nope"))).toBe("Invalid URL")
    expect(Transport.neverSentCode(new Error("unsupported protocol https:"))).toBe("unsupported protocol https")
  })

  it("a name that does not resolve (ENOTFOUND, EAI_AGAIN), no route, a connect timeout, a TLS refusal", () => {
    for (
      const code of [
        "ENOTFOUND",
        "EAI_AGAIN",
        "EHOSTUNREACH",
        "ENETUNREACH",
        "UND_ERR_CONNECT_TIMEOUT",
        "ERR_INVALID_URL",
        "CERT_HAS_EXPIRED",
        "DEPTH_ZERO_SELF_SIGNED_CERT"
      ]
    ) {
      expect(Transport.neverSentCode(coded(code))).toBe(code)
    }
  })

  it("an AggregateError (happy eyeballs): never sent only when every attempt was refused", () => {
    const refused = coded("ECONNREFUSED")
    expect(Transport.neverSentCode(new AggregateError([refused, coded("ECONNREFUSED")]))).toBe("ECONNREFUSED")
    expect(Transport.neverSentCode(new AggregateError([refused, coded("ECONNRESET")]))).toBeUndefined()
    expect(Transport.neverSentCode(new AggregateError([]))).toBeUndefined()
    // inside the TypeError fetch throws
    expect(Transport.neverSentCode(new TypeError("fetch failed", { cause: new AggregateError([refused, refused]) })))
      .toBe("ECONNREFUSED")
  })

  it("a nested cause is followed (up to 8 levels), a plain object too", () => {
    expect(Transport.neverSentCode({ cause: { cause: { code: "ENOTFOUND" } } })).toBe("ENOTFOUND")
    let deep: unknown = coded("ECONNREFUSED")
    for (let i = 0; i < 9; i++) deep = new Error("wrapped", { cause: deep })
    expect(Transport.neverSentCode(deep)).toBeUndefined()
  })

  it("a reset, a socket closed mid-answer, a headers timeout, or nothing known: not a proof", () => {
    for (
      const cause of [coded("ECONNRESET"), coded("UND_ERR_SOCKET"), coded("UND_ERR_HEADERS_TIMEOUT"), coded("EPIPE")]
    ) {
      expect(Transport.neverSentCode(cause)).toBeUndefined()
    }
    for (const cause of [undefined, null, "ECONNREFUSED", 42, new Error("socket hang up")]) {
      expect(Transport.neverSentCode(cause)).toBeUndefined()
    }
  })
})

describe("failures", () => {
  it("requestFailed: refused, not sent (with the code), or no answer (OutcomeUnknown); the cause kept", () => {
    const refused = coded("ECONNREFUSED")
    expect(Transport.requestFailed(refused, "Transport")).toEqual({
      _tag: "Failed",
      reason: "NeverSent",
      what: "the connection was refused (Transport)",
      cause: refused
    })
    expect(Transport.requestFailed(coded("ENOTFOUND"), "Transport")).toMatchObject({
      reason: "NeverSent",
      what: "the request could not be sent (Transport, ENOTFOUND)"
    })
    expect(Transport.requestFailed(coded("ECONNRESET"), "Transport")).toMatchObject({
      reason: "OutcomeUnknown",
      what: "no answer came (Transport)"
    })
  })

  it("readFailed is OutcomeUnknown; notBuilt is NeverSent; the cap's cause says what showed it", () => {
    expect(Transport.readFailed("x", "Decode")).toEqual({
      _tag: "Failed",
      reason: "OutcomeUnknown",
      what: "the answer could not be read in full (Decode)",
      cause: "x"
    })
    expect(Transport.notBuilt("x", "InvalidUrl")).toMatchObject({
      reason: "NeverSent",
      what: "the request could not be built (InvalidUrl)"
    })
    expect(Transport.tooLargeCause(4096, "Content-Length is 100000").message).toBe(
      "the answer is larger than maxResponseBytes (4096 bytes): Content-Length is 100000; not read"
    )
  })

  it("describe: never sent, or sent with the outcome unknown; the innermost cause, scrubbed of secrets", () => {
    const signature = "U0lHTkFUVVJFLXNlY3JldA=="
    const inner = new Error(`connect failed; headers: authorization: x signature="${signature}"`)
    const wrapped = new TypeError("fetch failed", { cause: inner })
    expect(Transport.describe(Transport.requestFailed(coded("ECONNREFUSED", "connect ECONNREFUSED"), "Transport"), []))
      .toEqual({
        _tag: "TransportFailure",
        reason: "NeverSent",
        message: "never sent: the connection was refused (Transport): connect ECONNREFUSED",
        cause: { name: "Error", message: "connect ECONNREFUSED" }
      })
    const unknown = Transport.describe(
      { _tag: "Failed", reason: "OutcomeUnknown", what: "no answer came (Transport)", cause: wrapped },
      [signature],
      "effect-wechatpay: "
    )
    expect(unknown.message).toBe(
      `effect-wechatpay: sent, but no answer came (Transport): connect failed; headers: authorization: x signature="<redacted>"; ${Transport.OUTCOME_UNKNOWN}`
    )
    expect(unknown.cause).toEqual({
      name: "Error",
      message: `connect failed; headers: authorization: x signature="<redacted>"`
    })
    const timeout = Transport.describe({
      _tag: "Failed",
      reason: "OutcomeUnknown",
      what: "no complete answer within 2s (timeout)"
    }, [])
    expect(timeout).toEqual({
      _tag: "TransportFailure",
      reason: "OutcomeUnknown",
      message: `sent, but no complete answer within 2s (timeout); ${Transport.OUTCOME_UNKNOWN}`
    })
  })
})

describe("sendWithin", () => {
  afterEach(() => vi.restoreAllMocks())

  const request: Transport.OutgoingRequest = { method: "GET", url: "http://127.0.0.1/v3/x", headers: {}, body: "" }
  const answer: Transport.Exchange = {
    _tag: "Received",
    status: 200,
    headers: {},
    body: { text: "{}", exact: true }
  }

  /** A transport whose answer the test gives (`answer()`), counting cancellations. */
  const manual = () => {
    let deliver: ((exchange: Transport.Exchange) => void) | undefined
    let cancelled = 0
    const transport: Transport.Transport = {
      send: (_request, _maxBytes, done) => {
        deliver = done
        return () => void cancelled++
      }
    }
    return { transport, answer: (exchange: Transport.Exchange) => deliver!(exchange), cancelled: () => cancelled }
  }

  const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis))

  it("an answer in time is handed on once; the timer is cleared", async () => {
    const wire = manual()
    const done: Array<Transport.Exchange> = []
    const clear = vi.spyOn(globalThis, "clearTimeout")
    Transport.sendWithin(wire.transport, request, 100, 40, "40ms", (e) => done.push(e))
    wire.answer(answer)
    expect(clear).toHaveBeenCalledTimes(1)
    await sleep(80)
    expect(done).toEqual([answer])
    expect(wire.cancelled()).toBe(0)
  })

  it("past the timeout: the exchange is cancelled and fails OutcomeUnknown; a late answer is ignored", async () => {
    const wire = manual()
    const done: Array<Transport.Exchange> = []
    Transport.sendWithin(wire.transport, request, 100, 30, "30ms", (e) => done.push(e))
    await sleep(80)
    expect(done).toEqual([{
      _tag: "Failed",
      reason: "OutcomeUnknown",
      what: "no complete answer within 30ms (timeout)"
    }])
    expect(wire.cancelled()).toBe(1)
    wire.answer(answer)
    expect(done).toHaveLength(1)
  })

  it("the cancel it returns: cancels the exchange once, clears the timer, and nothing is handed on", async () => {
    const wire = manual()
    const done: Array<Transport.Exchange> = []
    const cancel = Transport.sendWithin(wire.transport, request, 100, 30, "30ms", (e) => done.push(e))
    cancel()
    cancel()
    await sleep(80)
    wire.answer(answer)
    expect(done).toEqual([])
    expect(wire.cancelled()).toBe(1)
  })

  it("a timeout beyond MAX_TIMER_MILLIS (or infinite) sets no timer; at the bound, one is set", () => {
    expect(Transport.MAX_TIMER_MILLIS).toBe(2 ** 31 - 1)
    const timers = vi.spyOn(globalThis, "setTimeout")
    for (const timeout of [Transport.MAX_TIMER_MILLIS + 1, 30 * 24 * 3_600_000, Infinity]) {
      const wire = manual()
      const done: Array<Transport.Exchange> = []
      Transport.sendWithin(wire.transport, request, 100, timeout, "long", (e) => done.push(e))
      wire.answer(answer)
      expect(done).toEqual([answer])
    }
    expect(timers).not.toHaveBeenCalled()
    const cancel = Transport.sendWithin(manual().transport, request, 100, Transport.MAX_TIMER_MILLIS, "max", () => {})
    expect(timers).toHaveBeenCalledTimes(1)
    cancel()
  })
})
