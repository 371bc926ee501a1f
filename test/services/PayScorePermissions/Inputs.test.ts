/**
 * Input validation of the new methods: every problem is an `InvalidInput` naming the field, found
 * before anything is sent (the sandbox log stays empty).
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import type { PayScorePermissions } from "../../../src/index.js"
import { PermissionRequests } from "../../../src/index.js"
import {
  APPID,
  CHANNEL_ID,
  CODE,
  NOTIFY_URL,
  OPENID,
  permissions,
  REASON,
  requests,
  sandboxLayer,
  SERVICE_ID,
  SUB_APPID,
  SUB_MCHID,
  SUB_OPENID
} from "../../helpers/sandbox.js"

type Service = PayScorePermissions.PayScorePermissions.Service

interface Case {
  readonly name: string
  readonly call: (p: Service) => Effect.Effect<unknown, { readonly _tag: string }>
  readonly field: string
  readonly message?: string | RegExp
}

const apply = { service_id: SERVICE_ID, appid: APPID, authorization_code: CODE }
const partnerApply = { ...apply, sub_mchid: SUB_MCHID }
const bankApply = { ...partnerApply, channel_id: CHANNEL_ID }
const partnerSearch = { service_id: SERVICE_ID, appid: APPID, sub_mchid: SUB_MCHID }

/** For calls that must be refused whatever TypeScript says. */
const untyped = <A>(value: unknown): A => value as A

const CASES: ReadonlyArray<Case> = [
  // apply
  {
    name: "apply: notify_url not a URL",
    call: (p) => p.applyPermissions({ ...apply, notify_url: "merchant.example.com/notify" }),
    field: "notify_url",
    message: /absolute URL/
  },
  {
    name: "apply: notify_url ftp://",
    call: (p) => p.applyPermissions({ ...apply, notify_url: "ftp://merchant.example.com/notify" }),
    field: "notify_url",
    message: /https/
  },
  {
    name: "apply: notify_url of 256 characters (documented: string[1, 255])",
    call: (p) => p.applyPermissions({ ...apply, notify_url: `https://e.com/${"a".repeat(242)}` }),
    field: "notify_url",
    message: "notify_url is 256 characters long; at most 255 are allowed"
  },
  {
    name: "apply: notify_url with a space",
    call: (p) => p.applyPermissions({ ...apply, notify_url: "https://e.com/a b" }),
    field: "notify_url"
  },
  {
    name: "apply: authorization_code of 33 characters",
    call: (p) => p.applyPermissions({ ...apply, authorization_code: "1".repeat(33) }),
    field: "authorization_code"
  },
  {
    name: "apply: authorization_code with a slash (it is a path segment elsewhere)",
    call: (p) => p.applyPermissions({ ...apply, authorization_code: "a/b" }),
    field: "authorization_code"
  },
  {
    name: "apply: appid missing",
    call: (p) => p.applyPermissions(untyped({ service_id: SERVICE_ID, authorization_code: CODE })),
    field: "appid",
    message: "appid is required"
  },
  {
    name: "apply partner: sub_mchid missing",
    call: (p) => p.applyPartnerPermissions(untyped(apply)),
    field: "sub_mchid",
    message: "sub_mchid is required"
  },
  {
    name: "apply partner: sub_appid empty",
    call: (p) => p.applyPartnerPermissions({ ...partnerApply, sub_appid: "" }),
    field: "sub_appid",
    message: "sub_appid must not be empty"
  },
  {
    name: "apply acquiring bank: channel_id missing",
    call: (p) => p.applyAcquiringBankPermissions(untyped(partnerApply)),
    field: "channel_id"
  },
  {
    name: "apply acquiring bank: channel_id of 33 characters",
    call: (p) => p.applyAcquiringBankPermissions({ ...bankApply, channel_id: "7".repeat(33) }),
    field: "channel_id"
  },
  // terminate
  {
    name: "terminate by code: reason of 51 characters",
    call: (p) =>
      p.terminateByAuthorizationCode({ authorization_code: CODE, service_id: SERVICE_ID, reason: "理".repeat(51) }),
    field: "reason",
    message: "reason is 51 characters long; at most 50 are allowed"
  },
  {
    name: "terminate by code: empty reason",
    call: (p) => p.terminateByAuthorizationCode({ authorization_code: CODE, service_id: SERVICE_ID, reason: "" }),
    field: "reason",
    message: "reason must not be empty"
  },
  {
    name: "terminate by code: a line break in reason",
    call: (p) => p.terminateByAuthorizationCode({ authorization_code: CODE, service_id: SERVICE_ID, reason: "a\nb" }),
    field: "reason"
  },
  {
    name: "terminate by code: a lone surrogate in reason",
    call: (p) =>
      p.terminateByAuthorizationCode({ authorization_code: CODE, service_id: SERVICE_ID, reason: "a\ud800" }),
    field: "reason"
  },
  {
    name: "terminate by code: authorization_code '..'",
    call: (p) => p.terminateByAuthorizationCode({ authorization_code: "..", service_id: SERVICE_ID, reason: REASON }),
    field: "authorization_code"
  },
  {
    name: "terminate partner by code: sub_mchid missing",
    call: (p) =>
      p.terminatePartnerByAuthorizationCode(
        untyped({ authorization_code: CODE, service_id: SERVICE_ID, reason: REASON })
      ),
    field: "sub_mchid"
  },
  {
    name: "terminate acquiring bank by code: channel_id empty",
    call: (p) =>
      p.terminateAcquiringBankByAuthorizationCode({
        authorization_code: CODE,
        service_id: SERVICE_ID,
        channel_id: "",
        sub_mchid: SUB_MCHID,
        reason: REASON
      }),
    field: "channel_id"
  },
  {
    name: "terminate by openid: openid with '?'",
    call: (p) => p.terminateByOpenid({ openid: "o?x", service_id: SERVICE_ID, appid: APPID, reason: REASON }),
    field: "openid"
  },
  {
    name: "terminate by openid: reason missing",
    call: (p) => p.terminateByOpenid(untyped({ openid: OPENID, service_id: SERVICE_ID, appid: APPID })),
    field: "reason",
    message: "reason is required"
  },
  // exactly one of openid / sub_openid
  {
    name: "partner search: neither openid nor sub_openid",
    call: (p) => p.queryPartnerByOpenid(partnerSearch),
    field: "openid",
    message: "openid or sub_openid is required (exactly one of them)"
  },
  {
    name: "partner search: both openid and sub_openid",
    call: (p) =>
      p.queryPartnerByOpenid({ ...partnerSearch, openid: OPENID, sub_appid: SUB_APPID, sub_openid: SUB_OPENID }),
    field: "sub_openid",
    message: /exactly one of openid and sub_openid/
  },
  {
    name: "partner search: sub_openid without sub_appid",
    call: (p) => p.queryPartnerByOpenid({ ...partnerSearch, sub_openid: SUB_OPENID }),
    field: "sub_appid",
    message: "sub_appid is required with sub_openid (the sub_openid is under sub_appid)"
  },
  {
    name: "partner search: openid of 129 characters",
    call: (p) => p.queryPartnerByOpenid({ ...partnerSearch, openid: "o".repeat(129) }),
    field: "openid"
  },
  {
    name: "partner search: sub_mchid missing",
    call: (p) => p.queryPartnerByOpenid(untyped({ service_id: SERVICE_ID, appid: APPID, openid: OPENID })),
    field: "sub_mchid"
  },
  {
    name: "terminate partner by openid: neither",
    call: (p) => p.terminatePartnerByOpenid({ ...partnerSearch, reason: REASON }),
    field: "openid"
  },
  {
    name: "terminate partner by openid: both",
    call: (p) =>
      p.terminatePartnerByOpenid({
        ...partnerSearch,
        reason: REASON,
        openid: OPENID,
        sub_appid: SUB_APPID,
        sub_openid: SUB_OPENID
      }),
    field: "sub_openid"
  },
  {
    name: "terminate partner by openid: sub_openid without sub_appid",
    call: (p) => p.terminatePartnerByOpenid({ ...partnerSearch, reason: REASON, sub_openid: SUB_OPENID }),
    field: "sub_appid"
  },
  {
    name: "terminate partner by openid: reason of 51 characters",
    call: (p) => p.terminatePartnerByOpenid({ ...partnerSearch, openid: OPENID, reason: "r".repeat(51) }),
    field: "reason"
  }
]

