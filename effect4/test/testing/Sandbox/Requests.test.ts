/**
 * The Effect 4 sandbox over real HTTP on loopback: the library's `WechatPay.layer` through
 * `FetchHttpClient.layer`, and hand-built requests (node:http, which, unlike fetch, sends no
 * default `Accept` or `User-Agent`) for what the library never sends. The same behaviours as the
 * Effect 3 line's test/testing/Sandbox.test.ts: both lines wrap one engine (src/testing/engine).
 */
import { describe, expect, it } from "@effect/vitest"
import { DateTime, Effect, Exit, Layer, Result, Scope } from "effect"
import { FetchHttpClient } from "effect/http"
import { SIGN_ERROR_HINT } from "../../../../src/core/apiError.js"
import { PayScorePermissions, Signer, WechatPay } from "../../../src/index.js"
import { Fixtures, Sandbox } from "../../../src/testing/index.js"
import { authorize, BASE_HEADERS, raw, sandboxLayer as baseLayer, signedGet } from "../../helpers/sandbox.js"

const CODE = "1234323JKHDFE1243252"
const OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"
const SERVICE_ID = "500001"
const APPID = "wxd678efh567hg6787"
const SUB_MCHID = "1900000109"
const CHANNEL_ID = "7000000001"
const TIME = "2015-05-20T13:29:35+08:00"

const STATES = [
  ["AVAILABLE", "Available"],
  ["UNAVAILABLE", "Unavailable"],
  ["UNBINDUSER", "UnbindUser"],
  ["PAUSED_BY_SOMETHING_NEW", "UnknownState"]
] as const

/** The sandbox and the library pointed at it, over fetch; one attempt, a timeout loose enough for a loaded CI machine. */
const sandboxLayer = (options: Sandbox.LayerOptions = {}) => baseLayer({ faultDelay: "6 seconds", ...options })

const permissions = PayScorePermissions.PayScorePermissions

const merchantQuery = { authorization_code: CODE, service_id: SERVICE_ID }

const seedMerchant = (state = "AVAILABLE") =>
  Effect.flatMap(Effect.service(Sandbox.Sandbox), (sandbox) =>
    sandbox.seed(
      Sandbox.Seed.Merchant({ ...merchantQuery, record: { authorization_state: state, openid: OPENID } })
    ))

const queryMerchant = Effect.flatMap(Effect.service(permissions), (p) => p.queryByAuthorizationCode(merchantQuery))

const lastRequest = Effect.flatMap(Effect.service(Sandbox.Sandbox), (sandbox) => sandbox.requests).pipe(
  Effect.map((requests) => requests[requests.length - 1]!)
)

