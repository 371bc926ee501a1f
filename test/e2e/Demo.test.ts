/**
 * `npm run demo` (examples/demo.ts) runs to the end against the sandbox: the permission queries,
 * one authorization's whole life, and one service order's whole life (create, the confirmation
 * page, the user's confirmation notified, complete, the user's payment notified, query). The demo
 * checks its own outcomes and exits 1 when one differs.
 */
import { execFile } from "node:child_process"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { describe, expect, it } from "vitest"

const root = fileURLToPath(new URL("../..", import.meta.url))
const exec = promisify(execFile)

describe("examples/demo.ts", () => {
  it("runs to the end, through one service order's whole life", { timeout: 120_000 }, async () => {
    const { stdout } = await exec(
      process.execPath,
      [path.join(root, "node_modules/tsx/dist/cli.mjs"), path.join(root, "examples/demo.ts")],
      { cwd: root, timeout: 90_000 }
    )
    expect(stdout).toContain("One service order's whole life")
    const life = stdout.slice(stdout.indexOf("One service order's whole life"))
    for (
      const line of [
        /create ORDER-LIFE-0001 +Created +order_id \d+/,
        /the confirmation page +ok +wx\.openBusinessView\(\{ businessType: "wxpayScoreUse"/,
        /WeChat Pay notifies: user confirmed +HTTP 204 +UserConfirm: ORDER-LIFE-0001 DOING\/USER_CONFIRM/,
        /complete ORDER-LIFE-0001 +Doing +DOING\/MCH_COMPLETE, total 2\.00 yuan, collection USER_PAYING/,
        /WeChat Pay notifies: user paid +HTTP 204 +UserPaid: ORDER-LIFE-0001 DONE, collection USER_PAID/,
        /query ORDER-LIFE-0001 +Done +DONE, total 2\.00 yuan, collection USER_PAID, paid 2\.00 yuan/
      ]
    ) expect(life).toMatch(line)
  })
})
