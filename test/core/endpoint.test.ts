/**
 * Endpoints as data (src/core/endpoint.ts): checked parameters split into path, query and body — a
 * path parameter never in the body, the query in the declared order, a GET without a body — and,
 * over every declaration of src/core/endpoints (whatever files it holds), that each declaration is
 * consistent: its template splits, each placeholder's rule is a required string rule, each query
 * field is a parameter, no field is both.
 */
import { describe, expect, it } from "@effect/vitest"
import { readdirSync } from "node:fs"
import { fileURLToPath } from "node:url"
import * as Endpoint from "../../src/core/endpoint.js"
import * as Fields from "../../src/core/fields.js"
import * as Path from "../../src/core/path.js"

const { optional, required } = Fields

// ---------------------------------------------------------------------------------------------
// Every declaration of src/core/endpoints
// ---------------------------------------------------------------------------------------------

const ENDPOINTS_DIR = fileURLToPath(new URL("../../src/core/endpoints/", import.meta.url))

const isEndpoint = (u: unknown): u is Endpoint.Any & { readonly params: Fields.ObjectRule<unknown> } =>
  typeof u === "object" && u !== null && typeof (u as { name?: unknown }).name === "string" &&
  typeof (u as { path?: unknown }).path === "string" && ((u as { method?: unknown }).method === "GET" ||
    (u as { method?: unknown }).method === "POST") &&
  (u as { params?: { kind?: unknown } }).params?.kind === "object"

/** Every endpoint exported by a module of src/core/endpoints, with the file it is in. */
const declarations: ReadonlyArray<{ readonly file: string; readonly endpoint: Endpoint.Any }> = (
  await Promise.all(
    readdirSync(ENDPOINTS_DIR).filter((name) => name.endsWith(".ts")).map(async (file) => {
      const module = (await import(`../../src/core/endpoints/${file.replace(/\.ts$/, ".js")}`)) as Record<
        string,
        unknown
      >
      return Object.values(module).filter(isEndpoint).map((endpoint) => ({ file, endpoint }))
    })
  )
).flat()
const unique = [...new Map(declarations.map((d) => [d.endpoint, d])).values()]

const fieldsOf = (endpoint: Endpoint.Any) =>
  endpoint.params.fields as Readonly<Record<string, Fields.Field<unknown> & { readonly rule: Fields.Rule }>>

describe("every declaration in src/core/endpoints", () => {
  it("there are declarations (the permission endpoints at least), with unique operations", () => {
    expect(unique.map((d) => d.file)).toContain("permissions.ts")
    expect(unique.length).toBeGreaterThanOrEqual(15)
    const operations = unique.map((d) => Endpoint.operation(d.endpoint))
    expect(new Set(operations).size).toBe(operations.length)
  })

  for (const { endpoint, file } of unique) {
    it(`${file}: ${Endpoint.operation(endpoint)} (${endpoint.method} ${endpoint.path})`, () => {
      const tpl = Endpoint.templateOf(endpoint)
      expect(tpl.path).toBe(endpoint.path)
      expect(endpoint.path.startsWith("/v3/")).toBe(true)
      const fields = fieldsOf(endpoint)
      // each placeholder: a declared parameter whose rule is a required string rule
      for (const name of tpl.names) {
        expect([name, fields[name]?.rule.kind, fields[name]?.optional]).toEqual([name, "string", false])
      }
      // each query field: a declared parameter, not also in the path, listed once
      for (const name of endpoint.query) {
        expect([name, name in fields, tpl.names.includes(name)]).toEqual([name, true, false])
      }
      expect(new Set(endpoint.query).size).toBe(endpoint.query.length)
      // a GET has no body fields; a POST's body fields are the rest, in declaration order
      const rest = Object.keys(fields).filter((n) => !tpl.names.includes(n) && !endpoint.query.includes(n))
      expect(Endpoint.bodyFields(endpoint)).toEqual(endpoint.method === "GET" ? [] : rest)
      expect(endpoint.errors.length).toBeGreaterThan(0)
      expect(endpoint.summary.length).toBeGreaterThan(0)
    })

    it(`${file}: ${Endpoint.operation(endpoint)} splits: path parameters never in the body, the query in order`, () => {
      const fields = Object.keys(fieldsOf(endpoint))
      const params = Object.fromEntries([...fields].reverse().map((name) => [name, `v_${name}`]))
      const parts = Endpoint.split(endpoint, params)
      const tpl = Endpoint.templateOf(endpoint)
      expect(parts.pathParams).toEqual(Object.fromEntries(tpl.names.map((n) => [n, `v_${n}`])))
      expect(parts.query).toEqual(endpoint.query.map((n) => [n, `v_${n}`]))
      if (endpoint.method === "GET") {
        expect(parts.body).toBeUndefined()
      } else {
        expect(Object.keys(parts.body!)).toEqual(Endpoint.bodyFields(endpoint))
        for (const name of [...tpl.names, ...endpoint.query]) expect(Object.keys(parts.body!)).not.toContain(name)
      }
    })
  }
})

