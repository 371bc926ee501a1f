/**
 * Signing: how many `Authorization` headers (or bare signatures) per second.
 *
 * - floor: raw WebCrypto `subtle.sign` (RSASSA-PKCS1-v1_5/SHA-256, the merchant key imported once),
 *   `CONCURRENCY` calls in flight at all times, the message pre-encoded: libuv's thread pool on all
 *   cores, no library around it;
 * - effect-wechatpay `Signer.authorization`: the whole header (timestamp from `Clock`, nonce from
 *   `crypto.getRandomValues` under the default `Random`, message, signature, header text),
 *   `Effect.forEach` with the same concurrency;
 * - `node:crypto` synchronous signing (`createSign(...).sign(keyObject)`), what the peers do, one
 *   call after another on the main thread; and the peers' own header builders:
 *   wechatpay-axios-plugin (`Formatter.nonce/timestamp/request/authorization` + `Rsa.sign` with a
 *   `KeyObject`) and wechatpay-node-v3 (`buildAuthorization`, which re-reads the PEM every call).
 *
 * Each figure is the median of `ROUNDS` timed runs of `N` signatures, runs alternating.
 */
import { Effect, Layer, ManagedRuntime } from "effect"
import { createPrivateKey, createSign } from "node:crypto"
import { Formatter, Rsa } from "wechatpay-axios-plugin"
import WechatpayNodeV3 from "wechatpay-node-v3"
import { KeyStore, Signer } from "../dist/index.js"
import { Fixtures } from "../src/testing/index.js"
import { libraryOptions, median, pemBody, QUICK, reply, TARGET } from "./common.js"

const N = Number(process.env["BENCH_SIGN_N"] ?? (QUICK ? 400 : 4000))
const ROUNDS = QUICK ? 1 : 5
const CONCURRENCY = 64

/** One signing method's figure. */
export interface SigningFigure {
  readonly name: string
  readonly kind: "floor" | "library" | "sync" | "peer"
  /** Signatures per run. */
  readonly n: number
  /** Signatures per second, median of rounds. */
  readonly perSecond: number
  readonly runs: ReadonlyArray<number>
  /** `perSecond` / the floor's. */
  readonly ratioToFloor: number
}

/** Everything `signing.ts` measures. */
export interface SigningResult {
  readonly n: number
  readonly rounds: number
  readonly concurrency: number
  readonly threadpoolSize: number
  readonly figures: ReadonlyArray<SigningFigure>
}

interface NodeV3Signing {
  readonly buildAuthorization: (method: string, url: string) => string
}

interface Method {
  readonly name: string
  readonly kind: SigningFigure["kind"]
  readonly run: (n: number) => Promise<void>
  /** Signatures per run, when not `N` (a rate needs fewer from a slow method). */
  readonly n?: number
}

