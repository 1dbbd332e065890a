import Foundation
import HubCore

extension JSONValue {
    /// The value as Mustache renders it: objects as dictionaries, whole numbers without ".0",
    /// null as nil (an empty section). Mustache escapes every string it prints.
    var mustache: Any? {
        switch self {
        case .null: return nil
        case .bool(let value): return value
        case .string(let value): return value
        case .number(let value):
            if value.rounded() == value, abs(value) < 1e15 { return Int(value) }
            return value
        case .array(let values): return values.map { $0.mustache ?? NSNull() }
        case .object(let object): return object.compactMapValues { $0.mustache }
        }
    }

    /// The object's fields for a template, or an empty dictionary.
    var fields: [String: Any] {
        (mustache as? [String: Any]) ?? [:]
    }

    /// The value as indented JSON text (keys sorted, two spaces), for showing a payload as it is.
    var prettyJSON: String {
        var out = ""
        write(into: &out, indent: "")
        return out
    }

    private func write(into out: inout String, indent: String) {
        let inner = indent + "  "
        switch self {
        case .array(let values) where !values.isEmpty:
            out += "[\n"
            for (index, value) in values.enumerated() {
                out += inner
                value.write(into: &out, indent: inner)
                out += index < values.count - 1 ? ",\n" : "\n"
            }
            out += indent + "]"
        case .object(let object) where !object.isEmpty:
            out += "{\n"
            let keys = object.keys.sorted()
            for (index, key) in keys.enumerated() {
                out += inner + String(decoding: JSONValue.string(key).encoded(), as: UTF8.self) + ": "
                (object[key] ?? .null).write(into: &out, indent: inner)
                out += index < keys.count - 1 ? ",\n" : "\n"
            }
            out += indent + "}"
        default:
            out += String(decoding: encoded(), as: UTF8.self)
        }
    }
}
