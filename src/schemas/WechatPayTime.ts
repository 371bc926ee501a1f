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
 * (`2015-05-20T05:29:35.000Z`, as `Schema.DateTimeUtc` does); `formatRfc3339` / `formatCompact` write
 * the two WeChat Pay forms in China Standard Time.
 *
 * @since 0.1.0
 */
import * as DateTime from "effect/DateTime"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

const CHINA_OFFSET_MILLIS = 8 * 3_600_000

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/
const COMPACT = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/

/** Epoch millis of a wall-clock time at `offsetMillis` from UTC, or undefined for an impossible date. */
const fromFields = (
  fields: ReadonlyArray<string>,
  millis: number,
  offsetMillis: number
): number | undefined => {
  const [year, month, day, hour, minute, second] = fields.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number
  ]
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, millis)
  // Date.UTC rolls 31 February over into March: an impossible date does not round-trip
  const check = new Date(wall)
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    return undefined
  }
  return wall - offsetMillis
}

/**
 * The epoch milliseconds of a WeChat Pay time, or `undefined` when `text` is in neither format.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseMillis = (text: string): number | undefined => {
  const compact = COMPACT.exec(text)
  if (compact !== null) return fromFields(compact.slice(1, 7), 0, CHINA_OFFSET_MILLIS)
  const rfc = RFC3339.exec(text)
  if (rfc === null) return undefined
  const fraction = rfc[7] === undefined ? 0 : Math.floor(Number(`0${rfc[7]}`) * 1000)
  const zone = rfc[8]!
  let offset = 0
  if (zone !== "Z" && zone !== "z") {
    const hours = Number(zone.slice(1, 3))
    const minutes = Number(zone.slice(4, 6))
    if (hours > 23 || minutes > 59) return undefined
    offset = (zone[0] === "-" ? -1 : 1) * (hours * 60 + minutes) * 60_000
  }
  return fromFields(rfc.slice(1, 7), fraction, offset)
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0")

const chinaWall = (time: DateTime.DateTime): Date => new Date(DateTime.toEpochMillis(time) + CHINA_OFFSET_MILLIS)

/**
 * RFC 3339 in China Standard Time, whole seconds: `2015-05-20T13:29:35+08:00`.
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatRfc3339 = (time: DateTime.DateTime): string => {
  const wall = chinaWall(time)
  return `${wall.getUTCFullYear()}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}T${
    pad(wall.getUTCHours())
  }:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}+08:00`
}

/**
 * The compact `yyyyMMddHHmmss` in China Standard Time: `20180225112233`.
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatCompact = (time: DateTime.DateTime): string => {
  const wall = chinaWall(time)
  return `${pad(wall.getUTCFullYear(), 4)}${pad(wall.getUTCMonth() + 1)}${pad(wall.getUTCDate())}${
    pad(wall.getUTCHours())
  }${pad(wall.getUTCMinutes())}${pad(wall.getUTCSeconds())}`
}

/**
 * A WeChat Pay time: a string in either documented format, decoded to `DateTime.Utc`; encoded as
 * ISO 8601 in UTC. Every time field of the records and notifications uses it.
 *
 * @since 0.1.0
 * @category schemas
 */
export const WechatPayTime: Schema.Schema<DateTime.Utc, string> = Schema.transformOrFail(
  Schema.String,
  Schema.DateTimeUtcFromSelf,
  {
    strict: true,
    decode: (text, _, ast) => {
      const millis = parseMillis(text)
      return millis === undefined
        ? ParseResult.fail(
          new ParseResult.Type(
            ast,
            text,
            `expected a WeChat Pay time: RFC 3339 with an offset (2015-05-20T13:29:35+08:00) or yyyyMMddHHmmss in China Standard Time (20180225112233)`
          )
        )
        : ParseResult.succeed(DateTime.unsafeMake(millis))
    },
    // ISO 8601 in UTC (`2015-05-20T05:29:35.000Z`), RFC 3339 too: what `Schema.DateTimeUtc` writes,
    // so encoded records (the CLI's JSON) read as before
    encode: (time) => ParseResult.succeed(DateTime.formatIso(time))
  }
).annotations({ identifier: "WechatPayTime" })
