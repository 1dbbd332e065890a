import AsyncHTTPClient
import BenchmarkSupport
import Foundation
import HubCore
import Logging
import PostgresNIO

#if canImport(Glibc)
import Glibc
#endif

/// The servers a run needs besides the hub: a Redis of its own and the provider sandbox (the
/// release binary, as a child process); and what the given PostgreSQL server is.
enum BenchmarkServers {
    /// Starts `redis-server` on a free loopback port, without persistence, and waits for `PING`.
    static func startRedis(binary: String, directory: URL) async throws -> (ChildProcess, url: String) {
        let port = try freePort()
        let data = directory.appendingPathComponent("redis-\(port)", isDirectory: true)
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let redis = try ChildProcess(
            "redis-server",
            executable: binary,
            arguments: ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", data.path],
            log: directory.appendingPathComponent("redis-\(port).log")
        )
        try redis.start()
        try await waitUntil("redis-server on port \(port)", process: redis) { try await redisAnswers(port: port) }
        return (redis, "redis://127.0.0.1:\(port)/0")
    }

    /// Whether something accepts TCP connections on the loopback port (Redis listens once ready).
    static func redisAnswers(port: Int) async throws -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return connected == 0
    }

    /// Starts `provider-sandbox serve` at `volume` and waits until its Stripe API answers.
    static func startSandbox(binary: String, volume: Int, directory: URL) async throws -> (ChildProcess, url: String) {
        let port = try freePort()
        let sandbox = try ChildProcess(
            "provider-sandbox",
            executable: binary,
            arguments: ["serve", "--host", "127.0.0.1", "--port", String(port), "--volume", String(volume)],
            log: directory.appendingPathComponent("provider-sandbox.log")
        )
        try sandbox.start()
        let url = "http://127.0.0.1:\(port)"
        try await waitUntil("provider-sandbox on port \(port)", process: sandbox) {
            var request = HTTPClientRequest(url: url + "/stripe/v1/account")
            request.headers.add(name: "Authorization", value: "Bearer sk_test_sandbox")
            guard let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(2)) else { return false }
            _ = try? await response.body.collect(upTo: 1 << 20)
            return response.status == .ok
        }
        return (sandbox, url)
    }

    /// Polls `ready` every 100 ms for up to 60 s; fails early if the process exits.
    static func waitUntil(_ what: String, process: ChildProcess, _ ready: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if try await ready() { return }
            guard process.isRunning else { throw BenchmarkError("\(what) exited (\(process.exitStatus)):\n\(process.tail())") }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BenchmarkError("\(what) did not become ready in 60 s:\n\(process.tail())")
    }

    // MARK: PostgreSQL

    /// The server's version line and the settings that move write throughput most.
    static func serverVersion(admin: DatabaseURL) async throws -> String {
        try await BenchmarkDatabase.withClient(admin) { client in
            let rows = try await client.query(
                """
                SELECT split_part(version(), ' on ', 1), current_setting('fsync'), current_setting('synchronous_commit'),
                    current_setting('shared_buffers')
                """
            )
            for try await (version, fsync, commit, buffers) in rows.decode((String, String, String, String).self) {
                return "\(version) (fsync=\(fsync), synchronous_commit=\(commit), shared_buffers=\(buffers))"
            }
            return "unknown"
        }
    }
}
