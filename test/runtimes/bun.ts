/** The matrix program on Bun: input on stdin, the report on stdout. */
import { type Input, run } from "./program.js"

declare const Bun: { readonly stdin: { text(): Promise<string> } }

const input = JSON.parse(await Bun.stdin.text()) as Input
console.log(JSON.stringify(await run(input)))
