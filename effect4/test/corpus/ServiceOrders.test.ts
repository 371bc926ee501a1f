/**
 * The service-order corpus (test/fixtures/wechatpay/serviceorder, every sample naming its public
 * source) through the Effect 4 line, as WeChat Pay would deliver it (the same checks as the Effect 3
 * line's test/corpus/ServiceOrders.test.ts, through the Effect 4 methods, decoders and `parse`):
 *
 * - every request sample sent through its method: the method, path, query and body fields on the
 *   wire are the documented ones (a path parameter never in the body); the published examples that
 *   break their own page's rules are refused with `InvalidInput` naming the field, nothing sent, and
 *   sent once fixed;
 * - every answer sample served signed (FakeWechatPay, the WeChat Pay public key) to its method and
 *   decoded field by field (times as the same instant, amounts as numbers, nested objects kept);
 * - every notification resource encrypted with the APIv3 key, signed, and read by `parse` into
 *   `UserConfirm` / `UserPaid`, field by field; every envelope's own fields (id, summary,
 *   create_time, associated_data, original_type) carried through `parse` around a resource of its
 *   event; the production envelope (whose key is not ours) is a `DecryptionError`, not a crash;
 * - every error sample, and every error each declaration documents, mapped to its typed error.
 *
 * Where sources disagree the wire may send either, and both decode: CREATED or DOING after a
 * partner's or bank's create (SKIT's answers say CREATED), `total_amount` as a number or as the
 * string `"40000"` (SKIT's notification samples), states no page documents (`FINISHED`).
 */
import { describe, expect, it } from "@effect/vitest"
import { DateTime, Effect } from "effect"
import { TestClock } from "effect/testing"
import * as Aead from "../../../src/core/aead.js"
import { tagOf } from "../../../src/core/apiError.js"
import * as Bytes from "../../../src/core/bytes.js"
import * as Endpoint from "../../../src/core/endpoint.js"
import * as Permissions from "../../../src/core/endpoints/permissions.js"
import * as ServiceOrders from "../../../src/core/endpoints/serviceOrders.js"
import * as CoreNotification from "../../../src/core/notification.js"
import { type CorpusSample, loadCorpus } from "../../../test/fixtures/wechatpay/corpus.js"
import {
  Notification,
  PayScoreNotifications,
  PayScorePermissions,
  PayScoreServiceOrders,
  WechatPayTime
} from "../../src/index.js"
import { FakeWechatPay, Fixtures } from "../../src/testing/index.js"
import { makeFake } from "../helpers/merchant.js"
import { notificationsLayer } from "../helpers/notifications.js"

type Json = Record<string, unknown>

const isServiceOrderSample = (s: CorpusSample) => s.file.startsWith("serviceorder/")
const requestSamples = loadCorpus("request").filter(isServiceOrderSample)
const answerSamples = loadCorpus("answer").filter(isServiceOrderSample)
const resourceSamples = loadCorpus("notification-resource").filter(isServiceOrderSample)
const envelopeSamples = loadCorpus("notification-envelope").filter(isServiceOrderSample)
const errorSamples = loadCorpus("error").filter(isServiceOrderSample)

const ENDPOINTS = [...ServiceOrders.all, Permissions.assessPartnerUserRiskLevel] as unknown as ReadonlyArray<
  Endpoint.Endpoint<Json>
>
const endpointNamed = (name: string): Endpoint.Endpoint<Json> => {
  const found = ENDPOINTS.find((e) => e.name === name)
  if (found === undefined) throw new Error(`no declaration named ${name}`)
  return found
}

type Method = (params: unknown) => Effect.Effect<unknown, { readonly _tag: string }>

/** The library method of an endpoint, from the services `WechatPay.layer` provides. */
const methodOf = (name: string) =>
  Effect.gen(function*() {
    const service: object = name === "assessPartnerUserRiskLevel"
      ? yield* PayScorePermissions.PayScorePermissions
      : yield* PayScoreServiceOrders.PayScoreServiceOrders
    const method = (service as Record<string, Method | undefined>)[name]
    if (method === undefined) throw new Error(`no method ${name}`)
    return method
  })

/**
 * No source gives a value for `out_order_no` in the send-*message examples (their path keeps
 * `{out_order_no}`): the documented example value of every other page stands in.
 */
