/**
 * The Effect 3 line's parameter schemas, built from the core's rules (`core/fields.ts`): the same
 * checks the client runs before sending, as a `Schema` for users who validate input themselves. A
 * failure's message is the client's `InvalidInput` message.
 *
 * @internal
 */
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Fields from "../core/fields.js"
import * as Path from "../core/path.js"

/**
 * A schema whose values are those the rule accepts (decoding checks, and keeps the value as given).
 *
 * @internal
 */
export const fromObjectRule = <P>(rule: Fields.ObjectRule<P>, identifier: string): Schema.Schema<P> =>
  Schema.declare((u: unknown): u is P => !Path.isInputProblem(Fields.check(rule, u)), {
    identifier,
    message: (issue) => {
      const problem = Fields.check(rule, issue.actual)
      return Path.isInputProblem(problem) ? problem.message : `invalid ${identifier}`
    }
  })

/**
 * A string schema with a string rule's checks; a failure's message completes "<field> …".
 *
 * @internal
 */
export const fromStringRule = (rule: Fields.StringRule, identifier?: string): Schema.Schema<string> =>
  Schema.String.pipe(
    Schema.filter((s) => {
      const problem = Fields.checkValue(rule, "", s)
      return problem === undefined || problem.message.trimStart()
    }),
    ...(identifier === undefined ? [] : [Schema.annotations({ identifier })]) as []
  )

/** @internal */
export const isProblem = ParseResult.isParseError
