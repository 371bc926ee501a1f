import { describe, expect, it, layer } from "@effect/vitest"
import { Effect, Result } from "effect"
import type { WechatPayError } from "../../../src/index.js"
import { PayScorePermissions, WechatPayClient } from "../../../src/index.js"
import type { FakeWechatPay } from "../../../src/testing/index.js"
import * as fc from "../../helpers/fc.js"
import { makeSwitchableFake, verifyRequestSignature } from "../../helpers/merchant.js"

type Service = PayScorePermissions.PayScorePermissions.Service
type Params = Record<string, unknown>

interface Endpoint {
  readonly name: string
  readonly prefix: string
  readonly pathParam: string
  /** Valid parameters, in the order of the wire query (path parameter first). */
  readonly params: Readonly<Record<string, string>>
  readonly query: ReadonlyArray<string>
  readonly call: (service: Service, params: Params) => Effect.Effect<unknown, PayScorePermissions.QueryError>
}

/** Documented lengths (PROTOCOL.md §1). */
const MAX: Readonly<Record<string, number>> = {
  authorization_code: 32,
  openid: 128,
  service_id: 32,
  appid: 32,
  sub_mchid: 32,
  channel_id: 32
}

const endpoints: ReadonlyArray<Endpoint> = [
  {
    name: "queryByAuthorizationCode",
    prefix: "/v3/payscore/permissions/authorization-code",
    pathParam: "authorization_code",
    params: { authorization_code: "1234323JKHDFE1243252", service_id: "500001" },
    query: ["service_id"],
    call: (s, p) => s.queryByAuthorizationCode(p as never)
  },
  {
    name: "queryPartnerByAuthorizationCode",
    prefix: "/v3/payscore/partner/permissions/authorization-code",
    pathParam: "authorization_code",
    params: { authorization_code: "1234323JKHDFE1243252", service_id: "500001", sub_mchid: "1900000109" },
    query: ["service_id", "sub_mchid"],
    call: (s, p) => s.queryPartnerByAuthorizationCode(p as never)
  },
  {
    name: "queryAcquiringBankByAuthorizationCode",
    prefix: "/v3/payscore/acquiringbank/permissions/authorization-code",
    pathParam: "authorization_code",
    params: {
      authorization_code: "1234323JKHDFE1243252",
      service_id: "500001",
      channel_id: "7000000001",
      sub_mchid: "1900000109"
    },
    query: ["service_id", "channel_id", "sub_mchid"],
    call: (s, p) => s.queryAcquiringBankByAuthorizationCode(p as never)
  },
  {
    name: "queryByOpenid",
    prefix: "/v3/payscore/permissions/openid",
    pathParam: "openid",
    params: { openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", service_id: "500001", appid: "wxd678efh567hg6787" },
    query: ["service_id", "appid"],
    call: (s, p) => s.queryByOpenid(p as never)
  }
]

// ---------------------------------------------------------------------------------------------
// Oracles: the documented rules, written here independently of the library
// ---------------------------------------------------------------------------------------------

const isVisibleAscii = (s: string) => [...s].every((c) => c.charCodeAt(0) >= 0x21 && c.charCodeAt(0) <= 0x7e)
/** A query (or body) parameter: 1..max visible ASCII characters. */
const validParameter = (s: string, max: number) => s.length >= 1 && s.length <= max && isVisibleAscii(s)
/** A path segment: a parameter without / \ ? # %, and not "." or "..". */
const validSegment = (s: string, max: number) =>
  validParameter(s, max) && !/[/\\?#%]/.test(s) && s !== "." && s !== ".."

/** The documented character set of `authorization_code` (digits, letters, `_ - | *`). */
const validPathValue = (name: string, s: string) =>
  validSegment(s, MAX[name]!) && (name !== "authorization_code" || /^[0-9A-Za-z_\-|*]+$/.test(s))

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

/** Strings biased towards what could escape a path segment or a query value. */
const hostile = fc.oneof(
  fc.stringOf(
    fc.oneof(
      fc.constantFrom(
        "/",
        "\\",
        "?",
        "#",
        "%",
        ".",
        "..",
        " ",
        "\t",
        "\n",
        "\r",
        "\u0000",
        "\u007f",
        "%2F",
        "%2e",
        "%00",
        "&",
        "=",
        "+",
        ";",
        ":",
        "@",
        "~",
        "é",
        "中",
        "\u{1F600}",
        "\u00a0"
      ),
      fc.char()
    ),
    { maxLength: 40 }
  ),
  fc.constantFrom(".", "..", "...", "./", "../", "%2e%2e", "a/../b", "..%2F", "\\..", " a", "a ", "?", "#", "%")
)
const generators = [
  { name: "fc.string()", arbitrary: fc.string() },
  { name: "fc.fullUnicodeString()", arbitrary: fc.fullUnicodeString() },
  { name: "hostile strings", arbitrary: hostile }
] as const

// ---------------------------------------------------------------------------------------------
// Running a call against the fake
// ---------------------------------------------------------------------------------------------

const shared = makeSwitchableFake({ retries: 0 })

/** An unsigned 404: cheap to answer, and proves the request went out and its answer was read. */
const notFound: FakeWechatPay.Reply = { status: 404, body: { code: "NOT_FOUND", message: "nope" }, signWith: false }

const callWith = (endpoint: Endpoint, params: unknown, reply: FakeWechatPay.Reply = notFound) =>
  Effect.gen(function*() {
    shared.answer(() => reply)
    const service = yield* PayScorePermissions.PayScorePermissions
    const result = yield* Effect.result(endpoint.call(service, params as Params))
    return { result, received: [...shared.received] }
  })

const expectInvalidInput = (
  result: Result.Result<unknown, { readonly _tag: string }>,
  field: string | ReadonlyArray<string>
) => {
  if (Result.isSuccess(result)) throw new Error(`expected InvalidInput, got a success`)
  expect(result.failure._tag).toBe("InvalidInput")
  const error = result.failure as WechatPayError.InvalidInput
  if (typeof field === "string") expect(error.field).toBe(field)
  else expect(field).toContain(error.field)
  expect(error.message.length).toBeGreaterThan(0)
}

const expectSent = (result: Result.Result<unknown, { readonly _tag: string }>) => {
  if (Result.isSuccess(result)) throw new Error("expected the fake's NotFound")
  expect(result.failure._tag).toBe("NotFound")
}

const expectedSearch = (endpoint: Endpoint, params: Readonly<Record<string, string>>) =>
  "?" + endpoint.query.map((name) => `${name}=${encodeURIComponent(params[name]!)}`).join("&")

layer(shared.layer)("inputs", (it) => {
  describe("property: a path parameter is refused before sending, or is exactly one path segment", () => {
    for (const endpoint of endpoints) {
      for (const { name, arbitrary } of generators) {
        it.effect.prop(
          `${endpoint.name}: ${endpoint.pathParam} from ${name}`,
          [arbitrary],
          ([input]) =>
            Effect.gen(function*() {
              const { result, received } = yield* callWith(endpoint, {
                ...endpoint.params,
                [endpoint.pathParam]: input
              })
              if (validPathValue(endpoint.pathParam, input)) {
                expectSent(result)
                expect(received).toHaveLength(1)
                const { pathname, search } = received[0]!.url
                expect(pathname.startsWith(`${endpoint.prefix}/`)).toBe(true)
                const segment = pathname.slice(endpoint.prefix.length + 1)
                expect(segment).not.toContain("/")
                expect(segment.length).toBeGreaterThan(0)
                expect(decodeURIComponent(segment)).toBe(input)
                expect(search).toBe(expectedSearch(endpoint, endpoint.params))
              } else {
                expectInvalidInput(result, endpoint.pathParam)
                expect(received).toHaveLength(0)
              }
            }),
          { arbitrary: { runs: 20 } }
        )
      }
    }
  })

  describe("property: query values are encoded, never add or change a query parameter", () => {
    const acquiring = endpoints[2]!
    const value = fc.oneof(
      fc.stringOf(fc.oneof(fc.constantFrom("&", "=", "+", "%", "#", "?", "/", "%26", "a=b", " ", ";"), fc.char()), {
        maxLength: 34
      }),
      fc.string({ maxLength: 34 })
    )
    it.effect.prop(
      "queryAcquiringBankByAuthorizationCode: service_id, channel_id, sub_mchid",
      { service_id: value, channel_id: value, sub_mchid: value },
      (query) =>
        Effect.gen(function*() {
          const params: Record<string, string> = { ...acquiring.params, ...query }
          const { result, received } = yield* callWith(acquiring, params)
          const invalid = acquiring.query.filter((name) => !validParameter(params[name]!, MAX[name]!))
          if (invalid.length === 0) {
            expectSent(result)
            expect(received).toHaveLength(1)
            const url = received[0]!.url
            expect(url.pathname).toBe(`${acquiring.prefix}/${acquiring.params.authorization_code}`)
            expect([...url.searchParams.keys()]).toEqual(acquiring.query)
            for (const name of acquiring.query) expect(url.searchParams.get(name)).toBe(params[name])
            expect(url.hash).toBe("")
            // what was signed is what was sent
            expect(yield* verifyRequestSignature(received[0]!)).toBe(true)
          } else {
            expectInvalidInput(result, invalid)
            expect(received).toHaveLength(0)
          }
        }),
      { arbitrary: { runs: 30 } }
    )
  })

  describe("query values with & or = are encoded (they are valid parameters: sent, not refused)", () => {
    const partner = endpoints[1]!
    for (const serviceId of ["500001&sub_mchid=evil", "a=b", "x&y", "100%", "a+b", "x#y", "x?y"]) {
      it.effect(`service_id ${JSON.stringify(serviceId)}`, () =>
        Effect.gen(function*() {
          const { result, received } = yield* callWith(partner, { ...partner.params, service_id: serviceId })
          expectSent(result)
          const url = received[0]!.url
          expect([...url.searchParams.keys()]).toEqual(["service_id", "sub_mchid"])
          expect(url.searchParams.get("service_id")).toBe(serviceId)
          expect(url.searchParams.getAll("sub_mchid")).toEqual([partner.params.sub_mchid])
          expect(url.search).toBe(`?service_id=${encodeURIComponent(serviceId)}&sub_mchid=${partner.params.sub_mchid}`)
          expect(url.pathname).toBe(`${partner.prefix}/${partner.params.authorization_code}`)
          expect(yield* verifyRequestSignature(received[0]!)).toBe(true)
        }))
    }
  })

  describe("documented lengths, empty and missing parameters", () => {
    for (const endpoint of endpoints) {
      for (const field of Object.keys(endpoint.params)) {
        const max = MAX[field]!
        it.effect(`${endpoint.name}: ${field} of ${max} characters (the longest) is sent`, () =>
          Effect.gen(function*() {
            const longest = "7".repeat(max - 1) + "A"
            const { result, received } = yield* callWith(endpoint, { ...endpoint.params, [field]: longest })
            expectSent(result)
            expect(received).toHaveLength(1)
            const url = received[0]!.url
            if (field === endpoint.pathParam) expect(url.pathname).toBe(`${endpoint.prefix}/${longest}`)
            else expect(url.searchParams.get(field)).toBe(longest)
          }))

        it.effect(`${endpoint.name}: ${field} of ${max + 1} characters → InvalidInput(${field})`, () =>
          Effect.gen(function*() {
            const { result, received } = yield* callWith(endpoint, { ...endpoint.params, [field]: "7".repeat(max + 1) })
            expectInvalidInput(result, field)
            expect(received).toHaveLength(0)
          }))

        it.effect(`${endpoint.name}: ${field} empty → InvalidInput(${field})`, () =>
          Effect.gen(function*() {
            const { result, received } = yield* callWith(endpoint, { ...endpoint.params, [field]: "" })
            expectInvalidInput(result, field)
            expect(received).toHaveLength(0)
          }))

        it.effect(`${endpoint.name}: ${field} missing → InvalidInput(${field})`, () =>
          Effect.gen(function*() {
            const { [field]: _, ...rest } = endpoint.params
            const { result, received } = yield* callWith(endpoint, rest)
            expectInvalidInput(result, field)
            expect(received).toHaveLength(0)
          }))

        it.effect(`${endpoint.name}: ${field} not a string (a number, null) → InvalidInput(${field})`, () =>
          Effect.gen(function*() {
            for (const value of [1275342195190894594, null, undefined, ["a"]]) {
              const { result, received } = yield* callWith(endpoint, { ...endpoint.params, [field]: value })
              expectInvalidInput(result, field)
              expect(received).toHaveLength(0)
            }
          }))
      }

      it.effect(`${endpoint.name}: no parameters at all (null, undefined, a string) → InvalidInput, never a defect`, () =>
        Effect.gen(function*() {
          for (const params of [null, undefined, "x", {}]) {
            const { result, received } = yield* callWith(endpoint, params)
            if (Result.isSuccess(result)) throw new Error("expected InvalidInput")
            expect(result.failure._tag).toBe("InvalidInput")
            expect(received).toHaveLength(0)
          }
        }))
    }
  })

  describe("a 19-digit numeric authorization_code stays a string", () => {
    const CODE = "1275342195190894594"
    const answer = {
      service_id: "500001",
      appid: "wxd678efh567hg6787",
      mchid: "1230000109",
      authorization_state: "AVAILABLE"
    }
    for (const endpoint of endpoints.slice(0, 3)) {
      it.effect(`${endpoint.name}: sent exactly in the path, decoded exactly from the answer`, () =>
        Effect.gen(function*() {
          const { result, received } = yield* callWith(
            endpoint,
            { ...endpoint.params, authorization_code: CODE },
            { body: { ...answer, sub_mchid: "1900000109", authorization_code: CODE } }
          )
          expect(received[0]!.url.pathname).toBe(`${endpoint.prefix}/${CODE}`)
          if (Result.isFailure(result)) throw new Error(`expected a success, got ${result.failure._tag}`)
          const record = result.success as { authorization_code: unknown }
          expect(typeof record.authorization_code).toBe("string")
          expect(record.authorization_code).toBe(CODE)
          // as a JS number it would not survive
          expect(String(Number(CODE))).not.toBe(CODE)
        }))
    }

    it.effect("queryByOpenid: an answer's 19-digit authorization_code decodes to exactly that string", () =>
      Effect.gen(function*() {
        const { result } = yield* callWith(endpoints[3]!, endpoints[3]!.params, {
          body:
            `{"service_id":"500001","appid":"wxd678efh567hg6787","mchid":"1230000109","authorization_state":"AVAILABLE","authorization_code":"${CODE}"}`
        })
        if (Result.isFailure(result)) throw new Error(`expected a success, got ${result.failure._tag}`)
        expect((result.success as { authorization_code?: string }).authorization_code).toBe(CODE)
      }))

    it.effect("an answer carrying the code as a JSON number is a DecodeError, never a rounded string", () =>
      Effect.gen(function*() {
        const { result } = yield* callWith(endpoints[0]!, { ...endpoints[0]!.params, authorization_code: CODE }, {
          body:
            `{"service_id":"500001","appid":"wxd678efh567hg6787","mchid":"1230000109","authorization_state":"AVAILABLE","authorization_code":${CODE}}`
        })
        if (Result.isSuccess(result)) throw new Error("expected DecodeError")
        expect(result.failure._tag).toBe("DecodeError")
      }))
  })

  describe("WechatPayClient.execute (the general pipeline) never dies on odd inputs", () => {
    it.effect("a query value with a lone surrogate → InvalidInput, nothing sent", () =>
      Effect.gen(function*() {
        shared.answer(() => notFound)
        const client = yield* WechatPayClient.WechatPayClient
        // before the fix, encodeURIComponent threw a URIError here: a defect, not a typed error
        const result = yield* Effect.result(
          client.execute({ method: "GET", path: "/v3/payscore/permissions", query: { service_id: "a\uD800b" } })
        )
        expectInvalidInput(result, "service_id")
        expect(shared.received).toHaveLength(0)
      }))

    it.effect("a missing or non-string path parameter → InvalidInput naming it, nothing sent", () =>
      Effect.gen(function*() {
        shared.answer(() => notFound)
        const client = yield* WechatPayClient.WechatPayClient
        const path = "/v3/payscore/permissions/openid/{openid}"
        expectInvalidInput(yield* Effect.result(client.execute({ method: "GET", path })), "openid")
        expectInvalidInput(
          yield* Effect.result(
            client.execute({ method: "GET", path, pathParams: { openid: 42 as unknown as string } })
          ),
          "openid"
        )
        expect(shared.received).toHaveLength(0)
      }))
  })
})

describe("WechatPayClient.buildPath", () => {
  const template = "/v3/x/{p}/tail"
  for (const { name, arbitrary } of generators) {
    it.prop(
      `property over ${name}: InvalidInput(p), or exactly one segment that decodes to the input`,
      [arbitrary],
      ([input]) => {
        const built = WechatPayClient.buildPath(template, { p: input })
        if (validSegment(input, Number.POSITIVE_INFINITY)) {
          if (Result.isFailure(built)) throw new Error(`refused a valid segment: ${JSON.stringify(input)}`)
          const path = built.success
          expect(path.startsWith("/v3/x/")).toBe(true)
          expect(path.endsWith("/tail")).toBe(true)
          const segment = path.slice("/v3/x/".length, -"/tail".length)
          expect(segment).not.toMatch(/[/?#]/)
          expect(decodeURIComponent(segment)).toBe(input)
          // a URL parser sees the same path: no dot-segment or backslash normalisation happened
          expect(new URL(path, "https://api.mch.weixin.qq.com").pathname).toBe(path)
        } else {
          if (Result.isSuccess(built)) throw new Error(`accepted an invalid segment: ${JSON.stringify(input)}`)
          expect(built.failure._tag).toBe("InvalidInput")
          expect(built.failure.field).toBe("p")
        }
      },
      { arbitrary: { runs: 500 } }
    )
  }

  it.prop("property: any well-formed query value round-trips through URLSearchParams", [
    fc.oneof(fc.string(), fc.fullUnicodeString(), hostile)
  ], ([value]) => {
    const built = WechatPayClient.buildPath("/v3/x", {}, { service_id: value, appid: "wx1" })
    if (Result.isFailure(built)) throw new Error(`refused ${JSON.stringify(value)}`)
    const url = new URL(built.success, "https://api.mch.weixin.qq.com")
    expect(url.pathname).toBe("/v3/x")
    expect([...url.searchParams.keys()]).toEqual(["service_id", "appid"])
    expect(url.searchParams.get("service_id")).toBe(value)
    expect(url.searchParams.get("appid")).toBe("wx1")
  }, { arbitrary: { runs: 500 } })

  it("a query value with a lone surrogate is refused with InvalidInput, not thrown", () => {
    const built = WechatPayClient.buildPath("/v3/x", {}, { service_id: "\uD800" })
    expect(Result.isFailure(built) && built.failure.field).toBe("service_id")
  })

  it("a placeholder without a value → InvalidInput naming it", () => {
    const built = WechatPayClient.buildPath("/v3/x/{p}", {})
    expect(Result.isFailure(built) && built.failure.field).toBe("p")
  })

  it("templates are checked and split once, with the same results: several placeholders, no leading /, a bad template refused on every call", () => {
    const two = "v3/a/{x}/b/{y}"
    for (let i = 0; i < 3; i++) {
      expect(WechatPayClient.buildPath(two, { x: "1", y: "two" })).toEqual(Result.succeed("/v3/a/1/b/two"))
      expect(WechatPayClient.buildPath(`/${two}`, { x: "1", y: "two" })).toEqual(Result.succeed("/v3/a/1/b/two"))
      const missing = WechatPayClient.buildPath(two, { x: "1" })
      expect(Result.isFailure(missing) && missing.failure.message).toBe("y is required by the path")
      const bad = WechatPayClient.buildPath(two, { x: "1", y: "a/b" })
      expect(Result.isFailure(bad) && bad.failure.field).toBe("y")
      const refused = WechatPayClient.buildPath("/v3/a?b={x}", { x: "1" })
      expect(Result.isFailure(refused) && refused.failure.field).toBe("path")
      expect(Result.isFailure(WechatPayClient.buildPath("/v3/a b", {})) && "refused").toBe("refused")
    }
    // a placeholder at the very start and end, and names that are not placeholders stay literal
    expect(WechatPayClient.buildPath("{a}/{b}", { a: "x", b: "y" })).toEqual(Result.succeed("/x/y"))
    expect(WechatPayClient.buildPath("/v3/{a-b}/{c}", { c: "z" })).toEqual(Result.succeed("/v3/{a-b}/z"))
  })

  it("paths built on the fly past the template cache's bound are still built and checked", () => {
    for (let i = 0; i < 600; i++) {
      expect(WechatPayClient.buildPath(`/v3/dynamic/${i}/{p}`, { p: "v" })).toEqual(
        Result.succeed(`/v3/dynamic/${i}/v`)
      )
      const bad = WechatPayClient.buildPath(`/v3/dynamic/${i}/{p}`, { p: ".." })
      expect(Result.isFailure(bad) && bad.failure.field).toBe("p")
    }
  })

  it("query order is kept and undefined values are left out", () => {
    const built = WechatPayClient.buildPath("/v3/x", {}, { b: "2", a: "1", c: undefined })
    expect(built).toEqual(Result.succeed("/v3/x?b=2&a=1"))
  })
})
