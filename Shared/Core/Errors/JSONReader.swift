import Foundation

/// Parses JSON bytes straight into `JSONValue` in one pass. `JSONDecoder` reaches a `JSONValue`
/// by trying each case in turn and throwing for every miss, which makes a page of 100 provider
/// objects several times slower to read than to fetch; a full sync reads millions of them. Use it
/// wherever bytes become a `JSONValue` on a hot path (provider pages, webhook bodies).
/// Strict (RFC 8259), bounded in depth, and total: malformed input gives nil, never a trap.
public struct JSONReader {
    /// Deeper input is refused rather than recursed into (provider objects are a few levels deep).
    public static let maximumDepth = 256

    public static func parse(_ bytes: [UInt8]) -> JSONValue? {
        bytes.withUnsafeBufferPointer(parse)
    }

    public static func parse(_ data: Data) -> JSONValue? {
        data.withUnsafeBytes { parse($0.bindMemory(to: UInt8.self)) }
    }

    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> JSONValue? {
        var reader = JSONReader(bytes: bytes)
        return reader.document()
    }

    /// A listing page (an object) with the text of each element of its array `key`, as the
    /// provider wrote it less the whitespace between tokens, so that a record can be stored as
    /// it came instead of being written again. No elements when the page has no such array; nil
    /// when the bytes are not JSON.
    public static func parse(_ bytes: [UInt8], elementsOf key: String) -> (value: JSONValue, elements: [ArraySlice<UInt8>])? {
        let read = bytes.withUnsafeBufferPointer { buffer -> (JSONValue, [Element])? in
            var reader = JSONReader(bytes: buffer)
            reader.elementsKey = key
            return reader.document().map { ($0, reader.elements) }
        }
        guard let (value, elements) = read else { return nil }
        return (value, elements.map { $0.isCompact ? bytes[$0.range] : compacted(bytes[$0.range]) })
    }

    /// Where an element lies, and whether it holds no whitespace between tokens.
    private struct Element {
        var range: Range<Int>
        var isCompact: Bool
    }

    /// `text` (JSON the reader has read) without the whitespace between its tokens.
    private static func compacted(_ text: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var output: [UInt8] = []
        output.reserveCapacity(text.count)
        var inString = false
        var escaped = false
        for byte in text {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if isWhitespace(byte) {
                continue
            }
            output.append(byte)
        }
        return output[...]
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    /// The fields of the objects being read, innermost last: an object's dictionary is made once
    /// its fields are known, at its size, instead of growing one field at a time (each growth
    /// hashes every key again; that was a tenth of a pull's parsing).
    private var fields: [(String, JSONValue)] = []
    /// The top-level field whose array elements' ranges are kept, and the ranges.
    private var elementsKey: String?
    private var elements: [Element] = []
    /// Whitespace bytes skipped so far: an element that adds none is compact already.
    private var whitespaceSkipped = 0
    /// Set between reading `elementsKey` and its value.
    private var keepingElements = false

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    private mutating func document() -> JSONValue? {
        skipWhitespace()
        guard let value = value(depth: 0) else { return nil }
        skipWhitespace()
        return index == bytes.count ? value : nil
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    /// JSON's four whitespace bytes: space, line feed, carriage return, tab.
    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    private mutating func skipWhitespace() {
        let start = index
        while let byte = current, Self.isWhitespace(byte) { index += 1 }
        whitespaceSkipped &+= index - start
    }

    private mutating func expect(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        for offset in 0..<count where bytes[index + offset] != literal.utf8Start[offset] { return false }
        index += count
        return true
    }

    private mutating func value(depth: Int) -> JSONValue? {
        guard depth < Self.maximumDepth, let byte = current else { return nil }
        switch byte {
        case UInt8(ascii: "{"): return object(depth: depth)
        case UInt8(ascii: "["): return array(depth: depth)
        case UInt8(ascii: "\""): return string().map(JSONValue.string)
        case UInt8(ascii: "t"): return expect("true") ? .bool(true) : nil
        case UInt8(ascii: "f"): return expect("false") ? .bool(false) : nil
        case UInt8(ascii: "n"): return expect("null") ? .null : nil
        default: return number()
        }
    }

    private mutating func object(depth: Int) -> JSONValue? {
        index += 1
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            index += 1
            return .object([:])
        }
        let start = fields.count
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\""), let key = string() else { return nil }
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { return nil }
            index += 1
            skipWhitespace()
            keepingElements = depth == 0 && key == elementsKey
            if keepingElements { elements.removeAll() }  // a repeated key keeps its last value
            guard let value = value(depth: depth + 1) else { return nil }
            keepingElements = false
            fields.append((key, value))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                // A repeated key keeps its last value, as before.
                let object = Dictionary(fields[start...], uniquingKeysWith: { _, last in last })
                fields.removeSubrange(start...)
                return .object(object)
            default: return nil
            }
        }
    }

    private mutating func array(depth: Int) -> JSONValue? {
        index += 1
        let keeping = keepingElements
        keepingElements = false
        var values: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            index += 1
            return .array(values)
        }
        while true {
            skipWhitespace()
            let start = index
            let skipped = whitespaceSkipped
            guard let value = value(depth: depth + 1) else { return nil }
            if keeping { elements.append(Element(range: start..<index, isCompact: whitespaceSkipped == skipped)) }
            values.append(value)
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return .array(values)
            default: return nil
            }
        }
    }

    /// A string at the opening quote. Escape-free strings (nearly all) are one slice.
    private mutating func string() -> String? {
        index += 1
        let start = index
        while let byte = current, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
            guard byte >= 0x20 else { return nil }
            index += 1
        }
        guard let stop = current else { return nil }
        if stop == UInt8(ascii: "\"") {
            defer { index += 1 }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        }
        var buffer = Array(bytes[start..<index])
        while let byte = current {
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: buffer, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let scalar = escape() else { return nil }
                UTF8.encode(scalar) { buffer.append($0) }
            case 0..<0x20:
                return nil
            default:
                buffer.append(byte)
            }
        }
        return nil
    }

    /// The character after a backslash (already consumed).
    private mutating func escape() -> Unicode.Scalar? {
        guard let byte = current else { return nil }
        index += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            guard let high = hex4() else { return nil }
            if (0xD800..<0xDC00).contains(high) {
                guard expect("\\u"), let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
            }
            return Unicode.Scalar(high)
        default: return nil
        }
    }

    private mutating func hex4() -> UInt32? {
        guard index + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// A number per RFC 8259's grammar. Integers of up to 15 digits are accumulated directly;
    /// anything else goes through `Double`'s parser.
    private mutating func number() -> JSONValue? {
        let start = index
        if current == UInt8(ascii: "-") { index += 1 }
        guard let first = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return nil }
        var integer: Int64 = 0
        var digits = 0
        if first == UInt8(ascii: "0") {
            index += 1
        } else {
            while let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                integer = integer &* 10 &+ Int64(byte - UInt8(ascii: "0"))
                digits += 1
                index += 1
            }
        }
        var isInteger = true
        if current == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard skipDigits() else { return nil }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard skipDigits() else { return nil }
        }
        if isInteger, digits <= 15 {
            return .number(Double(bytes[start] == UInt8(ascii: "-") ? -integer : integer))
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        return Double(text).map(JSONValue.number)
    }

    /// One or more digits.
    private mutating func skipDigits() -> Bool {
        let start = index
        while let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { index += 1 }
        return index > start
    }
}
