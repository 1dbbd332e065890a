import Foundation
import HubCore
import HubTestSupport
import Testing

/// Many tenants on a rate-limited provider: two workers pulling six QuickBooks companies at once
/// keep every company under QuickBooks' 10 requests in any second (the sandbox enforces it and
/// counts what it refuses), because the hub's limiter is per company and shared through Redis.
@Suite struct SyncTenantRateLimitTests {
    @Test func twoWorkersKeepEveryCompanyUnderItsLimit() async throws {
        try await SyncHarness.run(volume: 5, environment: ["HUB_SYNC_CONCURRENCY": "3"]) { harness in
            var jobs: [(token: String, connection: String)] = []
            for _ in 0..<6 {
                let organization = UUID()
                let connection = try await harness.connectQuickBooks(organization: organization, volumes: ["Invoice": 150]).connection
                jobs.append((try await harness.hub.token(organization: organization), connection))
            }
            let reset = try await harness.sandbox.send(.PUT, "/_admin/quickbooks/throttle", json: #"{"per_second": 10}"#)
            #expect(reset.status == 200)
            let targets = jobs
            try await harness.withWorkers(2) {
                var ids: [(String, String)] = []
                for (token, connection) in targets {
                    let job = try await harness.trigger(token, connection: connection, json: #"{"entity":"invoices"}"#)
                    ids.append((token, try #require(job["id"]?.stringValue)))
                }
                for (token, id) in ids {
                    let done = try await harness.waitForJob(token, id, timeout: .seconds(120))
                    #expect(done["status"]?.stringValue == "completed", "\(done)")
                    #expect(done["counts"]?["created"]?.intValue == 150, "\(done)")
                }
            }
            let refused = try await harness.sandbox.send(.GET, "/_admin/quickbooks/throttle/rejections")
            #expect(refused.json["total"]?.intValue == 0, "the sandbox answered 429: \(refused.text)")
        }
    }
}
