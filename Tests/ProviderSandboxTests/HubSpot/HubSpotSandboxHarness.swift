import Foundation
import HubConnectors
import HubCore
import Hummingbird
import HummingbirdTesting
import NIOHTTP1
import ProviderSandbox

/// A sandbox running in-process on a free port, a HubSpot connector pointed at it with the
/// seeded portal's token, and raw and admin calls, for the HubSpot tests.
struct HubSpotSandboxHarness: Sendable {
    let port: Int

    /// Retries quickly: these tests are about what is retried, not how long backoff waits.
    static let fastRetry = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(5), maxDelay: .milliseconds(20))

    static func run(volume: Int = 20, _ body: @Sendable (HubSpotSandboxHarness) async throws -> Void) async throws {
        var configuration = SandboxConfiguration()
        configuration.port = 0
        configuration.volume = volume
        let sandbox = ProviderSandbox(configuration: configuration)
        try await sandbox.buildApplication().test(.live) { client in
            guard let port = client.port else { throw HarnessError.noPort }
            try await body(HubSpotSandboxHarness(port: port))
        }
    }

    enum HarnessError: Error { case noPort }

    var baseURL: String { "http://127.0.0.1:\(port)/hubspot" }

    func connector(token: String = HubSpotProvider.seededToken, retry: RetryPolicy = fastRetry) -> HubSpotConnector {
        HubSpotConnector(
            context: ConnectorContext(credentials: ["access_token": token], baseURL: baseURL, transport: ProviderTransport(retry: retry))
        )
    }

    static var apiHeaders: HTTPHeaders { ["Authorization": "Bearer \(HubSpotProvider.seededToken)"] }

    /// Sends `json` to the sandbox (`/_admin/…` or an API path, with the seeded token) and returns status, body and headers.
    @discardableResult
    func request(_ method: HTTPMethod, _ path: String, json: String? = nil) async throws -> (status: Int, body: String, headers: HTTPHeaders) {
        try await SandboxRequest.send(port: port, method, path, json: json, headers: Self.apiHeaders)
    }

    /// Every page of a listing (`DataConnector.listAll`).
    func listAll(
        _ connector: HubSpotConnector,
        _ entity: String,
        pageSize: Int = 100,
        since: String? = nil
    ) async throws -> (
        records: [ProviderRecord], deleted: [String], pages: Int, checkpoint: String?
    ) {
        try await connector.listAll(entity, pageSize: pageSize, since: since)
    }
}
