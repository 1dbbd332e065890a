import Foundation

/// `Encodable` values as the hub writes them in every JSON body it produces: identifiers in
/// lowercase (RFC 9562; Foundation's `UUID` encodes itself uppercase and `JSONEncoder` has no
/// strategy to change that), dates in ISO 8601 (UTC, whole seconds, as `JSONEncoder`'s
/// `.iso8601`), `Data` in base64, `URL`s as their text. The result is a `JSONValue`, written by its
/// one-pass writer: keys sorted, `/` not escaped.
extension JSONValue {
    public init(encoding value: some Encodable) throws {
        self = try JSONTreeEncoder.box(value, codingPath: []).resolve()
    }
}

/// What `JSONValue(encoding:)` builds while a value encodes itself: containers are filled after
/// they were handed out, so the tree is made of references and resolved at the end.
private class JSONNode {
    func resolve() -> JSONValue { .null }
}

private final class JSONLeaf: JSONNode {
    let value: JSONValue
    init(_ value: JSONValue) { self.value = value }
    override func resolve() -> JSONValue { value }
}

private final class JSONObjectNode: JSONNode {
    var fields: [String: JSONNode] = [:]
    override func resolve() -> JSONValue { .object(fields.mapValues { $0.resolve() }) }
}

private final class JSONArrayNode: JSONNode {
    var items: [JSONNode] = []
    override func resolve() -> JSONValue { .array(items.map { $0.resolve() }) }
}

/// A place one encoder writes into (a value, a super encoder's share).
private final class JSONSlot: JSONNode {
    var node: JSONNode?
    // A value that encodes nothing at all is an empty object, as `JSONEncoder` writes it.
    override func resolve() -> JSONValue { node?.resolve() ?? .object([:]) }
}

private struct JSONTreeEncoder: Encoder {
    let codingPath: [any CodingKey]
    let slot: JSONSlot
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// One value: the types the hub writes its own way, the rest by their own `encode(to:)`.
    static func box(_ value: some Encodable, codingPath: [any CodingKey]) throws -> JSONNode {
        switch value {
        case let value as JSONValue: return JSONLeaf(value)
        case let value as UUID: return JSONLeaf(.string(value.uuidString.lowercased()))
        case let value as Date: return JSONLeaf(.string(value.formatted(Date.ISO8601FormatStyle())))
        case let value as URL: return JSONLeaf(.string(value.absoluteString))
        case let value as Data: return JSONLeaf(.string(value.base64EncodedString()))
        case let value as Decimal: return JSONLeaf(.number(Double(truncating: value as NSNumber)))
        default:
            let slot = JSONSlot()
            try value.encode(to: JSONTreeEncoder(codingPath: codingPath, slot: slot))
            return slot
        }
    }

