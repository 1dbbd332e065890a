import NIOCore

extension RedisClient {
    /// When `SET` may write (its `NX` / `XX` flags).
    public enum SetCondition: Sendable, Hashable {
        /// Always write.
        case none
        /// Only if the key does not exist yet (locks, idempotency keys).
        case nx
        /// Only if the key already exists.
        case xx
    }

    /// How long a key written by `SET` lives (its `EX` / `PX` / `KEEPTTL` options).
    public enum Expiry: Sendable, Hashable {
        case seconds(Int)
        case milliseconds(Int)
        /// Keep the time to live the key already has.
        case keepTTL

        /// An expiry from a `Duration`, in whole milliseconds.
        public static func after(_ duration: Duration) -> Expiry {
            .milliseconds(duration.wholeMilliseconds)
        }
    }

    /// `PING`: checks the connection; returns the server's answer (`PONG`).
    @discardableResult
    public func ping() async throws -> String {
        try await self.send(["PING"]).requireString("PING")
    }

    /// `TIME`: the server's clock, in Unix milliseconds.
    public func timeMilliseconds() async throws -> Int64 {
        let parts = try await self.send(["TIME"]).requireStrings("TIME")
        guard parts.count == 2, let seconds = Int64(parts[0]), let microseconds = Int64(parts[1]) else {
            throw RedisError.unexpectedReply("TIME returned \(parts)")
        }
        return seconds * 1000 + microseconds / 1000
    }

    /// `GET` as text; `nil` if the key does not exist.
    public func get(_ key: String) async throws -> String? {
        try await self.send(["GET", .string(key)]).string
    }

    /// `GET` as raw bytes, for binary values; `nil` if the key does not exist.
    public func getBuffer(_ key: String) async throws -> ByteBuffer? {
        try await self.send(["GET", .string(key)]).buffer
    }

    /// `SET` with an optional condition and expiry.
    ///
    /// - Returns: Whether the value was written (`false` when `condition` prevented it).
    @discardableResult
    public func set(
        _ key: String,
        _ value: some RESPArgumentConvertible,
        condition: SetCondition = .none,
        expiry: Expiry? = nil
    ) async throws -> Bool {
        var command: [RESPArgument] = ["SET", .string(key), value.respArgument]
        switch condition {
        case .none: break
        case .nx: command.append("NX")
        case .xx: command.append("XX")
        }
        switch expiry {
        case nil: break
        case .seconds(let seconds)?: command += ["EX", .integer(seconds)]
        case .milliseconds(let milliseconds)?: command += ["PX", .integer(milliseconds)]
        case .keepTTL?: command.append("KEEPTTL")
        }
        let reply = try await self.send(command)
        return !reply.isNull
    }

    /// `GETDEL`: reads and deletes a key in one step (one-time tokens, OAuth `state`).
    public func getdel(_ key: String) async throws -> String? {
        try await self.send(["GETDEL", .string(key)]).string
    }

    /// `DEL`: returns how many of the keys existed.
    @discardableResult
    public func del(_ keys: String...) async throws -> Int {
        try await self.del(keys)
    }

    /// `DEL`: returns how many of the keys existed.
    @discardableResult
    public func del(_ keys: [String]) async throws -> Int {
        guard !keys.isEmpty else { return 0 }
        return try await self.send(["DEL"] + keys.map(RESPArgument.string)).requireInt("DEL")
    }

    /// `EXISTS`: how many of the keys exist.
    public func exists(_ keys: String...) async throws -> Int {
        try await self.send(["EXISTS"] + keys.map(RESPArgument.string)).requireInt("EXISTS")
    }

    /// `EXPIRE`: returns whether the key exists (and so got the time to live).
    @discardableResult
    public func expire(_ key: String, seconds: Int) async throws -> Bool {
        try await self.send(["EXPIRE", .string(key), .integer(seconds)]).requireInt("EXPIRE") == 1
    }

    /// `PEXPIRE`: returns whether the key exists (and so got the time to live).
    @discardableResult
    public func pexpire(_ key: String, milliseconds: Int) async throws -> Bool {
        try await self.send(["PEXPIRE", .string(key), .integer(milliseconds)]).requireInt("PEXPIRE") == 1
    }

    /// `PTTL`: remaining time to live in milliseconds; `-1` without expiry, `-2` if missing.
    public func pttl(_ key: String) async throws -> Int {
        try await self.send(["PTTL", .string(key)]).requireInt("PTTL")
    }

    /// `INCR`: increments an integer counter and returns the new value.
    @discardableResult
    public func incr(_ key: String) async throws -> Int {
        try await self.send(["INCR", .string(key)]).requireInt("INCR")
    }

    /// `INCRBY`: adds to an integer counter and returns the new value.
    @discardableResult
    public func incrby(_ key: String, _ increment: Int) async throws -> Int {
        try await self.send(["INCRBY", .string(key), .integer(increment)]).requireInt("INCRBY")
    }
}
