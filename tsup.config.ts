import * as fs from "node:fs"
import * as path from "node:path"
import { defineConfig, type Options } from "tsup"

// No source maps: they could only point at src/, which the package does not ship.
const common: Options = {
  clean: false,
  sourcemap: false,
  splitting: true,
  treeshake: true,
  format: ["esm", "cjs"],
  dts: false,
  external: ["effect", /^@effect\//, "undici"],
  // keep `node:crypto` as written (tsup would print `crypto`, which bundlers for other platforms
  // cannot tell from an npm package); the main entry has none: test/runtimes/NoNodeBuiltins.test.ts
  removeNodeProtocol: false,
  // the list of files and sizes on a terminal only: `npm test` in a CI log stays short and plain
  // (tsup's colours follow the CI variable, not the terminal); errors are printed either way
  silent: !process.stdout.isTTY
}

/**
 * Every module of `dir` at its own path (dist/errors/WechatPayError.js next to its .d.ts), so that a
 * consumer's declarations can name any type by a path the package exports ("./*"), as Effect's own
 * packages do. The barrels of the entry points (`index`, `undici`) are built as `<name>.real`:
 * scripts/entries.mjs writes the guarded entries in front of them.
 */
const entries = (dir: string, skip: ReadonlyArray<string>): Record<string, string> => {
  const out: Record<string, string> = {}
  const walk = (at: string) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const file = path.join(at, entry.name)
      const name = path.relative(dir, file).replace(/\.ts$/, "")
      if (skip.includes(name)) continue
      if (entry.isDirectory()) walk(file)
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
        out[/(^|\/)index$/.test(name) || name === "undici" ? `${name}.real` : name] = file
      }
    }
  }
  walk(dir)
  return out
}

export default defineConfig([
  // the Effect 3 line and its modules: dist/ (the declarations: scripts/declarations.mjs, one .d.ts
  // and one .d.cts per source file, so every type keeps its module and its namespace merges: a
  // bundled, hashed shared chunk made consumers' inferred types unnameable, TS2742 / TS2883)
  {
    ...common,
    entry: entries("src", ["cli", "guard"]),
    outDir: "dist",
    target: "node20",
    tsconfig: "tsconfig.build.json"
  },
  // the Effect 4 line: dist/effect4/ (plain "effect/..." imports stay external, resolved at the
  // user's; the shared core it imports relatively is bundled into its chunks)
  {
    ...common,
    entry: entries("effect4/src", []),
    outDir: "dist/effect4",
    target: "node22",
    tsconfig: "effect4/tsconfig.build.json"
  },
  // the guards, no dependencies. treeshake off: tsup's treeshake runs Rollup 4, which prints import
  // attributes as `assert { type: "json" }`, a syntax Node 22 rejects (the JSON import then fails
  // and the guard would report effect as not installed)
  {
    ...common,
    entry: { guard3: "src/guard/guard3.ts", guard4: "src/guard/guard4.ts" },
    outDir: "dist",
    target: "node20",
    splitting: false,
    treeshake: false
  },
  // the executable, ESM only, in two files. dist/cli/main.js: the launcher, no dependencies, for
  // any Node that loads an ES module: it checks the runtime, then imports run.js, and says in one
  // line why it cannot start (too old a Node, a damaged install) instead of a stack
  {
    ...common,
    entry: { "cli/main": "src/cli/main.ts" },
    format: ["esm"],
    outDir: "dist",
    target: "node14",
    splitting: false,
    treeshake: false
  },
  // dist/cli/run.js: the CLI itself, self-contained (its own effect 3, @effect/cli, @effect/printer,
  // @effect/platform, @effect/platform-node inside), so `npx effect-wechatpay` runs whatever Effect
  // the project has, or none. esbuild's own tree-shaking only (tsup's Rollup pass would print import
  // attributes as `assert`, which Node 22 rejects), minified: ~0.6 MB instead of 1.3 MB
  {
    ...common,
    entry: { "cli/run": "src/cli/run.ts" },
    format: ["esm"],
    outDir: "dist",
    target: "node20",
    platform: "node",
    external: [],
    noExternal: [/.*/],
    splitting: false,
    treeshake: false,
    minify: true
  }
])
