import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// One raw call to a sandbox on loopback (`/_admin/…` or a provider's API path), for harnesses
/// that check what the wire carries.
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
        let body = try await response.body.collect(upTo: 16 << 20)
        return (Int(response.status.code), String(buffer: body), response.headers)
    }
}
