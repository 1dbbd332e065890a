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
        let script = URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("official_client.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, String(port)]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let decoded = (try? JSONSerialization.jsonObject(with: stdout)) as? [String: Any]
        if let message = decoded?["error"] as? String { XCTFail(message) }
        guard process.terminationStatus == 0, let decoded else {
            XCTFail("official_client.py failed (\(process.terminationStatus)); needs `pip install ShopifyAPI`:\n\(stderr)")
            return [:]
        }
        return decoded
    }
}
