import HubCore

/// Reading and writing values as Stripe's API has them. Stripe writes an object's `id` and
/// `object` first and the other keys in order (`encoded(.identityFirst)`), and form bodies carry
/// every value as a string (`int` reads `"1500"`).
extension JSONValue {
    /// A boolean, also from a form value (`"true"`).
    var formBool: Bool? {
        switch self {
        case .bool(let value): value
        case .string("true"): true
        case .string("false"): false
        default: nil
        }
    }

    /// A string, or `null` when absent: optional fields are written as `null`, as Stripe does.
    static func optional(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
}
