/**
 * The Effect 4 line's parameter schemas, built from the core's rules (`core/fields.ts`): the same
 * checks the client runs before sending, as a `Schema` for users who validate input themselves. A
 * failure's message is the client's `InvalidInput` message.
 *
 * @internal
 */
import * as Schema from "effect/Schema"
import * as Fields from "../../../src/core/fields.js"
import * as Path from "../../../src/core/path.js"

/**
 * A schema whose values are those the rule accepts (decoding checks, and keeps the value as given);
 * a failure's message is the rule's.
 *
 * @internal
 */
export const fromObjectRule = <P>(rule: Fields.ObjectRule<P>, identifier: string): Schema.Codec<P> =>
  // any value is a candidate; the filter is the rule (the core checks the shape too)
  Schema.declare((_: unknown): _ is P => true, { identifier }).check(
    Schema.makeFilter((value: P) => {
      const problem = Fields.check(rule, value)
      return Path.isInputProblem(problem) ? problem.message : true
    })
  )

/**
 * A string schema with a string rule's checks; a failure's message completes "<field> …".
 *
 * @internal
 */
export const fromStringRule = (rule: Fields.StringRule, identifier?: string): Schema.Codec<string> => {
  const schema = Schema.String.check(
    Schema.makeFilter((s: string) => {
      const problem = Fields.checkValue(rule, "", s)
      return problem === undefined || problem.message.trimStart()
    })
  )
  return identifier === undefined ? schema : schema.annotate({ identifier })
}
