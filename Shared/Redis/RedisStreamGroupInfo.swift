/// One consumer group as `XINFO GROUPS` describes it.
public struct RedisStreamGroupInfo: Sendable, Hashable {
    public var name: String
    public var consumers: Int
    /// Entries received and not acknowledged.
    public var pending: Int
    /// The id of the last entry delivered to a consumer of the group (`0-0` before the first).
    public var lastDeliveredID: String

    public init(name: String, consumers: Int, pending: Int, lastDeliveredID: String) {
        self.name = name
        self.consumers = consumers
        self.pending = pending
        self.lastDeliveredID = lastDeliveredID
    }

    /// Parses one group's flat `[name, …, consumers, …, pending, …, last-delivered-id, …]` pairs;
    /// fields it does not know (`entries-read`, `lag` in Redis 7) are skipped.
    init(reply: RESPValue) throws {
        guard let parts = reply.array, parts.count.isMultiple(of: 2) else {
            throw RedisError.unexpectedReply("XINFO GROUPS entry \(reply)")
        }
        var fields: [String: RESPValue] = [:]
        for index in stride(from: 0, to: parts.count, by: 2) {
            if let key = parts[index].string { fields[key] = parts[index + 1] }
        }
        guard let name = fields["name"]?.string, let consumers = fields["consumers"]?.int, let pending = fields["pending"]?.int,
            let last = fields["last-delivered-id"]?.string
        else {
            throw RedisError.unexpectedReply("XINFO GROUPS entry \(reply)")
        }
        self.init(name: name, consumers: consumers, pending: pending, lastDeliveredID: last)
    }
}
