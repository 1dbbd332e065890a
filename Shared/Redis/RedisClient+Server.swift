extension RedisClient {
    /// The server's `run_id` (`INFO server`): a random id each start of the server makes, so a
    /// different one means Redis restarted (or failed over) since it was read, and may have come
    /// back with older data than it had.
    public func runID() async throws -> String {
        let info = try await self.send(["INFO", "server"]).requireString("INFO server")
        for line in info.split(whereSeparator: \.isNewline) where line.hasPrefix("run_id:") {
            return String(line.dropFirst("run_id:".count).filter { !$0.isWhitespace })
        }
        throw RedisError.unexpectedReply("INFO server has no run_id")
    }
}
