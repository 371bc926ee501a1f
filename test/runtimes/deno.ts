/** The matrix program on Deno: input on stdin, the report on stdout. */
import { type Input, run } from "./program.js"

declare const Deno: { readonly stdin: { readonly readable: ReadableStream<Uint8Array> } }

const input = JSON.parse(await new Response(Deno.stdin.readable).text()) as Input
console.log(JSON.stringify(await run(input)))
