/**
 * The rules a value must follow to be sent as text (visible ASCII) and as one URL path segment
 * (none of `/ \ ? # %`, not `.` or `..`): one place, used by the parameter schemas and by
 * `WechatPayClient`'s generic path templates. Each returns the problem in words, or `undefined`.
 *
 * @internal
 */

const VISIBLE_ASCII = /^[\x21-\x7e]*$/
const PATH_FORBIDDEN = /[/\\?#%]/

/** @internal */
export const notVisibleAscii = (value: string): string | undefined =>
  VISIBLE_ASCII.test(value) ? undefined : "must be printable ASCII without spaces or control characters"

/** @internal */
export const notOneSegment = (value: string): string | undefined =>
  PATH_FORBIDDEN.test(value)
    ? "must not contain any of / \\ ? # %"
    : value === "." || value === ".."
    ? 'must not be "." or ".."'
    : undefined
