/**
 * Secrets we send never come back out in what we print (src/core/redaction.ts): the secret values
 * of a request's headers, and their scrubbing from text (plain and JSON-escaped) and JSON values.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Redaction from "../../src/core/redaction.js"

const AUTHORIZATION =
  `WECHATPAY2-SHA256-RSA2048 mchid="1900000001",nonce_str="N0NCE",signature="c2lnbmF0dXJlLWJ5dGVz+/==",timestamp="1554208460",serial_no="F5765756002FDD77"`

describe("secretsOf", () => {
  it("the Authorization header and its signature on its own; Wechatpay-Signature too", () => {
    expect(Redaction.secretsOf({ authorization: AUTHORIZATION, "wechatpay-signature": "c2ln", accept: "x" })).toEqual([
      AUTHORIZATION,
      "c2lnbmF0dXJlLWJ5dGVz+/==",
      "c2ln"
    ])
  })

  it("nothing from other headers, empty or absent values", () => {
    expect(Redaction.secretsOf({ accept: "application/json", authorization: "", "user-agent": "x" })).toEqual([])
    expect(Redaction.SECRET_HEADERS).toEqual(["authorization", "wechatpay-signature"])
  })
})

describe("scrub", () => {
  const secrets = Redaction.secretsOf({ authorization: AUTHORIZATION })

  it("every occurrence of a secret is replaced, also in its JSON-escaped form", () => {
    const echoed = `bad header: ${AUTHORIZATION}; again ${AUTHORIZATION}`
    expect(Redaction.scrub(echoed, secrets)).toBe("bad header: <redacted>; again <redacted>")
    // in JSON the quotes are escaped, so the header no longer matches as is: the signature still does
    const json = JSON.stringify({ message: echoed })
    const scrubbed = Redaction.scrub(json, secrets)
    expect(scrubbed).not.toContain("c2lnbmF0dXJlLWJ5dGVz")
    expect(scrubbed).not.toContain('signature=\\"c2ln')
    expect(JSON.parse(scrubbed)).toEqual({ message: "bad header: <redacted>; again <redacted>" })
  })

  it("a secret shorter than 8 characters is not scrubbed (it would eat ordinary words)", () => {
    expect(Redaction.scrub("the key is abc", ["abc"])).toBe("the key is abc")
    expect(Redaction.scrub("text", [])).toBe("text")
  })
})

describe("scrubValue", () => {
  const secrets = ["s3cr3t-value"]

  it("scrubs every string of a JSON value, nested in arrays and objects; other values untouched", () => {
    expect(Redaction.scrubValue({ a: "x s3cr3t-value y", b: [1, "s3cr3t-value", { c: true, d: null }] }, secrets))
      .toEqual({ a: "x <redacted> y", b: [1, "<redacted>", { c: true, d: null }] })
    expect(Redaction.scrubValue(42, secrets)).toBe(42)
  })

  it("no secrets: the value itself; deeper than 16 levels: left as it is (never a stack overflow)", () => {
    const value = { a: "s3cr3t-value" }
    expect(Redaction.scrubValue(value, [])).toBe(value)
    let deep: unknown = "s3cr3t-value"
    for (let i = 0; i < 20; i++) deep = [deep]
    let inner = Redaction.scrubValue(deep, secrets)
    for (let i = 0; i < 20; i++) inner = (inner as Array<unknown>)[0]
    expect(inner).toBe("s3cr3t-value")
    expect(Redaction.scrubValue([["s3cr3t-value"]], secrets)).toEqual([["<redacted>"]])
  })
})
