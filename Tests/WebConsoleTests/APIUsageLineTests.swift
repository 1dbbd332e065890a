import Foundation
import HubCore
import Testing

@testable import WebConsole

/// The connection page says how much of the provider's API allowance the account has used, once
/// a sync has seen the figure, and nothing before.
@Suite struct APIUsageLineTests {
    static func connection(usage: JSONValue?) -> JSONValue {
        var fields: [String: JSONValue] = [
            "id": "6f1c0000-0000-4000-8000-000000000002", "provider": "salesforce", "name": "Salesforce", "status": "connected",
            "account_id": "00D000000000001", "credential_fields": ["access_token", "instance_url"],
        ]
        fields["api_usage"] = usage
        return .object(fields)
    }

    @Test func aReportedAllowanceIsOneLine() async throws {
        let renderer = try await PageRenderer.bundled()
        let usage: JSONValue = ["used": 1234, "limit": 15000, "observed_at": "2026-12-04T21:00:00.000Z"]
        let values = try await ConnectionPages.summary(Self.connection(usage: usage))
        let html = renderer.html("connection", values)
        #expect(html.contains("<dt>API usage</dt><dd>Salesforce API: 1,234 of 15,000 calls today (8 %)</dd>"))
    }

    @Test func noReportedAllowanceShowsNoLine() async throws {
        let renderer = try await PageRenderer.bundled()
        let values = try await ConnectionPages.summary(Self.connection(usage: nil))
        #expect(!renderer.html("connection", values).contains("API usage"))
    }

    @Test func figuresAreGroupedInThrees() {
        #expect(ConnectionPages.grouped(0) == "0")
        #expect(ConnectionPages.grouped(999) == "999")
        #expect(ConnectionPages.grouped(1_000) == "1,000")
        #expect(ConnectionPages.grouped(1_234_567) == "1,234,567")
    }
}
