/** JSON texts the tests send where a decoder must not die. */

/** `depth` nested JSON arrays: `[[[…]]]` (deep nesting overflows a recursive decoder or formatter). */
export const nestedArrays = (depth: number): string => "[".repeat(depth) + "]".repeat(depth)