const EXAMPLE_OUT_ORDER_NO = "1234323JKHDFE1243252"

/** The path parameters of a documented path, by the endpoint's template. */
const pathValues = (endpoint: Endpoint.Endpoint<Json>, path: string): Json => {
  const tpl = Endpoint.templateOf(endpoint)
  const pattern = tpl.literals.map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("([^/]+)")
  const match = new RegExp(`^${pattern}$`).exec(path)
  if (match === null) throw new Error(`${path} is not a path of ${endpoint.path}`)
  return Object.fromEntries(tpl.names.map((name, i) => {
    const value = decodeURIComponent(match[i + 1]!)
    return [name, value === `{${name}}` ? EXAMPLE_OUT_ORDER_NO : value]
  }))
}

/**
 * Published examples that break the rules of their own page (named in each file's notes and in
 * test/core/endpoints/serviceOrders.test.ts): the field the client names, and the smallest change
 * that makes the example valid.
 */
const KNOWN_BROKEN: Readonly<Record<string, { readonly field: string; readonly fix: (params: Json) => Json }>> = {
  "serviceorder/merchant/request/official-query.json": { field: "query_id", fix: ({ query_id: _, ...rest }) => rest },
  "serviceorder/partner/request/official-query.json": { field: "query_id", fix: ({ query_id: _, ...rest }) => rest },
  "serviceorder/merchant/request/im-direct-complete.json": {
    field: "goods_tag",
    fix: ({ goods_tag: _, ...rest }) => rest
  },
  "serviceorder/merchant/request/im-servicepayondeliveryorder.json": {
    field: "shopping_info.jump_link.appid",
    fix: (params) => {
      const info = params.shopping_info as Json
      const { appid: _a, path: _p, ...jump } = info.jump_link as Json
      return { ...params, shopping_info: { ...info, jump_link: jump } }
    }
  }
}

/** The parameters of a request sample (body, path and query together), fixed when it is known-broken. */
const paramsOfSample = (sample: CorpusSample): Json => {
  const endpoint = endpointNamed(sample.endpoint)
  const params = {
    ...(sample.sample as Json | null),
    ...pathValues(endpoint, sample.http!.path),
    ...sample.http!.query
  }
  return KNOWN_BROKEN[sample.file]?.fix(params) ?? params
}

/** Valid parameters of every endpoint: a request sample's, or (no sample published) written here. */
const PARAMS: Readonly<Record<string, Json>> = {
  sendPartnerServiceOrderPendingMessage: {
    out_order_no: EXAMPLE_OUT_ORDER_NO,
    service_id: "500001",
    sub_mchid: "1900000109",
    post_payments: [{ name: "就餐费用", amount: 40000 }],
    total_amount: 40000,
    prepaid_time: "20231218"
  },
  queryAcquiringBankServiceOrder: {
    service_id: "2002000000000558128851361561536",
    sub_mchid: "1900000109",
    channel_id: "1230000109",
    out_order_no: EXAMPLE_OUT_ORDER_NO
  },
  ...Object.fromEntries(requestSamples.map((s) => [s.endpoint, paramsOfSample(s)]).reverse())
}
const validParams = (name: string): Json => {
  const params = name === "sendPartnerServiceOrderPrepaidMessage"
    ? PARAMS.sendPartnerServiceOrderPendingMessage
    : PARAMS[name]
  if (params === undefined) throw new Error(`no parameters for ${name}`)
  return params
}

// ---------------------------------------------------------------------------------------------
// Field by field
// ---------------------------------------------------------------------------------------------

const TIME_FIELDS = new Set(["paid_time", "cancel_authorization_time", "authorization_success_time"])

/**
 * Every field of `wire` is in `decoded` under its name, and `decoded` has no other (but `_tag`):
 * times as the same instant, an amount sent as digits as that number, nested objects and arrays
 * the same way.
 */
