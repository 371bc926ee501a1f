/**
 * What a failure tells the user: a `VerificationError` names the serial the answer carried and the
 * ones this client trusts, and keeps its `message` in `JSON.stringify`; a 401 `SIGN_ERROR` adds the
 * most likely local causes after WeChat Pay's own text.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Result } from "effect"
import { PayScorePermissions, WechatPayError } from "../../src/index.js"
import { FakeWechatPay, Fixtures } from "../../src/testing/index.js"
import { makeFake } from "../helpers/merchant.js"

const ANSWER = {
  service_id: "500001",
  appid: "wxd678efh567hg6787",
  mchid: "1230000109",
  authorization_code: "1234323JKHDFE1243252",
  authorization_state: "AVAILABLE"
}

const queryOver = (reply: FakeWechatPay.Reply) => {
  const fake = makeFake(() => reply, { retries: 0 })
  return PayScorePermissions.PayScorePermissions.pipe(
    Effect.flatMap((p) =>
      p.queryByAuthorizationCode({ authorization_code: ANSWER.authorization_code, service_id: "500001" })
    ),
    Effect.result,
    Effect.provide(fake.layer)
  )
}

const leftOf = <E>(result: Result.Result<unknown, E>): E => {
  if (Result.isSuccess(result)) throw new Error("expected a failure, got a success")
  return result.failure
}

describe("failure messages", () => {
  it.effect("an unknown serial: the message names the serial carried and the configured key id; JSON keeps it", () =>
    Effect.gen(function*() {
      const error = leftOf(
        yield* queryOver({
          body: ANSWER,
          signWith: {
            privateKey: Fixtures.platformPrivateKey1,
            serial: "PUB_KEY_ID_0119000000012026112299999999999999"
          }
        })
      )
      expect(error._tag).toBe("VerificationError")
      const v = error as WechatPayError.VerificationError
      expect(v.reason).toBe("UnknownSerial")
      expect(v.serial).toBe("PUB_KEY_ID_0119000000012026112299999999999999")
      expect(v.trusted).toEqual([Fixtures.wechatpayPublicKeyId])
      expect(v.message).toContain("the answer carried Wechatpay-Serial PUB_KEY_ID_0119000000012026112299999999999999")
      expect(v.message).toContain(`configured: ${Fixtures.wechatpayPublicKeyId}`)
      const json = JSON.parse(JSON.stringify(v))
      expect(json).toEqual({
        _tag: "VerificationError",
        reason: "UnknownSerial",
        serial: "PUB_KEY_ID_0119000000012026112299999999999999",
        trusted: [Fixtures.wechatpayPublicKeyId],
        message: v.message
      })
    }))

  it.effect("a bad signature (a stranger's key under our key id) names the serial and the configured ids", () =>
    Effect.gen(function*() {
      const v = leftOf(yield* queryOver({ body: ANSWER, signWith: FakeWechatPay.keys.stranger }))
      expect(v._tag).toBe("VerificationError")
      const error = v as WechatPayError.VerificationError
      expect(error.reason).toBe("BadSignature")
      expect(error.message).toContain(`Wechatpay-Serial ${Fixtures.wechatpayPublicKeyId}`)
      expect(error.message).toContain(`configured: ${Fixtures.wechatpayPublicKeyId}`)
      expect(JSON.parse(JSON.stringify(error)).message).toBe(error.message)
    }))

  it.effect("missing headers: JSON keeps the message (no serial to name)", () =>
    Effect.gen(function*() {
      const error = leftOf(yield* queryOver({ body: ANSWER, signWith: false })) as WechatPayError.VerificationError
      expect(error.reason).toBe("MissingHeaders")
      expect(JSON.parse(JSON.stringify(error))).toEqual({
        _tag: "VerificationError",
        reason: "MissingHeaders",
        message: error.message
      })
      expect(error.message).toMatch(/lacks one of Wechatpay-Timestamp/)
    }))

  it.effect("a 401 SIGN_ERROR keeps WeChat Pay's text and adds the likely local causes", () =>
    Effect.gen(function*() {
      const error = leftOf(
        yield* queryOver({ status: 401, body: { code: "SIGN_ERROR", message: "错误的签名，验签失败" } })
      )
      expect(error._tag).toBe("SignError")
      expect(error.message.startsWith("错误的签名，验签失败")).toBe(true)
      expect(error.message).toContain("merchantPrivateKey is not the private key of the merchant API certificate")
      expect(error.message).toContain("merchantSerialNo")
      expect(error.message).toContain("clock")
    }))

  it.effect("other API errors keep WeChat Pay's text as is", () =>
    Effect.gen(function*() {
      const error = leftOf(yield* queryOver({ status: 404, body: { code: "NOT_FOUND", message: "记录不存在" } }))
      expect(error.message).toBe("记录不存在")
    }))
})
