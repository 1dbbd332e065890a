import Foundation

/// The `Retry-After` header (RFC 9110 §10.2.3), read the same way for providers we call and for
/// receivers of our webhook deliveries: delta-seconds (fractions accepted, since Shopify sends
/// `2.0`) or an HTTP date, which counts from `now` and never goes below zero.
public enum RetryAfter {
    /// The wait in seconds, or nil when the value is neither a finite non-negative number nor an
    /// HTTP date. How long a wait to honour is the caller's limit: the header is the other side's.
    public static func seconds(_ value: String, now: Date = Date()) -> Double? {
        let text = value.trimmingWhitespace()
        if let seconds = Double(text) { return seconds.isFinite && seconds >= 0 ? seconds : nil }
        guard let date = HTTPDate.parse(text) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}
