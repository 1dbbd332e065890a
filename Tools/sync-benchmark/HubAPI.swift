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

    /// Triggers a pull of `entity` and returns the job id.
    func triggerSync(connection: String, entity: String) async throws -> String {
        let reply = try await send(.POST, "/api/v1/integrations/connections/\(connection)/sync", json: #"{"entity":"\#(entity)","direction":"pull"}"#)
        guard reply.status == 202, let jobs = reply.body?["data"] as? [[String: Any]], let id = jobs.first?["id"] as? String else {
            throw BenchmarkError("triggering the sync answered \(reply.status): \(reply.body ?? [:])")
        }
        return id
    }

    /// The job as the API shows it.
    func job(_ id: String) async throws -> SyncJobState {
        let reply = try await send(.GET, "/api/v1/integrations/sync/jobs/\(id)")
        guard reply.status == 200, let body = reply.body else { throw BenchmarkError("job \(id) answered \(reply.status)") }
        return SyncJobState(body)
    }
}

/// The parts of a sync job the benchmark watches.
struct SyncJobState {
    var status: String
    var pages: Int
    /// Records handled so far: created, updated and skipped.
    var records: Int
    var reason: String?
    var startedAt: Date?
    var finishedAt: Date?

    init(_ json: [String: Any]) {
        status = json["status"] as? String ?? "unknown"
        pages = json["pages"] as? Int ?? 0
        let counts = json["counts"] as? [String: Any] ?? [:]
        records = ["created", "updated", "skipped"].reduce(0) { $0 + (counts[$1] as? Int ?? 0) }
        reason = json["status_reason"] as? String
        let format = ISO8601DateFormatter()
        format.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let plain = ISO8601DateFormatter()
        func date(_ key: String) -> Date? {
            guard let text = json[key] as? String else { return nil }
            return format.date(from: text) ?? plain.date(from: text)
        }
        startedAt = date("started_at")
        finishedAt = date("finished_at")
    }

    var isActive: Bool { status == "queued" || status == "running" }
}
