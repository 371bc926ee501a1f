/**
 * The per-attempt timeout (`src/internal/timeout.ts`): under the live clock it forks the effect and
 * arms a `setTimeout`; under any other clock it is `Effect.timeoutFail`. Both must behave the same:
 * the value or the failure when the effect settles in time, the timeout error after the deadline
 * with the effect interrupted (its finalizers run) before the error is returned, and the effect
 * interrupted when the caller is.
 */
import { describe, expect, it } from "@effect/vitest"
import { Cause, Deferred, Duration, Effect, Exit, Fiber, TestClock } from "effect"
import * as Timeout from "../../src/internal/timeout.js"

const timedOut = () => "timed out" as const

describe("Timeout.timeoutFail under the live clock", () => {
  it.live("a value before the deadline is returned, and no timer is left behind", () =>
    Effect.gen(function*() {
      const value = yield* Timeout.timeoutFail(Effect.as(Effect.sleep("10 millis"), 42), Duration.seconds(5), timedOut)
      expect(value).toBe(42)
    }))

  it.live("a failure or a defect before the deadline is returned as it is", () =>
    Effect.gen(function*() {
      const failure = yield* Effect.flip(Timeout.timeoutFail(Effect.fail("boom"), Duration.seconds(5), timedOut))
      expect(failure).toBe("boom")
      const exit = yield* Effect.exit(Timeout.timeoutFail(Effect.die("defect"), Duration.seconds(5), timedOut))
      expect(Exit.isFailure(exit) && Cause.isDie(exit.cause)).toBe(true)
    }))

  it.live("past the deadline: the timeout error, after the effect was interrupted and its finalizer ran", () =>
    Effect.gen(function*() {
      const events: Array<string> = []
      const never = Effect.never.pipe(Effect.onInterrupt(() => Effect.sync(() => events.push("interrupted"))))
      const start = Date.now()
      const error = yield* Effect.flip(Timeout.timeoutFail(never, Duration.millis(200), timedOut))
      events.push("returned")
      expect(error).toBe("timed out")
      expect(events).toEqual(["interrupted", "returned"])
      expect(Date.now() - start).toBeGreaterThanOrEqual(190)
    }))

  it.live("interrupting the caller interrupts the effect (and clears the timer)", () =>
    Effect.gen(function*() {
      const started = yield* Deferred.make<void>()
      const interrupted = yield* Deferred.make<void>()
      const inner = Deferred.succeed(started, undefined).pipe(
        Effect.zipRight(Effect.never),
        Effect.onInterrupt(() => Deferred.succeed(interrupted, undefined))
      )
      const fiber = yield* Effect.fork(Timeout.timeoutFail(inner, Duration.seconds(30), timedOut))
      yield* Deferred.await(started)
      const exit = yield* Fiber.interrupt(fiber)
      expect(Exit.isInterrupted(exit)).toBe(true)
      expect(yield* Deferred.isDone(interrupted)).toBe(true)
    }))

  it.live("many concurrent calls: each gets its own answer", () =>
    Effect.gen(function*() {
      const results = yield* Effect.forEach(
        Array.from({ length: 200 }, (_, i) => i),
        (i) =>
          Effect.either(
            Timeout.timeoutFail(
              i % 2 === 0 ? Effect.as(Effect.sleep("5 millis"), i) : Effect.never,
              Duration.millis(300),
              timedOut
            )
          ),
        { concurrency: "unbounded" }
      )
      results.forEach((result, i) => {
        if (i % 2 === 0) expect(result._tag === "Right" && result.right).toBe(i)
        else expect(result._tag === "Left" && result.left).toBe("timed out")
      })
    }))
})

describe("Timeout.timeoutFail under TestClock (Effect.timeoutFail)", () => {
  it.effect("the deadline follows TestClock.adjust", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.fork(Timeout.timeoutFail(Effect.never, Duration.seconds(10), timedOut))
      yield* TestClock.adjust("9 seconds")
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 second")
      const exit = yield* Fiber.await(fiber)
      expect(exit).toEqual(Exit.fail("timed out"))
    }))
})
