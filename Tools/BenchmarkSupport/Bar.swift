/// A bar of an issue judged in a benchmark's report: `  bar (≥ 3000 deliveries/s …): met`.
public enum Bar {
    /// "met", "NOT met", or "not measured" when the run has no figure for it.
    public static func verdict(_ met: Bool?) -> String {
        met.map { $0 ? "met" : "NOT met" } ?? "not measured"
    }

    public static func line(_ what: String, _ met: Bool?) -> String {
        "  bar (\(what)): \(verdict(met))"
    }
}
