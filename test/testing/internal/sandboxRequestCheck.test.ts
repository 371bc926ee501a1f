/**
 * The sandbox's request check, without HTTP: the `sign_information` of a SIGN_ERROR answer.
 */
import { describe, expect, it } from "@effect/vitest"
import { signInformation } from "../../../src/testing/internal/sandboxRequestCheck.js"

describe("sandbox request check", () => {
  it("sign_information cuts the body short and counts bytes", () => {
    const info = signInformation({ method: "POST", url: "/v3/x", timestamp: "1", nonce: "N", body: '{"amount":1}' })
    expect(info).toEqual({
      method: "POST",
      url: "/v3/x",
      truncated_sign_message: 'POST\n/v3/x\n1\nN\n{"amount\n',
      sign_message_length: 'POST\n/v3/x\n1\nN\n{"amount":1}\n'.length
    })
  })
})
