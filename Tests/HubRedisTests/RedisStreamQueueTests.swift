import HubRedis
import Testing

@Suite("Stream queue")
struct RedisStreamQueueTests {
    @Test func eachEntryIsDeliveredToExactlyOneConsumerOfTheGroup() async throws {
        try await withRedis { _, client in
            let queue = RedisStreamQueue(client: client, stream: "jobs", group: "workers")
            try await queue.ensureGroup()
            var enqueued: [String] = []
            for index in 0..<200 {
                enqueued.append(try await queue.enqueue([(name: "job", value: "\(index)")]))
            }

            let perConsumer = try await withThrowingTaskGroup(of: [String].self) { group in
                for consumer in 0..<4 {
                    group.addTask {
                        var received: [String] = []
                        while true {
                            let entries = try await queue.receive(consumer: "c\(consumer)", count: 7, block: .milliseconds(100))
                            if entries.isEmpty { return received }
                            received += entries.map(\.id)
                            try await queue.acknowledge(entries.map(\.id))
                        }
                    }
                }
                return try await group.reduce(into: [[String]]()) { $0.append($1) }
            }

            let all = perConsumer.flatMap { $0 }
            #expect(all.count == 200, "no entry delivered twice")
            #expect(Set(all) == Set(enqueued), "no entry lost")
            #expect(perConsumer.filter { !$0.isEmpty }.count > 1, "the work was shared")
            #expect(try await queue.pending().count == 0)

            // Another group on the same stream sees every entry again.
            let auditors = RedisStreamQueue(client: client, stream: "jobs", group: "auditors")
            try await auditors.ensureGroup()
            let audited = try await auditors.receive(consumer: "a1", count: 500)
            #expect(audited.map(\.id) == enqueued)
        }
    }

    /// How far the group consumed the stream: nothing before it read, the oldest unacknowledged
    /// entry while one is pending, the server's clock once it has read and acknowledged it all.
    @Test func consumedThroughFollowsTheGroupsReadsAndAcknowledgements() async throws {
        try await withRedis { _, client in
            let queue = RedisStreamQueue(client: client, stream: "events", group: "readers")
            #expect(try await queue.consumedThrough() == nil, "no stream, no group")
            try await queue.ensureGroup()
            let start = try await client.timeMilliseconds()
            #expect(try await queue.consumedThrough()! >= start, "an empty stream is consumed through now")

            let first = try await queue.enqueue(["n": "1"])
            try await queue.enqueue(["n": "2"])
            #expect(try await queue.consumedThrough() == 0, "nothing delivered yet")
            let firstTime = Int64(first.split(separator: "-")[0])!
            let received = try await queue.receive(consumer: "r1", count: 10)
            #expect(received.count == 2)
            #expect(try await queue.consumedThrough() == firstTime, "the oldest pending entry holds it back")
            try await queue.acknowledge(received.map(\.id))
            let later = try await client.timeMilliseconds()
            let through = try await queue.consumedThrough()!
            #expect(through >= later, "all read and acknowledged: through the server's clock")
        }
    }

