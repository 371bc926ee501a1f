/**
 * Signer: known answers from the official SDKs (../../shared/vectors), the whole pipeline against the
 * same vector, notification signatures, and the pure wire helpers.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Random, Redacted, TestClock } from "effect"
import { X509Certificate } from "node:crypto"
import * as Authorization from "../../src/core/authorization.js"
import { KeyStore, PayScorePermissions, Signer, WechatPay, WechatPayError } from "../../src/index.js"
import { FakeWechatPay, Fixtures } from "../../src/testing/index.js"
import { vectorBytes, vectorFile, vectors } from "../helpers/vectors.js"

// ---------------------------------------------------------------------------------------------
// Vectors
// ---------------------------------------------------------------------------------------------

const rsa = vectors.rsa_sha256_sign
const auth = vectors.request_authorization
const notification = vectors.notification_signature

const goMerchantKey = vectorFile(auth.private_key_file)

/** Pins the next draws of `Random` (four fractions) so `Signer.nonce` yields exactly the vector's nonce. */
const pinNonce = (nonce: string) =>
  Effect.withRandom(Random.fixed(Authorization.fractionsOfNonce(nonce) as [number, ...Array<number>]))

/** A KeyStore over the wechatpay-go merchant key, as in the vector (any verifier will do). */
const vectorKeyStore = KeyStore.make({
  mchid: auth.mchid,
  merchantSerialNo: auth.merchant_serial_no,
  merchantPrivateKey: Redacted.make(goMerchantKey),
  wechatpayPublicKey: { id: Fixtures.wechatpayPublicKeyId, pem: Fixtures.wechatpayPublicKey }
})

const signerOver = (keyStore: KeyStore.KeyStore.Service, options?: Signer.Options) =>
  Signer.make(options).pipe(Effect.provideService(KeyStore.KeyStore, keyStore))

const scheme = (header: string): string => header.slice(0, header.indexOf(" "))

// ---------------------------------------------------------------------------------------------
// A. Known answers
// ---------------------------------------------------------------------------------------------

describe("Signer known answers (vectors.json)", () => {
  it("requestMessage of request_authorization equals message_to_sign byte for byte", () => {
    const message = Signer.requestMessage({
      method: auth.method,
      url: auth.url,
      timestamp: auth.timestamp,
      nonce: auth.nonce_str,
      body: ""
    })
    expect(message).toBe(auth.message_to_sign)
    expect(Buffer.from(message, "utf8").equals(Buffer.from(auth.message_to_sign, "utf8"))).toBe(true)
  })

  it.effect("nonce with Random pinned to the vector's indices is the vector's nonce_str", () =>
    Effect.gen(function*() {
      const nonce = yield* Signer.nonce.pipe(pinNonce(auth.nonce_str))
      expect(nonce).toBe(auth.nonce_str)
    }))

  it.effect('keyStore.sign("source") equals rsa_sha256_sign.signature_base64', () =>
    Effect.gen(function*() {
      const keyStore = yield* vectorKeyStore
      expect(rsa.private_key_file).toBe(auth.private_key_file)
      expect(yield* keyStore.sign(rsa.message)).toBe(rsa.signature_base64)
      // and the request signature of the vector, over message_to_sign
      expect(yield* keyStore.sign(auth.message_to_sign)).toBe(auth.signature_base64)
    }))

  it.effect("authorization() with pinned clock and nonce gives the vector's authorization_header, field for field", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Number(auth.timestamp) * 1000)
      const signer = yield* signerOver(yield* vectorKeyStore)
      const header = yield* signer.authorization({ method: auth.method, url: auth.url, body: "" }).pipe(
        pinNonce(auth.nonce_str)
      )
      const expected = Signer.parseAuthorization(auth.authorization_header)
      const actual = Signer.parseAuthorization(header)
      expect(expected).toBeDefined()
      expect(actual).toBeDefined()
      expect(scheme(header)).toBe(scheme(auth.authorization_header))
      expect(scheme(header)).toBe("WECHATPAY2-SHA256-RSA2048")
      for (const field of ["mchid", "nonce_str", "signature", "timestamp", "serial_no"]) {
        expect(actual![field], field).toBe(expected![field])
      }
      expect(Object.keys(actual!).sort()).toEqual(Object.keys(expected!).sort())
      expect(actual!.signature).toBe(auth.signature_base64)
    }))

  it.effect("WechatPay.layer + FakeWechatPay: the Authorization header sent for queryByAuthorizationCode matches the vector", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Number(auth.timestamp) * 1000)
      const received: Array<FakeWechatPay.Received> = []
      const record = {
        service_id: "500001",
        appid: "wxd678efh567hg6787",
        mchid: auth.mchid,
        authorization_code: "1234323JKHDFE1243252",
        authorization_state: "AVAILABLE"
      }
      const fake = FakeWechatPay.layer((request) => {
        received.push(request)
        return { body: record, signWith: FakeWechatPay.keys.publicKey, timestamp: Number(auth.timestamp) }
      })
      const live = WechatPay.layer({
        mchid: auth.mchid,
        merchantSerialNo: auth.merchant_serial_no,
        merchantPrivateKey: Redacted.make(goMerchantKey),
        wechatpayPublicKey: { id: Fixtures.wechatpayPublicKeyId, pem: Fixtures.wechatpayPublicKey },
        retries: 0
      }).pipe(Layer.provide(fake))

      const answer = yield* Effect.gen(function*() {
        const permissions = yield* PayScorePermissions.PayScorePermissions
        return yield* permissions.queryByAuthorizationCode({
          authorization_code: "1234323JKHDFE1243252",
          service_id: "500001"
        })
      }).pipe(Effect.provide(live), pinNonce(auth.nonce_str))

      expect(answer._tag).toBe("Available")
      expect(answer.authorization_code).toBe("1234323JKHDFE1243252")
      expect(received).toHaveLength(1)
      const request = received[0]!
      expect(request.method).toBe(auth.method)
      expect(request.url.pathname + request.url.search).toBe(auth.url)
      expect(request.body).toBe("")
      const header = request.headers["authorization"]
      expect(header).toBeDefined()
      expect(scheme(header!)).toBe(scheme(auth.authorization_header))
      const actual = Signer.parseAuthorization(header!)
      const expected = Signer.parseAuthorization(auth.authorization_header)
      expect(actual).toEqual(expected)
      expect(request.headers["wechatpay-serial"]).toBe(Fixtures.wechatpayPublicKeyId)
    }))
})

