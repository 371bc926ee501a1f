/**
 * The rules of a service order's answer (支付分订单), shared by both Effect lines' schemas and the
 * sandbox: which `_tag` a `state` reads as (a state no page documents is `UnknownState`, kept as
 * data), and how an amount in fen reads when WeChat Pay sends its digits as a string (SKIT's
 * published notification samples send `"total_amount":"40000"`).
 *
 * @internal
 */

/** The `_tag` of an order's `state`. @internal */
export type OrderStateTag = "Created" | "Doing" | "Done" | "Revoked" | "Expired" | "UnknownState"

/**
 * The documented `state`s: `CREATED` 商户已创建服务订单, `DOING` 服务订单进行中, `DONE` 服务订单完成,
 * `REVOKED` 商户取消服务订单, `EXPIRED` 服务订单已失效 (30 days in CREATED); any other state is
 * `UnknownState`.
 *
 * @internal
 */
export const orderStateTag = (state: string): OrderStateTag => {
  switch (state) {
    case "CREATED":
      return "Created"
    case "DOING":
      return "Doing"
    case "DONE":
      return "Done"
    case "REVOKED":
      return "Revoked"
    case "EXPIRED":
      return "Expired"
    default:
      return "UnknownState"
  }
}

/** What an amount that does not read is told. @internal */
export const AMOUNT_EXPECTED = "expected an amount in fen: a whole number, or its digits as a string"

const DIGITS = /^-?\d+$/

/**
 * An amount in fen sent as the digits of a whole number (`"40000"`): that number; `undefined` for
 * anything else (a fraction, an exponent, spaces, digits past the safe integers).
 *
 * @internal
 */
export const amountFromDigits = (text: string): number | undefined => {
  if (!DIGITS.test(text)) return undefined
  const value = Number(text)
  return Number.isSafeInteger(value) ? value : undefined
}
