import HubCore

/// Stripe's request encoding: `application/x-www-form-urlencoded` bodies and query strings with
/// bracket nesting. `metadata[order]=6735&items[0][price]=p1&expand[]=customer&created[gte]=5`
/// becomes `{"metadata":{"order":"6735"},"items":[{"price":"p1"}],"expand":["customer"],
/// "created":{"gte":"5"}}`. Every leaf is a string, as on the wire; readers coerce.
enum StripeForm {
    /// Decodes a body or query string. Malformed escapes are kept literally rather than rejected,
    /// like most form parsers.
    static func decode(_ text: Substring) -> JSONObject {
        var root = Node.branch([])
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = percentDecode(parts[0])
            let value = parts.count > 1 ? percentDecode(parts[1]) : ""
            guard let path = keyPath(key) else { continue }
            root.insert(value, at: path[...])
        }
        if case .object(let fields) = root.json { return fields }
        return [:]
    }

    static func decode(_ bytes: [UInt8]) -> JSONObject {
        decode(Substring(String(decoding: bytes, as: UTF8.self)))
    }

    /// `items[0][price]` → `["items", "0", "price"]`; `expand[]` → `["expand", ""]`.
    static func keyPath(_ key: String) -> [String]? {
        guard let open = key.firstIndex(of: "[") else { return key.isEmpty ? nil : [key] }
        var path = [String(key[..<open])]
        var rest = key[open...]
        while rest.first == "[", let close = rest.firstIndex(of: "]") {
            path.append(String(rest[rest.index(after: rest.startIndex)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return path[0].isEmpty ? nil : path
    }

    static func percentDecode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                if iterator.count >= 2, let high = hexValue(iterator[iterator.startIndex]),
                    let low = hexValue(iterator[iterator.startIndex + 1])
                {
                    bytes.append(high << 4 | low)
                    iterator = iterator.dropFirst(2)
                } else {
                    bytes.append(byte)
                }
            default:
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The tree while it is being built: branches keep insertion order; `[]` appends.
    private indirect enum Node {
        case leaf(String)
        case branch([(String, Node)])

        mutating func insert(_ value: String, at path: ArraySlice<String>) {
            guard let head = path.first else {
                self = .leaf(value)
                return
            }
            var children: [(String, Node)]
            if case .branch(let existing) = self { children = existing } else { children = [] }
            let key = head.isEmpty ? String(children.count) : head
            if let index = children.firstIndex(where: { $0.0 == key }) {
                children[index].1.insert(value, at: path.dropFirst())
            } else {
                var child = Node.branch([])
                child.insert(value, at: path.dropFirst())
                children.append((key, child))
            }
            self = .branch(children)
        }

        /// Branches whose keys are all indices become arrays in index order.
        var json: JSONValue {
            switch self {
            case .leaf(let value):
                return .string(value)
            case .branch(let children):
                let indices = children.compactMap { Int($0.0) }
                if !children.isEmpty, indices.count == children.count {
                    return .array(children.sorted { (Int($0.0) ?? 0) < (Int($1.0) ?? 0) }.map(\.1.json))
                }
                var fields: JSONObject = [:]
                for (key, child) in children { fields[key] = child.json }
                return .object(fields)
            }
        }
    }
}
