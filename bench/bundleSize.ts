/**
 * Bundle size for the browser: esbuild, `platform: "browser"`, minified, everything bundled (no
 * external), of a small program that makes one query the way a user would (the client, its
 * layer over `fetch`), and of each peer's equivalent import. Size minified and gzipped (level 9).
 * A peer that does not bundle for the browser is reported with esbuild's first error.
 */
import * as esbuild from "esbuild"
import { gzipSync } from "node:zlib"
import { reply, ROOT } from "./common.js"

/** One subject's bundle, or why there is none. */
export interface BundleSize {
  readonly client: string
  readonly minified?: number | undefined
  readonly gzip?: number | undefined
  readonly error?: string | undefined
}

/** Everything `bundleSize.ts` measures. */
export interface BundleSizeResult {
  readonly esbuild: string
  readonly bundles: ReadonlyArray<BundleSize>
}

const subjects: ReadonlyArray<readonly [string, string]> = [
  [
    "effect-wechatpay (one query over FetchHttpClient)",
    `import { FetchHttpClient } from "@effect/platform"
import { Effect, Layer } from "effect"
import { PayScorePermissions, WechatPay } from "effect-wechatpay"
export const query = (options, input) => Effect.runPromise(Effect.gen(function*() {
  const permissions = yield* PayScorePermissions.PayScorePermissions
  return yield* permissions.queryByAuthorizationCode(input)
}).pipe(Effect.provide(WechatPay.layer(options).pipe(Layer.provide(FetchHttpClient.layer)))))`
  ],
  [
    "effect-wechatpay (the same, subpath imports)",
    `import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { PayScorePermissions, WechatPay } from "effect-wechatpay"
export const query = (options, input) => Effect.runPromise(Effect.gen(function*() {
  const permissions = yield* PayScorePermissions.PayScorePermissions
  return yield* permissions.queryByAuthorizationCode(input)
}).pipe(Effect.provide(WechatPay.layer(options).pipe(Layer.provide(FetchHttpClient.layer)))))`
  ],
  ["effect-wechatpay (every export of the main entry)", `export * from "effect-wechatpay"`],
  ["wechatpay-axios-plugin", `export { Wechatpay } from "wechatpay-axios-plugin"`],
  ["wechatpay-node-v3", `export { default } from "wechatpay-node-v3"`]
]

const bundle = async (client: string, contents: string): Promise<BundleSize> => {
  try {
    const result = await esbuild.build({
      stdin: { contents, resolveDir: ROOT, loader: "js" },
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      write: false,
      logLevel: "silent"
    })
    const code = result.outputFiles[0]!.contents
    return { client, minified: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength }
  } catch (e) {
    const first = (e as { errors?: ReadonlyArray<{ text: string }> }).errors?.[0]?.text
    return { client, error: first ?? String(e) }
  }
}

/** Bundles each subject. */
export const runBundleSize = async (): Promise<BundleSizeResult> => {
  const bundles: Array<BundleSize> = []
  for (const [client, contents] of subjects) bundles.push(await bundle(client, contents))
  return { esbuild: esbuild.version, bundles }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runBundleSize().then(reply, (error: unknown) => {
    console.error(error)
    process.exit(1)
  })
}
