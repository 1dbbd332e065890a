import Foundation

/// A JSON value as the Shopify emulation stores objects: schemaless, because the REST API accepts
/// and echoes arbitrary fields, and with integers kept exact, because Shopify ids are 64-bit and
/// a `Double` would round them.
enum ShopifyJSON: Codable, Sendable, Equatable {
    typealias Object = [String: ShopifyJSON]

    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([ShopifyJSON])
    case object(Object)

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([ShopifyJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode(Object.self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    var object: Object? {
        if case .object(let value) = self { return value }
        return nil
    }

    var array: [ShopifyJSON]? {
        if case .array(let value) = self { return value }
        return nil
    }

    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// Integers, and strings of digits: clients send ids either way.
    var int: Int64? {
        switch self {
        case .int(let value): value
        case .double(let value) where value.rounded() == value && abs(value) < 9e15: Int64(value)
        case .string(let value): Int64(value)
        default: nil
        }
    }

    /// Numbers and decimal strings (Shopify sends prices as strings, clients often as numbers).
    var decimal: Double? {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        case .string(let value): Double(value)
        default: nil
        }
    }

    var isBlank: Bool {
        switch self {
        case .null: true
        case .string(let value): value.trimmingCharacters(in: .whitespaces).isEmpty
        default: false
        }
    }

    /// `12.5` as Shopify writes money: a string with two decimals.
    static func money(_ value: Double) -> ShopifyJSON {
        .string(String(format: "%.2f", value))
    }

    static func serialize(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? Array(encoder.encode(value))) ?? Array("{}".utf8)
    }
}

extension ShopifyJSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int64) { self = .int(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(arrayLiteral elements: ShopifyJSON...) { self = .array(elements) }
    init(dictionaryLiteral elements: (String, ShopifyJSON)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
