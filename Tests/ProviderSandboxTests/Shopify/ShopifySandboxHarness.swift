import AsyncHTTPClient
import Foundation
import HubConnectors
import HubCore
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import ProviderSandbox
import Synchronization
import XCTest

/// A sandbox running in-process on a free port, a connector pointed at it, a recording webhook
/// endpoint, and admin calls, for the Shopify tests.
struct ShopifySandboxHarness: SandboxHarness {
    static let shop = "hub-sandbox.myshopify.com"
    let port: Int
    let inboxPort: Int
    let inbox: WebhookInbox

    static func run(volume: Int = 23, _ body: @Sendable (ShopifySandboxHarness) async throws -> Void) async throws {
        try await start(volume: volume, body)
    }

    var baseURL: String { "http://127.0.0.1:\(port)/shopify/{shop}" }

    func connector(token: String = "shpat_sandbox", retry: RetryPolicy = fastRetry) -> ShopifyConnector {
        ShopifyConnector(
            context: ConnectorContext(
                credentials: ["shop_domain": Self.shop, "access_token": token],
                baseURL: baseURL,
                transport: ProviderTransport(retry: retry)
            )
        )
    }

    /// Registers the inbox as the sandbox's Shopify webhook endpoint.
    func subscribeInbox() async throws {
        try await request(.PUT, "/_admin/webhooks/shopify", json: #"{"url":"http://127.0.0.1:\#(inboxPort)/hook"}"#)
    }

    /// Every record of a full listing, following the cursor to the end.
    func listAll(
        _ connector: ShopifyConnector,
        _ entity: String,
        pageSize: Int,
        since: String? = nil
    ) async throws
        -> (records: [ProviderRecord], pages: Int, checkpoint: String?)
    {
        var records: [ProviderRecord] = []
        var cursor: String?
        var pages = 0
        while true {
            let page = try await connector.list(ListRequest(entity: entity, cursor: cursor, since: since, pageSize: pageSize))
            pages += 1
            records += page.records
            guard let next = page.nextCursor else { return (records, pages, page.checkpoint) }
            cursor = next
        }
    }
}

/// A webhook endpoint that keeps every delivery (raw body and headers).
final class WebhookInbox: Sendable {
    struct Delivery: Sendable {
        var headers: HTTPHeaders
        var body: [UInt8]
    }

    private let deliveries = Mutex<[Delivery]>([])

    var received: [Delivery] { deliveries.withLock { $0 } }

    func application() -> some ApplicationProtocol {
        let router = Router()
        router.post("hook") { request, _ -> HTTPResponse.Status in
            let body = try await request.body.collect(upTo: 1 << 20)
            var headers = HTTPHeaders()
            for field in request.headers { headers.add(name: field.name.canonicalName, value: field.value) }
            self.deliveries.withLock { $0.append(Delivery(headers: headers, body: Array(buffer: body))) }
            return .ok
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }
}
