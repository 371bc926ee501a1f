/**
 * Which JavaScript runtime this is, for the default `User-Agent`: Bun, Deno, Node, workerd
 * (Cloudflare Workers) or a browser, read from the globals each one sets. Nothing is imported.
 *
 * @internal
 */

/** @internal */
export interface Runtime {
  /** `Node/20.19.0`, `Bun/1.2.3`, `Deno/2.1.0`, `workerd`, `browser` or `unknown`. */
  readonly name: string
  /** `linux x64` and the like, where the runtime says; `unknown` elsewhere. */
  readonly platform: string
}

interface Globals {
  readonly Bun?: { readonly version?: unknown }
  readonly Deno?: { readonly version?: { readonly deno?: unknown }; readonly build?: { os?: unknown; arch?: unknown } }
  readonly process?: {
    readonly versions?: { readonly node?: unknown }
    readonly platform?: unknown
    readonly arch?: unknown
  }
  readonly navigator?: { readonly userAgent?: unknown }
  readonly window?: unknown
  readonly document?: unknown
}

const text = (u: unknown): string | undefined => typeof u === "string" && u !== "" ? u : undefined

const pair = (os: unknown, arch: unknown): string | undefined => {
  const o = text(os)
  if (o === undefined) return undefined
  const a = text(arch)
  return a === undefined ? o : `${o} ${a}`
}

/**
 * Reads the runtime from `globals` (`globalThis` by default; a test passes its own). Bun and Deno
 * come first: both also set `process.versions.node`.
 *
 * @internal
 */
export const detect = (globals: Globals = globalThis as Globals): Runtime => {
  const processPlatform = pair(globals.process?.platform, globals.process?.arch)
  const bun = text(globals.Bun?.version)
  if (bun !== undefined) return { name: `Bun/${bun}`, platform: processPlatform ?? "unknown" }
  const deno = text(globals.Deno?.version?.deno)
  if (deno !== undefined) {
    return { name: `Deno/${deno}`, platform: pair(globals.Deno?.build?.os, globals.Deno?.build?.arch) ?? "unknown" }
  }
  if (text(globals.navigator?.userAgent) === "Cloudflare-Workers") return { name: "workerd", platform: "unknown" }
  const node = text(globals.process?.versions?.node)
  if (node !== undefined) return { name: `Node/${node}`, platform: processPlatform ?? "unknown" }
  if (globals.window !== undefined && globals.document !== undefined) return { name: "browser", platform: "unknown" }
  return { name: "unknown", platform: "unknown" }
}
