import Foundation
import HubConnectors

/// Shopify's timestamps: ISO 8601 to the second with the shop's UTC offset
/// (`2024-01-15T10:20:30-05:00`). The emulated shops keep a fixed offset of -05:00, so clients
/// must read the offset rather than assume UTC.
enum ShopifyTimestamp {
    static let offsetSeconds = -5 * 3600

    /// `2024-01-15T10:20:30-05:00`: the hub's civil-date formatter (seeding formats millions).
    static func string(_ seconds: Int64) -> String {
        ISOTimestamp.string(unix: Double(seconds), offsetSeconds: offsetSeconds) ?? ""
    }

    /// Unix seconds of an ISO 8601 value with any offset, or nil when it is not one.
    static func parse(_ text: String) -> Int64? {
        guard let date = try? Date(text, strategy: .iso8601) else { return nil }
        return Int64(date.timeIntervalSince1970.rounded(.down))
    }

    static var now: Int64 { Int64(Date().timeIntervalSince1970) }
}
