import Foundation
import HubCore
import HubTestSupport
import XCTest

/// Three workers pulling three connections to one Shopify shop, with the sandbox answering a
/// share of calls 429: every job completes with the store exact, and the calls that reached the
/// shop never exceeded the rate the hub keeps to per provider account (shared through Redis).
final class SyncRateLimitTests: XCTestCase {
    func testWorkersShareOneAccountsLimitThrough429s() async throws {
        try await SyncHarness.run(volume: 60, environment: ["HUB_PROVIDER_SHOPIFY_RATE_LIMIT": "6/3"]) { harness in
            _ = try await harness.sandbox.send(.PUT, "/_admin/faults/shopify", json: #"{"rate_limit_share":0.25,"retry_after_seconds":0.2}"#)
            var made: [(token: String, connection: String)] = []
            for _ in 0..<3 {
                let org = UUID()
                made.append((try await harness.hub.token(organization: org), try await harness.connectShopify(organization: org)))
            }
            let connections = made
            _ = try await harness.sandbox.send(.DELETE, "/_admin/stats/shopify")
            try await harness.withWorkers(3) {
                var jobs: [(String, String)] = []
                for (token, connection) in connections {
                    let job = try await harness.trigger(token, connection: connection, json: #"{"entity":"products"}"#)
                    jobs.append((token, try XCTUnwrap(job["id"]?.stringValue)))
                }
                for (token, id) in jobs {
                    let done = try await harness.waitForJob(token, id, timeout: .seconds(120))
                    XCTAssertEqual(done["status"]?.stringValue, "completed", "\(done)")
                }
            }
            let stats = try await harness.sandbox.send(.GET, "/_admin/stats/shopify").json
            let total = stats["total"]?.intValue ?? 0
            let peak = stats["peak_per_second"]?.intValue ?? Int.max
            // 3 jobs × 7 pages, plus the refused attempts repeated.
            XCTAssertGreaterThan(total, 21, "the injected 429s were retried: \(stats)")
            // 6 a second with a burst of 3: no one-second window can hold more than 9.
            XCTAssertLessThanOrEqual(peak, 9, "the shop saw more than the limit: \(stats)")
            let expected = try await harness.directListing(
                provider: "shopify",
                fields: ["shop_domain": SyncHarness.shop, "access_token": "shpat_sandbox"],
                entity: "products"
            )
            for (_, connection) in connections {
                let stored = try await harness.storedRecords(connection: connection, entity: "products")
                XCTAssertEqual(stored, expected)
            }
        }
    }
}
