import Foundation
import XCTest

/// The sandbox as Shopify's own Python library (`ShopifyAPI`) sees it.
final class ShopifyOfficialClientTests: XCTestCase {
    func testShopifyAPIPagesCreatesAndReadsThroughTheSandbox() async throws {
        try await ShopifySandboxHarness.run(volume: 23) { harness in
            let result = try await Self.runScript(port: harness.port)
            XCTAssertEqual(result["shop"] as? String, ShopifySandboxHarness.shop)
            XCTAssertEqual(result["products"] as? Int, 23)
            XCTAssertEqual(result["unique"] as? Int, 23)
            XCTAssertEqual(result["pages"] as? Int, 3)
            XCTAssertEqual(result["saved"] as? Bool, true)
            XCTAssertEqual(result["created_title"] as? String, "Made by ShopifyAPI")
            XCTAssertEqual(result["created_price"] as? String, "9.99")
            XCTAssertEqual(result["invalid_saved"] as? Bool, false)
            // pyactiveresource files errors on attributes the object lacks under "base".
            XCTAssertEqual(result["invalid_errors"] as? [String], ["can't be blank"])
        }
    }

    /// Runs `official_client.py` beside this file and decodes the JSON it prints.
    static func runScript(port: Int, file: String = #filePath) async throws -> [String: Any] {
        try await OfficialClientScript.run(besides: file, port: port, package: "ShopifyAPI")
    }
}
