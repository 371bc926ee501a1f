/**
 * A set of sample authorization records, one per mode and state, to seed into a sandbox, so that
 * a fresh install has something to query. The samples are the sandbox engine's
 * (`engine/sampleRecords.ts`), the same the Effect 3 line's `SampleRecords` seeds.
 *
 * @since 0.2.0
 */
import type * as Effect from "effect/Effect"
import * as Samples from "../../../src/testing/engine/sampleRecords.js"
import type * as EngineTypes from "../../../src/testing/engine/types.js"
import type { Sandbox } from "./Sandbox.js"
import { Seed } from "./Sandbox.js"

/**
 * The `service_id` of every sample record.
 *
 * @since 0.2.0
 * @category constants
 */
export const serviceId = Samples.serviceId

/** @since 0.2.0 @category constants */
export const subMchid = Samples.subMchid

/** @since 0.2.0 @category constants */
export const channelId = Samples.channelId

/** @since 0.2.0 @category constants */
export const appid = Samples.appid

/** The engine's seed made with this line's constructor (`Seed.Merchant(…)`, …). */
const toSeed = ({ _tag, ...fields }: EngineTypes.Seed): Seed =>
  (Seed[_tag] as (args: Omit<EngineTypes.Seed, "_tag">) => Seed)(fields)

/**
 * The samples: for each mode, one record per state (a 19-digit numeric code among them).
 *
 * @since 0.2.0
 * @category records
 */
export const seeds: ReadonlyArray<Seed> = Samples.seeds.map(toSeed)

/**
 * Seeds the samples into a sandbox.
 *
 * @since 0.2.0
 * @category records
 */
export const seed = (sandbox: Sandbox.Service): Effect.Effect<void> => sandbox.seedMany(seeds)

/**
 * One line per sample: how to ask for it.
 *
 * @since 0.2.0
 * @category records
 */
export const describe = (): ReadonlyArray<string> => Samples.describe()
