/**
 * `effect-wechatpay/testing`: what an application needs to test its own program: test keys, an
 * in-memory WeChat Pay that signs its answers for real, and a WeChat Pay emulator on loopback
 * (the sandbox).
 *
 * @since 0.1.0
 */

/**
 * Test key material (public: never use it for anything real).
 *
 * @since 0.1.0
 */
export * as Fixtures from "./fixtures.js"

/**
 * An in-memory `HttpClient` that answers like WeChat Pay, signatures included.
 *
 * @since 0.1.0
 */
export * as FakeWechatPay from "./FakeWechatPay.js"

/**
 * A WeChat Pay emulator on loopback: a real HTTP server that checks requests like WeChat Pay,
 * answers from seeded records, signs every answer, and injects faults on demand.
 *
 * @since 0.1.0
 */
export * as Sandbox from "./Sandbox.js"

/**
 * Sample authorization records, one per mode and state, for demos and first runs.
 *
 * @since 0.1.0
 */
export * as SampleRecords from "./SampleRecords.js"

/**
 * Mock layers of the library's services (`Layer.mock`), for testing programs that use them.
 *
 * @since 0.1.0
 */
export * as Mocks from "./Mocks.js"
