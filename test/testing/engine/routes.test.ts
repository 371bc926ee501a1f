/**
 * The sandbox's routing (src/testing/engine/routes.ts), without HTTP: endpoints found from their
 * declarations, path parameters decoded one segment at a time and checked by the endpoint's rules.
 */
import { describe, expect, it } from "@effect/vitest"
import { endpoints } from "../../../src/testing/engine/permissions.js"
import { matchRoute as match } from "../../../src/testing/engine/routes.js"

const matchRoute = (method: string, url: string) => match(endpoints, { method, url })

describe("sandbox routes", () => {
  it("matches each endpoint and decodes path parameters one segment at a time", () => {
    const match = matchRoute("GET", "/v3/payscore/permissions/authorization-code/a%2Fb?service_id=500001")
    // a/b is one segment, decoded: refused by the rules (no value may carry a /)
    expect(match._tag === "ParamError" && [match.endpoint.name, match.problem.field, match.problem.location]).toEqual([
      "queryByAuthorizationCode",
      "authorization_code",
      "uri_template"
    ])
    const plain = matchRoute("GET", "/v3/payscore/permissions/authorization-code/a%7Cb?service_id=500001")
    expect(plain._tag).toBe("Matched")
    if (plain._tag !== "Matched") return
    expect(plain.endpoint.name).toBe("queryByAuthorizationCode")
    expect(plain.params).toEqual({ authorization_code: "a|b", service_id: "500001" })
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
