/**
 * The service-order answers (src/schemas/ServiceOrder.ts): the order decoded into a tagged union on
 * `state`, every field under its wire name (nested objects included), amounts as whole numbers of fen
 * (also from the digits of a string, as SKIT's notification samples send `total_amount`),
 * `collection.details[].paid_time` as a `DateTime.Utc`, `time_range` values kept as strings, unknown
 * states and added fields tolerated; the other answers named.
 */
import { describe, expect, it } from "@effect/vitest"
import { DateTime, Either, Schema } from "effect"
import { ServiceOrder } from "../../src/index.js"
import { loadCorpus } from "../fixtures/wechatpay/corpus.js"

type Json = Record<string, unknown>

const decode = Schema.decodeUnknownEither(ServiceOrder.ServiceOrder)
const decodeCreated = Schema.decodeUnknownEither(ServiceOrder.CreatedServiceOrder)

const ok = <A>(result: Either.Either<A, unknown>): A => {
  if (Either.isLeft(result)) throw new Error(String(result.left))
  return result.right
}

const BASE = {
  appid: "wxd678efh567hg6787",
  mchid: "1230000109",
  out_order_no: "1234323JKHDFE1243252",
  service_id: "500001"
}

describe("ServiceOrder", () => {
  it("each documented state is its variant; any other is UnknownState, kept raw", () => {
    const cases = [
      ["CREATED", "Created"],
      ["DOING", "Doing"],
      ["DONE", "Done"],
      ["REVOKED", "Revoked"],
      ["EXPIRED", "Expired"],
      ["FINISHED", "UnknownState"],
      ["", "UnknownState"],
      ["doing", "UnknownState"]
    ] as const
    for (const [state, tag] of cases) {
      const order = ok(decode({ ...BASE, state }))
      expect(order._tag, state).toBe(tag)
      expect(order.state).toBe(state)
    }
    expect(ServiceOrder.stateTag("EXPIRED")).toBe("Expired")
  })

  it("appid, mchid, out_order_no, service_id and state are required; the rest may be absent", () => {
    for (const name of ["appid", "mchid", "out_order_no", "service_id", "state"]) {
      const { [name]: _, ...rest } = { ...BASE, state: "DOING" } as Json
      expect(Either.isLeft(decode(rest)), name).toBe(true)
    }
    const minimal = ok(decode({ ...BASE, state: "DOING" }))
    expect(minimal).toEqual({ _tag: "Doing", ...BASE, state: "DOING" })
  })

  it("amounts: whole numbers of fen, 0 allowed, also from the digits of a string; not fractions or words", () => {
    const order = ok(decode({
      ...BASE,
      state: "DONE",
      total_amount: "40000",
      post_payments: [{ name: "服务费", amount: "0" }],
      risk_fund: { name: "DEPOSIT", amount: "10000" },
      collection: { paid_amount: "-1", paying_amount: 0 }
    }))
    expect(order.total_amount).toBe(40000)
    expect(order.post_payments?.[0]?.amount).toBe(0)
    expect(order.risk_fund?.amount).toBe(10000)
    expect(order.collection?.paid_amount).toBe(-1)
    expect(order.collection?.paying_amount).toBe(0)
    for (const bad of [1.5, "1.5", "40000元", "", "1e3", "99999999999999999999"]) {
      expect(Either.isLeft(decode({ ...BASE, state: "DONE", total_amount: bad })), String(bad)).toBe(true)
    }
    // encoded back as numbers
    expect(Schema.encodeSync(ServiceOrder.ServiceOrder)(order).total_amount).toBe(40000)
  })

  it("collection.details[].paid_time is a DateTime (yyyyMMddHHmmss in China Standard Time); time_range stays as sent", () => {
    const order = ok(decode({
      ...BASE,
      state: "DONE",
      time_range: { start_time: "OnAccept", end_time: "20091225" },
      collection: { state: "USER_PAID", details: [{ seq: 1, amount: 900, paid_time: "20091225091210" }, {}] }
    }))
    const paid = order.collection?.details?.[0]?.paid_time
    expect(paid && DateTime.formatIso(paid)).toBe("2009-12-25T01:12:10.000Z")
    expect(order.collection?.details?.[1]).toEqual({})
    expect(order.time_range).toEqual({ start_time: "OnAccept", end_time: "20091225" })
    expect(Either.isLeft(decode({ ...BASE, state: "DONE", collection: { details: [{ paid_time: "yesterday" }] } })))
      .toBe(true)
  })

  it("fields WeChat Pay adds are ignored, at every level", () => {
    const order = ok(decode({
      ...BASE,
      state: "DOING",
      brand_new: 1,
      risk_fund: { name: "DEPOSIT", amount: 1, added: true },
      collection: { details: [{ promotion_detail: [{ coupon_id: "1", goods_detail: [{ goods_id: "g", x: 1 }] }] }] }
    }))
    expect(order).not.toHaveProperty("brand_new")
    expect(order.risk_fund).toEqual({ name: "DEPOSIT", amount: 1 })
    expect(order.collection?.details?.[0]?.promotion_detail?.[0]?.goods_detail).toEqual([{ goods_id: "g" }])
  })

  it("every order sample of the corpus decodes (field by field in test/corpus/ServiceOrders.test.ts)", () => {
    const samples = [...loadCorpus("answer"), ...loadCorpus("notification-resource")].filter((s) =>
      s.file.startsWith("serviceorder/") && typeof (s.sample as Json).state === "string"
    )
    expect(samples.length).toBe(13)
    for (const sample of samples) {
      const order = ok(decode(sample.sample))
      expect(order.out_order_no, sample.file).toBe((sample.sample as Json).out_order_no)
    }
  })

  it("the variants construct orders", () => {
    const made = ServiceOrder.ServiceOrderVariants.Doing.make({ ...BASE, state: "DOING", total_amount: 1 })
    expect(made._tag).toBe("Doing")
    expect(Schema.is(ServiceOrder.ServiceOrder)(made)).toBe(true)
  })
})

