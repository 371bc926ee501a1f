/**
 * The README's TypeScript blocks of the Effect 4 line (those importing `effect-wechatpay/effect4…`;
 * the first program among them) compile as written, each on its own, with this workspace's effect 4
 * and compiler options, `effect-wechatpay/effect4`, `/effect4/testing` and `/effect4/undici`
 * resolved to effect4/src. The Effect 3 line's blocks are test/package/ReadmeSnippets.test.ts's; the
 * first program runs, against the packed package, in test/package/Install.test.ts. A failure names
 * the block's README line.
 */
import { describe, expect, it } from "@effect/vitest"
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"

const workspace = fileURLToPath(new URL("../..", import.meta.url))
const root = path.join(workspace, "..")
const exec = promisify(execFile)

interface Block {
  readonly line: number
  readonly code: string
}

/** The TypeScript blocks of the Effect 4 line in a Markdown text, with the line each starts at. */
const effect4Blocks = (markdown: string): ReadonlyArray<Block> => {
  const lines = markdown.split("\n")
  const found: Array<Block> = []
  let open: { line: number; lang: string; body: Array<string> } | undefined
  for (let i = 0; i < lines.length; i++) {
    const fence = /^\s*```\s*([A-Za-z]*)/.exec(lines[i]!)
    if (open === undefined) {
      if (fence !== null) open = { line: i + 2, lang: fence[1]!.toLowerCase(), body: [] }
    } else if (fence !== null && fence[1] === "") {
      const code = open.body.join("\n")
      if ((open.lang === "ts" || open.lang === "typescript") && /from "effect-wechatpay\/effect4/.test(code)) {
        found.push({ line: open.line, code })
      }
      open = undefined
    } else {
      open.body.push(lines[i]!)
    }
  }
  return found
}

describe("README.md, the Effect 4 line's TypeScript blocks", () => {
  const markdown = fs.readFileSync(path.join(root, "README.md"), "utf8")
  const blocks = effect4Blocks(markdown)

  it("the first program is among them", () => {
    const marker = markdown.indexOf("<!-- first-program-effect4 -->")
    expect(marker).toBeGreaterThan(0)
    const markerLine = markdown.slice(0, marker).split("\n").length
    expect(blocks.map((b) => b.line)).toContain(markerLine + 2)
  })

  it("every block compiles on its own, as written", { timeout: 300_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(workspace, ".readme-snippets-"))
    try {
      blocks.forEach((block, i) => fs.writeFileSync(path.join(dir, `block${i + 1}.ts`), `${block.code}\n`))
      fs.writeFileSync(
        path.join(dir, "tsconfig.json"),
        JSON.stringify({
          extends: "../../tsconfig.base.json",
          compilerOptions: {
            noEmit: true,
            noUnusedLocals: false,
            noUnusedParameters: false,
            moduleDetection: "force",
            types: ["node"],
            paths: {
              "effect-wechatpay/effect4": ["../src/index.ts"],
              "effect-wechatpay/effect4/testing": ["../src/testing/index.ts"],
              "effect-wechatpay/effect4/undici": ["../src/undici.ts"]
            }
          },
          include: ["block*.ts"]
        })
      )
      let output = ""
      try {
        await exec(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", dir], {
          cwd: workspace,
          timeout: 280_000
        })
      } catch (e) {
        const error = e as { stdout?: string; message: string }
        output = error.stdout ?? error.message
      }
      const problems = output.split("\n").filter((l) => /^\S/.test(l)).map((l) => {
        const m = /block(\d+)\.ts\((\d+),(\d+)\): (.*)$/.exec(l)
        if (m === null) return l
        const block = blocks[Number(m[1]) - 1]!
        return `README.md:${block.line + Number(m[2]) - 1}:${m[3]}: ${m[4]}`
      })
      expect(problems, `README Effect 4 blocks that do not compile:\n${problems.join("\n")}`).toEqual([])
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
