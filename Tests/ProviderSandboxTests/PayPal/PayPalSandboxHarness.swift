import Foundation
import HubConnectors
import HubCore
import Hummingbird
import HummingbirdTesting
import NIOHTTP1
import ProviderSandbox

/// The sandbox in-process (`SandboxHarness`), PayPal connectors pointed at it (with the seeded
/// token, or with the REST app's credentials for a client-credentials grant), and raw and admin
/// calls, for the PayPal tests.
struct PayPalSandboxHarness: SandboxHarness {
    let port: Int
    let inboxPort: Int
    let inbox: WebhookInbox

    static let clientID = "paypal-sandbox-client"
    static let clientSecret = "paypal-sandbox-secret"

    static func run(volume: Int = 20, _ body: @Sendable (PayPalSandboxHarness) async throws -> Void) async throws {
        try await start(volume: volume, body)
    }

    var baseURL: String { "http://127.0.0.1:\(port)/paypal" }

    func connector(token: String = PayPalProvider.seededToken, retry: RetryPolicy = fastRetry) -> PayPalConnector {
        connector(credentials: ["access_token": token, "client_id": Self.clientID, "client_secret": Self.clientSecret], retry: retry)
    }

    func connector(credentials: [String: String], retry: RetryPolicy = fastRetry) -> PayPalConnector {
        PayPalConnector(context: ConnectorContext(credentials: credentials, baseURL: baseURL, transport: ProviderTransport(retry: retry)))
    }

    /// A PayPal API call with the seeded token.
    func api(_ method: HTTPMethod, _ path: String, json: String? = nil) async throws -> (status: Int, body: String, headers: HTTPHeaders) {
        try await request(method, path, json: json, headers: ["Authorization": "Bearer \(PayPalProvider.seededToken)"])
    }

    /// Seeds the account afresh with these volumes.
    func seed(transactions: Int, invoices: Int = 0, disputes: Int = 0) async throws {
        let reply = try await request(
            .PUT,
            "/_admin/paypal/volumes",
            json: #"{"transactions":\#(transactions),"invoices":\#(invoices),"disputes":\#(disputes)}"#
        )
        guard reply.status == 200 else { throw SandboxHarnessError.unexpected("volumes: \(reply.status) \(reply.body)") }
    }

    /// A payment PayPal lists late: it happened `hoursAgo` hours ago. Returns its id.
    func latePayment(hoursAgo: Double) async throws -> String {
        let reply = try await request(.POST, "/_admin/paypal/transactions", json: #"{"hours_ago":\#(hoursAgo),"amount_cents":4321}"#)
        return JSONReader.parse(Array(reply.body.utf8))?["transaction_info"]?["transaction_id"]?.stringValue ?? ""
    }

    /// How many invoices the account holds.
    func invoiceCount() async throws -> Int {
        let reply = try await request(.GET, "/_admin/paypal/summary")
        return JSONReader.parse(Array(reply.body.utf8))?["invoices"]?.intValue ?? -1
    }
}