const expectFieldByField = (wire: unknown, decoded: unknown, path: string): void => {
  if (Array.isArray(wire)) {
    expect(Array.isArray(decoded), path).toBe(true)
    expect((decoded as Array<unknown>).length, path).toBe(wire.length)
    wire.forEach((item, i) => expectFieldByField(item, (decoded as Array<unknown>)[i], `${path}[${i}]`))
    return
  }
  if (typeof wire === "object" && wire !== null) {
    expect(typeof decoded, path).toBe("object")
    const fields = decoded as Json
    expect(Object.keys(fields).filter((k) => k !== "_tag").sort(), path).toEqual(Object.keys(wire).sort())
    for (const [name, value] of Object.entries(wire)) {
      const at = `${path}.${name}`
      if (TIME_FIELDS.has(name)) {
        expect(DateTime.isDateTime(fields[name]), at).toBe(true)
        expect(DateTime.toEpochMillis(fields[name] as DateTime.DateTime), at).toBe(
          WechatPayTime.parseMillis(String(value))
        )
      } else {
        expectFieldByField(value, fields[name], at)
      }
    }
    return
  }
  if (typeof wire === "string" && typeof decoded === "number") {
    // an amount sent as the digits of a whole number (SKIT's "total_amount":"40000")
    expect(/^\d+$/.test(wire), path).toBe(true)
    expect(decoded, path).toBe(Number(wire))
    return
  }
  expect(decoded, path).toEqual(wire)
}

