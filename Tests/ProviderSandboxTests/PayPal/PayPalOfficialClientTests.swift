import Foundation
import XCTest

/// The sandbox as PayPal's official Python SDK (`paypal-server-sdk`) sees it.
final class PayPalOfficialClientTests: XCTestCase {
    func testPayPalServerSDKFetchesItsTokenAndSearchesTransactionsThroughTheSandbox() async throws {
        try await PayPalSandboxHarness.run(volume: 0) { harness in
            // 45 payments over 60 days: about half in the last 31 days.
            try await harness.seed(transactions: 45)
            let result = try await OfficialClientScript.run(besides: #filePath, port: harness.port, package: "paypal-server-sdk")
            let total = try XCTUnwrap(result["total_items"] as? Int)
            XCTAssertGreaterThan(total, 10, "more than one page")
            XCTAssertLessThan(total, 45, "only the 31-day window")
            XCTAssertEqual(result["transactions"] as? Int, total)
            XCTAssertEqual(result["unique"] as? Int, total)
            XCTAssertEqual(result["pages"] as? Int, (total + 9) / 10)
            XCTAssertEqual(result["tokens"] as? Int, 1, "one client-credentials token, reused")
            XCTAssertNotNil(result["first_amount"] as? String)
            XCTAssertNotNil(result["first_email"] as? String, "fields=all brings payer_info")
            XCTAssertEqual(result["wide_error"] as? String, "INVALID_REQUEST")
            XCTAssertEqual(result["wide_status"] as? Int, 400)
            XCTAssertEqual(result["wide_issue"] as? String, "INVALID_DATE_RANGE")
            XCTAssertEqual(result["refused_status"] as? Int, 401)
            XCTAssertEqual(result["refused_error"] as? String, "invalid_client")
        }
    }
}
