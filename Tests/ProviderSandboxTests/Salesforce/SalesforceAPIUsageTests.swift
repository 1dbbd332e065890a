import Foundation
import HubCore
import NIOHTTP1
import ProviderSandbox
import Testing

@testable import HubConnectors

/// Every listed page carries the org's daily API usage from `Sforce-Limit-Info`, and a header the
/// connector cannot read yields no figure rather than a failed call.
@Suite struct SalesforceAPIUsageTests {
    @Test func aListedPageCarriesTheUsageTheSandboxCounted() async throws {
        try await SalesforceSandboxHarness.run(volume: 5) { harness in
            let set = try await harness.request(.PUT, "/_admin/salesforce/limits", json: #"{"daily_api_requests":15000}"#, headers: [:])
            #expect(set.status == 200)
            let connector = harness.connector()
            let first = try await connector.list(ListRequest(entity: "customers"))
            #expect(first.quota?.used == 1)
            #expect(first.quota?.limit == 15_000)
            let second = try await connector.list(ListRequest(entity: "contacts"))
            #expect(second.quota?.used == 2)
        }
    }

    @Test func theHeaderIsReadWhateverFollowsAndIgnoredWhenMalformed() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        func quota(_ value: String) -> ProviderQuota? {
            SalesforceConnector.quota(HTTPHeaders([("Sforce-Limit-Info", value)]), at: now)
        }
        #expect(quota("api-usage=25/15000") == ProviderQuota(used: 25, limit: 15_000, observedAt: now))
        #expect(quota("api-usage=18/5000; per-app-api-usage=17/250(appName=sample-app)")?.used == 18)
        #expect(quota("per-app-api-usage=17/250(appName=sample-app)") == nil)
        #expect(quota("api-usage=many/15000") == nil)
        #expect(quota("api-usage=1/0") == nil)
        #expect(SalesforceConnector.quota([:], at: now) == nil)
    }

    @Test func theStoredFormRoundTrips() throws {
        let quota = ProviderQuota(used: 1_234, limit: 15_000, observedAt: Date(timeIntervalSince1970: 1_800_000_000.25))
        let stored = try #require(ProviderQuota(json: quota.json))
        #expect(stored.used == 1_234 && stored.limit == 15_000)
        #expect(abs(stored.observedAt.timeIntervalSince1970 - 1_800_000_000.25) < 0.001)
        #expect(ProviderQuota(json: ["used": 1]) == nil)
    }
}
