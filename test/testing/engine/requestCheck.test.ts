/**
 * The sandbox's request checks (src/testing/engine/requestCheck.ts): `sign_information`.
 */
import { describe, expect, it } from "@effect/vitest"
import { signInformation } from "../../../src/testing/engine/requestCheck.js"

describe("sandbox request checks", () => {
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
