/**
 * The Pay Score permission endpoints as declared (src/core/endpoints/permissions.ts): the fifteen
 * methods in the service's order, what each kind is (queries, applies, terminations), and the rules
 * between fields that the declarations carry.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Endpoint from "../../../src/core/endpoint.js"
import * as Common from "../../../src/core/endpoints/common.js"
import * as Permissions from "../../../src/core/endpoints/permissions.js"
import { inputProblem } from "../../../src/core/path.js"

describe("the permission endpoints", () => {
  it("all: every endpoint the module declares, once, each exported under its own name, of PayScorePermissions", () => {
    const declared = Object.values(Permissions).filter((value): value is (typeof Permissions.all)[number] =>
      typeof value === "object" && value !== null && "path" in value && "params" in value && "method" in value
    )
    expect(new Set(Permissions.all)).toEqual(new Set(declared))
    expect(new Set(Permissions.all.map((e) => e.name)).size).toBe(Permissions.all.length)
    for (const endpoint of Permissions.all) {
      expect((Permissions as Record<string, unknown>)[endpoint.name]).toBe(endpoint)
      expect(endpoint.service).toBe("PayScorePermissions")
    }
  })

  it("all: the fifteen documented methods, in the order of the service's methods", () => {
    const documented = [
      "queryByAuthorizationCode",
      "queryPartnerByAuthorizationCode",
      "queryAcquiringBankByAuthorizationCode",
      "queryByOpenid",
      "queryPartnerByOpenid",
      "applyPermissions",
      "applyPartnerPermissions",
      "applyAcquiringBankPermissions",
      "applyPartnerPermissionsForScene",
      "assessUserRiskLevel",
      "terminateByAuthorizationCode",
      "terminatePartnerByAuthorizationCode",
      "terminateAcquiringBankByAuthorizationCode",
      "terminateByOpenid",
      "terminatePartnerByOpenid"
    ]
    // in this order (a method added later may sit between them)
    const names = Permissions.all.map((e) => e.name as string)
    expect(names.filter((name) => documented.includes(name))).toEqual(documented)
  })

  it("queries are idempotent GETs answered with JSON, with a 404; the rest are POSTs never resent blindly", () => {
    for (const endpoint of Permissions.all) {
      const kind = endpoint.name.startsWith("query")
        ? "query"
        : endpoint.name.startsWith("terminate")
        ? "terminate"
        : "post"
      const facts = [endpoint.name, endpoint.method, endpoint.idempotent, endpoint.answer]
      if (kind === "query") {
        expect(facts).toEqual([endpoint.name, "GET", true, "json"])
        expect(endpoint.errors).toBe(Common.QUERY_ERRORS)
      } else {
        expect(facts).toEqual([endpoint.name, "POST", false, kind === "terminate" ? "empty" : "json"])
      }
    }
  })

  it("assessUserRiskLevel needs authorization_code or openid", () => {
    const base = {
      service_id: "500001",
      appid: "wxd678efh567hg6787",
      shopping_info: { goods: [{ name: "水", picture: "https://example.com/a.png", amount: 100, count: 1 }] }
    }
    expect(Endpoint.check(Permissions.assessUserRiskLevel, base)).toMatchObject({
      _tag: "InputProblem",
      field: "authorization_code"
    })
    expect(Endpoint.check(Permissions.assessUserRiskLevel, { ...base, openid: "o" })).toMatchObject({ openid: "o" })
  })

  it("applyPartnerPermissionsForScene: scene TRANSACTION only, and it needs transaction_scene_info", () => {
    const base = {
      service_id: "500001",
      appid: "wxd678efh567hg6787",
      sub_mchid: "1900000109",
      authorization_code: "1234323JKHDFE1243252",
      scene: "TRANSACTION"
    }
    expect(Endpoint.check(Permissions.applyPartnerPermissionsForScene, base)).toEqual(
      inputProblem("transaction_scene_info", "transaction_scene_info is required when scene is TRANSACTION")
    )
    expect(Endpoint.check(Permissions.applyPartnerPermissionsForScene, { ...base, scene: "transaction" })).toEqual(
      inputProblem("scene", 'scene must be TRANSACTION (the one documented scene), not "transaction"')
    )
    const info = { mchid: "1230000109", sub_mchid: "1900000109" }
    expect(Endpoint.check(Permissions.applyPartnerPermissionsForScene, { ...base, transaction_scene_info: info }))
      .toMatchObject({ transaction_scene_info: info })
  })
})
