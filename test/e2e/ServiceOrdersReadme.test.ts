/**
 * The README's section on service orders: its complete program (the section's first TypeScript
 * block: create → complete → the USER_PAID notification) runs as written against the sandbox as
 * the package ships (`effect-wechatpay` resolved by self-reference to dist/, as `npm run build`
 * writes it) and prints what the section says it prints. (That it compiles as written is
 * test/package/ReadmeSnippets.test.ts's, with every other block.)
 */
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { promisify } from "node:util"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { printedAfter, readme, root, section, typescriptBlocks } from "../helpers/readme.js"

const exec = promisify(execFile)
const text = section(readme(), "Service orders")
// inside the repository, so that `effect-wechatpay` resolves to the package itself (self-reference)
const dir = path.join(root, `.readme-programs-${process.pid}`)

describe("README: Service orders", () => {
  const program = typescriptBlocks(text)[0]

  beforeAll(() => {
    if (!fs.existsSync(path.join(root, "dist/index.js"))) {
      throw new Error("dist/ is missing: run npm run build first (npm test does)")
    }
    fs.mkdirSync(dir, { recursive: true })
  })
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

  it("has the complete program: create, complete, and the USER_PAID notification", () => {
    expect(program).toBeDefined()
    for (const step of ["createServiceOrder", "completeServiceOrder", "UserPaid", "PayScoreNotifications.httpApp"]) {
      expect(program!.code).toContain(step)
    }
  })

  it("the program runs against the sandbox and prints what the section says", { timeout: 120_000 }, async () => {
    const printed = printedAfter(text, program!.code)
    expect(printed, 'an "It prints:" block after the program').toBeDefined()
    const file = path.join(dir, "service-orders.ts")
    fs.writeFileSync(file, `${program!.code}\n`)
    const { stdout } = await exec(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), file], {
      cwd: root,
      timeout: 60_000
    })
    expect(stdout.trim()).toBe(printed)
  })
})
