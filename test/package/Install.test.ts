/**
 * A new user, in an empty project, on today's npm defaults: each line's install line(s), read from
 * the README (between `<!-- install-effect4:begin -->` / `<!-- install-effect3:begin -->` and their
 * `:end`), run exactly as written against the packed package (`npm pack`; the word
 * `effect-wechatpay` is the only one replaced, by the tarball's path); then the line's first
 * program, the README's block after `<!-- first-program-effect4 -->` / `<!-- first-program-effect3 -->`,
 * saved as `main.ts` and run with `npx tsx main.ts`, prints the four answers the README says it
 * prints. The Effect 4 line under Node 22, the Effect 3 line under Node 20 and 24 (the binaries of
 * the toolchain workspace, first on PATH, so `npx`, `tsx` and the program all run on them). The
 * CLI, which carries its own Effect, runs in each project: `endpoints`, `call` against its built-in
 * sandbox, `permissions query`; the project's own Effect (4 or 3) is not what it loads, and no
 * `@effect/cli` is installed. (`CliInstall.test.ts` runs it where there is no Effect at all.)
 *
 * npm may read the registry (`--prefer-offline`: what `npm ci` cached is used first; network
 * settings in `../helpers/npm.ts`). This file starts the Node versions it needs itself: CI runs it
 * once, in `npm test`.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  checkInstalledCli,
  exec,
  npmNetwork,
  npmRetries,
  packInto,
  type Ran,
  toolchainNodeBin
} from "../helpers/npm.js"
import { afterMarker, readme, root } from "../helpers/readme.js"

/** The shell lines between `<!-- <name>:begin -->` and `<!-- <name>:end -->` (comments dropped). */
export const installLines = (markdown: string, name: string): ReadonlyArray<string> => {
  const block = new RegExp(`<!-- ${name}:begin -->\\s*\`\`\`sh\\n([\\s\\S]*?)\`\`\`\\s*<!-- ${name}:end -->`).exec(
    markdown
  )
  if (block === null) {
    throw new Error(`README.md: no \`\`\`sh block between <!-- ${name}:begin --> and <!-- ${name}:end -->`)
  }
  return block[1]!.split("\n").map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"))
}

/** `command args` in `cwd` with Node `major` first on PATH, and npm's fetch settings (`../helpers/npm.ts`). */
const run = (major: number, cwd: string, command: string, args: ReadonlyArray<string>): Promise<Ran> =>
  exec(command, args, {
    cwd,
    timeout: 600_000,
    what: `Node ${major}`,
    env: {
      ...process.env,
      ...(command === "npm" ? npmNetwork : npmRetries),
      PATH: `${toolchainNodeBin(major)}${path.delimiter}${process.env.PATH ?? ""}`,
      NO_COLOR: "1"
    }
  })

const markdown = readme()
let work = ""
let tarball = ""

beforeAll(async () => {
  if (!fs.existsSync(path.join(root, "dist/index.js"))) {
    throw new Error("dist/ is missing: run npm run build first (npm test does)")
  }
  work = fs.mkdtempSync(path.join(os.tmpdir(), "effect-wechatpay-install-"))
  tarball = await packInto(work)
}, 180_000)
afterAll(() => {
  if (work !== "") fs.rmSync(work, { recursive: true, force: true })
})

/** A new project: the README's install lines of `line`, run as written with Node `major`. */
const newProject = async (line: "effect3" | "effect4", major: number): Promise<string> => {
  const project = path.join(work, `${line}-node${major}`)
  fs.mkdirSync(project)
  fs.writeFileSync(
    path.join(project, "package.json"),
    JSON.stringify({ name: "app", version: "1.0.0", private: true, type: "module" })
  )
  for (const installLine of installLines(markdown, `install-${line}`)) {
    const words = installLine.split(/\s+/)
    const args = words.slice(1).map((w) => (w === "effect-wechatpay" ? tarball : w))
    const { stderr } = await run(major, project, words[0]!, [...args, "--prefer-offline", "--no-audit", "--no-fund"])
    expect(stderr, `${installLine}: no peer conflict`).not.toMatch(/ERESOLVE|Conflicting peer/)
  }
  return project
}

