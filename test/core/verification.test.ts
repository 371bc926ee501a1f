/**
 * Verifying WeChat Pay's signature (src/core/verification.ts) against the `notification_signature`
 * known answer (wechatpay-go's notify test, at its pinned time), and every reason it refuses: the
 * four headers, the clock window, the serial, a SIGNTEST probe, the signature over the exact body.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Keys from "../../src/core/keys.js"
import * as Verification from "../../src/core/verification.js"
import { FakeWechatPay, Fixtures } from "../../src/testing/index.js"
import { vectorFile, vectors } from "../helpers/vectors.js"

const vector = vectors.notification_signature
const body = vectorFile(vector.body_file)
const NOW = Number(vector.wechatpay_timestamp) * 1000
const WINDOW = 5 * 60_000

const certificate = async () => {
  const certificates = await Keys.importCertificates(vectorFile(vector.certificate_file))
  if (Keys.isKeyProblem(certificates)) throw new Error(certificates.message)
  return certificates[0]!
}

const headers = (serial: string): Record<string, string> => ({
  "Wechatpay-Timestamp": vector.wechatpay_timestamp,
  "Wechatpay-Nonce": vector.wechatpay_nonce,
  "Wechatpay-Signature": vector.wechatpay_signature,
  "Wechatpay-Serial": serial
})

/** The vector verified with its certificate trusted under its serial, `change` applied first. */
const verifyVector = async (
  change: (message: { headers: Record<string, string>; body: string }) => void = () => {},
  nowMillis = NOW
) => {
  const { key, serial } = await certificate()
  const message = { headers: headers(serial), body }
  change(message)
  return Verification.verify(message, nowMillis, WINDOW, (s) => s === serial ? key : undefined)
}

describe("the notification_signature vector", () => {
  it("verifies at its pinned time, over the body file taken verbatim", async () => {
    expect(body.endsWith("\n")).toBe(false)
    expect(await verifyVector()).toBeUndefined()
  })

  it("answerMessage is TIMESTAMP\\nNONCE\\nBODY\\n (an empty body: TIMESTAMP\\nNONCE\\n\\n)", () => {
    expect(Verification.answerMessage({ timestamp: "1", nonce: "N", body: "{}" })).toBe("1\nN\n{}\n")
    expect(Verification.answerMessage({ timestamp: "1", nonce: "N", body: "" })).toBe("1\nN\n\n")
  })
})

