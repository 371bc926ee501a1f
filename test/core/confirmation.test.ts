/**
 * The confirmation page's parameters (src/core/confirmation.ts). There is no known answer for the
 * Pay Score parameter set (the pages' `sign` example, 029B52F67573D7E3BE74904BF9AEA, is a 29-digit
 * placeholder): the APIv2 HMAC-SHA256 algorithm is checked against the one worked APIv2 example
 * with a key and an expected value (the 安全规范 page's parameters, quoted verbatim by many public
 * SDK test suites), and the confirmation set against node:crypto over the string the community
 * article and WxJava build (mch_id, nonce_str, package, sign_type, timestamp, then &key=).
 */
import { describe, expect, it } from "@effect/vitest"
import { createHmac } from "node:crypto"
import * as Confirmation from "../../src/core/confirmation.js"
import * as Path from "../../src/core/path.js"

/** The generic APIv2 example (pay.weixin.qq.com/wiki/doc/api/*.php?chapter=4_3). */
const APIV2_KEY = "192006250b4c09247ec02edce69f6a2d"
const APIV2_PARAMS = {
  appid: "wxd930ea5d5a258f4f",
  mch_id: "10000100",
  device_info: "1000",
  body: "test",
  nonce_str: "ibuaiVcKdpRxkhJA"
}
const APIV2_HMAC_SHA256 = "6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6"

describe("the APIv2 HMAC-SHA256 signature", () => {
  it("the documented known answer", async () => {
    expect(await Confirmation.apiV2HmacSha256(APIV2_PARAMS, APIV2_KEY)).toBe(APIV2_HMAC_SHA256)
  })

  it("ignores sign and empty values; the order given does not matter", async () => {
    const shuffled = {
      sign: "ANYTHING",
      nonce_str: "ibuaiVcKdpRxkhJA",
      empty: "",
      absent: undefined,
      body: "test",
      device_info: "1000",
      mch_id: "10000100",
      appid: "wxd930ea5d5a258f4f"
    }
    expect(await Confirmation.apiV2HmacSha256(shuffled, APIV2_KEY)).toBe(APIV2_HMAC_SHA256)
    // a changed value changes it
    expect(await Confirmation.apiV2HmacSha256({ ...APIV2_PARAMS, body: "test2" }, APIV2_KEY)).not.toBe(
      APIV2_HMAC_SHA256
    )
  })
})

describe("the signed confirmation set", () => {
  const input = {
    mch_id: "1230000109",
    package: "AAQTnZoAAAABAAAAAAB/CxR0BwAAAAAAAAA=",
    timestamp: 1530097563,
    nonce_str: "zyx53Nkey8o4bHpxTQvd8m7e92nG5mG2"
  }

  it("mch_id, package, timestamp, nonce_str, sign_type, sign, signed with the APIv2 key", async () => {
    const signed = await Confirmation.signedConfirmation(input, APIV2_KEY)
    if (Path.isInputProblem(signed)) throw new Error(signed.message)
    const text =
      `mch_id=1230000109&nonce_str=zyx53Nkey8o4bHpxTQvd8m7e92nG5mG2&package=${input.package}&sign_type=HMAC-SHA256&timestamp=1530097563`
    const expected = createHmac("sha256", APIV2_KEY).update(`${text}&key=${APIV2_KEY}`).digest("hex").toUpperCase()
    expect(signed).toEqual({
      mch_id: "1230000109",
      package: input.package,
      timestamp: "1530097563",
      nonce_str: "zyx53Nkey8o4bHpxTQvd8m7e92nG5mG2",
      sign_type: "HMAC-SHA256",
      sign: expected
    })
    expect(Object.keys(signed)).toEqual(["mch_id", "package", "timestamp", "nonce_str", "sign_type", "sign"])
    expect(signed.sign).toMatch(/^[0-9A-F]{64}$/)
    // the same with the timestamp as digits
    expect(await Confirmation.signedConfirmation({ ...input, timestamp: "1530097563" }, APIV2_KEY)).toEqual(signed)
    // the APP query / old JSAPI queryString: documented order, values UrlEncoded
    expect(Confirmation.toQueryString({ ...signed })).toBe(
      `mch_id=1230000109&package=AAQTnZoAAAABAAAAAAB%2FCxR0BwAAAAAAAAA%3D&timestamp=1530097563&nonce_str=zyx53Nkey8o4bHpxTQvd8m7e92nG5mG2&sign_type=HMAC-SHA256&sign=${expected}`
    )
  })

  it("refuses what the pages do not allow, naming the field", async () => {
    const field = async (patch: Record<string, unknown>, key = APIV2_KEY) => {
      const result = await Confirmation.signedConfirmation(
        { ...input, ...patch } as Confirmation.SignedConfirmationInput,
        key
      )
      return Path.isInputProblem(result) ? result.field : "accepted"
    }
    expect(await field({ nonce_str: "a".repeat(32) })).toBe("accepted")
    expect(await field({ nonce_str: "a".repeat(33) })).toBe("nonce_str")
    expect(await field({ nonce_str: "abc-def" })).toBe("nonce_str")
    expect(await field({ nonce_str: "" })).toBe("nonce_str")
    expect(await field({ timestamp: 0 })).toBe("accepted")
    expect(await field({ timestamp: 1.5 })).toBe("timestamp")
    expect(await field({ timestamp: -1 })).toBe("timestamp")
    expect(await field({ timestamp: "1530097563.0" })).toBe("timestamp")
    expect(await field({ mch_id: "" })).toBe("mch_id")
    expect(await field({ mch_id: "1".repeat(33) })).toBe("mch_id")
    expect(await field({ package: "" })).toBe("package")
    expect(await field({}, "")).toBe("apiV2Key")
  })
})

describe("the package-only forms (current mini-program, JSAPI and acquiring-bank pages)", () => {
  const pkg = "AAQTnZoAAAABAAAAAAB/CxR0BwAAAAAAAAA="

  it("{ package }", () => {
    expect(Confirmation.confirmationPackage(pkg)).toEqual({ package: pkg })
    expect(Path.isInputProblem(Confirmation.confirmationPackage(""))).toBe(true)
  })

  it("wx.openBusinessView in a mini program", () => {
    expect(Confirmation.miniProgramConfirmation(pkg)).toEqual({
      businessType: "wxpayScoreUse",
      extraData: { package: pkg }
    })
  })

  it("wx.invoke('openBusinessView') in a JSAPI page: the package UrlEncoded", () => {
    expect(Confirmation.jsapiConfirmation(pkg)).toEqual({
      businessType: "wxpayScoreUse",
      queryString: "package=AAQTnZoAAAABAAAAAAB%2FCxR0BwAAAAAAAAA%3D"
    })
    expect(Path.isInputProblem(Confirmation.jsapiConfirmation(""))).toBe(true)
  })
})

describe("the drawn nonce", () => {
  it("indexes into the 62 digits and letters; an index outside them is a bug, thrown", () => {
    expect(Confirmation.NONCE_ALPHABET).toHaveLength(62)
    expect(Confirmation.NONCE_LENGTH).toBe(32)
    expect(Confirmation.nonceFromIndexes([0, 9, 10, 35, 36, 61])).toBe("09AZaz")
    expect(() => Confirmation.nonceFromIndexes([62])).toThrow("a nonce index is 0 to 61, not 62")
  })
})
