import Foundation
import HubCore

/// The field-mapping row editor's model, without HTTP: an override's rules as form rows (source
/// path → canonical target, one transform with its parameter), the submitted rows back as the
/// `field_mappings` the sync configuration API takes, and the API's refusal
/// (`field_mappings.rules[2].source`) pinned to the row and column it names.
///
/// Rules the rows cannot express (several transforms, `each`, `skip`, a direction, a lookup
/// table) are kept as they are, shown read-only, and sent first, so the API's rule indexes map
/// back to rows without guessing.
struct MappingEditor {
    struct Row: Equatable {
        var source = ""
        var target = ""
        var transform = ""
        var parameter = ""
        var remove = false

        var isBlank: Bool { source.isEmpty && target.isEmpty && transform.isEmpty && parameter.isEmpty }
    }

    /// Transforms a row offers; the parameter is the exponent or currency path of the money
    /// steps and the value of `constant` and `default`; the others take none.
    static let transforms: [(value: String, label: String)] = [
        ("", "None"), ("minor_to_decimal", "Minor units → decimal (exponent or currency path)"),
        ("decimal_to_minor", "Decimal → minor units (exponent or currency path)"), ("unix_to_iso", "Unix seconds → ISO time"),
        ("iso_to_unix", "ISO time → Unix seconds"), ("unix_to_date", "Unix seconds → date"), ("date_to_unix", "Date → Unix seconds"),
        ("iso_to_utc", "ISO time → UTC"), ("ms_date_to_unix", "Microsoft JSON date → Unix seconds"),
        ("unix_to_ms_date", "Unix seconds → Microsoft JSON date"), ("upper", "Upper case"), ("lower", "Lower case"), ("trim", "Trim spaces"),
        ("to_string", "To text"), ("to_number", "To number"), ("negate", "Negate"), ("constant", "Constant (value)"),
        ("default", "Default when missing (value)"),
    ]
    static let moneySteps: Set = ["minor_to_decimal", "decimal_to_minor"]
    static let valueSteps: Set = ["constant", "default"]
    /// Empty rows offered after the rules, to add new ones without a script.
    static let spareRows = 3

    /// The rules kept as they are (JSON) and the editable ones as rows.
    var kept: [JSONValue] = []
    var rows: [Row] = []

    init(kept: [JSONValue] = [], rows: [Row] = []) {
        self.kept = kept
        self.rows = rows
    }

    /// The override as stored in the sync configuration (`{"rules": […]}` or nothing).
    init(mappings: JSONValue?) {
        for rule in mappings?["rules"]?.arrayValue ?? [] {
            if let row = Self.row(rule) { rows.append(row) } else { kept.append(rule) }
        }
    }

    /// A rule as a row, or nil when a row cannot express it.
    static func row(_ rule: JSONValue) -> Row? {
        guard let object = rule.objectValue, Set(object.keys).isSubset(of: ["target", "source", "transforms", "direction"]),
            rule["each"] == nil, (rule["direction"]?.stringValue ?? "both") == "both",
            let target = rule["target"]?.stringValue
        else { return nil }
        let transforms = rule["transforms"]?.arrayValue ?? []
        guard transforms.count <= 1 else { return nil }
        var row = Row(source: rule["source"]?.stringValue ?? "", target: target)
        if let step = transforms.first {
            guard let type = step["type"]?.stringValue, let keys = step.objectValue?.keys else { return nil }
            let parameterKeys = Set(keys).subtracting(["type"])
            row.transform = type
            if moneySteps.contains(type), parameterKeys.count == 1, let exponent = step["exponent"]?.intValue {
                row.parameter = String(exponent)
            } else if moneySteps.contains(type), parameterKeys.count == 1, let path = step["currency_path"]?.stringValue {
                row.parameter = path
            } else if valueSteps.contains(type), parameterKeys == ["value"], let value = step["value"]?.stringValue {
                row.parameter = value
            } else if !parameterKeys.isEmpty {
                return nil
            }
        }
        return row
    }

