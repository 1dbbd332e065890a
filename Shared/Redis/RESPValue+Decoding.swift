/// Reply-shape checks shared by the typed helpers, so each helper states what it expects and a
/// surprising reply becomes ``RedisError/unexpectedReply(_:)`` instead of a silent default.
extension RESPValue {
    func requireInt(_ command: String) throws -> Int {
        guard let value = self.int else { throw RedisError.unexpectedReply("\(command) returned \(self)") }
        return value
    }

    func requireArray(_ command: String) throws -> [RESPValue] {
        guard let value = self.array else { throw RedisError.unexpectedReply("\(command) returned \(self)") }
        return value
    }

    func requireString(_ command: String) throws -> String {
        guard let value = self.string else { throw RedisError.unexpectedReply("\(command) returned \(self)") }
        return value
    }

    /// An array of bulk strings (`KEYS`, `ZRANGE`); nulls inside are skipped.
    func requireStrings(_ command: String) throws -> [String] {
        try self.requireArray(command).compactMap(\.string)
    }
}
