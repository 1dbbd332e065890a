import Foundation

/// Shopify's timestamps: ISO 8601 to the second with the shop's UTC offset
/// (`2024-01-15T10:20:30-05:00`). The emulated shops keep a fixed offset of -05:00, so clients
/// must read the offset rather than assume UTC.
enum ShopifyTimestamp {
    static let offsetSeconds = -5 * 3600

    /// Formats with civil-date arithmetic (Howard Hinnant's `civil_from_days`) rather than a
    /// `Calendar`: seeding formats millions of timestamps.
    static func string(_ seconds: Int64) -> String {
        let local = seconds + Int64(offsetSeconds)
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let secondOfDay = local - days * 86_400
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        // `%04d-%02d-%02dT%02d:%02d:%02d-05:00`, without `String(format:)`'s cost.
        var text = [UInt8]()
        text.reserveCapacity(25)
        for (value, width, separator) in [
            (year, 4, "-"), (month, 2, "-"), (day, 2, "T"), (secondOfDay / 3600, 2, ":"), (secondOfDay % 3600 / 60, 2, ":"),
            (secondOfDay % 60, 2, "-"),
        ] as [(Int64, Int, Character)] {
            let digits = String(value).utf8
            text.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: max(0, width - digits.count)))
            text.append(contentsOf: digits)
            text.append(contentsOf: separator.utf8)
        }
        text.append(contentsOf: "05:00".utf8)
        return String(decoding: text, as: UTF8.self)
    }

    /// Unix seconds of an ISO 8601 value with any offset, or nil when it is not one.
    static func parse(_ text: String) -> Int64? {
        guard let date = try? Date(text, strategy: .iso8601) else { return nil }
        return Int64(date.timeIntervalSince1970.rounded(.down))
    }

    static var now: Int64 { Int64(Date().timeIntervalSince1970) }
}
