/**
 * The CLI (src/cli/Cli.ts, run by its executable src/cli/main.ts), run as child processes from the
 * built package (`npm test` builds first): a sandbox process (`effect-wechatpay sandbox`) and query
 * processes configured by the environment it prints. Then its output helpers, in process: colour
 * only to a terminal and never under NO_COLOR; ANSI stripped.
 */
import { Console, Effect } from "effect"
import { type ChildProcess, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { colourAllowed, plainConsole, stripAnsi } from "../../src/cli/Cli.js"
import * as Permissions from "../../src/core/endpoints/permissions.js"
import * as ServiceOrders from "../../src/core/endpoints/serviceOrders.js"

const root = fileURLToPath(new URL("../..", import.meta.url))
const main = path.join(root, "dist/cli/main.js")

interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

const run = (args: ReadonlyArray<string>, env: Record<string, string> = {}): Promise<Run> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [main, ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? "", HOME: os.tmpdir(), NO_COLOR: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk) => (stdout += chunk))
    child.stderr.on("data", (chunk) => (stderr += chunk))
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, stdout, stderr }))
  })

interface SandboxProcess {
  readonly child: ChildProcess
  readonly env: Record<string, string>
}

/** Starts `effect-wechatpay sandbox` and reads the `export NAME=value` lines it prints. */
/** Key folders the tests made (removed in afterAll). */
const keysDirs: Array<string> = []