/** Keeps `concurrency` promises in flight until `n` have completed. */
const inFlight = async (n: number, concurrency: number, task: () => Promise<unknown>) => {
  let started = 0
  const worker = async () => {
    while (started < n) {
      started += 1
      await task()
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
}

const methods = async (): Promise<{ methods: ReadonlyArray<Method>; close: () => Promise<void> }> => {
  const subtle = globalThis.crypto.subtle
  const webKey = await subtle.importKey(
    "pkcs8",
    pemBody(Fixtures.merchantPrivateKeyPkcs8),
    { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    false,
    ["sign"]
  )
  const message = `GET\n${TARGET}\n1700000000\n0123456789ABCDEFGHIJKLMNOPQRSTUV\n\n`
  const bytes = new TextEncoder().encode(message)

  const runtime = ManagedRuntime.make(
    Signer.layer().pipe(Layer.provideMerge(KeyStore.layer(libraryOptions("http://127.0.0.1:1"))), Layer.orDie)
  )
  const signer = await runtime.runPromise(Signer.Signer)
  const request = { method: "GET", url: TARGET, body: "" }

  const keyObject = createPrivateKey(Fixtures.merchantPrivateKeyPkcs8)
  const pluginKey = Rsa.from(Fixtures.merchantPrivateKeyPkcs8, Rsa.KEY_TYPE_PRIVATE)
  const nodeV3 = new WechatpayNodeV3({
    appid: "wxd678efh567hg6787",
    mchid: Fixtures.mchid,
    serial_no: Fixtures.merchantSerialNo,
    publicKey: Buffer.from(Fixtures.merchantPublicKey),
    privateKey: Buffer.from(Fixtures.merchantPrivateKeyPkcs8)
  }) as unknown as NodeV3Signing

  const sync = (sign: () => unknown) => async (n: number) => {
    for (let i = 0; i < n; i++) sign()
  }

  return {
    methods: [
      {
        name: "floor: WebCrypto subtle.sign, concurrent",
        kind: "floor",
        run: (n) => inFlight(n, CONCURRENCY, () => subtle.sign("RSASSA-PKCS1-v1_5", webKey, bytes))
      },
      {
        name: "effect-wechatpay Signer.authorization",
        kind: "library",
        // the same shape as the floor: CONCURRENCY fibers, each signing until n are done
        run: (n) => {
          let started = 0
          const worker = Effect.whileLoop({
            while: () => started++ < n,
            body: () => signer.authorization(request),
            step: () => {}
          })
          return runtime.runPromise(
            Effect.forEach(Array.from({ length: CONCURRENCY }), () => worker, {
              concurrency: CONCURRENCY,
              discard: true
            })
          )
        }
      },
      {
        name: "node:crypto createSign, synchronous",
        kind: "sync",
        run: sync(() => createSign("RSA-SHA256").update(message).sign(keyObject, "base64"))
      },
      {
        name: "wechatpay-axios-plugin header (Rsa.sign)",
        kind: "peer",
        run: sync(() => {
          const nonce = Formatter.nonce()
          const timestamp = Formatter.timestamp()
          const signature = Rsa.sign(Formatter.request("GET", TARGET, timestamp, nonce, ""), pluginKey)
          return Formatter.authorization(Fixtures.mchid, nonce, signature, timestamp, Fixtures.merchantSerialNo)
        })
      },
      {
        name: "wechatpay-node-v3 buildAuthorization",
        kind: "peer",
        // about 4x slower than the others: a quarter of the signatures gives its rate as surely
        n: Math.ceil(N / 4),
        run: sync(() => nodeV3.buildAuthorization("GET", TARGET))
      }
    ],
    close: () => runtime.dispose()
  }
}

/** Runs the signing benchmark. */
export const runSigning = async (log: (line: string) => void = () => {}): Promise<SigningResult> => {
  const { close, methods: all } = await methods()
  try {
    for (const method of all) await method.run(Math.min(N, 200))
    const runs = new Map<string, Array<number>>()
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < all.length; i++) {
        const method = all[(i + round) % all.length]!
        const n = method.n ?? N
        const start = performance.now()
        await method.run(n)
        const perSecond = (n / (performance.now() - start)) * 1000
        runs.set(method.name, [...(runs.get(method.name) ?? []), perSecond])
        log(`signing round ${round + 1}/${ROUNDS} ${method.name}: ${perSecond.toFixed(0)}/s`)
      }
    }
    const floor = median(runs.get(all[0]!.name)!)
    return {
      n: N,
      rounds: ROUNDS,
      concurrency: CONCURRENCY,
      threadpoolSize: Number(process.env["UV_THREADPOOL_SIZE"] ?? 4),
      figures: all.map((method) => {
        const mine = runs.get(method.name)!
        return {
          name: method.name,
          kind: method.kind,
          n: method.n ?? N,
          perSecond: median(mine),
          runs: mine,
          ratioToFloor: median(mine) / floor
        }
      })
    }
  } finally {
    await close()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runSigning((line) => console.error(line)).then(reply, (error: unknown) => {
    console.error(error)
    process.exit(1)
  })
}
