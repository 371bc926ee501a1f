/**
 * Request targets (src/core/path.ts): templates split once, every path parameter checked and
 * encoded as exactly one segment, the query appended in order; every refusal an `InputProblem`
 * naming the field, never a throw.
 */
import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import * as Path from "../../src/core/path.js"
import { generators, validSegment } from "../helpers/arbitraries.js"

const tpl = (path: string): Path.Template => {
  const made = Path.template(path)
  if (!Path.isTemplate(made)) throw new Error(made.message)
  return made
}

describe("template", () => {
  it("splits at the placeholders: one more literal than names; a missing leading / is added", () => {
    expect(Path.template("/v3/a/{x}/b/{y}")).toEqual({
      path: "/v3/a/{x}/b/{y}",
      literals: ["/v3/a/", "/b/", ""],
      names: ["x", "y"]
    })
    expect(Path.template("v3/{x}")).toEqual({ path: "/v3/{x}", literals: ["/v3/", ""], names: ["x"] })
    expect(Path.template("/v3/{a-b}")).toEqual({ path: "/v3/{a-b}", literals: ["/v3/{a-b}"], names: [] })
    expect(Path.placeholders("/v3/{a}/{b_2}/{c-d}")).toEqual(["a", "b_2"])
  })

  it("refuses a template with ? or #, or that is not printable ASCII, naming the path", () => {
    for (const bad of ["/v3/a?b={x}", "/v3/a#x", "/v3/a b", "/v3/é", "/v3/\n"]) {
      expect(Path.template(bad)).toEqual({
        _tag: "InputProblem",
        field: "path",
        message: "path must be printable ASCII without ? or # (use query)"
      })
    }
  })
})

describe("pathSegment", () => {
  it("encodes what passes; refuses a non-string, the empty string, spaces and controls, / \\ ? # %, . and ..", () => {
    expect(Path.pathSegment("p", "a|b*c")).toBe("a%7Cb*c")
    expect(Path.pathSegment("p", "...")).toBe("...")
    expect(Path.pathSegment("p", 42)).toEqual(Path.inputProblem("p", "p must be a string"))
    expect(Path.pathSegment("p", "")).toEqual(Path.inputProblem("p", "p must not be empty"))
    for (const value of ["a b", "a\tb", "é", "\u0000"]) {
      expect(Path.pathSegment("p", value)).toEqual(
        Path.inputProblem("p", "p must be printable ASCII without spaces or control characters")
      )
    }
    for (const value of ["a/b", "a\\b", "a?b", "a#b", "a%2Fb"]) {
      expect(Path.pathSegment("p", value)).toEqual(Path.inputProblem("p", "p must not contain any of / \\ ? # %"))
    }
    for (const value of [".", ".."]) {
      expect(Path.pathSegment("p", value)).toEqual(Path.inputProblem("p", 'p must not be "." or ".."'))
    }
  })

  for (const { arbitrary, name } of generators) {
    it.prop(`property over ${name}: a problem naming the field, or one segment decoding to the input`, [
      arbitrary
    ], ([input]) => {
      const segment = Path.pathSegment("p", input)
      if (validSegment(input, Number.POSITIVE_INFINITY)) {
        expect(typeof segment).toBe("string")
        expect(decodeURIComponent(segment as string)).toBe(input)
        expect(segment).not.toMatch(/[/?#\\]/)
      } else {
        expect(Path.isInputProblem(segment) && segment.field).toBe("p")
      }
    }, { fastCheck: { numRuns: 300 } })
  }
})

describe("buildTarget", () => {
  it("fills the placeholders and appends the query in order, undefined values left out", () => {
    const query = [["b", "2"], ["a", undefined], ["c", "你 &="]] as const
    expect(Path.buildTarget(tpl("/v3/a/{x}/b"), { x: "1_2" }, query)).toBe("/v3/a/1_2/b?b=2&c=%E4%BD%A0%20%26%3D")
    expect(Path.buildTarget(tpl("/v3/x"), {}, [])).toBe("/v3/x")
  })

  it("a placeholder without a value, or with a bad one, is a problem naming it", () => {
    expect(Path.buildTarget(tpl("/v3/{x}/{y}"), { x: "1" }, [])).toEqual(
      Path.inputProblem("y", "y is required by the path")
    )
    expect(Path.buildTarget(tpl("/v3/{x}"), { x: "../admin" }, [])).toEqual(
      Path.inputProblem("x", "x must not contain any of / \\ ? # %")
    )
  })

  it("a query value that is not a string, or not well-formed Unicode, is a problem naming it (never a URIError)", () => {
    expect(Path.buildTarget(tpl("/v3/x"), {}, [["n", 1]])).toEqual(Path.inputProblem("n", "n must be a string"))
    expect(Path.buildTarget(tpl("/v3/x"), {}, [["s", "a\uD800b"]])).toEqual(
      Path.inputProblem("s", "s is not well-formed Unicode")
    )
  })

  it.prop("property: any well-formed query value round-trips and adds no parameter", [fc.fullUnicodeString()], (
    [value]
  ) => {
    const target = Path.buildTarget(tpl("/v3/x"), {}, [["service_id", value], ["appid", "wx1"]])
    const url = new URL(target as string, "https://api.mch.weixin.qq.com")
    expect([...url.searchParams.keys()]).toEqual(["service_id", "appid"])
    expect(url.searchParams.get("service_id")).toBe(value)
  })
})

describe("the small checks", () => {
  it("notVisibleAscii and notOneSegment say what is wrong, or nothing", () => {
    expect(Path.notVisibleAscii("abc!~")).toBeUndefined()
    expect(Path.notVisibleAscii("a b")).toBe("must be printable ASCII without spaces or control characters")
    expect(Path.notOneSegment("abc")).toBeUndefined()
    expect(Path.notOneSegment("..")).toBe('must not be "." or ".."')
    expect(Path.isInputProblem({ _tag: "InputProblem" })).toBe(true)
    expect(Path.isInputProblem(null)).toBe(false)
  })
})
