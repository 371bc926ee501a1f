/**
 * `npx effect-wechatpay` where the project has no Effect at all: the packed package (`npm pack`)
 * installed alone in an empty project with `--legacy-peer-deps` (not even the `effect` peer), on
 * Node 24 (the toolchain workspace's registry package); `endpoints` and a `call` against the
 * built-in sandbox. The CLI is a self-contained bundle: it needs nothing from the project. (The
 * projects with Effect 4 and with Effect 3, made by the README's install lines, run the CLI in
 * `Install.test.ts`.) Nothing here reads the registry: the package has no dependencies, and npm
 * runs `--offline` over an empty cache of its own.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { checkInstalledCli, exec, npmNetwork, packInto, toolchainNodeBin } from "../helpers/npm.js"

const root = fileURLToPath(new URL("../..", import.meta.url))

describe("npx effect-wechatpay in an empty project with no Effect", () => {
  let work = ""
  let tarball = ""
  beforeAll(async () => {
    if (!fs.existsSync(path.join(root, "dist/cli/run.js"))) {
      throw new Error("dist/cli/run.js is missing: run npm run build first (npm test does)")
    }
    work = fs.mkdtempSync(path.join(os.tmpdir(), "effect-wechatpay-cli-install-"))
    tarball = await packInto(work)
  }, 180_000)
  afterAll(() => {
    if (work !== "") fs.rmSync(work, { recursive: true, force: true })
  })

  it("nothing but the package (--legacy-peer-deps), on Node 24: endpoints, and a call against the built-in sandbox", {
    timeout: 600_000
  }, async () => {
    const project = path.join(work, "app")
    fs.mkdirSync(project)
    fs.writeFileSync(
      path.join(project, "package.json"),
      JSON.stringify({ name: "app", version: "1.0.0", private: true, type: "module" })
    )
    const env = {
      ...process.env,
      PATH: `${toolchainNodeBin(24)}${path.delimiter}${process.env.PATH ?? ""}`,
      HOME: work,
      NO_COLOR: "1",
      npm_config_update_notifier: "false"
    }
    await exec("npm", ["install", tarball, "--legacy-peer-deps", "--offline", "--no-audit", "--no-fund"], {
      cwd: project,
      env: { ...env, ...npmNetwork, npm_config_cache: path.join(work, "npm-cache") },
      timeout: 300_000
    })
    const modules = path.join(project, "node_modules")
    expect(fs.readdirSync(modules).filter((n) => !n.startsWith("."))).toEqual(["effect-wechatpay"])

    const npx = (args: ReadonlyArray<string>) =>
      exec("npx", ["--no", "effect-wechatpay", ...args], { cwd: project, env, timeout: 120_000 })
    const { stdout: version } = await exec("node", ["-p", "process.versions.node"], {
      cwd: project,
      env,
      timeout: 60_000
    })
    expect(version.trim().split(".")[0]).toBe("24")

    expect(await checkInstalledCli(npx)).toMatchObject({ _tag: "Available" })
  })
})
