/// One entry of a Redis stream: its id (`<milliseconds>-<sequence>`) and its fields.
public struct RedisStreamEntry: Sendable, Hashable {
    /// One field of an entry, in the order it was added.
    public struct Field: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The entry id, as given to `XACK` and `XDEL`.
    public var id: String
    /// The fields by name (a repeated name keeps its last value).
    public var fields: [String: String]
    /// The fields in the order they were added.
    public var orderedFields: [Field]

    /// Creates an entry from its fields in order.
    public init(id: String, fields: [(name: String, value: String)]) {
        self.id = id
        self.orderedFields = fields.map { Field(name: $0.name, value: $0.value) }
        self.fields = Dictionary(fields.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    /// Parses `[id, [field, value, …]]`. An entry deleted while pending has null fields: it
    /// parses with no fields, so its id can still be acknowledged.
    init(reply: RESPValue) throws {
        guard let parts = reply.array, parts.count == 2, let id = parts[0].string else {
            throw RedisError.unexpectedReply("stream entry \(reply)")
        }
        let flat = parts[1].array ?? []
        var fields: [(name: String, value: String)] = []
        fields.reserveCapacity(flat.count / 2)
        var index = 0
        while index + 1 < flat.count {
            guard let name = flat[index].string, let value = flat[index + 1].string else {
                throw RedisError.unexpectedReply("stream entry field \(flat[index])")
            }
            fields.append((name: name, value: value))
            index += 2
        }
        self.init(id: id, fields: fields)
    }

    /// Parses an array of entries.
    static func list(_ reply: RESPValue) throws -> [RedisStreamEntry] {
        if reply.isNull { return [] }
        guard let entries = reply.array else {
            throw RedisError.unexpectedReply("stream entries \(reply)")
        }
        return try entries.map(RedisStreamEntry.init(reply:))
    }
}
