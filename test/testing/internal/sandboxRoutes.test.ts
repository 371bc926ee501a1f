/**
 * The sandbox's routing and parameter checks, without HTTP.
 */
import { describe, expect, it } from "@effect/vitest"
import { matchRoute } from "../../../src/testing/internal/sandboxRoutes.js"

describe("sandbox routes", () => {
  it("matches each endpoint and decodes path parameters one segment at a time", () => {
    const match = matchRoute("GET", "/v3/payscore/permissions/authorization-code/a%2Fb?service_id=500001")
    expect(match._tag).toBe("Matched")
    if (match._tag !== "Matched") return
    expect(match.route.endpoint).toBe("Merchant")
    expect(match.params).toEqual({ authorization_code: "a/b", service_id: "500001" })
    const openid = matchRoute("GET", "/v3/payscore/permissions/openid/o1?appid=wx1&service_id=5")
    expect(openid._tag === "Matched" && openid.params).toEqual({ openid: "o1", service_id: "5", appid: "wx1" })
  })

  it("tells a missing route from a wrong method and from bad parameters", () => {
    expect(matchRoute("GET", "/v3/payscore/no-such-api")._tag).toBe("NoRoute")
    expect(matchRoute("POST", "/v3/payscore/permissions/openid/o1?appid=wx1&service_id=5")).toEqual({
      _tag: "MethodNotAllowed",
      allowed: "GET"
    })
    const bad = matchRoute("GET", "/v3/payscore/permissions/openid/%E0%A4%A?appid=wx1&service_id=5")
    expect(bad._tag === "ParamError" && bad.problem.field).toBe("openid")
  })
})
