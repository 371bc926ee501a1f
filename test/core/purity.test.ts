/**
 * The protocol core (src/core) is plain TypeScript: no file under it imports `effect` or
 * `@effect/*` (not even a type), and its relative imports stay inside src/core (a module of the
 * Effect layer would bring Effect in). The files are read as text; a failure names the file and line.
 */
import { describe, expect, it } from "@effect/vitest"
import { readdirSync, readFileSync, statSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"

const ROOT = fileURLToPath(new URL("../../", import.meta.url))
const CORE = join(ROOT, "src/core")

const filesUnder = (dir: string): ReadonlyArray<string> =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : name.endsWith(".ts") ? [path] : []
  })

/** Every module specifier of a source text with its line: static and type imports, re-exports, `import()`, `require()`. */
const specifiersOf = (text: string): ReadonlyArray<{ readonly line: number; readonly specifier: string }> => {
  const out: Array<{ line: number; specifier: string }> = []
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^"';]*?\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g
  ]
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern)) {
      out.push({ line: text.slice(0, match.index).split("\n").length, specifier: match[1]! })
    }
  }
  return out.sort((a, b) => a.line - b.line)
}

const isEffect = (specifier: string): boolean =>
  specifier === "effect" || specifier.startsWith("effect/") || specifier.startsWith("@effect/")

/** What a file imports that the core may not: Effect, or a module outside src/core. */
const offences = (file: string, text: string): ReadonlyArray<string> =>
  specifiersOf(text).flatMap(({ line, specifier }) => {
    const where = `${relative(ROOT, file)}:${line}`
    if (isEffect(specifier)) return [`${where} imports ${specifier}`]
    if (specifier.startsWith(".")) {
      const target = resolve(dirname(file), specifier)
      if (!target.startsWith(CORE + "/")) return [`${where} imports ${specifier}, outside src/core`]
    }
    return []
  })

describe("the core imports nothing from Effect", () => {
  const files = filesUnder(CORE)

  it("reads the core's files (every module of src/core, the endpoint declarations too)", () => {
    const names = files.map((file) => relative(CORE, file))
    expect(names).toEqual(
      expect.arrayContaining(["attempt.ts", "transport.ts", "verification.ts", "endpoints/common.ts"])
    )
    expect(names.length).toBeGreaterThanOrEqual(24)
  })

  it("no file under src/core imports effect or @effect/*, nor a module outside src/core", () => {
    const found = files.flatMap((file) => offences(file, readFileSync(file, "utf8")))
    expect(found).toEqual([])
  })

  it("the check can fail: it names the file and line of each kind of import", () => {
    const file = join(CORE, "example.ts")
    const text = [
      `import * as Effect from "effect/Effect"`,
      `import type { HttpClient } from "@effect/platform/HttpClient"`,
      `import { pipe } from "effect"`,
      `export { Schema } from "effect"`,
      `const lazy = () => import("@effect/platform")`,
      `import * as Keys from "./keys.js"`,
      `import { WechatPayClient } from "../services/WechatPayClient.js"`
    ].join("\n")
    expect(offences(file, text)).toEqual([
      "src/core/example.ts:1 imports effect/Effect",
      "src/core/example.ts:2 imports @effect/platform/HttpClient",
      "src/core/example.ts:3 imports effect",
      "src/core/example.ts:4 imports effect",
      "src/core/example.ts:5 imports @effect/platform",
      "src/core/example.ts:7 imports ../services/WechatPayClient.js, outside src/core"
    ])
  })
})
