/**
 * The four queries' inputs: every path parameter is refused before sending or is exactly one path
 * segment, query values are encoded and never add a parameter, the documented lengths, and a
 * 19-digit authorization_code stays a string both ways.
 */
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Either, FastCheck as fc } from "effect"
import type { WechatPayError } from "../../../src/index.js"
import { PayScorePermissions } from "../../../src/index.js"
import type { FakeWechatPay } from "../../../src/testing/index.js"
import { generators, validParameter, validSegment } from "../../helpers/arbitraries.js"
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

/** The documented character set of `authorization_code` (digits, letters, `_ - | *`). */
const validPathValue = (name: string, s: string) =>
  validSegment(s, MAX[name]!) && (name !== "authorization_code" || /^[0-9A-Za-z_\-|*]+$/.test(s))

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
    const result = yield* Effect.either(endpoint.call(service, params as Params))
    return { result, received: [...shared.received] }
  })

const expectInvalidInput = (
  result: Either.Either<unknown, { readonly _tag: string }>,
  field: string | ReadonlyArray<string>
) => {
  if (Either.isRight(result)) throw new Error(`expected InvalidInput, got a success`)
  expect(result.left._tag).toBe("InvalidInput")
  const error = result.left as WechatPayError.InvalidInput
  if (typeof field === "string") expect(error.field).toBe(field)
  else expect(field).toContain(error.field)
  expect(error.message.length).toBeGreaterThan(0)
}

const expectSent = (result: Either.Either<unknown, { readonly _tag: string }>) => {
  if (Either.isRight(result)) throw new Error("expected the fake's NotFound")
  expect(result.left._tag).toBe("NotFound")
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
          { fastCheck: { numRuns: 20 } }
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
      { fastCheck: { numRuns: 30 } }
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
            if (Either.isRight(result)) throw new Error("expected InvalidInput")
            expect(result.left._tag).toBe("InvalidInput")
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
          if (Either.isLeft(result)) throw new Error(`expected a success, got ${result.left._tag}`)
          const record = result.right as { authorization_code: unknown }
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
        if (Either.isLeft(result)) throw new Error(`expected a success, got ${result.left._tag}`)
        expect((result.right as { authorization_code?: string }).authorization_code).toBe(CODE)
      }))

    it.effect("an answer carrying the code as a JSON number is a DecodeError, never a rounded string", () =>
      Effect.gen(function*() {
        const { result } = yield* callWith(endpoints[0]!, { ...endpoints[0]!.params, authorization_code: CODE }, {
          body:
            `{"service_id":"500001","appid":"wxd678efh567hg6787","mchid":"1230000109","authorization_state":"AVAILABLE","authorization_code":${CODE}}`
        })
        if (Either.isRight(result)) throw new Error("expected DecodeError")
        expect(result.left._tag).toBe("DecodeError")
      }))
  })
})
