import Hummingbird
import Logging

/// Answers every request within `deadline`, whatever its handler waits on. A handler stuck on a
/// call that never returns (postgres-nio can leave a query unanswered after PostgreSQL restarts
/// mid-transaction; a provider or service that accepts and then stalls) gets 503
/// `deadline_exceeded` with `Retry-After`, and the stuck work is cancelled and left to end on its
/// own. Middleware cannot do this: Hummingbird's `next` may not escape, so only the responder can
/// run the handler where it can be abandoned. A streamed response body is not covered: it is
/// written after `respond` returns.
public struct RequestDeadlineResponder<Base: HTTPResponder>: HTTPResponder where Base.Context == HubRequestContext {
    public typealias Context = HubRequestContext

    let base: Base
    let deadline: Duration
    let logger: Logger

    public init(_ base: Base, deadline: Duration, logger: Logger) {
        self.base = base
        self.deadline = deadline
        self.logger = logger
    }

    public func respond(to request: Request, context: Context) async throws -> Response {
        let base = base
        do {
            return try await withDeadline(deadline, "\(request.method) \(request.uri.path)") {
                try await base.respond(to: request, context: context)
            }
        } catch let error as DeadlineExceeded {
            let requestID = request.headers[.requestID].flatMap(RequestIDMiddleware.acceptable) ?? context.id
            var logger = logger
            logger[metadataKey: "request_id"] = "\(requestID)"
            logger.error("request abandoned at its deadline", metadata: ["error": "\(error)"])
            var response = try APIError(
                .serviceUnavailable,
                code: "deadline_exceeded",
                message: "the request did not finish within \(deadline); retry shortly",
                headers: [.retryAfter: "1"]
            ).response(from: request, context: context)
            response.headers[.requestID] = requestID
            return response
        }
    }
}
