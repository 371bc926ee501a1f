/**
 * The service-order declarations (src/core/endpoints/serviceOrders.ts) against the corpus and the
 * documented rules: every request sample of test/fixtures/wechatpay/serviceorder passes `check` and
 * is split into exactly its documented path, query and body (a path parameter never in the body);
 * every rule at its limit and one past it; the documented errors of each endpoint cover the corpus'
 * error samples.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Endpoint from "../../../src/core/endpoint.js"
import * as Permissions from "../../../src/core/endpoints/permissions.js"
import * as ServiceOrders from "../../../src/core/endpoints/serviceOrders.js"
import * as Fields from "../../../src/core/fields.js"
import * as Path from "../../../src/core/path.js"
import { type CorpusSample, loadCorpus } from "../../fixtures/wechatpay/corpus.js"

type Json = Record<string, unknown>

const ENDPOINTS = [
  ...ServiceOrders.all,
  Permissions.assessPartnerUserRiskLevel
] as unknown as ReadonlyArray<Endpoint.Endpoint<Json>>

const byName = (name: string): Endpoint.Endpoint<Json> => {
  const found = ENDPOINTS.find((e) => e.name === name)
  if (found === undefined) throw new Error(`no declaration named ${name}`)
  return found
}

const check = (endpoint: Endpoint.Endpoint<Json>, params: unknown) => Endpoint.check(endpoint, params)

/** The checked parameters, or a test failure naming the problem. */
const accepted = (endpoint: Endpoint.Endpoint<Json>, params: unknown): Json => {
  const checked = check(endpoint, params)
  if (Path.isInputProblem(checked)) throw new Error(`${endpoint.name} refused: ${checked.message}`)
  return checked as Json
}

/** The problem, or a test failure when the parameters pass. */
const refused = (endpoint: Endpoint.Endpoint<Json>, params: unknown): Path.InputProblem => {
  const checked = check(endpoint, params)
  if (!Path.isInputProblem(checked)) throw new Error(`${endpoint.name} accepted ${JSON.stringify(params)}`)
  return checked
}

// ---------------------------------------------------------------------------------------------
// The corpus
// ---------------------------------------------------------------------------------------------

const SAMPLES: ReadonlyArray<CorpusSample> = loadCorpus("request").filter((s) => s.file.startsWith("serviceorder/"))

/**
 * No source gives a value for `out_order_no` in the send-*message examples (their `http.path` keeps
 * `{out_order_no}`): the documented example value of every other page stands in.
 */
const EXAMPLE_OUT_ORDER_NO = "1234323JKHDFE1243252"

