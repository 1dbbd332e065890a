/// The summary form of `XPENDING`: what a consumer group has received but not acknowledged.
public struct RedisStreamPendingSummary: Sendable, Hashable {
    /// Number of pending entries in the group.
    public var count: Int
    /// Smallest and largest pending id; `nil` when nothing is pending.
    public var lowestID: String?
    public var highestID: String?
    /// Pending entries per consumer name (consumers with none are absent).
    public var consumers: [String: Int]

    public init(count: Int, lowestID: String?, highestID: String?, consumers: [String: Int]) {
        self.count = count
        self.lowestID = lowestID
        self.highestID = highestID
        self.consumers = consumers
    }

    /// Parses `[count, lowest, highest, [[consumer, count], …]]`.
    init(reply: RESPValue) throws {
        guard let parts = reply.array, parts.count == 4, let count = parts[0].int else {
            throw RedisError.unexpectedReply("XPENDING returned \(reply)")
        }
        var consumers: [String: Int] = [:]
        for consumer in parts[3].array ?? [] {
            guard let pair = consumer.array, pair.count == 2, let name = pair[0].string, let pending = pair[1].int else {
                throw RedisError.unexpectedReply("XPENDING consumer \(consumer)")
            }
            consumers[name] = pending
        }
        self.init(count: count, lowestID: parts[1].string, highestID: parts[2].string, consumers: consumers)
    }
}
