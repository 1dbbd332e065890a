import HubRedis
import ServiceLifecycle
import Testing

@Suite("Service lifecycle")
struct RedisClientServiceTests {
    @Test func runClosesConnectionsOnGracefulShutdown() async throws {
        try await withRedis { _, client in
            let group = ServiceGroup(services: [client], logger: quietLogger)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                #expect(try await client.ping() == "PONG")
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            await #expect(throws: RedisError.clientShutdown) { try await client.ping() }
        }
    }

    @Test func runReturnsWhenCancelledOutsideAServiceGroup() async throws {
        try await withRedis { _, client in
            let running = Task { try await client.run() }
            #expect(try await client.ping() == "PONG")
            running.cancel()
            try await running.value
            await #expect(throws: RedisError.clientShutdown) { try await client.ping() }
        }
    }
}
