/**
 * Test key material: the very strings of the Effect 3 line's `Fixtures` (made by
 * scripts/make-fixtures.sh with OpenSSL). Public: never use it for anything real.
 *
 * @since 0.2.0
 */
export * from "../../../src/testing/fixtures.js"