    @Test func anEntryOfAConsumerThatDiedIsClaimedByAnotherAfterTheIdleTimeout() async throws {
        try await withRedis { _, client in
            let queue = RedisStreamQueue(client: client, stream: "jobs", group: "workers")
            try await queue.ensureGroup()
            for index in 0..<3 {
                try await queue.enqueue(["job": "\(index)"])
            }
            let taken = try await queue.receive(consumer: "doomed", count: 10)
            #expect(taken.count == 3)
            // "doomed" dies without acknowledging.

            #expect(
                try await queue.claimAbandoned(consumer: "rescuer", minIdle: .seconds(30)).isEmpty,
                "entries idle for less than minIdle are left alone"
            )
            #expect(try await queue.receive(consumer: "rescuer").isEmpty, "pending entries are not redelivered as new")

            try await Task.sleep(for: .milliseconds(350))
            let claimed = try await queue.claimAbandoned(consumer: "rescuer", minIdle: .milliseconds(300))
            #expect(claimed == taken)
            let pending = try await queue.pending()
            #expect(pending.count == 3)
            #expect(pending.consumers == ["rescuer": 3])

            #expect(try await queue.acknowledge(claimed.map(\.id)) == 3)
            #expect(try await queue.pending().count == 0)
        }
    }

    @Test func nothingIsLostWhenTheClientsConnectionsAreKilled() async throws {
        try await withRedis { server, client in
            let queue = RedisStreamQueue(client: client, stream: "jobs", group: "workers")
            try await queue.ensureGroup()
            var enqueued: Set<String> = []
            for index in 0..<50 {
                enqueued.insert(try await queue.enqueue(["job": "\(index)"]))
            }

            var processed: Set<String> = []
            var kills = 0
            var rounds = 0
            while processed != enqueued, rounds < 200 {
                rounds += 1
                do {
                    var entries = try await queue.receive(consumer: "worker", count: 5, block: .milliseconds(50))
                    if entries.isEmpty {
                        // Entries received before a failed XACK are still pending for us.
                        entries = try await queue.claimAbandoned(consumer: "worker", minIdle: .zero, count: 50)
                    }
                    processed.formUnion(entries.map(\.id))
                    if rounds % 3 == 1, kills < 3 {
                        // Between receiving and acknowledging: the worst moment for a network failure.
                        try await killClientConnections(of: server)
                        kills += 1
                    }
                    try await queue.acknowledge(entries.map(\.id))
                } catch RedisError.connectionClosed {
                    continue
                }
            }
            #expect(kills == 3)
            #expect(processed == enqueued)
            // Whatever is still pending (its XACK died with a connection) was processed already.
            let leftovers = try await eventually {
                try await queue.claimAbandoned(consumer: "worker", minIdle: .zero, count: 50)
            }
            #expect(Set(leftovers.map(\.id)).isSubset(of: processed))
            try await queue.acknowledge(leftovers.map(\.id))
            #expect(try await queue.pending().count == 0)
        }
    }

    @Test func aRestartedRedisKeepsTheQueueAndTheClientRecoversByItself() async throws {
        let durable = ["--appendonly", "yes", "--appendfsync", "always"]
        try await withRedis(serverArguments: durable) { server, client in
            let queue = RedisStreamQueue(client: client, stream: "jobs", group: "workers")
            try await queue.ensureGroup()
            var enqueued: [String] = []
            for index in 0..<10 {
                enqueued.append(try await queue.enqueue(["job": "\(index)"]))
            }
            let received = try await queue.receive(consumer: "before-restart", count: 4)
            #expect(received.count == 4)
            let length = RedisScript("return redis.call('XLEN', KEYS[1])")
            #expect(try await client.evalsha(length, keys: ["jobs"]) == .integer(10))

            await server.stop()
            try await server.start()

            // The same client, no intervention: the first command may still see the old
            // connection die, after that it reconnects.
            _ = try await eventually { try await client.ping() }
            // The script cache did not survive the restart; EVALSHA falls back to EVAL.
            #expect(try await client.send("SCRIPT", "EXISTS", length.sha1) == .array([.integer(0)]))
            #expect(try await client.evalsha(length, keys: ["jobs"]) == .integer(10))
            #expect(try await client.send("SCRIPT", "EXISTS", length.sha1) == .array([.integer(1)]))

            #expect(try await queue.pending().count == 4)
            let reclaimed = try await queue.claimAbandoned(consumer: "after-restart", minIdle: .zero)
            #expect(reclaimed.map(\.id) == received.map(\.id))
            let rest = try await queue.receive(consumer: "after-restart", count: 100)
            #expect((reclaimed + rest).map(\.id) == enqueued)
            try await queue.acknowledge(enqueued)
            #expect(try await queue.pending().count == 0)
        }
    }
}