const installed = (project: string, name: string): string =>
  JSON.parse(fs.readFileSync(path.join(project, "node_modules", name, "package.json"), "utf8")).version as string

/** The first program of `line` as `main.ts`, run with `npx tsx main.ts`: its output, and what the README says. */
const firstProgram = async (line: "effect3" | "effect4", major: number, project: string) => {
  const program = afterMarker(markdown, `<!-- first-program-${line} -->`)
  fs.writeFileSync(path.join(project, "main.ts"), `${program.code}\n`)
  const ran = await run(major, project, "npx", ["--yes", "--prefer-offline", "tsx", "main.ts"])
  // the README gives the output once, after the Effect 4 program ("it prints the same four lines")
  const expected = program.printed ?? afterMarker(markdown, "<!-- first-program-effect4 -->").printed
  return { printed: ran.stdout.trim(), expected }
}

/**
 * The CLI of the installed package, on Node `major`: `endpoints`, `call` and `permissions query`
 * against its in-process sandbox. The `_tag` of each answer.
 */
const cli = async (major: number, project: string): Promise<ReadonlyArray<string>> => {
  expect(fs.existsSync(path.join(project, "node_modules/@effect/cli")), "no @effect/cli installed").toBe(false)
  const { stdout: version } = await run(major, project, "node", ["-p", "process.versions.node"])
  expect(version.trim().split(".")[0]).toBe(String(major))
  const npx = (args: ReadonlyArray<string>) => run(major, project, "npx", ["--no", "effect-wechatpay", ...args])
  const call = await checkInstalledCli(npx)
  const query = JSON.parse(
    (await npx([
      "permissions",
      "query",
      "--sandbox",
      "--authorization-code",
      "1275342195190894594",
      "--service-id",
      "500001"
    ])).stdout
  )
  return [call._tag, query._tag]
}

describe("the README's install lines and first programs, in an empty project", () => {
  it("the blocks: each line's install lines pin the line's versions; each first program prints four answers", () => {
    const e4 = installLines(markdown, "install-effect4")
    const e3 = installLines(markdown, "install-effect3")
    expect(e4[0]).toMatch(/^npm install effect-wechatpay effect@~4\.1\./)
    expect(e3[0]).toMatch(/^npm install effect-wechatpay effect@\^3\.22\.\d+ @effect\/platform@\^0\.97\./)
    for (const line of [...e3, ...e4]) {
      expect(line).toMatch(/^npm install /)
      for (const word of line.split(/\s+/).slice(2).filter((w) => !w.startsWith("-"))) {
        if (word !== "effect-wechatpay") expect(word, line).toMatch(/.@[~^]?\d/)
      }
    }
    expect(afterMarker(markdown, "<!-- first-program-effect4 -->").printed?.split("\n")).toHaveLength(4)
  })

  it(
    "Effect 4, Node 22: npm resolves effect 4.1 with no conflict; the first program prints the four answers; the CLI runs",
    {
      timeout: 1_200_000
    },
    async () => {
      const project = await newProject("effect4", 22)
      expect(installed(project, "effect")).toMatch(/^4\.1\./)
      expect(fs.existsSync(path.join(project, "node_modules/@effect/platform"))).toBe(false)
      const { expected, printed } = await firstProgram("effect4", 22, project)
      expect(printed).toBe(expected)
      expect(await cli(22, project)).toEqual(["Available", "Available"])
    }
  )

  for (const major of [20, 24]) {
    it(
      `Effect 3, Node ${major}: effect 3 and @effect/platform 0.97; the first program prints the four answers; the CLI runs`,
      {
        timeout: 1_200_000
      },
      async () => {
        const project = await newProject("effect3", major)
        expect(installed(project, "effect")).toMatch(/^3\./)
        expect(installed(project, "@effect/platform")).toMatch(/^0\.97\./)
        expect(installed(project, "@effect/vitest")).toMatch(/^0\.30\./)
        const { expected, printed } = await firstProgram("effect3", major, project)
        expect(printed).toBe(expected)
        expect(await cli(major, project)).toEqual(["Available", "Available"])
      }
    )
  }
})
