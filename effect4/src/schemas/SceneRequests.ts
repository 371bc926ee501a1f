/**
 * Schemas of the pre-authorization in a scene (场景中预授权): the parameters of the partner endpoint
 * `POST /v3/payscore/partner/permissions/apply-for-scene`, with the documented lengths and the
 * `scene` enum, and its answer, decoded into a tagged union on `scene`:
 * `Transaction` (`TRANSACTION`) | `UnknownScene` (any other value: data, never a decode failure).
 *
 * Source: the official page `scene-apply-partner-permissions.html` (服务商场景中预授权); WeChat Pay
 * documents no merchant (直连) variant of this endpoint.
 *
 * @since 0.2.0
 */
import * as Schema from "effect/Schema"
import * as SchemaGetter from "effect/SchemaGetter"
import * as Endpoints from "../../../src/core/endpoints/permissions.js"
import * as Fields from "../../../src/core/fields.js"
import * as ParamsSchema from "../internal/paramsSchema.js"
import type { VariantSchema } from "./AuthorizationRecord.js"

// ---------------------------------------------------------------------------------------------
// Parameters: the rules are the core's (`core/endpoints`), which the client checks before sending
// ---------------------------------------------------------------------------------------------

/**
 * The scene: `TRANSACTION`, the one the documentation names.
 *
 * @since 0.2.0
 * @category parameters
 */
export const Scene = Schema.Literal("TRANSACTION").annotate({
  message: "must be TRANSACTION (the one documented scene)"
})
/** @since 0.2.0 @category parameters */
export type Scene = typeof Scene.Type

/**
 * The transaction of a scene pre-authorization: the merchant and sub-merchant of the payment.
 *
 * @since 0.2.0
 * @category parameters
 */
export interface TransactionSceneInfo extends Endpoints.TransactionSceneInfo {}
/** @since 0.2.0 @category parameters */
export const TransactionSceneInfo: Schema.Codec<TransactionSceneInfo> = ParamsSchema.fromObjectRule(
  Endpoints.applyPartnerPermissionsForScene.params.fields.transaction_scene_info.rule as Fields.ObjectRule<
    Endpoints.TransactionSceneInfo
  >,
  "TransactionSceneInfo"
)

/**
 * Partner: `POST /v3/payscore/partner/permissions/apply-for-scene` (`scene: "TRANSACTION"` needs
 * `transaction_scene_info`).
 *
 * @since 0.2.0
 * @category parameters
 */
export interface ApplyPartnerPermissionsForSceneParams extends Endpoints.ApplyPartnerPermissionsForSceneParams {}
/** @since 0.2.0 @category parameters */
export const ApplyPartnerPermissionsForSceneParams: Schema.Codec<ApplyPartnerPermissionsForSceneParams> = ParamsSchema
  .fromObjectRule(Endpoints.applyPartnerPermissionsForScene.params, "ApplyPartnerPermissionsForSceneParams")

// ---------------------------------------------------------------------------------------------
// Answer
// ---------------------------------------------------------------------------------------------

const AnswerFields = {
  scene: Schema.String,
  transaction_permissions_token: Schema.optional(Schema.String)
}

/**
 * The answer of `applyPartnerPermissionsForScene`, tagged on `scene`: `Transaction` | `UnknownScene`.
 *
 * @since 0.2.0
 * @category answers
 */
export type ApplyForSceneResult = ApplyForSceneResult.Transaction | ApplyForSceneResult.UnknownScene

/**
 * The variants of `ApplyForSceneResult` (`ApplyForSceneResult.Transaction`, …) and its wire form.
 *
 * @since 0.2.0
 * @category answers
 */
export declare namespace ApplyForSceneResult {
  /** The fields of both variants. @since 0.2.0 */
  export interface Fields {
    /** The scene, as sent (与输入中一致); kept as the raw string. */
    readonly scene: string
    /**
     * 微信支付交易中授权token: what the payment (JSAPI / app / mini program) passes on to authorize in
     * the transaction.
     */
    readonly transaction_permissions_token?: string | undefined
  }
  /** The answer as sent: the same fields, no `_tag`. @since 0.2.0 */
  export interface Encoded extends Fields {}
  /** `scene: "TRANSACTION"`. @since 0.2.0 */
  export interface Transaction extends Fields {
    readonly _tag: "Transaction"
  }
  /** A scene this library does not know (WeChat Pay may add scenes): kept as data. @since 0.2.0 */
  export interface UnknownScene extends Fields {
    readonly _tag: "UnknownScene"
  }
}

/**
 * The answer for `scene: "TRANSACTION"`.
 *
 * @since 0.2.0
 * @category answers
 */
export const Transaction: VariantSchema<ApplyForSceneResult.Transaction, ApplyForSceneResult.Encoded> = Schema
  .TaggedStruct("Transaction", AnswerFields)
/**
 * The answer for a scene this library does not know (WeChat Pay may add scenes).
 *
 * @since 0.2.0
 * @category answers
 */
export const UnknownScene: VariantSchema<ApplyForSceneResult.UnknownScene, ApplyForSceneResult.Encoded> = Schema
  .TaggedStruct("UnknownScene", AnswerFields)

/**
 * The `_tag` of a `scene`.
 *
 * @since 0.2.0
 * @category answers
 */
export const sceneTag = (scene: string): "Transaction" | "UnknownScene" =>
  scene === "TRANSACTION" ? "Transaction" : "UnknownScene"

const Variants = Schema.Union([Transaction, UnknownScene])
const Wire = Schema.Struct(AnswerFields)

/**
 * The answer of `applyPartnerPermissionsForScene`: `{ scene, transaction_permissions_token? }`
 * decoded into `Transaction` | `UnknownScene`.
 *
 * @since 0.2.0
 * @category answers
 */
export const ApplyForSceneResult: Schema.Codec<ApplyForSceneResult, ApplyForSceneResult.Encoded> = Wire.pipe(
  Schema.decodeTo(Schema.toType(Variants), {
    decode: SchemaGetter.transform((wire): ApplyForSceneResult => ({ ...wire, _tag: sceneTag(wire.scene) })),
    encode: SchemaGetter.transform(({ _tag: _, ...wire }: ApplyForSceneResult) => wire)
  })
)
