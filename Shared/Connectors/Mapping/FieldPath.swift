import HubCore

/// A path into a JSON object, as mappings write them.
///
/// Syntax: keys joined by dots, each key optionally followed by array steps. `address.city`
/// reads a nested object; `lines.data[0].amount` reads one element of an array; `items[].sku`
/// reads every element (the value is an array, one entry per element, `null` where an element
/// lacks the rest of the path). A key is any non-empty text without `.`, `[`, `]` or spaces; there
/// is no escaping. At most one `[]` per path, so a wildcard read is always a flat array.
struct FieldPath: Sendable, Hashable, CustomStringConvertible {
    enum Segment: Sendable, Hashable {
        case key(String)
        case index(Int)
        case each
    }

    /// The path as written.
    let text: String
    /// The segments before the `[]`, or all of them when there is none.
    let prefix: [Segment]
    /// The segments after the `[]`; nil when the path has no wildcard.
    let suffix: [Segment]?

    var description: String { text }
    var hasWildcard: Bool { suffix != nil }

    /// The first key: the top-level field the path reads or writes.
    var head: String {
        if case .key(let key) = prefix.first { return key }
        return text
    }

    /// Whether the path is only keys (what a canonical target may be).
    var isKeysOnly: Bool {
        suffix == nil && prefix.allSatisfy { if case .key = $0 { true } else { false } }
    }

    var keys: [String] {
        prefix.compactMap { if case .key(let key) = $0 { key } else { nil } }
    }

    /// Parses `text`, or nil when it is not a valid path.
    init?(_ text: String) {
        var segments: [Segment] = []
        for part in text.split(separator: ".", omittingEmptySubsequences: false) {
            guard let parsed = Self.parse(part) else { return nil }
            segments.append(contentsOf: parsed)
        }
        let wildcards = segments.indices.filter { segments[$0] == .each }
        guard wildcards.count <= 1 else { return nil }
        self.text = text
        if let wildcard = wildcards.first {
            prefix = Array(segments[..<wildcard])
            suffix = Array(segments[(wildcard + 1)...])
        } else {
            prefix = segments
            suffix = nil
        }
    }

    /// `name`, `name[3]`, `name[]`, `name[0][1]`.
    private static func parse(_ part: Substring) -> [Segment]? {
        let bracket = part.firstIndex(of: "[") ?? part.endIndex
        let key = part[..<bracket]
        guard !key.isEmpty, !key.contains(where: { $0 == "]" || $0.isWhitespace }) else { return nil }
        var segments: [Segment] = [.key(String(key))]
        var rest = part[bracket...]
        while !rest.isEmpty {
            guard rest.first == "[", let close = rest.firstIndex(of: "]") else { return nil }
            let inside = rest[rest.index(after: rest.startIndex)..<close]
            if inside.isEmpty {
                segments.append(.each)
            } else {
                guard inside.count <= 6, inside.allSatisfy({ $0.isASCII && $0.isNumber }), let index = Int(inside) else { return nil }
                segments.append(.index(index))
            }
            rest = rest[rest.index(after: close)...]
        }
        return segments
    }

    // MARK: Reading

    /// The value at a path without a wildcard (for a wildcard path, the array it iterates); nil
    /// when any step is missing.
    func readPrefix(_ value: JSONValue) -> JSONValue? {
        Self.read(prefix[...], in: value)
    }

    static func read(_ segments: ArraySlice<Segment>, in value: JSONValue) -> JSONValue? {
        var current = value
        for segment in segments {
            switch (segment, current) {
            case (.key(let key), .object(let object)):
                guard let next = object[key] else { return nil }
                current = next
            case (.index(let index), .array(let array)):
                guard index < array.count else { return nil }
                current = array[index]
            default:
                return nil
            }
        }
        return current
    }

    // MARK: Writing

    /// Writes `newValue` at this path inside `root`, creating objects and arrays on the way (arrays
    /// padded with `null`). For a wildcard path, `newValue` must be an array: element `i` goes to
    /// element `i` of the iterated array.
    func write(_ newValue: JSONValue, into root: inout JSONValue) {
        guard let suffix else {
            Self.write(newValue, at: prefix[...], into: &root)
            return
        }
        guard case .array(let elements) = newValue else { return }
        for (index, element) in elements.enumerated() {
            Self.write(element, at: (prefix + [.index(index)] + suffix)[...], into: &root)
        }
    }

    /// Writes `newValue` at this path inside an object's fields (a mapping's canonical record),
    /// each level changed where it is, one lookup a level.
    func write(_ newValue: JSONValue, into fields: inout [String: JSONValue]) {
        guard suffix == nil, case .key(let key)? = prefix.first else {
            var root = JSONValue.object(fields)
            fields = [:]
            write(newValue, into: &root)
            fields = root.objectValue ?? [:]
            return
        }
        Self.write(newValue, at: prefix.dropFirst(), into: &fields[key, default: .null])
    }

    private static func write(_ newValue: JSONValue, at segments: ArraySlice<Segment>, into target: inout JSONValue) {
        guard let segment = segments.first else {
            target = newValue
            return
        }
        let rest = segments.dropFirst()
        switch segment {
        case .key(let key):
            var object = target.objectValue ?? [:]
            target = .null  // drop the second reference so the dictionary is mutated in place
            write(newValue, at: rest, into: &object[key, default: .null])
            target = .object(object)
        case .index(let index):
            var array = target.arrayValue ?? []
            target = .null
            if array.count <= index { array.append(contentsOf: repeatElement(.null, count: index + 1 - array.count)) }
            write(newValue, at: rest, into: &array[index])
            target = .array(array)
        case .each:
            break  // paths hold at most one wildcard, resolved by the public `write`
        }
    }
}
