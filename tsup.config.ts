import { defineConfig, type Options } from "tsup"

// No source maps: they could only point at src/, which the package does not ship.
const common: Options = {
  clean: false,
  sourcemap: false,
  target: "node20",
  splitting: true,
  treeshake: true,
  tsconfig: "tsconfig.build.json",
  external: ["effect", /^@effect\//, "undici"],
  // keep `node:crypto` as written (tsup would print `crypto`, which bundlers for other platforms
  // cannot tell from an npm package); the main entry has none: test/runtimes/NoNodeBuiltins.test.ts
  removeNodeProtocol: false
}

export default defineConfig([
  // the library: ".", "./testing" and "./undici", ESM + CJS. The declarations are not bundled
  // here: scripts/declarations.mjs (npm run build, tsc -p tsconfig.dts.json) writes one .d.ts and
  // one .d.cts per source file next to the JS in dist/, so every type keeps its module and its namespace merges (a bundled, hashed shared
  // chunk made consumers' inferred types unnameable: TS2742 on TypeScript 5, TS2883 on 7).
  {
    ...common,
    // every module is built at its own path (dist/errors/WechatPayError.js next to its .d.ts), so
    // that a consumer's declarations can name any type by a path the package exports ("./*"), as
    // Effect's own packages do; the entry points stay ".", "./testing" and "./undici"
    entry: ["src/**/*.ts", "!src/cli/**"],
    format: ["esm", "cjs"],
    dts: false
  },
  // the executable: ESM only
  { ...common, entry: { "cli/main": "src/cli/main.ts" }, format: ["esm"], dts: false }
])
