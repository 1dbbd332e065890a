import HubRedis
import HubTestSupport
import Testing

@Suite("Reconnection, timeouts and the connection handshake")
struct RedisClientReconnectTests {
    @Test func commandsWhileRedisIsDownFailFastAndSucceedAfterRestartWithTheSameClient() async throws {
        let configure: (inout RedisConfiguration) -> Void = {
            $0.connectTimeout = .seconds(60)
            $0.maxReconnectBackoff = .milliseconds(200)
        }
        try await withRedis(configure: configure) { server, client in
            try await client.set("before", "restart")
            await server.stop()

            for _ in 0..<5 {
                let (_, elapsed) = await timed {
                    await #expect(throws: RedisError.self) { try await client.ping() }
                }
                #expect(elapsed < .seconds(20), "no hanging while Redis is down")
            }
            // Once the old connection is gone, the error says no connection could be opened.
            do {
                try await client.ping()
                Issue.record("PING succeeded while Redis was down")
            } catch let error as RedisError {
                guard case .connectionFailed = error else {
                    Issue.record("expected connectionFailed, got \(error)")
                    return
                }
            }

            try await server.start()
            _ = try await eventually { try await client.ping() }
            try await client.set("after", "restart")
            #expect(try await client.get("after") == "restart")
        }
    }

    @Test func pendingCommandsFailWithConnectionClosedWhenTheConnectionIsKilled() async throws {
        // Commands get 30 s, not 5: a loaded full run stalled the test process 12 s at its start,
        // and the first command timed out. The interruption must still come within 20 s.
        let configure: (inout RedisConfiguration) -> Void = { $0.commandTimeout = .seconds(30) }
        try await withRedis(configure: configure) { server, client in
            let idBefore = try await client.send("CLIENT", "ID").int
            // A blocked read is interrupted at once, not after its 60 s block.
            let blocked = Task {
                try await client.sendBlocking(["BLPOP", "never", "60"], blockingFor: .seconds(60))
            }
            try await waitUntilBlocked(client)
            let (outcome, elapsed) = await timed { () -> Result<RESPValue, any Error> in
                try? await killClientConnections(of: server)
                return await blocked.result
            }
            #expect(elapsed < .seconds(20))
            #expect(throws: RedisError.connectionClosed) { try outcome.get() }

            // The shared connection was killed too; the client reconnects on its own.
            let idAfter = try await eventually(within: .seconds(30)) { try await client.send("CLIENT", "ID").int }
            #expect(idAfter != idBefore)
        }
    }

    @Test func authAndSelectAreReplayedOnEveryNewConnection() async throws {
        let server = try await RedisServerProcess.start(extraArguments: ["--requirepass", "s3cr3t"])
        let configuration = try RedisConfiguration(url: "redis://:s3cr3t@127.0.0.1:\(server.port)/3")
        let client = RedisClient(configuration: configuration, logger: quietLogger)
        try await client.set("where", "db3")
        #expect(try await client.send("CLIENT", "INFO").string?.contains(" db=3 ") == true)

        try await killClientConnections(of: server, password: "s3cr3t")
        let info = try await eventually { try await client.send("CLIENT", "INFO").string ?? "" }
        #expect(info.contains(" db=3 "))
        #expect(try await client.get("where") == "db3")
        await client.shutdown()
        await server.stop()
    }

    @Test func aWrongPasswordFailsAsConnectionFailed() async throws {
        let server = try await RedisServerProcess.start(extraArguments: ["--requirepass", "right"])
        let client = RedisClient(
            configuration: try RedisConfiguration(url: "redis://:wrong@127.0.0.1:\(server.port)"),
            logger: quietLogger
        )
        do {
            try await client.ping()
            Issue.record("PING succeeded with a wrong password")
        } catch RedisError.connectionFailed(let reason) {
            #expect(reason.contains("WRONGPASS"))
            #expect(!reason.contains("wrong"))
        }
        await client.shutdown()
        await server.stop()
    }

    @Test func aCommandWithoutReplyTimesOutAndTheNextOneUsesANewConnection() async throws {
        let configure: (inout RedisConfiguration) -> Void = { $0.commandTimeout = .milliseconds(200) }
        try await withRedis(configure: configure) { server, client in
            // Connected before the pause, so only the command's own timeout is measured; the pause is
            // long enough that a starved scheduler on a busy CI machine cannot blur the two. The
            // first PING may itself outlast 200 ms on a loaded machine (it did in a full run), so
            // it is retried until one is answered.
            _ = try await eventually(within: .seconds(20)) { try await client.ping() }
            let pauser = RedisClient(configuration: try RedisConfiguration(url: server.url), logger: quietLogger)
            try await pauser.send("CLIENT", "PAUSE", 10000, "ALL")
            let (_, elapsed) = await timed {
                await #expect(throws: RedisError.timeout) { try await client.ping() }
            }
            #expect(elapsed < .seconds(8), "the timeout fired before the pause ended")
            _ = try await eventually(within: .seconds(20)) { try await client.ping() }
            await pauser.shutdown()
        }
    }

    @Test func commandsAfterShutdownAreRefused() async throws {
        try await withRedis { _, client in
            try await client.ping()
            await client.shutdown()
            await #expect(throws: RedisError.clientShutdown) { try await client.ping() }
        }
    }
}
