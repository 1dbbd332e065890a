import Foundation
import XCTest

/// The sandbox as Plaid's own Python library (`plaid-python`) sees it.
final class PlaidOfficialClientTests: XCTestCase {
    func testPlaidPythonLinksAnItemAndSyncsEveryTransaction() async throws {
        try await PlaidSandboxHarness.run(volume: 25) { harness in
            let result = try await Self.runScript(port: harness.port)
            XCTAssertEqual(result["access_token_prefix"] as? String, "access-sandbox")
            XCTAssertEqual(result["added"] as? Int, 25)
            XCTAssertEqual(result["unique"] as? Int, 25)
            XCTAssertEqual(result["pages"] as? Int, 3)
            XCTAssertEqual(result["accounts"] as? Int, 3)
            XCTAssertEqual(result["error_code"] as? String, "INVALID_ACCESS_TOKEN")
        }
    }

    /// Runs `official_client.py` beside this file and decodes the JSON it prints.
    static func runScript(port: Int, file: String = #filePath) async throws -> [String: Any] {
        try await OfficialClientScript.run(besides: file, port: port, package: "plaid-python")
    }
}
