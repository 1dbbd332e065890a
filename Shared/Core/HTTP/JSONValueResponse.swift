import Foundation
import Hummingbird
import NIOCore

/// A JSON response body written by `JSONValue`'s one-pass writer (keys sorted), for the routes
/// answered thousands of times a second (`POST /events`, the inbound provider webhooks) and a
/// subscription's test event, which answers like `POST /events`: a fresh `JSONEncoder` per
/// response, with Codable's boxing, is a real cost on such tiny bodies. Same headers as
/// Hummingbird's JSON responses.
public struct JSONValueResponse: ResponseGenerator, Sendable {
    public var status: HTTPResponse.Status
    public var body: JSONValue

    public init(status: HTTPResponse.Status = .ok, body: JSONValue) {
        self.status = status
        self.body = body
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let bytes = body.encoded()
        var headers = HTTPFields()
        headers.reserveCapacity(2)
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.contentLength] = String(bytes.count)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A date as the hub's JSON writes it everywhere (`JSONEncoder`'s `.iso8601`): UTC, whole seconds.
    public static func date(_ date: Date) -> JSONValue {
        .string(date.formatted(Date.ISO8601FormatStyle()))
    }
}