// ---------------------------------------------------------------------------------------------
// split, check and the template on an endpoint made here
// ---------------------------------------------------------------------------------------------

interface OrderParams {
  readonly out_order_no: string
  readonly service_id: string
  readonly appid: string
  readonly reason: string
  readonly note?: string | undefined
}

const cancel: Endpoint.Endpoint<OrderParams, "cancel"> = {
  name: "cancel",
  service: "PayScoreServiceOrders",
  method: "POST",
  path: "/v3/payscore/serviceorder/{out_order_no}/cancel",
  query: [],
  params: Fields.object<OrderParams>({
    out_order_no: required(Fields.segment(32)),
    service_id: required(Fields.id(32)),
    appid: required(Fields.id(32)),
    reason: required(Fields.text(50)),
    note: optional(Fields.text(10))
  }),
  answer: "json",
  idempotent: false,
  errors: [{ status: 400, code: "PARAM_ERROR", meaning: "a parameter is wrong" }],
  summary: "cancel an order"
}

const query: Endpoint.Endpoint<Omit<OrderParams, "reason" | "note">, "query"> = {
  ...cancel,
  name: "query",
  method: "GET",
  path: "/v3/payscore/serviceorder/{out_order_no}",
  query: ["service_id", "appid"],
  params: Fields.object<Omit<OrderParams, "reason" | "note">>({
    appid: required(Fields.id(32)),
    out_order_no: required(Fields.segment(32)),
    service_id: required(Fields.id(32))
  }),
  idempotent: true
}

describe("split", () => {
  it("a POST: the path parameter in the path only, the rest in the body in declaration order", () => {
    expect(Endpoint.split(cancel, { reason: "用户取消", appid: "wx1", out_order_no: "O1", service_id: "5" })).toEqual({
      pathParams: { out_order_no: "O1" },
      query: [],
      body: { service_id: "5", appid: "wx1", reason: "用户取消" }
    })
    expect(Endpoint.bodyFields(cancel)).toEqual(["service_id", "appid", "reason", "note"])
  })

  it("a GET: no body, the query in the declared order whatever the parameters' order", () => {
    expect(Endpoint.split(query, { appid: "wx1", out_order_no: "O1", service_id: "5" })).toEqual({
      pathParams: { out_order_no: "O1" },
      query: [["service_id", "5"], ["appid", "wx1"]],
      body: undefined
    })
    expect(Endpoint.bodyFields(query)).toEqual([])
  })

  it("check: the parameters reduced to the declared fields, or the first problem", () => {
    expect(Endpoint.check(cancel, { out_order_no: "O1", service_id: "5", appid: "wx1", reason: "r", x: 1 })).toEqual({
      out_order_no: "O1",
      service_id: "5",
      appid: "wx1",
      reason: "r"
    })
    expect(Endpoint.check(cancel, { out_order_no: "a/b", service_id: "5", appid: "wx1", reason: "r" })).toEqual(
      Path.inputProblem("out_order_no", "out_order_no must not contain any of / \\ ? # %")
    )
  })

  it("templateOf splits once (the same object each time) and refuses a bad template loudly", () => {
    expect(Endpoint.templateOf(cancel)).toBe(Endpoint.templateOf(cancel))
    expect(Endpoint.templateOf(cancel).names).toEqual(["out_order_no"])
    expect(() => Endpoint.templateOf({ ...cancel, path: "/v3/x?y={out_order_no}" })).toThrow(
      "endpoint cancel: path must be printable ASCII without ? or # (use query)"
    )
    expect(Endpoint.operation(cancel)).toBe("PayScoreServiceOrders.cancel")
  })
})
