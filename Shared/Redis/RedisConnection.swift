import Logging
import NIOCore
import NIOPosix

/// One TCP connection to Redis: a NIO channel with the hiredis codec and the reply-matching
/// handler, already authenticated and on the configured database.
///
/// A connection is never reconnected in place; when it closes, ``RedisClient`` opens a new one.
/// That keeps the per-connection state (the FIFO of pending replies, `SELECT`, blocking
/// commands) simple to reason about.
final class RedisConnection: Sendable {
    /// The channel, whose pipeline is `RESPDecoder`, `RESPEncoder`, `RedisCommandHandler`.
    let channel: any Channel
    let logger: Logger

    private init(channel: any Channel, logger: Logger) {
        self.channel = channel
        self.logger = logger
    }

    /// Whether the channel is still open; a closed connection is replaced, never reused.
    var isActive: Bool { self.channel.isActive }

    /// Completes when the channel has closed, for whatever reason.
    var closeFuture: EventLoopFuture<Void> { self.channel.closeFuture }

    /// Opens a connection and replays `AUTH` and `SELECT` on it before handing it out.
    ///
    /// Futures rather than `async` so that concurrent callers can share one attempt. Every
    /// failure, the handshake's included, is reported as ``RedisError/connectionFailed(_:)``.
    static func connect(
        configuration: RedisConfiguration,
        eventLoop: any EventLoop,
        logger: Logger
    ) -> EventLoopFuture<RedisConnection> {
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(TimeAmount(configuration.connectTimeout))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                do {
                    let decoder = try RESPDecoder()
                    try channel.pipeline.syncOperations.addHandlers(
                        ByteToMessageHandler(decoder),
                        MessageToByteHandler(RESPEncoder()),
                        RedisCommandHandler(logger: logger)
                    )
                    return channel.eventLoop.makeSucceededVoidFuture()
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
        return bootstrap.connect(host: configuration.host, port: configuration.port)
            .flatMapErrorThrowing { error in
                throw RedisError.connectionFailed("\(configuration.host):\(configuration.port): \(error)")
            }
            .flatMap { channel in
                let connection = RedisConnection(channel: channel, logger: logger)
                return connection.handshake(configuration: configuration)
                    .map { connection }
                    .flatMapError { error in
                        connection.close()
                        let reason = (error as? RedisError).map { "\($0)" } ?? "\(error)"
                        return eventLoop.makeFailedFuture(RedisError.connectionFailed("handshake failed: \(reason)"))
                    }
            }
    }

    /// `AUTH` and `SELECT`, pipelined, so a new connection costs one extra round trip at most.
    private func handshake(configuration: RedisConfiguration) -> EventLoopFuture<Void> {
        var commands: [[RESPArgument]] = []
        if let password = configuration.password {
            if let username = configuration.username {
                commands.append(["AUTH", .string(username), .string(password)])
            } else {
                commands.append(["AUTH", .string(password)])
            }
        }
        if configuration.database != 0 {
            commands.append(["SELECT", .integer(configuration.database)])
        }
        guard !commands.isEmpty else {
            return self.channel.eventLoop.makeSucceededVoidFuture()
        }
        return self.send(commands, timeout: TimeAmount(configuration.commandTimeout))
            .flatMapThrowing { replies in
                if let message = replies.lazy.compactMap(\.errorMessage).first {
                    throw RedisError.server(message)
                }
            }
    }

    /// Writes a batch of commands with one flush and returns their replies in order.
    ///
    /// Safe to call from any thread: NIO queues the write onto the channel's event loop, and the
    /// command handler appends to its FIFO in the same order the bytes go out. Fails with
    /// ``RedisRequestNotSent`` if the connection was already dead, or a ``RedisError``.
    func send(_ commands: [[RESPArgument]], timeout: TimeAmount?) -> EventLoopFuture<[RESPValue]> {
        let promise = self.channel.eventLoop.makePromise(of: [RESPValue].self)
        let request = RedisRequest(commands: commands, promise: promise, timeout: timeout)
        self.channel.writeAndFlush(request).whenFailure { error in
            // The handler fails the promise itself for every request it saw; this catches those
            // it never saw because the channel had closed (NIO then sends nothing at all).
            if let channelError = error as? ChannelError, channelError == .ioOnClosedChannel {
                promise.fail(RedisRequestNotSent())
            } else {
                promise.fail(RedisError.connectionClosed)
            }
        }
        return promise.futureResult
    }

    /// Closes the channel; pending commands fail with ``RedisError/connectionClosed``.
    func close() {
        self.channel.close(promise: nil)
    }

    /// Closes the channel and waits until it is closed.
    func closeAndWait() async {
        self.channel.close(promise: nil)
        try? await self.channel.closeFuture.get()
    }
}
