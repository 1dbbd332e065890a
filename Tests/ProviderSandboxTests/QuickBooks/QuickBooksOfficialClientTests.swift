import Foundation
import XCTest

/// The sandbox as Intuit's Python libraries (`intuit-oauth`, `python-quickbooks`) see it.
final class QuickBooksOfficialClientTests: XCTestCase {
    func testPythonQuickBooksAuthorizesPagesWritesAndReadsChangesThroughTheSandbox() async throws {
        try await QuickBooksSandboxHarness.run(volume: 23) { harness in
            let result = try await OfficialClientScript.run(besides: #filePath, port: harness.port, package: "python-quickbooks intuit-oauth")
            XCTAssertEqual(result["refresh_rotated"] as? Bool, true)
            XCTAssertEqual(result["customers"] as? Int, 23)
            XCTAssertEqual(result["unique"] as? Int, 23)
            XCTAssertEqual(result["pages"] as? Int, 3)
            XCTAssertEqual(result["count"] as? Int, 23)
            XCTAssertEqual(result["filtered"] as? [String], ["1"])
            XCTAssertEqual(result["queried"] as? Int, 3)
            XCTAssertEqual(result["queried_first"] as? String, "23")
            XCTAssertEqual(result["created_token"] as? String, "0")
            XCTAssertEqual(result["updated_token"] as? String, "1")
            XCTAssertEqual(result["stale_error"] as? Int, 5010)
            XCTAssertEqual(result["validation_error"] as? Int, 2020)
            XCTAssertEqual(result["validation_detail"] as? String, "Required parameter Line is missing in the request")
            XCTAssertEqual(result["invoice_total"] as? Double, 99.5)
            XCTAssertEqual(result["cdc_customers"] as? [String], [result["created_id"] as? String ?? "?"])
            XCTAssertEqual(result["cdc_invoices"] as? [String], ["Deleted"])
        }
    }
}