    /// The submitted form: `rows` says how many, each row's fields are `row-<n>-source` etc.
    /// Rows left blank are dropped here, so indexes from now on count the filled ones only.
    init(form: FormBody, kept: [JSONValue]) {
        self.kept = kept
        // A crafted count outside 0…500 must not trap (an empty range, or thousands of lookups).
        let count = min(max(Int(form["rows"] ?? "") ?? 0, 0), 500)
        for index in 0..<count {
            func field(_ name: String) -> String { (form["row-\(index)-\(name)"] ?? "").trimmingCharacters(in: .whitespaces) }
            let row = Row(
                source: field("source"),
                target: field("target"),
                transform: field("transform"),
                parameter: field("parameter"),
                remove: form["row-\(index)-remove"] == "yes"
            )
            if !row.isBlank { rows.append(row) }
        }
    }

    /// The rules to send and, for each, the row it came from (nil for a kept rule).
    func rules() -> (rules: [JSONValue], rows: [Int?]) {
        var rules = kept
        var origin: [Int?] = Array(repeating: nil, count: kept.count)
        for (index, row) in rows.enumerated() where !row.remove {
            var rule: [String: JSONValue] = ["target": .string(row.target)]
            if !row.source.isEmpty { rule["source"] = .string(row.source) }
            if !row.transform.isEmpty {
                var step: [String: JSONValue] = ["type": .string(row.transform)]
                if Self.moneySteps.contains(row.transform), !row.parameter.isEmpty {
                    if let exponent = Int(row.parameter) {
                        step["exponent"] = .number(Double(exponent))
                    } else {
                        step["currency_path"] = .string(row.parameter)
                    }
                } else if Self.valueSteps.contains(row.transform) {
                    step["value"] = .string(row.parameter)
                }
                rule["transforms"] = [.object(step)]
            }
            rules.append(.object(rule))
            origin.append(index)
        }
        return (rules, origin)
    }

    /// Where the API's `field` points: the row and its column (`source`, `target`, `transform`,
    /// `parameter`), or nil when it names no row (a kept rule, or the mapping as a whole).
    static func place(of field: String?, rows origin: [Int?]) -> (row: Int, column: String)? {
        guard let field, let match = field.firstMatch(of: /^field_mappings\.rules\[(\d+)\](?:\.([a-z_]+))?(.*)$/),
            let index = Int(match.1), index < origin.count, let row = origin[index]
        else { return nil }
        let rest = String(match.3)
        switch match.2.map(String.init) {
        case "source": return (row, "source")
        case "target": return (row, "target")
        case "transforms":
            let parameter = ["exponent", "currency_path", "value"].contains { rest.hasSuffix("." + $0) }
            return (row, parameter ? "parameter" : "transform")
        default: return (row, "target")
        }
    }

    /// The API's message without the place it starts with (the page shows the place by the row).
    static func shortMessage(_ message: String) -> String {
        guard message.hasPrefix("field_mappings"), let colon = message.range(of: ": ") else { return message }
        return String(message[colon.upperBound...])
    }

    /// The rows for the template, spare rows included, with an error on the row it concerns.
    func templateRows(error: (row: Int, column: String, message: String)? = nil) -> [[String: Any]] {
        var all = rows
        all += Array(repeating: Row(), count: Self.spareRows)
        return all.enumerated().map { index, row in
            var values: [String: Any] = [
                "index": index, "number": index + 1, "source": row.source, "target": row.target, "parameter": row.parameter,
                "remove": row.remove, "is_new": index >= rows.count,
                "transforms": Self.transforms.map { ["value": $0.value, "label": $0.label, "selected": $0.value == row.transform] },
            ]
            if let error, error.row == index {
                values["row_error"] = error.message
                values["error_" + error.column] = true
            }
            return values
        }
    }
}
