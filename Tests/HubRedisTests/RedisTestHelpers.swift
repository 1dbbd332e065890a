import HubRedis
import HubTestSupport
import Logging

/// A logger that drops everything: reconnect warnings are expected in these tests.
let quietLogger = Logger(label: "hub-redis-tests", factory: { _ in SwiftLogNoOpLogHandler() })

/// Runs `body` against a throwaway redis-server and a client connected to it, then shuts both
/// down (also when `body` throws).
func withRedis<T>(
    serverArguments: [String] = [],
    configure: (inout RedisConfiguration) -> Void = { _ in },
    _ body: (RedisServerProcess, RedisClient) async throws -> T
) async throws -> T {
    let server = try await RedisServerProcess.start(extraArguments: serverArguments)
    var configuration = try RedisConfiguration(url: server.url)
    configure(&configuration)
    let client = RedisClient(configuration: configuration, logger: quietLogger)
    do {
        let result = try await body(server, client)
        await client.shutdown()
        await server.stop()
        return result
    } catch {
        await client.shutdown()
        await server.stop()
        throw error
    }
}

/// Retries `operation` until it succeeds or `timeout` passes (for "eventually" assertions
/// after a restart, where the first attempts are expected to fail).
func eventually<T>(
    within timeout: Duration = .seconds(5),
    _ operation: () async throws -> T
) async throws -> T {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while true {
        do {
            return try await operation()
        } catch {
            guard clock.now < deadline else { throw error }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// Measures how long `operation` takes.
func timed<T>(_ operation: () async throws -> T) async rethrows -> (T, Duration) {
    let clock = ContinuousClock()
    let start = clock.now
    let result = try await operation()
    return (result, clock.now - start)
}

/// Kills every normal client connection of the server, as an operator or a network failure
/// would, using a separate client.
func killClientConnections(of server: RedisServerProcess, password: String? = nil) async throws {
    var configuration = try RedisConfiguration(url: server.url)
    configuration.password = password
    let killer = RedisClient(configuration: configuration, logger: quietLogger)
    try await killer.send("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes")
    await killer.shutdown()
}

/// Waits until the server reports `count` clients blocked in a command (`BLPOP`, `XREADGROUP …
/// BLOCK`), so a test acts while the block is really in flight rather than after a guessed sleep.
func waitUntilBlocked(_ client: RedisClient, count: Int = 1) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now + .seconds(30)
    while clock.now < deadline {
        let info = try await client.send("INFO", "clients").string ?? ""
        if info.contains("blocked_clients:\(count)\r") {
            return
        }
        try await Task.sleep(for: .milliseconds(5))
    }
    throw RedisError.timeout
}
