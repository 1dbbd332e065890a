import HubRedis
import Testing

@Suite("Typed command helpers")
struct RedisClientCommandsTests {
    @Test func setHonoursConditionsAndExpiry() async throws {
        try await withRedis { _, client in
            #expect(try await client.ping() == "PONG")
            #expect(try await client.set("k", "v1", condition: .xx) == false)
            #expect(try await client.set("k", "v1", condition: .nx) == true)
            #expect(try await client.set("k", "v2", condition: .nx) == false)
            #expect(try await client.set("k", "v3", condition: .xx) == true)
            #expect(try await client.get("k") == "v3")

            // 5 s, so a machine stalled for seconds still reads the key before it expires.
            #expect(try await client.set("short", 1, expiry: .milliseconds(5_000)))
            #expect((1...5_000).contains(try await client.pttl("short")))
            try await Task.sleep(for: .milliseconds(5_100))
            #expect(try await client.get("short") == nil)

            try await client.set("kept", "a", expiry: .seconds(100))
            try await client.set("kept", "b", expiry: .keepTTL)
            #expect(try await client.pttl("kept") > 90_000)
        }
    }

    @Test func stringHelpersReadCountAndDelete() async throws {
        try await withRedis { _, client in
            #expect(try await client.incr("n") == 1)
            #expect(try await client.incrby("n", 9) == 10)
            #expect(try await client.get("n") == "10")
            #expect(try await client.getdel("n") == "10")
            #expect(try await client.getdel("n") == nil)

            try await client.set("a", "1")
            try await client.set("b", "2")
            #expect(try await client.exists("a", "b", "c") == 2)
            #expect(try await client.del("a", "b", "c") == 2)

            try await client.set("e", "x")
            #expect(try await client.expire("e", seconds: 100))
            #expect(try await client.pexpire("e", milliseconds: 5000))
            #expect(try await client.pttl("e") <= 5000)
            #expect(try await client.expire("missing", seconds: 1) == false)
        }
    }

    @Test func streamHelpersAddReadAcknowledgeAndInspect() async throws {
        try await withRedis { _, client in
            #expect(try await client.xgroupCreate("s", group: "g", id: "0", mkstream: true))
            #expect(try await client.xgroupCreate("s", group: "g", id: "0", mkstream: true) == false, "BUSYGROUP is tolerated")

            let first = try await client.xadd("s", fields: [(name: "z", value: "1"), (name: "a", value: "2")])
            let second = try await client.xadd("s", fields: ["only": "field"])
            #expect(try await client.xlen("s") == 2)

            let read = try await client.xreadgroup(group: "g", consumer: "c1", streams: [(stream: "s", id: ">")], count: 10)
            let entries = try #require(read["s"])
            #expect(entries.map(\.id) == [first, second])
            #expect(entries[0].orderedFields.map(\.name) == ["z", "a"], "field order is kept")
            #expect(entries[0].fields == ["z": "1", "a": "2"])

            let summary = try await client.xpending("s", group: "g")
            #expect(summary.count == 2)
            #expect(summary.lowestID == first)
            #expect(summary.highestID == second)
            #expect(summary.consumers == ["c1": 2])
            let detailed = try await client.xpending("s", group: "g", count: 10, consumer: "c1")
            #expect(detailed.map(\.id) == [first, second])
            #expect(detailed.allSatisfy { $0.consumer == "c1" && $0.deliveryCount == 1 })

            // Re-reading our own pending entries (id 0) sees them again.
            let mine = try await client.xreadgroup(group: "g", consumer: "c1", stream: "s", id: "0")
            #expect(mine.map(\.id) == [first, second])

            #expect(try await client.xack("s", group: "g", ids: [first]) == 1)
            #expect(try await client.xdel("s", ids: [second]) == 1)
            let claim = try await client.xautoclaim("s", group: "g", consumer: "c2", minIdle: .zero)
            #expect(claim.nextStart == "0-0")
            #expect(claim.entries.isEmpty)
            #expect(claim.deletedIDs == [second], "Redis 7 reports pending entries that were deleted")
            #expect(try await client.xpending("s", group: "g").count == 0)
            #expect(try await client.xpending("s", group: "g").lowestID == nil)
        }
    }

    @Test func xaddTrimsApproximatelyToMaxLength() async throws {
        try await withRedis { _, client in
            for index in 0..<300 {
                try await client.xadd("capped", fields: ["i": "\(index)"], maxLength: 10, approximate: false)
            }
            #expect(try await client.xlen("capped") == 10)
        }
    }
}
