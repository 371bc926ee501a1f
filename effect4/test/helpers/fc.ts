/**
 * The few fast-check combinators the Effect 3 line's property tests use, over Effect 4's own
 * `Arbitrary` (effect 4 has no fast-check): the same generators, so the ported properties read the same.
 */
import * as Arbitrary from "effect/Arbitrary"
import * as Schema from "effect/Schema"

export type { Arbitrary } from "effect/Arbitrary"

const index = (length: number): Arbitrary.Arbitrary<number> =>
  Arbitrary.schema(Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: length - 1 })))

/** One of the arbitraries, chosen uniformly. */
export const oneof = <A>(...arbitraries: ReadonlyArray<Arbitrary.Arbitrary<A>>): Arbitrary.Arbitrary<A> =>
  Arbitrary.flatMap(index(arbitraries.length), (i) => arbitraries[i]!)

/** One of the values. */
export const constantFrom = <A>(...values: ReadonlyArray<A>): Arbitrary.Arbitrary<A> =>
  Arbitrary.map(index(values.length), (i) => values[i]!)

/** Any string of printable ASCII (of at most `maxLength` characters), as fast-check's `string()`. */
export function string(options: { readonly maxLength?: number } = {}): Arbitrary.Arbitrary<string> {
  return stringOf(char(), options)
}

/** Any string of code points, astral ones included. */
export const fullUnicodeString = (options: { readonly maxLength?: number } = {}): Arbitrary.Arbitrary<string> =>
  Arbitrary.map(
    Arbitrary.array(
      Arbitrary.schema(Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 0x10ffff }))),
      { maxLength: options.maxLength ?? 20 }
    ),
    // surrogate code points are not characters: shift them past the surrogate range
    (points) => String.fromCodePoint(...points.map((p) => (p >= 0xd800 && p <= 0xdfff ? p + 0x800 : p)))
  )

/** One printable ASCII character. */
export const char = (): Arbitrary.Arbitrary<string> =>
  Arbitrary.map(
    Arbitrary.schema(Schema.Int.check(Schema.isBetween({ minimum: 0x20, maximum: 0x7e }))),
    (c) => String.fromCharCode(c)
  )

/** Strings made of pieces. */
export const stringOf = (
  piece: Arbitrary.Arbitrary<string>,
  options: { readonly maxLength?: number } = {}
): Arbitrary.Arbitrary<string> =>
  Arbitrary.map(Arbitrary.array(piece, { maxLength: options.maxLength ?? 20 }), (pieces) => pieces.join(""))

/** A whole number from 0 to `max`. */
export const nat = (options: { readonly max: number }): Arbitrary.Arbitrary<number> =>
  Arbitrary.schema(Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: options.max })))

/** A pair, drawn one after the other (two independent draws, even of the same arbitrary). */
export const tuple = <A, B>(a: Arbitrary.Arbitrary<A>, b: Arbitrary.Arbitrary<B>): Arbitrary.Arbitrary<[A, B]> =>
  Arbitrary.flatMap(a, (x) => Arbitrary.map(b, (y): [A, B] => [x, y]))

/** Only the values that pass. */
export const filter = <A>(arbitrary: Arbitrary.Arbitrary<A>, predicate: (a: A) => boolean): Arbitrary.Arbitrary<A> =>
  Arbitrary.filter(arbitrary, predicate)

/** The values, mapped. */
export const map = <A, B>(arbitrary: Arbitrary.Arbitrary<A>, f: (a: A) => B): Arbitrary.Arbitrary<B> =>
  Arbitrary.map(arbitrary, f)
