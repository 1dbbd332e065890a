import Foundation
import HubCore
import Testing

@testable import ProviderSandbox

/// The sandbox's Accounting API on its own: the query language subset, its faults, and the
/// per-realm throttle.
@Suite struct QuickBooksSandboxAPITests {
    static func query(
        _ harness: QuickBooksSandboxHarness,
        _ company: QuickBooksSandboxHarness.Company,
        _ text: String
    ) async throws
        -> (status: Int, body: JSONValue)
    {
        let escaped = text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
        return try await harness.api(.GET, company, "query?query=\(escaped)&minorversion=75")
    }

    static func ids(_ body: JSONValue, _ entity: String) -> [String] {
        body["QueryResponse"]?[entity]?.arrayValue?.compactMap { $0["Id"]?.stringValue } ?? []
    }

    @Test func theQueryLanguageFiltersOrdersAndPages() async throws {
        try await QuickBooksSandboxHarness.run { harness in
            let company = try await harness.company(["Invoice": 30, "Customer": 5])
            var answer = try await Self.query(harness, company, "SELECT * FROM Invoice WHERE Id IN ('3', '5', '40') ORDERBY Id DESC")
            #expect(Self.ids(answer.body, "Invoice") == ["5", "3"])
            #expect(answer.body["QueryResponse"]?["maxResults"] == .number(2))
            #expect(answer.body["time"]?.stringValue?.hasSuffix("-08:00") == true)

            answer = try await Self.query(harness, company, "select * from Invoice where Id > '10' startposition 5 maxresults 3")
            #expect(Self.ids(answer.body, "Invoice") == ["15", "16", "17"])
            #expect(answer.body["QueryResponse"]?["startPosition"] == .number(5))

            // Seeded invoices were last updated a minute apart, invoice 30 last.
            answer = try await Self.query(
                harness,
                company,
                "SELECT * FROM Invoice WHERE Metadata.LastUpdatedTime > '2024-12-31T15:57:30-08:00' ORDER BY Metadata.LastUpdatedTime DESC"
            )
            #expect(Self.ids(answer.body, "Invoice") == ["30", "29", "28"])

            answer = try await Self.query(harness, company, "SELECT COUNT(*) FROM Invoice WHERE CustomerRef = '2'")
            #expect(answer.body["QueryResponse"]?["totalCount"] == .number(6))

            answer = try await Self.query(harness, company, "SELECT * FROM Customer WHERE DisplayName LIKE '% 4'")
            #expect(Self.ids(answer.body, "Customer") == ["4"])

            answer = try await Self.query(harness, company, "SELECT * FROM Invoice WHERE Id = '999'")
            #expect(answer.body["QueryResponse"]?["Invoice"] == nil)
            #expect(answer.body["QueryResponse"]?["maxResults"] == .number(0))
        }
    }

    @Test func badQueriesAreFaults() async throws {
        try await QuickBooksSandboxHarness.run { harness in
            let company = try await harness.company()
            var answer = try await Self.query(harness, company, "SELECT * FROM Invoice MAXRESULTS 1001")
            #expect(answer.status == 400)
            #expect(answer.body["Fault"]?["Error"]?.arrayValue?.first?["code"] == .string("4001"))
            #expect(
                answer.body["Fault"]?["Error"]?.arrayValue?.first?["Detail"]
                    == .string("QueryValidationError: value 1001 is too large. Max allowed value is 1000")
            )
            answer = try await Self.query(harness, company, "SELECT * FROM Widget")
            #expect(answer.status == 400)
            answer = try await Self.query(harness, company, "SELECT * FROM Invoice WHERE")
            #expect(answer.body["Fault"]?["Error"]?.arrayValue?.first?["code"] == .string("4000"))
            let unauthorized = try await harness.request(.GET, "/quickbooks/v3/company/\(company.realm)/invoice/1")
            #expect(unauthorized.status == 401)
            let elsewhere = try await harness.request(
                .GET,
                "/quickbooks/v3/company/123/invoice/1",
                headers: ["Authorization": "Bearer \(company.token)"]
            )
            #expect(elsewhere.status == 403)
        }
    }

    @Test func theThrottleCountsAMinuteAndTenAtATimePerRealm() {
        let throttle = QuickBooksThrottle()
        let start = ContinuousClock.now
        for _ in 0..<10 { #expect(throttle.admit("1", now: start) == .allowed) }
        #expect(throttle.admit("1", now: start) == .limited(retryAfter: 1), "an eleventh at once")
        #expect(throttle.admit("2", now: start) == .allowed, "another realm")
        throttle.release("1")
        #expect(throttle.admit("1", now: start) == .allowed)
        for _ in 0..<11 { throttle.release("1") }
        for _ in 0..<489 {
            #expect(throttle.admit("1", now: start) == .allowed)
            throttle.release("1")
        }
        #expect(throttle.admit("1", now: start + .seconds(30)) == .limited(retryAfter: 31), "the 501st in a minute")
        #expect(throttle.admit("1", now: start + .seconds(60)) == .allowed, "the next minute")
    }

    @Test func theThrottleAdmitsTenInAnySecondPerRealmAndCountsWhatItRefuses() {
        let throttle = QuickBooksThrottle()
        #expect(throttle.settings.perSecond == nil, "off unless put")
        throttle.settings.perSecond = 10
        let start = ContinuousClock.now
        for step in 0..<10 {
            #expect(throttle.admit("1", now: start + .milliseconds(step * 50)) == .allowed)
            throttle.release("1")
        }
        #expect(throttle.admit("1", now: start + .milliseconds(999)) == .limited(retryAfter: 1), "an eleventh within a second")
        #expect(throttle.admit("2", now: start + .milliseconds(999)) == .allowed, "another realm")
        // The window slides: a second after the first request, one more is due.
        #expect(throttle.admit("1", now: start + .milliseconds(1_000)) == .allowed)
        #expect(throttle.admit("1", now: start + .milliseconds(1_010)) == .limited(retryAfter: 1))
        #expect(throttle.rejected == ["1": 2])
        throttle.settings = throttle.settings
        #expect(throttle.rejected.isEmpty, "putting the settings zeroes the counts")
    }
}
