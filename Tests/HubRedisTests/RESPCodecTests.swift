import HubRedis
import NIOCore
import NIOPosix
import Testing

@Suite("RESP codec and pipelining")
struct RESPCodecTests {
    @Test func everyReplyTypeDecodesFromTheServer() async throws {
        try await withRedis { _, client in
            #expect(try await client.send("PING") == .simpleString("PONG"))
            #expect(try await client.send("SET", "counter", 41) == .simpleString("OK"))
            #expect(try await client.send("INCR", "counter") == .integer(42))
            #expect(try await client.send("INCRBY", "counter", -50) == .integer(-8))
            #expect(try await client.send("ECHO", "hello") == RESPValue(bulk: "hello"))
            #expect(try await client.send("ECHO", "") == RESPValue(bulk: ""))
            #expect(try await client.send("GET", "missing") == .null)
            #expect(try await client.send("KEYS", "nothing-matches-*") == .array([]))

            let errors = try await client.pipeline([["NOSUCHCOMMAND"]])
            #expect(errors[0].errorMessage?.hasPrefix("ERR unknown command") == true)

            // A null array (`*-1`): BLPOP timing out.
            let timedOut = try await client.sendBlocking(["BLPOP", "empty-list", "0.05"], blockingFor: .milliseconds(50))
            #expect(timedOut == .null)
        }
    }

    @Test func nestedArraysWithNullsDecodeInPlace() async throws {
        try await withRedis { _, client in
            let reply = try await client.eval("return {1, 'two', {3, {'four', false}, {}}, false, -5}")
            #expect(
                reply
                    == .array([
                        .integer(1),
                        RESPValue(bulk: "two"),
                        .array([.integer(3), .array([RESPValue(bulk: "four"), .null]), .array([])]),
                        .null,
                        .integer(-5),
                    ])
            )
            #expect(reply.array?[2].array?[1].array?[0].string == "four")
        }
    }

    @Test func errorRepliesAreThrownBySendAndReturnedByPipeline() async throws {
        try await withRedis { _, client in
            try await client.send("SET", "text", "not a number")
            await #expect(throws: RedisError.server("ERR value is not an integer or out of range")) {
                try await client.send("INCR", "text")
            }
            let replies = try await client.pipeline([["INCR", "text"], ["GET", "text"]])
            #expect(replies[0] == .error("ERR value is not an integer or out of range"))
            #expect(replies[1].string == "not a number")
        }
    }

    @Test func bulkStringsAreBinarySafe() async throws {
        try await withRedis { _, client in
            let bytes: [UInt8] = [0, 13, 10, 36, 42, 43, 45, 58, 13, 10, 0, 255, 254, 13]
            try await client.send("SET", bytes, bytes)
            let reply = try await client.send("GET", bytes)
            #expect(reply == .bulkString(ByteBuffer(bytes: bytes)))
            #expect(reply.bytes == bytes)
            #expect(try await client.send("STRLEN", bytes) == .integer(bytes.count))
        }
    }

    @Test func oneMebibyteValuesRoundTrip() async throws {
        try await withRedis { _, client in
            var generator = SystemRandomNumberGenerator()
            let large = (0..<(1 << 20)).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            try await client.send("SET", "large", large)
            #expect(try await client.getBuffer("large") == ByteBuffer(bytes: large))
            // Two large bulk strings inside one array reply.
            try await client.send("SET", "large2", large)
            let both = try await client.send("MGET", "large", "large2", "missing")
            #expect(both.array?.count == 3)
            #expect(both.array?[1].bytes == large)
            #expect(both.array?[2] == .null)
        }
    }

    @Test func pipelineOfThousandCommandsRepliesInOrder() async throws {
        try await withRedis { _, client in
            let commands: [[RESPArgument]] = (0..<1000).map { ["ECHO", "reply-\($0)"] }
            let replies = try await client.pipeline(commands)
            #expect(replies.count == 1000)
            #expect(replies.map { $0.string ?? "" } == (0..<1000).map { "reply-\($0)" })

            let counters = try await client.pipeline((0..<1000).map { _ in ["INCR", "n"] })
            #expect(counters == (1...1000).map { RESPValue.integer($0) })
        }
    }

    @Test func concurrentSendsFromHundredTasksEachGetTheirOwnReply() async throws {
        try await withRedis { _, client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<100 {
                    group.addTask {
                        for round in 0..<20 {
                            let expected = "task-\(task)-round-\(round)"
                            let reply = try await client.send("ECHO", expected)
                            #expect(reply.string == expected)
                        }
                    }
                }
                try await group.waitForAll()
            }
            // All of it was multiplexed over a single connection.
            let clients = try await client.send("CLIENT", "LIST").string ?? ""
            #expect(clients.split(separator: "\n").count == 1)
        }
    }

    @Test func malformedRepliesCloseTheConnectionWithAProtocolError() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(GarbageReplier())
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        let port = try #require(server.localAddress?.port)
        let client = RedisClient(
            configuration: RedisConfiguration(host: "127.0.0.1", port: port),
            logger: quietLogger
        )
        await #expect(throws: RedisError.protocolError("Protocol error, got \"?\" as reply type byte")) {
            try await client.ping()
        }
        await client.shutdown()
        try await server.close()
    }
}

/// Answers anything with bytes that are not RESP.
private final class GarbageReplier: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.writeAndFlush(Self.wrapOutboundOut(ByteBuffer(string: "?garbage\r\n")), promise: nil)
    }
}
