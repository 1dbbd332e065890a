import Hummingbird
import Logging

/// One log line per request: method, path, status and duration, with the request id the
/// `RequestIDMiddleware` put on the logger. The query string, headers and bodies are never
/// logged: they carry OAuth codes and states, tokens and credentials; nor a sign-in link's id. Probes and scrapes
/// (`/healthz`, `/readyz`, `/metrics`) log at debug so they do not drown the rest.
public struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
    static var quietPaths: Set<String> { ["/healthz", "/readyz", "/metrics"] }

    public init() {}

    /// The path as logged: a one-time sign-in link's path is its secret, so its id is left out.
    static func loggedPath(_ path: String) -> String {
        path.hasPrefix("/sign-in/link/") ? "/sign-in/link/:id" : path
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, status: Int(response.status.code), since: started, logger: context.logger)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            log(request, status: Int(status), since: started, logger: context.logger)
            throw error
        }
    }

    func log(_ request: Request, status: Int, since started: ContinuousClock.Instant, logger: Logger) {
        let elapsed = ContinuousClock.now - started
        let milliseconds = elapsed.inMilliseconds
        let path = Self.loggedPath(request.uri.path)
        logger.log(
            level: Self.quietPaths.contains(path) ? .debug : .info,
            "request",
            metadata: [
                "method": "\(request.method.rawValue)", "path": "\(path)", "status": "\(status)",
                "duration_ms": "\((milliseconds * 10).rounded() / 10)",
            ]
        )
    }
}
