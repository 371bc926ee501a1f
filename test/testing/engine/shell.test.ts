/**
 * What both lines' `Sandbox` shells take from the engine (src/testing/engine/shell.ts): the client
 * options of a sandbox (public key and certificates only when it has them), and the sentences of
 * misused controls.
 */
import { describe, expect, it } from "@effect/vitest"
import { createEngine, type Engine } from "../../../src/testing/engine/engine.js"
import * as Shell from "../../../src/testing/engine/shell.js"
import { isSandboxProblem } from "../../../src/testing/engine/types.js"
import { Fixtures } from "../../../src/testing/index.js"

const engine = async (options: Parameters<typeof createEngine>[0]): Promise<Engine> => {
  const made = await createEngine(options, () => Date.now())
  if (isSandboxProblem(made)) throw new Error(made.message)
  return made
}

describe("clientOptions", () => {
  it("the fixtures' sandbox: its merchant, the public key, both certificates, the APIv3 key, the base URL", async () => {
    const options = Shell.clientOptions(await engine({}), "http://127.0.0.1:1")
    expect(options).toEqual({
      mchid: Fixtures.mchid,
      merchantSerialNo: Fixtures.merchantSerialNo,
      merchantPrivateKey: Fixtures.merchantPrivateKeyPkcs8,
      wechatpayPublicKey: { id: Fixtures.wechatpayPublicKeyId, pem: Fixtures.wechatpayPublicKey },
      platformCertificates: [Fixtures.platformCertificate1, Fixtures.platformCertificate2],
      apiV3Key: Fixtures.apiV3Key,
      baseUrl: "http://127.0.0.1:1"
    })
  })

  it("no public key, or no certificate: the option is left out", async () => {
    const certificatesOnly = Shell.clientOptions(await engine({ wechatpayPublicKey: false }), "http://127.0.0.1:1")
    expect("wechatpayPublicKey" in certificatesOnly).toBe(false)
    const publicKeyOnly = Shell.clientOptions(await engine({ platformCertificates: [] }), "http://127.0.0.1:1")
    expect("platformCertificates" in publicKeyOnly).toBe(false)
  })
})

describe("the controls' sentences", () => {
  it("times: a whole number ≥ 1, or Infinity", () => {
    expect([1, 7, Infinity].map(Shell.faultTimesProblem)).toEqual([undefined, undefined, undefined])
    expect(Shell.faultTimesProblem(0)).toBe("injectFault: times must be a whole number ≥ 1 or Infinity, got 0")
    expect(Shell.faultTimesProblem(1.5)).toMatch(/got 1\.5$/)
  })

  it("bindUser names the code, and the service_id when given", () => {
    expect(Shell.nothingToBind({ authorization_code: "C", openid: "o" })).toBe(
      "bindUser: no UNBINDUSER record with authorization_code C (apply first)"
    )
    expect(Shell.nothingToBind({ authorization_code: "C", openid: "o", service_id: "S" })).toBe(
      "bindUser: no UNBINDUSER record with authorization_code C and service_id S (apply first)"
    )
  })
})
