/**
 * The times WeChat Pay writes, in the two formats its documentation and its wire use:
 *
 * - RFC 3339 with an offset, as in answers and envelopes: `2015-05-20T13:29:35+08:00`,
 *   `2015-05-20T13:29:35.120+08:00`, `2015-05-20T05:29:35Z`;
 * - the compact `yyyyMMddHHmmss` in China Standard Time (UTC+8), as in the decrypted resource of
 *   the Pay Score authorization notifications: `20180225112233` (`openorclose_time`).
 *
 * Both decode to the same `DateTime.Utc`; anything else (no offset, an impossible date, another
 * layout) is a parse failure that names the two accepted formats. Encoding writes ISO 8601 in UTC
 * (`2015-05-20T05:29:35.000Z`); `formatRfc3339` / `formatCompact` write the two WeChat Pay forms in
 * China Standard Time. The parsing is the core's (`core/time.ts`), shared with the Effect 3 line.
 *
 * @since 0.2.0
 */
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as SchemaGetter from "effect/SchemaGetter"
import * as SchemaIssue from "effect/SchemaIssue"
import * as Time from "../../../src/core/time.js"

/**
 * Epoch millis of a WeChat Pay time (RFC 3339 with an offset, or `yyyyMMddHHmmss` in China Standard
 * Time), or `undefined`.
 *
 * @since 0.2.0
 * @category parsing
 */
export const parseMillis: (text: string) => number | undefined = Time.parseMillis

/**
 * RFC 3339 in China Standard Time, whole seconds: `2015-05-20T13:29:35+08:00`.
 *
 * @since 0.2.0
 * @category formatting
 */
export const formatRfc3339 = (time: DateTime.DateTime): string => Time.formatRfc3339(DateTime.toEpochMillis(time))

/**
 * The compact `yyyyMMddHHmmss` in China Standard Time: `20180225112233`.
 *
 * @since 0.2.0
 * @category formatting
 */
export const formatCompact = (time: DateTime.DateTime): string => Time.formatCompact(DateTime.toEpochMillis(time))

/**
 * A WeChat Pay time: a string in either documented format, decoded to `DateTime.Utc`; encoded as
 * ISO 8601 in UTC. Every time field of the records and notifications uses it.
 *
 * @since 0.2.0
 * @category schemas
 */
export const WechatPayTime: Schema.Codec<DateTime.Utc, string> = Schema.String.pipe(
  Schema.decodeTo(Schema.DateTimeUtc, {
    decode: SchemaGetter.transformEffect((text: string) => {
      const millis = parseMillis(text)
      return millis === undefined
        ? Effect.fail(new SchemaIssue.InvalidValue({ message: Time.EXPECTED }, text))
        : Effect.succeed(DateTime.makeUnsafe(millis))
    }),
    encode: SchemaGetter.transform((time: DateTime.Utc) => DateTime.formatIso(time))
  })
).annotate({ identifier: "WechatPayTime" })
