import AsyncHTTPClient
import Foundation
import HubConnectors
import HubCore
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import ProviderSandbox

/// A sandbox running in-process on a free port, a Xero connector pointed at it with the seeded
/// tenant's token, and raw and admin calls, for the Xero tests.
struct XeroSandboxHarness: SandboxHarness {
    let port: Int
    let inboxPort: Int
    let inbox: WebhookInbox

    static func run(volume: Int = 20, _ body: @Sendable (XeroSandboxHarness) async throws -> Void) async throws {
        try await start(volume: volume, body)
    }

    var baseURL: String { "http://127.0.0.1:\(port)/xero" }

    func connector(
        token: String = XeroProvider.seededToken,
        tenant: String = XeroProvider.seededTenantID,
        retry: RetryPolicy = fastRetry
    ) -> XeroConnector {
        XeroConnector(
            context: ConnectorContext(
                credentials: ["access_token": token, "tenant_id": tenant],
                baseURL: baseURL,
                transport: ProviderTransport(retry: retry)
            )
        )
    }

    /// The seeded tenant's bearer token and tenant header.
    static var apiHeaders: HTTPHeaders {
        ["Authorization": "Bearer \(XeroProvider.seededToken)", "xero-tenant-id": XeroProvider.seededTenantID]
    }

    /// Changes objects behind the API's back, as a user in Xero would (no limits, webhooks fire).
    @discardableResult
    func adminSave(_ resource: String, _ json: String) async throws -> (status: Int, body: String, headers: HTTPHeaders) {
        try await request(.POST, "/_admin/xero/tenants/\(XeroProvider.seededTenantID)/\(resource)", json: json)
    }

    /// Every page of a listing (`DataConnector.listAll`).
    func listAll(
        _ connector: XeroConnector,
        _ entity: String,
        pageSize: Int = 100,
        since: String? = nil
    ) async throws -> (
        records: [ProviderRecord], deleted: [String], pages: Int, checkpoint: String?
    ) {
        try await connector.listAll(entity, pageSize: pageSize, since: since)
    }
}
