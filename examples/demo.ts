/**
 * `npm run demo`: the library against the built-in WeChat Pay sandbox, no configuration.
 *
 * Starts the sandbox on 127.0.0.1, seeds sample records for each mode and state, then runs the four
 * Pay Score permission queries and three failures through the real stack (sign → HTTP → verify →
 * decode) and prints what happened; then one authorization's whole life: apply, query, the user's
 * confirmation notified to the merchant's own endpoint and verified, terminate, query again; then
 * one service order's whole life: create, the confirmation page's parameters, the user's
 * confirmation notified, complete, the user's payment notified, query.
 * Nothing calls the real WeChat Pay.
 */
import { FetchHttpClient, HttpRouter, HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { Console, Context, DateTime, Effect, Layer, Logger, LogLevel } from "effect"
import { createServer } from "node:http"
import {
  Notification,
  PayScoreNotifications,
  PayScorePermissions,
  PayScoreServiceOrders,
  ServiceOrderConfirmation,
  WechatPay,
  WechatPayError
} from "../src/index.js"
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
  yield* lifeOfAnOrder(sandbox, yield* PayScoreServiceOrders.PayScoreServiceOrders)
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
    const notifyUrl = yield* notificationEndpoint(sandbox, received)

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

/**
 * The merchant's notification endpoint: `PayScoreNotifications.httpApp` in an Effect HTTP server on
 * 127.0.0.1 (a free port), with the merchant's own `WechatPay` layer; each notification is described
 * into `received`.
 */
const notificationEndpoint = (sandbox: Sandbox.Sandbox.Service, received: Array<string>) =>
  Effect.gen(function*() {
    const server = yield* Layer.build(
      HttpServer.serve(
        HttpRouter.empty.pipe(
          HttpRouter.post(
            "/payscore/notify",
            PayScoreNotifications.httpApp((n) => Effect.sync(() => received.push(describeNotification(n))))
          )
        )
      ).pipe(
        Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" })),
        Layer.provide(WechatPay.layer(Sandbox.wechatPayOptions(sandbox))),
        Layer.provide(FetchHttpClient.layer)
      )
    ).pipe(Logger.withMinimumLogLevel(LogLevel.Error))
    const address = Context.get(server, HttpServer.HttpServer).address
    return `http://127.0.0.1:${address._tag === "TcpAddress" ? address.port : 0}/payscore/notify`
  })

const describeNotification = (n: Notification.Notification): string => {
  switch (n._tag) {
    case "UserConfirm":
    case "UserPaid":
      return `${n._tag}: ${n.resource.out_order_no} ${n.resource.state}${
        n.resource.state_description === undefined ? "" : `/${n.resource.state_description}`
      }${n.resource.collection?.state === undefined ? "" : `, collection ${n.resource.collection.state}`}`
    case "UserOpenService":
    case "UserCloseService":
      return `${n._tag} ${n.id}: ${n.resource.openid ?? "-"} ${n.resource.service_id}`
    case "UnknownEvent":
    case "UndecodableEvent":
      return `${n._tag} ${n.id}: ${n.event_type}`
  }
}

const fen = (amount: number | undefined) => amount === undefined ? "-" : `${(amount / 100).toFixed(2)} yuan`

/**
 * One service order's whole life: the merchant creates it (the user's confirmation page opens with
 * the answer's `package`), the user confirms in WeChat (the sandbox plays the user and WeChat Pay,
 * and notifies the merchant's endpoint), the merchant completes it when the service ends, the user
 * pays (notified again), and the merchant queries the final order.
 */
const lifeOfAnOrder = (
  sandbox: Sandbox.Sandbox.Service,
  orders: PayScoreServiceOrders.PayScoreServiceOrders.Service
) =>
  Effect.gen(function*() {
    const received: Array<string> = []
    const notifyUrl = yield* notificationEndpoint(sandbox, received)
    const { appid, serviceId } = SampleRecords
    const outOrderNo = "ORDER-LIFE-0001"
    const steps: Array<Row> = []
    const describeOrder = (order: {
      readonly state: string
      readonly state_description?: string | undefined
      readonly total_amount?: number | undefined
      readonly collection?: { readonly state?: string | undefined } | undefined
    }) =>
      `${order.state}${order.state_description === undefined ? "" : `/${order.state_description}`}${
        order.total_amount === undefined ? "" : `, total ${fen(order.total_amount)}`
      }${order.collection?.state === undefined ? "" : `, collection ${order.collection.state}`}`

    const created = yield* orders.createServiceOrder({
      out_order_no: outOrderNo,
      appid,
      service_id: serviceId,
      service_introduction: "共享充电宝",
      post_payments: [{ name: "充电宝租借", amount: 300, description: "3元/小时", count: 1 }],
      time_range: { start_time: "OnAccept" },
      risk_fund: { name: "ESTIMATE_ORDER_COST", amount: 9900 },
      notify_url: notifyUrl
    })
    steps.push({ call: `create ${outOrderNo}`, outcome: created._tag, detail: `order_id ${created.order_id}` })
    const page = yield* ServiceOrderConfirmation.miniProgram(created)
    steps.push({
      call: "the confirmation page",
      outcome: "ok",
      detail: `wx.openBusinessView({ businessType: "${page.businessType}", extraData: { package: "${
        page.extraData.package.slice(0, 12)
      }…" } })`
    })
    const confirmed = yield* sandbox.confirmOrder({ out_order_no: outOrderNo })
    steps.push({
      call: "WeChat Pay notifies: user confirmed",
      outcome: `HTTP ${confirmed.notification?.status ?? "-"}`,
      detail: received.at(-1) ?? "the handler was not called"
    })
    const completed = yield* orders.completeServiceOrder({
      out_order_no: outOrderNo,
      appid,
      service_id: serviceId,
      post_payments: [{ name: "充电宝租借", amount: 300, description: "3元/小时", count: 1 }],
      post_discounts: [{ name: "新用户立减", description: "首单减1元", amount: 100, count: 1 }],
      total_amount: 200
    })
    steps.push({ call: `complete ${outOrderNo}`, outcome: completed._tag, detail: describeOrder(completed) })
    const paid = yield* sandbox.payOrder({ out_order_no: outOrderNo })
    steps.push({
      call: "WeChat Pay notifies: user paid",
      outcome: `HTTP ${paid.notification?.status ?? "-"}`,
      detail: received.at(-1) ?? "the handler was not called"
    })
    const done = yield* orders.queryServiceOrder({ out_order_no: outOrderNo, service_id: serviceId, appid })
    steps.push({
      call: `query ${outOrderNo}`,
      outcome: done._tag,
      detail: `${describeOrder(done)}, paid ${fen(done.collection?.paid_amount)}`
    })

    yield* Console.log(`\nOne service order's whole life (notifications to ${notifyUrl}):\n`)
    yield* Console.log(table(steps, (yield* sandbox.requests).length).split("\n").slice(0, -2).join("\n"))
    const outcomes = steps.map((r) => r.outcome).join()
    if (outcomes !== "Created,ok,HTTP 204,Doing,HTTP 204,Done" || received.length !== 2) {
      return yield* Effect.dieMessage(`unexpected order life: ${outcomes}; notified: ${received.join("; ")}`)
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
