/** The matrix program on workerd (bundled by esbuild, run by miniflare): input as the POST body. */
import { type Input, run } from "./program.js"

export default {
  async fetch(request: Request): Promise<Response> {
    const input = (await request.json()) as Input
    return Response.json(await run(input))
  }
}
