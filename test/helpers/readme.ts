/**
 * The README as the tests read it: its TypeScript blocks (with the line each starts at), a
 * section by heading, the block after a marker, the "It prints:" block after a program, and a
 * block made importable (its `effect-wechatpay` imports pointed at src/ or at a line's entry).
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

export const root = fileURLToPath(new URL("../..", import.meta.url))

export const readme = (): string => fs.readFileSync(path.join(root, "README.md"), "utf8")

export interface Block {
  readonly index: number
  /** Line of the block's first code line in the text (1-based). */
  readonly line: number
  readonly lang: string
  readonly code: string
}

/** The fenced blocks of a Markdown text, with the line each starts at (`lang` "" for a bare fence). */
export const blocks = (markdown: string): ReadonlyArray<Block> => {
  const lines = markdown.split("\n")
  const found: Array<Block> = []
  let open: { line: number; lang: string; body: Array<string> } | undefined
  for (let i = 0; i < lines.length; i++) {
    const fence = /^\s*```\s*([A-Za-z]*)/.exec(lines[i]!)
    if (open === undefined) {
      if (fence !== null) open = { line: i + 2, lang: fence[1]!.toLowerCase(), body: [] }
    } else if (fence !== null && fence[1] === "") {
      found.push({ index: found.length + 1, line: open.line, lang: open.lang, code: open.body.join("\n") })
      open = undefined
    } else {
      open.body.push(lines[i]!)
    }
  }
  return found
}

/** The TypeScript blocks (```ts / ```typescript), numbered from 1. */
export const typescriptBlocks = (markdown: string): ReadonlyArray<Block> =>
  blocks(markdown).filter((b) => b.lang === "ts" || b.lang === "typescript").map((b, i) => ({ ...b, index: i + 1 }))

/** Whether a block is the Effect 4 line's (it imports `effect-wechatpay/effect4…`). */
export const isEffect4 = (block: Block): boolean => /from "effect-wechatpay\/effect4/.test(block.code)

/** The text of the section under `heading` (a `## ` line starting with it), up to the next `## `. */
export const section = (markdown: string, heading: string): string => {
  const start = markdown.split("\n").findIndex((l) => l.startsWith(`## ${heading}`))
  if (start < 0) throw new Error(`README.md has no section "## ${heading}"`)
  const lines = markdown.split("\n").slice(start)
  const end = lines.findIndex((l, i) => i > 0 && l.startsWith("## "))
  return lines.slice(0, end < 0 ? undefined : end).join("\n")
}

/** The first block after the line `marker` (e.g. `<!-- first-program-effect3 -->`), and what it prints. */
export const afterMarker = (markdown: string, marker: string): { readonly code: string; readonly printed?: string } => {
  const at = markdown.indexOf(`${marker}\n`)
  if (at < 0) throw new Error(`README.md has no ${marker}`)
  const rest = markdown.slice(at + marker.length + 1)
  const first = blocks(rest)[0]
  if (first === undefined) throw new Error(`README.md: no code block after ${marker}`)
  const printed = printedAfter(rest, first.code)
  return printed === undefined ? { code: first.code } : { code: first.code, printed }
}

/** The bare block under "It prints:" right after `code` in `markdown`, when there is one. */
export const printedAfter = (markdown: string, code: string): string | undefined => {
  const at = markdown.indexOf(code)
  const match = /^\s*```\s*\n+It prints:\n\n```\n([\s\S]*?)\n```/.exec(markdown.slice(at + code.length))
  return match?.[1]
}

/** The TypeScript block that declares `const <name> =`. */
export const blockDeclaring = (markdown: string, name: string): Block => {
  const found = typescriptBlocks(markdown).filter((b) => b.code.includes(`const ${name} =`))
  if (found.length !== 1) throw new Error(`README.md: ${found.length} TypeScript blocks declare ${name}`)
  return found[0]!
}

/** `code` with its `effect-wechatpay` imports pointed at the Effect 3 line's sources. */
export const againstSources = (code: string): string =>
  code
    .replace(/from "effect-wechatpay\/testing"/g, `from ${JSON.stringify(path.join(root, "src/testing/index.ts"))}`)
    .replace(/from "effect-wechatpay\/undici"/g, `from ${JSON.stringify(path.join(root, "src/undici.ts"))}`)
    .replace(/from "effect-wechatpay"/g, `from ${JSON.stringify(path.join(root, "src/index.ts"))}`)

/**
 * Writes `code` (made to export `names`) into a folder of the repository, imports it, and removes
 * the folder: the README's program as written, run against src/.
 */
export const importBlock = async <A>(code: string, names: ReadonlyArray<string>): Promise<A> => {
  const dir = fs.mkdtempSync(path.join(root, ".readme-blocks-"))
  try {
    const file = path.join(dir, "block.ts")
    fs.writeFileSync(file, `${againstSources(code)}\nexport { ${names.join(", ")} }\n`)
    return (await import(file)) as A
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
