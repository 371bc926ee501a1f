import { defineConfig, type Options } from "tsup"

const common: Options = {
  clean: false,
  sourcemap: true,
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
  // the library: ".", "./testing" and "./undici", ESM + CJS + .d.ts
  {
    ...common,
    entry: { index: "src/index.ts", "testing/index": "src/testing/index.ts", undici: "src/undici.ts" },
    format: ["esm", "cjs"],
    dts: true
  },
  // the executable: ESM only
  { ...common, entry: { "cli/main": "src/cli/main.ts" }, format: ["esm"], dts: false }
])
