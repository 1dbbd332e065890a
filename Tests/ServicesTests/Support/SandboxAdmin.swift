import AsyncHTTPClient
import Foundation
import HubCore
import NIOCore
import NIOHTTP1

/// The provider sandbox's admin API and raw calls, for assertions on what reached a provider.
struct SandboxAdmin: Sendable {
    let baseURL: String

    struct Reply: Sendable {
        var status: Int
        var body: [UInt8]
        var json: JSONValue { (try? JSONDecoder().decode(JSONValue.self, from: Data(body))) ?? .null }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    func send(_ method: HTTPMethod, _ path: String, json: String? = nil, headers: HTTPHeaders = [:]) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers = headers
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(15))
        let body = try await response.body.collect(upTo: 16 << 20)
        return Reply(status: Int(response.status.code), body: Array(buffer: body))
    }

    /// The counters of one provider's authorization server.
    func oauthStats(_ provider: String) async throws -> JSONValue {
        try await send(.GET, "/_admin/\(provider)/oauth/stats").json
    }

    func oauthSettings(_ provider: String, _ json: String) async throws {
        _ = try await send(.PUT, "/_admin/\(provider)/oauth", json: json)
    }

    /// Revokes a grant as if the user disconnected the app in the provider's own UI.
    func revokeAtProvider(_ provider: String, token: String) async throws {
        _ = try await send(.POST, "/_admin/\(provider)/oauth/tokens/revoke", json: #"{"token":"\#(token)"}"#)
    }
}
