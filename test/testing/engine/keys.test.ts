/**
 * Which key signs an answer (src/testing/engine/keys.ts `signingKeyFor`, certificates.ts
 * `answerSigning`): the key the request's `Wechatpay-Serial` names; a request naming none (or a key
 * the account does not have) is answered under the platform certificate when the account holds
 * certificates, else under the public key. That is WeChat Pay's rule during the certificate →
 * public key switch (test/fixtures/wechatpay/serviceorder/README.md §8: /doc/v3/merchant/4012154180,
 * WeChat Pay staff on the developer community, binarywang/WxJava#3454).
 */
import { describe, expect, it } from "@effect/vitest"
import { answerSigning, rotateKeys } from "../../../src/testing/engine/certificates.js"
import { type KeyOptions, resolveKeys, type SandboxKeys, signingKeyFor } from "../../../src/testing/engine/keys.js"
import { isSandboxProblem } from "../../../src/testing/engine/types.js"
import { Fixtures } from "../../../src/testing/index.js"

const NOW = Date.parse("2026-06-01T00:00:00Z")

const BOTH: KeyOptions = {
  mchid: Fixtures.mchid,
  merchantSerialNo: Fixtures.merchantSerialNo,
  merchantPrivateKey: Fixtures.merchantPrivateKeyPkcs8,
  merchantPublicKey: Fixtures.merchantPublicKey,
  wechatpayPublicKey: { id: Fixtures.wechatpayPublicKeyId, privateKey: Fixtures.wechatpayPrivateKey },
  platformCertificates: [
    { certificate: Fixtures.platformCertificate1, privateKey: Fixtures.platformPrivateKey1 },
    { certificate: Fixtures.platformCertificate2, privateKey: Fixtures.platformPrivateKey2 }
  ]
}

const keysOf = async (options: KeyOptions): Promise<SandboxKeys> => {
  const keys = await resolveKeys(options, NOW)
  if (isSandboxProblem(keys)) throw new Error(keys.message)
  return keys
}

const request = (serial?: string) => ({
  method: "GET",
  url: "/v3/payscore/serviceorder?out_order_no=1&service_id=2&appid=3",
  headers: serial === undefined ? {} : { "wechatpay-serial": serial },
  body: ""
})

describe("signingKeyFor", () => {
  it("an account holding a public key and certificates: the named key; none or unknown: the certificate", async () => {
    const keys = await keysOf(BOTH)
    expect(signingKeyFor(keys, Fixtures.wechatpayPublicKeyId).serial).toBe(Fixtures.wechatpayPublicKeyId)
    expect(signingKeyFor(keys, Fixtures.platformSerialNo2).serial).toBe(Fixtures.platformSerialNo2)
    // a certificate serial in lower case is the same certificate
    expect(signingKeyFor(keys, Fixtures.platformSerialNo2.toLowerCase()).serial).toBe(Fixtures.platformSerialNo2)
    expect(signingKeyFor(keys, undefined).serial).toBe(Fixtures.platformSerialNo1)
    expect(signingKeyFor(keys, "PUB_KEY_ID_OF_SOMEONE_ELSE").serial).toBe(Fixtures.platformSerialNo1)
    // notifications are not answers: their default signer stays the public key
    expect(keys.defaultSigning.serial).toBe(Fixtures.wechatpayPublicKeyId)
  })

  it("public-key mode (no certificate): the public key, named or not", async () => {
    const keys = await keysOf({ ...BOTH, platformCertificates: [] })
    expect(signingKeyFor(keys, undefined).serial).toBe(Fixtures.wechatpayPublicKeyId)
    expect(signingKeyFor(keys, Fixtures.platformSerialNo1).serial).toBe(Fixtures.wechatpayPublicKeyId)
  })

  it("certificate mode (no public key): the named certificate, else the one in use", async () => {
    const keys = await keysOf({ ...BOTH, wechatpayPublicKey: undefined })
    expect(signingKeyFor(keys, undefined).serial).toBe(Fixtures.platformSerialNo1)
    expect(signingKeyFor(keys, Fixtures.wechatpayPublicKeyId).serial).toBe(Fixtures.platformSerialNo1)
    expect(signingKeyFor(keys, Fixtures.platformSerialNo2).serial).toBe(Fixtures.platformSerialNo2)
  })

  it("after a rotation, what a certificate would sign is signed with the new one; the public key still answers its id", async () => {
    const keys = await keysOf(BOTH)
    const rotated = (await keysOf({
      ...BOTH,
      wechatpayPublicKey: undefined,
      platformCertificates: [{ certificate: Fixtures.platformCertificate3, privateKey: Fixtures.platformPrivateKey3 }]
    })).certificates[0]!
    const after = rotateKeys(keys, rotated)
    expect(answerSigning(after, rotated, request()).serial).toBe(Fixtures.platformSerialNo3)
    expect(answerSigning(after, rotated, request(Fixtures.platformSerialNo1)).serial).toBe(Fixtures.platformSerialNo3)
    expect(answerSigning(after, rotated, request(Fixtures.wechatpayPublicKeyId)).serial).toBe(
      Fixtures.wechatpayPublicKeyId
    )
    // before any rotation
    expect(answerSigning(keys, undefined, request()).serial).toBe(Fixtures.platformSerialNo1)
    expect(answerSigning(keys, undefined, request(Fixtures.wechatpayPublicKeyId)).serial).toBe(
      Fixtures.wechatpayPublicKeyId
    )
  })
})
