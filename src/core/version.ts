import { detect } from "./runtime.js"

/**
 * The package version, sent in the default `User-Agent`. A test keeps it equal to package.json's.
 *
 * @internal
 */
export const VERSION = "0.1.0"

/**
 * The default `User-Agent`: `effect-wechatpay/<version> (<platform>) <runtime>`, the runtime as
 * `runtime.ts` reads it (`Node/…`, `Bun/…`, `Deno/…`, `workerd`, `browser`).
 *
 * @internal
 */
export const DEFAULT_USER_AGENT: string = (() => {
  const runtime = detect()
  return `effect-wechatpay/${VERSION} (${runtime.platform}) ${runtime.name}`
})()