const STATE_TAGS: Readonly<Record<string, string>> = {
  CREATED: "Created",
  DOING: "Doing",
  DONE: "Done",
  REVOKED: "Revoked",
  EXPIRED: "Expired"
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

describe("every request sample, sent through its method", () => {
  it("the corpus holds the request samples of the README (40)", () => {
    expect(requestSamples.length).toBe(40)
  })

  for (const sample of requestSamples) {
    it.effect(`${sample.file} (${sample.endpoint}): method, path, query and body as documented`, () => {
      const fake = makeFake(() => ({ status: 204 }))
      return Effect.gen(function*() {
        const endpoint = endpointNamed(sample.endpoint)
        const method = yield* methodOf(sample.endpoint)
        const http = sample.http!
        const body = (sample.sample ?? {}) as Json
        const raw = { ...body, ...pathValues(endpoint, http.path), ...http.query }
        let expectedQuery: Json = { ...http.query }
        let expectedBody: Json = body
        const broken = KNOWN_BROKEN[sample.file]
        if (broken !== undefined) {
          // as published: refused before sending, naming the field
          const refused = yield* Effect.flip(method(raw))
          expect([refused._tag, (refused as { readonly field?: string }).field]).toEqual(["InvalidInput", broken.field])
          expect(fake.received).toHaveLength(0)
          const fixed = broken.fix({ ...body, ...http.query })
          expectedQuery = Object.fromEntries(Object.entries(fixed).filter(([name]) => endpoint.query.includes(name)))
          expectedBody = endpoint.method === "GET" ? {} : broken.fix(body)
        }
        // 204 answers have no body: methods answered with one fail to decode here, which is not the point
        yield* Effect.result(method(paramsOfSample(sample)))
        expect(fake.received).toHaveLength(1)
        const sent = fake.received[0]!
        expect(sent.method).toBe(http.method)
        expect(sent.url.pathname).toBe(http.path.replace("{out_order_no}", EXAMPLE_OUT_ORDER_NO))
        expect(Object.fromEntries(sent.url.searchParams)).toEqual(expectedQuery)
        expect([...sent.url.searchParams.keys()]).toEqual(endpoint.query.filter((name) => name in expectedQuery))
        if (http.method === "GET") {
          expect(sent.body).toBe("")
        } else {
          expect(JSON.parse(sent.body)).toEqual(expectedBody)
          for (const name of Endpoint.templateOf(endpoint).names) expect(sent.body).not.toContain(`"${name}"`)
          expect(sent.headers["content-type"]).toContain("application/json")
        }
      }).pipe(Effect.provide(fake.layer))
    })
  }
})

// ---------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------

describe("every answer sample, served signed to its method and decoded field by field", () => {
  it("the corpus holds the answer samples of the README (15)", () => {
    expect(answerSamples.length).toBe(15)
  })

  for (const sample of answerSamples) {
    it.effect(`${sample.file} (${sample.endpoint})`, () => {
      const fake = makeFake(() => ({ status: 200, body: sample.sample }))
      return Effect.gen(function*() {
        const method = yield* methodOf(sample.endpoint)
        const decoded = yield* method(validParams(sample.endpoint))
        const wire = sample.sample as Json
        if (typeof wire.state === "string") {
          expect((decoded as { readonly _tag: string })._tag).toBe(STATE_TAGS[wire.state] ?? "UnknownState")
        }
        if (typeof wire.authorization_state === "string") {
          expect((decoded as { readonly _tag: string })._tag).toBe(
            wire.authorization_state === "UNAVAILABLE" ? "Unavailable" : "Available"
          )
        }
        expectFieldByField(wire, decoded, sample.file)
      }).pipe(Effect.provide(fake.layer))
    })
  }

  it.effect("the disagreements decode as sent: CREATED after a partner and a bank create, FINISHED, CREATED/MCH_COMPLETE", () =>
    Effect.gen(function*() {
      const states = answerSamples.filter((s) => typeof (s.sample as Json).state === "string").map((s) =>
        `${s.endpoint} ${String((s.sample as Json).state)}`
      )
      expect(states).toContain("createPartnerServiceOrder CREATED")
      expect(states).toContain("createAcquiringBankServiceOrder CREATED")
      expect(states).toContain("directCompleteServiceOrder FINISHED")
    }))
})

// ---------------------------------------------------------------------------------------------
// Notifications
// ---------------------------------------------------------------------------------------------

const NOW = Math.floor(Date.parse("2026-06-01T00:00:00Z") / 1000)

/** A notification as WeChat Pay sends it: `resource` encrypted with the APIv3 key, the body signed. */
const build = (envelope: Json, plaintext: string) =>
  Effect.promise(async () => {
    const resource = envelope.resource as Json
    const associatedData = typeof resource.associated_data === "string" ? resource.associated_data : ""
    const nonce = "Kj7QIyUiYx1q"
    const ciphertext = await Aead.encrypt(await Aead.importKey(Bytes.utf8(Fixtures.apiV3Key)), {
      plaintext,
      nonce,
      associatedData
    })
    const body = JSON.stringify({ ...envelope, resource: { ...resource, ciphertext, nonce } })
    const headers = await FakeWechatPay.signAnswer({ key: FakeWechatPay.keys.publicKey, body, timestamp: NOW })
    return { body, headers }
  })

const OFFICIAL_ENVELOPE = (eventType: string): Json => ({
  id: "EV-2018022511223320873",
  create_time: "2015-05-20T13:29:35+08:00",
  resource_type: "encrypt-resource",
  event_type: eventType,
  resource: {
    algorithm: "AEAD_AES_256_GCM",
    ciphertext: "",
    nonce: "",
    associated_data: "",
    original_type: "payscore"
  },
  summary: eventType === Notification.USER_CONFIRM ? "确认订单" : "支付成功"
})

describe("every notification resource, encrypted, signed, parsed into UserConfirm / UserPaid", () => {
  it("the corpus holds one resource per role (3)", () => {
    expect(resourceSamples.map((s) => s.endpoint).sort()).toEqual([
      Notification.USER_CONFIRM,
      Notification.USER_CONFIRM,
      Notification.USER_PAID
    ])
  })

  for (const sample of resourceSamples) {
    it.effect(`${sample.file} (${sample.endpoint})`, () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(NOW * 1000)
        const notifications = yield* PayScoreNotifications.PayScoreNotifications
        const { body, headers } = yield* build(OFFICIAL_ENVELOPE(sample.endpoint), JSON.stringify(sample.sample))
        const parsed = yield* notifications.parse({ headers, body })
        expect(parsed._tag).toBe(sample.endpoint === Notification.USER_CONFIRM ? "UserConfirm" : "UserPaid")
        if (parsed._tag !== "UserConfirm" && parsed._tag !== "UserPaid") return
        const wire = sample.sample as Json
        expect(parsed.resource._tag).toBe(STATE_TAGS[String(wire.state)])
        expectFieldByField(wire, parsed.resource, sample.file)
        // SKIT's resources send total_amount as a string: decoded to the number
        expect(typeof wire.total_amount).toBe("string")
        expect(parsed.resource.total_amount).toBe(Number(wire.total_amount))
      }).pipe(Effect.provide(notificationsLayer())))
  }
})