describe("CreatedServiceOrder", () => {
  it("requires order_id and package (what the confirmation page needs)", () => {
    const created = ok(decodeCreated({ ...BASE, state: "CREATED", order_id: "1", package: "AAQT" }))
    expect(created._tag).toBe("Created")
    expect(created.package).toBe("AAQT")
    expect(Either.isLeft(decodeCreated({ ...BASE, state: "CREATED", order_id: "1" }))).toBe(true)
    expect(Either.isLeft(decodeCreated({ ...BASE, state: "CREATED", package: "AAQT" }))).toBe(true)
  })
})

describe("the other answers", () => {
  it("cancel and collect: {appid, mchid?, out_order_no, service_id, order_id}", () => {
    for (const schema of [ServiceOrder.CancelServiceOrderResult, ServiceOrder.CollectServiceOrderResult]) {
      const answer = { ...BASE, order_id: "15646546545165651651" }
      expect(Schema.decodeUnknownSync(schema)(answer)).toEqual(answer)
      const { mchid: _, ...withoutMchid } = answer
      expect(Schema.decodeUnknownSync(schema)(withoutMchid)).toEqual(withoutMchid)
      expect(Either.isLeft(Schema.decodeUnknownEither(schema)({ ...BASE }))).toBe(true)
    }
  })

  it("the acquiring bank's deduction registration and query", () => {
    expect(Schema.decodeUnknownSync(ServiceOrder.DeductionRegistration)({ description: "QQ充电宝服务", x: 1 }))
      .toEqual({ description: "QQ充电宝服务" })
    expect(Schema.decodeUnknownSync(ServiceOrder.AcquiringBankDeduction)({ description: "d", out_trade_no: "T1" }))
      .toEqual({ description: "d", out_trade_no: "T1" })
    expect(Either.isLeft(Schema.decodeUnknownEither(ServiceOrder.AcquiringBankDeduction)({ description: "d" })))
      .toBe(true)
  })
})
