import CHiredis
import NIOCore

/// hiredis 0.14 reply type tags (`REDIS_REPLY_*`), spelled out because C macros are not a
/// dependable import.
private enum HiredisReplyType {
    static let string: Int32 = 1
    static let array: Int32 = 2
    static let integer: Int32 = 3
    static let null: Int32 = 4
    static let status: Int32 = 5
    static let error: Int32 = 6
}

/// hiredis return codes (`REDIS_OK`, `REDIS_ERR`).
private enum HiredisStatus {
    static let ok: Int32 = 0
}

/// Decodes RESP2 replies with hiredis's `redisReader`, as the inbound codec of a Redis channel.
///
/// hiredis does the parsing (it is the reference implementation and handles partial input,
/// nested arrays and binary-safe bulk strings); NIO does the non-blocking I/O. Every readable
/// byte is fed to the reader as it arrives, then every complete reply is converted into a
/// ``RESPValue`` and the hiredis object freed immediately, so no C memory outlives a `decode` call
/// except the reader's own buffer. A protocol error from the reader is thrown as
/// ``RedisError/protocolError(_:)``; ``RedisCommandHandler`` then fails pending commands and closes
/// the channel, because a RESP stream cannot be resynchronised. (hiredis 0.14 also reports arrays
/// nested more than seven deep as a protocol error; no Redis command replies that deep.)
final class RESPDecoder: ByteToMessageDecoder {
    typealias InboundOut = RESPValue

    private let reader: UnsafeMutablePointer<redisReader>

    /// Creates the hiredis reader; throws if hiredis cannot allocate it.
    init() throws {
        guard let reader = redisReaderCreate() else {
            throw RedisError.protocolError("hiredis could not allocate a reply reader")
        }
        self.reader = reader
    }

    deinit {
        redisReaderFree(self.reader)
    }

    func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        try self.feed(&buffer)
        // hiredis keeps the bytes, so all complete replies are emitted now: B2MD calls `decode`
        // again only when new bytes arrive.
        while let value = try self.nextReply(allocator: context.channel.allocator) {
            context.fireChannelRead(Self.wrapInboundOut(value))
        }
        return .needMoreData
    }

    func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        // A truncated trailing reply is dropped: the connection is closing and the command that
        // expected it is failed as `connectionClosed` by the command handler.
        try self.decode(context: context, buffer: &buffer)
    }

    /// Hands every readable byte to hiredis, which copies it into its own buffer.
    private func feed(_ buffer: inout ByteBuffer) throws {
        let count = buffer.readableBytes
        guard count > 0 else { return }
        let status = buffer.withUnsafeReadableBytes { bytes in
            redisReaderFeed(self.reader, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count)
        }
        buffer.moveReaderIndex(forwardBy: count)
        guard status == HiredisStatus.ok else {
            throw RedisError.protocolError(self.readerError())
        }
    }

    /// Takes the next complete reply from hiredis, or `nil` if more bytes are needed.
    private func nextReply(allocator: ByteBufferAllocator) throws -> RESPValue? {
        var object: UnsafeMutableRawPointer?
        guard redisReaderGetReply(self.reader, &object) == HiredisStatus.ok else {
            throw RedisError.protocolError(self.readerError())
        }
        guard let object else { return nil }
        defer { freeReplyObject(object) }
        return try Self.convert(object.assumingMemoryBound(to: redisReply.self), allocator: allocator)
    }

    private func readerError() -> String {
        withUnsafeBytes(of: self.reader.pointee.errstr) { raw in
            let bytes = raw.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Converts one hiredis reply tree into a ``RESPValue`` (copying; the caller frees the tree).
    private static func convert(
        _ reply: UnsafeMutablePointer<redisReply>,
        allocator: ByteBufferAllocator
    ) throws -> RESPValue {
        let node = reply.pointee
        switch node.type {
        case HiredisReplyType.string:
            var buffer = allocator.buffer(capacity: node.len)
            buffer.writeBytes(UnsafeRawBufferPointer(start: node.str, count: node.len))
            return .bulkString(buffer)
        case HiredisReplyType.status:
            return .simpleString(Self.text(node))
        case HiredisReplyType.error:
            return .error(Self.text(node))
        case HiredisReplyType.integer:
            return .integer(Int(node.integer))
        case HiredisReplyType.null:
            return .null
        case HiredisReplyType.array:
            var elements: [RESPValue] = []
            elements.reserveCapacity(node.elements)
            for index in 0..<node.elements {
                guard let child = node.element?[index] else {
                    throw RedisError.protocolError("hiredis returned an array with a missing element")
                }
                elements.append(try Self.convert(child, allocator: allocator))
            }
            return .array(elements)
        default:
            throw RedisError.protocolError("hiredis returned unknown reply type \(node.type)")
        }
    }

    private static func text(_ node: redisReply) -> String {
        String(decoding: UnsafeRawBufferPointer(start: node.str, count: node.len), as: UTF8.self)
    }
}
