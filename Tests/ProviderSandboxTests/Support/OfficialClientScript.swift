import Foundation
import XCTest

/// Runs a provider's official-client script (`official_client.py` beside a test file) against the
/// sandbox on `port` and decodes the JSON summary it prints. A failing script fails the test with
/// its standard error and the pip package it needs.
enum OfficialClientScript {
    static func run(besides file: String, port: Int, package: String) async throws -> [String: Any] {
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
            XCTFail("official_client.py failed (\(process.terminationStatus)); needs `pip install \(package)`:\n\(stderr)")
            return [:]
        }
        return decoded
    }
}