/** The path parameters of a documented path, by the endpoint's template. */
const pathValues = (endpoint: Endpoint.Endpoint<Json>, path: string): Record<string, string> => {
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
 * Published examples that break the rules of their own page (flagged in the corpus README and in
 * each file's notes): the problem the client names, and the smallest change that makes the
 * example valid, which must then pass and split like any other.
 */
const KNOWN_BROKEN: Readonly<
  Record<string, { readonly field: string; readonly why: string; readonly fix: (params: Json) => Json }>
> = {
  "serviceorder/merchant/request/official-query.json": {
    field: "query_id",
    why: "the page's own URL sends both out_order_no and query_id; the page says exactly one",
    fix: ({ query_id: _, ...rest }) => rest
  },
  "serviceorder/partner/request/official-query.json": {
    field: "query_id",
    why: "the page's own URL sends both out_order_no and query_id; exactly one is the rule",
    fix: ({ query_id: _, ...rest }) => rest
  },
  "serviceorder/merchant/request/im-direct-complete.json": {
    field: "goods_tag",
    why: 'IM\'s example sends goods_tag "", an empty placeholder',
    fix: ({ goods_tag: _, ...rest }) => rest
  },
  "serviceorder/merchant/request/im-servicepayondeliveryorder.json": {
    field: "shopping_info.jump_link.appid",
    why: 'IM\'s example sends jump_link.appid "" and jump_link.path "", empty placeholders',
    fix: (params) => {
      const info = params.shopping_info as Json
      const { appid: _a, path: _p, ...jump } = info.jump_link as Json
      return { ...params, shopping_info: { ...info, jump_link: jump } }
    }
  }
}

describe("the corpus' request samples", () => {
  it("covers every declared endpoint but the ones with no published request", () => {
    const sampled = new Set(SAMPLES.map((s) => s.endpoint))
    const unsampled = ENDPOINTS.map((e) => e.name).filter((name) => !sampled.has(name))
    // no source publishes a request for these (test/fixtures/wechatpay/serviceorder/README.md §1)
    expect(unsampled).toEqual([
      "sendPartnerServiceOrderPendingMessage",
      "sendPartnerServiceOrderPrepaidMessage",
      "queryAcquiringBankServiceOrder"
    ])
    for (const sample of SAMPLES) expect(ENDPOINTS.map((e) => e.name), sample.file).toContain(sample.endpoint)
  })

  for (const sample of SAMPLES) {
    it(`${sample.file} (${sample.endpoint}) passes and is sent as documented`, () => {
      const endpoint = byName(sample.endpoint)
      const http = sample.http!
      expect(http, "every service-order request sample gives its URL").toBeDefined()
      expect(http.method).toBe(endpoint.method)
      const body = (sample.sample ?? {}) as Json
      const path = pathValues(endpoint, http.path)
      let params: Json = { ...body, ...path, ...http.query }
      let expectedQuery: Json = { ...http.query }
      let expectedBody: Json = body

      const broken = KNOWN_BROKEN[sample.file]
      if (broken !== undefined) {
        // a known-broken example: refused, naming the field; the fixed example goes on
        expect(refused(endpoint, params).field, broken.why).toBe(broken.field)
        params = broken.fix(params)
        const fixed = broken.fix({ ...body, ...http.query })
        expectedQuery = Object.fromEntries(Object.entries(fixed).filter(([name]) => endpoint.query.includes(name)))
        expectedBody = endpoint.method === "GET" ? {} : broken.fix(body)
      }

      const checked = accepted(endpoint, params)
      // check keeps every documented field of the sample, as given (no time given as a DateTime here)
      expect(checked).toEqual(params)

      const parts = Endpoint.split(endpoint, checked)
      const target = Path.buildTarget(Endpoint.templateOf(endpoint), parts.pathParams, [])
      expect(target).toBe(http.path.replace("{out_order_no}", EXAMPLE_OUT_ORDER_NO))
      expect(Object.fromEntries(parts.query.filter(([, value]) => value !== undefined))).toEqual(expectedQuery)
      if (endpoint.method === "GET") {
        expect(parts.body).toBeUndefined()
        expect(sample.sample).toBeNull()
      } else {
        expect(parts.body).toEqual(expectedBody)
        for (const name of Object.keys(parts.pathParams)) expect(parts.body).not.toHaveProperty(name)
        for (const name of endpoint.query) expect(parts.body).not.toHaveProperty(name)
      }
    })
  }

  it("the path parameter is never in the body, even when given twice (PARAM_ERROR …已被/uri_template/…映射过了)", () => {
    for (const endpoint of ENDPOINTS) {
      const names = Endpoint.templateOf(endpoint).names
      if (names.length === 0) continue
      const sample = SAMPLES.find((s) => s.endpoint === endpoint.name)
      if (sample === undefined) continue
      const params = { ...(sample.sample as Json | null), ...pathValues(endpoint, sample.http!.path) }
      const parts = Endpoint.split(endpoint, accepted(endpoint, params))
      for (const name of names) {
        expect(parts.pathParams[name]).toBeTypeOf("string")
        expect(parts.body, `${endpoint.name}: ${name}`).not.toHaveProperty(name)
      }
    }
  })
})

describe("the corpus' error samples", () => {
  const errors = loadCorpus("error").filter((s) => s.file.startsWith("serviceorder/"))

  it("each is a documented error of its endpoint (status and code)", () => {
    expect(errors.length).toBeGreaterThan(0)
    for (const sample of errors) {
      const { status, body } = sample.sample as { status: number; body: { code: string } }
      const endpoint = byName(sample.endpoint)
      expect(endpoint.errors.map((e) => `${e.status} ${e.code}`), sample.file).toContain(`${status} ${body.code}`)
    }
  })
})

// ---------------------------------------------------------------------------------------------
// The declarations
// ---------------------------------------------------------------------------------------------

describe("the declarations", () => {
  it("name, method, path, answer and idempotence of each", () => {
    const table = ServiceOrders.all.map((e) => [e.name, e.method, e.path, e.answer, e.idempotent])
    const so = "/v3/payscore/serviceorder"
    const p = "/v3/payscore/partner/serviceorder"
    const b = "/v3/payscore/acquiringbank/serviceorder"
    expect(table).toEqual([
      ["createServiceOrder", "POST", so, "json", true],
      ["queryServiceOrder", "GET", so, "json", true],
      ["cancelServiceOrder", "POST", `${so}/{out_order_no}/cancel`, "json", true],
      ["modifyServiceOrder", "POST", `${so}/{out_order_no}/modify`, "json", false],
      ["completeServiceOrder", "POST", `${so}/{out_order_no}/complete`, "json", false],
      ["collectServiceOrder", "POST", `${so}/{out_order_no}/pay`, "json", false],
      ["syncServiceOrder", "POST", `${so}/{out_order_no}/sync`, "json", false],
      ["directCompleteServiceOrder", "POST", `${so}/direct-complete`, "json", false],
      ["sendServiceOrderPendingMessage", "POST", `${so}/{out_order_no}/send-pendingmessage`, "empty", false],
      ["sendServiceOrderPrepaidMessage", "POST", `${so}/{out_order_no}/send-prepaidmessage`, "empty", false],
      ["createServicePayOnDeliveryOrder", "POST", "/v3/payscore/servicepayondeliveryorder", "json", false],
      ["createPartnerServiceOrder", "POST", p, "json", true],
      ["queryPartnerServiceOrder", "GET", p, "json", true],
      ["cancelPartnerServiceOrder", "POST", `${p}/{out_order_no}/cancel`, "empty", false],
      ["modifyPartnerServiceOrder", "POST", `${p}/{out_order_no}/modify`, "empty", false],
      ["completePartnerServiceOrder", "POST", `${p}/{out_order_no}/complete`, "empty", false],
      ["collectPartnerServiceOrder", "POST", `${p}/{out_order_no}/pay`, "empty", false],
      ["syncPartnerServiceOrder", "POST", `${p}/{out_order_no}/sync`, "empty", false],
      ["sendPartnerServiceOrderPendingMessage", "POST", `${p}/{out_order_no}/send-pendingmessage`, "empty", false],
      ["sendPartnerServiceOrderPrepaidMessage", "POST", `${p}/{out_order_no}/send-prepaidmessage`, "empty", false],
      ["createAcquiringBankServiceOrder", "POST", b, "json", true],
      ["queryAcquiringBankServiceOrder", "GET", b, "json", true],
      ["cancelAcquiringBankServiceOrder", "POST", `${b}/{out_order_no}/cancel`, "empty", false],
      ["modifyAcquiringBankServiceOrder", "POST", `${b}/{out_order_no}/modify`, "empty", false],
      ["completeAcquiringBankServiceOrder", "POST", `${b}/{out_order_no}/complete`, "empty", false],
      ["syncAcquiringBankServiceOrder", "POST", `${b}/{out_order_no}/sync`, "empty", false],
      ["registerAcquiringBankServiceOrderDeduction", "POST", `${b}/{out_order_no}/registerdeductinfo`, "json", false],
      ["queryAcquiringBankServiceOrderDeduction", "GET", `${b}/deduction`, "json", true]
    ])
    const assess = Permissions.assessPartnerUserRiskLevel
    expect([assess.service, assess.method, assess.path, assess.query, assess.answer, assess.idempotent]).toEqual([
      "PayScorePermissions",
      "POST",
      "/v3/payscore/partner/permissions/assess-user-risk-level",
      ["sub_mchid"],
      "json",
      false
    ])
    expect(Permissions.all).toContain(assess)
  })

  it("each is a PayScoreServiceOrders method, unique, under /v3, with a note on its idempotence and its errors", () => {
    const names = ServiceOrders.all.map((e) => e.name)
    expect(new Set(names).size).toBe(names.length)
    for (const endpoint of ServiceOrders.all) {
      expect(endpoint.service).toBe("PayScoreServiceOrders")
      expect(endpoint.path.startsWith("/v3/payscore/")).toBe(true)
      expect(endpoint.idempotenceNote?.length, endpoint.name).toBeGreaterThan(20)
      expect(endpoint.idempotent, endpoint.name).toBe(
        endpoint.method === "GET" || /原参重入/.test(endpoint.idempotenceNote!)
      )
      expect(endpoint.errors.length).toBeGreaterThanOrEqual(6)
      expect(endpoint.summary.length).toBeGreaterThan(0)
    }
  })

  it("path and query parameters have string rules (a path parameter one segment of the out_order_no set)", () => {
    for (const endpoint of ENDPOINTS) {
      const fields = endpoint.params.fields as Record<string, Fields.Field<unknown>>
      for (const name of Endpoint.templateOf(endpoint).names) {
        const rule = fields[name]!.rule as Fields.Rule
        expect(rule.kind).toBe("string")
        expect(rule.kind === "string" && rule.pathSegment, `${endpoint.name}.${name}`).toBe(true)
        expect(fields[name]!.optional).toBe(false)
      }
      for (const name of endpoint.query) expect((fields[name]!.rule as Fields.Rule).kind).toBe("string")
      if (endpoint.method === "GET") expect(Endpoint.bodyFields(endpoint)).toEqual([])
    }
  })

  it("a field not declared is never sent", () => {
    const endpoint = byName("cancelServiceOrder")
    const checked = accepted(endpoint, { ...cancel, mchid: "1230000109", out_trade_no: "x" })
    expect(Endpoint.split(endpoint, checked).body).toEqual({ appid: cancel.appid, reason: cancel.reason })
  })
})

// ---------------------------------------------------------------------------------------------
// The rules, at their limits
// ---------------------------------------------------------------------------------------------

const create: Json = {
  out_order_no: "1234323JKHDFE1243252",
  appid: "wxd678efh567hg6787",
  service_id: "2002000000000558128851361561536",
  service_introduction: "某某酒店",
  time_range: { start_time: "OnAccept" },
  risk_fund: { name: "ESTIMATE_ORDER_COST", amount: 10000 },
  notify_url: "https://example.com/payscore/notify"
}

const complete: Json = {
  out_order_no: "1234323JKHDFE1243252",
  appid: "wxd678efh567hg6787",
  service_id: "2002000000000558128851361561536",
  post_payments: [{ name: "就餐费用", amount: 40000 }],
  total_amount: 40000
}

const cancel: Json = {
  out_order_no: "1234323JKHDFE1243252",
  appid: "wxd678efh567hg6787",
  reason: "用户投诉"
}

const query: Json = { service_id: "2002000000000558128851361561536", appid: "wxd678efh567hg6787" }

const repeat = (s: string, n: number) => s.repeat(n)

/** `base` with `value` at `at` (a dotted path, array indices included); `undefined` removes the field. */
const withValue = (base: Json, at: string, value: unknown): Json => {
  const [head, ...rest] = at.split(".")
  if (rest.length === 0) {
    const { [head!]: _, ...others } = base
    return value === undefined ? others : { ...base, [head!]: value }
  }
  const inner = base[head!]
  if (Array.isArray(inner)) {
    const [index, ...tail] = rest
    const items = [...inner] as Array<Json>
    items[Number(index)] = tail.length === 0 ? value as Json : withValue(items[Number(index)]!, tail.join("."), value)
    return { ...base, [head!]: items }
  }
  return { ...base, [head!]: withValue((inner ?? {}) as Json, rest.join("."), value) }
}

const passes = (name: string, base: Json, at: string, value: unknown) => {
  accepted(byName(name), withValue(base, at, value))
}

const fails = (name: string, base: Json, at: string, value: unknown, message?: RegExp) => {
  const problem = refused(byName(name), withValue(base, at, value))
  expect(problem.field).toBe(at)
  if (message !== undefined) expect(problem.message).toMatch(message)
}

describe("out_order_no: at most 32 of [0-9A-Za-z_-|*]", () => {
  const valid = `${repeat("a", 24)}09AZ_-|*`

  it("in a body (create)", () => {
    expect(valid.length).toBe(32)
    passes("createServiceOrder", create, "out_order_no", valid)
    fails("createServiceOrder", create, "out_order_no", `${valid}a`, /33 characters long; at most 32/)
    for (const bad of ["a b", "a.b", "a#b", "订单", "a/b", "a%b", "a+b"]) {
      fails("createServiceOrder", create, "out_order_no", bad)
    }
    fails("createServiceOrder", create, "out_order_no", "", /must not be empty/)
    fails("createServiceOrder", create, "out_order_no", undefined, /is required/)
  })

  it("as a path parameter (cancel, complete, register)", () => {
    passes("cancelServiceOrder", cancel, "out_order_no", valid)
    fails("cancelServiceOrder", cancel, "out_order_no", `${valid}a`)
    fails("cancelServiceOrder", cancel, "out_order_no", "..")
    fails("cancelServiceOrder", cancel, "out_order_no", "a/b")
    fails("completeServiceOrder", complete, "out_order_no", `${valid}a`)
    const parts = Endpoint.split(
      byName("cancelServiceOrder"),
      accepted(byName("cancelServiceOrder"), { ...cancel, out_order_no: valid })
    )
    expect(Path.buildTarget(Endpoint.templateOf(byName("cancelServiceOrder")), parts.pathParams, [])).toBe(
      `/v3/payscore/serviceorder/${repeat("a", 24)}09AZ_-%7C*/cancel`
    )
  })

  it("in a query, and the bank's out_trade_no", () => {
    passes("queryServiceOrder", query, "out_order_no", valid)
    fails("queryServiceOrder", query, "out_order_no", `${valid}a`)
    fails("queryServiceOrder", query, "out_order_no", "a b")
    const register = {
      out_order_no: "1234323JKHDFE1243252",
      service_id: "2002000000000558128851361561536",
      sub_mchid: "1900000109",
      channel_id: "1230000109"
    }
    passes("registerAcquiringBankServiceOrderDeduction", register, "out_trade_no", valid)
    fails("registerAcquiringBankServiceOrderDeduction", register, "out_trade_no", `${valid}a`)
    fails("registerAcquiringBankServiceOrderDeduction", register, "out_trade_no", "a.b")
  })
})

describe("queries: exactly one of out_order_no and query_id", () => {
  for (
    const [name, base] of [
      ["queryServiceOrder", query],
      ["queryPartnerServiceOrder", { sub_mchid: "1900000109" }],
      ["queryAcquiringBankServiceOrder", {
        service_id: "2002000000000558128851361561536",
        sub_mchid: "1900000109",
        channel_id: "1230000109"
      }]
    ] as const
  ) {
    it(name, () => {
      accepted(byName(name), { ...base, out_order_no: "1234323JKHDFE1243252" })
      accepted(byName(name), { ...base, query_id: repeat("q", 512) })
      expect(refused(byName(name), { ...base, query_id: repeat("q", 513) }).field).toBe("query_id")
      const neither = refused(byName(name), base)
      expect(neither.field).toBe("out_order_no")
      expect(neither.message).toMatch(/exactly one/)
      const both = refused(byName(name), {
        ...base,
        out_order_no: "1234323JKHDFE1243252",
        query_id: "15646546545165651651"
      })
      expect(both.field).toBe("query_id")
      expect(both.message).toMatch(/exactly one/)
    })
  }

  it("the query string carries the one given, in the declared order", () => {
    const endpoint = byName("queryServiceOrder")
    const parts = Endpoint.split(endpoint, accepted(endpoint, { ...query, query_id: "Q|1" }))
    expect(Path.buildTarget(Endpoint.templateOf(endpoint), parts.pathParams, parts.query)).toBe(
      "/v3/payscore/serviceorder?service_id=2002000000000558128851361561536&appid=wxd678efh567hg6787&query_id=Q%7C1"
    )
  })
})

describe("amounts: whole numbers of fen, 0 allowed", () => {
  const amountFields: ReadonlyArray<readonly [string, Json, string]> = [
    ["completeServiceOrder", complete, "total_amount"],
    ["completeServiceOrder", complete, "post_payments.0.amount"],
    ["completeServiceOrder", { ...complete, post_discounts: [{ name: "满20减1元" }] }, "post_discounts.0.amount"],
    ["createServiceOrder", create, "risk_fund.amount"],
    ["modifyPartnerServiceOrder", {
      out_order_no: "1234323JKHDFE1243252",
      sub_mchid: "1900000109",
      post_payments: [{}],
      total_amount: 1,
      reason: "用户投诉"
    }, "total_amount"],
    ["syncPartnerServiceOrder", {
      out_order_no: "1234323JKHDFE1243252",
      service_id: "2002000000000558128851361561536",
      sub_mchid: "1900000109",
      type: "Order_Paid",
      detail: { paid_time: "20091225091210" }
    }, "detail.paid_amount"]
  ]

  for (const [name, base, at] of amountFields) {
    it(`${name}: ${at}`, () => {
      passes(name, base, at, 0)
      passes(name, base, at, 1)
      passes(name, base, at, Number.MAX_SAFE_INTEGER)
      fails(name, base, at, -1, /must not be negative/)
      fails(name, base, at, 1.5, /whole number/)
      fails(name, base, at, "100", /whole number/)
      fails(name, base, at, Number.MAX_SAFE_INTEGER + 1, /whole number/)
      fails(name, base, at, Number.NaN, /whole number/)
    })
  }

  it("total_amount 0 is sent as 0 (no falsy check, wechatpayv3 #12)", () => {
    const endpoint = byName("completeServiceOrder")
    const body = Endpoint.split(endpoint, accepted(endpoint, { ...complete, total_amount: 0 })).body
    expect(body).toHaveProperty("total_amount", 0)
  })

  it("post_payments.count: 1 to 100", () => {
    passes("completeServiceOrder", complete, "post_payments.0.count", 1)
    passes("completeServiceOrder", complete, "post_payments.0.count", 100)
    fails("completeServiceOrder", complete, "post_payments.0.count", 0, /at least 1/)
    fails("completeServiceOrder", complete, "post_payments.0.count", 101, /at most 100/)
    fails("completeServiceOrder", complete, "post_payments.0.count", 1.5, /whole number/)
  })
})

describe("lengths, in characters (汉字 count 1)", () => {
  const cases: ReadonlyArray<readonly [string, Json, string, number]> = [
    ["createServiceOrder", create, "service_introduction", 20],
    ["createServiceOrder", create, "attach", 256],
    ["createServiceOrder", { ...create, post_payments: [{ name: "x" }] }, "post_payments.0.name", 20],
    ["createServiceOrder", { ...create, post_payments: [{ name: "x" }] }, "post_payments.0.description", 30],
    ["createServiceOrder", { ...create, post_discounts: [{}] }, "post_discounts.0.name", 20],
    ["createServiceOrder", { ...create, post_discounts: [{}] }, "post_discounts.0.description", 30],
    ["createServiceOrder", create, "risk_fund.description", 30],
    ["createServiceOrder", create, "time_range.start_time_remark", 20],
    ["createServiceOrder", create, "time_range.end_time_remark", 50],
    ["cancelServiceOrder", cancel, "reason", 50],
    ["completeServiceOrder", complete, "goods_tag", 32]
  ]
  for (const [name, base, at, max] of cases) {
    it(`${name}: ${at} at most ${max}`, () => {
      passes(name, base, at, repeat("字", max))
      fails(name, base, at, repeat("字", max + 1), new RegExp(`${max + 1} characters long; at most ${max}`))
      fails(name, base, at, "", /must not be empty/)
      fails(name, base, at, "a\nb", /control characters/)
    })
  }

  it("ids: appid, service_id, sub_mchid, channel_id at most 32, openid at most 128, printable ASCII", () => {
    passes("createServiceOrder", create, "appid", repeat("w", 32))
    fails("createServiceOrder", create, "appid", repeat("w", 33))
    passes("createServiceOrder", create, "service_id", "500001") // the 2020 examples' form, not 32 digits
    fails("createServiceOrder", create, "service_id", repeat("5", 33))
    passes("createServiceOrder", create, "openid", repeat("o", 128))
    fails("createServiceOrder", create, "openid", repeat("o", 129))
    fails("createServiceOrder", create, "openid", "o o", /printable ASCII/)
  })

  it("notify_url: an absolute http(s) URL of at most 255", () => {
    const url = (n: number) => `https://example.com/${repeat("n", n - "https://example.com/".length)}`
    passes("createServiceOrder", create, "notify_url", url(255))
    fails("createServiceOrder", create, "notify_url", url(256), /at most 255/)
    fails("createServiceOrder", create, "notify_url", "/payscore/notify", /absolute URL/)
  })
})

describe("lists: post_payments at most 100, post_discounts at most 30", () => {
  it("post_payments", () => {
    const item = { name: "就餐费用", amount: 1 }
    passes("completeServiceOrder", complete, "post_payments", Array.from({ length: 100 }, () => item))
    fails("completeServiceOrder", complete, "post_payments", Array.from({ length: 101 }, () => item), /101 items/)
    passes("completeServiceOrder", complete, "post_payments", [])
    fails("completeServiceOrder", complete, "post_payments", undefined, /is required/)
    fails("completeServiceOrder", complete, "post_payments", item, /must be an array/)
  })

  it("post_discounts", () => {
    const item = { name: "满20减1元", amount: 1 }
    passes("completeServiceOrder", complete, "post_discounts", Array.from({ length: 30 }, () => item))
    fails("completeServiceOrder", complete, "post_discounts", Array.from({ length: 31 }, () => item), /31 items/)
  })

  it("post_payments.name: required of a merchant, optional of a partner or a bank (选填 on their pages)", () => {
    fails("completeServiceOrder", complete, "post_payments.0.name", undefined, /is required/)
    accepted(byName("completePartnerServiceOrder"), {
      out_order_no: "1234323JKHDFE1243252",
      service_id: "2002000000000558128851361561536",
      sub_mchid: "1900000109",
      post_payments: [{ amount: 100 }],
      total_amount: 100
    })
  })
})

describe("enumerations", () => {
  it("risk_fund.name: the four documented names", () => {
    for (const name of ["DEPOSIT", "ADVANCE", "CASH_DEPOSIT", "ESTIMATE_ORDER_COST"]) {
      passes("createServiceOrder", create, "risk_fund.name", name)
    }
    for (const name of ["UDEPOSIT", " ESTIMATE_ORDER_COST", "预估订单费用", "deposit", ""]) {
      fails("createServiceOrder", create, "risk_fund.name", name, /must be one of/)
    }
    fails("createServiceOrder", create, "risk_fund", undefined, /is required/)
  })

  it("sync type: Order_Paid", () => {
    const sync = {
      out_order_no: "1234323JKHDFE1243252",
      appid: "wxd678efh567hg6787",
      service_id: "2002000000000558128851361561536",
      type: "Order_Paid",
      detail: { paid_time: "20091225091210" }
    }
    passes("syncServiceOrder", sync, "type", "Order_Paid")
    fails("syncServiceOrder", sync, "type", "ORDER_PAID", /must be Order_Paid/)
    fails("syncServiceOrder", sync, "detail", undefined, /is required/)
  })
})

describe("times: start yyyyMMddHHmmss, yyyyMMdd or OnAccept; end without OnAccept", () => {
  it("time_range.start_time", () => {
    for (const value of ["20091225091010", "20091225", "OnAccept", "20240229235959", "20000229"]) {
      passes("createServiceOrder", create, "time_range.start_time", value)
    }
    for (
      const value of ["20230229", "20230230120000", "20231301120000", "20230101240000", "20230101236000", "00000101"]
    ) {
      fails("createServiceOrder", create, "time_range.start_time", value, /not a real date or time/)
    }
    for (
      const value of [
        "onaccept",
        "ONACCEPT",
        "2023-01-01",
        "2023010112000",
        "202301011200000",
        "2023-01-01T00:00:00+08:00",
        " 20230101"
      ]
    ) {
      fails("createServiceOrder", create, "time_range.start_time", value, /yyyyMMddHHmmss, yyyyMMdd or OnAccept/)
    }
    fails("createServiceOrder", create, "time_range.start_time", undefined, /is required/)
    fails("createServiceOrder", create, "time_range.start_time", 20091225091010, /must be a string/)
  })

  it("time_range.end_time", () => {
    passes("createServiceOrder", create, "time_range.end_time", "20091225121010")
    passes("createServiceOrder", create, "time_range.end_time", "20091225")
    fails("createServiceOrder", create, "time_range.end_time", "OnAccept", /yyyyMMddHHmmss or yyyyMMdd/)
    fails("createServiceOrder", create, "time_range.end_time", "20091232", /not a real date/)
  })

  it("complete's time_range: every field optional (a real body sends end_time only)", () => {
    passes("completeServiceOrder", complete, "time_range", { end_time: "20200723060015" })
    passes("completeServiceOrder", complete, "time_range", {})
    fails("completeServiceOrder", complete, "time_range.end_time", "OnAccept")
  })

  it("a DateTime is written in China Standard Time", () => {
    // 2024-01-01T16:30:05Z is 2024-01-02 00:30:05 in Beijing
    const instant = { epochMillis: Date.UTC(2024, 0, 1, 16, 30, 5) }
    const endpoint = byName("createServiceOrder")
    const checked = accepted(endpoint, { ...create, time_range: { start_time: instant, end_time: instant } })
    expect(checked.time_range).toEqual({ start_time: "20240102003005", end_time: "20240102003005" })
    expect(Endpoint.split(endpoint, checked).body?.time_range).toEqual({
      start_time: "20240102003005",
      end_time: "20240102003005"
    })
  })

  it("complete_time: RFC 3339 with an offset; a DateTime in +08:00", () => {
    const base = {
      out_order_no: "1234323JKHDFE1243252",
      service_id: "2002000000000558128851361561536",
      sub_mchid: "1900000109",
      post_payments: [{ name: "就餐费用", amount: 1 }],
      total_amount: 1
    }
    for (const name of ["completePartnerServiceOrder", "completeAcquiringBankServiceOrder"]) {
      passes(name, base, "complete_time", "2019-11-11T16:24:05+08:00")
      passes(name, base, "complete_time", "2019-11-11T08:24:05Z")
      fails(name, base, "complete_time", "2019-11-11T16:24:05", /RFC 3339/)
      fails(name, base, "complete_time", "20191111162405", /RFC 3339/)
      fails(name, base, "complete_time", "2019-02-29T16:24:05+08:00", /not a real date/)
      const checked = accepted(byName(name), {
        ...base,
        complete_time: { epochMillis: Date.UTC(2019, 10, 11, 8, 24, 5) }
      })
      expect(checked.complete_time).toBe("2019-11-11T16:24:05+08:00")
    }
  })

  it("prepaid_time: yyyyMMdd; a DateTime is its day in China Standard Time", () => {
    const base = {
      out_order_no: "1234323JKHDFE1243252",
      service_id: "2002000000000558128851361561536",
      post_payments: [{ amount: 1 }],
      total_amount: 1
    }
    passes("sendServiceOrderPendingMessage", base, "prepaid_time", "20231218")
    fails("sendServiceOrderPendingMessage", base, "prepaid_time", "20231218000000", /yyyyMMdd/)
    fails("sendServiceOrderPendingMessage", base, "prepaid_time", "20231232", /not a real date/)
    // 2023-12-17T16:00:00Z is already 18 December in Beijing
    const checked = accepted(byName("sendServiceOrderPrepaidMessage"), {
      ...base,
      prepaid_time: { epochMillis: Date.UTC(2023, 11, 17, 16, 0, 0) }
    })
    expect(checked.prepaid_time).toBe("20231218")
  })

  it("detail.paid_time: yyyyMMddHHmmss or yyyyMMdd", () => {
    const sync = {
      out_order_no: "1234323JKHDFE1243252",
      appid: "wxd678efh567hg6787",
      service_id: "2002000000000558128851361561536",
      type: "Order_Paid",
      detail: { paid_time: "20091225091210" }
    }
    passes("syncServiceOrder", sync, "detail.paid_time", "20091225")
    fails("syncServiceOrder", sync, "detail.paid_time", "OnAccept")
    fails("syncServiceOrder", sync, "detail.paid_time", "2009-12-25T09:12:10+08:00")
  })
})

describe("what stays WeChat Pay's to judge", () => {
  it("total_amount not equal to payments minus discounts, duplicate names", () => {
    accepted(byName("completeServiceOrder"), {
      ...complete,
      post_payments: [{ name: "就餐费用", amount: 4000 }, { name: "就餐费用", amount: 4000 }],
      post_discounts: [{ name: "满20减1元", amount: 100 }, { name: "满20减1元", amount: 100 }],
      total_amount: 50000
    })
  })

  it("openid beside sub_openid, need_user_confirm false without an openid", () => {
    const base = {
      service_id: "2002000000000558128851361561536",
      appid: "wxd678efh567hg6787",
      sub_mchid: "1900000109",
      out_order_no: "1234323JKHDFE1243252",
      service_introduction: "XX充电宝",
      risk_fund: { name: "DEPOSIT", amount: 10000 },
      time_range: { start_time: "OnAccept" },
      notify_url: "https://example.com/payscore/notify"
    }
    accepted(byName("createPartnerServiceOrder"), { ...base, openid: "o1", sub_openid: "o2", need_user_confirm: false })
    accepted(byName("createPartnerServiceOrder"), { ...base, need_user_confirm: false })
    accepted(byName("createServiceOrder"), { ...create, need_user_confirm: false })
  })
})
