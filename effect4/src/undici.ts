/**
 * effect-wechatpay/effect4/undici: a lean `HttpClient` over undici for the Effect 4 line, the
 * fastest transport for the library (needs the `undici` package).
 *
 * @since 0.2.0
 */

/**
 * `UndiciHttpClient.layer`, `UndiciHttpClient.layerWith({ keepAliveTimeout })`, `UndiciHttpClient.make(dispatcher)`.
 *
 * @since 0.2.0
 */
export * as UndiciHttpClient from "./UndiciHttpClient.js"
