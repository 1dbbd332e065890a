import Foundation
import HubConnectors

/// The Accounting API's timestamps: ISO 8601 to the second with the company's UTC offset
/// (`2024-01-15T10:20:30-08:00`). The emulated companies keep a fixed offset of -08:00, so
/// clients must read the offset rather than assume UTC. Times are held as unix seconds.
enum QuickBooksTime {
    static let offsetSeconds = -8 * 3600

    static func string(_ seconds: Int) -> String {
        ISOTimestamp.string(unix: Double(seconds), offsetSeconds: offsetSeconds) ?? ""
    }

    /// `2024-01-15`, in the company's time zone.
    static func date(_ seconds: Int) -> String {
        String(string(seconds).prefix(10))
    }

    /// Unix seconds of a query or CDC time: ISO 8601 with any offset, or without one (then the
    /// company's own time zone, as Intuit reads it), or a bare date.
    static func parse(_ text: String) -> Int? {
        if let date = try? Date(text, strategy: .iso8601) { return Int(date.timeIntervalSince1970.rounded(.down)) }
        let local = text.count == 10 ? text + "T00:00:00" : text
        let offset = String(format: "%@%02d:00", offsetSeconds < 0 ? "-" : "+", abs(offsetSeconds) / 3600)
        guard let date = try? Date(local + offset, strategy: .iso8601) else { return nil }
        return Int(date.timeIntervalSince1970.rounded(.down))
    }

    static var now: Int { Int(Date().timeIntervalSince1970) }
}
