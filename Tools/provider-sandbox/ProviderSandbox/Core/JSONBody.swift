import Foundation
import HTTPTypes
import Hummingbird

/// JSON response bodies for the emulated providers.
enum JSONBody {
    /// A typed value as compact JSON with sorted keys and unescaped slashes, as the providers
    /// whose clients are strict about shapes are answered (`{}` if it cannot be encoded).
    static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? Array(encoder.encode(value))) ?? Array("{}".utf8)
    }

    static func response(
        _ bytes: [UInt8],
        status: HTTPResponse.Status = .ok,
        contentType: String = "application/json",
        headers: HTTPFields = [:]
    ) -> Response {
        var fields = headers
        fields[.contentType] = contentType
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
