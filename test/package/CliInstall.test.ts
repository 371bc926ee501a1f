/**
 * `npx effect-wechatpay` whatever Effect the project has: the packed package (`npm pack`) installed
 * in three empty projects, (a) with Effect 4 (the Effect 4 line's install line, `npm install
 * effect-wechatpay effect`), (b) with Effect 3 (the README's Effect 3 line), (c) with nothing but
 * the package (`--legacy-peer-deps`: not even the `effect` peer); in each, `npx effect-wechatpay
 * endpoints` and a `call` against the built-in sandbox, each on another Node LTS line (22, 20, 24:
 * the `node` first on PATH, from the toolchain workspace's registry packages where installed). npm
 * reads only the npm registry (`--prefer-offline`: what `npm ci` cached is used first).
 */
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

const root = fileURLToPath(new URL("../..", import.meta.url))
const exec = promisify(execFile)
const require = createRequire(import.meta.url)

/** The folder of a `node` of this major: the toolchain's registry package, else this process's Node. */
const nodeDir = (major: number): string => {
  try {
    return path.join(path.dirname(require.resolve(`node${major}/package.json`)), "bin")
  } catch {
    return path.dirname(process.execPath)
  }
}

const CASES = [
  { name: "(a) Effect 4 installed", node: 22, install: ["effect"], effect: /^4\.1\./ },
  { name: "(b) Effect 3 installed", node: 20, install: ["effect@^3.22.4", "@effect/platform@^0.97.2"], effect: /^3\./ },
  { name: "(c) nothing but the package", node: 24, install: ["--legacy-peer-deps"], effect: undefined }
] as const

describe("npx effect-wechatpay in an empty project, whatever Effect it has", () => {
  let work = ""
  let tarball = ""
  beforeAll(async () => {
    if (!fs.existsSync(path.join(root, "dist/cli/run.js"))) {
      throw new Error("dist/cli/run.js is missing: run npm run build first (npm test does)")
    }
    work = fs.mkdtempSync(path.join(os.tmpdir(), "effect-wechatpay-cli-install-"))
    const packed = await exec("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", work], {
      cwd: root,
      timeout: 120_000
    })
    tarball = path.join(work, JSON.parse(packed.stdout)[0].filename)
  }, 180_000)
  afterAll(() => {
    if (work !== "") fs.rmSync(work, { recursive: true, force: true })
  })

  for (const { effect, install, name, node } of CASES) {
    it(
      `${name}, on Node ${node}: endpoints, and a call against the built-in sandbox`,
      { timeout: 900_000 },
      async () => {
        const project = path.join(work, name.slice(1, 2))
        fs.mkdirSync(project)
        fs.writeFileSync(
          path.join(project, "package.json"),
          JSON.stringify({ name: "app", version: "1.0.0", private: true, type: "module" })
        )
        try {
          await exec("npm", ["install", tarball, ...install, "--prefer-offline", "--no-audit", "--no-fund"], {
            cwd: project,
            timeout: 600_000
          })
        } catch (e) {
          const error = e as { stderr?: string; message: string }
          throw new Error(`npm install failed: ${error.stderr ?? error.message}`)
        }
        const modules = path.join(project, "node_modules")
        if (effect === undefined) {
          // nothing but the package: no effect, no @effect/*
          expect(fs.readdirSync(modules).filter((n) => !n.startsWith("."))).toEqual(["effect-wechatpay"])
        } else {
          const version = JSON.parse(fs.readFileSync(path.join(modules, "effect/package.json"), "utf8")).version
          expect(version).toMatch(effect)
        }
        expect(fs.existsSync(path.join(modules, "@effect/cli"))).toBe(false)

        const env = { PATH: `${nodeDir(node)}${path.delimiter}${process.env.PATH ?? ""}`, HOME: work, NO_COLOR: "1" }
        const npx = (args: ReadonlyArray<string>) =>
          exec("npx", ["--no", "effect-wechatpay", ...args], { cwd: project, env, timeout: 120_000 })
        const { stdout: version } = await exec("node", ["-p", "process.versions.node"], { env })
        if (nodeDir(node) !== path.dirname(process.execPath)) expect(version.trim().split(".")[0]).toBe(String(node))

        const endpoints = await npx(["endpoints"])
        expect(endpoints.stdout).toContain("queryByAuthorizationCode: GET /v3/payscore/permissions/authorization-code/")
        expect(endpoints.stderr).toBe("")
        const call = await npx([
          "call",
          "queryByAuthorizationCode",
          "--sandbox",
          "--param",
          "authorization_code=1275342195190894594",
          "--param",
          "service_id=500001"
        ])
        expect(JSON.parse(call.stdout)).toMatchObject({ _tag: "Available", authorization_code: "1275342195190894594" })
      }
    )
  }
})
