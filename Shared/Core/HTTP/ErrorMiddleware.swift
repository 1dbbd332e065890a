import Foundation
import Hummingbird
import NIOHTTP1

/// Turns every error a handler throws into the one error envelope. Domain code throws `APIError`
/// (or errors that convert to it); anything else is a bug, logged in full here and shown to the
/// caller only as an opaque 500 with the request id. A handler whose task was cancelled (the
/// service is stopping) is answered 503 `shutting_down`.
public struct ErrorMiddleware: RouterMiddleware {
    public typealias Context = HubRequestContext

    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            if Task.isCancelled {
                // Cut short (the service stopping, or its deadline passed and it was already answered):
                // whatever the handler threw on its way out is no bug.
                context.logger.warning("request cut short", metadata: ["error": "\(String(reflecting: error))"])
                return try APIError.shuttingDown().response(from: request, context: context)
            }
            let apiError = Self.apiError(for: error)
            if apiError.status == .serviceUnavailable {
                context.logger.warning("request refused: a dependency is unavailable", metadata: ["error": "\(String(reflecting: error))"])
            } else if apiError.status.code >= 500 {
                context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            return try apiError.response(from: request, context: context)
        }
    }

    static func apiError(for error: any Error) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as any APIErrorConvertible:
            return error.apiError
        case let error as HTTPError:
            return Self.apiError(status: error.status, message: error.body)
        case let error as any HTTPResponseError:
            return Self.apiError(status: error.status, message: nil)
        case let error as DecodingError:
            return RequestBodyDecoder.apiError(for: error)
        case let error as HTTPParserError:
            // The request's body broke off or was framed wrongly (a bad chunk size, a connection
            // closed before Content-Length bytes came): the caller's fault, read while the
            // handler was already running.
            return .badRequest("the request is not valid HTTP/1.1 (\(error.debugDescription)); it was not read", code: "malformed_request")
        case let error where UnavailableDependency.matches(error):
            return APIError(
                .serviceUnavailable,
                code: "unavailable",
                message: "a store this service needs is unavailable; retry shortly",
                headers: [.retryAfter: "1"]
            )
        default:
            return .internalError()
        }
    }

    /// Hummingbird's and NIO's own errors: unknown route, body too large, method not allowed.
    static func apiError(status: HTTPResponse.Status, message: String?) -> APIError {
        switch status {
        case .notFound: return APIError(.notFound, code: "not_found", message: "no such route")
        case .contentTooLarge:
            return APIError(.contentTooLarge, code: "payload_too_large", message: "the request body is larger than allowed")
        case .methodNotAllowed:
            return APIError(.methodNotAllowed, code: "method_not_allowed", message: "method not allowed on this route")
        case let status where status.code < 500:
            return APIError(status, code: "bad_request", message: message ?? status.reasonPhrase)
        default:
            return .internalError()
        }
    }
}

/// Domain errors that know their HTTP rendering conform to this, in one extension per domain.
public protocol APIErrorConvertible: Error {
    var apiError: APIError { get }
}
