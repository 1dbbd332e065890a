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

    /// How many bytes `write(into:)` writes.
    var encodedCount: Int {
        switch self {
        case .string(let value): Self.bulkCount(value.utf8.count)
        case .bytes(let bytes): Self.bulkCount(bytes.readableBytes)
        case .integer(let value): Self.bulkCount(RESPWriter.decimalCount(value))
        case .double(let value): Self.bulkCount(Self.format(value).utf8.count)
        }
    }

    /// Writes this argument as a RESP bulk string (`$<length>\r\n<bytes>\r\n`).
    func write(into writer: inout RESPWriter) {
        switch self {
        case .string(let value):
            writer.header(UInt8(ascii: "$"), value.utf8.count)
            writer.utf8(value)
        case .bytes(let bytes):
            writer.header(UInt8(ascii: "$"), bytes.readableBytes)
            bytes.withUnsafeReadableBytes { writer.bytes($0) }
        case .integer(let value):
            writer.header(UInt8(ascii: "$"), RESPWriter.decimalCount(value))
            writer.decimal(value)
        case .double(let value):
            let text = Self.format(value)
            writer.header(UInt8(ascii: "$"), text.utf8.count)
            writer.utf8(text)
        }
        writer.crlf()
    }

    private static func bulkCount(_ length: Int) -> Int { RESPWriter.headerCount(length) + length + 2 }

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
