/**
 * Bytes and text (src/core/bytes.ts): strict UTF-8 both ways (a BOM kept), strict base64 both ways
 * (with Node's `Buffer` and without it, as on workerd or in a browser), a body collected from chunks
 * and decoded once, exactly, and the cap on what is read.
 */
import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import * as esbuild from "esbuild"
import { readFileSync } from "node:fs"
import * as vm from "node:vm"
import * as Bytes from "../../src/core/bytes.js"

const bytes = (...values: Array<number>) => Uint8Array.from(values)

/**
 * The same module evaluated in a context with no `Buffer` (as on workerd or in a browser): its
 * portable paths (`btoa` / `atob`). Its arrays come from that context, so results are compared as
 * plain arrays.
 */
const portable = ((): typeof Bytes => {
  const source = readFileSync(new URL("../../src/core/bytes.ts", import.meta.url), "utf8")
  const { code } = esbuild.transformSync(source, { loader: "ts", format: "cjs" })
  const module = { exports: {} as Record<string, unknown> }
  vm.runInNewContext(code, { module, exports: module.exports, TextEncoder, TextDecoder, btoa, atob })
  return module.exports as unknown as typeof Bytes
})()

/** A Uint8Array of any realm, as a plain array (or undefined). */
const plain = (value: Uint8Array | undefined) => value === undefined ? undefined : Array.from(value)

describe("UTF-8", () => {
  it("utf8 and fromUtf8 round-trip any well-formed text; a leading BOM is kept", () => {
    for (const text of ["", "héllo", "你好", "\u{1F600}", "\uFEFF{}"]) {
      expect(Bytes.fromUtf8(Bytes.utf8(text))).toBe(text)
    }
    expect(Bytes.fromUtf8(bytes(0xef, 0xbb, 0xbf, 0x7b, 0x7d))).toBe("\uFEFF{}")
  })

  it("fromUtf8 throws a TypeError on bytes that are not UTF-8", () => {
    for (const bad of [bytes(0xff), bytes(0xe4, 0xbd), bytes(0xc0, 0xaf), bytes(0xed, 0xa0, 0x80)]) {
      expect(() => Bytes.fromUtf8(bad)).toThrow(TypeError)
    }
  })
})

describe("base64", () => {
  for (const [name, module] of [["with Buffer", () => Bytes], ["without Buffer", () => portable]] as const) {
    describe(name, () => {
      it("toBase64 and fromBase64 round-trip every byte value, and a view into a larger buffer", () => {
        const all = Uint8Array.from({ length: 256 }, (_, i) => i)
        const encoded = module().toBase64(all)
        expect(encoded).toBe(Buffer.from(all).toString("base64"))
        expect(plain(module().fromBase64(encoded))).toEqual(Array.from(all))
        const view = new Uint8Array(all.buffer, 10, 5)
        expect(module().toBase64(view)).toBe(Buffer.from([10, 11, 12, 13, 14]).toString("base64"))
        expect(plain(module().fromBase64(""))).toEqual([])
      })

      it("fromBase64 is strict: unpadded, URL-safe, whitespace, padding inside, other characters → undefined", () => {
        for (const text of ["YQ", "YWJ", "-_-_", "YW Jj", "YWJj\n", "YQ==YQ==", "YW=j", "YWJj=", "Y", "****", "é"]) {
          expect([text, module().fromBase64(text)]).toEqual([text, undefined])
        }
        expect(plain(module().fromBase64("YQ=="))).toEqual([0x61])
        expect(plain(module().fromBase64("YWI="))).toEqual([0x61, 0x62])
        expect(plain(module().fromBase64("+/+/"))).toEqual([0xfb, 0xff, 0xbf])
      })

      it.prop("any bytes round-trip", [fc.uint8Array({ maxLength: 64 })], ([input]) => {
        expect(plain(module().fromBase64(module().toBase64(input)))).toEqual(Array.from(input))
      })
    })
  }

  it("the portable copy runs in its own context (its arrays are of another realm)", () => {
    expect(Bytes.fromBase64("YQ==")).toBeInstanceOf(Uint8Array)
    expect(portable.fromBase64("YQ==")).not.toBeInstanceOf(Uint8Array)
    expect(portable.toBase64(bytes(1, 2, 3))).toBe("AQID")
  })
})

describe("a body from chunks", () => {
  it("decodeExact joins the chunks once: a character split across chunks is kept, the BOM too", () => {
    // 你 = E4 BD A0, split over the first two chunks
    const chunks = [bytes(0xef, 0xbb, 0xbf, 0x61, 0xe4, 0xbd), bytes(0xa0), bytes(0x21)]
    expect(Bytes.decodeExact(chunks, 8)).toEqual({ text: "\uFEFFa你!", exact: true })
    expect(Bytes.decodeExact([bytes(0x7b, 0x7d)], 2)).toEqual({ text: "{}", exact: true })
  })

  it("decodeExact of no chunks is the empty, exact body", () => {
    expect(Bytes.decodeExact([], 0)).toEqual({ text: "", exact: true })
  })

  it("bytes that are not UTF-8: the lossy text (U+FFFD where they were), not exact", () => {
    expect(Bytes.decodeExact([bytes(0x61, 0xff, 0x62)], 3)).toEqual({ text: "a\uFFFDb", exact: false })
  })

  it("join keeps the order and the total", () => {
    expect(Bytes.join([bytes(1), bytes(2, 3), bytes()], 3)).toEqual(bytes(1, 2, 3))
    const only = bytes(9)
    expect(Bytes.join([only], 1)).toBe(only)
  })
})

describe("the cap", () => {
  it("declaresMoreThan: a Content-Length of digits over the cap; anything else is not a declaration", () => {
    expect(Bytes.declaresMoreThan("1025", 1024)).toBe(true)
    expect(Bytes.declaresMoreThan("1024", 1024)).toBe(false)
    expect(Bytes.declaresMoreThan("0", 0)).toBe(false)
    for (const odd of [undefined, "", "abc", "-1", "1e9", " 2048", "2048 ", "1,2"]) {
      expect([odd, Bytes.declaresMoreThan(odd, 1024)]).toEqual([odd, false])
    }
  })

  it("CappedBody: pushes up to the cap are kept; one byte more is refused; done decodes what came", () => {
    const body = new Bytes.CappedBody(4)
    expect(body.push(bytes(0x61, 0x62))).toBe(true)
    expect(body.push(bytes(0x63, 0x64))).toBe(true)
    expect(body.done()).toEqual({ text: "abcd", exact: true })
    expect(body.push(bytes(0x65))).toBe(false)
    const empty = new Bytes.CappedBody(0)
    expect(empty.done()).toEqual({ text: "", exact: true })
    expect(empty.push(bytes(0x61))).toBe(false)
  })
})
