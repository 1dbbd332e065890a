import HubCore
import NIOCore
import NIOPosix

/// Bytes written to a server as they are, for requests no HTTP client would send.
enum RawHTTP {
    /// Writes `request` over a new connection to 127.0.0.1:`port` (then, with
    /// `closingAfterWrite`, half-closes it, as a client that stops sending mid-body) and returns
    /// what the server wrote until it closed the connection or one response had arrived whole.
    static func exchange(port: Int, _ request: String, closingAfterWrite: Bool = false) async throws -> String {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                        wrappingChannelSynchronously: channel,
                        configuration: .init(isOutboundHalfClosureEnabled: true)
                    )
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: request))
            if closingAfterWrite { outbound.finish() }
            var received = ""
            for try await chunk in inbound {
                received += String(buffer: chunk)
                if isWhole(received) { break }
            }
            return received
        }
    }

    /// Whether `text` holds a response's head and as much body as its Content-Length says.
    static func isWhole(_ text: String) -> Bool {
        guard let split = text.range(of: "\r\n\r\n") else { return false }
        let head = text[..<split.lowerBound].lowercased()
        guard let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
            let length = Int(line.dropFirst("content-length:".count).trimmingWhitespace())
        else { return false }
        return text[split.upperBound...].utf8.count >= length
    }
}
