/**
 * `effect-wechatpay/effect4/testing`: what an application on the Effect 4 line needs to test its
 * own program: test keys, an in-memory WeChat Pay that signs its answers for real, and mock layers.
 *
 * @since 0.2.0
 */

/**
 * Test key material (public: never use it for anything real).
 *
 * @since 0.2.0
 */
export * as Fixtures from "./fixtures.js"

/**
 * An in-memory `HttpClient` that answers like WeChat Pay, signatures included.
 *
 * @since 0.2.0
 */
export * as FakeWechatPay from "./FakeWechatPay.js"

/**
 * Mock layers of the library's services (`Layer.mock`), for testing programs that use them.
 *
 * @since 0.2.0
 */
export * as Mocks from "./Mocks.js"
