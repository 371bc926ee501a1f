/**
 * AEAD_AES_256_GCM as WeChat Pay uses it (src/core/aead.ts): the shared known answer
 * (`aead_aes_256_gcm` of test/vectors/vectors.json, from wechatpay-java's AeadAesCipherTest), and
 * each `DecryptionProblem`, which names what failed and never the key or the plaintext.
 */
import { describe, expect, it } from "@effect/vitest"
import { createCipheriv } from "node:crypto"
import * as Aead from "../../src/core/aead.js"
import * as Bytes from "../../src/core/bytes.js"
import { vectors } from "../helpers/vectors.js"

const vector = vectors.aead_aes_256_gcm
const keyOf = (text: string) => Aead.importKey(Bytes.utf8(text))
const sealed: Aead.Sealed = {
  algorithm: "AEAD_AES_256_GCM",
  ciphertext: vector.ciphertext_base64,
  nonce: vector.nonce,
  associated_data: vector.associated_data
}

/** Changes one base64 character of `text` at `at` (to another valid one). */
const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === "A" ? "B" : "A") + text.slice(at + 1)

describe("the aead_aes_256_gcm vector", () => {
  it("decrypts to the vector's plaintext (with the algorithm named, or absent)", async () => {
    const key = await keyOf(vector.key)
    expect(await Aead.decryptText(key, sealed)).toEqual({ _tag: "Decrypted", text: vector.plaintext })
    const { algorithm: _, ...withoutAlgorithm } = sealed
    expect(await Aead.decryptText(key, withoutAlgorithm)).toEqual({ _tag: "Decrypted", text: vector.plaintext })
  })

  it("encrypt gives the vector's ciphertext byte for byte (GCM is deterministic for a key and nonce)", async () => {
    const key = await keyOf(vector.key)
    expect(
      await Aead.encrypt(key, {
        plaintext: vector.plaintext,
        nonce: vector.nonce,
        associatedData: vector.associated_data
      })
    ).toBe(vector.ciphertext_base64)
  })

  it("decryptBytes gives the plaintext's bytes, and rejects a tag that does not hold", async () => {
    const key = await keyOf(vector.key)
    const input = { ciphertext: vector.ciphertext_base64, nonce: vector.nonce, associatedData: vector.associated_data }
    expect(Bytes.fromUtf8(await Aead.decryptBytes(key, input))).toBe(vector.plaintext)
    await expect(Aead.decryptBytes(key, { ...input, associatedData: "other" })).rejects.toThrow()
    await expect(Aead.decryptBytes(key, { ...input, ciphertext: "AAAA" })).rejects.toThrow(
      "ciphertext is not base64 of at least 16 bytes"
    )
  })
})

describe("each DecryptionProblem", () => {
  it("UnsupportedAlgorithm: any algorithm but AEAD_AES_256_GCM, before anything is decrypted", async () => {
    const key = await keyOf(vector.key)
    for (const algorithm of ["AEAD_AES_128_GCM", "aead_aes_256_gcm", ""]) {
      expect(await Aead.decryptText(key, { ...sealed, algorithm })).toEqual({ _tag: "UnsupportedAlgorithm" })
    }
  })

  it("MalformedCiphertext: not strict base64, or fewer than the tag's 16 bytes", async () => {
    const key = await keyOf(vector.key)
    for (const ciphertext of ["not base64!", "ulwSiIajGClcvcOY vOQ7+l+0PAbzzwI=", "AAAAAAAAAAAAAAAAAAAA", ""]) {
      expect(await Aead.decryptText(key, { ...sealed, ciphertext })).toEqual({ _tag: "MalformedCiphertext" })
    }
  })

  it("AuthenticationFailed: a changed associated_data, nonce, tag or ciphertext, or another key", async () => {
    const key = await keyOf(vector.key)
    const ciphertext = vector.ciphertext_base64
    const changed: ReadonlyArray<Aead.Sealed> = [
      { ...sealed, associated_data: "associatedDatA" },
      { ...sealed, associated_data: undefined },
      { ...sealed, nonce: "uluk4a9R25RX" },
      { ...sealed, ciphertext: flip(ciphertext, ciphertext.length - 3) },
      { ...sealed, ciphertext: flip(ciphertext, 0) }
    ]
    for (const input of changed) {
      expect(await Aead.decryptText(key, input)).toEqual({ _tag: "AuthenticationFailed" })
    }
    expect(await Aead.decryptText(await keyOf("b".repeat(32)), sealed)).toEqual({ _tag: "AuthenticationFailed" })
  })

  it("MalformedCiphertext too when it authenticates but the plaintext is not UTF-8", async () => {
    const nonce = "0123456789ab"
    const cipher = createCipheriv("aes-256-gcm", Buffer.from(vector.key, "utf8"), Buffer.from(nonce, "utf8"))
    cipher.setAAD(Buffer.from("", "utf8"))
    const data = Buffer.concat([cipher.update(Buffer.from([0x7b, 0xff, 0x7d])), cipher.final(), cipher.getAuthTag()])
    const key = await keyOf(vector.key)
    const input = { ciphertext: data.toString("base64"), nonce, associated_data: null }
    expect(await Aead.decryptText(key, input)).toEqual({ _tag: "MalformedCiphertext" })
  })
})

describe("encrypt", () => {
  it("round-trips with decryptText; an absent or null associated_data is the empty one", async () => {
    const key = await keyOf(vector.key)
    const ciphertext = await Aead.encrypt(key, { plaintext: "签约成功 {}", nonce: "Kj7QIyUiYx1q", associatedData: "" })
    for (const associated_data of [undefined, null, ""]) {
      expect(await Aead.decryptText(key, { ciphertext, nonce: "Kj7QIyUiYx1q", associated_data })).toEqual({
        _tag: "Decrypted",
        text: "签约成功 {}"
      })
    }
    expect(Aead.ALGORITHM).toBe("AEAD_AES_256_GCM")
  })
})
