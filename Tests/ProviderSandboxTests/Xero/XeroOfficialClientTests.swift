import Foundation
import ProviderSandbox
import XCTest

/// The sandbox as Xero's own Python library (`xero-python`) sees it: paging with `where`,
/// `If-Modified-Since`, idempotent creates, updates, a `ValidationException`, contacts and tax rates.
final class XeroOfficialClientTests: XCTestCase {
    func testXeroPythonPagesCreatesUpdatesAndFailsThroughTheSandbox() async throws {
        try await XeroSandboxHarness.run(volume: 300) { harness in
            let result = try await OfficialClientScript.run(besides: #filePath, port: harness.port, package: "xero-python")
            // 300 seeded Invoices, a quarter of them bills.
            XCTAssertEqual(result["accrec_count"] as? Int, 225)
            XCTAssertEqual(result["accrec_unique"] as? Int, 225)
            XCTAssertEqual(result["pages"] as? Int, 3)
            XCTAssertEqual(result["page_count"] as? Int, 3)
            XCTAssertEqual(result["item_count"] as? Int, 225)
            XCTAssertEqual(result["first_type"] as? String, "ACCREC")
            XCTAssertEqual(result["first_date_is_date"] as? Bool, true)
            XCTAssertEqual(result["customers_first_page"] as? Int, 100)
            XCTAssertEqual(result["created_total"] as? String, "115")
            XCTAssertEqual(result["retry_same_id"] as? Bool, true)
            XCTAssertEqual(result["modified_since_ids"] as? [String], [result["created_id"] as? String ?? "-"])
            XCTAssertEqual(result["updated_reference"] as? String, "renamed by xero-python")
            XCTAssertEqual(result["updated_same_id"] as? Bool, true)
            XCTAssertEqual(result["invalid_raised"] as? String, "AccountingBadRequestException")
            XCTAssertEqual(result["invalid_reason"] as? String, "A Contact must be specified for this type of transaction")
            XCTAssertEqual(result["tax_rates"] as? [String], ["EXEMPTOUTPUT", "INPUT2", "NONE", "OUTPUT2", "ZERORATEDINPUT"])
        }
    }
}
