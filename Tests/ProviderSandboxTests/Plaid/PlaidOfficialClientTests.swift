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
            XCTFail("official_client.py failed (\(process.terminationStatus)); needs `pip install plaid-python`:\n\(stderr)")
            return [:]
        }
        return decoded
    }
}
