import HubCore

/// Reading and writing values as Shopify's Admin REST API has them: schemaless objects (the API
/// accepts and echoes arbitrary fields), prices as decimal strings.
extension JSONValue {
    /// Numbers and decimal strings (Shopify sends prices as strings, clients often as numbers).
    var decimal: Double? {
        switch self {
        case .number(let value): value
        case .string(let value): Double(value)
        default: nil
        }
    }

    var isBlank: Bool {
        switch self {
        case .null: true
        case .string(let value): value.trimmingWhitespace().isEmpty
        default: false
        }
    }

    /// `12.5` as Shopify writes money: a string with two decimals.
    static func money(_ value: Double) -> JSONValue {
        .string(String(format: "%.2f", value))
    }
}
