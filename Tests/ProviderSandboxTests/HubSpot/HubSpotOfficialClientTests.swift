import Foundation
import ProviderSandbox
import XCTest

/// The sandbox as HubSpot's own Python library (`hubspot-api-client`) sees it: `get_page` with
/// `after` paging and associations, `do_search`, `batch_api.create`, the v4 association batch
/// writes (`create_default`, `archive`, and `create` with the primary type, read back with its
/// labels), and errors as `ApiException`s carrying HubSpot's status and body.
final class HubSpotOfficialClientTests: XCTestCase {
    func testHubSpotApiClientPagesSearchesCreatesAndFailsThroughTheSandbox() async throws {
        try await HubSpotSandboxHarness.run(volume: 250) { harness in
            let result = try await OfficialClientScript.run(besides: #filePath, port: harness.port, package: "hubspot-api-client")
            XCTAssertEqual(result["listed"] as? Int, 250)
            XCTAssertEqual(result["listed_unique"] as? Int, 250)
            XCTAssertEqual(result["pages"] as? Int, 3)
            XCTAssertEqual(result["first_email"] as? String, "contact1@example.com")
            XCTAssertEqual(result["first_company"] as? String, HubSpotProvider.seededID("companies", 0))
            // Seeded contacts changed a second apart from 2026-01-01; the filter starts at the 101st.
            XCTAssertEqual(result["search_total"] as? Int, 150)
            XCTAssertEqual(result["search_first_email"] as? String, "contact101@example.com")
            XCTAssertEqual(result["search_next_after"] as? String, "10")
            XCTAssertEqual(result["batch_status"] as? String, "COMPLETE")
            XCTAssertEqual(result["batch_created"] as? [String], ["Ada", "Bo"])
            XCTAssertEqual((result["fetched_email"] as? String)?.hasPrefix("a-"), true)
            XCTAssertEqual(result["associated_status"] as? String, "COMPLETE")
            XCTAssertEqual(result["associated_type_ids"] as? [Int], [279], "contact to company, unlabeled")
            let company = HubSpotProvider.seededID("companies", 0)
            XCTAssertEqual(result["associated_after_archive"] as? [[String]], [[company], []])
            XCTAssertEqual(result["primary_status"] as? String, "COMPLETE")
            XCTAssertEqual(result["primary_labels"] as? [[String]], [["Primary"]])
            XCTAssertEqual(result["primary_type_ids"] as? [Int], [1, 279], "the primary type and the unlabeled one")
            XCTAssertEqual(result["primary_v3_types"] as? [String], ["contact_to_company", "contact_to_company_unlabeled"])
            XCTAssertEqual(result["missing_raised"] as? String, "NotFoundException")
            XCTAssertEqual(result["missing_status"] as? Int, 404)
            XCTAssertEqual(result["missing_category"] as? String, "OBJECT_NOT_FOUND")
            XCTAssertEqual(result["missing_has_correlation"] as? Bool, true)
            XCTAssertEqual(result["ceiling_status"] as? Int, 400)
            XCTAssertEqual(result["ceiling_category"] as? String, "VALIDATION_ERROR")
        }
    }
}
