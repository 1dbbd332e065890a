/// A bar of an issue judged in a benchmark's report: `  bar (≥ 3000 deliveries/s …): met`.
public enum Bar {
    /// "met", "NOT met", or "not measured" when the run has no figure for it (`met` nil).
    public static func line(_ what: String, _ met: Bool?) -> String {
        "  bar (\(what)): \(met.map { $0 ? "met" : "NOT met" } ?? "not measured")"
    }

    /// A bar this run's settings cannot judge, with why (`--rate 400`).
    public static func line(_ what: String, notJudged why: String) -> String {
        "  bar (\(what)): not judged (\(why))"
    }
}
