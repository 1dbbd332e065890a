import Foundation
import XCTest

/// Sandbox fidelity: Stripe's own Python library (`stripe` on PyPI) drives the sandbox through
/// the paths the connector uses. The script is `official_client.py` beside this file; it needs
/// `python3 -m pip install stripe`, which `scripts/test` installs.
final class StripeOfficialClientTests: XCTestCase {
    func testOfficialPythonLibraryWorksAgainstTheSandbox() async throws {
        try await StripeSandboxHarness.run(volume: 25) { sandbox in
            let summary = try await OfficialClientScript.run(besides: #filePath, port: sandbox.port, package: "stripe")
            XCTAssertEqual(summary["created_metadata"] as? [String: String], ["source": "stripe-python"])
            XCTAssertEqual(summary["listed_count"] as? Int, 26, "25 seeded + 1 created, over 3 pages of 10")
            XCTAssertEqual(summary["listed_unique"] as? Int, 26)
            XCTAssertEqual(summary["listed_first"] as? String, summary["created_id"] as? String)
            XCTAssertEqual(summary["retrieved_email"] as? String, "official@example.com")
            XCTAssertEqual(summary["updated_name"] as? String, "Official Client Renamed")
            XCTAssertEqual(summary["updated_metadata"] as? [String: String], ["source": "stripe-python", "tier": "gold"])
            XCTAssertEqual(summary["idempotent_same_id"] as? Bool, true)
            XCTAssertEqual(summary["idempotent_replayed_header"] as? String, "true")
            XCTAssertEqual(summary["idempotency_mismatch_error"] as? String, "IdempotencyError")
            XCTAssertEqual(summary["deleted"] as? Bool, true)
            XCTAssertEqual(summary["missing_error"] as? String, "resource_missing")
            XCTAssertEqual(summary["payment_status"] as? String, "succeeded")
            XCTAssertEqual(summary["decline_error"] as? String, "card_declined")
            XCTAssertEqual(summary["latest_event_types"] as? [String], ["customer.deleted", "customer.created", "customer.updated"])
            XCTAssertEqual(summary["auth_error"] as? String, "AuthenticationError")
        }
    }
}
