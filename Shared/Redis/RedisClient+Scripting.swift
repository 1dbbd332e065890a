extension RedisClient {
    /// `EVAL`: runs a Lua script atomically on the server.
    ///
    /// - Parameters:
    ///   - keys: The keys the script touches (`KEYS[i]`); declaring them keeps it cluster-safe.
    ///   - args: Other arguments (`ARGV[i]`).
    /// - Returns: The script's return value (Lua tables become arrays, `false` becomes null).
    @discardableResult
    public func eval(_ script: String, keys: [String] = [], args: [RESPArgument] = []) async throws -> RESPValue {
        try await self.send(Self.scriptCommand("EVAL", script, keys: keys, args: args))
    }

    /// `EVALSHA`, falling back to `EVAL` when the server does not have the script cached
    /// (`NOSCRIPT`, as after a restart), so callers never see the cache.
    @discardableResult
    public func evalsha(_ script: RedisScript, keys: [String] = [], args: [RESPArgument] = []) async throws -> RESPValue {
        do {
            return try await self.send(Self.scriptCommand("EVALSHA", script.sha1, keys: keys, args: args))
        } catch RedisError.server(let message) where message.hasPrefix("NOSCRIPT") {
            self.logger.debug("Redis script not cached; sending its source", metadata: ["sha1": "\(script.sha1)"])
            return try await self.eval(script.source, keys: keys, args: args)
        }
    }

    /// `SCRIPT LOAD`: caches a script on the server and returns its SHA-1.
    @discardableResult
    public func scriptLoad(_ script: RedisScript) async throws -> String {
        try await self.send(["SCRIPT", "LOAD", .string(script.source)]).requireString("SCRIPT LOAD")
    }

    private static func scriptCommand(
        _ name: RESPArgument,
        _ script: String,
        keys: [String],
        args: [RESPArgument]
    )
        -> [RESPArgument]
    {
        var command: [RESPArgument] = [name, .string(script), .integer(keys.count)]
        command.reserveCapacity(3 + keys.count + args.count)
        command += keys.map(RESPArgument.string)
        command += args
        return command
    }
}
