import Foundation
import XCTest

/// Runs a provider's official-client script (`official_client.py` beside a test file) against the
/// sandbox on `port` and decodes the JSON summary it prints. A failing script fails the test with
/// its standard error and the pip package it needs.
enum OfficialClientScript {
    static func run(besides file: String, port: Int, package: String) async throws -> [String: Any] {
        let script = URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("official_client.py")
        let (status, stdout, stderr) = try await execute(["python3", script.path, String(port)])
        let decoded = (try? JSONSerialization.jsonObject(with: stdout)) as? [String: Any]
        if let message = decoded?["error"] as? String { XCTFail(message) }
        guard status == 0, let decoded else {
            XCTFail("official_client.py failed (\(status)); needs `pip install \(package)`:\n\(String(decoding: stderr, as: UTF8.self))")
            return [:]
        }
        return decoded
    }

    /// Runs `arguments` through `/usr/bin/env` and returns its exit status and everything it wrote.
    /// Both pipes are drained while the process runs: a pipe holds 64 KiB, and a child that fills
    /// one would otherwise block forever on a parent waiting for it to exit.
    static func execute(_ arguments: [String]) async throws -> (status: Int32, stdout: Data, stderr: Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        async let stdout = readToEnd(output.fileHandleForReading)
        async let stderr = readToEnd(errors.fileHandleForReading)
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
            do {
                try process.run()
            } catch {
                // Never started: close the write ends so the readers see the end of their pipes.
                process.terminationHandler = nil
                try? output.fileHandleForWriting.close()
                try? errors.fileHandleForWriting.close()
                continuation.resume(throwing: error)
            }
        }
        return (status, await stdout, await stderr)
    }

    /// Reads until the writers close, on a thread of its own rather than one of the concurrency pool's.
    private static func readToEnd(_ handle: FileHandle) async -> Data {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: handle.readDataToEndOfFile()) }
        }
    }
}
