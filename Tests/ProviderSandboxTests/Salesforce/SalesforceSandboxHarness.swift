import Foundation
import HubConnectors
import HubCore
import Hummingbird
import HummingbirdTesting
import NIOHTTP1
import ProviderSandbox

/// The sandbox in-process (`SandboxHarness`), a Salesforce connector pointed at its
/// `instance_url` with the seeded org's token, and raw and admin calls (with that token unless
/// told otherwise), for the Salesforce tests.
struct SalesforceSandboxHarness: SandboxHarness {
    let port: Int
    let inboxPort: Int
    let inbox: WebhookInbox

    static func run(volume: Int = 20, _ body: @Sendable (SalesforceSandboxHarness) async throws -> Void) async throws {
        try await start(volume: volume, body)
    }

    var instanceURL: String { "http://127.0.0.1:\(port)/salesforce" }

    func connector(token: String = SalesforceProvider.seededToken, retry: RetryPolicy = fastRetry) -> SalesforceConnector {
        SalesforceConnector(
            context: ConnectorContext(
                credentials: ["access_token": token, "instance_url": instanceURL],
                baseURL: SalesforceConnector.apiBaseURL,
                transport: ProviderTransport(retry: retry)
            )
        )
    }

    static var apiHeaders: HTTPHeaders { ["Authorization": "Bearer \(SalesforceProvider.seededToken)"] }

    /// A REST API path below `/salesforce/services/data/v65.0/`.
    static func api(_ path: String) -> String { "/salesforce/services/data/\(SalesforceConnector.apiVersion)/\(path)" }

    /// Every page of a listing (`DataConnector.listAll`), in Salesforce's smallest batches by default.
    func listAll(
        _ connector: SalesforceConnector,
        _ entity: String,
        pageSize: Int = 200,
        since: String? = nil
    ) async throws -> (records: [ProviderRecord], deleted: [String], pages: Int, checkpoint: String?) {
        try await connector.listAll(entity, pageSize: pageSize, since: since)
    }
}
