/**
 * effect-wechatpay/undici: a lean `HttpClient` over undici, the fastest transport for the library
 * (needs the `undici` package).
 *
 * @since 0.1.0
 */

/**
 * `UndiciHttpClient.layer`, `UndiciHttpClient.layerWith({ keepAliveTimeout })`, `UndiciHttpClient.make(dispatcher)`.
 *
 * @since 0.1.0
 */
export * as UndiciHttpClient from "./UndiciHttpClient.js"
