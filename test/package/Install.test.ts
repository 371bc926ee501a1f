/**
 * The README's install lines, exactly as written (read from between `<!-- install:begin -->` and
 * `<!-- install:end -->`), run in an empty project against the packed package (`npm pack`; the
 * name `effect-wechatpay` is the only word replaced, by the tarball's path), then a program that
 * uses the library, `/testing` and the CLI is type-checked and run. npm may read the registry
 * (`--prefer-offline`: what `npm ci` cached is used first).
 */
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

const root = fileURLToPath(new URL("../..", import.meta.url))
const exec = promisify(execFile)

/** The shell lines of the README's install block (comments dropped). */
export const installLines = (readme: string): ReadonlyArray<string> => {
  const block = /<!-- install:begin -->\s*```sh\n([\s\S]*?)```\s*<!-- install:end -->/.exec(readme)
  if (block === null) {
    throw new Error("README.md: no ```sh block between <!-- install:begin --> and <!-- install:end -->")
  }
  return block[1]!.split("\n").map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"))
}

const PROGRAM = `import { FetchHttpClient } from "@effect/platform"
import { Effect, Layer } from "effect"
import { PayScorePermissions } from "effect-wechatpay"
import { Sandbox, SampleRecords } from "effect-wechatpay/testing"

export const program = Effect.gen(function*() {
  const sandbox = yield* Sandbox.Sandbox
  yield* SampleRecords.seed(sandbox)
  const permissions = yield* PayScorePermissions.PayScorePermissions
  return yield* permissions.queryByAuthorizationCode({ authorization_code: "1275342195190894594", service_id: "500001" })
})

const record = await Effect.runPromise(
  program.pipe(Effect.provide(Sandbox.layer().pipe(Layer.provide(FetchHttpClient.layer))))
)
console.log(JSON.stringify({ tag: record._tag, code: record.authorization_code }))
`

describe("the README's install lines, in an empty project", () => {
  let work = ""
  beforeAll(() => {
    if (!fs.existsSync(path.join(root, "dist/index.js"))) {
      throw new Error("dist/ is missing: run npm run build first (npm test does)")
    }
    work = fs.mkdtempSync(path.join(os.tmpdir(), "effect-wechatpay-install-"))
  })
  afterAll(() => {
    if (work !== "") fs.rmSync(work, { recursive: true, force: true })
  })

  it("the install block has the library and test lines, each version pinned to the Effect 3 line", () => {
    const lines = installLines(fs.readFileSync(path.join(root, "README.md"), "utf8"))
    expect(lines).toHaveLength(2)
    for (const line of lines) {
      expect(line).toMatch(/^npm install /)
      // every package but this one has a version range
      for (const word of line.split(/\s+/).slice(2).filter((w) => !w.startsWith("-"))) {
        if (word !== "effect-wechatpay") expect(word, line).toMatch(/.@[~^]?\d/)
      }
    }
    expect(lines[0]).toMatch(/effect@\^3\./)
  })

  it("npm pack, then exactly the README's lines: the program type-checks and runs, and so does the CLI", {
    timeout: 900_000
  }, async () => {
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
    const lines = installLines(fs.readFileSync(path.join(root, "README.md"), "utf8"))
    for (const line of lines) {
      const args = line.split(/\s+/).slice(1).map((w) => (w === "effect-wechatpay" ? tarball : w))
      try {
        await exec("npm", [...args, "--prefer-offline", "--no-audit", "--no-fund"], {
          cwd: project,
          timeout: 600_000
        })
      } catch (e) {
        const error = e as { stderr?: string; message: string }
        throw new Error(`README install line failed: ${line}\n${error.stderr ?? error.message}`)
      }
    }
    const installed = (name: string) =>
      JSON.parse(fs.readFileSync(path.join(project, "node_modules", name, "package.json"), "utf8")).version as string
    expect(installed("effect")).toMatch(/^3\./)
    expect(installed("@effect/platform")).toMatch(/^0\.97\./)
    // the CLI needs no peer: its bundle has its own Effect
    expect(fs.existsSync(path.join(project, "node_modules/@effect/cli"))).toBe(false)
    expect(installed("@effect/vitest")).toMatch(/^0\.30\./)

    fs.writeFileSync(path.join(project, "index.ts"), PROGRAM)
    fs.writeFileSync(
      path.join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          declaration: true,
          outDir: "out",
          lib: ["ES2022", "DOM"],
          types: []
        },
        include: ["index.ts"]
      })
    )
    const tsc = path.join(root, "node_modules/typescript/bin/tsc")
    try {
      await exec(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: project, timeout: 300_000 })
    } catch (e) {
      const error = e as { stdout?: string; message: string }
      throw new Error(`the program does not type-check: ${error.stdout ?? error.message}`)
    }
    const ran = await exec(process.execPath, ["out/index.js"], { cwd: project, timeout: 60_000 })
    expect(JSON.parse(ran.stdout.trim())).toEqual({ tag: "Available", code: "1275342195190894594" })

    const cli = await exec(
      process.execPath,
      [
        path.join(project, "node_modules/.bin/effect-wechatpay"),
        "permissions",
        "query",
        "--sandbox",
        "--authorization-code",
        "1275342195190894594",
        "--service-id",
        "500001"
      ],
      { cwd: project, timeout: 60_000, env: { PATH: process.env.PATH ?? "", NO_COLOR: "1" } }
    )
    expect(JSON.parse(cli.stdout)._tag).toBe("Available")
  })
})
