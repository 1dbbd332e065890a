import AsyncHTTPClient
import BenchmarkSupport
import Foundation
import NIOCore
import NIOHTTP1

/// Calls to connection-service's API as one user of one organization (a bearer token).
struct HubAPI: Sendable {
    let baseURL: String
    let token: String

    /// Sends a request and returns the status and decoded JSON body (nil when not JSON).
    func send(_ method: HTTPMethod, _ path: String, json: String? = nil) async throws -> (status: Int, body: [String: Any]?) {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        let body = try? JSONSerialization.jsonObject(with: Data(buffer: bytes)) as? [String: Any]
        return (Int(response.status.code), body)
    }

    /// Connects Stripe (the sandbox accepts `sk_test_sandbox`) and returns the connection id.
    func connectStripe() async throws -> String {
        let reply = try await send(
            .POST,
            "/api/v1/integrations/connections",
            json: #"{"provider":"stripe","credentials":{"api_key":"sk_test_sandbox"}}"#
        )
        guard reply.status == 201, let id = reply.body?["id"] as? String else {
            throw BenchmarkError("connecting Stripe answered \(reply.status): \(reply.body ?? [:])")
        }
        return id
    }

    /// Triggers a pull of `entity` (every record when `fullResync`) and returns the job id.
    func triggerSync(connection: String, entity: String, fullResync: Bool = false) async throws -> String {
        let reply = try await send(
            .POST,
            "/api/v1/integrations/connections/\(connection)/sync",
            json: #"{"entity":"\#(entity)","direction":"pull","full_resync":\#(fullResync)}"#
        )
        guard reply.status == 202, let jobs = reply.body?["data"] as? [[String: Any]], let id = jobs.first?["id"] as? String else {
            throw BenchmarkError("triggering the sync answered \(reply.status): \(reply.body ?? [:])")
        }
        return id
    }
}
