/**
 * The per-attempt timeout, cheaper than `Effect.timeoutFail` under the live clock.
 *
 * `Effect.timeoutFail` races two forked fibers (the effect and a `Clock.sleep`), which costs about
 * 200 µs of CPU per attempt on the hot path: more than all the rest of our own work on a call.
 * Under the live clock, `Clock.sleep` is a `setTimeout`, so this forks only the effect (as
 * `timeoutFail` does, so that it can be interrupted while the caller goes on) and arms a
 * `setTimeout` for the deadline; whichever settles first wins, and the loser is cancelled: the
 * timer cleared, or the effect's fiber interrupted (and awaited) before the timeout error is
 * returned. Under any other clock (`TestClock`, a custom one) it is `Effect.timeoutFail` itself, so
 * tests that move time by hand see the same behaviour.
 *
 * Like `Effect.timeoutFail`: interrupting the caller interrupts the effect; a deadline beyond
 * what a timer can hold (2^31 - 1 ms, about 24.8 days) never fires. Unlike it, the effect's fiber
 * references are not merged back into the caller (the attempt sets none that outlive it).
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"

/**
 * The longest delay a `setTimeout` holds (about 24.8 days); a longer one would fire at once.
 *
 * @internal
 */
export const MAX_TIMER_MILLIS = 2 ** 31 - 1

const liveClockPrototype: object | null = Object.getPrototypeOf(Clock.make())

/**
 * Whether `clock` is Effect's live clock (the system's time and timers), not `TestClock` or a
 * custom one.
 *
 * @internal
 */
export const isLiveClock = (clock: Clock.Clock): boolean => Object.getPrototypeOf(clock) === liveClockPrototype

/** @internal */
export const timeoutFail = <A, E, E2>(
  self: Effect.Effect<A, E>,
  duration: Duration.Duration,
  onTimeout: () => E2
): Effect.Effect<A, E | E2> => {
  const millis = Duration.toMillis(duration)
  const fallback = Effect.timeoutFail(self, { duration, onTimeout })
  return Effect.clockWith((clock) => {
    if (!isLiveClock(clock) || !(millis <= MAX_TIMER_MILLIS)) return fallback
    return Effect.uninterruptibleMask((restore) =>
      Effect.flatMap(Effect.fork(Effect.exit(restore(self))), (fiber) =>
        restore(Effect.async<A, E | E2>((resume) => {
          let settled = false
          const onExit = (exit: Exit.Exit<Exit.Exit<A, E>>) => {
            if (settled) return
            settled = true
            clearTimeout(timer)
            resume(Exit.flatten(exit))
          }
          const timer = setTimeout(() => {
            if (settled) return
            settled = true
            fiber.removeObserver(onExit)
            resume(Effect.zipRight(Fiber.interrupt(fiber), Effect.fail(onTimeout())))
          }, millis)
          fiber.addObserver(onExit)
          return Effect.suspend(() => {
            if (!settled) {
              settled = true
              clearTimeout(timer)
              fiber.removeObserver(onExit)
            }
            return Effect.asVoid(Fiber.interrupt(fiber))
          })
        })))
    )
  })
}
