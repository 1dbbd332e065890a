import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One raw HTTP request to a sandbox running on `port` (an admin path or a provider's API path),
/// with an optional JSON body: the status, the body as text and the headers.
enum SandboxRequest {
    static func send(
        port: Int,
        _ method: HTTPMethod,
        _ path: String,
        json: String? = nil,
        headers: HTTPHeaders = [:]
    ) async throws -> (status: Int, body: String, headers: HTTPHeaders) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        request.headers = headers
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 32 << 20)
        return (Int(response.status.code), String(buffer: body), response.headers)
    }
}
