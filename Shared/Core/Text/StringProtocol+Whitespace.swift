extension StringProtocol {
    /// Without leading and trailing whitespace (`Character.isWhitespace`: spaces, tabs, line
    /// breaks and the other Unicode spaces). Pure Swift on purpose: Foundation's
    /// `trimmingCharacters(in:)` goes through `NSString` on Linux, a cost paid on the bearer token
    /// of every request.
    public func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
}
