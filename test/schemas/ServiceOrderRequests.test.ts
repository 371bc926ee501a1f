/**
 * The service-order parameter schemas (src/schemas/ServiceOrderRequests.ts): built from the core's
 * rules, they accept what the client sends and refuse what it refuses, with the client's message;
 * a time may be a `DateTime`.
 */
import { describe, expect, it } from "@effect/vitest"
import { DateTime, Either, ParseResult, Schema } from "effect"
import { ServiceOrderRequests, UserRiskLevel } from "../../src/index.js"
import { merchantComplete, merchantCreate, SUB_MCHID } from "../helpers/serviceOrders.js"

const firstMessage = <A>(schema: Schema.Schema<A>, input: unknown): string | undefined => {
  const result = Schema.decodeUnknownEither(schema)(input)
  return Either.isRight(result) ? undefined : ParseResult.ArrayFormatter.formatErrorSync(result.left)[0]?.message
}

describe("ServiceOrderRequests", () => {
  it("accepts valid parameters as given (a DateTime too)", () => {
    const create = { ...merchantCreate("1"), time_range: { start_time: DateTime.unsafeMake(0) } }
    expect(Schema.decodeUnknownSync(ServiceOrderRequests.CreateServiceOrderParams)(create)).toBe(create)
    expect(firstMessage(ServiceOrderRequests.CompleteServiceOrderParams, merchantComplete("1"))).toBeUndefined()
    expect(
      firstMessage(UserRiskLevel.AssessPartnerUserRiskLevelParams, {
        sub_mchid: SUB_MCHID,
        service_id: "500001",
        appid: "wx1"
      })
    ).toBeUndefined()
  })

  it("refuses what the client refuses, with its message", () => {
    expect(firstMessage(ServiceOrderRequests.CreateServiceOrderParams, merchantCreate("A".repeat(33)))).toBe(
      "out_order_no is 33 characters long; at most 32 are allowed"
    )
    expect(
      firstMessage(ServiceOrderRequests.CompleteServiceOrderParams, { ...merchantComplete("1"), total_amount: -1 })
    )
      .toBe("total_amount must not be negative")
    expect(
      firstMessage(ServiceOrderRequests.QueryServiceOrderParams, { service_id: "500001", appid: "wx1" })
    ).toBe("out_order_no or query_id is required (exactly one of them)")
    expect(
      firstMessage(ServiceOrderRequests.CreateServiceOrderParams, {
        ...merchantCreate("1"),
        time_range: { start_time: "OnAccept", end_time: "OnAccept" }
      })
    ).toMatch(/^time_range\.end_time must be yyyyMMddHHmmss or yyyyMMdd/)
  })
})
