import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// The process's Redis client: one multiplexed, pipelining connection for ordinary commands and a
/// small pool of dedicated connections for blocking ones.
///
/// Create one per process and run it as a service of the application's `ServiceGroup`, which
/// closes its connections on shutdown; list it before the services that use it, since a group
/// shuts its services down in reverse order. Commands work without `run()` too (tests, tools); call
/// ``shutdown()`` when done. Connections are opened lazily and reopened after they drop, with
/// `AUTH` and `SELECT` replayed, so the client survives Redis restarts without being recreated.
///
/// ```swift
/// let redis = RedisClient(configuration: try RedisConfiguration(url: url), logger: logger)
/// try await redis.set("greeting", "hello", expiry: .milliseconds(500))
/// let value = try await redis.get("greeting")
/// ```
public final class RedisClient: Sendable, Service {
    /// Where the client connects, and its timeouts.
    public let configuration: RedisConfiguration
    let logger: Logger
    private let multiplexed: RedisReconnectingConnection
    private let blocking: RedisBlockingConnectionPool

    /// Creates a client; no connection is opened until the first command.
    ///
    /// - Parameters:
    ///   - configuration: Server address, credentials, database and timeouts.
    ///   - eventLoopGroup: Where the connections' I/O runs; the client does not own it.
    ///   - logger: Receives connection events (reconnects, timeouts), never passwords.
    public init(
        configuration: RedisConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger
    ) {
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "redis_server"] = "\(configuration.host):\(configuration.port)"
        self.logger = logger
        self.multiplexed = RedisReconnectingConnection(
            configuration: configuration,
            eventLoopGroup: eventLoopGroup,
            logger: logger
        )
        self.blocking = RedisBlockingConnectionPool(
            configuration: configuration,
            eventLoopGroup: eventLoopGroup,
            logger: logger
        )
    }

    // MARK: Service

    /// Waits for graceful shutdown (or cancellation) of the service group, then closes all
    /// connections.
    public func run() async throws {
        try? await gracefulShutdown()
        await self.shutdown()
    }

    /// Closes all connections; commands in flight fail with ``RedisError/connectionClosed``,
    /// later ones with ``RedisError/clientShutdown``.
    public func shutdown() async {
        await self.multiplexed.shutdown()
        await self.blocking.shutdown()
    }

    // MARK: Commands

    /// Sends one command on the shared connection and returns its reply.
    ///
    /// Concurrent calls are pipelined on the one connection; each gets its own reply. Cancelling
    /// the calling task does not abandon a command already written (that would desynchronise the
    /// replies); it completes or fails within the command timeout.
    /// - Throws: ``RedisError/server(_:)`` for an error reply, or a connection-level
    ///   ``RedisError``.
    @discardableResult
    public func send(_ command: [RESPArgument]) async throws -> RESPValue {
        let replies = try await self.sendRaw([command])
        guard let reply = replies.first else {
            throw RedisError.unexpectedReply("no reply to \(Self.name(of: command))")
        }
        if case .error(let message) = reply {
            throw RedisError.server(message)
        }
        return reply
    }

    /// Sends one command, written as its arguments: `try await redis.send("SET", key, 42)`.
    @discardableResult
    public func send(_ arguments: any RESPArgumentConvertible...) async throws -> RESPValue {
        try await self.send(arguments.map(\.respArgument))
    }

    /// Sends several commands with a single write and flush and returns their replies in order.
    ///
    /// Error replies are returned in place as ``RESPValue/error(_:)`` rather than thrown, so one
    /// failing command does not hide the others' results.
    /// - Throws: Only connection-level ``RedisError``s.
    public func pipeline(_ commands: [[RESPArgument]]) async throws -> [RESPValue] {
        let replies = try await self.sendRaw(commands)
        guard replies.count == commands.count else {
            throw RedisError.unexpectedReply("\(replies.count) replies to \(commands.count) commands")
        }
        return replies
    }

    /// Sends a command that may block on the server, on a connection of its own so that it never
    /// delays other commands.
    ///
    /// - Parameter blockingFor: How long the server may block before answering (the command's own
    ///   timeout argument); the reply timeout is this plus the configured command timeout. `nil`
    ///   when the command may block indefinitely (`BLOCK 0`, `BLPOP key 0`).
    /// - Throws: ``RedisError/server(_:)`` for an error reply; `CancellationError` if the task is
    ///   cancelled while blocked (the connection is then closed, not reused).
    public func sendBlocking(_ command: [RESPArgument], blockingFor: Duration?) async throws -> RESPValue {
        let timeout = blockingFor.map { TimeAmount($0 + self.configuration.commandTimeout) }
        let reply = try await self.blocking.send(command, timeout: timeout)
        if case .error(let message) = reply {
            throw RedisError.server(message)
        }
        return reply
    }

    /// Sends on the shared connection; a request refused by a connection that had just died
    /// (and so never sent) is retried once on a new connection.
    private func sendRaw(_ commands: [[RESPArgument]]) async throws -> [RESPValue] {
        let timeout = TimeAmount(self.configuration.commandTimeout)
        let connection = try await self.multiplexed.connection()
        do {
            return try await connection.send(commands, timeout: timeout).get()
        } catch is RedisRequestNotSent {
            self.multiplexed.discard(connection)
        }
        do {
            return try await self.multiplexed.connection().send(commands, timeout: timeout).get()
        } catch is RedisRequestNotSent {
            throw RedisError.connectionClosed
        }
    }

    private static func name(of command: [RESPArgument]) -> String {
        guard case .string(let name)? = command.first else { return "command" }
        return name
    }
}
