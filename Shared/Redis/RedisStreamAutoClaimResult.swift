/// The answer of `XAUTOCLAIM`: entries now owned by the claiming consumer, and where to continue.
public struct RedisStreamAutoClaimResult: Sendable, Hashable {
    /// The id to pass as `start` for the next call; `0-0` once the whole pending list was scanned.
    public var nextStart: String
    /// Entries claimed by this call (their delivery count was incremented).
    public var entries: [RedisStreamEntry]
    /// Ids that were pending but whose entries no longer exist (deleted or trimmed); Redis 7
    /// removes them from the pending list.
    public var deletedIDs: [String]

    public init(nextStart: String, entries: [RedisStreamEntry], deletedIDs: [String]) {
        self.nextStart = nextStart
        self.entries = entries
        self.deletedIDs = deletedIDs
    }

    /// Parses `[next-start, entries, deleted-ids]` (Redis 7; Redis 6.2 has no third element).
    init(reply: RESPValue) throws {
        guard let parts = reply.array, parts.count >= 2, let nextStart = parts[0].string else {
            throw RedisError.unexpectedReply("XAUTOCLAIM returned \(reply)")
        }
        self.nextStart = nextStart
        self.entries = try RedisStreamEntry.list(parts[1])
        self.deletedIDs = parts.count > 2 ? (parts[2].array ?? []).compactMap(\.string) : []
    }
}
