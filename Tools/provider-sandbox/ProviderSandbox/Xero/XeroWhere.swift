import HubCore

/// The subset of Xero's `where` filter the sandbox understands: comparisons of a (dotted) field
/// with a string, boolean, number or `Guid("…")`, joined by `AND`/`&&` and `OR`/`||` (AND binds
/// tighter). `Type=="ACCREC"`, `IsCustomer==true`, `Status!="DELETED" AND Contact.ContactID==Guid("…")`.
struct XeroWhere: Sendable {
    struct Comparison: Sendable {
        var path: [String]
        var equal: Bool
        var value: JSONValue
    }

    /// Alternatives, each a list of comparisons that must all hold.
    let alternatives: [[Comparison]]

    /// Nil when the filter cannot be read (Xero answers 400 for a bad `where`).
    init?(_ text: String) {
        var alternatives: [[Comparison]] = []
        for alternative in Self.split(text, on: ["||", " OR "]) {
            var comparisons: [Comparison] = []
            for clause in Self.split(alternative, on: ["&&", " AND "]) {
                guard let comparison = Self.comparison(clause) else { return nil }
                comparisons.append(comparison)
            }
            alternatives.append(comparisons)
        }
        guard !alternatives.isEmpty else { return nil }
        self.alternatives = alternatives
    }

    func matches(_ object: JSONObject) -> Bool {
        alternatives.contains { all in
            all.allSatisfy { comparison in
                var value: JSONValue? = .object(object)
                for key in comparison.path { value = value?[key] }
                let same = Self.equal(value ?? .null, comparison.value)
                return comparison.equal ? same : !same
            }
        }
    }

    static func equal(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)): a.lowercased() == b.lowercased()
        case (.number(let a), .number(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.null, .null): true
        default: false
        }
    }

    static func comparison(_ clause: String) -> Comparison? {
        let trimmed = clause.trimmingCharacters(in: .whitespaces)
        let (separator, equal) = trimmed.contains("!=") ? ("!=", false) : ("==", true)
        guard let range = trimmed.range(of: separator) else { return nil }
        let field = trimmed[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
        var literal = trimmed[range.upperBound...].trimmingCharacters(in: .whitespaces)
        guard !field.isEmpty, field.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." }) else { return nil }
        if literal.hasPrefix("Guid(") || literal.hasPrefix("GUID(") { literal = String(literal.dropFirst(5).dropLast()) }
        let value: JSONValue
        if literal.count >= 2, literal.hasPrefix("\""), literal.hasSuffix("\"") {
            value = .string(String(literal.dropFirst().dropLast()))
        } else if literal.lowercased() == "true" || literal.lowercased() == "false" {
            value = .bool(literal.lowercased() == "true")
        } else if literal.lowercased() == "null" {
            value = .null
        } else if let number = Double(literal) {
            value = .number(number)
        } else {
            return nil
        }
        return Comparison(path: field.split(separator: ".").map(String.init), equal: equal, value: value)
    }

    /// Splits at any of `separators` outside double quotes.
    static func split(_ text: String, on separators: [String]) -> [String] {
        var parts: [String] = []
        var current = ""
        var quoted = false
        var index = text.startIndex
        outer: while index < text.endIndex {
            let character = text[index]
            if character == "\"" { quoted.toggle() }
            if !quoted {
                for separator in separators where text[index...].uppercased().hasPrefix(separator) {
                    parts.append(current)
                    current = ""
                    index = text.index(index, offsetBy: separator.count)
                    continue outer
                }
            }
            current.append(character)
            index = text.index(after: index)
        }
        parts.append(current)
        return parts.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
