#!/usr/bin/env node
// The npm registry this project's machines reach lacks some platform builds of optional
// dependencies (rollup, dprint, msgpackr-extract for other OSes/CPUs). `npm install` then leaves
// them out of package-lock.json, and `npm ci` refuses the lockfile as "not in sync". This adds a
// stub entry (name, version, optional) for every optional dependency the lockfile lacks, which is
// what `npm ci` needs; such packages are never installed on this platform anyway.
// Run after any `npm install`: `node scripts/lockfile-stubs.mjs`.
import * as fs from "node:fs"

const file = new URL("../package-lock.json", import.meta.url)
const lock = JSON.parse(fs.readFileSync(file, "utf8"))
const packages = lock.packages
let added = 0
for (const [path, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    // resolution: nested under the parent first, then hoisted to the root
    const nested = `${path === "" ? "" : `${path}/`}node_modules/${name}`
    const hoisted = `node_modules/${name}`
    if (packages[nested] || packages[hoisted]) continue
    packages[hoisted] = { version, ...(entry.dev ? { dev: true } : {}), optional: true }
    added++
  }
}
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : a > b ? 1 : 0))
)
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`)
console.log(`lockfile-stubs: ${added} optional platform packages stubbed`)
