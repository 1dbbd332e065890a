import Hummingbird
import NIOCore

/// How every `ResponseEncodable` body of the hub is written (`HubRequestContext.responseEncoder`):
/// through `JSONValue(encoding:)`, so identifiers are lowercase, dates ISO 8601, keys sorted and
/// `/` unescaped in every response, without each model encoding its fields by hand.
public struct HubResponseEncoder: ResponseEncoder, Sendable {
    public init() {}

    public func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        let bytes = try JSONValue(encoding: value).encoded()
        var headers = HTTPFields()
        headers.reserveCapacity(2)
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.contentLength] = String(bytes.count)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
