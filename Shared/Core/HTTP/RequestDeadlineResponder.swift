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
            let message = "the request did not finish within \(deadline); retry shortly"
            let answer = APIError(.serviceUnavailable, code: "deadline_exceeded", message: message, headers: [.retryAfter: "1"])
            return try abandoned(request, context, answer) {
                $0.error("request abandoned at its deadline", metadata: ["error": "\(error)"])
            }
        } catch is CancellationError where Task.isCancelled {
            // The service is stopping and its shutdown grace ran out while this request waited.
            return try abandoned(request, context, .shuttingDown()) {
                $0.warning("request abandoned: the service is stopping")
            }
        }
    }

    /// 503 with `Retry-After` and the request's id, for a request whose handler was abandoned.
    func abandoned(
        _ request: Request,
        _ context: Context,
        _ answer: APIError,
        log: (Logger) -> Void
    ) throws -> Response {
        let requestID = request.headers[.requestID].flatMap(RequestIDMiddleware.acceptable) ?? context.id
        var logger = logger
        logger[metadataKey: "request_id"] = "\(requestID)"
        log(logger)
        var response = try answer.response(from: request, context: context)
        response.headers[.requestID] = requestID
        return response
    }
}
