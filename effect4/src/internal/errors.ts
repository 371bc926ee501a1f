/**
 * The one boundary where the core's plain tagged data becomes the public tagged errors of the
 * Effect 4 line.
 *
 * @internal
 */
import type * as ApiError from "../../../src/core/apiError.js"
import type * as Attempt from "../../../src/core/attempt.js"
import type * as Options from "../../../src/core/options.js"
import type * as Path from "../../../src/core/path.js"
import type * as Transport from "../../../src/core/transport.js"
import type * as Verification from "../../../src/core/verification.js"
import * as E from "../errors/WechatPayError.js"

/** @internal */
export const apiError = (data: ApiError.ApiErrorData): E.ApiErrors => {
  const fields = {
    status: data.status,
    code: data.code,
    message: data.message,
    ...(data.detail === undefined ? {} : { detail: data.detail }),
    ...(data.requestId === undefined ? {} : { requestId: data.requestId })
  }
  switch (data._tag) {
    case "ParamError":
      return new E.ParamError(fields)
    case "InvalidRequest":
      return new E.InvalidRequest(fields)
    case "SignError":
      return new E.SignError(fields)
    case "NoAuth":
      return new E.NoAuth(fields)
    case "NotFound":
      return new E.NotFound(fields)
    case "FrequencyLimited":
      return new E.FrequencyLimited(fields)
    case "SystemError":
      return new E.SystemError(fields)
    case "ApiError":
      return new E.ApiError(fields)
  }
}

/** @internal */
export const verificationError = (
  problem: Verification.VerificationProblem,
  trusted?: ReadonlyArray<string> | undefined
): E.VerificationError =>
  new E.VerificationError({
    reason: problem.reason,
    ...(problem.serial === undefined ? {} : { serial: problem.serial }),
    // an unknown serial or a bad signature names the keys trusted next to the one the answer carried
    ...(trusted !== undefined && (problem.reason === "UnknownSerial" || problem.reason === "BadSignature")
      ? { trusted }
      : {})
  })

/** @internal */
export const transportError = (data: Transport.TransportFailureData): E.TransportError =>
  new E.TransportError({
    reason: data.reason,
    message: data.message,
    ...(data.cause === undefined ? {} : { cause: data.cause })
  })

/** @internal */
export const invalidInput = (problem: Path.InputProblem): E.InvalidInput =>
  new E.InvalidInput({ field: problem.field, message: problem.message })

/** @internal */
export const invalidConfig = (problem: Options.OptionProblem): E.InvalidConfig =>
  new E.InvalidConfig({ option: problem.option, message: problem.message })

/** An attempt's failure outcome as its public error. @internal */
export const fromOutcome = (
  outcome: Exclude<Attempt.Outcome, Attempt.Answer>,
  trusted?: () => ReadonlyArray<string>
): E.ApiErrors | E.VerificationError | E.TransportError => {
  switch (outcome._tag) {
    case "VerificationProblem":
      return verificationError(outcome, trusted?.())
    case "TransportFailure":
      return transportError(outcome)
    default:
      return apiError(outcome)
  }
}
