/**
 * A mark on an `HttpClient` that runs nothing around its requests: no span, no trace headers, no
 * logging middleware (`UndiciHttpClient.make` sets it on what it returns). `WechatPayClient` then
 * skips what only matters around such middleware: switching off the platform's per-request span
 * and trace propagation, and adding its header names to the redacted ones for the call. Any
 * wrapper (`HttpClient.mapRequest`, `tap`, …) makes a new client without the mark, which gets the
 * full treatment.
 *
 * @internal
 */
const mark: unique symbol = Symbol.for("effect-wechatpay/PlainTransport")

/** @internal */
export const markPlain = <C extends object>(client: C): C => {
  Object.defineProperty(client, mark, { value: true, enumerable: false })
  return client
}

/** @internal */
export const isPlain = (client: object): boolean => (client as { readonly [mark]?: true })[mark] === true
