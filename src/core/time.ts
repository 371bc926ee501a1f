/**
 * WeChat Pay's two ways of writing a time: RFC 3339 with an offset (`2015-05-20T13:29:35+08:00`, in
 * answers and envelopes) and the compact `yyyyMMddHHmmss` in China Standard Time
 * (`20180225112233`, in notification resources and service orders); and the day form `yyyyMMdd`.
 * Sending, times are written in China Standard Time, which is what WeChat Pay compares them with.
 *
 * @internal
 */

/**
 * A point in time as the parameters of a call may give it: anything with a numeric `epochMillis`
 * (Effect 3's `DateTime.Utc` and `DateTime.Zoned`) or `epochMilliseconds` (Effect 4's), without
 * importing Effect here. The rules write it as WeChat Pay expects, in China Standard Time.
 *
 * @internal
 */
export type DateTimeLike = { readonly epochMillis: number } | { readonly epochMilliseconds: number }

/**
 * The epoch millis of a `DateTimeLike` (`epochMillis` on Effect 3, `epochMilliseconds` on Effect 4).
 *
 * @internal
 */
export const epochMillisOf = (time: DateTimeLike): number =>
  "epochMillis" in time ? time.epochMillis : time.epochMilliseconds

/** UTC+8, China Standard Time. @internal */
export const CHINA_OFFSET_MILLIS = 8 * 3_600_000

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/
const COMPACT = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/
const DAY = /^(\d{4})(\d{2})(\d{2})$/

/** Epoch millis of a wall-clock time at `offsetMillis` from UTC, or undefined for an impossible date. */
const fromFields = (fields: ReadonlyArray<string>, millis: number, offsetMillis: number): number | undefined => {
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
 * Epoch millis of a WeChat Pay time (RFC 3339 with an offset, or `yyyyMMddHHmmss` in China Standard
 * Time), or `undefined`.
 *
 * @internal
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

/** What a time that does not parse is told. @internal */
export const EXPECTED =
  "expected a WeChat Pay time: RFC 3339 with an offset (2015-05-20T13:29:35+08:00) or yyyyMMddHHmmss in China Standard Time (20180225112233)"

/** Whether `text` is a real day written `yyyyMMdd`. @internal */
export const isDay = (text: string): boolean => {
  const day = DAY.exec(text)
  return day !== null && fromFields([day[1]!, day[2]!, day[3]!, "0", "0", "0"], 0, 0) !== undefined
}

/** Whether `text` is a real time written `yyyyMMddHHmmss`. @internal */
export const isCompact = (text: string): boolean => {
  const compact = COMPACT.exec(text)
  return compact !== null && fromFields(compact.slice(1, 7), 0, 0) !== undefined
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0")

const chinaWall = (epochMillis: number): Date => new Date(epochMillis + CHINA_OFFSET_MILLIS)

/** RFC 3339 in China Standard Time, whole seconds: `2015-05-20T13:29:35+08:00`. @internal */
export const formatRfc3339 = (epochMillis: number): string => {
  const wall = chinaWall(epochMillis)
  return `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}T${
    pad(wall.getUTCHours())
  }:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}+08:00`
}

/** `yyyyMMddHHmmss` in China Standard Time. @internal */
export const formatCompact = (epochMillis: number): string => {
  const wall = chinaWall(epochMillis)
  return `${pad(wall.getUTCFullYear(), 4)}${pad(wall.getUTCMonth() + 1)}${pad(wall.getUTCDate())}${
    pad(wall.getUTCHours())
  }${pad(wall.getUTCMinutes())}${pad(wall.getUTCSeconds())}`
}

/** `yyyyMMdd` in China Standard Time. @internal */
export const formatDay = (epochMillis: number): string => formatCompact(epochMillis).slice(0, 8)
