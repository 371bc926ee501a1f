/**
 * Running `npm` and `npx` from the package tests, which install the packed package in empty
 * projects. npm reads only the npm registry; what `npm ci` cached is used first (`--prefer-offline`
 * on the command lines). Two things here are about the network, not about npm's resolution:
 *
 * - a request that stalls is given up after 60 s and retried (npm's defaults wait 5 minutes and
 *   retry twice: one stalled socket on a CI machine once held an install for the test's whole 600 s);
 * - `loglevel=http` puts every registry request and its outcome on stderr, so a failure says which
 *   request it was waiting for.
 *
 * Neither changes what npm resolves: peers, `legacy-peer-deps` and the rest stay npm's defaults.
 */
import { execFile } from "node:child_process"
import { promisify } from "node:util"

const execFileAsync = promisify(execFile)

/** npm's network settings for the package tests (environment variables, so command lines stay as the README writes them). */
export const npmNetwork: Readonly<Record<string, string>> = {
  npm_config_fetch_timeout: "60000",
  npm_config_fetch_retries: "6",
  npm_config_fetch_retry_mintimeout: "2000",
  npm_config_fetch_retry_maxtimeout: "15000",
  npm_config_loglevel: "http",
  npm_config_update_notifier: "false"
}

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
