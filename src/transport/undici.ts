/**
 * The core's transport interface straight over an undici `Dispatcher` (an `Agent`, a `Pool`, a
 * `MockAgent`): one `dispatch`, the answer collected from its callbacks with the cap (refused unread
 * when `Content-Length` says more), no body stream to create and drain. Plain TypeScript, shared by
 * both Effect lines' `UndiciHttpClient`. A failure before the answer's head is a request failure
 * (its cause says whether anything left: `ECONNREFUSED`, `ENOTFOUND`, …); after it, the answer
 * could not be read. Cancelling aborts the request, or destroys the answer's body.
 *
 * @internal
 */
import * as Undici from "undici"
import * as Bytes from "../core/bytes.js"
import * as Transport from "../core/transport.js"

const encoder = new TextEncoder()

/** @internal */
export const make = (dispatcher: Undici.Dispatcher): Transport.Transport => ({
  send: (request, maxBytes, done) => {
    let controller: Undici.Dispatcher.DispatchController | undefined
    let over = false
    let status = 0
    let headers: Readonly<Record<string, string>> = {}
    const body = new Bytes.CappedBody(maxBytes)
    const finish = (exchange: Transport.Exchange): void => {
      if (over) return
      over = true
      done(exchange)
    }
    const refuse = (current: Undici.Dispatcher.DispatchController, seen: string): void => {
      const cause = Transport.tooLargeCause(maxBytes, seen)
      finish(Transport.readFailed(cause, "Decode"))
      // discarded at once: its connection is closed, not left to drain
      current.abort(cause)
    }
    const handler: Undici.Dispatcher.DispatchHandler = {
      onRequestStart: (current) => {
        controller = current
        if (over) current.abort(new Undici.errors.RequestAbortedError())
      },
      onResponseStart: (current, statusCode, answerHeaders) => {
        // an informational 1xx head comes before the answer's own
        if (over || statusCode < 200) return
        status = statusCode
        const record: Record<string, string> = {}
        for (const name in answerHeaders) {
          const value = answerHeaders[name]
          if (typeof value === "string") record[name] = value
          else if (Array.isArray(value)) record[name] = value.join(", ")
        }
        headers = record
        if (Bytes.declaresMoreThan(record["content-length"], maxBytes)) {
          refuse(current, `Content-Length is ${record["content-length"]}`)
        }
      },
      onResponseData: (current, chunk) => {
        if (over) return
        if (!body.push(chunk)) refuse(current, `more than ${maxBytes} bytes sent`)
      },
      onResponseEnd: () => finish({ _tag: "Received", status, headers, body: body.done() }),
      onResponseError: (_, cause) =>
        finish(status === 0 ? Transport.requestFailed(cause, "Transport") : Transport.readFailed(cause, "Decode"))
    }
    let url: URL
    try {
      url = new URL(request.url)
    } catch (cause) {
      finish(Transport.notBuilt(cause, "InvalidUrl"))
      return () => {}
    }
    const bytes = request.body === "" ? null : encoder.encode(request.body)
    try {
      dispatcher.dispatch({
        method: request.method as Undici.Dispatcher.HttpMethod,
        origin: url.origin,
        path: url.pathname + url.search,
        headers: bytes === null ? request.headers : { ...request.headers, "content-length": String(bytes.byteLength) },
        body: bytes
      }, handler)
    } catch (cause) {
      finish(Transport.requestFailed(cause, "Transport"))
    }
    return () => {
      if (over) return
      over = true
      // not started yet: aborted as soon as it starts (`onRequestStart`)
      controller?.abort(new Undici.errors.RequestAbortedError())
    }
  }
})
