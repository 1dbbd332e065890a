import BenchmarkSupport
import NIOCore
import NIOHTTP1
import NIOPosix

/// One keep-alive HTTP/1.1 connection of the throughput scenarios' publishers: a request at a
/// time, head and body in one write. The publishers share the two cores with the hub, and
/// AsyncHTTPClient's general machinery (a pool, a state machine and a flush for head and body
/// each) cost them about as much again per request.
struct PublisherConnection {
    typealias Channel = NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>

    /// Connects to `host:port` and runs `body` with a way to send requests on the connection,
    /// which is closed afterwards.
    static func with<T: Sendable>(
        host: String,
        port: Int,
        _ body: (_ send: (HTTPRequestHead, ByteBuffer) async throws -> (HTTPResponseStatus, ByteBuffer)) async throws -> T
    ) async throws -> T {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try Channel(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var responses = inbound.makeAsyncIterator()
            return try await body { head, payload in
                try await outbound.write(contentsOf: [.head(head), .body(.byteBuffer(payload)), .end(nil)])
                var status: HTTPResponseStatus?
                var received = ByteBuffer()
                while let part = try await responses.next() {
                    switch part {
                    case .head(let head): status = head.status
                    case .body(var bytes): received.writeBuffer(&bytes)
                    case .end:
                        guard let status else { throw BenchmarkError("an answer ended before its head") }
                        return (status, received)
                    }
                }
                throw BenchmarkError("the connection closed before the answer ended")
            }
        }
    }
}
