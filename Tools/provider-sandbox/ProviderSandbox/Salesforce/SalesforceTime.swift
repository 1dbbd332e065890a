import Foundation
import HubConnectors

/// Salesforce's two ways of writing an instant: `2026-01-01T00:00:00.000+0000` in records, and
/// ISO 8601 (`2026-01-01T00:00:00Z`, `…+00:00`, with or without fractions) in SOQL literals and
/// the `start` / `end` parameters. Instants are held as milliseconds since the epoch.
enum SalesforceTime {
    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    static var now: Int64 { milliseconds(Date()) }

    /// Formatted by hand (civil-from-days), as seeding writes three of these per record.
    static func string(_ milliseconds: Int64) -> String {
        let seconds = milliseconds.floorDivided(by: 1000)
        let millis = Int(milliseconds - seconds * 1000)
        let days = seconds.floorDivided(by: 86_400)
        let inDay = Int(seconds - days * 86_400)
        let (year, month, day) = civil(days)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let fraction = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return "\(year)-\(two(month))-\(two(day))T\(two(inDay / 3600)):\(two(inDay / 60 % 60)):\(two(inDay % 60)).\(fraction)+0000"
    }

    /// Howard Hinnant's days-to-civil.
    static func civil(_ days: Int64) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = z.floorDivided(by: 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (Int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0)), Int(month), Int(day))
    }

    /// A calendar date (`2026-01-31`).
    static func day(_ milliseconds: Int64) -> String {
        String(string(milliseconds).prefix(10))
    }

    /// Milliseconds of an instant in any of the forms above; nil when unreadable.
    static func parse(_ text: String) -> Int64? {
        var normalized = text.trimmingCharacters(in: .whitespaces)
        // `+0000` (no colon) is how records write the offset.
        if normalized.count > 5, let sign = normalized.dropLast(4).last, sign == "+" || sign == "-",
            normalized.suffix(4).allSatisfy(\.isNumber)
        {
            normalized.insert(":", at: normalized.index(normalized.endIndex, offsetBy: -2))
        }
        guard normalized.count > 10, let seconds = ISOTimestamp.unix(iso: normalized) else { return nil }
        return Int64((seconds * 1000).rounded())
    }
}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
