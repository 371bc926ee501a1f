/**
 * One attempt as steps (src/core/attempt.ts): `prepare` (the target and body, built once),
 * `message` and `outgoing` (what is signed and sent), `classify` (what came back means, before any
 * signature check) and `conclude` (what a checked answer means) — every branch.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Attempt from "../../src/core/attempt.js"
import * as Path from "../../src/core/path.js"
import * as Transport from "../../src/core/transport.js"

const tpl = (path: string): Path.Template => {
  const made = Path.template(path)
  if (!Path.isTemplate(made)) throw new Error(made.message)
  return made
}

const call = (input: Partial<Parameters<typeof Attempt.prepare>[0]> = {}): Attempt.Call => {
  const prepared = Attempt.prepare({
    baseUrl: "https://api.mch.weixin.qq.com",
    method: "GET",
    template: tpl("/v3/payscore/permissions/authorization-code/{authorization_code}"),
    pathParams: { authorization_code: "1234323JKHDFE1243252" },
    query: [["service_id", "500001"]],
    body: undefined,
    ...input
  })
  if (Path.isInputProblem(prepared)) throw new Error(prepared.message)
  return prepared
}

const SIGNATURE = "U0lHTkFUVVJFLXNlY3JldA=="
const AUTHORIZATION =
  `WECHATPAY2-SHA256-RSA2048 mchid="1900000001",nonce_str="N",signature="${SIGNATURE}",timestamp="1",serial_no="S"`
const request = Attempt.outgoing(call(), {
  userAgent: "ua/1",
  wechatpaySerial: "PUB_KEY_ID_1",
  authorization: AUTHORIZATION
})

const received = (
  status: number,
  body: string | { readonly text: string; readonly exact: boolean },
  headers: Record<string, string> = {}
): Transport.Received => ({
  _tag: "Received",
  status,
  headers,
  body: typeof body === "string" ? { text: body, exact: true } : body
})

const SIGNED = {
  "wechatpay-timestamp": "1",
  "wechatpay-nonce": "n",
  "wechatpay-signature": "c2ln",
  "wechatpay-serial": "PUB_KEY_ID_1"
}
const verifying = { verify: true }
const notVerifying = { verify: false }

describe("prepare", () => {
  it("the absolute URL, the target as sent (what the signature covers), the body serialised once", () => {
    expect(call()).toEqual({
      method: "GET",
      url:
        "https://api.mch.weixin.qq.com/v3/payscore/permissions/authorization-code/1234323JKHDFE1243252?service_id=500001",
      target: "/v3/payscore/permissions/authorization-code/1234323JKHDFE1243252?service_id=500001",
      body: ""
    })
    const post = call({
      method: "POST",
      template: tpl("/v3/payscore/permissions"),
      pathParams: {},
      query: [],
      body: { service_id: "500001", reason: "用户投诉" }
    })
    expect(post.body).toBe(`{"service_id":"500001","reason":"用户投诉"}`)
    expect(post.target).toBe("/v3/payscore/permissions")
  })

  it("a base URL's path prefix is part of the target; percent-encoding is kept as sent", () => {
    const prefixed = call({ baseUrl: "http://127.0.0.1:8080/proxy", pathParams: { authorization_code: "a|b" } })
    expect(prefixed.target).toBe("/proxy/v3/payscore/permissions/authorization-code/a%7Cb?service_id=500001")
    expect(prefixed.url).toBe(`http://127.0.0.1:8080${prefixed.target}`)
  })

  it("a body of undefined is no body; one that cannot be JSON is a problem naming the body", () => {
    expect(call({ method: "POST", body: undefined }).body).toBe("")
    const cycle: Record<string, unknown> = {}
    cycle["self"] = cycle
    for (const body of [cycle, { n: 10n }]) {
      const prepared = Attempt.prepare({
        ...call(),
        baseUrl: "https://x",
        template: tpl("/v3/x"),
        pathParams: {},
        query: [],
        body
      })
      expect(Path.isInputProblem(prepared) && prepared.field).toBe("body")
      expect(Path.isInputProblem(prepared) && prepared.message).toMatch(/^body cannot be serialised to JSON: /)
    }
  })

  it("a path parameter refused, or a base URL that makes no URL: a problem, nothing built", () => {
    const bad = Attempt.prepare({
      baseUrl: "https://api.mch.weixin.qq.com",
      method: "GET",
      template: tpl("/v3/x/{p}"),
      pathParams: { p: "../admin" },
      query: [],
      body: undefined
    })
    expect(bad).toEqual(Path.inputProblem("p", "p must not contain any of / \\ ? # %"))
    const noUrl = Attempt.prepare({
      baseUrl: "not a url",
      method: "GET",
      template: tpl("/v3/x"),
      pathParams: {},
      query: [],
      body: undefined
    })
    expect(noUrl).toEqual(Path.inputProblem("path", "the path does not make a URL with baseUrl"))
  })
})

describe("message and outgoing", () => {
  it("the message signs METHOD, the target, the time, the nonce and the body", () => {
    expect(Attempt.message(call(), "1554208460", "N0NCE")).toBe(
      "GET\n/v3/payscore/permissions/authorization-code/1234323JKHDFE1243252?service_id=500001\n1554208460\nN0NCE\n\n"
    )
  })

  it("headers: Accept, User-Agent, Wechatpay-Serial when there is one, Content-Type with a body, Authorization", () => {
    expect(request).toEqual({
      method: "GET",
      url: call().url,
      headers: {
        accept: "application/json",
        "user-agent": "ua/1",
        "wechatpay-serial": "PUB_KEY_ID_1",
        authorization: AUTHORIZATION
      },
      body: ""
    })
    const post = Attempt.outgoing(call({ method: "POST", body: { a: 1 } }), {
      userAgent: "ua/1",
      wechatpaySerial: undefined,
      authorization: "A"
    })
    expect(post.headers).toEqual({
      accept: "application/json",
      "user-agent": "ua/1",
      "content-type": "application/json",
      authorization: "A"
    })
    expect(post.body).toBe(`{"a":1}`)
  })
})

describe("classify", () => {
  it("a transport failure: done, described, the request's secrets scrubbed, the prefix kept", () => {
    const failed: Transport.Failed = {
      _tag: "Failed",
      reason: "OutcomeUnknown",
      what: "no answer came (Transport)",
      cause: new Error(`proxy said: ${AUTHORIZATION}`)
    }
    const classified = Attempt.classify(failed, request, { verify: true, prefix: "certificates: " })
    expect(classified).toEqual({
      _tag: "Done",
      outcome: {
        _tag: "TransportFailure",
        reason: "OutcomeUnknown",
        message:
          `certificates: sent, but no answer came (Transport): proxy said: <redacted>; ${Transport.OUTCOME_UNKNOWN}`,
        cause: { name: "Error", message: "proxy said: <redacted>" }
      }
    })
  })

  it("a 3xx: done, an ApiError HTTP_REDIRECT, never followed (signed or not, verified or not)", () => {
    for (const options of [verifying, notVerifying]) {
      const classified = Attempt.classify(
        received(302, "", { location: "https://elsewhere/", ...SIGNED }),
        request,
        options
      )
      expect(classified._tag === "Done" && classified.outcome).toMatchObject({
        _tag: "ApiError",
        code: "HTTP_REDIRECT",
        status: 302
      })
    }
  })

  it("an error answer without any signature header (a gateway's): done, its typed error, secrets scrubbed", () => {
    const body = JSON.stringify({ code: "SYSTEM_ERROR", message: `echo ${AUTHORIZATION}` })
    const classified = Attempt.classify(received(500, body, { "request-id": "RID" }), request, verifying)
    expect(classified).toEqual({
      _tag: "Done",
      outcome: { _tag: "SystemError", status: 500, code: "SYSTEM_ERROR", message: "echo <redacted>", requestId: "RID" }
    })
  })

  it("an error answer with a signature header: to be verified first (its error only counts once it holds)", () => {
    const answer = received(404, `{"code":"NOT_FOUND","message":"x"}`, { "wechatpay-nonce": "n" })
    expect(Attempt.classify(answer, request, verifying)).toEqual({
      _tag: "Verify",
      received: answer,
      body: answer.body.text
    })
  })

  it("verify: false: an error answer is its typed error even when signed", () => {
    const classified = Attempt.classify(
      received(404, `{"code":"NOT_FOUND","message":"x"}`, SIGNED),
      request,
      notVerifying
    )
    expect(classified._tag === "Done" && classified.outcome._tag).toBe("NotFound")
  })

  it("a 2xx whose body is not UTF-8: BadSignature with the serial, whether verified or not (no text to trust)", () => {
    const lossy = { text: "{\uFFFD}", exact: false }
    for (const options of [verifying, notVerifying]) {
      expect(Attempt.classify(received(200, lossy, SIGNED), request, options)).toEqual({
        _tag: "Done",
        outcome: { _tag: "VerificationProblem", reason: "BadSignature", serial: "PUB_KEY_ID_1" }
      })
    }
    expect(Attempt.classify(received(200, lossy), request, verifying)).toEqual({
      _tag: "Done",
      outcome: { _tag: "VerificationProblem", reason: "BadSignature" }
    })
    // a signed error answer that is not UTF-8 never verifies either
    const error = Attempt.classify(received(500, lossy, SIGNED), request, verifying)
    expect(error._tag === "Done" && error.outcome._tag).toBe("VerificationProblem")
  })

  it("a 2xx, verify: false: the answer as it is; verified: to be verified over its exact text", () => {
    const answer = received(200, "\uFEFF{}", { "request-id": "RID" })
    expect(Attempt.classify(answer, request, notVerifying)).toEqual({
      _tag: "Done",
      outcome: { _tag: "Answer", status: 200, headers: { "request-id": "RID" }, body: "\uFEFF{}", requestId: "RID" }
    })
    expect(Attempt.classify(answer, request, verifying)).toEqual({ _tag: "Verify", received: answer, body: "\uFEFF{}" })
    const unsigned204 = received(204, "")
    expect(Attempt.classify(unsigned204, request, verifying)._tag).toBe("Verify")
  })
})

describe("conclude", () => {
  it("a verification problem is the outcome", () => {
    const problem = { _tag: "VerificationProblem", reason: "ClockSkew", serial: "S" } as const
    expect(Attempt.conclude(received(200, "{}"), request, problem)).toBe(problem)
  })

  it("it holds: a 2xx is the answer (any 2xx), a signed error answer its typed error, secrets scrubbed", () => {
    expect(Attempt.conclude(received(204, "", { "request-id": "R" }), request, undefined)).toEqual({
      _tag: "Answer",
      status: 204,
      headers: { "request-id": "R" },
      body: "",
      requestId: "R"
    })
    const body = JSON.stringify({ code: "SIGN_ERROR", message: `bad: ${SIGNATURE}` })
    const concluded = Attempt.conclude(received(401, body, { "request-id": "R" }), request, undefined)
    expect(concluded).toMatchObject({ _tag: "SignError", status: 401, code: "SIGN_ERROR", requestId: "R" })
    expect(concluded._tag === "SignError" && concluded.message.startsWith("bad: <redacted> (likely local causes")).toBe(
      true
    )
  })
})
