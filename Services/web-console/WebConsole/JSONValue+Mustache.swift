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
        case .object(let object):
            var fields = object.compactMapValues { $0.mustache }
            // Every timestamp also as a person reads it; `<time datetime>` keeps the exact value.
            for (key, value) in object where key.hasSuffix("_at") {
                if case .string(let text) = value, let human = Self.humanTime(text) { fields[key + "_human"] = human }
            }
            return fields
        }
    }

    /// "2026-12-04T18:45:46Z" as "4 Dec 2026, 18:45:46 UTC"; nil when it is not such a timestamp.
    static func humanTime(_ text: String) -> String? {
        guard let date = date(text) else { return nil }
        let calendar = Calendar(identifier: .gregorian)
        var utc = calendar
        utc.timeZone = .gmt
        let parts = utc.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard let year = parts.year, let month = parts.month, let day = parts.day else { return nil }
        func two(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        return "\(day) \(months[month - 1]) \(year), \(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) UTC"
    }

    /// An RFC 3339 timestamp, with or without fractional seconds.
    static func date(_ text: String) -> Date? {
        var parse = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        parse.timeZone = .gmt
        return (try? parse.parse(text)) ?? (try? Date.ISO8601FormatStyle().parse(text))
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
