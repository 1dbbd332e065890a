import Logging
import NIOCore
import Synchronization

/// Connections for blocking commands (`XREADGROUP … BLOCK`, `BLPOP`, …), one per command in
/// flight.
///
/// A blocking command holds its connection until it returns, so running it on the shared
/// multiplexed connection would stall every command queued behind it. Connections are opened on
/// demand, returned after use (up to ``RedisConfiguration/maxIdleBlockingConnections`` stay idle
/// for reuse), and closed instead of returned when the command failed at the connection level or
/// was cancelled — their reply stream can no longer be trusted.
final class RedisBlockingConnectionPool: Sendable {
    private struct State {
        var idle: [RedisConnection] = []
        /// Connections in use, kept so ``shutdown()`` can interrupt their blocked commands.
        var leased: [ObjectIdentifier: RedisConnection] = [:]
        var isShutdown = false
    }

    private let configuration: RedisConfiguration
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let state = Mutex(State())

    init(configuration: RedisConfiguration, eventLoopGroup: any EventLoopGroup, logger: Logger) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    /// Sends one blocking command on a connection of its own.
    ///
    /// Cancelling the calling task closes that connection, which ends the block on the server
    /// and makes this throw `CancellationError`.
    func send(_ command: [RESPArgument], timeout: TimeAmount?) async throws -> RESPValue {
        do {
            return try await self.sendOnce(command, timeout: timeout)
        } catch is RedisRequestNotSent {
            // An idle connection that died unnoticed; it was closed, try a fresh one.
            do {
                return try await self.sendOnce(command, timeout: timeout)
            } catch is RedisRequestNotSent {
                throw RedisError.connectionClosed
            }
        }
    }

    private func sendOnce(_ command: [RESPArgument], timeout: TimeAmount?) async throws -> RESPValue {
        let connection = try await self.lease()
        var keep = false
        defer { self.giveBack(connection, keep: keep) }
        let replies: [RESPValue]
        do {
            replies = try await withTaskCancellationHandler {
                try await connection.send([command], timeout: timeout).get()
            } onCancel: {
                connection.close()
            }
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw error
        }
        guard let reply = replies.first else {
            throw RedisError.unexpectedReply("no reply to a blocking command")
        }
        keep = true
        return reply
    }

    /// Closes every connection, idle or in use; blocked commands fail with
    /// ``RedisError/connectionClosed``.
    func shutdown() async {
        let connections = self.state.withLock { state -> [RedisConnection] in
            state.isShutdown = true
            defer {
                state.idle = []
                state.leased = [:]
            }
            return state.idle + state.leased.values
        }
        for connection in connections {
            await connection.closeAndWait()
        }
    }

    private func lease() async throws -> RedisConnection {
        let reused = try self.state.withLock { state -> RedisConnection? in
            guard !state.isShutdown else { throw RedisError.clientShutdown }
            while let connection = state.idle.popLast() {
                if connection.isActive {
                    state.leased[ObjectIdentifier(connection)] = connection
                    return connection
                }
            }
            return nil
        }
        if let reused { return reused }
        let connection = try await RedisConnection.connect(
            configuration: self.configuration,
            eventLoop: self.eventLoopGroup.next(),
            logger: self.logger
        ).get()
        let accepted = self.state.withLock { state -> Bool in
            guard !state.isShutdown else { return false }
            state.leased[ObjectIdentifier(connection)] = connection
            return true
        }
        guard accepted else {
            connection.close()
            throw RedisError.clientShutdown
        }
        return connection
    }

    private func giveBack(_ connection: RedisConnection, keep: Bool) {
        let pooled = self.state.withLock { state -> Bool in
            state.leased[ObjectIdentifier(connection)] = nil
            guard keep, !state.isShutdown, connection.isActive,
                state.idle.count < self.configuration.maxIdleBlockingConnections
            else { return false }
            state.idle.append(connection)
            return true
        }
        if !pooled {
            connection.close()
        }
    }
}
