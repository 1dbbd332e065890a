import Foundation
import XCTest

/// The sandbox as simple-salesforce sees it.
final class SalesforceOfficialClientTests: XCTestCase {
    func testSimpleSalesforceQueriesWritesAndHitsCollectionsThroughTheSandbox() async throws {
        // 2,500 accounts: more than one 2,000-record batch.
        try await SalesforceSandboxHarness.run(volume: 2500) { harness in
            let result = try await OfficialClientScript.run(besides: #filePath, port: harness.port, package: "simple-salesforce")
            XCTAssertEqual(result["accounts"] as? Int, 2500)
            XCTAssertEqual(result["listed"] as? Int, 2500)
            XCTAssertEqual(result["unique"] as? Int, 2500)
            XCTAssertEqual(result["api_usage_total"] as? Int, 5_000_000)
            XCTAssertEqual(result["api_usage_used"] as? Int, 2)
            XCTAssertEqual(result["created"] as? Bool, true)
            XCTAssertEqual(result["account_name"] as? String, "Simple Co")
            XCTAssertEqual(result["update_status"] as? Int, 204)
            XCTAssertEqual(result["account_phone"] as? String, "(555) 123-4567")
            XCTAssertNotNil(result["contact_account"] as? String)
            XCTAssertEqual(result["delete_status"] as? Int, 204)
            XCTAssertEqual(result["deleted_read"] as? String, "NOT_FOUND")
            XCTAssertEqual(result["missing_field"] as? String, "REQUIRED_FIELD_MISSING")
            XCTAssertEqual(result["missing_fields"] as? [String], ["LastName"])
            XCTAssertEqual((result["updated_accounts"] as? [String])?.count, 1)
            XCTAssertEqual((result["deleted_contacts"] as? [String])?.count, 1)
            XCTAssertEqual(result["collection_success"] as? [Bool], [true, false])
            XCTAssertEqual(result["collection_error"] as? String, "REQUIRED_FIELD_MISSING")
            XCTAssertEqual(result["upsert_created"] as? [Bool], [true, false])
            XCTAssertEqual(result["upsert_same_id"] as? Bool, true)
            XCTAssertEqual(result["upserted_count"] as? Int, 1)
        }
    }
}
