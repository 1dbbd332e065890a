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

    /// Everything the process wrote to stdout and stderr so far.
    public var outputText: String { collected.text }

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
        try await Task.sleep(for: .milliseconds(50))  // let the pipe drain
        return (status, child.outputText)
    }
}

final class OutputBuffer: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func append(_ chunk: Data) {
        lock.lock()
        data.append(chunk)
        lock.unlock()
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }
}

/// A loopback TCP port nobody is listening on right now.
public func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EMFILE) }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let named = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    guard named == 0 else { throw POSIXError(.EINVAL) }
    return Int(UInt16(bigEndian: address.sin_port))
}
