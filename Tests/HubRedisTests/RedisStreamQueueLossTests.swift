import HubRedis
import Synchronization
import Testing

/// Redis is disposable: a queue whose stream and group vanished (`FLUSHALL`, a restart without
/// persistence) makes them again, tells its owner once, and goes on delivering.
@Suite("Stream queue after Redis lost its data")
struct RedisStreamQueueLossTests {
    final class Counter: Sendable {
        let value = Mutex(0)
        func increment() { value.withLock { $0 += 1 } }
        var count: Int { value.withLock { $0 } }
    }

    @Test func aFlushedGroupIsRecreatedOnceAndTheQueueGoesOn() async throws {
        try await withRedis { _, client in
            let recreated = Counter()
            let queue = RedisStreamQueue(client: client, stream: "jobs", group: "workers") { recreated.increment() }
            try await queue.ensureGroup()
            try await queue.enqueue(["job": "before"])
            _ = try await client.send(["FLUSHALL"])

            // Every call that meets NOGROUP answers as for an empty queue; one of them recreates.
            #expect(try await queue.claimAbandoned(consumer: "c1", minIdle: .zero).isEmpty)
            #expect(try await queue.receive(consumer: "c1").isEmpty)
            #expect(try await queue.acknowledge(["1-1"]) == 0)
            #expect(recreated.count == 2, "the owner hears of the group made at first, then of the loss once")

            try await queue.enqueue(["job": "after"])
            let entries = try await queue.receive(consumer: "c1", count: 10)
            #expect(entries.map { $0.fields["job"] } == ["after"])
        }
    }

    /// A Redis that crashed and loaded its last snapshot keeps the group but not the entries
    /// added after the snapshot, and no call meets NOGROUP: the restart is what tells the owner.
    @Test func aRestartFromAnOlderSnapshotTellsTheOwner() async throws {
        try await withRedis { server, client in
            let recreated = Counter()
            let queue = RedisStreamQueue(client: client, stream: "jobs", group: "workers") { recreated.increment() }
            try await queue.ensureGroup()
            try await queue.detectRestart()
            try await queue.detectRestart()
            #expect(recreated.count == 1, "the group made at first; the first check of this Redis says nothing new")

            try await queue.enqueue(["job": "kept"])
            _ = try await client.send(["SAVE"])
            try await queue.enqueue(["job": "lost"])
            await server.stop()
            try await server.start()
            try await eventually { try await queue.detectRestart() }
            #expect(recreated.count == 2, "the owner hears of the restart once")
            try await queue.detectRestart()
            #expect(recreated.count == 2)

            // The group was restored with the snapshot: only the saved entry is left to send again.
            let entries = try await queue.receive(consumer: "c1", count: 10)
            #expect(entries.map { $0.fields["job"] } == ["kept"])
        }
    }

    @Test func aBlockedReceiveOutlivesTheStreamBeingFlushed() async throws {
        try await withRedis { _, client in
            let recreated = Counter()
            let queue = RedisStreamQueue(client: client, stream: "jobs", group: "workers") { recreated.increment() }
            try await queue.ensureGroup()
            async let blocked = queue.receive(consumer: "c1", count: 1, block: .seconds(3))
            try await Task.sleep(for: .milliseconds(300))
            _ = try await client.send(["FLUSHALL"])
            #expect(try await blocked.isEmpty)
            // Whether the blocked read was unblocked with an error or timed out, the next one recreates.
            _ = try await queue.receive(consumer: "c1", count: 1)
            #expect(recreated.count == 2, "made at first, then once after the loss")
            try await queue.enqueue(["job": "after"])
            #expect(try await queue.receive(consumer: "c1", count: 1).count == 1)
        }
    }
}
