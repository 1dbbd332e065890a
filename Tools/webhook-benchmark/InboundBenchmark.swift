import AsyncHTTPClient
import BenchmarkSupport
import Crypto
import Foundation
import HubCore
import Logging
import NIOCore
import PostgresNIO

/// The inbound scenario: Shopify-signed `customers/update` webhooks posted to
/// `POST /webhooks/shopify` as fast as `publishers` concurrent requests allow. Each request is
/// verified (HMAC over the exact bytes), routed by shop domain, stored in PostgreSQL (deduplicated
/// on its webhook id) and acknowledged; the figure is acknowledgements per second. The processors
/// run meanwhile (each event becomes a stored customer record and a `customer.updated`
/// event); how long they take to drain the backlog is printed beside it.
struct InboundBenchmark {
    static let shop = "bench-shop.myshopify.com"
    static let clientSecret = "benchmark-shopify-secret"

    /// The service settings the scenario needs (the app secret the hub verifies with).
    static let environment = ["HUB_PROVIDER_SHOPIFY_CLIENT_ID": "benchmark-shopify-client", "HUB_PROVIDER_SHOPIFY_CLIENT_SECRET": clientSecret]

    let client: HTTPClient
    let baseURLs: [String]
    let database: DatabaseURL
    let events: Int
    let publishers: Int
    let cpu: ScenarioCPU

    func run() async throws -> (line: String, acknowledgedPerSecond: Double) {
        let connection = try await seedConnection()
        let requests = (0..<events).map(Self.request)
        let cpuAtStart = cpu.read()
        let start = DispatchTime.now().uptimeNanoseconds
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func add() {
                let index = next
                next += 1
                group.addTask { try await post(requests[index], to: baseURLs[index % baseURLs.count]) }
            }
            for _ in 0..<min(publishers, events) { add() }
            while try await group.next() != nil, next < events { add() }
            try await group.waitForAll()
        }
        let acknowledged = DispatchTime.now().uptimeNanoseconds
        let cpuAtAcknowledged = cpu.read()
        let (stored, drained) = try await waitForProcessing(connection: connection)
        let finished = DispatchTime.now().uptimeNanoseconds
        let cpuAtEnd = cpu.read()
        let ackSeconds = Double(acknowledged - start) / 1e9
        let line = String(
            format: "inbound: %d Shopify webhooks verified, stored and acknowledged in %.2f s = %.0f/s (%d rows stored); "
                + "processed into records and hub events by %.2f s = %.0f/s (%d processed)",
            events,
            ackSeconds,
            Double(events) / ackSeconds,
            stored,
            Double(finished - start) / 1e9,
            Double(drained) / (Double(finished - start) / 1e9),
            drained
        )
        // The processors run while webhooks are acknowledged, so the first window holds some of
        // their work too; the second is the rest of it.
        let split =
            "\n  " + ScenarioCPU.line(from: cpuAtStart, to: cpuAtAcknowledged, deliveries: events, unit: "a webhook while acknowledging")
            + "\n  " + ScenarioCPU.line(from: cpuAtAcknowledged, to: cpuAtEnd, deliveries: events, unit: "a webhook for the rest of the processing")
        return (line + split, Double(events) / ackSeconds)
    }

    /// One webhook as Shopify sends it: the customer, its topic, shop and a unique webhook id,
    /// signed over the exact body bytes.
    static func request(_ index: Int) -> (body: [UInt8], headers: [(String, String)]) {
        let body = Array(
            #"{"id":\#(7_000_000_000 + index),"email":"bench\#(index)@example.com","first_name":"Bench","last_name":"Customer \#(index)","updated_at":"2026-11-23T10:00:00Z","currency":"EUR"}"#
                .utf8
        )
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(clientSecret.utf8)))
        return (
            body,
            [
                ("content-type", "application/json"), ("x-shopify-topic", "customers/update"), ("x-shopify-shop-domain", shop),
                ("x-shopify-hmac-sha256", Data(mac).base64EncodedString()), ("x-shopify-webhook-id", UUID().uuidString.lowercased()),
            ]
        )
    }

    func post(_ webhook: (body: [UInt8], headers: [(String, String)]), to base: String) async throws {
        var request = HTTPClientRequest(url: base + "/webhooks/shopify")
        request.method = .POST
        for (name, value) in webhook.headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: webhook.body))
        let response = try await client.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 16)
        guard response.status == .ok else { throw BenchmarkError("webhook refused: \(response.status) \(String(buffer: body))") }
    }

    /// A connected shop with customers synced, as the OAuth flow and a sync configuration would leave it.
    func seedConnection() async throws -> UUID {
        let (organization, connection) = (UUID(), UUID())
        try await withDatabase { client, logger in
            try await client.query(
                """
                INSERT INTO connections (id, org_id, provider, name, status, account_id, created_by)
                VALUES (\(connection), \(organization), 'shopify', 'benchmark shop', 'connected', \(Self.shop), 'benchmark')
                """,
                logger: logger
            )
            try await client.query(
                """
                INSERT INTO sync_configs (id, org_id, connection_id, entity, direction, schedule)
                VALUES (\(UUID()), \(organization), \(connection), 'customers', 'pull', 'realtime')
                """,
                logger: logger
            )
        }
        return connection
    }

    /// Waits until no stored event is left unprocessed; returns the rows stored and processed.
    /// The wait asks only whether any is left (the processors' own partial index), every 100 ms,
    /// so the measuring costs the database next to nothing.
    func waitForProcessing(connection: UUID) async throws -> (stored: Int, processed: Int) {
        try await withDatabase { client, logger in
            let deadline = ContinuousClock.now + .seconds(600)
            while true {
                let rows = try await client.query(
                    "SELECT EXISTS (SELECT 1 FROM inbound_events WHERE status = 'received')",
                    logger: logger
                )
                var left = true
                for try await pending in rows.decode(Bool.self) { left = pending }
                if !left { break }
                guard ContinuousClock.now < deadline else { throw BenchmarkError("inbound events were not processed in time") }
                try await Task.sleep(for: .milliseconds(100))
            }
            let outcomes = try await client.query(
                """
                SELECT status, (attempts > 1)::bool, count(*)::int FROM inbound_events WHERE connection_id = \(connection)
                GROUP BY 1, 2 ORDER BY 1, 2
                """,
                logger: logger
            )
            var (stored, processed) = (0, 0)
            for try await (status, retried, count) in outcomes.decode((String, Bool, Int).self) {
                print("  inbound events \(status)\(retried ? " after a retry" : ""): \(count)")
                stored += count
                processed += status == "received" ? 0 : count
            }
            return (stored, processed)
        }
    }

    func withDatabase<T: Sendable>(_ body: (PostgresClient, Logger) async throws -> T) async throws -> T {
        let logger = Logger(label: "inbound-benchmark")
        return try await BenchmarkDatabase.withClient(database) { client in try await body(client, logger) }
    }
}