    static func number(_ value: Double, codingPath: [any CodingKey]) throws -> JSONNode {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "\(value) is not a JSON number"))
        }
        return JSONLeaf(.number(value))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let object: JSONObjectNode
        if let existing = slot.node as? JSONObjectNode {
            object = existing
        } else {
            object = JSONObjectNode()
            slot.node = object
        }
        return KeyedEncodingContainer(JSONKeyedContainer<Key>(object: object, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let array: JSONArrayNode
        if let existing = slot.node as? JSONArrayNode {
            array = existing
        } else {
            array = JSONArrayNode()
            slot.node = array
        }
        return JSONUnkeyedContainer(array: array, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONSingleValueContainer(slot: slot, codingPath: codingPath)
    }
}

private struct JSONKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let object: JSONObjectNode
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { object.fields[key.stringValue] = JSONLeaf(.null) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { object.fields[key.stringValue] = JSONLeaf(.bool(value)) }
    mutating func encode(_ value: String, forKey key: Key) throws { object.fields[key.stringValue] = JSONLeaf(.string(value)) }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        object.fields[key.stringValue] = try JSONTreeEncoder.number(value, codingPath: codingPath + [key])
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        object.fields[key.stringValue] = try JSONTreeEncoder.number(Double(value), codingPath: codingPath + [key])
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { object.fields[key.stringValue] = JSONLeaf(.number(Double(value))) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { object.fields[key.stringValue] = JSONLeaf(.number(Double(value))) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { object.fields[key.stringValue] = JSONLeaf(.number(Double(value))) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { object.fields[key.stringValue] = JSONLeaf(.number(Double(value))) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { object.fields[key.stringValue] = JSONLeaf(.number(Double(value))) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { object.fields[key.stringValue] = JSONLeaf(.number(Double(value))) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { object.fields[key.stringValue] = JSONLeaf(.number(Double(value))) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { object.fields[key.stringValue] = JSONLeaf(.number(Double(value))) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { object.fields[key.stringValue] = JSONLeaf(.number(Double(value))) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { object.fields[key.stringValue] = JSONLeaf(.number(Double(value))) }
    mutating func encode(_ value: some Encodable, forKey key: Key) throws {
        object.fields[key.stringValue] = try JSONTreeEncoder.box(value, codingPath: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let slot = JSONSlot()
        object.fields[key.stringValue] = slot
        return JSONTreeEncoder(codingPath: codingPath + [key], slot: slot).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let slot = JSONSlot()
        object.fields[key.stringValue] = slot
        return JSONTreeEncoder(codingPath: codingPath + [key], slot: slot).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        superEncoder(named: "super")
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        superEncoder(named: key.stringValue)
    }

    private func superEncoder(named name: String) -> any Encoder {
        let slot = JSONSlot()
        object.fields[name] = slot
        return JSONTreeEncoder(codingPath: codingPath, slot: slot)
    }
}

private struct JSONUnkeyedContainer: UnkeyedEncodingContainer {
    let array: JSONArrayNode
    let codingPath: [any CodingKey]
    var count: Int { array.items.count }

    private var nextKey: any CodingKey { JSONIndexKey(intValue: array.items.count) }

    mutating func encodeNil() throws { array.items.append(JSONLeaf(.null)) }
    mutating func encode(_ value: Bool) throws { array.items.append(JSONLeaf(.bool(value))) }
    mutating func encode(_ value: String) throws { array.items.append(JSONLeaf(.string(value))) }
    mutating func encode(_ value: Double) throws { array.items.append(try JSONTreeEncoder.number(value, codingPath: codingPath + [nextKey])) }
    mutating func encode(_ value: Float) throws {
        array.items.append(try JSONTreeEncoder.number(Double(value), codingPath: codingPath + [nextKey]))
    }
    mutating func encode(_ value: Int) throws { array.items.append(JSONLeaf(.number(Double(value)))) }
    mutating func encode(_ value: Int64) throws { array.items.append(JSONLeaf(.number(Double(value)))) }
    mutating func encode(_ value: Int8) throws { array.items.append(JSONLeaf(.number(Double(value)))) }
    mutating func encode(_ value: Int16) throws { array.items.append(JSONLeaf(.number(Double(value)))) }
    mutating func encode(_ value: UInt) throws { array.items.append(JSONLeaf(.number(Double(value)))) }
    mutating func encode(_ value: UInt8) throws { array.items.append(JSONLeaf(.number(Double(value)))) }
    mutating func encode(_ value: UInt16) throws { array.items.append(JSONLeaf(.number(Double(value)))) }
    mutating func encode(_ value: UInt32) throws { array.items.append(JSONLeaf(.number(Double(value)))) }
    mutating func encode(_ value: Int32) throws { array.items.append(JSONLeaf(.number(Double(value)))) }
    mutating func encode(_ value: UInt64) throws { array.items.append(JSONLeaf(.number(Double(value)))) }
    mutating func encode(_ value: some Encodable) throws {
        array.items.append(try JSONTreeEncoder.box(value, codingPath: codingPath + [nextKey]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let slot = JSONSlot()
        let path = codingPath + [nextKey]
        array.items.append(slot)
        return JSONTreeEncoder(codingPath: path, slot: slot).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let slot = JSONSlot()
        let path = codingPath + [nextKey]
        array.items.append(slot)
        return JSONTreeEncoder(codingPath: path, slot: slot).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let slot = JSONSlot()
        let path = codingPath + [nextKey]
        array.items.append(slot)
        return JSONTreeEncoder(codingPath: path, slot: slot)
    }
}

private struct JSONSingleValueContainer: SingleValueEncodingContainer {
    let slot: JSONSlot
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { slot.node = JSONLeaf(.null) }
    mutating func encode(_ value: Bool) throws { slot.node = JSONLeaf(.bool(value)) }
    mutating func encode(_ value: String) throws { slot.node = JSONLeaf(.string(value)) }
    mutating func encode(_ value: Double) throws { slot.node = try JSONTreeEncoder.number(value, codingPath: codingPath) }
    mutating func encode(_ value: Float) throws { slot.node = try JSONTreeEncoder.number(Double(value), codingPath: codingPath) }
    mutating func encode(_ value: Int) throws { slot.node = JSONLeaf(.number(Double(value))) }
    mutating func encode(_ value: Int64) throws { slot.node = JSONLeaf(.number(Double(value))) }
    mutating func encode(_ value: Int8) throws { slot.node = JSONLeaf(.number(Double(value))) }
    mutating func encode(_ value: Int16) throws { slot.node = JSONLeaf(.number(Double(value))) }
    mutating func encode(_ value: UInt) throws { slot.node = JSONLeaf(.number(Double(value))) }
    mutating func encode(_ value: UInt8) throws { slot.node = JSONLeaf(.number(Double(value))) }
    mutating func encode(_ value: UInt16) throws { slot.node = JSONLeaf(.number(Double(value))) }
    mutating func encode(_ value: UInt32) throws { slot.node = JSONLeaf(.number(Double(value))) }
    mutating func encode(_ value: Int32) throws { slot.node = JSONLeaf(.number(Double(value))) }
    mutating func encode(_ value: UInt64) throws { slot.node = JSONLeaf(.number(Double(value))) }
    mutating func encode(_ value: some Encodable) throws { slot.node = try JSONTreeEncoder.box(value, codingPath: codingPath) }
}

private struct JSONIndexKey: CodingKey {
    var intValue: Int?
    var stringValue: String { intValue.map(String.init) ?? "" }
    init(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { nil }
}
