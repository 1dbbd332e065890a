import HubRedis
import Testing

@Suite("Blocking commands")
struct RedisBlockingCommandTests {
    @Test func blockingReadDoesNotDelayOrdinaryCommands() async throws {
        try await withRedis { _, client in
            try await client.xgroupCreate("events", group: "readers", id: "$", mkstream: true)
            try await client.set("plain", "value")

            let reader = Task {
                try await client.xreadgroup(group: "readers", consumer: "r1", stream: "events", block: .seconds(60))
            }
            try await waitUntilBlocked(client)

            let (value, elapsed) = try await timed { try await client.get("plain") }
            #expect(value == "value")
            // Far under the block, far over a loaded CI machine's stalls.
            #expect(elapsed < .seconds(20), "GET waited \(elapsed) behind a blocked XREADGROUP")

            // The read is still blocked; a new entry ends it early.
            let id = try await client.xadd("events", fields: [(name: "kind", value: "ping")])
            let entries = try await reader.value
            #expect(entries.map(\.id) == [id])
            #expect(entries.first?.fields == ["kind": "ping"])
        }
    }

    @Test func blockingReadTimesOutWithNoEntries() async throws {
        try await withRedis { _, client in
            try await client.xgroupCreate("quiet", group: "readers", id: "$", mkstream: true)
            let (entries, elapsed) = try await timed {
                try await client.xreadgroup(group: "readers", consumer: "r1", stream: "quiet", block: .milliseconds(200))
            }
            #expect(entries.isEmpty)
            #expect(elapsed >= .milliseconds(190))
        }
    }

    @Test func cancellingABlockedReadEndsItPromptly() async throws {
        try await withRedis { _, client in
            try await client.xgroupCreate("idle", group: "readers", id: "$", mkstream: true)
            let reader = Task {
                try await client.xreadgroup(group: "readers", consumer: "r1", stream: "idle", block: .seconds(60))
            }
            try await waitUntilBlocked(client)
            let (outcome, elapsed) = await timed { () -> Result<[RedisStreamEntry], any Error> in
                reader.cancel()
                return await reader.result
            }
            #expect(elapsed < .seconds(20))
            #expect(throws: CancellationError.self) { try outcome.get() }
            // The client is unaffected.
            #expect(try await client.ping() == "PONG")
        }
    }

    @Test func blockingConnectionsAreReusedAfterUse() async throws {
        try await withRedis { _, client in
            for _ in 0..<5 {
                _ = try await client.sendBlocking(["BLPOP", "nothing", "0.01"], blockingFor: .milliseconds(10))
            }
            let clients = try await client.send("CLIENT", "LIST").string ?? ""
            // One shared connection plus one pooled blocking connection.
            #expect(clients.split(separator: "\n").count == 2)
        }
    }
}
