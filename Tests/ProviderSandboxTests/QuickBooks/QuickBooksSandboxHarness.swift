import AsyncHTTPClient
import Foundation
import HubConnectors
import HubCore
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import ProviderSandbox

/// A sandbox running in-process on a free port, a recording webhook endpoint, companies made
/// through the admin API (each test its own realm and volumes), and connectors pointed at them.
struct QuickBooksSandboxHarness: SandboxHarness {
    let port: Int
    let inboxPort: Int
    let inbox: WebhookInbox

    static func run(volume: Int = 20, _ body: @Sendable (QuickBooksSandboxHarness) async throws -> Void) async throws {
        try await start(volume: volume, body)
    }

    /// A company of its own with `volumes` per Accounting API entity (`["Invoice": 2500]`; others
    /// at the sandbox's volume): its realm and an access token for it.
    struct Company: Sendable {
        var realm: String
        var token: String
    }

    func company(_ volumes: [String: Int] = [:]) async throws -> Company {
        let counts = volumes.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",")
        let (status, body, _) = try await request(.POST, "/_admin/quickbooks/companies", json: "{\"volumes\":{\(counts)}}")
        guard status == 201, let json = JSONReader.parse(Array(body.utf8)), let realm = json["realm_id"]?.stringValue,
            let token = json["access_token"]?.stringValue
        else { throw SandboxHarnessError.unexpected("company: \(status) \(body)") }
        return Company(realm: realm, token: token)
    }

    func connector(_ company: Company, retry: RetryPolicy = fastRetry) -> QuickBooksConnector {
        QuickBooksConnector(
            context: ConnectorContext(
                credentials: ["realm_id": company.realm, "access_token": company.token],
                baseURL: "http://127.0.0.1:\(port)/quickbooks",
                transport: ProviderTransport(retry: retry)
            )
        )
    }

    /// An Accounting API call as `company`.
    func api(_ method: HTTPMethod, _ company: Company, _ path: String, json: String? = nil) async throws -> (status: Int, body: JSONValue) {
        let result = try await request(
            method,
            "/quickbooks/v3/company/\(company.realm)/\(path)",
            json: json,
            headers: ["Authorization": "Bearer \(company.token)"]
        )
        return (result.status, JSONReader.parse(Array(result.body.utf8)) ?? .null)
    }

    /// Registers the inbox as the sandbox's QuickBooks webhook endpoint.
    func subscribeInbox() async throws {
        try await request(.PUT, "/_admin/webhooks/quickbooks", json: #"{"url":"http://127.0.0.1:\#(inboxPort)/hook"}"#)
    }

    /// Every record of a listing, following the cursor to the end.
    func listAll(
        _ connector: QuickBooksConnector,
        _ entity: String,
        pageSize: Int,
        since: String? = nil
    ) async throws
        -> (records: [ProviderRecord], deleted: [String], pages: Int, checkpoint: String?)
    {
        try await connector.listAll(entity, pageSize: pageSize, since: since)
    }
}
