import Foundation
import HubConnectors
import HubCore
import Hummingbird
import HummingbirdTesting
import NIOHTTP1
import ProviderSandbox

/// The sandbox in-process (`SandboxHarness`), a HubSpot connector pointed at it with the seeded
/// portal's token, and raw and admin calls (with that token unless told otherwise), for the
/// HubSpot tests.
struct HubSpotSandboxHarness: SandboxHarness {
    let port: Int
    let inboxPort: Int
    let inbox: WebhookInbox

    static func run(volume: Int = 20, _ body: @Sendable (HubSpotSandboxHarness) async throws -> Void) async throws {
        try await start(volume: volume, body)
    }

    var baseURL: String { "http://127.0.0.1:\(port)/hubspot" }

    func connector(token: String = HubSpotProvider.seededToken, retry: RetryPolicy = fastRetry) -> HubSpotConnector {
        HubSpotConnector(
            context: ConnectorContext(credentials: ["access_token": token], baseURL: baseURL, transport: ProviderTransport(retry: retry))
        )
    }

    static var apiHeaders: HTTPHeaders { ["Authorization": "Bearer \(HubSpotProvider.seededToken)"] }

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
