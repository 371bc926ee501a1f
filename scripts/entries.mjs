#!/usr/bin/env node
// The guarded entry points (npm run build, after tsup). ESM links every static import before any
// code runs, so an entry that statically imported its line could not say anything when
// @effect/platform is missing or the other effect major is installed: the entry awaits the guard,
// then imports its barrel (built as `<name>.real`) dynamically and re-exports its names, read from
// the built barrel. CJS: the guard runs synchronously, then require()s the barrel. Declarations
// are unaffected: `<name>.d.ts` is the barrel's.
import { init, parse } from "es-module-lexer"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

await init
const dist = fileURLToPath(new URL("../dist", import.meta.url))
const ENTRIES = [
  { file: "index", line: "effect3" },
  { file: "testing/index", line: "effect3" },
  { file: "undici", line: "effect3" },
  { file: "effect4/index", line: "effect4" },
  { file: "effect4/testing/index", line: "effect4" },
  { file: "effect4/undici", line: "effect4" }
]
for (const { file, line } of ENTRIES) {
  const at = path.dirname(path.join(dist, file))
  const base = path.basename(file)
  const guard = path.relative(at, path.join(dist, line === "effect3" ? "guard3" : "guard4")).replace(/^(?!\.)/, "./")
  const [, exports] = parse(fs.readFileSync(path.join(at, `${base}.real.js`), "utf8"))
  const names = exports.map((e) => e.n)
  if (names.length === 0) throw new Error(`${file}.real.js exports nothing`)
  fs.writeFileSync(
    path.join(at, `${base}.js`),
    `import { check } from "${guard}.js"\n` +
      `await check()\n` +
      `const line = await import("./${base}.real.js")\n` +
      names.map((n) => `export const ${n} = line.${n}\n`).join("")
  )
  fs.writeFileSync(
    path.join(at, `${base}.cjs`),
    `"use strict"\n` +
      `require("${guard}.cjs").checkSync()\n` +
      `module.exports = require("./${base}.real.cjs")\n`
  )
  console.log(`entry ${file}: ${line}, ${names.join(", ")}`)
}