describe("InvalidInput before anything is sent", () => {
  it.live("every case fails with InvalidInput naming the field; the sandbox receives nothing", () =>
    Effect.gen(function*() {
      const p = yield* permissions
      for (const c of CASES) {
        const error = yield* Effect.flip(c.call(p))
        expect(error._tag, c.name).toBe("InvalidInput")
        if (error._tag !== "InvalidInput") continue
        const { field, message } = error as unknown as { readonly field: string; readonly message: string }
        expect(field, c.name).toBe(c.field)
        if (typeof c.message === "string") expect(message, c.name).toBe(c.message)
        else if (c.message !== undefined) expect(message, c.name).toMatch(c.message)
      }
      expect(yield* requests).toHaveLength(0)
    }).pipe(Effect.provide(sandboxLayer())))

  it.live("at the limits: a 50-character Chinese reason, a 255-character notify_url, an http:// one, are sent", () =>
    Effect.gen(function*() {
      const p = yield* permissions
      const notify_url = `https://e.com/${"a".repeat(241)}`
      expect(notify_url).toHaveLength(255)
      yield* p.applyPermissions({ ...apply, notify_url })
      yield* p.applyPermissions({ ...apply, notify_url: "http://merchant.example.com/notify" })
      yield* p.terminateByAuthorizationCode({
        authorization_code: CODE,
        service_id: SERVICE_ID,
        reason: "理".repeat(50)
      })
      yield* p.terminateByAuthorizationCode({
        authorization_code: CODE,
        service_id: SERVICE_ID,
        reason: "😀".repeat(50)
      })
      const log = yield* requests
      expect(log.map((r) => r.status)).toEqual([200, 200, 204, 204])
      expect(JSON.parse(log[2]!.body).reason).toBe("理".repeat(50))
    }).pipe(Effect.provide(sandboxLayer())))

  it("the schemas are exported for users: Reason, NotifyUrl, the params", () => {
    expect(PermissionRequests.REASON_MAX_LENGTH).toBe(50)
    expect(PermissionRequests.NOTIFY_URL_MAX_LENGTH).toBe(255)
    expect(typeof PermissionRequests.ApplyPermissionsParams).toBe("function")
    expect(NOTIFY_URL.startsWith("https://")).toBe(true)
  })
})
