import BenchmarkSupport
import Foundation
import HubCore

/// The same pull done by Singer's `tap-stripe` (PyPI), the widely used open-source Stripe
/// extractor, against the same sandbox: its records written to a file, timed.
///
/// Pointing it at the sandbox: tap-stripe instruments the stripe library's HTTP client with a
/// timer that parses the stream name out of `https://api.stripe.com/v1/<stream>` and crashes on
/// any other address, so setting `stripe.api_base` alone does not work. The wrapper below leaves
/// the address alone and rewrites it in the HTTP client underneath instead (the tap's own code,
/// pagination and record handling run unchanged). The sandbox also has no
/// `GET /v1/accounts/{id}` (the tap's start-up connectivity check), only `GET /v1/account`,
/// which real Stripe answers with the same object for one's own account: the wrapper sends the
/// check there.
struct TapStripePull {
    struct Figures {
        var version: String
        var records: Int
        var wallSeconds: Double
        var peakRSS: Int?

        var recordsPerSecond: Double { Double(records) / wallSeconds }
    }

    /// The tap's version, pinned so runs compare.
    static let version = "3.3.0"

    let venv: URL
    let sandboxURL: String
    let entity: String
    let directory: URL

    static let wrapper = """
        import re, sys
        import stripe.http_client
        SANDBOX = sys.argv.pop(1).rstrip("/")
        _request = stripe.http_client.RequestsClient.request
        def _to_sandbox(self, method, url, headers, post_data=None):
            url = re.sub(r"^https://api\\.stripe\\.com/v1/accounts/[^/?]+", "https://api.stripe.com/v1/account", url)
            return _request(self, method, url.replace("https://api.stripe.com", SANDBOX, 1), headers, post_data)
        stripe.http_client.RequestsClient.request = _to_sandbox
        import tap_stripe
        tap_stripe.main()

        """

    static let select = """
        import json, sys
        catalog = json.load(open(sys.argv[1]))
        catalog["streams"] = [s for s in catalog["streams"] if s["tap_stream_id"] == sys.argv[2]]
        for entry in catalog["streams"][0]["metadata"]:
            if entry["breadcrumb"] == []:
                entry["metadata"]["selected"] = True
        json.dump(catalog, open(sys.argv[3], "w"))

        """

    func run() async throws -> Figures {
        let python = try await ensureVenv()
        let wrapper = directory.appendingPathComponent("tap_stripe_sandbox.py")
        try Self.wrapper.write(to: wrapper, atomically: true, encoding: .utf8)
        let selectScript = directory.appendingPathComponent("select_stream.py")
        try Self.select.write(to: selectScript, atomically: true, encoding: .utf8)
        // One date window over all the seeded data (the default, 30 days, only adds empty pages).
        let config = directory.appendingPathComponent("tap-config.json")
        try #"{"client_secret":"sk_test_sandbox","account_id":"acct_sandbox","start_date":"2020-01-01T00:00:00Z","date_window_size":"3650"}"#
            .write(to: config, atomically: true, encoding: .utf8)

        let catalog = directory.appendingPathComponent("tap-catalog.json")
        try await runToEnd(
            "tap-stripe --discover",
            python,
            [wrapper.path, sandboxURL + "/stripe", "--config", config.path, "--discover"],
            stdout: catalog
        )
        let selected = directory.appendingPathComponent("tap-catalog-\(entity).json")
        try await runToEnd("select the stream", python, [selectScript.path, catalog.path, entity, selected.path])

        let output = directory.appendingPathComponent("tap-stripe-\(entity).jsonl")
        let tap = try ChildProcess(
            "tap-stripe",
            executable: python,
            arguments: [wrapper.path, sandboxURL + "/stripe", "--config", config.path, "--catalog", selected.path],
            log: directory.appendingPathComponent("tap-stripe.log"),
            stdout: output
        )
        let clock = ContinuousClock()
        let start = clock.now
        try tap.start()
        var peak: Int?
        while tap.isRunning {
            if let now = ProcessMemory.peak(tap.pid) { peak = max(peak ?? 0, now) }
            try await Task.sleep(for: .milliseconds(50))
        }
        let wall = (clock.now - start).inSeconds
        guard tap.exitStatus == 0 else { throw BenchmarkError("tap-stripe failed (\(tap.exitStatus)):\n\(tap.tail())") }
        return Figures(version: Self.version, records: try Self.countRecords(output), wallSeconds: wall, peakRSS: peak)
    }

    /// Singer RECORD messages in the tap's output (one JSON message a line).
    static func countRecords(_ file: URL) throws -> Int {
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        let marker = Array(#""type": "RECORD""#.utf8)
        var count = 0
        var carry: [UInt8] = []
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            carry.append(contentsOf: chunk)
            var lineStart = 0
            for index in carry.indices where carry[index] == UInt8(ascii: "\n") {
                if Self.contains(carry[lineStart..<index], marker) { count += 1 }
                lineStart = index + 1
            }
            carry.removeFirst(lineStart)
        }
        return count
    }

    static func contains(_ line: ArraySlice<UInt8>, _ marker: [UInt8]) -> Bool {
        // Singer writes `{"type": "RECORD", ...}`: the marker sits in the first few bytes.
        let head = line.prefix(64)
        guard head.count >= marker.count else { return false }
        for offset in head.startIndex...(head.endIndex - marker.count) where head[offset..<(offset + marker.count)].elementsEqual(marker) {
            return true
        }
        return false
    }

    /// The venv with tap-stripe, made on first use (`python3 -m venv`, `pip install tap-stripe`).
    func ensureVenv() async throws -> String {
        let python = venv.appendingPathComponent("bin/python").path
        let installed = venv.appendingPathComponent(".tap-stripe-\(Self.version)")
        if FileManager.default.fileExists(atPath: installed.path) { return python }
        print("  installing tap-stripe \(Self.version) into \(venv.path) (once)")
        try await runToEnd("python3 -m venv", "/usr/bin/env", ["python3", "-m", "venv", venv.path])
        try await runToEnd(
            "pip install tap-stripe",
            python,
            ["-m", "pip", "install", "-q", "--disable-pip-version-check", "tap-stripe==\(Self.version)"]
        )
        FileManager.default.createFile(atPath: installed.path, contents: nil)
        return python
    }

    private func runToEnd(_ what: String, _ executable: String, _ arguments: [String], stdout: URL? = nil) async throws {
        let name = what.replacingOccurrences(of: " ", with: "-").filter { $0.isLetter || $0.isNumber || $0 == "-" }
        let process = try ChildProcess(
            what,
            executable: executable,
            arguments: arguments,
            log: directory.appendingPathComponent("\(name).log"),
            stdout: stdout
        )
        try process.start()
        await process.wait()
        guard process.exitStatus == 0 else { throw BenchmarkError("\(what) failed (\(process.exitStatus)):\n\(process.tail())") }
    }
}
