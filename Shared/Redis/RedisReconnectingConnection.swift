import Logging
import NIOCore
import Synchronization

/// The client's one multiplexed connection for ordinary commands, reopened on demand.
///
/// It never reconnects in the background: the command that finds no live connection opens one,
/// and concurrent commands share that attempt. When an attempt fails, the next ones are refused
/// at once (``RedisError/connectionFailed(_:)``) until an exponential backoff, capped at
/// ``RedisConfiguration/maxReconnectBackoff``, has passed: callers fail fast while Redis is down
/// instead of piling up, and Redis is not hammered while it starts. A connection that closes
/// (restart, `CLIENT KILL`) resets the backoff, so the first command afterwards reconnects at once.
final class RedisReconnectingConnection: Sendable {
    private enum Phase {
        case idle(retryAfter: NIODeadline?, lastError: RedisError?)
        case connecting(EventLoopFuture<RedisConnection>)
        case connected(RedisConnection)
        case shutdown
    }

    private struct State {
        var phase: Phase = .idle(retryAfter: nil, lastError: nil)
        /// Failed attempts in a row, for the backoff; reset by a successful connect.
        var failures = 0
    }

    private enum Action {
        case use(RedisConnection)
        case wait(EventLoopFuture<RedisConnection>)
        case started(EventLoopFuture<RedisConnection>)
        case fail(RedisError)
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

    /// Returns the live connection, opening one if needed.
    func connection() async throws -> RedisConnection {
        let action = self.state.withLock { state -> Action in
            switch state.phase {
            case .connected(let connection) where connection.isActive:
                return .use(connection)
            case .connecting(let future):
                return .wait(future)
            case .idle(let retryAfter?, let lastError) where NIODeadline.now() < retryAfter:
                return .fail(lastError ?? .connectionFailed("reconnect backoff"))
            case .connected, .idle:
                let future = RedisConnection.connect(
                    configuration: self.configuration,
                    eventLoop: self.eventLoopGroup.next(),
                    logger: self.logger
                )
                state.phase = .connecting(future)
                return .started(future)
            case .shutdown:
                return .fail(.clientShutdown)
            }
        }
        switch action {
        case .use(let connection):
            return connection
        case .fail(let error):
            throw error
        case .started(let future):
            future.whenComplete { result in self.connectAttemptFinished(future, result: result) }
            return try await future.get()
        case .wait(let future):
            return try await future.get()
        }
    }

    /// Closes the connection and refuses further commands with ``RedisError/clientShutdown``.
    func shutdown() async {
        let previous = self.state.withLock { state -> Phase in
            defer { state.phase = .shutdown }
            return state.phase
        }
        switch previous {
        case .connected(let connection):
            await connection.closeAndWait()
        case .connecting(let future):
            // `connectAttemptFinished` closes it once it is open.
            _ = try? await future.get()
        case .idle, .shutdown:
            break
        }
    }

    /// Forgets `connection` if it is still the current one, so the next command reconnects even
    /// before its close has been noticed.
    func discard(_ connection: RedisConnection) {
        self.connectionClosed(connection)
        connection.close()
    }

    private func connectAttemptFinished(
        _ future: EventLoopFuture<RedisConnection>,
        result: Result<RedisConnection, any Error>
    ) {
        enum Outcome {
            case connected(RedisConnection)
            case failed(RedisError, retryIn: TimeAmount)
            case closeAfterShutdown(RedisConnection)
            case superseded
        }
        let outcome = self.state.withLock { state -> Outcome in
            guard case .connecting(let current) = state.phase, current === future else {
                if case .shutdown = state.phase, case .success(let connection) = result {
                    return .closeAfterShutdown(connection)
                }
                return .superseded
            }
            switch result {
            case .success(let connection):
                state.phase = .connected(connection)
                state.failures = 0
                return .connected(connection)
            case .failure(let error):
                state.failures += 1
                let backoff = self.backoff(afterFailures: state.failures)
                let redisError = error as? RedisError ?? .connectionFailed("\(error)")
                state.phase = .idle(retryAfter: .now() + backoff, lastError: redisError)
                return .failed(redisError, retryIn: backoff)
            }
        }
        switch outcome {
        case .connected(let connection):
            connection.closeFuture.whenComplete { _ in self.connectionClosed(connection) }
        case .failed(let error, let backoff):
            self.logger.warning(
                "Redis connection attempt failed",
                metadata: ["error": "\(error)", "retry_in_ms": "\(backoff.nanoseconds / 1_000_000)"]
            )
        case .closeAfterShutdown(let connection):
            connection.close()
        case .superseded:
            break
        }
    }

    private func connectionClosed(_ connection: RedisConnection) {
        let wasCurrent = self.state.withLock { state -> Bool in
            guard case .connected(let current) = state.phase, current === connection else { return false }
            state.phase = .idle(retryAfter: nil, lastError: nil)
            return true
        }
        if wasCurrent {
            self.logger.debug("Redis connection closed; the next command reconnects")
        }
    }

    /// 50 ms, 100 ms, 200 ms … capped at the configured maximum.
    private func backoff(afterFailures failures: Int) -> TimeAmount {
        let maximum = TimeAmount(self.configuration.maxReconnectBackoff)
        let exponent = min(failures - 1, 16)
        return min(.milliseconds(50) * (1 << exponent), maximum)
    }
}
