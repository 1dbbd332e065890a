import HubConnectors
import HubCore

extension AuthDefinition {
    /// Checks credential values a user entered against the fields the catalog lists: every
    /// required field present, no unknown field, each value matching its pattern. One error names
    /// every problem, never a value.
    public func validateEntered(_ values: [String: String], requireAll: Bool = true) throws(ConnectionError) {
        var problems: [JSONValue] = []
        var named: [String] = []
        let known = Set(credentialFields.map(\.name))
        for name in values.keys.sorted() where !known.contains(name) {
            named.append("credentials.\(name)")
            problems.append(["field": .string("credentials.\(name)"), "problem": "unknown credential field"])
        }
        for field in credentialFields {
            let value = values[field.name]?.trimmingWhitespace()
            guard let value, !value.isEmpty else {
                if field.required && requireAll {
                    named.append("credentials.\(field.name)")
                    problems.append(["field": .string("credentials.\(field.name)"), "problem": "required"])
                }
                continue
            }
            if !field.accepts(value) {
                named.append("credentials.\(field.name)")
                problems.append(["field": .string("credentials.\(field.name)"), "problem": .string("does not look like a \(field.label)")])
            }
        }
        guard problems.isEmpty else {
            throw .invalidCredentials(fields: named, problems: problems)
        }
    }
}
