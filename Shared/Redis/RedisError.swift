/// Everything that can go wrong talking to Redis, as one typed error for the module.
///
/// The connection-level cases tell a caller what is safe to do next: after
/// ``connectionFailed(_:)`` nothing was sent; after ``connectionClosed`` or ``timeout`` a command
/// may or may not have run on the server, so only idempotent commands should be retried blindly.
public enum RedisError: Error, Sendable, Hashable {
    /// Redis answered with an error reply (`-ERR …`, `-WRONGTYPE …`, `-NOSCRIPT …`).
    case server(String)
    /// The connection closed (Redis restarted, `CLIENT KILL`, network failure) before the reply
    /// arrived. The next command opens a new connection.
    case connectionClosed
    /// No connection could be opened, or its handshake (`AUTH`, `SELECT`) failed. While Redis stays
    /// down, commands fail with this at once until the reconnect backoff has passed.
    case connectionFailed(String)
    /// No reply within the configured command timeout. The connection is closed, because a
    /// connection that stopped answering cannot be trusted to answer the commands queued behind.
    case timeout
    /// The bytes from the server were not valid RESP; the connection is closed.
    case protocolError(String)
    /// A reply had a shape the typed helper did not expect (e.g. an integer where an array was due).
    case unexpectedReply(String)
    /// The configuration URL could not be parsed. The message never contains the password.
    case invalidURL(String)
    /// The client was shut down; it accepts no more commands.
    case clientShutdown
    /// ``RedisLock/withLock(key:ttl:waitingUpTo:body:)`` could not acquire the lock in time.
    case lockNotAcquired(key: String)
    /// A lock was lost while held (it expired and someone else took it) so the work done under it is
    /// no longer protected.
    case lockLost(key: String)
}

extension RedisError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .server(let message): "Redis error reply: \(message)"
        case .connectionClosed: "Redis connection closed before the reply arrived"
        case .connectionFailed(let reason): "Could not connect to Redis: \(reason)"
        case .timeout: "Redis command timed out"
        case .protocolError(let reason): "Redis protocol error: \(reason)"
        case .unexpectedReply(let reason): "Unexpected Redis reply: \(reason)"
        case .invalidURL(let reason): "Invalid Redis URL: \(reason)"
        case .clientShutdown: "Redis client is shut down"
        case .lockNotAcquired(let key): "Could not acquire Redis lock \(key)"
        case .lockLost(let key): "Redis lock \(key) was lost while held"
        }
    }
}
