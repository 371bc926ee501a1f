#!/usr/bin/env node
// The package's declarations (npm run build, after tsup): `tsc -p tsconfig.dts.json` writes one
// .d.ts per source file next to the built JS in dist/ (ESM-format, for `import`), then each is
// copied as .d.cts with its relative specifiers ending in .cjs (CommonJS-format, for `require`).
// Both are needed: under `module: node16` a CommonJS program given ESM-format declarations for a
// `require` fails with TS1479. One file per module (no bundled, hashed chunk) keeps every type
// nameable through the package's entry points in a consumer's own declarations.
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("..", import.meta.url))
const dist = path.join(root, "dist")
execFileSync(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.dts.json"], {
  cwd: root,
  stdio: "inherit"
})

const RELATIVE = /(["'])(\.\.?\/[^"']*?)\.js\1/g
let count = 0
const walk = (dir) => {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name)
    if (entry.isDirectory()) walk(file)
    else if (entry.name.endsWith(".d.ts")) {
      const text = fs.readFileSync(file, "utf8")
      fs.writeFileSync(file.replace(/\.d\.ts$/, ".d.cts"), text.replace(RELATIVE, "$1$2.cjs$1"))
      count++
    }
  }
}
walk(dist)
console.log(`declarations: ${count} modules, .d.ts (import) and .d.cts (require)`)