const startSandbox = (args: ReadonlyArray<string>, ownKeysDir = true): Promise<SandboxProcess> =>
  new Promise((resolve, reject) => {
    const keysDir = ownKeysDir ? fs.mkdtempSync(path.join(os.tmpdir(), "ewp-cli-test-")) : undefined
    if (keysDir !== undefined) keysDirs.push(keysDir)
    const keysArgs = keysDir === undefined ? [] : ["--keys-dir", keysDir]
    const child = spawn(process.execPath, [main, "sandbox", "--port", "0", ...keysArgs, ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? "", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let out = ""
    const timer = setTimeout(() => reject(new Error(`the sandbox did not start: ${out}`)), 15_000)
    child.stdout!.on("data", (chunk) => {
      out += chunk
      if (out.includes("# sample records")) {
        clearTimeout(timer)
        const env: Record<string, string> = {}
        for (const match of out.matchAll(/^export ([A-Z0-9_]+)=(.*)$/gm)) {
          env[match[1]!] = match[2]!.replace(/^'(.*)'$/, "$1")
        }
        resolve({ child, env })
      }
    })
    child.on("error", reject)
    child.on("exit", (code) => reject(new Error(`the sandbox exited with ${code}: ${out}`)))
  })

describe("effect-wechatpay CLI (built package, child processes)", () => {
  let sandbox: SandboxProcess
  let tampering: SandboxProcess

  beforeAll(async () => {
    if (!fs.existsSync(main)) throw new Error(`${main} is missing: run npm run build first (npm test does)`)
    ;[sandbox, tampering] = await Promise.all([
      startSandbox([]),
      startSandbox(["--fault", "tampered-body", "--fault-times", "0"])
    ])
  }, 30_000)

  afterAll(() => {
    sandbox?.child.kill()
    tampering?.child.kill()
    for (const dir of keysDirs) fs.rmSync(dir, { recursive: true, force: true })
  })

  it("`sandbox` prints the environment that points the CLI at it", () => {
    expect(sandbox.env.WECHATPAY_BASE_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    for (
      const name of [
        "WECHATPAY_MCHID",
        "WECHATPAY_MERCHANT_SERIAL_NO",
        "WECHATPAY_MERCHANT_PRIVATE_KEY_FILE",
        "WECHATPAY_PUBLIC_KEY_ID",
        "WECHATPAY_PUBLIC_KEY_FILE"
      ]
    ) {
      expect(sandbox.env[name], name).toBeTruthy()
    }
    expect(fs.readFileSync(sandbox.env.WECHATPAY_MERCHANT_PRIVATE_KEY_FILE!, "utf8")).toContain("PRIVATE KEY")
  })

  it("merchant mode by authorization_code prints the record as JSON", async () => {
    const r = await run(
      ["permissions", "query", "--authorization-code", "1275342195190894594", "--service-id", "500001"],
      sandbox.env
    )
    expect(r.stderr).toBe("")
    expect(r.code).toBe(0)
    const record = JSON.parse(r.stdout)
    expect(record).toMatchObject({
      _tag: "Available",
      authorization_state: "AVAILABLE",
      authorization_code: "1275342195190894594",
      service_id: "500001",
      mchid: sandbox.env.WECHATPAY_MCHID
    })
    expect(record.authorization_success_time).toBe("2026-11-20T02:00:00.000Z")
  })

  it("every state of merchant mode", async () => {
    const unavailable = await run(
      ["permissions", "query", "--authorization-code", "MERCHANT-UNAVAILABLE-0001", "--service-id", "500001"],
      sandbox.env
    )
    expect(JSON.parse(unavailable.stdout)._tag).toBe("Unavailable")
    const unbind = await run(
      ["permissions", "query", "--authorization-code", "MERCHANT-UNBINDUSER-0001", "--service-id", "500001"],
      sandbox.env
    )
    expect(JSON.parse(unbind.stdout)._tag).toBe("UnbindUser")
  })

  it("partner mode", async () => {
    const r = await run([
      "permissions",
      "query",
      "--mode",
      "partner",
      "--authorization-code",
      "PARTNER-AVAILABLE-0001",
      "--service-id",
      "500001",
      "--sub-mchid",
      "1900000109"
    ], sandbox.env)
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ _tag: "Available", sub_mchid: "1900000109" })
  })

  it("acquiring-bank mode", async () => {
    const r = await run([
      "permissions",
      "query",
      "--mode",
      "acquiring-bank",
      "--authorization-code",
      "BANK-AVAILABLE-0001",
      "--service-id",
      "500001",
      "--channel-id",
      "2000000001",
      "--sub-mchid",
      "1900000109"
    ], sandbox.env)
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ _tag: "Available", channel_id: "2000000001", sub_mchid: "1900000109" })
  })

  it("merchant mode by openid", async () => {
    const r = await run([
      "permissions",
      "query",
      "--openid",
      "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
      "--service-id",
      "500001",
      "--appid",
      "wxd678efh567hg6787"
    ], sandbox.env)
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ _tag: "Available", authorization_code: "1275342195190894594" })
  })

  it("a 404 exits 3 with the API error as JSON on stderr", async () => {
    const r = await run(
      ["permissions", "query", "--authorization-code", "NO-SUCH-CODE", "--service-id", "500001"],
      sandbox.env
    )
    expect(r.code).toBe(3)
    expect(r.stdout).toBe("")
    const error = JSON.parse(r.stderr)
    expect(error).toMatchObject({ _tag: "NotFound", status: 404, code: "NOT_FOUND" })
    expect(error.requestId).toEqual(expect.any(String))
  })

  it("a bad input exits 2 with InvalidInput as JSON, before anything is sent", async () => {
    const r = await run(
      ["permissions", "query", "--authorization-code", "../../v3/x", "--service-id", "500001"],
      sandbox.env
    )
    expect(r.code).toBe(2)
    expect(JSON.parse(r.stderr)).toMatchObject({ _tag: "InvalidInput", field: "authorization_code" })
    const missing = await run([
      "permissions",
      "query",
      "--authorization-code",
      "X",
      "--service-id",
      "1",
      "--mode",
      "partner"
    ], sandbox.env)
    expect(missing.code).toBe(2)
    expect(JSON.parse(missing.stderr)).toMatchObject({ _tag: "InvalidInput", field: "--sub-mchid" })
  })

  it("a tampered answer exits 4 with VerificationError as JSON", async () => {
    const r = await run(
      ["permissions", "query", "--authorization-code", "1275342195190894594", "--service-id", "500001"],
      tampering.env
    )
    expect(r.code).toBe(4)
    expect(r.stdout).toBe("")
    expect(JSON.parse(r.stderr)).toMatchObject({ _tag: "VerificationError", reason: "BadSignature" })
  })

  it("a refused connection exits 5 with TransportError as JSON", async () => {
    const r = await run(
      ["permissions", "query", "--authorization-code", "X", "--service-id", "1"],
      { ...sandbox.env, WECHATPAY_BASE_URL: "http://127.0.0.1:9", WECHATPAY_RETRIES: "0" }
    )
    expect(r.code).toBe(5)
    expect(JSON.parse(r.stderr)._tag).toBe("TransportError")
  })

  it("a missing configuration exits 2 with InvalidConfig naming the variable", async () => {
    const r = await run(["permissions", "query", "--authorization-code", "X", "--service-id", "1"], {})
    expect(r.code).toBe(2)
    expect(JSON.parse(r.stderr)).toMatchObject({ _tag: "InvalidConfig", option: "WECHATPAY_MCHID" })
  })

  it("configuration problems: one JSON line naming the _FILE variable and its path, an accepted duration, no key material", async () => {
    const keyFile = sandbox.env.WECHATPAY_MERCHANT_PRIVATE_KEY_FILE!
    const publicFile = sandbox.env.WECHATPAY_PUBLIC_KEY_FILE!
    const material = [keyFile, publicFile].flatMap((file) =>
      fs.readFileSync(file, "utf8").split("\n").filter((line) => line.length > 20 && !line.startsWith("-----"))
    )
    const query = ["call", "queryByAuthorizationCode", "--param", "authorization_code=X", "--param", "service_id=1"]
    const cases: ReadonlyArray<readonly [Record<string, string>, string, string | RegExp]> = [
      [
        { WECHATPAY_MERCHANT_PRIVATE_KEY_FILE: "" },
        "WECHATPAY_MERCHANT_PRIVATE_KEY_FILE",
        "WECHATPAY_MERCHANT_PRIVATE_KEY_FILE is empty: set it to the path of the file, or leave it unset"
      ],
      [
        { WECHATPAY_MERCHANT_PRIVATE_KEY_FILE: `${keyFile}.missing` },
        "WECHATPAY_MERCHANT_PRIVATE_KEY_FILE",
        `WECHATPAY_MERCHANT_PRIVATE_KEY_FILE (${keyFile}.missing) cannot be read: no such file (ENOENT)`
      ],
      [
        { WECHATPAY_MERCHANT_PRIVATE_KEY_FILE: publicFile },
        "WECHATPAY_MERCHANT_PRIVATE_KEY_FILE",
        `WECHATPAY_MERCHANT_PRIVATE_KEY_FILE (${publicFile}) is a public key, not a private key: give apiclient_key.pem, the merchant API private key`
      ],
      [
        { WECHATPAY_PUBLIC_KEY_FILE: keyFile },
        "WECHATPAY_PUBLIC_KEY_FILE",
        /^WECHATPAY_PUBLIC_KEY_FILE \(.*apiclient_key\.pem\) has a "PRIVATE KEY" block, which is not a public key/
      ],
      [
        { WECHATPAY_TIMEOUT: "5s" },
        "WECHATPAY_TIMEOUT",
        `invalid WECHATPAY_TIMEOUT: expected a duration such as "5 seconds", not "5s"`
      ]
    ]
    for (const [env, option, message] of cases) {
      const r = await run(query, { ...sandbox.env, ...env })
      expect(r.code, option).toBe(2)
      expect(r.stdout, option).toBe("")
      const lines = r.stderr.trim().split("\n")
      expect(lines, option).toHaveLength(1)
      const error = JSON.parse(lines[0]!)
      expect(error, option).toMatchObject({ _tag: "InvalidConfig", option, exitCode: 2 })
      if (typeof message === "string") expect(error.message).toBe(message)
      else expect(error.message).toMatch(message)
      for (const line of material) expect(r.stderr).not.toContain(line)
    }
  })

  it("--sandbox runs against an in-process sandbox with no configuration", async () => {
    const r = await run([
      "permissions",
      "query",
      "--sandbox",
      "--authorization-code",
      "1275342195190894594",
      "--service-id",
      "500001"
    ])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)._tag).toBe("Available")
  })

  it("`endpoints` lists every declared method with its path and each parameter's place and rule", async () => {
    const r = await run(["endpoints"])
    expect(r.code).toBe(0)
    for (const endpoint of [...Permissions.all, ...ServiceOrders.all]) {
      expect(r.stdout, endpoint.name).toContain(`${endpoint.name}: ${endpoint.method} ${endpoint.path}`)
    }
    expect(r.stdout).toContain("--param authorization_code=…  path, required, text ≤ 32")
    expect(r.stdout).toContain("--param service_id=…  query, required, text ≤ 32")
    expect(r.stdout).toContain("--param reason=…  body, required, text ≤ 50")
  })

  it("`call` runs any method by name with --param / --json, checked by the declarations' rules", async () => {
    const query = await run([
      "call",
      "queryByAuthorizationCode",
      "--sandbox",
      "--param",
      "authorization_code=1275342195190894594",
      "--param",
      "service_id=500001"
    ])
    expect(query.code).toBe(0)
    expect(JSON.parse(query.stdout)).toMatchObject({ _tag: "Available", authorization_code: "1275342195190894594" })
    const apply = await run([
      "call",
      "applyPermissions",
      "--sandbox",
      "--json",
      JSON.stringify({ service_id: "500001", appid: "wxd678efh567hg6787", authorization_code: "CLI-APPLY-1" })
    ])
    expect(apply.code).toBe(0)
    expect(JSON.parse(apply.stdout).apply_permissions_token).toMatch(/^[0-9a-f]{40}$/)
    // the declaration's rule, before anything is sent; an unknown parameter and an unknown method
    const bad = await run([
      "call",
      "queryByAuthorizationCode",
      "--sandbox",
      "--param",
      "authorization_code=a/b",
      "--param",
      "service_id=5"
    ])
    expect(bad.code).toBe(2)
    expect(JSON.parse(bad.stderr)).toMatchObject({ _tag: "InvalidInput", field: "authorization_code" })
    const unknown = await run(["call", "queryByAuthorizationCode", "--sandbox", "--param", "nope=1"])
    expect(JSON.parse(unknown.stderr)).toMatchObject({ _tag: "InvalidInput", field: "--param nope" })
    const noMethod = await run(["call", "noSuchMethod", "--sandbox"])
    expect(noMethod.code).toBe(2)
    expect(JSON.parse(noMethod.stderr).message).toMatch(/no method noSuchMethod: one of queryByAuthorizationCode/)
  })

  it("`call` runs the service orders too: create, then query the same order, against the sandbox process", async () => {
    const out_order_no = `CLI-ORDER-${Date.now()}`
    const create = await run([
      "call",
      "createServiceOrder",
      "--json",
      JSON.stringify({
        out_order_no,
        appid: "wxd678efh567hg6787",
        service_id: "500001",
        service_introduction: "共享充电宝",
        post_payments: [{ name: "充电宝租借", amount: 300, description: "3元/小时", count: 1 }],
        time_range: { start_time: "OnAccept" },
        risk_fund: { name: "ESTIMATE_ORDER_COST", amount: 9900 },
        notify_url: "https://merchant.example.com/payscore/notify"
      })
    ], sandbox.env)
    expect(create.stderr).toBe("")
    expect(create.code).toBe(0)
    expect(JSON.parse(create.stdout)).toMatchObject({ out_order_no, state: "CREATED", package: expect.any(String) })
    const query = await run([
      "call",
      "queryServiceOrder",
      "--param",
      `out_order_no=${out_order_no}`,
      "--param",
      "service_id=500001",
      "--param",
      "appid=wxd678efh567hg6787"
    ], sandbox.env)
    expect(query.code).toBe(0)
    expect(JSON.parse(query.stdout)).toMatchObject({ out_order_no, state: "CREATED" })
    // the declaration's rule (one of out_order_no / query_id), before anything is sent
    const neither = await run([
      "call",
      "queryServiceOrder",
      "--param",
      "service_id=500001",
      "--param",
      "appid=wxd678efh567hg6787"
    ], sandbox.env)
    expect(neither.code).toBe(2)
    expect(JSON.parse(neither.stderr)._tag).toBe("InvalidInput")
  })

  it("--help documents every option", async () => {
    const query = await run(["permissions", "query", "--help"])
    expect(query.code).toBe(0)
    for (
      const option of [
        "--authorization-code",
        "--openid",
        "--service-id",
        "--appid",
        "--mode",
        "--sub-mchid",
        "--channel-id",
        "--sandbox"
      ]
    ) {
      expect(query.stdout, option).toContain(option)
    }
    const sandboxHelp = await run(["sandbox", "--help"])
    for (const option of ["--port", "--keys-dir", "--fault", "--fault-times"]) {
      expect(sandboxHelp.stdout, option).toContain(option)
    }
  })
  it("a busy port: exit 2 and one line on stderr naming the port and EADDRINUSE", async () => {
    const port = new URL(sandbox.env.WECHATPAY_BASE_URL!).port
    const r = await run(["sandbox", "--port", port])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe("")
    const lines = r.stderr.trim().split("\n")
    expect(lines).toHaveLength(1)
    const error = JSON.parse(lines[0]!)
    expect(error).toMatchObject({ _tag: "InvalidConfig", option: "port", exitCode: 2 })
    expect(error.message).toContain(`127.0.0.1:${port}`)
    expect(error.message).toContain("EADDRINUSE")
  })

  it("--port 99999: exit 2 and one line on stderr, before anything listens", async () => {
    const r = await run(["sandbox", "--port", "99999"])
    expect(r.code).toBe(2)
    const lines = r.stderr.trim().split("\n")
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0]!)).toMatchObject({ _tag: "InvalidInput", field: "--port", exitCode: 2 })
    expect(lines[0]).toContain("99999")
  })

  it("no colour when piped (NO_COLOR unset) nor under NO_COLOR=1: help and parse errors", async () => {
    for (const NO_COLOR of ["", "1"]) {
      const help = await run(["--help"], { NO_COLOR })
      expect(help.code).toBe(0)
      expect(help.stdout).toContain("effect-wechatpay")
      expect(help.stdout, `NO_COLOR=${NO_COLOR}`).not.toMatch(/\u001b\[/)
      const bad = await run(["permissions", "query", "--authorization-code", "x"], { NO_COLOR })
      expect(bad.code).toBe(2)
      expect(bad.stderr).toContain("--service-id")
      expect(bad.stderr, `NO_COLOR=${NO_COLOR}`).not.toMatch(/\u001b\[/)
    }
  })

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`the temp key folder is removed when the sandbox stops on ${signal}`, async () => {
      const started = await startSandbox([], false)
      const keyFile = started.env.WECHATPAY_MERCHANT_PRIVATE_KEY_FILE!
      const dir = path.dirname(keyFile)
      expect(path.basename(dir)).toMatch(/^effect-wechatpay-sandbox-/)
      expect(fs.existsSync(keyFile)).toBe(true)
      const exited = new Promise<void>((resolve) => started.child.once("exit", () => resolve()))
      started.child.kill(signal)
      await exited
      expect(fs.existsSync(dir), dir).toBe(false)
    })
  }
})

