/**
 * Where the runtimes of the matrix are: the binaries the npm packages `bun`, `deno` and `workerd`
 * (through miniflare) ship in their per-platform packages (`@oven/bun-<platform>`,
 * `@deno/<platform>`, `@cloudflare/workerd-<platform>`). Their postinstall scripts only copy or
 * link that binary, so this works whether npm ran them or not (npm 11 may skip install scripts).
 */
import { existsSync, readdirSync, statSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const NODE_MODULES = fileURLToPath(new URL("../../node_modules/", import.meta.url))

/** A real executable (the packages' placeholders are a few hundred bytes). */
const isBinary = (path: string): boolean => existsSync(path) && statSync(path).size > 1_000_000

const scoped = (scope: string, inside: string): ReadonlyArray<string> => {
  const dir = join(NODE_MODULES, scope)
  return existsSync(dir) ? readdirSync(dir).map((name) => join(dir, name, inside)) : []
}

const first = (name: string, candidates: ReadonlyArray<string>): string => {
  const found = candidates.find(isBinary)
  if (found === undefined) {
    throw new Error(`${name}: no binary in node_modules (looked at ${candidates.join(", ")}): run npm ci`)
  }
  return found
}

/** The Bun executable. */
export const bun = (): string => first("bun", [...scoped("@oven", "bin/bun"), join(NODE_MODULES, "bun/bin/bun.exe")])

/** The Deno executable. */
export const deno = (): string => first("deno", [...scoped("@deno", "deno"), join(NODE_MODULES, "deno/deno")])
