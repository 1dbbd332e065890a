import Foundation
import Hummingbird

/// The one error type that reaches HTTP. Every failure a client can see is rendered as
/// `{"error": {"code": "...", "message": "...", "details": ...}}` with its status; domain errors
/// map to this once, in their own `+APIError` extensions, not in handlers.
public struct APIError: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    /// A stable, machine-readable code (`not_found`, `validation_failed`).
    public var code: String
    /// A sentence for a person. Never contains a secret or internal exception text.
    public var message: String
    public var details: JSONValue?
    /// Extra response headers (`Retry-After`, `WWW-Authenticate`).
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, code: String, message: String, details: JSONValue? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        let body = try JSONValue(encoding: Envelope(error: .init(code: code, message: message, details: details))).encoded()
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    struct Envelope: Encodable {
        struct Body: Encodable {
            var code: String
            var message: String
            var details: JSONValue?
        }
        var error: Body
    }
}

// MARK: - The common cases

extension APIError {
    public static func notFound(_ what: String) -> APIError {
        APIError(.notFound, code: "not_found", message: "\(what) was not found")
    }

    public static func unauthorized(_ message: String) -> APIError {
        APIError(.unauthorized, code: "unauthorized", message: message, headers: [.wwwAuthenticate: "Bearer"])
    }

    public static func badRequest(_ message: String, code: String = "bad_request", details: JSONValue? = nil) -> APIError {
        APIError(.badRequest, code: code, message: message, details: details)
    }

    /// 422: the request was well-formed JSON but a field is wrong. `field` is the path (`settings.shop`).
    public static func validation(_ message: String, field: String? = nil, details: JSONValue? = nil) -> APIError {
        var details = details
        if details == nil, let field { details = ["field": .string(field)] }
        return APIError(.unprocessableContent, code: "validation_failed", message: message, details: details)
    }

    public static func conflict(_ message: String, code: String = "conflict") -> APIError {
        APIError(.conflict, code: code, message: message)
    }

    public static func internalError() -> APIError {
        APIError(.internalServerError, code: "internal_error", message: "an internal error occurred; it has been logged")
    }

    /// A request cut short because the service is stopping: whoever still waits may retry at once
    /// (another replica, or this one once restarted, answers).
    public static func shuttingDown() -> APIError {
        APIError(.serviceUnavailable, code: "shutting_down", message: "the service is stopping; retry shortly", headers: [.retryAfter: "1"])
    }

    public static func unavailable(_ message: String) -> APIError {
        APIError(.serviceUnavailable, code: "unavailable", message: message)
    }
}

extension JSONEncoder {
    /// The hub's JSON encoding: ISO 8601 dates, stable key order (easier to diff and to test).
    public static var hub: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

extension JSONDecoder {
    public static var hub: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom(Self.iso8601Time)
        return decoder
    }

    /// An ISO 8601 time, with or without fractions of a second. Its refusal names the field
    /// (`.iso8601`'s comes without its coding path on Linux, so a caller learnt only that the
    /// body was somehow wrong).
    @Sendable static func iso8601Time(_ decoder: any Decoder) throws -> Date {
        let text = try decoder.singleValueContainer().decode(String.self)
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        throw DecodingError.dataCorrupted(
            .init(codingPath: decoder.codingPath, debugDescription: "must be an ISO 8601 time, like 2026-12-07T14:00:00Z")
        )
    }
}
