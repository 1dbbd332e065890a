import AsyncHTTPClient
import Foundation
import HubConnectors
import HubCore
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import ProviderSandbox
import XCTest

/// A sandbox running in-process on a free port, a Plaid connector pointed at it, and a
/// recording webhook endpoint, for the Plaid tests.
struct PlaidSandboxHarness: SandboxHarness {
    let port: Int
    let inboxPort: Int
    let inbox: WebhookInbox

    static func run(volume: Int = 25, _ body: @Sendable (PlaidSandboxHarness) async throws -> Void) async throws {
        try await start(volume: volume, body)
    }

    var baseURL: String { "http://127.0.0.1:\(port)/plaid" }

    func context(accessToken: String? = nil, retry: RetryPolicy = fastRetry) -> ConnectorContext {
        var transport = ProviderTransport(retry: retry)
        // As in oauth-service, which holds the secret: the transport adds the client credentials.
        transport.bodyCredentials = .added(["client_id": "plaid-sandbox-client", "secret": "plaid-sandbox-secret"])
        return ConnectorContext(credentials: accessToken.map { ["access_token": $0] } ?? [:], baseURL: baseURL, transport: transport)
    }

    func connector(accessToken: String? = nil) -> PlaidConnector {
        PlaidConnector(context: context(accessToken: accessToken))
    }

    /// Links a new Item through the sandbox shortcut and returns a connector for it.
    func linkedConnector(webhook: Bool = false) async throws -> (connector: PlaidConnector, itemID: String) {
        let linking = connector()
        let publicToken = try await linking.sandboxPublicToken(webhook: webhook ? "http://127.0.0.1:\(inboxPort)/hook" : nil)
        let (accessToken, itemID) = try await linking.exchangePublicToken(publicToken)
        return (connector(accessToken: accessToken), itemID)
    }

    @discardableResult
    func request(_ method: HTTPMethod, _ path: String, json: String? = nil) async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 16 << 20)))
    }

    /// Every page of a `/transactions/sync` loop from `since`.
    func syncAll(
        _ connector: PlaidConnector,
        since: String? = nil,
        pageSize: Int
    ) async throws
        -> (records: [ProviderRecord], deleted: [String], pages: Int, checkpoint: String?)
    {
        var records: [ProviderRecord] = []
        var deleted: [String] = []
        var cursor: String?
        var pages = 0
        while true {
            let page = try await connector.list(ListRequest(entity: "bank_transactions", cursor: cursor, since: since, pageSize: pageSize))
            pages += 1
            records += page.records
            deleted += page.deletedIDs
            guard let next = page.nextCursor else { return (records, deleted, pages, page.checkpoint) }
            cursor = next
        }
    }
}
