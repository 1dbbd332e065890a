extension RedisClient {
    /// One end of a score range for `ZRANGEBYSCORE`: inclusive by default, exclusive with
    /// ``exclusive(_:)``, or unbounded. Number literals work: `min: 0, max: .exclusive(10)`.
    public struct ScoreBound: Sendable, Hashable, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
        let argument: String

        /// Scores greater or equal (as `min`) / less or equal (as `max`).
        public static func inclusive(_ score: Double) -> ScoreBound {
            ScoreBound(argument: RESPArgument.format(score))
        }

        /// Scores strictly greater (as `min`) / strictly less (as `max`).
        public static func exclusive(_ score: Double) -> ScoreBound {
            ScoreBound(argument: "(" + RESPArgument.format(score))
        }

        /// No lower bound.
        public static let negativeInfinity = ScoreBound(argument: "-inf")
        /// No upper bound.
        public static let positiveInfinity = ScoreBound(argument: "+inf")

        private init(argument: String) {
            self.argument = argument
        }

        public init(integerLiteral value: Int) {
            self.argument = String(value)
        }

        public init(floatLiteral value: Double) {
            self.argument = RESPArgument.format(value)
        }
    }

    /// `ZADD`: adds members or updates their scores; returns how many members were new.
    @discardableResult
    public func zadd(_ key: String, _ members: [(score: Double, member: String)]) async throws -> Int {
        guard !members.isEmpty else { return 0 }
        var command: [RESPArgument] = ["ZADD", .string(key)]
        command.reserveCapacity(2 + members.count * 2)
        for (score, member) in members {
            command += [.double(score), .string(member)]
        }
        return try await self.send(command).requireInt("ZADD")
    }

    /// `ZADD` of one member; returns whether it was new.
    @discardableResult
    public func zadd(_ key: String, score: Double, member: String) async throws -> Bool {
        try await self.zadd(key, [(score: score, member: member)]) == 1
    }

    /// `ZRANGEBYSCORE`: members with scores in `min...max`, lowest score first.
    ///
    /// - Parameter limit: Offset and count, for paging through a large range (schedulers take the
    ///   due items a batch at a time).
    public func zrangeByScore(
        _ key: String,
        min: ScoreBound,
        max: ScoreBound,
        limit: (offset: Int, count: Int)? = nil
    ) async throws -> [String] {
        try await self.send(Self.rangeByScore(key, min: min, max: max, limit: limit, withScores: false))
            .requireStrings("ZRANGEBYSCORE")
    }

    /// `ZRANGEBYSCORE … WITHSCORES`: members and their scores, lowest score first.
    public func zrangeByScoreWithScores(
        _ key: String,
        min: ScoreBound,
        max: ScoreBound,
        limit: (offset: Int, count: Int)? = nil
    ) async throws -> [(member: String, score: Double)] {
        let flat = try await self.send(Self.rangeByScore(key, min: min, max: max, limit: limit, withScores: true))
            .requireArray("ZRANGEBYSCORE")
        var result: [(member: String, score: Double)] = []
        result.reserveCapacity(flat.count / 2)
        for index in stride(from: 0, to: flat.count - 1, by: 2) {
            guard let member = flat[index].string, let score = flat[index + 1].double else {
                throw RedisError.unexpectedReply("ZRANGEBYSCORE WITHSCORES returned \(flat[index]), \(flat[index + 1])")
            }
            result.append((member: member, score: score))
        }
        return result
    }

    /// `ZREM`: removes members; returns how many existed.
    @discardableResult
    public func zrem(_ key: String, _ members: [String]) async throws -> Int {
        guard !members.isEmpty else { return 0 }
        return try await self.send(["ZREM", .string(key)] + members.map(RESPArgument.string)).requireInt("ZREM")
    }

    /// `ZREM`: removes members; returns how many existed.
    @discardableResult
    public func zrem(_ key: String, _ members: String...) async throws -> Int {
        try await self.zrem(key, members)
    }

    /// `ZSCORE`: the member's score, or `nil` if it is not in the set.
    public func zscore(_ key: String, _ member: String) async throws -> Double? {
        let reply = try await self.send(["ZSCORE", .string(key), .string(member)])
        if reply.isNull { return nil }
        guard let score = reply.double else { throw RedisError.unexpectedReply("ZSCORE returned \(reply)") }
        return score
    }

    /// `ZCARD`: the number of members.
    public func zcard(_ key: String) async throws -> Int {
        try await self.send(["ZCARD", .string(key)]).requireInt("ZCARD")
    }

    private static func rangeByScore(
        _ key: String,
        min: ScoreBound,
        max: ScoreBound,
        limit: (offset: Int, count: Int)?,
        withScores: Bool
    ) -> [RESPArgument] {
        var command: [RESPArgument] = ["ZRANGEBYSCORE", .string(key), .string(min.argument), .string(max.argument)]
        if withScores {
            command.append("WITHSCORES")
        }
        if let limit {
            command += ["LIMIT", .integer(limit.offset), .integer(limit.count)]
        }
        return command
    }
}
