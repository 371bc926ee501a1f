/**
 * The program the runtime matrix runs on Bun, Deno and workerd (test/runtimes/Runtimes.test.ts):
 * the library's main entry only (the built `dist/index.js`), `FetchHttpClient`, and the sandboxes
 * the test started on 127.0.0.1. Each step answers what it saw; the test judges.
 *
 * No Node API here: what runs on workerd without `nodejs_compat` is exactly this.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { PayScorePermissions, WechatPay } from "../../dist/index.js"

/** What the test hands the program: the sandboxes' URLs and the fixtures' keys. */
export interface Input {
  readonly publicKeySandbox: string
  readonly certificatesSandbox: string
  readonly tamperedSandbox: string
  readonly mchid: string
  readonly merchantSerialNo: string
  readonly merchantPrivateKey: string
  readonly wechatpayPublicKey: { readonly id: string; readonly pem: string }
  readonly platformCertificates: ReadonlyArray<string>
  readonly apiV3Key: string
  readonly query: { readonly authorization_code: string; readonly service_id: string }
}

export interface Step {
  readonly name: string
  /** `Available`, an error's `_tag`, … */
  readonly outcome: string
  readonly detail?: string
}

export interface Report {
  readonly userAgent: string
  readonly steps: ReadonlyArray<Step>
}

const query = (input: Input, options: WechatPay.Options): Effect.Effect<Step["outcome"] | Step> =>
  Effect.gen(function*() {
    const permissions = yield* PayScorePermissions.PayScorePermissions
    const record = yield* permissions.queryByAuthorizationCode(input.query)
    return record.authorization_state
  }).pipe(
    Effect.provide(WechatPay.layer({ retries: 0, ...options }).pipe(Layer.provide(FetchHttpClient.layer))),
    Effect.catchAll((error) => Effect.succeed({ name: "", outcome: error._tag, detail: error.message }))
  )

const step = (name: string, effect: Effect.Effect<Step["outcome"] | Step>): Effect.Effect<Step> =>
  Effect.map(effect, (result) => typeof result === "string" ? { name, outcome: result } : { ...result, name })

export const run = (input: Input): Promise<Report> => {
  const merchant = {
    mchid: input.mchid,
    merchantSerialNo: input.merchantSerialNo,
    merchantPrivateKey: input.merchantPrivateKey
  }
  // the first certificate, its DER cut short by 10 bytes: valid PEM, unreadable X.509
  const der = atob(input.platformCertificates[0]!.replace(/-----[A-Z ]+-----|\s+/g, ""))
  const cut = btoa(der.slice(0, der.length - 10))
  const broken = `-----BEGIN CERTIFICATE-----\n${cut.replace(/.{64}/g, "$&\n")}\n-----END CERTIFICATE-----\n`
  return Effect.runPromise(
    Effect.all([
      step(
        "public key: signed request, verified answer",
        query(input, { ...merchant, baseUrl: input.publicKeySandbox, wechatpayPublicKey: input.wechatpayPublicKey })
      ),
      step(
        "platform certificates: verified answer",
        query(input, {
          ...merchant,
          baseUrl: input.certificatesSandbox,
          platformCertificates: input.platformCertificates
        })
      ),
      step(
        "downloaded certificates: verified answer",
        query(input, { ...merchant, baseUrl: input.certificatesSandbox, apiV3Key: input.apiV3Key })
      ),
      step(
        "tampered answer: refused",
        query(input, { ...merchant, baseUrl: input.tamperedSandbox, wechatpayPublicKey: input.wechatpayPublicKey })
      ),
      step(
        "broken certificate: InvalidConfig with the cause",
        query(input, { ...merchant, baseUrl: input.certificatesSandbox, platformCertificates: [broken] })
      )
    ]).pipe(Effect.map((steps) => ({ userAgent: WechatPay.defaults.userAgent, steps })))
  )
}
