extension CredentialField {
    /// Whether `value` matches `pattern` as a whole (true when the field has no pattern), so every
    /// service checks a credential the same way before calling the provider. A pattern that does not
    /// compile accepts nothing: it is a programmer error, and the connector tests catch it.
    public func accepts(_ value: String) -> Bool {
        guard let pattern else { return true }
        guard let regex = try? Regex(pattern) else { return false }
        return (try? regex.wholeMatch(in: value)) != nil
    }
}
