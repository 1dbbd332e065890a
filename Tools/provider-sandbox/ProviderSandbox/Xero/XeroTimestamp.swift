import Foundation
import HubConnectors

/// Xero's two ways of writing a time: Microsoft JSON dates in bodies (`/Date(1552326816230+0000)/`,
/// milliseconds since the epoch) and the `If-Modified-Since` header, which clients send as an
/// ISO 8601 time in UTC (`2026-01-02T03:04:05`, the official SDKs) or as an HTTP date.
enum XeroTimestamp {
    static func json(milliseconds: Int64) -> String {
        "/Date(\(milliseconds)+0000)/"
    }

    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    /// Milliseconds of a `/Date(…)/` value, or nil.
    static func milliseconds(json text: String) -> Int64? {
        guard text.hasPrefix("/Date("), text.hasSuffix(")/") else { return nil }
        let inner = text.dropFirst(6).dropLast(2)
        let digits = inner.prefix { $0.isNumber || $0 == "-" }
        return Int64(digits)
    }

    /// An `If-Modified-Since` value in any form Xero accepts, as milliseconds; nil when unreadable.
    static func milliseconds(header text: String) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = ISOTimestamp.unix(iso: trimmed) { return Int64((seconds * 1000).rounded()) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        for format in ["yyyy-MM-dd'T'HH:mm:ss.SSSSSS", "yyyy-MM-dd'T'HH:mm:ss.SSS", "yyyy-MM-dd'T'HH:mm:ss", "EEE, dd MMM yyyy HH:mm:ss zzz"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: trimmed) { return milliseconds(date) }
        }
        return nil
    }

    /// A calendar date as Xero's invoices carry one (`2026-01-31T00:00:00`).
    static func day(_ milliseconds: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'00:00:00"
        return formatter.string(from: date)
    }
}
