/**
 * A notification's envelope (src/core/notification.ts) read tolerantly: only `id`, `create_time`,
 * `event_type` and the encrypted `resource` (its `ciphertext` and `nonce`) are required; `summary`,
 * `resource_type`, `original_type`, `associated_data` and `algorithm` may be absent (an absent
 * algorithm is AEAD_AES_256_GCM, the only one). Every refusal names the field. Then the resource
 * decrypted and read.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Aead from "../../src/core/aead.js"
import * as Bytes from "../../src/core/bytes.js"
import * as Notification from "../../src/core/notification.js"
import { Fixtures } from "../../src/testing/index.js"
import { nestedArrays } from "../helpers/json.js"

const documented = {
  id: "EV-2018022511223320873",
  create_time: "2015-05-20T13:29:35+08:00",
  resource_type: "encrypt-resource",
  event_type: "PAYSCORE.USER_OPEN_SERVICE",
  summary: "签约成功",
  resource: {
    original_type: "payscore",
    algorithm: "AEAD_AES_256_GCM",
    ciphertext: "c2VhbGVk",
    associated_data: "payscore",
    nonce: "fdasflkja484w"
  }
}

/** The documented envelope with `change` applied to a copy. */
const envelope = (change: (e: Record<string, any>) => void = () => {}) => {
  const copy = JSON.parse(JSON.stringify(documented)) as Record<string, any>
  change(copy)
  return JSON.stringify(copy)
}

const prefix = "the verified notification is not the documented envelope: "

describe("parseEnvelope", () => {
  it("the documented envelope: every field, create_time in epoch millis", () => {
    expect(Notification.parseEnvelope(envelope())).toEqual({
      ...documented,
      createTimeMillis: Date.parse("2015-05-20T05:29:35Z")
    })
  })

  it("tolerates no summary, no resource_type, no original_type, no associated_data: each absent, not invented", () => {
    for (
      const [name, change] of [
        ["summary", (e: Record<string, any>) => delete e.summary],
        ["resource_type", (e: Record<string, any>) => delete e.resource_type],
        ["original_type", (e: Record<string, any>) => delete e.resource.original_type],
        ["associated_data", (e: Record<string, any>) => delete e.resource.associated_data]
      ] as const
    ) {
      const read = Notification.parseEnvelope(envelope(change))
      expect([name, Notification.isEnvelopeProblem(read)]).toEqual([name, false])
      const json = JSON.stringify(read)
      expect([name, json.includes(`"${name}"`)]).toEqual([name, false])
    }
  })

  it("no algorithm (or null): AEAD_AES_256_GCM; a compact create_time reads too", () => {
    for (
      const change of [
        (e: Record<string, any>) => delete e.resource.algorithm,
        (e: Record<string, any>) => (e.resource.algorithm = null)
      ]
    ) {
      const read = Notification.parseEnvelope(envelope(change))
      expect(!Notification.isEnvelopeProblem(read) && read.resource.algorithm).toBe(Aead.ALGORITHM)
    }
    const compact = Notification.parseEnvelope(envelope((e) => (e.create_time = "20150520132935")))
    expect(!Notification.isEnvelopeProblem(compact) && compact.createTimeMillis).toBe(
      Date.parse("2015-05-20T05:29:35Z")
    )
  })

  it("fields of other types where a string is optional are dropped, not refused", () => {
    const read = Notification.parseEnvelope(envelope((e) => {
      e.summary = 1
      e.resource.associated_data = null
    }))
    expect(Notification.isEnvelopeProblem(read)).toBe(false)
    expect(JSON.stringify(read)).not.toContain("summary")
  })

  it("each refusal names the field", () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ["{", "the body is not JSON"],
      [JSON.stringify([1]), "expected a JSON object"],
      [envelope((e) => delete e.id), "id is missing or not a string"],
      [envelope((e) => (e.create_time = 1)), "create_time is missing or not a string"],
      [envelope((e) => delete e.event_type), "event_type is missing or not a string"],
      [envelope((e) => (e.create_time = "yesterday")), "create_time: expected a WeChat Pay time"],
      [envelope((e) => delete e.resource), "resource is missing or not an object"],
      [envelope((e) => (e.resource = "sealed")), "resource is missing or not an object"],
      [envelope((e) => delete e.resource.ciphertext), "resource.ciphertext is missing or not a string"],
      [envelope((e) => (e.resource.nonce = 7)), "resource.nonce is missing or not a string"],
      [envelope((e) => (e.resource.algorithm = 1)), "resource.algorithm is not a string"]
    ]
    for (const [body, words] of cases) {
      const read = Notification.parseEnvelope(body)
      expect(Notification.isEnvelopeProblem(read) && read.message.startsWith(prefix + words)).toBe(true)
    }
  })

  it("deep nesting is a problem, never a stack overflow", () => {
    const read = Notification.parseEnvelope(nestedArrays(30_000))
    expect(Notification.isEnvelopeProblem(read) && read.message.startsWith(prefix)).toBe(true)
  })
})

describe("readResource", () => {
  const seal = async (plaintext: string) => {
    const key = await Aead.importKey(Bytes.utf8(Fixtures.apiV3Key))
    const ciphertext = await Aead.encrypt(key, { plaintext, nonce: "Kj7QIyUiYx1q", associatedData: "payscore" })
    return {
      key,
      resource: { algorithm: Aead.ALGORITHM, ciphertext, nonce: "Kj7QIyUiYx1q", associated_data: "payscore" }
    }
  }

  it("decrypts and reads the JSON", async () => {
    const { key, resource } = await seal(`{"service_id":"500001","n":1}`)
    expect(await Notification.readResource(key, resource)).toEqual({
      _tag: "Resource",
      json: { service_id: "500001", n: 1 }
    })
  })

  it("a DecryptionProblem with its reason; a plaintext that is not JSON (or too deep) is NotJson", async () => {
    const { key, resource } = await seal("not json")
    expect(await Notification.readResource(key, { ...resource, associated_data: "other" })).toEqual({
      _tag: "DecryptionProblem",
      reason: "AuthenticationFailed"
    })
    expect(await Notification.readResource(key, { ...resource, algorithm: "AEAD_AES_128_GCM" })).toEqual({
      _tag: "DecryptionProblem",
      reason: "UnsupportedAlgorithm"
    })
    const notJson = await Notification.readResource(key, resource)
    expect(notJson._tag === "NotJson" && notJson.message.startsWith("the decrypted resource ")).toBe(true)
    const deep = await seal(nestedArrays(5_000))
    expect((await Notification.readResource(deep.key, deep.resource))._tag).toBe("NotJson")
  })
})

describe("eventTag", () => {
  it("the four known events, any other as UnknownEvent", () => {
    expect(
      [
        Notification.USER_OPEN_SERVICE,
        Notification.USER_CLOSE_SERVICE,
        Notification.USER_CONFIRM,
        Notification.USER_PAID,
        "PAYSCORE.USER_SIGN_PLAN",
        ""
      ].map(Notification.eventTag)
    ).toEqual(["UserOpenService", "UserCloseService", "UserConfirm", "UserPaid", "UnknownEvent", "UnknownEvent"])
    expect([Notification.USER_CONFIRM, Notification.USER_PAID]).toEqual(["PAYSCORE.USER_CONFIRM", "PAYSCORE.USER_PAID"])
  })
})
