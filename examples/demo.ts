/**
 * `npm run demo`: the library against the built-in WeChat Pay sandbox, no configuration.
 *
 * Starts the sandbox on 127.0.0.1, seeds sample records for each mode and state, then runs the four
 * Pay Score permission queries and three failures through the real stack (sign → HTTP → verify →
 * decode) and prints what happened; then one authorization's whole life: apply, query, the user's
 * confirmation notified to the merchant's own endpoint and verified, terminate, query again.
 * Nothing calls the real WeChat Pay.
 */
import { FetchHttpClient, HttpRouter, HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { Console, Context, DateTime, Effect, Layer, Logger, LogLevel } from "effect"
import { createServer } from "node:http"
import { Notification, PayScoreNotifications, PayScorePermissions, WechatPay, WechatPayError } from "../src/index.js"
import { SampleRecords, Sandbox } from "../src/testing/index.js"

interface Row {
  readonly call: string
  readonly outcome: string
  readonly detail: string
}

const describeRecord = (record: {
  readonly _tag: string
  readonly authorization_state: string
  readonly authorization_success_time?: DateTime.Utc | undefined
}) =>
  `${record.authorization_state}${
    record.authorization_success_time ? `, since ${DateTime.formatIso(record.authorization_success_time)}` : ""
  }`

const describeError = (error: WechatPayError.WechatPayError) => {
  switch (error._tag) {
    case "InvalidInput":
      return `${error.field}: ${error.message}`
    case "VerificationError":
      return `reason ${error.reason}: ${error.message}`
    case "TransportError":
    case "DecodeError":
    case "InvalidConfig":
      return error.message
    default:
      return `HTTP ${error.status} ${error.code}: ${error.message}`
  }
}

const row = <A extends { readonly _tag: string }>(
  call: string,
  effect: Effect.Effect<A, WechatPayError.WechatPayError>,
  detail: (a: A) => string
): Effect.Effect<Row> =>
  effect.pipe(
    Effect.match({
      onSuccess: (a): Row => ({ call, outcome: a._tag, detail: detail(a) }),
      onFailure: (e): Row => ({ call, outcome: e._tag, detail: describeError(e) })
    })
  )

const table = (rows: ReadonlyArray<Row>, requests: number) => {
  const headers = { call: "call", outcome: "outcome (_tag)", detail: "detail" }
  const width = (key: keyof Row) => Math.max(headers[key].length, ...rows.map((r) => r[key].length))
  const w = { call: width("call"), outcome: width("outcome") }
  const line = (r: Row) => `${r.call.padEnd(w.call)}  ${r.outcome.padEnd(w.outcome)}  ${r.detail}`
  return [
    line(headers),
    `${"-".repeat(w.call)}  ${"-".repeat(w.outcome)}  ${"-".repeat(20)}`,
    ...rows.map(line),
    "",
    `The sandbox received ${requests} requests, each signature-checked; every answer was verified before decoding.`
  ].join("\n")
}

const program = Effect.gen(function*() {
  const sandbox = yield* Sandbox.Sandbox
  const permissions = yield* PayScorePermissions.PayScorePermissions
  yield* SampleRecords.seed(sandbox)
  yield* Console.log(`WeChat Pay sandbox on ${sandbox.baseUrl} (merchant ${sandbox.wechatPayOptions.mchid})\n`)

  const { appid, channelId, serviceId, subMchid } = SampleRecords
  const rows: Array<Row> = []

  rows.push(
    yield* row(
      "1 merchant by code 1275342195190894594",
      permissions.queryByAuthorizationCode({ authorization_code: "1275342195190894594", service_id: serviceId }),
      describeRecord
    )
  )
  rows.push(
    yield* row(
      "1 merchant by code MERCHANT-UNAVAILABLE-0001",
      permissions.queryByAuthorizationCode({ authorization_code: "MERCHANT-UNAVAILABLE-0001", service_id: serviceId }),
      describeRecord
    )
  )
  rows.push(
    yield* row(
      "1 merchant by code MERCHANT-UNBINDUSER-0001",
      permissions.queryByAuthorizationCode({ authorization_code: "MERCHANT-UNBINDUSER-0001", service_id: serviceId }),
      describeRecord
    )
  )
  rows.push(
    yield* row(
      "2 partner by code PARTNER-AVAILABLE-0001",
      permissions.queryPartnerByAuthorizationCode({
        authorization_code: "PARTNER-AVAILABLE-0001",
        service_id: serviceId,
        sub_mchid: subMchid
      }),
      (r) => `${describeRecord(r)}, sub_mchid ${r.sub_mchid}`
    )
  )
  rows.push(
    yield* row(
      "3 acquiring bank by code BANK-AVAILABLE-0001",
      permissions.queryAcquiringBankByAuthorizationCode({
        authorization_code: "BANK-AVAILABLE-0001",
        service_id: serviceId,
        channel_id: channelId,
        sub_mchid: subMchid
      }),
      (r) => `${describeRecord(r)}, channel_id ${r.channel_id ?? "-"}`
    )
  )
  rows.push(
    yield* row(
      "4 merchant by openid oUpF8u…",
      permissions.queryByOpenid({ openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", service_id: serviceId, appid }),
      (r) => `${describeRecord(r)}, authorization_code ${r.authorization_code ?? "-"}`
    )
  )

  // failures: not found; a tampered answer; an invalid code refused before sending
  rows.push(
    yield* row(
      "fail: unknown code NO-SUCH-CODE",
      permissions.queryByAuthorizationCode({ authorization_code: "NO-SUCH-CODE", service_id: serviceId }),
      describeRecord
    )
  )
  yield* sandbox.injectFault(Sandbox.Fault.TamperedBody({}))
  rows.push(
    yield* row(
      "fail: tampered answer",
      permissions.queryByAuthorizationCode({ authorization_code: "1275342195190894594", service_id: serviceId }),
      describeRecord
    )
  )
  const before = (yield* sandbox.requests).length
  rows.push(
    yield* row(
      "fail: authorization_code ../../v3/pay",
      permissions.queryByAuthorizationCode({ authorization_code: "../../v3/pay", service_id: serviceId }),
      describeRecord
    )
  )
  const after = (yield* sandbox.requests).length
  if (after !== before) return yield* Effect.dieMessage("an invalid authorization_code reached the network")

  yield* Console.log(table(rows, after))
  const expected = [
    "Available",
    "Unavailable",
    "UnbindUser",
    "Available",
    "Available",
    "Available",
    "NotFound",
    "VerificationError",
    "InvalidInput"
  ]
  const got = rows.map((r) => r.outcome)
  if (got.join() !== expected.join()) {
    return yield* Effect.dieMessage(`unexpected outcomes: ${got.join(", ")}`)
  }
  yield* lifeOfAnAuthorization(sandbox, permissions)
})

/**
 * One authorization's whole life: the merchant applies, the user confirms in WeChat (the sandbox
 * plays both the user and WeChat Pay), a signed and encrypted notification reaches the merchant's
 * own HTTP endpoint and is verified, then the merchant terminates and queries again.
 */
const lifeOfAnAuthorization = (
  sandbox: Sandbox.Sandbox.Service,
  permissions: PayScorePermissions.PayScorePermissions.Service
) =>
  Effect.gen(function*() {
    const code = "LIFE-0001"
    const openid = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"
    const { appid, serviceId } = SampleRecords
    const received: Array<string> = []
    // the merchant's notification endpoint: PayScoreNotifications.httpApp in an Effect HTTP server
    const server = yield* Layer.build(
      HttpServer.serve(
        HttpRouter.empty.pipe(
          HttpRouter.post(
            "/payscore/notify",
            PayScoreNotifications.httpApp((n) =>
              Effect.sync(() => {
                received.push(
                  n._tag === "UnknownEvent" || n._tag === "UndecodableEvent"
                    ? `${n._tag} ${n.id}: ${n.event_type}`
                    : `${n._tag} ${n.id}: ${n.resource.openid ?? "-"} ${n.resource.service_id}`
                )
              })
            )
          )
        )
      ).pipe(
        Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" })),
        Layer.provide(WechatPay.layer(Sandbox.wechatPayOptions(sandbox))),
        Layer.provide(FetchHttpClient.layer)
      )
    ).pipe(Logger.withMinimumLogLevel(LogLevel.Error))
    const address = Context.get(server, HttpServer.HttpServer).address
    const notifyUrl = `http://127.0.0.1:${address._tag === "TcpAddress" ? address.port : 0}/payscore/notify`

    const steps: Array<Row> = []
    const state = (label: string) =>
      Effect.flatMap(
        row(
          label,
          permissions.queryByAuthorizationCode({ authorization_code: code, service_id: serviceId }),
          describeRecord
        ),
        (r) => Effect.sync(() => steps.push(r))
      )

    const applied = yield* permissions.applyPermissions({
      service_id: serviceId,
      appid,
      authorization_code: code,
      notify_url: "https://merchant.example.com/payscore/notify"
    })
    steps.push({
      call: `apply ${code}`,
      outcome: "ok",
      detail: `apply_permissions_token ${applied.apply_permissions_token}`
    })
    yield* state("query after apply")
    yield* sandbox.bindUser({ authorization_code: code, openid, service_id: serviceId })
    const answer = yield* sandbox.notify({
      url: notifyUrl,
      event: Notification.USER_OPEN_SERVICE,
      resource: { authorization_code: code, openid, service_id: serviceId, appid }
    })
    steps.push({
      call: "WeChat Pay notifies: user opened",
      outcome: `HTTP ${answer.status}`,
      detail: received.at(-1) ?? "the handler was not called"
    })
    yield* state("query after the user confirmed")
    yield* permissions.terminateByAuthorizationCode({
      authorization_code: code,
      service_id: serviceId,
      reason: "demo: service ended"
    })
    steps.push({ call: `terminate ${code}`, outcome: "ok", detail: "204, verified" })
    yield* state("query after terminate")

    yield* Console.log(`\nOne authorization's whole life (notifications to ${notifyUrl}):\n`)
    yield* Console.log(table(steps, (yield* sandbox.requests).length).split("\n").slice(0, -2).join("\n"))
    const outcomes = steps.map((r) => r.outcome).join()
    if (outcomes !== "ok,UnbindUser,HTTP 204,Available,ok,Unavailable") {
      return yield* Effect.dieMessage(`unexpected life: ${outcomes}`)
    }
  }).pipe(Effect.scoped)

const DemoLive = Sandbox.layer({ client: { retries: 0 } }).pipe(Layer.provide(FetchHttpClient.layer))

Effect.runPromise(program.pipe(Effect.provide(DemoLive))).then(
  () => process.exit(0),
  (error) => {
    console.error(error)
    process.exit(1)
  }
)
