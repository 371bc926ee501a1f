/**
 * Log lines captured instead of printed: a test that expects a Warning reads it here (and a passing
 * test prints nothing).
 */
import { Logger, type LogLevel } from "effect"

export interface LogLine {
  readonly level: LogLevel.LogLevel
  readonly text: string
}

/** A logger that keeps every line (message and annotations, as JSON) in `lines`. */
export const capturingLogger = (lines: Array<LogLine>) =>
  Logger.replace(
    Logger.defaultLogger,
    Logger.make(({ annotations, logLevel, message }) => {
      let text: string
      try {
        text = JSON.stringify({ message, annotations: Object.fromEntries(annotations) })
      } catch {
        text = String(message)
      }
      lines.push({ level: logLevel, text })
    })
  )
