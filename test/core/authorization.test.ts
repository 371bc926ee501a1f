/**
 * The request signature (src/core/authorization.ts) against the `request_authorization` known
 * answer (computed from wechatpay-go's test key): the message, the signature, the header; the nonce
 * from four fractions and back; reading a header.
 */
import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import * as Authorization from "../../src/core/authorization.js"
import * as Keys from "../../src/core/keys.js"
import { vectorFile, vectors } from "../helpers/vectors.js"

const vector = vectors.request_authorization

const fields = {
  mchid: vector.mchid,
  nonce: vector.nonce_str,
  signature: vector.signature_base64,
  timestamp: vector.timestamp,
  serialNo: vector.merchant_serial_no
}

describe("the request_authorization vector", () => {
  it("requestMessage is message_to_sign byte for byte", () => {
    expect(
      Authorization.requestMessage({
        method: vector.method,
        url: vector.url,
        timestamp: vector.timestamp,
        nonce: vector.nonce_str,
        body: ""
      })
    ).toBe(vector.message_to_sign)
  })

  it("the merchant key signs it into signature_base64 (RSASSA-PKCS1-v1_5 is deterministic)", async () => {
    const key = await Keys.importMerchantKey(vectorFile(vector.private_key_file))
    if (Keys.isKeyProblem(key)) throw new Error(key.message)
    expect(await Keys.sign(key, vector.message_to_sign)).toBe(vector.signature_base64)
  })

  it("formatAuthorization and authorizationFor give authorization_header exactly", () => {
    expect(Authorization.formatAuthorization(fields)).toBe(vector.authorization_header)
    expect(
      Authorization.authorizationFor(vector.mchid, vector.merchant_serial_no)(
        vector.nonce_str,
        vector.signature_base64,
        vector.timestamp
      )
    ).toBe(vector.authorization_header)
    expect(vector.authorization_header.startsWith(`${Authorization.SCHEME} `)).toBe(true)
  })

  it("parseAuthorization reads the vector's header back into its five fields", () => {
    expect(Authorization.parseAuthorization(vector.authorization_header)).toEqual({
      mchid: vector.mchid,
      nonce_str: vector.nonce_str,
      signature: vector.signature_base64,
      timestamp: vector.timestamp,
      serial_no: vector.merchant_serial_no
    })
  })
})

describe("requestMessage", () => {
  it("method, URL and body verbatim, every line ended with \\n (an empty body too)", () => {
    expect(Authorization.requestMessage({ method: "POST", url: "/v3/x?a=1", timestamp: "1", nonce: "N", body: "{}" }))
      .toBe("POST\n/v3/x?a=1\n1\nN\n{}\n")
    expect(Authorization.requestMessage({ method: "GET", url: "/", timestamp: "1", nonce: "N", body: "" })).toBe(
      "GET\n/\n1\nN\n\n"
    )
  })
})

describe("nonces", () => {
  const nonce = fc.stringOf(fc.constantFrom(...Authorization.NONCE_ALPHABET), {
    minLength: Authorization.NONCE_LENGTH,
    maxLength: Authorization.NONCE_LENGTH
  })

  it("four draws of eight characters: 32 of 0-9A-Z", () => {
    expect(Authorization.NONCE_ALPHABET).toBe("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    expect([Authorization.NONCE_LENGTH, Authorization.NONCE_DRAWS, Authorization.NONCE_CHARS_PER_DRAW]).toEqual([
      32,
      4,
      8
    ])
  })

  it.prop("fractionsOfNonce then nonceFromFractions gives the nonce back", [nonce], ([value]) => {
    const fractions = Authorization.fractionsOfNonce(value)
    expect(fractions).toHaveLength(Authorization.NONCE_DRAWS)
    for (const f of fractions) expect(f >= 0 && f < 1).toBe(true)
    expect(Authorization.nonceFromFractions(fractions)).toBe(value)
  })

  it.prop("nonceFromFractions of any four fractions in [0, 1): 32 characters of the alphabet", [
    fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 4, maxLength: 4 })
  ], ([fractions]) => {
    const made = Authorization.nonceFromFractions(fractions)
    expect(made).toMatch(/^[0-9A-Z]{32}$/)
    expect(Authorization.nonceFromFractions(Authorization.fractionsOfNonce(made))).toBe(made)
  })

  it("the ends of [0, 1), and values outside it clamped", () => {
    expect(Authorization.nonceFromFractions([0, 0, 0, 0])).toBe("0".repeat(32))
    expect(Authorization.nonceFromFractions([1 - 2 ** -53, 1, 2, 1])).toBe("Z".repeat(32))
    expect(Authorization.nonceFromFractions([-1, 0, 0, 0])).toBe("0".repeat(32))
    expect(Authorization.nonceFromFractions(Authorization.fractionsOfNonce(vector.nonce_str))).toBe(vector.nonce_str)
  })

  it("fractionsOfNonce refuses what is not a nonce", () => {
    for (
      const bad of ["", "abc", "593bec0c930bf1afeb40b4a08c8fb242", "593BEC0C930BF1AFEB40B4A08C8FB24", "!".repeat(32)]
    ) {
      expect(() => Authorization.fractionsOfNonce(bad)).toThrow("a nonce is 32 characters of")
    }
  })
})

describe("parseAuthorization", () => {
  it("reads the fields in any order, with spaces after the commas", () => {
    expect(
      Authorization.parseAuthorization(
        `${Authorization.SCHEME} serial_no="S", timestamp="1",signature="c2ln",  nonce_str="N",mchid="M"`
      )
    ).toEqual({ serial_no: "S", timestamp: "1", signature: "c2ln", nonce_str: "N", mchid: "M" })
  })

  it("undefined for another scheme, an unquoted value, a trailing part or a missing separator", () => {
    for (
      const header of [
        `WECHATPAY2-SHA256-RSA4096 mchid="M"`,
        `Bearer token`,
        `${Authorization.SCHEME} mchid=M`,
        `${Authorization.SCHEME} mchid="M" nonce_str="N"`,
        `${Authorization.SCHEME} mchid="M",garbage`,
        `${Authorization.SCHEME}mchid="M"`
      ]
    ) {
      expect([header, Authorization.parseAuthorization(header)]).toEqual([header, undefined])
    }
  })
})

describe("timestampOf", () => {
  it("whole seconds since the epoch, rounded down", () => {
    expect(Authorization.timestampOf(1_554_208_460_999)).toBe("1554208460")
    expect(Authorization.timestampOf(0)).toBe("0")
  })
})
