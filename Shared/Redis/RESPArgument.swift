import NIOCore

/// One argument of a Redis command (the command name is an argument too).
///
/// Redis commands are arrays of binary-safe strings; this type lets callers pass text, bytes,
/// integers and doubles without converting them first. Literals work directly:
/// `client.send(["SET", "key", 42])`.
public enum RESPArgument: Sendable, Hashable {
    /// Text, sent as its UTF-8 bytes.
    case string(String)
    /// Raw bytes, sent as they are.
    case bytes(ByteBuffer)
    /// An integer, sent in decimal.
    case integer(Int)
    /// A floating point number, sent in the notation Redis parses (`1.5`, `inf`, `-inf`).
    case double(Double)

    /// Creates a binary argument from a byte array.
    public init(_ bytes: [UInt8]) {
        self = .bytes(ByteBuffer(bytes: bytes))
    }

    /// Writes this argument as a RESP bulk string (`$<length>\r\n<bytes>\r\n`).
    func encode(into buffer: inout ByteBuffer) {
        switch self {
        case .string(let value):
            Self.writeBulk(value, into: &buffer)
        case .bytes(let bytes):
            buffer.writeStaticString("$")
            buffer.writeDecimal(bytes.readableBytes)
            buffer.writeStaticString("\r\n")
            buffer.writeImmutableBuffer(bytes)
            buffer.writeStaticString("\r\n")
        case .integer(let value):
            buffer.writeStaticString("$")
            buffer.writeDecimal(ByteBuffer.decimalCount(value))
            buffer.writeStaticString("\r\n")
            buffer.writeDecimal(value)
            buffer.writeStaticString("\r\n")
        case .double(let value):
            Self.writeBulk(Self.format(value), into: &buffer)
        }
    }

    private static func writeBulk(_ value: String, into buffer: inout ByteBuffer) {
        buffer.writeStaticString("$")
        buffer.writeDecimal(value.utf8.count)
        buffer.writeStaticString("\r\n")
        buffer.writeString(value)
        buffer.writeStaticString("\r\n")
    }

    /// A double as Redis parses it: integers without a fraction, infinities as `+inf` / `-inf`.
    static func format(_ value: Double) -> String {
        if value == .infinity { return "+inf" }
        if value == -.infinity { return "-inf" }
        if value.rounded() == value, abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }
}

extension RESPArgument: ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
    public init(stringLiteral value: String) {
        self = .string(value)
    }
}

extension RESPArgument: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) {
        self = .integer(value)
    }
}

extension RESPArgument: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) {
        self = .double(value)
    }
}
