import HubCore
import XCTest

@testable import HubConnectors

/// How the Stripe connector behaves when Stripe rate-limits, fails, refuses the key, or loses a
/// response: faults injected through the sandbox's admin API.
final class StripeConnectorFaultTests: XCTestCase {
    func testRateLimitIsWaitedOutForAsLongAsStripeAsksThenSucceeds() async throws {
        try await StripeSandboxHarness.run(volume: 5) { sandbox in
            try await sandbox.setFaults(#"{"rate_limit_next":2,"retry_after_seconds":1}"#)
            let started = ContinuousClock.now
            let page = try await sandbox.connector().list(ListRequest(entity: "customers", pageSize: 100))
            let elapsed = ContinuousClock.now - started
            XCTAssertEqual(page.records.count, 5)
            // Two 429s with Retry-After: 1 → at least two seconds waited, though the test's own
            // backoff is milliseconds.
            XCTAssertGreaterThanOrEqual(elapsed, .seconds(2))
            XCTAssertLessThan(elapsed, .seconds(10))
        }
    }

    func testRateLimitWithoutRetryAfterBacksOffExponentially() {
        let transport = ProviderTransport(retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(100), maxDelay: .seconds(1)))
        let request = ProviderRequest(method: .GET, url: "http://localhost/v1/customers")
        let limited = StripeErrorMapper(entity: "customers").classify(
            ProviderResponse(
                status: 429,
                headers: ["Stripe-Should-Retry": "true"],
                body: Array(#"{"error":{"type":"invalid_request_error","code":"rate_limit","message":"slow down"}}"#.utf8)
            )
        )
        XCTAssertEqual(limited, .rateLimited(retryAfter: nil))
        XCTAssertNotNil(transport.delay(before: 2, after: limited, request: request))
        XCTAssertNil(transport.delay(before: 4, after: limited, request: request), "gives up after the policy's attempts")
    }

    func testExpiredCredentialIsAuthenticationFailedWithoutRetrying() async throws {
        try await StripeSandboxHarness.run(volume: 2) { sandbox in
            try await sandbox.setFaults(#"{"expire_credentials":true}"#)
            _ = try await sandbox.admin(.DELETE, "stats/stripe")
            do {
                _ = try await sandbox.connector().testConnection()
                XCTFail("an expired key was accepted")
            } catch let error as ConnectorError {
                guard case .authenticationFailed(let message) = error else { return XCTFail("\(error)") }
                XCTAssertTrue(message.contains("Expired API Key"), message)
            }
            let requests = try await sandbox.requestCount()
            XCTAssertEqual(requests, 1, "a refused key is not retried")
        }
    }

    func testWrongKeyIsAuthenticationFailed() async throws {
        try await StripeSandboxHarness.run(volume: 2) { sandbox in
            let connector = sandbox.connector(apiKey: "sk_test_revokedKey0000000000")
            await assertThrowsStripeConnectorError(
                try await connector.list(ListRequest(entity: "customers")),
                .authenticationFailed("Invalid API Key provided: sk_test_************0000")
            )
            let missing = StripeConnector(
                context: ConnectorContext(credentials: [:], baseURL: sandbox.baseURL, transport: ProviderTransport(retry: .none))
            )
            await assertThrowsStripeConnectorError(
                try await missing.testConnection(),
                .authenticationFailed("the connection has no 'api_key' credential")
            )
        }
    }

    func testBurstOfServerErrorsIsRetriedAndTheListingSurvives() async throws {
        try await StripeSandboxHarness.run(volume: 12) { sandbox in
            let connector = sandbox.connector()
            let first = try await connector.list(ListRequest(entity: "customers", pageSize: 5))
            try await sandbox.setFaults(#"{"server_error_next":3}"#)
            _ = try await sandbox.admin(.DELETE, "stats/stripe")
            let second = try await connector.list(ListRequest(entity: "customers", cursor: first.nextCursor, pageSize: 5))
            XCTAssertEqual(second.records.count, 5)
            let requests = try await sandbox.requestCount()
            XCTAssertEqual(requests, 4, "three 500s, then the answer")
            let ids = try await sandbox.ids("customers")
            XCTAssertEqual((first.records + second.records).map(\.externalID), Array(ids.prefix(10)))
        }
    }

    func testServerErrorsBeyondThePolicyAreUnavailable() async throws {
        try await StripeSandboxHarness.run(volume: 2) { sandbox in
            try await sandbox.setFaults(#"{"server_error_next":10}"#)
            let connector = sandbox.connector(retry: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(1), maxDelay: .milliseconds(2)))
            await assertThrowsStripeConnectorError(
                try await connector.get("customers", id: "cus_x"),
                .unavailable(status: 500, message: "An unknown error occurred. Please try again later.")
            )
        }
    }

    /// Stripe processed the create but the answer was lost: the retry carries the same
    /// Idempotency-Key, Stripe replays the first result, and there is one customer, not two.
    func testWriteWhoseResponseWasLostIsRetriedWithoutCreatingTwice() async throws {
        try await StripeSandboxHarness.run(volume: 3) { sandbox in
            let lose = try await sandbox.admin(.PUT, "stripe/faults", json: #"{"lose_responses_next":1}"#)
            XCTAssertEqual(lose.status, 204)
            let before = try await sandbox.ids("customers")
            let created = try await sandbox.connector().create("customers", fields: ["name": "Once"], idempotencyKey: nil)
            let after = try await sandbox.ids("customers")
            XCTAssertEqual(after.count, before.count + 1)
            XCTAssertEqual(after.first, created.externalID)

            // The caller's own key makes a repeated call (a job retried from scratch) safe too.
            let first = try await sandbox.connector().create("customers", fields: ["name": "Keyed"], idempotencyKey: "job-9")
            let again = try await sandbox.connector().create("customers", fields: ["name": "Keyed"], idempotencyKey: "job-9")
            XCTAssertEqual(first, again)
            await assertThrowsStripeConnectorError(
                try await sandbox.connector().create("customers", fields: ["name": "Other"], idempotencyKey: "job-9"),
                .conflict(
                    "Keys for idempotent requests can only be used with the same parameters they were first used with. "
                        + "Try using a key other than 'job-9' if you meant to execute a different request."
                )
            )
            let final = try await sandbox.ids("customers")
            XCTAssertEqual(final.count, before.count + 2)
        }
    }
}
