/// A Lua script and its SHA-1, so it can be run with `EVALSHA` (sending 40 bytes instead of the
/// source) via ``RedisClient/evalsha(_:keys:args:)``.
///
/// Redis's script cache is not persistent: after a restart (or `SCRIPT FLUSH`) `EVALSHA` answers
/// `NOSCRIPT`, and `evalsha` then falls back to `EVAL`, which also re-caches the script. Declare
/// scripts once, as `static let`s.
public struct RedisScript: Sendable, Hashable {
    /// The Lua source.
    public let source: String
    /// Lowercase hex SHA-1 of the source, the id `SCRIPT LOAD` would return.
    public let sha1: String

    /// Wraps a Lua script; the hash is computed locally, without a round trip.
    public init(_ source: String) {
        self.source = source
        self.sha1 = SHA1.hexDigest(of: source.utf8)
    }
}
