/**
 * The Effect 4 line's install line on today's npm (`npm install effect-wechatpay effect`), in an
 * empty project, against the packed package (`npm pack`; the name `effect-wechatpay` is replaced by
 * the tarball's path): npm resolves effect 4.1.x with no peer conflict, and a program importing
 * `effect-wechatpay/effect4` runs (this suite runs on Node 22). npm may read the registry
 * (`--prefer-offline`: what `npm ci` cached is used first).
 *
 * The line is the one the README is to give the Effect 4 line (between `<!-- install-effect4:begin -->`
 * and `<!-- install-effect4:end -->`, when the README has that block: then it is read from there).
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"

const workspace = fileURLToPath(new URL("../..", import.meta.url))
const root = path.join(workspace, "..")
const exec = promisify(execFile)

/** The README's Effect 4 install line(s) when it has the block, else the recommended line. */
const installLines = (): ReadonlyArray<string> => {
  const readme = fs.readFileSync(path.join(root, "README.md"), "utf8")
  const block = /<!-- install-effect4:begin -->\s*```sh\n([\s\S]*?)```\s*<!-- install-effect4:end -->/.exec(readme)
  if (block === null) return ["npm install effect-wechatpay effect"]
  return block[1]!.split("\n").map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"))
}

const PROGRAM = `import { Effect, Layer } from "effect"
import { PayScorePermissions, WechatPay } from "effect-wechatpay/effect4"
import { FakeWechatPay, Fixtures } from "effect-wechatpay/effect4/testing"

const record = { service_id: "500001", appid: "wx1", mchid: Fixtures.mchid, authorization_code: "C1", authorization_state: "AVAILABLE" }
const live = WechatPay.layer({
  mchid: Fixtures.mchid,
  merchantSerialNo: Fixtures.merchantSerialNo,
  merchantPrivateKey: Fixtures.merchantPrivateKeyPkcs8,
  wechatpayPublicKey: { id: Fixtures.wechatpayPublicKeyId, pem: Fixtures.wechatpayPublicKey }
}).pipe(Layer.provide(FakeWechatPay.layer(() => ({ body: record }))))
const answer = await Effect.runPromise(
  Effect.flatMap(Effect.service(PayScorePermissions.PayScorePermissions), (p) =>
    p.queryByAuthorizationCode({ authorization_code: "C1", service_id: "500001" })).pipe(Effect.provide(live))
)
console.log(JSON.stringify({ tag: answer._tag }))
`

describe("the Effect 4 line's install line, in an empty project", () => {
  let work = ""
  beforeAll(() => {
    if (!fs.existsSync(path.join(root, "dist/effect4/index.js"))) {
      throw new Error("dist/effect4 is missing: run npm run build first (npm test does)")
    }
    work = fs.mkdtempSync(path.join(os.tmpdir(), "effect-wechatpay-install4-"))
  })
  afterAll(() => {
    if (work !== "") fs.rmSync(work, { recursive: true, force: true })
  })

  it(
    "npm pack, then the install line: effect 4.1.x, no peer conflict, and a program runs",
    { timeout: 900_000 },
    async () => {
      const packed = await exec("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", work], {
        cwd: root,
        timeout: 120_000
      })
      const tarball = path.join(work, JSON.parse(packed.stdout)[0].filename)
      const project = path.join(work, "app")
      fs.mkdirSync(project)
      fs.writeFileSync(
        path.join(project, "package.json"),
        JSON.stringify({ name: "app", version: "1.0.0", private: true, type: "module" })
      )
      for (const line of installLines()) {
        const args = line.split(/\s+/).slice(1).map((w) => (w === "effect-wechatpay" ? tarball : w))
        const { stderr } = await exec("npm", [...args, "--prefer-offline", "--no-audit", "--no-fund"], {
          cwd: project,
          timeout: 600_000
        })
        expect(stderr, line).not.toMatch(/ERESOLVE|peer dep/i)
      }
      const installed = (name: string) =>
        JSON.parse(fs.readFileSync(path.join(project, "node_modules", name, "package.json"), "utf8")).version as string
      expect(installed("effect")).toMatch(/^4\.1\./)
      expect(fs.existsSync(path.join(project, "node_modules/@effect/platform"))).toBe(false)
      fs.writeFileSync(path.join(project, "index.mjs"), PROGRAM)
      const { stdout } = await exec(process.execPath, ["index.mjs"], { cwd: project, timeout: 60_000 })
      expect(JSON.parse(stdout.trim())).toEqual({ tag: "Available" })
    }
  )
})
