/**
 * The package version, sent in the default `User-Agent`. A test keeps it equal to package.json's.
 *
 * @internal
 */
export const VERSION = "0.1.0"

/**
 * The default `User-Agent`: `effect-wechatpay/<version> (<platform>) <runtime>`.
 *
 * @internal
 */
export const DEFAULT_USER_AGENT: string = (() => {
  const process = (globalThis as { process?: { platform?: string; arch?: string; version?: string } }).process
  const platform = process?.platform ? `${process.platform}${process.arch ? ` ${process.arch}` : ""}` : "unknown"
  const runtime = process?.version ? ` Node/${process.version.replace(/^v/, "")}` : ""
  return `effect-wechatpay/${VERSION} (${platform})${runtime}`
})()
