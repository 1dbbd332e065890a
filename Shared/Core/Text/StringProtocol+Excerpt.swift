extension StringProtocol {
    /// The text as an error message may quote it back to its sender: at most `limit` characters,
    /// a longer one cut with "…" (a 3,000-character path segment came back whole).
    public func excerpt(_ limit: Int = 64) -> String {
        count <= limit ? String(self) : String(prefix(limit)) + "…"
    }
}
