import Foundation
import HubTestSupport

/// Checks received deliveries with the `standardwebhooks` PyPI package (the reference
/// implementation, not the hub's signing code): for each message, which of the given secrets
/// verify it. `scripts/test` installs the package.
enum StandardWebhooksVerifier {
    static let script = #"""
        import base64, json, sys
        from standardwebhooks.webhooks import Webhook
        out = []
        for line in sys.stdin:
            item = json.loads(line)
            body = base64.b64decode(item["body"])
            results = []
            for secret in item["secrets"]:
                try:
                    Webhook(secret).verify(body, item["headers"])
                    results.append(True)
                except Exception:
                    results.append(False)
            out.append(results)
        print(json.dumps(out))
        """#

    /// For each message, one flag per secret: whether that secret's signature verifies.
    static func verify(_ messages: [WebhookReceiver.Message], secrets: [String]) throws -> [[Bool]] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swh-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let scriptURL = directory.appendingPathComponent("verify.py")
        try Data(script.utf8).write(to: scriptURL)
        var input = Data()
        for message in messages {
            let line: [String: Any] = ["body": message.body.base64EncodedString(), "headers": message.headers, "secrets": secrets]
            input.append(try JSONSerialization.data(withJSONObject: line))
            input.append(0x0A)
        }
        let inputURL = directory.appendingPathComponent("input.jsonl")
        try input.write(to: inputURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", scriptURL.path]
        process.standardInput = try FileHandle(forReadingFrom: inputURL)
        let outputURL = directory.appendingPathComponent("output.json")
        FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: outputURL)
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw VerifierError.failed(process.terminationStatus) }
        return try JSONDecoder().decode([[Bool]].self, from: Data(contentsOf: outputURL))
    }

    enum VerifierError: Error {
        case failed(Int32)
    }
}
