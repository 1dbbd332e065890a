import Foundation
import HubConnectors
import HubCore
import HubTestSupport
import NIOHTTP1
import ProviderSandbox
import XCTest

/// A Salesforce pull leaves the org's daily API usage, as the last response reported it, on the
/// connection resource. XCTest, like the `SyncHarness` it runs on.
final class SalesforceAPIUsageTests: XCTestCase {
    func testAPullLeavesTheOrgsAPIUsageOnTheConnection() async throws {
        // Three pages of 200, so the figure kept is the last page's, not the first's.
        let environment = ["HUB_SYNC_PAGE_SIZE": "200", "HUB_PROVIDER_SALESFORCE_RATE_LIMIT": "1000/1000"]
        try await SyncHarness.run(volume: 450, environment: environment) { harness in
            let org = UUID()
            let token = try await harness.hub.token(organization: org)
            let connection = try await harness.connectDirectly(organization: org, provider: "salesforce", fields: harness.salesforceFields)
            let resource = "/api/v1/integrations/connections/\(connection)"
            let before = try await harness.request(.get, resource, token: token)
            XCTAssertNil(before.json["api_usage"], "no usage before a sync: \(before.text)")
            // A new day with an allowance of 15,000.
            _ = try await harness.sandbox.send(.PUT, "/_admin/salesforce/limits", json: #"{"daily_api_requests":15000}"#)

            try await harness.withWorkers(1) {
                let pulled = try await harness.sync(token, connection: connection, entity: "customers")
                XCTAssertEqual(pulled["status"]?.stringValue, "completed", "\(pulled)")
                XCTAssertEqual(pulled["counts"]?["created"]?.intValue, 450, "\(pulled)")
            }
            // The sandbox's own count, read through its `/limits` resource (which counts itself).
            let limits = try await harness.sandbox.send(
                .GET,
                "/salesforce/services/data/\(SalesforceConnector.apiVersion)/limits",
                headers: ["Authorization": "Bearer \(SalesforceProvider.seededToken)"]
            )
            let daily = try XCTUnwrap(limits.json["DailyApiRequests"], limits.text)
            let max = try XCTUnwrap(daily["Max"]?.intValue)
            let usedBySync = max - (try XCTUnwrap(daily["Remaining"]?.intValue)) - 1
            XCTAssertEqual(max, 15_000)
            XCTAssertGreaterThanOrEqual(usedBySync, 3, "three query pages at least")

            let after = try await harness.request(.get, resource, token: token)
            XCTAssertEqual(after.status, .ok, after.text)
            let usage = try XCTUnwrap(after.json["api_usage"], "api_usage after a sync: \(after.text)")
            XCTAssertEqual(usage["limit"]?.intValue, 15_000, after.text)
            XCTAssertEqual(usage["used"]?.intValue, usedBySync, "the last page's figure: \(after.text)")
            let observed = try XCTUnwrap(usage["observed_at"]?.stringValue.flatMap(ISOTimestamp.unix(iso:)), after.text)
            XCTAssertLessThan(abs(observed - Date().timeIntervalSince1970), 600, "observed during the test")
        }
    }
}