// ---------------------------------------------------------------------------------------------
// A. Notification signature (wechatpay-go notify_test.go)
// ---------------------------------------------------------------------------------------------

describe("Signer.verify on the notification_signature vector", () => {
  const certificatePem = vectorFile(notification.certificate_file)
  const certificateSerial = new X509Certificate(certificatePem).serialNumber.toUpperCase()
  // The body is the file's raw text, read as UTF-8 and never re-serialised. The file has no trailing
  // newline (568 bytes ending in `}}`), and the signed message is `TIMESTAMP\nNONCE\nBODY\n` with BODY
  // = exactly those bytes: the final `\n` is the message's own line end, not part of the body.
  const body = vectorFile(notification.body_file)
  const headers = {
    "Wechatpay-Timestamp": notification.wechatpay_timestamp,
    "Wechatpay-Nonce": notification.wechatpay_nonce,
    "Wechatpay-Signature": notification.wechatpay_signature,
    "Wechatpay-Serial": certificateSerial
  }

  const notificationSigner = Effect.gen(function*() {
    yield* TestClock.setTime(Number(notification.wechatpay_timestamp) * 1000)
    const keyStore = yield* KeyStore.make({
      mchid: auth.mchid,
      merchantSerialNo: auth.merchant_serial_no,
      merchantPrivateKey: Redacted.make(goMerchantKey),
      platformCertificates: [certificatePem]
    })
    expect(keyStore.serials).toEqual([certificateSerial])
    expect(keyStore.wechatpaySerial).toBe(certificateSerial)
    return yield* signerOver(keyStore)
  })

  it("the body file has no trailing newline and is taken verbatim", () => {
    expect(body.endsWith("\n")).toBe(false)
    expect(body.endsWith("}}")).toBe(true)
    expect(Buffer.byteLength(body, "utf8")).toBe(vectorBytes(notification.body_file).length)
  })

  it.effect("verifies with the vector's headers and the raw body bytes", () =>
    Effect.gen(function*() {
      const signer = yield* notificationSigner
      yield* signer.verify({ headers, body })
      // header names are case-insensitive, and a web Headers works too
      yield* signer.verify({ headers: new Headers(headers), body })
    }))

  it.effect("one byte of the body changed fails with BadSignature", () =>
    Effect.gen(function*() {
      const signer = yield* notificationSigner
      const at = body.indexOf("PAYSCORE.USER_OPEN_SERVICE")
      expect(at).toBeGreaterThan(0)
      const tampered = body.slice(0, at) + "Q" + body.slice(at + 1)
      expect(tampered.length).toBe(body.length)
      const error = yield* Effect.flip(signer.verify({ headers, body: tampered }))
      expect(error).toBeInstanceOf(WechatPayError.VerificationError)
      expect(error.reason).toBe("BadSignature")
      expect(error.serial).toBe(certificateSerial)
      // a re-serialised or newline-terminated body does not verify either
      const withNewline = yield* Effect.flip(signer.verify({ headers, body: body + "\n" }))
      expect(withNewline.reason).toBe("BadSignature")
      const reserialised = yield* Effect.flip(
        signer.verify({ headers, body: JSON.stringify(JSON.parse(body), null, 1) })
      )
      expect(reserialised.reason).toBe("BadSignature")
    }))

  it.effect("one character of the signature changed fails with BadSignature", () =>
    Effect.gen(function*() {
      const signer = yield* notificationSigner
      const signature = notification.wechatpay_signature
      const changed = (signature[0] === "A" ? "B" : "A") + signature.slice(1)
      const error = yield* Effect.flip(
        signer.verify({ headers: { ...headers, "Wechatpay-Signature": changed }, body })
      )
      expect(error._tag).toBe("VerificationError")
      expect(error.reason).toBe("BadSignature")
      // a SIGNTEST probe fails the same way, never throws
      const probe = yield* Effect.flip(
        signer.verify({ headers: { ...headers, "Wechatpay-Signature": `${Signer.SIGNTEST_PREFIX}${signature}` }, body })
      )
      expect(probe.reason).toBe("BadSignature")
    }))

  it.effect("outside the clock window it fails with ClockSkew; an unknown serial with UnknownSerial", () =>
    Effect.gen(function*() {
      const signer = yield* notificationSigner
      yield* TestClock.adjust("5 minutes")
      const skew = yield* Effect.flip(signer.verify({ headers, body }))
      expect(skew.reason).toBe("ClockSkew")
      yield* TestClock.setTime(Number(notification.wechatpay_timestamp) * 1000 + 4 * 60 * 1000)
      yield* signer.verify({ headers, body })
      const unknown = yield* Effect.flip(signer.verify({ headers: { ...headers, "Wechatpay-Serial": "00AB" }, body }))
      expect(unknown.reason).toBe("UnknownSerial")
      expect(unknown.serial).toBe("00AB")
      const { "Wechatpay-Nonce": _, ...missing } = headers
      const missingError = yield* Effect.flip(signer.verify({ headers: missing, body }))
      expect(missingError.reason).toBe("MissingHeaders")
    }))
})

