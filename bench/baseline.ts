/**
 * The "before" build of the end-to-end benchmark: the library as of a git ref (`BENCH_BASELINE`,
 * default `3a53c9d`, the main branch before issue 18's refactor), built into a temporary git
 * worktree so that `bench/e2e.ts` measures it side by side with the current `dist/`, in the same
 * run, with the same clients.
 *
 * - `git worktree add --detach <tmp> <ref>`, its `node_modules` a symlink to this checkout's (the
 *   Effect 3 dependencies are the same; Node resolves the symlink to its real path, so both builds
 *   load the very same `effect`, `@effect/platform` and `undici` modules); then tsup there (the
 *   JavaScript only: the bench imports the baseline's `dist/` untyped, through the current
 *   declarations). Everything is local: no network.
 * - The worktree is removed afterwards (also on an exception, Ctrl-C or SIGTERM): the symlink is
 *   unlinked first, then `git worktree remove --force`, then `git worktree prune`.
 * - `BENCH_BASELINE=none` (or empty) skips it; so does a ref that is HEAD itself while the
 *   library's sources have no uncommitted change (the baseline would be the current build).
 *
 * Run alone: `npx tsx bench/baseline.ts` builds it, prints where, and removes it.
 */
import { execFileSync } from "node:child_process"
import { existsSync, mkdtempSync, rmSync, symlinkSync, unlinkSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ROOT } from "./common.js"

/** The ref measured as "before" when `BENCH_BASELINE` is not set: main before issue 18. */
export const DEFAULT_BASELINE = "3a53c9d"

/** The library's build inputs: a difference here between the ref and now is a different library. */
const SOURCES = ["src", "tsup.config.ts", "tsconfig.build.json", "tsconfig.base.json", "package.json"]

/** What the report says about the baseline. */
export type BaselineInfo =
  | {
    readonly _tag: "Built"
    readonly ref: string
    readonly commit: string
    /** `git log -1 --format=%s` of the ref. */
    readonly subject: string
    /**
     * Whether the library's sources (`SOURCES`) are the same at the ref and in this checkout
     * (uncommitted changes included): then the two builds are the same code, and their difference
     * is the noise of the run (an A/A comparison).
     */
    readonly sameSources: boolean
    readonly buildSeconds: number
  }
  | { readonly _tag: "Skipped"; readonly reason: string }

/** A built baseline: where its `dist/` is, and how to remove it. */
export interface Baseline {
  readonly info: BaselineInfo
  /** The absolute path of the baseline's `dist/`, absent when skipped. */
  readonly dist: string | undefined
  readonly cleanup: () => void
}

const git = (...args: ReadonlyArray<string>): string =>
  execFileSync("git", args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim()

const sameSourcesAs = (commit: string): boolean => {
  try {
    // compares the ref's tree with the working tree (staged and unstaged changes included)
    execFileSync("git", ["diff", "--quiet", commit, "--", ...SOURCES], { cwd: ROOT, stdio: "ignore" })
    return true
  } catch {
    return false
  }
}

/** Builds the baseline, or says why not. `log` reports the steps. */
export const prepareBaseline = (log: (line: string) => void = () => {}): Baseline => {
  const ref = process.env["BENCH_BASELINE"] ?? DEFAULT_BASELINE
  const skipped = (reason: string): Baseline => {
    log(`baseline skipped: ${reason}`)
    return { info: { _tag: "Skipped", reason }, dist: undefined, cleanup: () => {} }
  }
  if (ref === "" || ref === "none") return skipped("BENCH_BASELINE=none")
  let commit: string
  try {
    commit = git("rev-parse", "--verify", "--quiet", `${ref}^{commit}`)
  } catch {
    return skipped(`${ref} is not a commit of this repository`)
  }
  const head = git("rev-parse", "HEAD")
  const sameSources = sameSourcesAs(commit)
  if (commit === head && sameSources) {
    return skipped(`${ref} is HEAD (${commit.slice(0, 7)}) and the sources have no uncommitted change`)
  }
  const subject = git("log", "-1", "--format=%s", commit)
  const dir = mkdtempSync(join(tmpdir(), "effect-wechatpay-baseline-"))
  let removed = false
  const cleanup = () => {
    if (removed) return
    removed = true
    process.off("exit", cleanup)
    process.off("SIGINT", onSignal)
    process.off("SIGTERM", onSignal)
    // the symlink first: nothing below may ever walk into this checkout's node_modules
    try {
      unlinkSync(join(dir, "node_modules"))
    } catch {
      // not made yet
    }
    try {
      git("worktree", "remove", "--force", dir)
    } catch {
      // not added, or already gone
    }
    rmSync(dir, { recursive: true, force: true })
    try {
      git("worktree", "prune")
    } catch {
      // nothing to prune
    }
  }
  const onSignal = (signal: NodeJS.Signals) => {
    cleanup()
    process.kill(process.pid, signal)
  }
  process.on("exit", cleanup)
  process.once("SIGINT", onSignal)
  process.once("SIGTERM", onSignal)
  try {
    const start = performance.now()
    log(`baseline: ${ref} (${commit.slice(0, 7)} "${subject}") into a temporary worktree, ${dir}`)
    git("worktree", "add", "--detach", dir, commit)
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir")
    // tsup only: the JavaScript of every entry, as `npm run build` makes it (no declarations)
    execFileSync(process.execPath, [join(ROOT, "node_modules", "tsup", "dist", "cli-default.js")], {
      cwd: dir,
      stdio: ["ignore", "ignore", "inherit"]
    })
    const dist = join(dir, "dist")
    if (!existsSync(join(dist, "index.js")) || !existsSync(join(dist, "undici.js"))) {
      throw new Error(`the baseline build left no dist/index.js and dist/undici.js in ${dir}`)
    }
    const buildSeconds = (performance.now() - start) / 1000
    log(`baseline built in ${buildSeconds.toFixed(0)} s${sameSources ? " (the same sources as now: an A/A run)" : ""}`)
    return {
      info: { _tag: "Built", ref, commit, subject, sameSources, buildSeconds },
      dist,
      cleanup
    }
  } catch (error) {
    cleanup()
    throw error
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const baseline = prepareBaseline((line) => console.error(line))
  console.log(JSON.stringify({ ...baseline.info, dist: baseline.dist }, null, 2))
  baseline.cleanup()
}