describe("each reason", () => {
  it("MissingHeaders: any of the four absent (the serial named when there is one)", async () => {
    const { serial } = await certificate()
    for (const name of ["Wechatpay-Timestamp", "Wechatpay-Nonce", "Wechatpay-Signature"]) {
      expect(await verifyVector((m) => delete m.headers[name])).toEqual({
        _tag: "VerificationProblem",
        reason: "MissingHeaders",
        serial
      })
    }
    expect(await verifyVector((m) => delete m.headers["Wechatpay-Serial"])).toEqual({
      _tag: "VerificationProblem",
      reason: "MissingHeaders"
    })
  })

  it("ClockSkew: a difference of exactly the window is refused, one millisecond less accepted, both ways", async () => {
    const { serial } = await certificate()
    const skew = { _tag: "VerificationProblem", reason: "ClockSkew", serial }
    expect(await verifyVector(undefined, NOW + WINDOW)).toEqual(skew)
    expect(await verifyVector(undefined, NOW - WINDOW)).toEqual(skew)
    expect(await verifyVector(undefined, NOW + WINDOW - 1)).toBeUndefined()
    expect(await verifyVector(undefined, NOW - WINDOW + 1)).toBeUndefined()
  })

  it("ClockSkew: a timestamp that is not 1 to 12 digits", async () => {
    for (const timestamp of ["", "abc", "-1", "1624523846.0", " 1624523846", "1".repeat(13)]) {
      expect(await verifyVector((m) => (m.headers["Wechatpay-Timestamp"] = timestamp))).toMatchObject({
        reason: "ClockSkew"
      })
    }
  })

  it("UnknownSerial: a serial no key is trusted for", async () => {
    expect(await verifyVector((m) => (m.headers["Wechatpay-Serial"] = "NOT-TRUSTED"))).toEqual({
      _tag: "VerificationProblem",
      reason: "UnknownSerial",
      serial: "NOT-TRUSTED"
    })
  })

  it("BadSignature: one byte of the body, the nonce, or the signature changed; another key; not base64", async () => {
    const { serial } = await certificate()
    const bad = { _tag: "VerificationProblem", reason: "BadSignature", serial }
    expect(await verifyVector((m) => (m.body = m.body.replace("USER_OPEN_SERVICE", "USER_OPEN_SERVICF")))).toEqual(bad)
    expect(await verifyVector((m) => (m.body = `${m.body}\n`))).toEqual(bad)
    expect(await verifyVector((m) => (m.headers["Wechatpay-Nonce"] = "x"))).toEqual(bad)
    const signature = vector.wechatpay_signature
    const flipped = signature.slice(0, 10) + (signature[10] === "A" ? "B" : "A") + signature.slice(11)
    expect(await verifyVector((m) => (m.headers["Wechatpay-Signature"] = flipped))).toEqual(bad)
    for (const notBase64 of ["not base64!", signature.slice(0, -2), `${signature} `]) {
      expect(await verifyVector((m) => (m.headers["Wechatpay-Signature"] = notBase64))).toEqual(bad)
    }
    const other = await Keys.importPublicKey(Fixtures.wechatpayPublicKey)
    if (Keys.isKeyProblem(other)) throw new Error(other.message)
    const message = { headers: headers(serial), body }
    expect(await Verification.verify(message, NOW, WINDOW, () => other)).toEqual(bad)
  })

  it("BadSignature: a WECHATPAY/SIGNTEST/ probe, even one whose tail is valid base64 of a real signature", async () => {
    const { serial } = await certificate()
    for (const probe of ["WECHATPAY/SIGNTEST/abc", `WECHATPAY/SIGNTEST/${vector.wechatpay_signature}`]) {
      expect(await verifyVector((m) => (m.headers["Wechatpay-Signature"] = probe))).toEqual({
        _tag: "VerificationProblem",
        reason: "BadSignature",
        serial
      })
    }
    expect(Verification.SIGNTEST_PREFIX).toBe("WECHATPAY/SIGNTEST/")
  })
})

describe("the steps on their own", () => {
  it("readSignatureHeaders reads any casing and a web Headers; hasSignatureHeaders: any of the four", async () => {
    const signed = await FakeWechatPay.signAnswer({ key: FakeWechatPay.keys.publicKey, body: "{}", timestamp: 1000 })
    const read = Verification.readSignatureHeaders(new Headers(signed), 1_000_000, WINDOW)
    expect(read).toEqual({
      timestamp: "1000",
      nonce: signed["wechatpay-nonce"],
      signature: signed["wechatpay-signature"],
      serial: Fixtures.wechatpayPublicKeyId
    })
    expect(Verification.hasSignatureHeaders({ "WECHATPAY-NONCE": "n" })).toBe(true)
    expect(Verification.hasSignatureHeaders({ "content-type": "application/json" })).toBe(false)
    expect(Verification.SIGNATURE_HEADERS).toEqual([
      "wechatpay-timestamp",
      "wechatpay-nonce",
      "wechatpay-signature",
      "wechatpay-serial"
    ])
  })

  it("signatureHolds over the exact body, with the key of the serial (a fixture answer, signed now)", async () => {
    const signed = await FakeWechatPay.signAnswer({
      key: FakeWechatPay.keys.publicKey,
      body: '\uFEFF{"a":1}',
      timestamp: 1000
    })
    const key = await Keys.importPublicKey(Fixtures.wechatpayPublicKey)
    if (Keys.isKeyProblem(key)) throw new Error(key.message)
    const read = Verification.readSignatureHeaders(signed, 1_000_000, WINDOW)
    if (Verification.isVerificationProblem(read)) throw new Error(read.reason)
    expect(await Verification.signatureHolds(key, read, '\uFEFF{"a":1}')).toBe(true)
    expect(await Verification.signatureHolds(key, read, '{"a":1}')).toBe(false)
    expect(Verification.verificationProblem("ClockSkew", undefined)).toEqual({
      _tag: "VerificationProblem",
      reason: "ClockSkew"
    })
  })
})