// ---------------------------------------------------------------------------------------------
// A. Pure wire helpers
// ---------------------------------------------------------------------------------------------

describe("Signer wire helpers", () => {
  it("answerMessage is TIMESTAMP\\nNONCE\\nBODY\\n, and an empty body gives TIMESTAMP\\nNONCE\\n\\n", () => {
    expect(Signer.answerMessage({ timestamp: "1624523846", nonce: "abc", body: '{"a":1}' })).toBe(
      '1624523846\nabc\n{"a":1}\n'
    )
    expect(Signer.answerMessage({ timestamp: "1", nonce: "n", body: "" })).toBe("1\nn\n\n")
    // the body is taken verbatim: its own newlines and trailing spaces stay
    expect(Signer.answerMessage({ timestamp: "1", nonce: "n", body: "x \n" })).toBe("1\nn\nx \n\n")
  })

  it("requestMessage keeps method, URL and body verbatim and ends every line with \\n", () => {
    expect(
      Signer.requestMessage({ method: "POST", url: "/v3/a?b=%2F", timestamp: "2", nonce: "N", body: '{"k":"v"}' })
    ).toBe('POST\n/v3/a?b=%2F\n2\nN\n{"k":"v"}\n')
  })

  it("formatAuthorization gives the scheme and the five quoted fields", () => {
    const header = Signer.formatAuthorization({
      mchid: "1900000001",
      nonce: "NONCE",
      signature: "c2ln+/=",
      timestamp: "1554208460",
      serialNo: "F5765756002FDD77"
    })
    expect(header).toBe(
      'WECHATPAY2-SHA256-RSA2048 mchid="1900000001",nonce_str="NONCE",signature="c2ln+/=",timestamp="1554208460",serial_no="F5765756002FDD77"'
    )
    expect(header.startsWith(`${Signer.SCHEME} `)).toBe(true)
  })

  it("formatAuthorization of the vector's fields gives exactly the vector's header", () => {
    expect(
      Signer.formatAuthorization({
        mchid: auth.mchid,
        nonce: auth.nonce_str,
        signature: auth.signature_base64,
        timestamp: auth.timestamp,
        serialNo: auth.merchant_serial_no
      })
    ).toBe(auth.authorization_header)
  })

  it("parseAuthorization reads the fields back in any order and rejects what is not a header", () => {
    expect(Signer.parseAuthorization(auth.authorization_header)).toEqual({
      mchid: auth.mchid,
      nonce_str: auth.nonce_str,
      signature: auth.signature_base64,
      timestamp: auth.timestamp,
      serial_no: auth.merchant_serial_no
    })
    expect(
      Signer.parseAuthorization(
        'WECHATPAY2-SHA256-RSA2048 serial_no="S", timestamp="1",signature="x+/=" ,nonce_str="N",mchid="M"'
      )
    ).toEqual({ serial_no: "S", timestamp: "1", signature: "x+/=", nonce_str: "N", mchid: "M" })
    const roundTrip = { mchid: "M", nonce: "N", signature: "S==", timestamp: "9", serialNo: "AB" }
    expect(Signer.parseAuthorization(Signer.formatAuthorization(roundTrip))).toEqual({
      mchid: "M",
      nonce_str: "N",
      signature: "S==",
      timestamp: "9",
      serial_no: "AB"
    })
    expect(Signer.parseAuthorization("Bearer abc")).toBeUndefined()
    expect(Signer.parseAuthorization('WECHATPAY2-SHA256-RSA2048mchid="1"')).toBeUndefined()
    expect(Signer.parseAuthorization("WECHATPAY2-SHA256-RSA2048 mchid=1")).toBeUndefined()
    expect(Signer.parseAuthorization('WECHATPAY2-SHA256-RSA2048 mchid="1",junk')).toBeUndefined()
    expect(Signer.parseAuthorization(`${auth.authorization_header.replace("WECHATPAY2", "WECHATPAY3")}`))
      .toBeUndefined()
  })

  it.live("nonce: 32 alphanumeric characters, different on two calls with the default Random", () =>
    Effect.gen(function*() {
      const first = yield* Signer.nonce
      const second = yield* Signer.nonce
      expect(first).toMatch(/^[0-9A-Z]{32}$/)
      expect(second).toMatch(/^[0-9A-Z]{32}$/)
      expect(first).not.toBe(second)
    }))

  it.live("nonce under the default Random: 5,000 distinct nonces, every character of 0-9A-Z used, none favoured", () =>
    Effect.gen(function*() {
      const nonces = yield* Effect.replicateEffect(Signer.nonce, 5000)
      expect(new Set(nonces).size).toBe(5000)
      const counts = new Map<string, number>()
      for (const nonce of nonces) {
        expect(nonce).toMatch(/^[0-9A-Z]{32}$/)
        for (const c of nonce) counts.set(c, (counts.get(c) ?? 0) + 1)
      }
      // 160,000 characters: 4,444 expected each, standard deviation 66. A biased mapping (a byte
      // % 36, without rejecting 252-255) gives 0-3 about 5,000 each (+8.4 σ); the bounds are ±6 σ
      expect(counts.size).toBe(36)
      for (const [, count] of counts) {
        expect(count).toBeGreaterThan(4050)
        expect(count).toBeLessThan(4840)
      }
    }))

  it.effect("nonce under a Random you provide draws from it: Effect.withRandom pins it", () =>
    Effect.gen(function*() {
      const pinned = yield* Signer.nonce.pipe(Effect.withRandom(Random.make("seed")))
      const again = yield* Signer.nonce.pipe(Effect.withRandom(Random.make("seed")))
      expect(pinned).toMatch(/^[0-9A-Z]{32}$/)
      expect(again).toBe(pinned)
    }))

  it.effect("authorization() draws a fresh nonce per call (same clock, different nonce and signature)", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Number(auth.timestamp) * 1000)
      const signer = yield* signerOver(yield* vectorKeyStore)
      const one = Signer.parseAuthorization(yield* signer.authorization({ method: "GET", url: auth.url, body: "" }))
      const two = Signer.parseAuthorization(yield* signer.authorization({ method: "GET", url: auth.url, body: "" }))
      expect(one!.timestamp).toBe(auth.timestamp)
      expect(two!.timestamp).toBe(auth.timestamp)
      expect(one!.nonce_str).toMatch(/^[0-9A-Z]{32}$/)
      expect(one!.nonce_str).not.toBe(two!.nonce_str)
      expect(one!.signature).not.toBe(two!.signature)
    }))

  it("getHeader finds headers in any casing and ignores repeated headers", () => {
    expect(Signer.getHeader({ "wechatpay-serial": "a" }, "Wechatpay-Serial")).toBe("a")
    expect(Signer.getHeader({ "WECHATPAY-SERIAL": "b" }, "Wechatpay-Serial")).toBe("b")
    expect(Signer.getHeader({ "Wechatpay-Serial": ["a", "b"] }, "Wechatpay-Serial")).toBeUndefined()
    expect(Signer.getHeader(new Headers({ "Wechatpay-Serial": "c" }), "wechatpay-serial")).toBe("c")
  })
})
