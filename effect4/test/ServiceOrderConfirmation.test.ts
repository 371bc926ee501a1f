/**
 * The confirmation page's parameters in the Effect 4 API (effect4/src/ServiceOrderConfirmation.ts; the
 * protocol is src/core/confirmation.ts's, shared with the Effect 3 line), against
 * the documented examples: the mini program's `extraData: { package }` (applets-confirm.html), the
 * JSAPI `queryString` (jsapi-confirm.html), and the signed set of the 2019 JSAPI page / the APP page,
 * whose example is `mch_id=1230000109&package=XXXXXXXX&timestamp=1530097563&nonce_str=zyx53Nkey8o4bHpxTQvd8m7e92nG5mG2&sign_type=HMAC-SHA256&sign=…`
 * (its `sign` is a 29-digit placeholder: the signature is checked with node:crypto over the
 * documented string, the algorithm itself against the APIv2 known answer in test/core/confirmation.test.ts).
 * `timestamp` comes from the `Clock`, `nonce_str` from `Random`; the APIv2 key is `Redacted`.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Random, Redacted } from "effect"
import { TestClock } from "effect/testing"
import { createHmac } from "node:crypto"
import { ServiceOrderConfirmation } from "../src/index.js"
import { Sandbox } from "../src/testing/index.js"
import { sandboxLayer } from "./helpers/sandbox.js"
import { merchantCreate, orders } from "./helpers/serviceOrders.js"

const APIV2_KEY = "192006250b4c09247ec02edce69f6a2d"
const DOCUMENTED = {
  mch_id: "1230000109",
  package: "XXXXXXXX",
  timestamp: "1530097563",
  nonce_str: "zyx53Nkey8o4bHpxTQvd8m7e92nG5mG2"
}

const hmac = (text: string) =>
  createHmac("sha256", APIV2_KEY).update(`${text}&key=${APIV2_KEY}`).digest("hex").toUpperCase()

describe("the package forms", () => {
  it.effect("mini program and JSAPI, from the create's answer", () =>
    Effect.gen(function*() {
      const order = { package: "AAQTnZoAAAABAAAAAAB/CxR0BwAAAAAAAAA=" }
      expect(yield* ServiceOrderConfirmation.miniProgram(order)).toEqual({
        businessType: "wxpayScoreUse",
        extraData: { package: order.package }
      })
      expect(yield* ServiceOrderConfirmation.jsapi(order)).toEqual({
        businessType: "wxpayScoreUse",
        queryString: "package=AAQTnZoAAAABAAAAAAB%2FCxR0BwAAAAAAAAA%3D"
      })
      expect(yield* ServiceOrderConfirmation.confirmationPackage(order)).toEqual({ package: order.package })
      const empty = yield* Effect.flip(ServiceOrderConfirmation.miniProgram({ package: "" }))
      expect([empty._tag, empty.field]).toEqual(["InvalidInput", "package"])
    }))
})

describe("the signed set", () => {
  it.effect("the documented example: the Clock's seconds, the given nonce, signed with the APIv2 key", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Number(DOCUMENTED.timestamp) * 1000 + 999)
      const signed = yield* ServiceOrderConfirmation.signed(
        { mchid: DOCUMENTED.mch_id, package: DOCUMENTED.package },
        { apiV2Key: Redacted.make(APIV2_KEY), nonce_str: DOCUMENTED.nonce_str }
      )
      const expected = hmac(
        `mch_id=1230000109&nonce_str=${DOCUMENTED.nonce_str}&package=XXXXXXXX&sign_type=HMAC-SHA256&timestamp=1530097563`
      )
      expect(signed).toEqual({ ...DOCUMENTED, sign_type: "HMAC-SHA256", sign: expected })
      // the page's query string, field for field, the placeholder sign replaced by the real one
      expect(ServiceOrderConfirmation.toQueryString(signed)).toBe(
        `mch_id=1230000109&package=XXXXXXXX&timestamp=1530097563&nonce_str=zyx53Nkey8o4bHpxTQvd8m7e92nG5mG2&sign_type=HMAC-SHA256&sign=${expected}`
      )
    }))

  it.effect("the nonce comes from Random: 32 letters and digits, the same under the same seed", () =>
    Effect.gen(function*() {
      const sign = ServiceOrderConfirmation.signed({ mchid: "1230000109", package: "XXXXXXXX" }, {
        apiV2Key: APIV2_KEY,
        timestamp: 1530097563
      })
      const first = yield* Random.withSeed(sign, "seed")
      const second = yield* Random.withSeed(sign, "seed")
      const other = yield* Random.withSeed(sign, "another seed")
      expect(first.nonce_str).toMatch(/^[0-9A-Za-z]{32}$/)
      expect(second).toEqual(first)
      expect(other.nonce_str).not.toBe(first.nonce_str)
      expect(first.sign).toBe(hmac(
        `mch_id=1230000109&nonce_str=${first.nonce_str}&package=XXXXXXXX&sign_type=HMAC-SHA256&timestamp=1530097563`
      ))
    }))

  it.effect("the nonce's draws stay in the alphabet at both ends (Effect 4's nextIntBetween includes max unless halfOpen)", () =>
    Effect.gen(function*() {
      const fixed = (fraction: number): Random.Random => ({
        nextDoubleUnsafe: () => fraction,
        nextIntUnsafe: () => 0
      })
      const sign = ServiceOrderConfirmation.signed({ mchid: "1230000109", package: "XXXXXXXX" }, {
        apiV2Key: APIV2_KEY,
        timestamp: 1530097563
      })
      const top = yield* Effect.provideService(sign, Random.Random, fixed(0.999999))
      const bottom = yield* Effect.provideService(sign, Random.Random, fixed(0))
      expect([top.nonce_str, bottom.nonce_str]).toEqual(["z".repeat(32), "0".repeat(32)])
    }))

  it.effect("bad input is InvalidInput naming the field; the key is never in it", () =>
    Effect.gen(function*() {
      const order = { mchid: "1230000109", package: "XXXXXXXX" }
      const noKey = yield* Effect.flip(ServiceOrderConfirmation.signed(order, { apiV2Key: "" }))
      expect(noKey.field).toBe("apiV2Key")
      const badNonce = yield* Effect.flip(
        ServiceOrderConfirmation.signed(order, { apiV2Key: APIV2_KEY, nonce_str: "not-alnum" })
      )
      expect(badNonce.field).toBe("nonce_str")
      const badMchid = yield* Effect.flip(
        ServiceOrderConfirmation.signed({ ...order, mchid: "" }, { apiV2Key: APIV2_KEY })
      )
      expect(badMchid.field).toBe("mch_id")
      for (const error of [noKey, badNonce, badMchid]) expect(JSON.stringify(error)).not.toContain(APIV2_KEY)
    }))

  it.live("from a real create's answer (the sandbox): mch_id is the merchant, package the answer's", () =>
    Effect.gen(function*() {
      const created = yield* Effect.flatMap(orders, (o) => o.createServiceOrder(merchantCreate("CONFIRM-1")))
      const signed = yield* ServiceOrderConfirmation.signed(created, { apiV2Key: Redacted.make(APIV2_KEY) })
      const sandbox = yield* Sandbox.Sandbox
      expect([signed.mch_id, signed.package]).toEqual([sandbox.wechatPayOptions.mchid, created.package])
      expect(Math.abs(Number(signed.timestamp) - Date.now() / 1000)).toBeLessThan(60)
      expect(signed.sign).toBe(hmac(
        `mch_id=${signed.mch_id}&nonce_str=${signed.nonce_str}&package=${signed.package}&sign_type=HMAC-SHA256&timestamp=${signed.timestamp}`
      ))
    }).pipe(Effect.provide(sandboxLayer())))
})