describe("Sandbox: the four queries", () => {
  it.live("merchant by authorization_code: every state, with the seeded fields", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.Sandbox
      for (const [state, tag] of STATES) {
        yield* sandbox.seed(Sandbox.Seed.Merchant({
          ...merchantQuery,
          record: {
            authorization_state: state,
            openid: OPENID,
            authorization_success_time: TIME,
            notify_url: "https://example.com/notify",
            user_risk_level: 3,
            risk_level_version: 2
          }
        }))
        const record = yield* queryMerchant
        expect(record._tag).toBe(tag)
        expect(record.authorization_state).toBe(state)
        expect(record.authorization_code).toBe(CODE)
        expect(record.service_id).toBe(SERVICE_ID)
        expect(record.mchid).toBe(Fixtures.mchid)
        expect(record.appid).toBe(Sandbox.defaultAppid)
        expect(record.openid).toBe(OPENID)
        expect(record.user_risk_level).toBe(3)
        expect(record.risk_level_version).toBe(2)
        expect(record.authorization_success_time && DateTime.toEpochMillis(record.authorization_success_time)).toBe(
          Date.UTC(2015, 4, 20, 5, 29, 35)
        )
      }
      const request = yield* lastRequest
      expect(request.method).toBe("GET")
      expect(request.url).toBe(`/v3/payscore/permissions/authorization-code/${CODE}?service_id=${SERVICE_ID}`)
      expect(request.status).toBe(200)
      expect(request.fault).toBeUndefined()
      expect(request.requestId).toMatch(/^[0-9A-F]{64}$/)
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("partner by authorization_code: every state, keyed by sub_mchid", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.Sandbox
      const p = yield* permissions
      const query = { authorization_code: CODE, service_id: SERVICE_ID, sub_mchid: SUB_MCHID }
      for (const [state, tag] of STATES) {
        yield* sandbox.seed(Sandbox.Seed.Partner({
          ...query,
          record: { authorization_state: state, sub_appid: "wx_sub", sub_openid: "o_sub" }
        }))
        const record = yield* p.queryPartnerByAuthorizationCode(query)
        expect(record._tag).toBe(tag)
        expect(record.sub_mchid).toBe(SUB_MCHID)
        expect(record.authorization_code).toBe(CODE)
        expect(record.sub_openid).toBe("o_sub")
      }
      const other = yield* Effect.result(p.queryPartnerByAuthorizationCode({ ...query, sub_mchid: "1900000110" }))
      expect(Result.isFailure(other) && other.failure._tag).toBe("NotFound")
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("acquiring bank by authorization_code: every state, keyed by channel_id and sub_mchid", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.Sandbox
      const p = yield* permissions
      const query = { authorization_code: CODE, service_id: SERVICE_ID, channel_id: CHANNEL_ID, sub_mchid: SUB_MCHID }
      for (const [state, tag] of STATES) {
        yield* sandbox.seed(Sandbox.Seed.AcquiringBank({ ...query, record: { authorization_state: state } }))
        const record = yield* p.queryAcquiringBankByAuthorizationCode(query)
        expect(record._tag).toBe(tag)
        expect(record.channel_id).toBe(CHANNEL_ID)
        expect(record.sub_mchid).toBe(SUB_MCHID)
      }
      const other = yield* Effect.result(
        p.queryAcquiringBankByAuthorizationCode({ ...query, channel_id: "7000000002" })
      )
      expect(Result.isFailure(other) && other.failure._tag).toBe("NotFound")
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("merchant by openid: every state, keyed by appid; the answer's appid may differ", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.Sandbox
      const p = yield* permissions
      const query = { openid: OPENID, service_id: SERVICE_ID, appid: APPID }
      for (const [state, tag] of STATES) {
        yield* sandbox.seed(Sandbox.Seed.Openid({
          ...query,
          record: { authorization_state: state, authorization_code: CODE, cancel_authorization_time: TIME }
        }))
        const record = yield* p.queryByOpenid(query)
        expect(record._tag).toBe(tag)
        expect(record.openid).toBe(OPENID)
        expect(record.appid).toBe(APPID)
        expect(record.authorization_code).toBe(CODE)
      }
      yield* sandbox.seed(Sandbox.Seed.Openid({
        ...query,
        record: { authorization_state: "AVAILABLE", appid: "wx_last_authorized" }
      }))
      expect((yield* p.queryByOpenid(query)).appid).toBe("wx_last_authorized")
      const other = yield* Effect.result(p.queryByOpenid({ ...query, appid: "wx0000000000000000" }))
      expect(Result.isFailure(other) && other.failure._tag).toBe("NotFound")
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("404 NOT_FOUND on every endpoint when nothing is seeded, signed, with a Request-ID", () =>
    Effect.gen(function*() {
      const p = yield* permissions
      const results = yield* Effect.all([
        Effect.flip(p.queryByAuthorizationCode(merchantQuery)),
        Effect.flip(p.queryPartnerByAuthorizationCode({ ...merchantQuery, sub_mchid: SUB_MCHID })),
        Effect.flip(
          p.queryAcquiringBankByAuthorizationCode({ ...merchantQuery, channel_id: CHANNEL_ID, sub_mchid: SUB_MCHID })
        ),
        Effect.flip(p.queryByOpenid({ openid: OPENID, service_id: SERVICE_ID, appid: APPID }))
      ])
      const requests = yield* Effect.flatMap(Effect.service(Sandbox.Sandbox), (s) => s.requests)
      expect(requests).toHaveLength(4)
      results.forEach((error, i) => {
        expect(error._tag).toBe("NotFound")
        if (error._tag !== "NotFound") return
        expect(error.status).toBe(404)
        expect(error.code).toBe("NOT_FOUND")
        expect(error.requestId).toBe(requests[i]!.requestId)
        expect(requests[i]!.answer?.headers["wechatpay-signature"]).toBeDefined()
      })
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("seeds given as options, seedMany, clear; a record may drop a required field (DecodeError)", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.Sandbox
      expect((yield* queryMerchant)._tag).toBe("Unavailable")
      yield* sandbox.clear
      expect((yield* Effect.flip(queryMerchant))._tag).toBe("NotFound")
      yield* sandbox.seedMany([
        Sandbox.Seed.Merchant({ ...merchantQuery, record: { authorization_state: "UNBINDUSER", appid: undefined } })
      ])
      expect((yield* Effect.flip(queryMerchant))._tag).toBe("DecodeError")
    }).pipe(Effect.provide(sandboxLayer({
      records: [Sandbox.Seed.Merchant({ ...merchantQuery, record: { authorization_state: "UNAVAILABLE" } })]
    }))))

  it.live("signs with the key Wechatpay-Serial names: public key id, a certificate serial, else the certificate in use", () =>
    Effect.gen(function*() {
      yield* seedMerchant()
      const path = `/v3/payscore/permissions/authorization-code/${CODE}?service_id=${SERVICE_ID}`
      const byId = yield* signedGet(path, { "wechatpay-serial": Fixtures.wechatpayPublicKeyId })
      expect(byId.status).toBe(200)
      expect(byId.headers["wechatpay-serial"]).toBe(Fixtures.wechatpayPublicKeyId)
      const byCertificate = yield* signedGet(path, { "wechatpay-serial": Fixtures.platformSerialNo1 })
      expect(byCertificate.headers["wechatpay-serial"]).toBe(Fixtures.platformSerialNo1)
      // an account holding both (the certificate → public key switch): a request naming no key, or
      // one it does not have, is answered under the platform certificate (/doc/v3/merchant/4012154180)
      const none = yield* signedGet(path)
      expect(none.headers["wechatpay-serial"]).toBe(Fixtures.platformSerialNo1)
      const unknown = yield* signedGet(path, { "wechatpay-serial": "0123456789ABCDEF" })
      expect(unknown.headers["wechatpay-serial"]).toBe(Fixtures.platformSerialNo1)
      expect(none.headers["request-id"]).toMatch(/^[0-9A-F]{64}$/)
      // and the library verifies an answer signed with a certificate
      const signer = yield* Signer.Signer
      yield* signer.verify({
        headers: byCertificate.headers as Record<string, string>,
        body: byCertificate.body
      })
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("certificate mode: a client without the public key asks for, and verifies, certificate signatures", () =>
    Effect.gen(function*() {
      yield* seedMerchant()
      expect((yield* queryMerchant)._tag).toBe("Available")
      const request = yield* lastRequest
      expect(request.headers["wechatpay-serial"]).toBe(Fixtures.platformSerialNo1)
      expect(request.answer?.headers["wechatpay-serial"]).toBe(Fixtures.platformSerialNo1)
    }).pipe(Effect.provide(sandboxLayer({ client: { wechatpayPublicKey: undefined } }))))

  it.live("a sandbox without a public key signs with its newest certificate (the first on a tie)", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.Sandbox
      expect(sandbox.wechatPayOptions.wechatpayPublicKey).toBeUndefined()
      yield* seedMerchant()
      expect((yield* queryMerchant)._tag).toBe("Available")
      expect((yield* lastRequest).answer?.headers["wechatpay-serial"]).toBe(Fixtures.platformSerialNo1)
      const none = yield* signedGet(`/v3/payscore/permissions/authorization-code/${CODE}?service_id=${SERVICE_ID}`)
      expect(none.headers["wechatpay-serial"]).toBe(Fixtures.platformSerialNo1)
      const second = yield* signedGet(
        `/v3/payscore/permissions/authorization-code/${CODE}?service_id=${SERVICE_ID}`,
        { "wechatpay-serial": Fixtures.platformSerialNo2 }
      )
      expect(second.headers["wechatpay-serial"]).toBe(Fixtures.platformSerialNo2)
    }).pipe(Effect.provide(sandboxLayer({ wechatpayPublicKey: false }))))
})

describe("Sandbox: request checks", () => {
  it.live("a signature from another merchant key: SignError with detail.sign_information", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(queryMerchant)
      expect(error._tag).toBe("SignError")
      if (error._tag !== "SignError") return
      expect(error.status).toBe(401)
      expect(error.code).toBe("SIGN_ERROR")
      expect(error.message).toBe("错误的签名，验签失败" + SIGN_ERROR_HINT)
      expect(error.requestId).toMatch(/^[0-9A-F]{64}$/)
      const url = `/v3/payscore/permissions/authorization-code/${CODE}?service_id=${SERVICE_ID}`
      const detail = error.detail as {
        readonly field: string
        readonly sign_information: {
          readonly method: string
          readonly url: string
          readonly sign_message_length: number
          readonly truncated_sign_message: string
        }
      }
      expect(detail.field).toBe("signature")
      const info = detail.sign_information
      expect(info.method).toBe("GET")
      expect(info.url).toBe(url)
      expect(info.truncated_sign_message).toMatch(
        new RegExp(`^GET\\n${url.replace(/\?/, "\\?")}\\n\\d+\\n[0-9A-Z]{32}\\n\\n$`)
      )
      expect(info.sign_message_length).toBe(Buffer.byteLength(info.truncated_sign_message))
    }).pipe(Effect.provide(sandboxLayer({ client: { merchantPrivateKey: Fixtures.strangerPrivateKey } }))))

  it.live("another mchid, another merchant serial: 401 SIGN_ERROR", () =>
    Effect.gen(function*() {
      const otherMchid = yield* Effect.flip(queryMerchant).pipe(
        Effect.provide(
          WechatPay.layer(Sandbox.wechatPayOptions(yield* Sandbox.Sandbox, { mchid: "1900000002", retries: 0 })).pipe(
            Layer.provide(FetchHttpClient.layer)
          )
        )
      )
      expect(otherMchid._tag).toBe("SignError")
      expect(otherMchid.message).toContain("1900000002")
      const otherSerial = yield* Effect.flip(queryMerchant).pipe(
        Effect.provide(
          WechatPay.layer(
            Sandbox.wechatPayOptions(yield* Sandbox.Sandbox, { merchantSerialNo: "ABCDEF0123456789", retries: 0 })
          ).pipe(Layer.provide(FetchHttpClient.layer))
        )
      )
      expect(otherSerial._tag).toBe("SignError")
      expect(otherSerial.message).toBe("商户证书序列号有误。" + SIGN_ERROR_HINT)
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("a timestamp more than 5 minutes off: 401 SIGN_ERROR (by hand)", () =>
    Effect.gen(function*() {
      yield* seedMerchant()
      const path = `/v3/payscore/permissions/authorization-code/${CODE}?service_id=${SERVICE_ID}`
      for (const offset of [-301, 301]) {
        const authorization = yield* authorize(path, { timestamp: Math.floor(Date.now() / 1000) + offset })
        const answer = yield* raw(path, { ...BASE_HEADERS, authorization })
        expect(answer.status).toBe(401)
        expect(answer.json.code).toBe("SIGN_ERROR")
        expect(answer.json.message).toContain("timestamp")
        expect(answer.headers["wechatpay-signature"]).toBeDefined()
      }
      const authorization = yield* authorize(path, { timestamp: Math.floor(Date.now() / 1000) - 240 })
      expect((yield* raw(path, { ...BASE_HEADERS, authorization })).status).toBe(200)
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("no Accept, no User-Agent: 400 INVALID_REQUEST (by hand)", () =>
    Effect.gen(function*() {
      yield* seedMerchant()
      const path = `/v3/payscore/permissions/authorization-code/${CODE}?service_id=${SERVICE_ID}`
      const authorization = yield* authorize(path)
      for (const headers of [{ "user-agent": "sandbox-test/1.0" }, { accept: "application/json" }, {}]) {
        const answer = yield* raw(path, { ...headers, authorization })
        expect(answer.status).toBe(400)
        expect(answer.json.code).toBe("INVALID_REQUEST")
        expect(answer.headers["request-id"]).toBeDefined()
      }
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("no Authorization, another scheme, a malformed one: 401 SIGN_ERROR (by hand)", () =>
    Effect.gen(function*() {
      const path = `/v3/payscore/permissions/authorization-code/${CODE}?service_id=${SERVICE_ID}`
      const good = yield* authorize(path)
      for (
        const authorization of [
          undefined,
          good.replace("WECHATPAY2-SHA256-RSA2048", "WECHATPAY2-SM2-WITH-SM3"),
          good.replace(/,signature="[^"]*"/, "")
        ]
      ) {
        const answer = yield* raw(path, { ...BASE_HEADERS, ...(authorization === undefined ? {} : { authorization }) })
        expect(answer.status).toBe(401)
        expect(answer.json.code).toBe("SIGN_ERROR")
      }
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("missing, empty, repeated or too long parameters: 400 PARAM_ERROR (by hand)", () =>
    Effect.gen(function*() {
      const cases: ReadonlyArray<readonly [string, string]> = [
        [`/v3/payscore/permissions/authorization-code/${CODE}`, "service_id"],
        [`/v3/payscore/permissions/authorization-code/${CODE}?service_id=`, "service_id"],
        [`/v3/payscore/permissions/authorization-code/${CODE}?service_id=${"1".repeat(33)}`, "service_id"],
        [`/v3/payscore/permissions/authorization-code/${CODE}?service_id=1&service_id=2`, "service_id"],
        [
          `/v3/payscore/permissions/authorization-code/${"A".repeat(33)}?service_id=${SERVICE_ID}`,
          "authorization_code"
        ],
        [`/v3/payscore/permissions/authorization-code/?service_id=${SERVICE_ID}`, "authorization_code"],
        [`/v3/payscore/partner/permissions/authorization-code/${CODE}?service_id=${SERVICE_ID}`, "sub_mchid"],
        [
          `/v3/payscore/acquiringbank/permissions/authorization-code/${CODE}?service_id=${SERVICE_ID}&sub_mchid=1`,
          "channel_id"
        ],
        [`/v3/payscore/permissions/openid/${"o".repeat(129)}?service_id=${SERVICE_ID}&appid=${APPID}`, "openid"],
        [`/v3/payscore/permissions/openid/${OPENID}?service_id=${SERVICE_ID}`, "appid"]
      ]
      for (const [path, field] of cases) {
        const answer = yield* signedGet(path)
        expect(answer.status, path).toBe(400)
        expect(answer.json.code).toBe("PARAM_ERROR")
        expect((answer.json.detail as { readonly field: string }).field).toBe(field)
      }
      const unknown = yield* signedGet("/v3/payscore/nothing-here")
      expect([unknown.status, unknown.json.code]).toEqual([404, "NOT_FOUND"])
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("signatures cover the URL exactly as received: percent-encoded path parameters", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.Sandbox
      // a documented character (|) that percent-encodes
      const code = "A|B*C-1"
      yield* sandbox.seed(Sandbox.Seed.Merchant({
        authorization_code: code,
        service_id: SERVICE_ID,
        record: { authorization_state: "AVAILABLE" }
      }))
      const path = `/v3/payscore/permissions/authorization-code/${encodeURIComponent(code)}?service_id=${SERVICE_ID}`
      const answer = yield* signedGet(path)
      expect(answer.status).toBe(200)
      expect(JSON.parse(answer.body).authorization_code).toBe(code)
      // signed over the decoded form instead: refused
      const authorization = yield* authorize(path.replace("%7C", "|"))
      const refused = yield* raw(path, { ...BASE_HEADERS, authorization })
      expect(refused.status).toBe(401)
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("the log keeps method, url, headers (signature redacted), body, status and fault", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.Sandbox
      yield* seedMerchant()
      yield* queryMerchant
      const [request] = yield* sandbox.requests
      expect(request!.headers["authorization"]).toMatch(
        new RegExp(`^WECHATPAY2-SHA256-RSA2048 mchid="${Fixtures.mchid}",.*signature="<redacted>"`)
      )
      expect(request!.headers["accept"]).toBe("application/json")
      expect(request!.headers["user-agent"]).toMatch(/^effect-wechatpay\//)
      expect(request!.headers["wechatpay-serial"]).toBe(Fixtures.wechatpayPublicKeyId)
      expect(request!.body).toBe("")
      expect(request!.status).toBe(200)
      expect(request!.code).toBeUndefined()
      yield* sandbox.clearRequests
      expect(yield* sandbox.requests).toHaveLength(0)
    }).pipe(Effect.provide(sandboxLayer())))
})

describe("Sandbox: faults", () => {
  const faultCases: ReadonlyArray<
    readonly [name: string, fault: Sandbox.Fault, check: (error: PayScorePermissions.QueryError) => void]
  > = [
    ["429", Sandbox.Fault.Status({ status: 429 }), (e) => {
      expect(e).toMatchObject({ _tag: "FrequencyLimited", status: 429, code: "FREQUENCY_LIMITED" })
    }],
    ["500", Sandbox.Fault.Status({ status: 500 }), (e) => {
      expect(e).toMatchObject({ _tag: "SystemError", status: 500, code: "SYSTEM_ERROR" })
    }],
    ["503", Sandbox.Fault.Status({ status: 503 }), (e) => {
      expect(e).toMatchObject({ _tag: "SystemError", status: 503, code: "SERVICE_UNAVAILABLE" })
    }],
    ["403 NO_AUTH, unsigned", Sandbox.Fault.Status({ status: 403, signed: false }), (e) => {
      expect(e).toMatchObject({ _tag: "NoAuth", status: 403, code: "NO_AUTH" })
    }],
    ["HTML 502", Sandbox.Fault.GatewayHtml({}), (e) => {
      expect(e).toMatchObject({ _tag: "SystemError", status: 502, code: "HTTP_502" })
    }],
    ["delay past the timeout", Sandbox.Fault.Delay({ duration: "6 seconds" }), (e) => {
      expect(e._tag).toBe("TransportError")
      expect(e.message).toContain("timeout")
    }],
    ["connection reset", Sandbox.Fault.ConnectionReset(), (e) => {
      expect(e._tag).toBe("TransportError")
    }],
    ["tampered body", Sandbox.Fault.TamperedBody({}), (e) => {
      expect(e).toMatchObject({ _tag: "VerificationError", reason: "BadSignature" })
    }],
    ["wrong key", Sandbox.Fault.WrongKey({}), (e) => {
      expect(e).toMatchObject({
        _tag: "VerificationError",
        reason: "BadSignature",
        serial: Fixtures.wechatpayPublicKeyId
      })
    }],
    ["SIGNTEST probe", Sandbox.Fault.SignTest(), (e) => {
      expect(e).toMatchObject({ _tag: "VerificationError", reason: "BadSignature" })
    }],
    ["clock skew", Sandbox.Fault.ClockSkew({}), (e) => {
      expect(e).toMatchObject({ _tag: "VerificationError", reason: "ClockSkew" })
    }],
    ["missing header", Sandbox.Fault.MissingHeader({}), (e) => {
      expect(e).toMatchObject({ _tag: "VerificationError", reason: "MissingHeaders" })
    }],
    ["missing serial header", Sandbox.Fault.MissingHeader({ header: "Wechatpay-Serial" }), (e) => {
      expect(e).toMatchObject({ _tag: "VerificationError", reason: "MissingHeaders" })
    }]
  ]

  for (const [name, fault, check] of faultCases) {
    it.live(`${name} → ${fault._tag}, logged; the next request is answered normally`, () =>
      Effect.gen(function*() {
        const sandbox = yield* Sandbox.Sandbox
        yield* seedMerchant()
        yield* sandbox.injectFault(fault)
        expect(yield* sandbox.pendingFaults).toEqual([{ fault, remaining: 1 }])
        check(yield* Effect.flip(queryMerchant))
        expect(yield* sandbox.pendingFaults).toEqual([])
        expect((yield* queryMerchant)._tag).toBe("Available")
        const [faulty, normal] = yield* sandbox.requests
        expect(faulty!.fault).toEqual(fault)
        expect(normal!.fault).toBeUndefined()
        expect(normal!.status).toBe(200)
      }).pipe(Effect.provide(sandboxLayer())))
  }

  it.live("the SIGNTEST signature starts with WECHATPAY/SIGNTEST/; the HTML 502 has no signature", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.Sandbox
      yield* sandbox.injectFault(Sandbox.Fault.SignTest())
      yield* sandbox.injectFault(Sandbox.Fault.GatewayHtml({}))
      yield* sandbox.injectFault(Sandbox.Fault.ConnectionReset())
      yield* Effect.flip(queryMerchant)
      yield* Effect.flip(queryMerchant)
      yield* Effect.flip(queryMerchant)
      const [probe, html, reset] = yield* sandbox.requests
      expect(probe!.answer?.headers["wechatpay-signature"]).toMatch(/^WECHATPAY\/SIGNTEST\//)
      expect(html!.status).toBe(502)
      expect(html!.answer?.headers["content-type"]).toBe("text/html")
      expect(html!.answer?.headers["wechatpay-signature"]).toBeUndefined()
      expect(html!.answer?.body).toContain("502 Bad Gateway")
      expect(reset!.status).toBeUndefined()
      expect(reset!.answer).toBeUndefined()
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("a fault for the next 2 requests, retries 2: success on the third attempt, re-signed each time", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.Sandbox
      yield* seedMerchant()
      yield* sandbox.injectFault(Sandbox.Fault.Status({ status: 500 }), { times: 2 })
      expect((yield* queryMerchant)._tag).toBe("Available")
      const requests = yield* sandbox.requests
      expect(requests.map((r) => r.status)).toEqual([500, 500, 200])
      const nonces = requests.map((r) => /nonce_str="([^"]+)"/.exec(r.headers["authorization"]!)![1])
      expect(new Set(nonces).size).toBe(3)
    }).pipe(Effect.provide(sandboxLayer({ client: { retries: 2, retryBaseDelay: "10 millis" } }))))

  it.live("a 429 for the next 3 requests with retries 2: FrequencyLimited once the budget is spent", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.Sandbox
      yield* seedMerchant()
      yield* sandbox.injectFault(Sandbox.Fault.Status({ status: 429 }), { times: 3 })
      expect((yield* Effect.flip(queryMerchant))._tag).toBe("FrequencyLimited")
      expect(yield* sandbox.requests).toHaveLength(3)
      expect((yield* queryMerchant)._tag).toBe("Available")
    }).pipe(Effect.provide(sandboxLayer({ client: { retries: 2, retryBaseDelay: "10 millis" } }))))

  it.live("faults queue up in order; clearFaults and reset drop them", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.Sandbox
      yield* seedMerchant()
      yield* sandbox.injectFault(Sandbox.Fault.Status({ status: 503 }))
      yield* sandbox.injectFault(Sandbox.Fault.Status({ status: 429 }), { times: Infinity })
      expect((yield* Effect.flip(queryMerchant))._tag).toBe("SystemError")
      expect((yield* Effect.flip(queryMerchant))._tag).toBe("FrequencyLimited")
      expect((yield* Effect.flip(queryMerchant))._tag).toBe("FrequencyLimited")
      yield* sandbox.clearFaults
      expect((yield* queryMerchant)._tag).toBe("Available")
      yield* sandbox.injectFault(Sandbox.Fault.Status({ status: 500 }))
      yield* sandbox.reset
      expect(yield* sandbox.requests).toHaveLength(0)
      expect((yield* Effect.flip(queryMerchant))._tag).toBe("NotFound")
      const bad = yield* Effect.exit(sandbox.injectFault(Sandbox.Fault.SignTest(), { times: 0 }))
      expect(Exit.isFailure(bad)).toBe(true)
    }).pipe(Effect.provide(sandboxLayer())))
})

describe("Sandbox: lifecycle and options", () => {
  it.live("binds 127.0.0.1 and stops with its scope: no connection afterwards", () =>
    Effect.gen(function*() {
      const scope = yield* Scope.make()
      const sandbox = yield* Sandbox.make().pipe(Scope.provide(scope))
      expect(sandbox.baseUrl).toBe(`http://127.0.0.1:${sandbox.port}`)
      // a kept-alive connection must not keep the server open
      const before = yield* Effect.promise(() => fetch(`${sandbox.baseUrl}/v3/x`).then((r) => r.status))
      expect(before).toBe(401)
      yield* Scope.close(scope, Exit.void)
      const after = yield* Effect.promise(() =>
        fetch(`${sandbox.baseUrl}/v3/x`).then(
          () => "connected",
          (error: Error) => String((error.cause as { readonly code?: string } | undefined)?.code ?? error.message)
        )
      )
      expect(after).toBe("ECONNREFUSED")
    }))

  it.live("a pending Delay fault does not hold the scope open", () =>
    Effect.gen(function*() {
      const started = Date.now()
      yield* Effect.gen(function*() {
        const sandbox = yield* Sandbox.Sandbox
        yield* sandbox.injectFault(Sandbox.Fault.Delay({}))
        expect((yield* Effect.flip(queryMerchant))._tag).toBe("TransportError")
      }).pipe(Effect.provide(sandboxLayer({ faultDelay: "30 seconds" })))
      expect(Date.now() - started).toBeLessThan(20_000)
    }))

  it.live("InvalidConfig when a private key does not match its public key or certificate", () =>
    Effect.gen(function*() {
      const publicKey = yield* Effect.flip(Effect.scoped(Sandbox.make({
        wechatpayPublicKey: {
          id: Fixtures.wechatpayPublicKeyId,
          privateKey: Fixtures.strangerPrivateKey,
          pem: Fixtures.wechatpayPublicKey
        }
      })))
      expect(publicKey).toMatchObject({ _tag: "InvalidConfig", option: "wechatpayPublicKey.pem" })
      const certificate = yield* Effect.flip(Effect.scoped(Sandbox.make({
        platformCertificates: [{ certificate: Fixtures.platformCertificate1, privateKey: Fixtures.platformPrivateKey2 }]
      })))
      expect(certificate).toMatchObject({ _tag: "InvalidConfig", option: "platformCertificates[0].privateKey" })
      const neither = yield* Effect.flip(
        Effect.scoped(Sandbox.make({ wechatpayPublicKey: false, platformCertificates: [] }))
      )
      expect(neither).toMatchObject({ _tag: "InvalidConfig", option: "wechatpayPublicKey" })
    }))

  it.live("other keys: a merchant given by its private key alone, a public key derived from its private key", () =>
    Effect.gen(function*() {
      yield* seedMerchant()
      expect((yield* queryMerchant)._tag).toBe("Available")
      const sandbox = yield* Sandbox.Sandbox
      expect(sandbox.wechatPayOptions.mchid).toBe("1230000109")
      expect(sandbox.wechatPayOptions.wechatpayPublicKey?.id).toBe("PUB_KEY_ID_TEST")
      expect(sandbox.wechatPayOptions.wechatpayPublicKey?.pem).toMatch(/^-----BEGIN PUBLIC KEY-----/)
    }).pipe(Effect.provide(sandboxLayer({
      mchid: "1230000109",
      merchantSerialNo: "0123456789ABCDEF",
      merchantPrivateKey: Fixtures.strangerPrivateKey,
      wechatpayPublicKey: { id: "PUB_KEY_ID_TEST", privateKey: Fixtures.platformPrivateKey2 },
      platformCertificates: []
    }))))
})
