import Foundation

/// A JSON value as the emulated Stripe API holds it: objects keep their key order (so `id` and
/// `object` come first, as Stripe writes them), integers stay integers (amounts, unix times), and
/// encoding writes bytes straight into a buffer, so a page of objects costs one pass.
enum StripeJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([StripeJSON])
    case object(StripeFields)

    // MARK: Reading

    subscript(key: String) -> StripeJSON? {
        if case .object(let fields) = self { return fields[key] }
        return nil
    }

    var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// An integer, also from a form value (`"1500"`): form bodies carry every value as a string.
    var intValue: Int? {
        switch self {
        case .int(let value): value
        case .double(let value) where value.rounded() == value && abs(value) < 1e15: Int(value)
        case .string(let value): Int(value)
        default: nil
        }
    }

    /// A boolean, also from a form value (`"true"`).
    var boolValue: Bool? {
        switch self {
        case .bool(let value): value
        case .string("true"): true
        case .string("false"): false
        default: nil
        }
    }

    var fields: StripeFields? {
        if case .object(let fields) = self { return fields }
        return nil
    }

    var arrayValue: [StripeJSON]? {
        if case .array(let values) = self { return values }
        return nil
    }

    // MARK: Encoding

    /// Compact JSON bytes.
    var encoded: [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(512)
        write(into: &buffer)
        return buffer
    }

    func write(into buffer: inout [UInt8]) {
        switch self {
        case .null: buffer.append(contentsOf: Self.nullBytes)
        case .bool(let value): buffer.append(contentsOf: value ? Self.trueBytes : Self.falseBytes)
        case .int(let value): buffer.append(contentsOf: String(value).utf8)
        case .double(let value): buffer.append(contentsOf: (value.isFinite ? String(value) : "null").utf8)
        case .string(let value): Self.writeString(value, into: &buffer)
        case .array(let values):
            buffer.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { buffer.append(UInt8(ascii: ",")) }
                value.write(into: &buffer)
            }
            buffer.append(UInt8(ascii: "]"))
        case .object(let fields):
            buffer.append(UInt8(ascii: "{"))
            for (index, entry) in fields.entries.enumerated() {
                if index > 0 { buffer.append(UInt8(ascii: ",")) }
                Self.writeString(entry.key, into: &buffer)
                buffer.append(UInt8(ascii: ":"))
                entry.value.write(into: &buffer)
            }
            buffer.append(UInt8(ascii: "}"))
        }
    }

    static func writeString(_ string: String, into buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = String(byte, radix: 16)
                buffer.append(contentsOf: "\\u00\(hex.count == 1 ? "0" : "")\(hex)".utf8)
            default: buffer.append(byte)
            }
        }
        buffer.append(UInt8(ascii: "\""))
    }

    private static let nullBytes = Array("null".utf8)
    private static let trueBytes = Array("true".utf8)
    private static let falseBytes = Array("false".utf8)
}

// MARK: Decoding

extension StripeJSON: Decodable {
    /// Decodes any JSON; object keys come out sorted with `id` and `object` first, since the
    /// decoder does not report the order they were written in.
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([StripeJSON].self) {
            self = .array(value)
        } else {
            let dictionary = try container.decode([String: StripeJSON].self)
            self = .object(StripeFields(sorting: dictionary))
        }
    }

    /// Parses bytes this sandbox wrote (or a client sent), or nil when they are not JSON.
    static func parse(_ bytes: [UInt8]) -> StripeJSON? {
        try? JSONDecoder().decode(StripeJSON.self, from: Data(bytes))
    }
}

/// An ordered JSON object. Stripe objects have a few dozen keys, so a linear lookup is as fast as
/// hashing and keeps the order.
struct StripeFields: Sendable, Equatable {
    struct Entry: Sendable, Equatable {
        var key: String
        var value: StripeJSON
    }

    private(set) var entries: [Entry] = []

    init() {}

    init(entries: [Entry]) {
        self.entries = entries
    }

    init(sorting dictionary: [String: StripeJSON]) {
        let leading = ["id", "object"]
        let rest = dictionary.keys.filter { !leading.contains($0) }.sorted()
        for key in leading + rest {
            if let value = dictionary[key] { entries.append(Entry(key: key, value: value)) }
        }
    }

    var keys: [String] { entries.map(\.key) }
    var isEmpty: Bool { entries.isEmpty }

    /// Reading gives nil for a missing key; writing nil removes the key, writing a new key appends it.
    subscript(key: String) -> StripeJSON? {
        get { entries.first { $0.key == key }?.value }
        set {
            let index = entries.firstIndex { $0.key == key }
            switch (index, newValue) {
            case (let index?, let value?): entries[index].value = value
            case (let index?, nil): entries.remove(at: index)
            case (nil, let value?): entries.append(Entry(key: key, value: value))
            case (nil, nil): break
            }
        }
    }
}

extension StripeJSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int) { self = .int(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(arrayLiteral elements: StripeJSON...) { self = .array(elements) }
    init(dictionaryLiteral elements: (String, StripeJSON)...) {
        self = .object(StripeFields(entries: elements.map { StripeFields.Entry(key: $0.0, value: $0.1) }))
    }
    init(nilLiteral: ()) { self = .null }

    /// A string, or `null` when absent: optional fields are written as `null`, as Stripe does.
    static func optional(_ value: String?) -> StripeJSON { value.map(StripeJSON.string) ?? .null }
}

extension StripeFields: ExpressibleByDictionaryLiteral {
    /// Keys written in a literal are distinct, so they are appended as written, without lookups.
    init(dictionaryLiteral elements: (String, StripeJSON)...) {
        entries = elements.map { Entry(key: $0.0, value: $0.1) }
    }
}
