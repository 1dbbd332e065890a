import HubCore

/// Where a mapping's pull rules put their values in the canonical object, keys in the order the
/// JSON writer sorts them, so a record's canonical text is written straight from the rules' values
/// without the object being built, then sorted and written.
struct CanonicalLayout: Sendable {
    enum Entry: Sendable {
        /// The value of the rule at this position.
        case rule(Int)
        /// An object of more fields (`address` for `address.city`).
        case object(CanonicalLayout)
    }

    struct Field: Sendable {
        /// The key as the writer writes it, with its colon: `"city":`.
        let keyText: [UInt8]
        let entry: Entry
    }

    let fields: [Field]

    /// The layout of `targets` (one per rule, in order); nil when one target is written twice or
    /// lies inside another (`address` and `address.city`): the rules' order decides those, and
    /// the object is built as they run.
    init?(targets: [[String]]) {
        var tree = Node()
        for (position, keys) in targets.enumerated() {
            guard !keys.isEmpty, tree.insert(keys[...], rule: position) else { return nil }
        }
        self.init(tree)
    }

    private init(_ node: Node) {
        // String's `<`: the order `JSONKeyOrder.sorted` writes keys in.
        fields = node.children.keys.sorted().map { key in
            var keyText: [UInt8] = []
            JSONValue.writeString(key, into: &keyText)
            keyText.append(UInt8(ascii: ":"))
            let child = node.children[key]!
            let entry: Entry = child.rule.map(Entry.rule) ?? .object(CanonicalLayout(child))
            return Field(keyText: keyText, entry: entry)
        }
    }

    /// The object's text for the rules' values (nil where a rule gave none, leaving its field
    /// out); a nested object is written when any of its fields is.
    func write(_ values: [JSONValue?], into buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "{"))
        var first = true
        for field in fields where field.entry.hasValue(in: values) {
            if !first { buffer.append(UInt8(ascii: ",")) }
            first = false
            buffer.append(contentsOf: field.keyText)
            switch field.entry {
            case .rule(let position): values[position]?.write(into: &buffer)
            case .object(let nested): nested.write(values, into: &buffer)
            }
        }
        buffer.append(UInt8(ascii: "}"))
    }

    /// A target tree while it is built: a leaf holds a rule, an inner node children.
    private struct Node {
        var rule: Int?
        var children: [String: Node] = [:]

        /// False when the path meets a leaf, or ends on a node already there.
        mutating func insert(_ keys: ArraySlice<String>, rule position: Int) -> Bool {
            guard rule == nil, let key = keys.first else { return false }
            let rest = keys.dropFirst()
            if rest.isEmpty {
                guard children[key] == nil else { return false }
                children[key] = Node(rule: position)
                return true
            }
            return children[key, default: Node()].insert(rest, rule: position)
        }
    }
}

extension CanonicalLayout.Entry {
    func hasValue(in values: [JSONValue?]) -> Bool {
        switch self {
        case .rule(let position): values[position] != nil
        case .object(let nested): nested.fields.contains { $0.entry.hasValue(in: values) }
        }
    }
}
