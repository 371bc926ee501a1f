/**
 * docs/service-orders.md (the README section on service orders): its complete program (the first
 * TypeScript block: create → complete → the USER_PAID notification) compiles as written with the
 * project's compiler options (`effect-wechatpay` and `/testing` resolved to src/), and runs against
 * the sandbox as the package ships (`effect-wechatpay` resolved by self-reference to dist/, as
 * `npm run build` writes it), printing what the section says it prints.
 */
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

const root = fileURLToPath(new URL("../..", import.meta.url))
const exec = promisify(execFile)
const markdown = fs.readFileSync(path.join(root, "docs/service-orders.md"), "utf8")
// inside the repository, so that `effect-wechatpay` resolves to the package itself (self-reference)
const dir = path.join(root, `.docs-service-orders-${process.pid}`)

/** The TypeScript blocks of a Markdown text (```ts / ```typescript), numbered from 1. */
const typescriptBlocks = (text: string): ReadonlyArray<{ readonly index: number; readonly code: string }> => {
  const blocks: Array<{ readonly index: number; readonly code: string }> = []
  let open: { readonly lang: string; readonly body: Array<string> } | undefined
  for (const line of text.split("\n")) {
    const fence = /^\s*```\s*([A-Za-z]*)/.exec(line)
    if (open === undefined) {
      if (fence !== null) open = { lang: fence[1]!.toLowerCase(), body: [] }
    } else if (fence !== null && fence[1] === "") {
      if (open.lang === "ts" || open.lang === "typescript") {
        blocks.push({ index: blocks.length + 1, code: open.body.join("\n") })
      }
      open = undefined
    } else {
      open.body.push(line)
    }
  }
  return blocks
}

/** The fenced block right after "It prints:". */
const printed = (): string => {
  const match = /It prints:\n\n```\n([\s\S]*?)\n```/.exec(markdown)
  if (match === null) throw new Error('docs/service-orders.md has no "It prints:" block')
  return match[1]!
}

describe("docs/service-orders.md", () => {
  const blocks = typescriptBlocks(markdown)

  beforeAll(() => {
    if (!fs.existsSync(path.join(root, "dist/index.js"))) {
      throw new Error("dist/ is missing: run npm run build first (npm test does)")
    }
    fs.mkdirSync(dir, { recursive: true })
    blocks.forEach((block) => fs.writeFileSync(path.join(dir, `block${block.index}.ts`), `${block.code}\n`))
  })
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

  it("has the complete program: create, complete, and the USER_PAID notification", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(1)
    const program = blocks[0]!.code
    for (const step of ["createServiceOrder", "completeServiceOrder", "UserPaid", "PayScoreNotifications.httpApp"]) {
      expect(program).toContain(step)
    }
  })

  it("every block compiles on its own, as written", { timeout: 300_000 }, async () => {
    fs.writeFileSync(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({
        extends: "../tsconfig.base.json",
        compilerOptions: {
          noEmit: true,
          noUnusedLocals: false,
          noUnusedParameters: false,
          moduleDetection: "force",
          paths: {
            "effect-wechatpay": ["../src/index.ts"],
            "effect-wechatpay/testing": ["../src/testing/index.ts"]
          }
        },
        include: ["block*.ts"]
      })
    )
    let output = ""
    try {
      await exec(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", dir], { cwd: root })
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error)
    }
    expect(output).toBe("")
  })

  it("the program runs against the sandbox and prints what the section says", { timeout: 120_000 }, async () => {
    const { stdout } = await exec(
      process.execPath,
      [path.join(root, "node_modules/tsx/dist/cli.mjs"), path.join(dir, "block1.ts")],
      { cwd: root, timeout: 60_000 }
    )
    expect(stdout.trim()).toBe(printed())
  })
})
