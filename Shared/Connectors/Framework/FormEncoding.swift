import HubCore

/// `application/x-www-form-urlencoded` with bracket nesting, as Stripe reads it:
/// `{"metadata": {"order": "6735"}, "items": [{"price": "p1"}]}` becomes
/// `items[0][price]=p1&metadata[order]=6735`. Keys are sorted so bodies are reproducible.
public enum FormEncoding {
    public static func encode(_ value: JSONValue) -> String {
        var pairs: [(String, String)] = []
        flatten(value, prefix: nil, into: &pairs)
        return Self.pairs(pairs)
    }

    static func flatten(_ value: JSONValue, prefix: String?, into pairs: inout [(String, String)]) {
        switch value {
        case .object(let object):
            for key in object.keys.sorted() {
                flatten(object[key] ?? .null, prefix: prefix.map { "\($0)[\(key)]" } ?? key, into: &pairs)
            }
        case .array(let array):
            guard let prefix else { return }
            for (index, element) in array.enumerated() {
                flatten(element, prefix: "\(prefix)[\(index)]", into: &pairs)
            }
        case .string(let string):
            if let prefix { pairs.append((prefix, string)) }
        case .number(let number):
            if let prefix {
                pairs.append((prefix, number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)))
            }
        case .bool(let bool):
            if let prefix { pairs.append((prefix, bool ? "true" : "false")) }
        case .null:
            // Stripe clears a field when it is sent empty.
            if let prefix { pairs.append((prefix, "")) }
        }
    }

    /// `a=1&b=two%20words`, in the order given (a query string, or a flat form body).
    public static func pairs(_ fields: [(String, String)]) -> String {
        fields.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters.
    public static func escape(_ string: String) -> String {
        var result = ""
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                result.append(Character(UnicodeScalar(byte)))
            default:
                result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return result
    }
}

extension String {
    func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
