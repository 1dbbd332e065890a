/// Microsoft JSON dates, as Xero writes every date and time: `/Date(1552326816230+0000)/`,
/// milliseconds since the epoch with an optional offset that only says where the time was
/// written (the milliseconds are already UTC).
public enum MicrosoftJSONDate {
    /// Unix seconds of `/Date(…)/`, or nil when the text is not one.
    public static func unix(_ text: String) -> Double? {
        guard text.hasPrefix("/Date("), text.hasSuffix(")/") else { return nil }
        let inner = text.dropFirst(6).dropLast(2)
        var digits = inner.prefix { $0.isNumber }
        if inner.first == "-" { digits = "-" + inner.dropFirst().prefix { $0.isNumber } }
        guard let milliseconds = Int64(digits) else { return nil }
        return Double(milliseconds) / 1000
    }

    /// `/Date(<milliseconds>+0000)/` for unix seconds.
    public static func string(unix seconds: Double) -> String {
        "/Date(\(Int64((seconds * 1000).rounded()))+0000)/"
    }
}
