/**
 * Every TypeScript block of README.md (```ts / ```typescript) of the Effect 3 line (the Effect 4
 * line's, importing `effect-wechatpay/effect4…`, are checked in its workspace) compiles as written, on its own: each
 * block becomes one module (its imports and placeholders must be in the block) and the whole set
 * is type-checked with the project's compiler options, `effect-wechatpay`, `/testing` and
 * `/undici` resolved to src/. A failure names the block and its README line.
 */
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { afterAll, describe, expect, it } from "vitest"
import { isEffect4, typescriptBlocks } from "../helpers/readme.js"

const root = fileURLToPath(new URL("../..", import.meta.url))
const exec = promisify(execFile)

const dir = path.join(root, `.readme-snippets-${process.pid}`)

describe("README.md TypeScript blocks", () => {
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

  // the Effect 4 line's blocks compile in its workspace (effect4/test/package/ReadmeSnippets.test.ts)
  const blocks = typescriptBlocks(fs.readFileSync(path.join(root, "README.md"), "utf8"))
    .filter((b) => !isEffect4(b))
    .map((b, i) => ({ ...b, index: i + 1 }))

  it("there are TypeScript blocks to check", () => {
    expect(blocks.length).toBeGreaterThan(5)
  })

  it("every block compiles on its own, as written", { timeout: 300_000 }, async () => {
    fs.mkdirSync(dir, { recursive: true })
    for (const block of blocks) fs.writeFileSync(path.join(dir, `block${block.index}.ts`), `${block.code}\n`)
    fs.writeFileSync(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({
        extends: "../tsconfig.base.json",
        compilerOptions: {
          noEmit: true,
          // a README block may show a value it does not use further
          noUnusedLocals: false,
          noUnusedParameters: false,
          moduleDetection: "force",
          paths: {
            "effect-wechatpay": ["../src/index.ts"],
            "effect-wechatpay/testing": ["../src/testing/index.ts"],
            "effect-wechatpay/undici": ["../src/undici.ts"]
          }
        },
        include: ["block*.ts"]
      })
    )
    let output = ""
    try {
      await exec(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", dir], {
        cwd: root,
        timeout: 280_000
      })
    } catch (e) {
      const error = e as { stdout?: string; message: string }
      output = error.stdout ?? error.message
    }
    // block7.ts(3,5): error TS2304: … → README.md:<line> (block 7, line 3 of the block): …
    const problems = output.split("\n").filter((l) => /^\S/.test(l)).map((l) => {
      const m = /block(\d+)\.ts\((\d+),(\d+)\): (.*)$/.exec(l)
      if (m === null) return l
      const block = blocks[Number(m[1]) - 1]!
      const readmeLine = block.line + Number(m[2]) - 1
      return `README.md:${readmeLine}:${m[3]} (block ${block.index}, its line ${m[2]}: ${
        block.code.split("\n")[Number(m[2]) - 1]?.trim()
      }): ${m[4]}`
    })
    expect(problems, `README TypeScript blocks that do not compile:\n${problems.join("\n")}`).toEqual([])
  })
  it("the blocks that are tests (they import @effect/vitest) pass when run", { timeout: 300_000 }, async () => {
    const tests = blocks.filter((b) => b.code.includes(`from "@effect/vitest"`))
    expect(tests.length).toBeGreaterThanOrEqual(2)
    const runDir = path.join(dir, "run")
    fs.mkdirSync(runDir, { recursive: true })
    for (const block of tests) fs.writeFileSync(path.join(runDir, `block${block.index}.test.ts`), `${block.code}\n`)
    fs.writeFileSync(
      path.join(runDir, "vitest.config.mjs"),
      `export default {
  resolve: { alias: [
    { find: /^effect-wechatpay\\/testing$/, replacement: ${JSON.stringify(path.join(root, "src/testing/index.ts"))} },
    { find: /^effect-wechatpay\\/undici$/, replacement: ${JSON.stringify(path.join(root, "src/undici.ts"))} },
    { find: /^effect-wechatpay$/, replacement: ${JSON.stringify(path.join(root, "src/index.ts"))} }
  ] },
  test: { include: ["block*.test.ts"], testTimeout: 30000 }
}
`
    )
    try {
      await exec(process.execPath, [path.join(root, "node_modules/vitest/vitest.mjs"), "run", "--root", runDir], {
        cwd: root,
        timeout: 280_000,
        env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" }
      })
    } catch (e) {
      const error = e as { stdout?: string; stderr?: string; message: string }
      const lines = tests.map((b) => `block${b.index}.test.ts = README.md line ${b.line}`).join("; ")
      throw new Error(`README test blocks fail (${lines}):\n${error.stdout ?? ""}${error.stderr ?? error.message}`)
    }
  })
})
