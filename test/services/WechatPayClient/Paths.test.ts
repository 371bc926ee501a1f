/**
 * `WechatPayClient.buildPath` (every path parameter exactly one segment, query values encoded, in
 * order) and `execute`, the general pipeline, on odd inputs: a typed `InvalidInput`, never a defect,
 * and nothing sent.
 */
import { describe, expect, it, layer } from "@effect/vitest"
import { Effect, Either, FastCheck as fc } from "effect"
import type { WechatPayError } from "../../../src/index.js"
import { WechatPayClient } from "../../../src/index.js"
import type { FakeWechatPay } from "../../../src/testing/index.js"
import { generators, hostile, validSegment } from "../../helpers/arbitraries.js"
import { makeSwitchableFake } from "../../helpers/merchant.js"

const shared = makeSwitchableFake({ retries: 0 })

/** An unsigned 404: cheap to answer, and proves the request went out and its answer was read. */
const notFound: FakeWechatPay.Reply = { status: 404, body: { code: "NOT_FOUND", message: "nope" }, signWith: false }

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

layer(shared.layer)("inputs", (it) => {
  describe("WechatPayClient.execute (the general pipeline) never dies on odd inputs", () => {
    it.effect("a query value with a lone surrogate → InvalidInput, nothing sent", () =>
      Effect.gen(function*() {
        shared.answer(() => notFound)
        const client = yield* WechatPayClient.WechatPayClient
        // before the fix, encodeURIComponent threw a URIError here: a defect, not a typed error
        const result = yield* Effect.either(
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
        expectInvalidInput(yield* Effect.either(client.execute({ method: "GET", path })), "openid")
        expectInvalidInput(
          yield* Effect.either(
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
          if (Either.isLeft(built)) throw new Error(`refused a valid segment: ${JSON.stringify(input)}`)
          const path = built.right
          expect(path.startsWith("/v3/x/")).toBe(true)
          expect(path.endsWith("/tail")).toBe(true)
          const segment = path.slice("/v3/x/".length, -"/tail".length)
          expect(segment).not.toMatch(/[/?#]/)
          expect(decodeURIComponent(segment)).toBe(input)
          // a URL parser sees the same path: no dot-segment or backslash normalisation happened
          expect(new URL(path, "https://api.mch.weixin.qq.com").pathname).toBe(path)
        } else {
          if (Either.isRight(built)) throw new Error(`accepted an invalid segment: ${JSON.stringify(input)}`)
          expect(built.left._tag).toBe("InvalidInput")
          expect(built.left.field).toBe("p")
        }
      },
      { fastCheck: { numRuns: 500 } }
    )
  }

  it.prop("property: any well-formed query value round-trips through URLSearchParams", [
    fc.oneof(fc.string(), fc.fullUnicodeString(), hostile)
  ], ([value]) => {
    const built = WechatPayClient.buildPath("/v3/x", {}, { service_id: value, appid: "wx1" })
    if (Either.isLeft(built)) throw new Error(`refused ${JSON.stringify(value)}`)
    const url = new URL(built.right, "https://api.mch.weixin.qq.com")
    expect(url.pathname).toBe("/v3/x")
    expect([...url.searchParams.keys()]).toEqual(["service_id", "appid"])
    expect(url.searchParams.get("service_id")).toBe(value)
    expect(url.searchParams.get("appid")).toBe("wx1")
  }, { fastCheck: { numRuns: 500 } })

  it("a query value with a lone surrogate is refused with InvalidInput, not thrown", () => {
    const built = WechatPayClient.buildPath("/v3/x", {}, { service_id: "\uD800" })
    expect(Either.isLeft(built) && built.left.field).toBe("service_id")
  })

  it("a placeholder without a value → InvalidInput naming it", () => {
    const built = WechatPayClient.buildPath("/v3/x/{p}", {})
    expect(Either.isLeft(built) && built.left.field).toBe("p")
  })

  it("templates are checked and split once, with the same results: several placeholders, no leading /, a bad template refused on every call", () => {
    const two = "v3/a/{x}/b/{y}"
    for (let i = 0; i < 3; i++) {
      expect(WechatPayClient.buildPath(two, { x: "1", y: "two" })).toEqual(Either.right("/v3/a/1/b/two"))
      expect(WechatPayClient.buildPath(`/${two}`, { x: "1", y: "two" })).toEqual(Either.right("/v3/a/1/b/two"))
      const missing = WechatPayClient.buildPath(two, { x: "1" })
      expect(Either.isLeft(missing) && missing.left.message).toBe("y is required by the path")
      const bad = WechatPayClient.buildPath(two, { x: "1", y: "a/b" })
      expect(Either.isLeft(bad) && bad.left.field).toBe("y")
      const refused = WechatPayClient.buildPath("/v3/a?b={x}", { x: "1" })
      expect(Either.isLeft(refused) && refused.left.field).toBe("path")
      expect(Either.isLeft(WechatPayClient.buildPath("/v3/a b", {})) && "refused").toBe("refused")
    }
    // a placeholder at the very start and end, and names that are not placeholders stay literal
    expect(WechatPayClient.buildPath("{a}/{b}", { a: "x", b: "y" })).toEqual(Either.right("/x/y"))
    expect(WechatPayClient.buildPath("/v3/{a-b}/{c}", { c: "z" })).toEqual(Either.right("/v3/{a-b}/z"))
  })

  it("paths built on the fly past the template cache's bound are still built and checked", () => {
    for (let i = 0; i < 600; i++) {
      expect(WechatPayClient.buildPath(`/v3/dynamic/${i}/{p}`, { p: "v" })).toEqual(Either.right(`/v3/dynamic/${i}/v`))
      const bad = WechatPayClient.buildPath(`/v3/dynamic/${i}/{p}`, { p: ".." })
      expect(Either.isLeft(bad) && bad.left.field).toBe("p")
    }
  })

  it("query order is kept and undefined values are left out", () => {
    const built = WechatPayClient.buildPath("/v3/x", {}, { b: "2", a: "1", c: undefined })
    expect(built).toEqual(Either.right("/v3/x?b=2&a=1"))
  })
})
