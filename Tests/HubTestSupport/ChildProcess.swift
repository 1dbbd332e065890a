import Foundation

/// One of the suite's executables run as a real process, for tests that need process boundaries:
/// migrations racing from two processes, services booting and shutting down on SIGTERM.
public final class ChildProcess: @unchecked Sendable {
    // @unchecked: `process` and `output` are only touched through their own thread-safe APIs.
    public let process = Process()
    private let output = Pipe()
    private let collected = OutputBuffer()

    /// - Parameters:
    ///   - executable: a product name (`hubctl`, `catalog-service`) in the test bin directory.
    public init(_ executable: String, arguments: [String] = [], environment: [String: String]) throws {
        process.executableURL = try TestEnvironment.binDirectory.appendingPathComponent(executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("HUB_") }
        env.merge(environment) { _, new in new }
        process.environment = env
        process.standardOutput = output
        process.standardError = output
        let collected = self.collected
        output.fileHandleForReading.readabilityHandler = { handle in
            collected.append(handle.availableData)
        }
    }

    public func start() throws {
        try process.run()
    }

    /// Waits for exit and returns the status.
    public func wait() async -> Int32 {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                self.process.waitUntilExit()
                continuation.resume(returning: self.process.terminationStatus)
            }
        }
    }

    /// Waits up to `limit` for exit, then SIGKILLs a process still running; its status. For tests
    /// that must not wait without end on a process that should have stopped.
    public func wait(upTo limit: Duration) async throws -> Int32 {
        _ = try await waitUntil(upTo: limit) { !process.isRunning }
        kill()
        return await wait()
    }

    /// Everything the process wrote to stdout and stderr so far.
    public var outputText: String { collected.text }

    /// Whether the process wrote `text` within `limit` (the pipe may also still hold the last
    /// lines of a process that exited).
    public func waitForOutput(containing text: String, upTo limit: Duration) async throws -> Bool {
        try await waitUntil(upTo: limit) { outputText.contains(text) }
    }

    public func terminate() { process.terminate() }

    public var isRunning: Bool { process.isRunning }

    public func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }

    deinit {
        kill()
        output.fileHandleForReading.readabilityHandler = nil
    }

    /// Runs to completion; returns status and output.
    public static func run(_ executable: String, arguments: [String] = [], environment: [String: String]) async throws -> (Int32, String) {
        let child = try ChildProcess(executable, arguments: arguments, environment: environment)
        try child.start()
        let status = await child.wait()
        // The pipe may still hold what it wrote last: read until its end (or give up after 10 s,
        // should a process it started keep the pipe open).
        _ = try await waitUntil(upTo: .seconds(10)) { child.collected.ended }
        return (status, child.outputText)
    }
}

final class OutputBuffer: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private var sawEnd = false

    /// A chunk read from the pipe; an empty one is its end.
    func append(_ chunk: Data) {
        lock.lock()
        if chunk.isEmpty { sawEnd = true } else { data.append(chunk) }
        lock.unlock()
    }

    /// Whether the pipe's end was read: every writer closed it.
    var ended: Bool {
        lock.lock()
        defer { lock.unlock() }
        return sawEnd
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }
}
