/// The order an object's keys are written in. A `JSONValue` object has no order of its own, so
/// the writer gives it one, the same every time.
public enum JSONKeyOrder: Sendable {
    /// As `String`'s `<` orders them (byte order for ASCII keys), as `JSONEncoder` writes with
    /// `.sortedKeys` (Shopify, Plaid).
    case sorted
    /// `id` and `object` first, then the rest sorted, as Stripe writes its objects.
    case identityFirst
}

/// Compact JSON bytes in one pass (the provider sandbox's responses, the sync engine's stored
/// payloads and their content hashes), written as `JSONEncoder` writes them with `.sortedKeys` and
/// `.withoutEscapingSlashes`: the same number format (integral values without `.0`), the same
/// escapes. Integral numbers are written as integers, so amounts, times and ids read as integers.
extension JSONValue {
    public func encoded(_ order: JSONKeyOrder = .sorted) -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(512)
        write(into: &buffer, order: order)
        return buffer
    }

    public func write(into buffer: inout [UInt8], order: JSONKeyOrder = .sorted) {
        switch self {
        case .null: buffer.append(contentsOf: "null".utf8)
        case .bool(let value): buffer.append(contentsOf: (value ? "true" : "false").utf8)
        case .number(let value): Self.writeNumber(value, into: &buffer)
        case .string(let value): Self.writeString(value, into: &buffer)
        case .array(let values):
            buffer.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { buffer.append(UInt8(ascii: ",")) }
                value.write(into: &buffer, order: order)
            }
            buffer.append(UInt8(ascii: "]"))
        case .object(let fields):
            buffer.append(UInt8(ascii: "{"))
            for (index, position) in Self.ordered(fields, order).enumerated() {
                if index > 0 { buffer.append(UInt8(ascii: ",")) }
                let field = fields[position]
                Self.writeString(field.key, into: &buffer)
                buffer.append(UInt8(ascii: ":"))
                field.value.write(into: &buffer, order: order)
            }
            buffer.append(UInt8(ascii: "}"))
        }
    }

    /// The fields' positions in `order`. The keys are taken out once, in one pass, and sorted
    /// with their positions: comparing `fields[$0].key`s looked each key up twice a comparison.
    private static func ordered(_ fields: [String: JSONValue], _ order: JSONKeyOrder) -> [[String: JSONValue].Index] {
        var keyed: [(key: String, position: [String: JSONValue].Index)] = []
        keyed.reserveCapacity(fields.count)
        var position = fields.startIndex
        for key in fields.keys {
            keyed.append((key, position))
            fields.formIndex(after: &position)
        }
        keyed.sort { $0.key < $1.key }
        var positions = keyed.map(\.position)
        if order == .identityFirst {
            for key in ["object", "id"] {
                if let index = positions.firstIndex(where: { fields[$0].key == key }) { positions.insert(positions.remove(at: index), at: 0) }
            }
        }
        return positions
    }

    /// Integral values below 10^16 as integers; others as Swift's shortest form without a
    /// trailing `.0` (`12.5`, `1e+16`), which is what `JSONEncoder` writes. Not finite: `null`.
    public static func writeNumber(_ value: Double, into buffer: inout [UInt8]) {
        guard value.isFinite else { return buffer.append(contentsOf: "null".utf8) }
        if value.rounded() == value, abs(value) < 1e16, value != 0 || value.sign == .plus {
            return writeInteger(Int64(value), into: &buffer)
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        buffer.appendUTF8(text)
    }

    /// Decimal digits written straight into the buffer, most significant first.
    static func writeInteger(_ value: Int64, into buffer: inout [UInt8]) {
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        let start = buffer.count
        repeat {
            buffer.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        buffer[start...].reverse()
    }

    public static func writeString(_ string: String, into buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\""))
        // Nearly every string needs no escape: copied whole, as one block of bytes.
        let copied = string.utf8.withContiguousStorageIfAvailable { bytes in
            if bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) { return false }
            buffer.append(contentsOf: bytes)
            return true
        }
        if copied == true {
            buffer.append(UInt8(ascii: "\""))
            return
        }
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                buffer.append(contentsOf: "\\u00".utf8)
                buffer.append(hex[Int(byte >> 4)])
                buffer.append(hex[Int(byte & 0x0F)])
            default: buffer.append(byte)
            }
        }
        buffer.append(UInt8(ascii: "\""))
    }
}

extension Array where Element == UInt8 {
    /// A string's UTF-8 bytes in one copy (`append(contentsOf: string.utf8)` goes byte by byte).
    public mutating func appendUTF8(_ string: String) {
        var string = string
        string.withUTF8 { append(contentsOf: $0) }
    }
}
