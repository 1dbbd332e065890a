import HubRedis
import Testing

@Suite("Lua scripts")
struct RedisScriptTests {
    @Test(arguments: [
        "",
        "return 1",
        "return redis.call('GET', KEYS[1])",
        String(repeating: "-- a comment long enough to span several SHA-1 blocks\n", count: 20) + "return 'ünïcödé'",
    ])
    func localSHA1MatchesWhatRedisComputes(source: String) async throws {
        try await withRedis { _, client in
            let script = RedisScript(source)
            let loaded = try await client.scriptLoad(script)
            #expect(loaded == script.sha1)
        }
    }

    @Test func evalshaFallsBackToEvalWhenTheScriptCacheIsEmpty() async throws {
        try await withRedis { _, client in
            let script = RedisScript("return {KEYS[1], ARGV[1]}")
            let expected = RESPValue.array([RESPValue(bulk: "key"), RESPValue(bulk: "arg")])
            #expect(try await client.evalsha(script, keys: ["key"], args: ["arg"]) == expected)
            try await client.send("SCRIPT", "FLUSH")
            #expect(try await client.evalsha(script, keys: ["key"], args: ["arg"]) == expected)
            // A script error is still an error.
            await #expect(throws: RedisError.self) {
                try await client.evalsha(RedisScript("return redis.call('NOSUCH')"))
            }
        }
    }
}
