/**
 * A damaged merchant key is refused when the layer is built (`InvalidConfig` naming
 * `merchantPrivateKey`), not at WeChat Pay with `SIGN_ERROR` on every request: WebCrypto imports a
 * PKCS#8 key whose modulus has one base64 character changed without complaint, so the library
 * checks that the key's signature verifies with its own public half.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Redacted, Result } from "effect"
import { KeyStore } from "../../src/index.js"
import { Fixtures } from "../../src/testing/index.js"
import { merchantOptions } from "../helpers/merchant.js"

/** The PEM with one character of its second base64 line (inside the modulus) changed. */
const damage = (pem: string): string => {
  const lines = pem.split("\n")
  const line = lines[2]!
  const at = 10
  lines[2] = line.slice(0, at) + (line[at] === "A" ? "B" : "A") + line.slice(at + 1)
  return lines.join("\n")
}

const build = (pem: string) =>
  Effect.result(Effect.scoped(Layer.build(KeyStore.layer(merchantOptions({ merchantPrivateKey: Redacted.make(pem) })))))

describe("the merchant key's consistency, at layer build", () => {
  it.effect("PKCS#8 and PKCS#1 keys with a changed modulus: InvalidConfig merchantPrivateKey; the intact ones build", () =>
    Effect.gen(function*() {
      for (const pem of [Fixtures.merchantPrivateKeyPkcs8, Fixtures.merchantPrivateKeyPkcs1]) {
        expect(Result.isSuccess(yield* build(pem))).toBe(true)
        const damaged = yield* build(damage(pem))
        expect(Result.isFailure(damaged) && damaged.failure).toMatchObject({
          _tag: "InvalidConfig",
          option: "merchantPrivateKey"
        })
        expect(Result.isFailure(damaged) && damaged.failure.message).toContain("is damaged")
        // no key material in the message
        expect(Result.isFailure(damaged) && damaged.failure.message).not.toContain(pem.split("\n")[2]!.slice(0, 20))
      }
    }))
})
