/**
 * The retry rule (src/core/retry.ts): what is transient, what proves a request never left, what an
 * idempotent and a non-idempotent call may retry, and which methods are idempotent by default.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Retry from "../../src/core/retry.js"

const neverSent = { _tag: "TransportError", reason: "NeverSent" }
const outcomeUnknown = { _tag: "TransportError", reason: "OutcomeUnknown" }
const failures = [
  neverSent,
  outcomeUnknown,
  { _tag: "FrequencyLimited" },
  { _tag: "SystemError" },
  { _tag: "NotFound" },
  { _tag: "ParamError" },
  { _tag: "InvalidRequest" },
  { _tag: "SignError" },
  { _tag: "NoAuth" },
  { _tag: "ApiError" },
  { _tag: "VerificationError" },
  { _tag: "DecodeError" },
  { _tag: "InvalidInput" }
] as const

describe("the retry rule", () => {
  it("transient: a transport failure (either reason), a 429, a 5xx; nothing else", () => {
    expect(failures.filter(Retry.isTransient)).toEqual([
      neverSent,
      outcomeUnknown,
      { _tag: "FrequencyLimited" },
      { _tag: "SystemError" }
    ])
  })

  it("never sent: only a TransportError whose reason is NeverSent", () => {
    expect(failures.filter(Retry.isNeverSent)).toEqual([neverSent])
    expect(Retry.isNeverSent({ _tag: "SystemError", reason: "NeverSent" })).toBe(false)
  })

  it("an idempotent call retries every transient failure; a non-idempotent one only a never-sent one", () => {
    expect(failures.filter((f) => Retry.isRetryable(f, true))).toEqual(failures.filter(Retry.isTransient))
    expect(failures.filter((f) => Retry.isRetryable(f, false))).toEqual([neverSent])
  })

  it("idempotent by default: GET, HEAD, PUT, DELETE, OPTIONS (RFC 9110); not POST, PATCH", () => {
    const methods = ["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "POST", "PATCH", "get"]
    expect(methods.filter(Retry.isIdempotentMethod)).toEqual(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"])
  })
})
