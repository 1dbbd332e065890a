import Logging
import NIOCore

/// Matches replies to requests on one Redis connection, the last handler of its pipeline.
///
/// Redis answers the commands of a connection strictly in order, so multiplexing needs no ids:
/// each written request appends an entry to a FIFO, and each decoded reply belongs to the
/// entry at its head. That is what lets many tasks share one connection and pipeline freely.
///
/// Timeouts use one timer for the whole connection, armed for the head's deadline (later
/// entries cannot complete before the head anyway). When the head times out the connection is
/// closed: the server stopped answering, and everything queued behind would time out too.
final class RedisCommandHandler: ChannelDuplexHandler {
    typealias InboundIn = RESPValue
    typealias OutboundIn = RedisRequest
    typealias OutboundOut = [[RESPArgument]]

    private struct Pending {
        var expectedReplies: Int
        var promise: EventLoopPromise<[RESPValue]>
        var deadline: NIODeadline
    }

    private var pending = CircularBuffer<Pending>(initialCapacity: 16)
    /// Replies collected so far for the head of `pending`.
    private var headReplies: [RESPValue] = []
    private var timer: Scheduled<Void>?
    /// Set once the connection is unusable; later requests are refused unsent.
    private var failure: RedisError?
    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    // MARK: Outbound

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = Self.unwrapOutboundIn(data)
        if let failure = self.failure {
            request.promise.fail(RedisRequestNotSent())
            promise?.fail(failure)
            return
        }
        if request.commands.isEmpty {
            request.promise.succeed([])
            promise?.succeed(())
            return
        }
        let deadline = request.timeout.map { NIODeadline.now() + $0 } ?? .distantFuture
        self.pending.append(
            Pending(expectedReplies: request.commands.count, promise: request.promise, deadline: deadline)
        )
        self.armTimer(context: context)
        context.write(Self.wrapOutboundOut(request.commands), promise: promise)
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let value = Self.unwrapInboundIn(data)
        guard let head = self.pending.first else {
            // Redis sends nothing unasked in RESP2 request/reply mode, except an error just before
            // it closes the connection (e.g. "max number of clients reached").
            self.logger.warning("Unexpected Redis reply without a pending command", metadata: ["reply": "\(value)"])
            self.fail(.protocolError("unexpected reply without a pending command"), context: context)
            return
        }
        if self.headReplies.isEmpty, head.expectedReplies > 1 {
            self.headReplies.reserveCapacity(head.expectedReplies)
        }
        self.headReplies.append(value)
        if self.headReplies.count == head.expectedReplies {
            self.pending.removeFirst()
            let replies = self.headReplies
            self.headReplies = []
            self.armTimer(context: context)
            head.promise.succeed(replies)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.failAll(with: .connectionClosed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let redisError = error as? RedisError ?? .connectionClosed
        self.logger.debug("Redis connection error", metadata: ["error": "\(error)"])
        self.fail(redisError, context: context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.failAll(with: .connectionClosed)
    }

    // MARK: Failure and timeouts

    /// Fails every pending command and closes the channel.
    private func fail(_ error: RedisError, context: ChannelHandlerContext) {
        self.failAll(with: error)
        context.close(promise: nil)
    }

    private func failAll(with error: RedisError) {
        if self.failure == nil {
            self.failure = error
        }
        self.timer?.cancel()
        self.timer = nil
        self.headReplies = []
        while let entry = self.pending.popFirst() {
            entry.promise.fail(error)
        }
    }

    private func armTimer(context: ChannelHandlerContext) {
        guard self.timer == nil, let head = self.pending.first, head.deadline != .distantFuture else { return }
        self.timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: head.deadline) {
            self.timer = nil
            self.checkTimeout(context: context)
        }
    }

    private func checkTimeout(context: ChannelHandlerContext) {
        guard let head = self.pending.first else { return }
        guard head.deadline <= .now() else {
            self.armTimer(context: context)
            return
        }
        self.logger.warning("Redis command timed out; closing the connection")
        self.pending.removeFirst()
        head.promise.fail(RedisError.timeout)
        self.fail(.connectionClosed, context: context)
    }
}
