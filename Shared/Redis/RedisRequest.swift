import NIOCore

/// What a caller writes into a Redis channel: one or more commands and the promise for their
/// replies, in order.
///
/// A batch travels as one message so that its commands are encoded into one buffer and its
/// replies are collected into one array; a single command is a batch of one.
struct RedisRequest: Sendable {
    /// The commands, each an array of arguments starting with the command name.
    var commands: [[RESPArgument]]
    /// Completed with one reply per command (error replies included), or failed with a
    /// ``RedisError`` if the connection fails first.
    var promise: EventLoopPromise<[RESPValue]>
    /// How long the last reply may take from the moment the request is written; `nil` for a
    /// blocking command that may wait forever (`BLOCK 0`).
    var timeout: TimeAmount?
}

/// A request was refused before any of it reached the socket, because its connection had
/// already failed. Unlike ``RedisError/connectionClosed`` (the command may have run), this is safe
/// to retry on a new connection, which ``RedisClient`` does once; callers never see it.
struct RedisRequestNotSent: Error {}
