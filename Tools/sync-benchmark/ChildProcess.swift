import BenchmarkSupport
import Foundation

/// A process the benchmark started (sandbox, Redis, sync-worker, the extractor), its output going
/// to a log file. Stopped with SIGTERM (then SIGKILL) by `stop()`; never by name.
final class ChildProcess: @unchecked Sendable {
    let name: String
    let log: URL
    private let process = Process()

    init(_ name: String, executable: String, arguments: [String], environment: [String: String]? = nil, log: URL, stdout: URL? = nil) throws {
        self.name = name
        self.log = log
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let logHandle = try FileHandle(forWritingTo: log)
        process.standardError = logHandle
        if let stdout {
            FileManager.default.createFile(atPath: stdout.path, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: stdout)
        } else {
            process.standardOutput = logHandle
        }
        process.standardInput = FileHandle.nullDevice
    }

    func start() throws {
        do {
            try process.run()
        } catch {
            throw BenchmarkError("could not start \(name) (\(process.executableURL?.path ?? "?")): \(error)")
        }
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }
    var exitStatus: Int32 { process.terminationStatus }

    /// The last lines of the log, for error messages.
    func tail(_ lines: Int = 15) -> String {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    /// Waits for the process to exit on its own.
    func wait() async {
        while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
    }

    /// SIGTERM, up to `grace` to exit, then SIGKILL.
    func stop(grace: Duration = .seconds(10)) async {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = ContinuousClock.now + grace
        while process.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        await wait()
    }
}
