/**
 * What an Exit is, for one readable assertion.
 */
import { Cause, Exit, Option } from "effect"

/**
 * The success's `_tag`, the failure's `_tag` (with its `option` or `reason` when it has one), or
 * the defect.
 */
export const describeExit = <A, E>(exit: Exit.Exit<A, E>): Record<string, string> => {
  if (Exit.isSuccess(exit)) {
    const value = exit.value as { _tag?: string } | undefined
    return { succeeded: value?._tag ?? "(a value without _tag)" }
  }
  const failure = Cause.failureOption(exit.cause)
  if (Option.isSome(failure)) {
    const error = failure.value as { _tag?: string; option?: string; reason?: string }
    return {
      failed: String(error._tag),
      ...(error.option === undefined ? {} : { option: error.option }),
      ...(error.reason === undefined ? {} : { reason: error.reason })
    }
  }
  const defect = Cause.dieOption(exit.cause)
  return Option.isSome(defect)
    ? { died: String(defect.value) }
    : { interrupted: String(Cause.isInterruptedOnly(exit.cause)) }
}