describe("every notification envelope: its own fields through parse", () => {
  it("the corpus holds the envelopes of the README (5)", () => {
    expect(envelopeSamples.length).toBe(5)
  })

  for (const sample of envelopeSamples) {
    it.effect(`${sample.file} (${sample.endpoint})`, () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(NOW * 1000)
        const envelope = sample.sample as Json
        // the envelope as published reads as the documented envelope
        const read = CoreNotification.parseEnvelope(JSON.stringify(envelope))
        if (CoreNotification.isEnvelopeProblem(read)) throw new Error(read.message)
        expect(read.event_type).toBe(sample.endpoint)
        // around a resource of its event (the corpus' resource of that event, else the SKIT merchant one)
        const resource = resourceSamples.find((s) => s.endpoint === sample.endpoint) ?? resourceSamples[0]!
        const notifications = yield* PayScoreNotifications.PayScoreNotifications
        const { body, headers } = yield* build(envelope, JSON.stringify(resource.sample))
        const parsed = yield* notifications.parse({ headers, body })
        expect(parsed._tag).toBe(sample.endpoint === Notification.USER_CONFIRM ? "UserConfirm" : "UserPaid")
        expect(parsed.id).toBe(envelope.id)
        expect(parsed.summary).toBe(envelope.summary)
        expect(parsed.resource_type).toBe(envelope.resource_type)
        expect(DateTime.toEpochMillis(parsed.create_time)).toBe(WechatPayTime.parseMillis(String(envelope.create_time)))
        expect(parsed.original_type).toBe((envelope.resource as Json).original_type)
      }).pipe(Effect.provide(notificationsLayer())))
  }

  it.effect("the production envelope, signed as it came, does not decrypt with our key: DecryptionError", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(NOW * 1000)
      const production = envelopeSamples.find((s) => s.file.includes("production"))!
      const body = JSON.stringify(production.sample)
      const headers = yield* Effect.promise(() =>
        FakeWechatPay.signAnswer({ key: FakeWechatPay.keys.publicKey, body, timestamp: NOW })
      )
      const notifications = yield* PayScoreNotifications.PayScoreNotifications
      const error = yield* Effect.flip(notifications.parse({ headers, body }))
      expect(error._tag).toBe("DecryptionError")
    }).pipe(Effect.provide(notificationsLayer())))
})

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

describe("every error, mapped to its typed error", () => {
  const answered = (name: string, status: number, body: Json) => {
    // one attempt: a 5xx or a 429 of a query would be retried after a backoff on the TestClock
    const fake = makeFake(() => ({ status, body }), { retries: 0 })
    return Effect.gen(function*() {
      const method = yield* methodOf(name)
      return yield* Effect.flip(method(validParams(name)))
    }).pipe(Effect.provide(fake.layer))
  }

  it("the corpus holds the error samples of the README (18)", () => {
    expect(errorSamples.length).toBe(18)
  })

  for (const sample of errorSamples) {
    it.effect(`${sample.file} (${sample.endpoint})`, () =>
      Effect.gen(function*() {
        const { body, status } = sample.sample as { readonly status: number; readonly body: Json }
        const error = yield* answered(sample.endpoint, status, body)
        const code = String(body.code)
        expect(error._tag).toBe(tagOf(status, code))
        expect(error).toMatchObject({ status, code, message: body.message })
      }))
  }

  it.effect("every error each declaration documents: its tag, status and code", () =>
    Effect.gen(function*() {
      const seen: Array<string> = []
      for (const endpoint of ENDPOINTS) {
        for (const documented of endpoint.errors) {
          const error = yield* answered(endpoint.name, documented.status, {
            code: documented.code,
            message: documented.meaning
          })
          expect(error, `${endpoint.name} ${documented.code}`).toMatchObject({
            _tag: tagOf(documented.status, documented.code),
            status: documented.status,
            code: documented.code
          })
          seen.push(`${documented.status} ${documented.code} ${error._tag}`)
        }
      }
      expect([...new Set(seen)].sort()).toEqual([
        "400 INVALID_ORDER_STATE ApiError",
        "400 INVALID_REQUEST InvalidRequest",
        "400 ORDER_CANCELED ApiError",
        "400 ORDER_DONE ApiError",
        "400 PARAM_ERROR ParamError",
        "401 SIGN_ERROR SignError",
        "403 NO_AUTH NoAuth",
        "404 NOT_FOUND NotFound",
        "404 ORDER_NOT_EXIST NotFound",
        "429 FREQUENCY_LIMITED FrequencyLimited",
        "500 SYSTEM_ERROR SystemError"
      ])
    }))
})
