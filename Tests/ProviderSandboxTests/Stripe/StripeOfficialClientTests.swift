@testable import HubConnectors
import Foundation
import HubCore
import XCTest

/// Sandbox fidelity: Stripe's own Python library (`stripe` on PyPI) drives the sandbox through
/// the paths the connector uses. The script is `official_client.py` beside this file; it needs
/// `python3 -m pip install stripe`, which `scripts/test` installs.
final class StripeOfficialClientTests: XCTestCase {
    func testOfficialPythonLibraryWorksAgainstTheSandbox() async throws {
        try await StripeSandboxHarness.run(volume: 25) { sandbox in
            let (status, output, errors) = try await Self.runScript(environment: [
                "STRIPE_API_BASE": sandbox.baseURL, "STRIPE_API_KEY": StripeSandboxHarness.apiKey,
            ])
            guard status != 3 else {
                return XCTFail("Stripe's Python library is missing: install it with `python3 -m pip install stripe` (\(output))")
            }
            guard status == 0 else { return XCTFail("the script failed (\(status)): \(output)\n\(errors)") }
            let summary = try JSONDecoder().decode(JSONValue.self, from: Data(output.utf8))
            XCTAssertEqual(summary[stripe: "created_metadata"], .object(["source": "stripe-python"]))
            XCTAssertEqual(summary[stripe: "listed_count"]?.stripeInt, 26, "25 seeded + 1 created, over 3 pages of 10")
            XCTAssertEqual(summary[stripe: "listed_unique"]?.stripeInt, 26)
            XCTAssertEqual(summary[stripe: "listed_first"], summary[stripe: "created_id"])
            XCTAssertEqual(summary[stripe: "retrieved_email"]?.stripeString, "official@example.com")
            XCTAssertEqual(summary[stripe: "updated_name"]?.stripeString, "Official Client Renamed")
            XCTAssertEqual(summary[stripe: "updated_metadata"], .object(["source": "stripe-python", "tier": "gold"]))
            XCTAssertEqual(summary[stripe: "idempotent_same_id"]?.stripeBool, true)
            XCTAssertEqual(summary[stripe: "idempotent_replayed_header"]?.stripeString, "true")
            XCTAssertEqual(summary[stripe: "idempotency_mismatch_error"]?.stripeString, "IdempotencyError")
            XCTAssertEqual(summary[stripe: "deleted"]?.stripeBool, true)
            XCTAssertEqual(summary[stripe: "missing_error"]?.stripeString, "resource_missing")
            XCTAssertEqual(summary[stripe: "payment_status"]?.stripeString, "succeeded")
            XCTAssertEqual(summary[stripe: "decline_error"]?.stripeString, "card_declined")
            XCTAssertEqual(
                summary[stripe: "latest_event_types"], .array(["customer.deleted", "customer.created", "customer.updated"]))
            XCTAssertEqual(summary[stripe: "auth_error"]?.stripeString, "AuthenticationError")
        }
    }

    /// Runs the script with `python3` and returns its exit status, standard output and standard
    /// error, without blocking a concurrency thread while it runs.
    static func runScript(environment: [String: String]) async throws -> (Int32, String, String) {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("official_client.py")
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("stripe-official-\(UUID().uuidString).json")
        let errors = output.appendingPathExtension("stderr")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: output)
            try? FileManager.default.removeItem(at: errors)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        let errorText = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        return (status, text.trimmingCharacters(in: .whitespacesAndNewlines), errorText)
    }
}
