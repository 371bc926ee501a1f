/**
 * `npx tsx examples/notifications.ts`: a merchant's notification endpoint, end to end, no
 * configuration.
 *
 * Mounts `PayScoreNotifications.httpApp` at `POST /payscore/notify` in an Effect HTTP server
 * (`@effect/platform-node`, 127.0.0.1, a free port), then lets the sandbox play WeChat Pay: it POSTs
 * an "opened", a "closed", the same "closed" again (a duplicate), a tampered and a SIGNTEST
 * notification, and prints how the merchant answered each. Nothing calls the real WeChat Pay.
 */
import { FetchHttpClient, HttpRouter, HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { Console, Context, Effect, Layer, Logger, LogLevel } from "effect"
import { createServer } from "node:http"
import { Notification, PayScoreNotifications, WechatPay } from "../src/index.js"
import { Sandbox } from "../src/testing/index.js"

// The application's side: what to do with each notification. Idempotent on `id`: WeChat Pay may
// deliver the same notification more than once.
const seen = new Set<string>()
const onNotification = (notification: Notification.Notification) =>
  Effect.gen(function*() {
    if (seen.has(notification.id)) return yield* Console.log(`  handler: ${notification.id} again, already done`)
    seen.add(notification.id)
    switch (notification._tag) {
      case "UserOpenService":
        return yield* Console.log(
          `  handler: ${notification.resource.openid} authorized ${notification.resource.service_id}`
        )
      case "UserCloseService":
        return yield* Console.log(
          `  handler: ${notification.resource.openid} revoked ${notification.resource.service_id}`
        )
      case "UserConfirm":
      case "UserPaid":
        return yield* Console.log(
          `  handler: order ${notification.resource.out_order_no} is ${notification.resource.state}`
        )
      case "UnknownEvent":
        return yield* Console.log(`  handler: ${notification.event_type}, not handled`)
      case "UndecodableEvent":
        return yield* Console.log(
          `  handler: ${notification.event_type} not the documented resource: ${notification.message}`
        )
    }
  })

const router = HttpRouter.empty.pipe(
  HttpRouter.post("/payscore/notify", PayScoreNotifications.httpApp(onNotification))
)

const program = Effect.gen(function*() {
  const sandbox = yield* Sandbox.make()

  // The merchant's server: in production, WechatPay.layer(options) (or layerConfig()) and a fixed port.
  const server = yield* Layer.build(
    HttpServer.serve(router).pipe(
      Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" })),
      Layer.provide(WechatPay.layer(Sandbox.wechatPayOptions(sandbox))),
      Layer.provide(FetchHttpClient.layer)
    )
  ).pipe(Logger.withMinimumLogLevel(LogLevel.Error))
  const address = Context.get(server, HttpServer.HttpServer).address
  const url = `http://127.0.0.1:${address._tag === "TcpAddress" ? address.port : 0}/payscore/notify`

  const send = (label: string, options: Omit<Sandbox.NotifyOptions, "url">) =>
    Effect.gen(function*() {
      yield* Console.log(`WeChat Pay → ${label}`)
      const answer = yield* sandbox.notify({ url, ...options })
      yield* Console.log(`  merchant answered ${answer.status} ${answer.body}`)
    })

  yield* send("user opened the service", { event: Notification.USER_OPEN_SERVICE })
  yield* send("user closed the service", { event: Notification.USER_CLOSE_SERVICE, id: "EV-CLOSE-1" })
  yield* send("the same notification again", { event: Notification.USER_CLOSE_SERVICE, id: "EV-CLOSE-1" })
  yield* send("a tampered notification", { tamper: true })
  yield* send("a SIGNTEST probe", { signTest: true })
})

Effect.runPromise(Effect.scoped(program)).catch((error) => {
  console.error(error)
  process.exitCode = 1
})
