/**
 * The bench server: the sandbox's WeChat Pay (its keys, its request check — Accept, User-Agent,
 * the Authorization header and the RSA signature of every request —, its routes, parameters and
 * records, its answer signing) on a bare `node:http` server in its own process, bound to 127.0.0.1.
 *
 * What differs from `Sandbox.make`, and why:
 * - answer signatures are cached per (serial, status, body, timestamp second): RSA signing is the
 *   expensive half of the sandbox, and on 2 cores it would otherwise be the bottleneck. Every answer
 *   still carries a valid signature (the cached nonce is reused within that second);
 * - no request log, no faults, no Effect fiber per request (memory must stay flat over 100k queries);
 * - `Request-ID` is a counter.
 *
 * Started by `startServer()` (a forked child); it reports its port, answers `stats` with the count
 * of answers by status, and exits when the parent disconnects.
 */
import { fork } from "node:child_process"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { fileURLToPath } from "node:url"
import { createEngine } from "../src/testing/engine/engine.js"
import { signingKeyFor } from "../src/testing/engine/keys.js"
import type { Incoming } from "../src/testing/engine/types.js"
import { isSandboxProblem } from "../src/testing/engine/types.js"
import { FakeWechatPay, SampleRecords } from "../src/testing/index.js"
import { ROOT } from "./common.js"

/** What the server tells its parent. */
export type ServerMessage =
  | { readonly _tag: "Listening"; readonly port: number }
  | { readonly _tag: "Stats"; readonly byStatus: Readonly<Record<string, number>> }

/** A running bench server (child process). */
export interface BenchServer {
  readonly baseUrl: string
  /** Answers by status since the last call. */
  readonly stats: () => Promise<Readonly<Record<string, number>>>
  readonly close: () => Promise<void>
}

/** Forks the bench server and waits until it listens. */
export const startServer = (): Promise<BenchServer> =>
  new Promise<BenchServer>((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ["--serve"], {
      cwd: ROOT,
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"]
    })
    child.once("error", reject)
    const onExit = (code: number | null) => reject(new Error(`the bench server exited (${code})`))
    child.once("exit", onExit)
    const pending: Array<(byStatus: Readonly<Record<string, number>>) => void> = []
    child.on("message", (raw) => {
      const message = raw as ServerMessage
      if (message._tag === "Stats") pending.shift()?.(message.byStatus)
      if (message._tag === "Listening") {
        child.off("exit", onExit)
        resolve({
          baseUrl: `http://127.0.0.1:${message.port}`,
          stats: () =>
            new Promise((done) => {
              pending.push(done)
              child.send("stats")
            }),
          close: () =>
            new Promise((done) => {
              child.once("exit", () => done())
              child.disconnect()
            })
        })
      }
    })
  })

const serve = async (): Promise<void> => {
  // the sandbox's engine (its request checks, routes and records), with the sample records
  const engine = await createEngine({ platformCertificates: [], records: SampleRecords.seeds }, Date.now)
  if (isSandboxProblem(engine)) throw new Error(engine.message)
  const keys = engine.keys()

  // answer signatures of the current second, by serial, status and body
  let cacheSecond = 0
  let cache = new Map<string, Promise<Record<string, string>>>()
  const signed = (serial: string | undefined, status: number, body: string, second: number) => {
    if (second !== cacheSecond) {
      cacheSecond = second
      cache = new Map()
    }
    const signing = signingKeyFor(keys, serial)
    const key = `${signing.serial}\n${status}\n${body}`
    let headers = cache.get(key)
    if (headers === undefined) {
      headers = FakeWechatPay.signAnswer({ key: signing, body, timestamp: second })
      cache.set(key, headers)
    }
    return headers
  }

  const byStatus: Record<string, number> = {}
  let requestCounter = 0

  const answer = async (req: Http.IncomingMessage, res: Http.ServerResponse, body: string) => {
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string") headers[name] = value
    }
    const incoming: Incoming = { method: req.method ?? "GET", url: req.url ?? "/", headers, body }
    const now = Date.now()
    const plan = await engine.plan(incoming)
    const signature = await signed(headers["wechatpay-serial"], plan.status, plan.body, Math.floor(now / 1000))
    byStatus[plan.status] = (byStatus[plan.status] ?? 0) + 1
    requestCounter += 1
    res.writeHead(plan.status, {
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(plan.body)),
      "request-id": `BENCH${requestCounter.toString(16).padStart(16, "0")}`,
      ...signature
    })
    res.end(plan.body)
  }

  const server = Http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    const chunks: Array<Buffer> = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => {
      answer(req, res, chunks.length === 0 ? "" : Buffer.concat(chunks).toString("utf8")).catch((error: unknown) => {
        console.error("bench server:", error)
        if (!res.headersSent) res.writeHead(500)
        res.end()
      })
    })
  })
  server.listen({ port: 0, host: "127.0.0.1", backlog: 1024 }, () => {
    process.send!({ _tag: "Listening", port: (server.address() as AddressInfo).port } satisfies ServerMessage)
  })
  process.on("message", (message) => {
    if (message === "stats") {
      process.send!({ _tag: "Stats", byStatus: { ...byStatus } } satisfies ServerMessage)
      for (const status of Object.keys(byStatus)) delete byStatus[status]
    }
  })
  process.on("disconnect", () => {
    server.closeAllConnections()
    server.close(() => process.exit(0))
  })
}

if (process.argv.includes("--serve")) void serve()
