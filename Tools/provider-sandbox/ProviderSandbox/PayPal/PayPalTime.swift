import Foundation
import HubConnectors

/// PayPal's instants: the Reporting API writes `2026-12-04T10:00:00+0000`, Invoicing and
/// Disputes write `2026-12-04T10:00:00Z`; requests may use either, with any offset.
enum PayPalTime {
    static func reporting(_ seconds: Int) -> String {
        String(zulu(seconds).dropLast()) + "+0000"
    }

    static func zulu(_ seconds: Int) -> String {
        ISOTimestamp.string(unix: Double(seconds)) ?? ""
    }

    static func date(_ seconds: Int) -> String {
        String(zulu(seconds).prefix(10))
    }

    static func parse(_ text: String?) -> Int? {
        text.flatMap { ISOTimestamp.unix(iso: $0) }.map { Int($0.rounded(.down)) }
    }

    static var now: Int { Int(Date().timeIntervalSince1970) }
}