describe("the CLI starts anywhere, or says in one line why not", () => {
  const dirs: Array<string> = []
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
  })
  /** The launcher alone (and `run.js` as given) in an empty folder: no node_modules anywhere above. */
  const copy = (runJs: string | "bundle" | undefined): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ewp-cli-start-"))
    dirs.push(dir)
    fs.copyFileSync(main, path.join(dir, "main.js"))
    if (runJs === "bundle") fs.copyFileSync(path.join(root, "dist/cli/run.js"), path.join(dir, "run.js"))
    else if (runJs !== undefined) fs.writeFileSync(path.join(dir, "run.js"), runJs)
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type: "module" }))
    return dir
  }
  const runAt = (dir: string, args: ReadonlyArray<string>, env: Record<string, string> = {}): Promise<Run> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(dir, "main.js"), ...args], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...env },
        stdio: ["ignore", "pipe", "pipe"]
      })
      let stdout = ""
      let stderr = ""
      child.stdout.on("data", (chunk) => (stdout += chunk))
      child.stderr.on("data", (chunk) => (stderr += chunk))
      child.on("error", reject)
      child.on("close", (code) => resolve({ code, stdout, stderr }))
    })
  const oneLine = (r: Run) => {
    expect(r.stdout).toBe("")
    expect(r.stderr.endsWith("\n")).toBe(true)
    expect(r.stderr.trim().split("\n")).toHaveLength(1)
    expect(r.stderr).toMatch(/^effect-wechatpay: /)
    expect(r.stderr).not.toMatch(/\n\s+at /)
    return r.stderr.trim()
  }

  it("the bundle alone, with no node_modules at all: endpoints and a call against the built-in sandbox", async () => {
    const dir = copy("bundle")
    const endpoints = await runAt(dir, ["endpoints"])
    expect(endpoints.code).toBe(0)
    expect(endpoints.stdout).toContain("queryByAuthorizationCode: GET /v3/payscore/permissions/authorization-code/")
    const call = await runAt(dir, [
      "call",
      "queryByAuthorizationCode",
      "--sandbox",
      "--param",
      "authorization_code=1275342195190894594",
      "--param",
      "service_id=500001"
    ])
    expect(call.code).toBe(0)
    expect(JSON.parse(call.stdout)._tag).toBe("Available")
  })

  it("an unsupported Node (the version it reports stubbed through NODE_OPTIONS): one line, exit 7", async () => {
    const dir = copy(undefined)
    const stub = path.join(dir, "old-node.mjs")
    fs.writeFileSync(
      stub,
      `Object.defineProperty(process, "versions", { value: { ...process.versions, node: "18.20.4" } })\n`
    )
    const r = await run(["endpoints"], { NODE_OPTIONS: `--import=${pathToFileURL(stub).href}` })
    expect(r.code).toBe(7)
    expect(oneLine(r)).toBe(
      "effect-wechatpay: Node 18.20.4 is too old: the CLI needs Node 20 or later (22 or 24 recommended); install a current Node LTS and run it again"
    )
  })

  it("a damaged install (run.js missing): one line naming the file and the command to fix it, exit 7", async () => {
    const dir = copy(undefined)
    const r = await runAt(dir, ["endpoints"])
    expect(r.code).toBe(7)
    const line = oneLine(r)
    expect(line).toContain(`${path.join(dir, "run.js")} is missing`)
    expect(line).toContain("reinstall it: npm install effect-wechatpay")
  })

  it("a bundle this Node cannot parse, or one that throws: one line each, never a stack", async () => {
    const syntax = await runAt(copy("export const x = ;\n"), ["endpoints"])
    expect(syntax.code).toBe(7)
    expect(oneLine(syntax)).toMatch(
      /^effect-wechatpay: cannot start: Node [\d.]+ cannot read the CLI \(SyntaxError: .*\); run it on Node 20 or later$/
    )
    const throws = await runAt(copy('throw new Error("boom\\nsecond line")\n'), ["endpoints"])
    expect(throws.code).toBe(7)
    expect(oneLine(throws)).toMatch(
      /^effect-wechatpay: cannot start \(a bug: please report it at https:\/\/github\.com\/.*\): Error: boom$/
    )
    const later = await runAt(copy('setTimeout(() => { throw new Error("late") }, 1)\n'), ["endpoints"])
    expect(later.code).toBe(1)
    expect(oneLine(later)).toMatch(
      /^effect-wechatpay: unexpected failure \(a bug: please report it at .*\): Error: late$/
    )
  })
})

