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

    /// The value as indented JSON text, for showing a payload as it is.
    var prettyJSON: String {
        guard let data = try? JSONSerialization.data(withJSONObject: mustache ?? NSNull(), options: [.prettyPrinted, .sortedKeys, .fragmentsAllowed])
        else { return "" }
        return String(decoding: data, as: UTF8.self)
    }
}
