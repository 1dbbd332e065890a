/// One entry of the extended form of `XPENDING`: who holds it, for how long, how often delivered.
public struct RedisStreamPendingEntry: Sendable, Hashable {
    public var id: String
    /// The consumer that received it last.
    public var consumer: String
    /// Time since it was last delivered to that consumer.
    public var idle: Duration
    /// How many times it was delivered; a high count points at a poison message.
    public var deliveryCount: Int

    public init(id: String, consumer: String, idle: Duration, deliveryCount: Int) {
        self.id = id
        self.consumer = consumer
        self.idle = idle
        self.deliveryCount = deliveryCount
    }

    /// Parses `[id, consumer, idle-milliseconds, delivery-count]`.
    init(reply: RESPValue) throws {
        guard let parts = reply.array, parts.count == 4, let id = parts[0].string, let consumer = parts[1].string,
            let idle = parts[2].int, let deliveries = parts[3].int
        else {
            throw RedisError.unexpectedReply("XPENDING entry \(reply)")
        }
        self.init(id: id, consumer: consumer, idle: .milliseconds(idle), deliveryCount: deliveries)
    }
}
