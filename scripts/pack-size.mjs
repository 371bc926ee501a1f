#!/usr/bin/env node
// Writes the "Package size" section of BENCHMARKS.md from `npm pack --dry-run --json` (run after
// `npm run build`; `npm run bench` runs it last, since bench/run.ts rewrites BENCHMARKS.md).
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"

const root = new URL("..", import.meta.url)
const [pack] = JSON.parse(
  execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8" })
)
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`
const sum = (re) => pack.files.filter((f) => re.test(f.path)).reduce((a, f) => a + f.size, 0)
const line = `npm pack: ${kib(pack.size)} packed, ${kib(pack.unpackedSize)} unpacked, ${pack.entryCount} files ` +
  `(JavaScript ${kib(sum(/\.(c?js)$/))}, declarations ${kib(sum(/\.d\.c?ts$/))}, no source maps: ` +
  `${pack.files.filter((f) => f.path.endsWith(".map")).length} .map files), effect-wechatpay ${pack.version}`
const file = new URL("BENCHMARKS.md", root)
const text = fs.readFileSync(file, "utf8")
const section = `## Package size\n\n${line}\n`
const next = /## Package size\n\n[^\n]*\n/.test(text)
  ? text.replace(/## Package size\n\n[^\n]*\n/, section)
  : `${text.trimEnd()}\n\n${section}`
fs.writeFileSync(file, next)
console.log(line)
