import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A throwaway `redis-server` for one test: its own loopback port and data directory, no
/// persistence unless asked for, killed and deleted when the object goes away.
///
/// The binary is `$HUB_TEST_REDIS_SERVER` if set, else `redis-server` from `PATH`. ``stop()``
/// and ``start()`` restart it on the same port, to test how clients ride out a Redis restart.
///
/// ```swift
/// let redis = try await RedisServerProcess.start()
/// let client = RedisClient(configuration: try RedisConfiguration(url: redis.url), logger: logger)
/// ```
public final class RedisServerProcess: Sendable {
    /// The TCP port on 127.0.0.1.
    public let port: Int
    /// The server's working directory (append-only files, log file).
    public let directory: URL
    /// `redis://127.0.0.1:<port>`.
    public var url: String { "redis://127.0.0.1:\(self.port)" }

    private let executable: String
    private let arguments: [String]
    /// The server's pid while it runs (spawned and not yet reaped).
    private let pid = Mutex<pid_t?>(nil)

    /// Starts a server and waits until it answers `PING`.
    ///
    /// - Parameter extraArguments: Appended to the defaults and overriding them, e.g.
    ///   `["--appendonly", "yes", "--appendfsync", "always"]` for data that survives a restart.
    public static func start(extraArguments: [String] = []) async throws -> RedisServerProcess {
        var lastError: (any Error)?
        // A port found free can be taken by someone else before redis binds it; try a few.
        for _ in 0..<3 {
            let server = try RedisServerProcess(port: try freePort(), extraArguments: extraArguments)
            do {
                try await server.start()
                return server
            } catch {
                lastError = error
            }
        }
        throw lastError ?? RedisServerProcessError.didNotStart("unknown reason")
    }

    private init(port: Int, extraArguments: [String]) throws {
        self.port = port
        self.executable = try Self.findExecutable()
        self.directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("hub-redis-test-\(port)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        self.arguments =
            [
                "--port", String(port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--dir", self.directory.path,
                "--logfile", self.directory.appendingPathComponent("redis.log").path,
                "--daemonize", "no",
            ] + extraArguments
    }

    deinit {
        self.pid.withLock { pid in
            guard let running = pid else { return }
            kill(running, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(running, &status, 0)
            pid = nil
        }
        try? FileManager.default.removeItem(at: self.directory)
    }

    /// Starts the server (again) on the same port and waits until it answers `PING`.
    public func start() async throws {
        let pid = try Self.spawn(self.executable, arguments: self.arguments)
        self.pid.withLock { $0 = pid }

        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(10)
        while clock.now < deadline {
            guard self.isRunning else {
                throw RedisServerProcessError.didNotStart("redis-server exited: \(self.logTail())")
            }
            if Self.answersPing(port: self.port) {
                return
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        await self.stop()
        throw RedisServerProcessError.didNotStart("no PONG within 10 s: \(self.logTail())")
    }

    /// Stops the server: `SIGTERM`, then `SIGKILL` if it has not exited after 5 seconds.
    public func stop() async {
        guard let pid = self.pid.withLock({ $0 }), self.isRunning else { return }
        kill(pid, SIGTERM)
        if await self.waitForExit(upTo: .seconds(5)) { return }
        kill(pid, SIGKILL)
        _ = await self.waitForExit(upTo: .seconds(5))
    }

    /// Whether the server process is running; reaps it once it has exited.
    public var isRunning: Bool {
        self.pid.withLock { pid in
            guard let running = pid else { return false }
            var status: Int32 = 0
            if waitpid(running, &status, WNOHANG) == 0 {
                return true
            }
            pid = nil
            return false
        }
    }

    // MARK: Helpers

    private func waitForExit(upTo timeout: Duration) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while self.isRunning, clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return !self.isRunning
    }

    /// Starts `executable` with `posix_spawn`, resetting the signal mask and dispositions.
    ///
    /// Foundation's `Process` hands the child the spawning thread's signal mask, and Swift
    /// concurrency's worker threads block almost every signal: a redis-server started from a test
    /// would never see `SIGTERM`. Its output goes to /dev/null (it logs to its log file).
    private static func spawn(_ executable: String, arguments: [String]) throws -> pid_t {
        #if canImport(Glibc)
        var attributes = posix_spawnattr_t()
        var fileActions = posix_spawn_file_actions_t()
        #else
        var attributes: posix_spawnattr_t?
        var fileActions: posix_spawn_file_actions_t?
        #endif
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaultSignals = sigset_t()
        sigemptyset(&defaultSignals)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1, SIGUSR2, SIGCHLD] {
            sigaddset(&defaultSignals, signal)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        posix_spawn_file_actions_init(&fileActions)
        defer { posix_spawn_file_actions_destroy(&fileActions) }
        posix_spawn_file_actions_addopen(&fileActions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&fileActions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&fileActions, 2, "/dev/null", O_WRONLY, 0)

        let environment = ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &fileActions, &attributes, argv, envp)
        guard result == 0 else {
            throw RedisServerProcessError.didNotStart("posix_spawn \(executable) failed: \(String(cString: strerror(result)))")
        }
        return pid
    }

    private func logTail() -> String {
        let log = self.directory.appendingPathComponent("redis.log")
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return String(text.suffix(500))
    }

    private static func findExecutable() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        if let configured = environment["HUB_TEST_REDIS_SERVER"], !configured.isEmpty {
            return configured
        }
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/redis-server"
            if FileManager.default.isExecutableFile(atPath: candidate) {
                return candidate
            }
        }
        throw RedisServerProcessError.didNotStart("redis-server not found on PATH; set HUB_TEST_REDIS_SERVER")
    }

    /// One short blocking `PING` over loopback (connect is refused at once while nothing listens;
    /// this runs only in tests, for a millisecond at a time).
    private static func answersPing(port: Int) -> Bool {
        let socketFD = loopbackTCPSocket()
        guard socketFD >= 0 else { return false }
        defer { close(socketFD) }
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(socketFD, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = loopbackAddress(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return false }
        let request = Array("PING\r\n".utf8)
        guard send(socketFD, request, request.count, 0) == request.count else { return false }
        var reply = [UInt8](repeating: 0, count: 64)
        let received = recv(socketFD, &reply, reply.count, 0)
        guard received > 0 else { return false }
        // A server started with --requirepass answers NOAUTH, which is just as ready.
        let text = String(decoding: reply[0..<received], as: UTF8.self)
        return text.hasPrefix("+PONG") || text.hasPrefix("-NOAUTH")
    }
}

/// Why a ``RedisServerProcess`` could not be started.
public enum RedisServerProcessError: Error, CustomStringConvertible {
    case didNotStart(String)

    public var description: String {
        switch self {
        case .didNotStart(let reason): "redis-server did not start: \(reason)"
        }
    }
}
