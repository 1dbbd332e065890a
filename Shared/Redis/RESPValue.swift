import NIOCore

/// One reply from Redis, as decoded from the RESP2 wire protocol by ``RESPDecoder``.
///
/// The enum mirrors the five RESP2 reply types plus the null reply (RESP2 encodes null as a bulk
/// string or array of length -1; both decode to ``null``). Bulk strings stay as `ByteBuffer` so
/// binary values are never forced through `String`; the accessors below convert on demand.
public enum RESPValue: Sendable, Hashable {
    /// A status reply such as `+OK` or `+PONG`.
    case simpleString(String)
    /// An error reply such as `-ERR unknown command`. ``RedisClient/send(_:)-(RESPArgument)`` throws
    /// these as ``RedisError/server(_:)``; ``RedisClient/pipeline(_:)`` returns them in place.
    case error(String)
    /// An integer reply (`:42`).
    case integer(Int)
    /// A binary-safe bulk string (`$3\r\nfoo`).
    case bulkString(ByteBuffer)
    /// The null bulk string or null array (`$-1`, `*-1`).
    case null
    /// An array reply, possibly nested.
    case array([RESPValue])
}

extension RESPValue {
    /// Creates a bulk string holding the UTF-8 bytes of `string`.
    public init(bulk string: String) {
        self = .bulkString(ByteBuffer(string: string))
    }

    /// The value as text: status replies, bulk strings (decoded as UTF-8) and integers.
    /// `nil` for null, arrays and errors.
    public var string: String? {
        switch self {
        case .simpleString(let value): value
        case .bulkString(let buffer): String(buffer: buffer)
        case .integer(let value): String(value)
        case .error, .null, .array: nil
        }
    }

    /// The value as an integer: integer replies, and bulk or status strings that spell one
    /// (Redis returns many counters as bulk strings, e.g. `GET` of an `INCR`ed key).
    public var int: Int? {
        switch self {
        case .integer(let value): value
        case .bulkString, .simpleString: self.string.flatMap { Int($0) }
        case .error, .null, .array: nil
        }
    }

    /// The value as a floating point number (Redis returns scores such as `ZSCORE` as bulk strings).
    public var double: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .bulkString, .simpleString: self.string.flatMap { Double($0) }
        case .error, .null, .array: nil
        }
    }

    /// The elements of an array reply; `nil` for every other type, including null.
    public var array: [RESPValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The raw bytes of a bulk string; `nil` for every other type.
    public var buffer: ByteBuffer? {
        if case .bulkString(let buffer) = self { return buffer }
        return nil
    }

    /// The raw bytes of a bulk or status string as an array.
    public var bytes: [UInt8]? {
        switch self {
        case .bulkString(let buffer): Array(buffer.readableBytesView)
        case .simpleString(let value): Array(value.utf8)
        case .error, .integer, .null, .array: nil
        }
    }

    /// Whether this is the null reply (a missing key, a timed-out blocking read).
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The message of an error reply; `nil` for every other type.
    public var errorMessage: String? {
        if case .error(let message) = self { return message }
        return nil
    }
}

extension RESPValue: CustomStringConvertible {
    /// A compact, human-readable rendering for logs and test failures (binary data is shown lossily).
    public var description: String {
        switch self {
        case .simpleString(let value): "+\(value)"
        case .error(let message): "-\(message)"
        case .integer(let value): ":\(value)"
        case .bulkString(let buffer): "\"\(String(decoding: buffer.readableBytesView, as: UTF8.self))\""
        case .null: "(nil)"
        case .array(let elements): "[\(elements.map(\.description).joined(separator: ", "))]"
        }
    }
}
