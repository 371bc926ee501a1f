/**
 * No Node built-in is reachable from the main entry `effect-wechatpay`: the built `dist/index.js`
 * and `dist/index.cjs`, and every chunk they load, import none (with or without `node:`); a bundle
 * for the browser (esbuild, `platform: "browser"`, nothing external) builds. The testing, CLI and
 * undici entries may use Node, and keep the `node:` prefix in the built files. Needs `npm run build`
 * (`npm test` runs it first).
 */
import { describe, expect, it } from "@effect/vitest"
import * as esbuild from "esbuild"
import { existsSync, readFileSync } from "node:fs"
import { builtinModules } from "node:module"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const DIST = fileURLToPath(new URL("../../dist/", import.meta.url))

const BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]))

/** Every module specifier a built file names: static and dynamic imports, re-exports, require. */
const specifiers = (code: string): ReadonlyArray<string> =>
  Array.from(
    code.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)(["'])([^"'\n]+)\1/g),
    (match) => match[2]!
  )

/** The file and every relative file it loads, transitively. */
const closure = (entry: string): ReadonlyArray<string> => {
  const seen = new Set<string>()
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    for (const specifier of specifiers(readFileSync(file, "utf8"))) {
      if (specifier.startsWith(".")) visit(join(dirname(file), specifier))
    }
  }
  visit(entry)
  return [...seen]
}

describe("the main entry reaches no Node built-in", () => {
  for (const entry of ["index.js", "index.cjs"]) {
    it(`dist/${entry} and its chunks name no Node built-in`, () => {
      expect(existsSync(join(DIST, entry))).toBe(true)
      const files = closure(join(DIST, entry))
      // the entry and at least one chunk (tsup splits)
      expect(files.length).toBeGreaterThanOrEqual(2)
      const found = files.flatMap((file) =>
        specifiers(readFileSync(file, "utf8")).filter((s) => BUILTINS.has(s)).map((s) => `${file}: ${s}`)
      )
      expect(found).toEqual([])
      // nor any bare `process.binding`, `__dirname` or `require` of something that is not a dependency
      const bare = files.flatMap((file) =>
        specifiers(readFileSync(file, "utf8")).filter((s) => !s.startsWith(".") && !/^(effect|@effect\/)/.test(s))
      )
      expect(bare).toEqual([])
    })
  }

  it("the grep can fail: the testing and undici entries do name Node built-ins, with their node: prefix", () => {
    const testing = closure(join(DIST, "testing/index.js")).flatMap((f) => specifiers(readFileSync(f, "utf8")))
    expect(testing).toContain("node:http")
    const undici = closure(join(DIST, "undici.js")).flatMap((f) => specifiers(readFileSync(f, "utf8")))
    const named = [...testing, ...undici].filter((s) => BUILTINS.has(s))
    expect(named.length).toBeGreaterThan(0)
    // tsup would print `http` for `node:http`: the prefix is kept
    expect(named.filter((s) => !s.startsWith("node:"))).toEqual([])
  })

  for (const platform of ["browser", "neutral"] as const) {
    it(`an esbuild bundle of the main entry for platform=${platform} builds, effect included`, async () => {
      const result = await esbuild.build({
        stdin: {
          contents: `export * from ${JSON.stringify(join(DIST, "index.js"))}`,
          resolveDir: DIST,
          loader: "js"
        },
        bundle: true,
        format: "esm",
        platform,
        mainFields: ["module", "main"],
        write: false,
        logLevel: "silent"
      })
      expect(result.errors).toEqual([])
      expect(result.outputFiles[0]!.text.length).toBeGreaterThan(10_000)
    })
  }
})