describe("CLI output", () => {
  it("colour only to a TTY, and not under a non-empty NO_COLOR", () => {
    expect(colourAllowed({ isTTY: true }, {})).toBe(true)
    expect(colourAllowed({ isTTY: true }, { NO_COLOR: "" })).toBe(true)
    expect(colourAllowed({ isTTY: true }, { NO_COLOR: "1" })).toBe(false)
    expect(colourAllowed({ isTTY: false }, {})).toBe(false)
    expect(colourAllowed({}, {})).toBe(false)
  })

  it("stripAnsi removes SGR sequences and keeps the text", () => {
    expect(stripAnsi("\u001b[0;1m\u001b[0;37;1meffect-wechatpay\u001b[0;1m\u001b[0m")).toBe("effect-wechatpay")
  })

  it("plainConsole strips stdout and stderr independently", async () => {
    const seen: Array<[string, unknown]> = []
    const recording = (name: string) => (...args: ReadonlyArray<unknown>) =>
      Effect.sync(() => {
        seen.push([name, args[0]])
      })
    const program = Console.consoleWith((base) =>
      Effect.gen(function*() {
        const fake = { ...base, log: recording("log"), error: recording("error") }
        const plain = plainConsole(fake, { stdout: true, stderr: false })
        yield* plain.log("\u001b[1mbold\u001b[0m")
        yield* plain.error("\u001b[1mbold\u001b[0m")
      })
    )
    await Effect.runPromise(program)
    expect(seen).toEqual([["log", "bold"], ["error", "\u001b[1mbold\u001b[0m"]])
  })
})
