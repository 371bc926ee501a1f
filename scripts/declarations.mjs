#!/usr/bin/env node
// The package's declarations (npm run build, after tsup), for both Effect lines: one .d.ts per
// source file next to the built JS in dist/ (ESM-format, for `import`), then each copied as .d.cts
// with its relative specifiers ending in .cjs (CommonJS-format, for `require`). Both are needed:
// under `module: node16` a CommonJS program given ESM-format declarations for a `require` fails
// with TS1479. One file per module (no bundled, hashed chunk) keeps every type nameable through
// the package's entry points in a consumer's own declarations.
// - Effect 3 line: tsc -p tsconfig.dts.json (src -> dist; "effect" resolves to the root's effect 3).
// - Effect 4 line: tsc -p effect4/tsconfig.dts.json (effect4/src -> dist/effect4; "effect" resolves
//   to effect4/node_modules/effect, v4). Its rootDir is the repository (it imports ../../src/core),
//   so it is emitted to dist/.effect4-dts and moved: effect4/src/** -> dist/effect4/**, and every
//   relative specifier that pointed into src/ is rewritten to point at the same module in dist/
//   (emitted by the first run): the core's types exist once, shared by both lines.
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("..", import.meta.url))
const dist = path.join(root, "dist")
const tsc = path.join(root, "node_modules/typescript/bin/tsc")
const run = (project) => execFileSync(process.execPath, [tsc, "-p", project], { cwd: root, stdio: "inherit" })

run("tsconfig.dts.json")
run("effect4/tsconfig.dts.json")

const walk = (dir, f) => {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name)
    if (entry.isDirectory()) walk(file, f)
    else f(file)
  }
}

const tmp = path.join(dist, ".effect4-dts")
const from = path.join(tmp, "effect4/src")
const sources = path.join(root, "src")
const SPECIFIER = /(["'])(\.\.?\/[^"']*?)\1/g
let moved = 0
walk(from, (file) => {
  if (!file.endsWith(".d.ts")) return
  const relative = path.relative(from, file)
  const target = path.join(dist, "effect4", relative)
  const sourceDir = path.dirname(path.join(root, "effect4/src", relative))
  const text = fs.readFileSync(file, "utf8").replace(SPECIFIER, (all, quote, specifier) => {
    const pointed = path.resolve(sourceDir, specifier)
    if (!pointed.startsWith(sources + path.sep)) return all
    let rewritten = path.relative(path.dirname(target), path.join(dist, path.relative(sources, pointed)))
    if (!rewritten.startsWith(".")) rewritten = `./${rewritten}`
    return `${quote}${rewritten}${quote}`
  })
  fs.mkdirSync(path.dirname(target), { recursive: true })
  fs.writeFileSync(target, text)
  moved++
})
fs.rmSync(tmp, { recursive: true })

const RELATIVE = /(["'])(\.\.?\/[^"']*?)\.js\1/g
let count = 0
walk(dist, (file) => {
  if (!file.endsWith(".d.ts")) return
  fs.writeFileSync(file.replace(/\.d\.ts$/, ".d.cts"), fs.readFileSync(file, "utf8").replace(RELATIVE, "$1$2.cjs$1"))
  count++
})
console.log(`declarations: ${count} modules (${moved} of the Effect 4 line), .d.ts (import) and .d.cts (require)`)
