import HubCore

/// ISO 8601 instants and calendar dates, formatted and parsed with civil-date arithmetic
/// (Howard Hinnant's `days_from_civil`): `DateFormatter` and `Date.ISO8601FormatStyle` cost
/// microseconds a call, and a sync maps several timestamps per record.
public enum ISOTimestamp {
    /// Years 1 to 9999: what four digits write.
    private static let validRange = -62_135_596_800.0..<253_402_300_800.0

    /// `2024-01-15T15:20:30Z`, with milliseconds only when the instant has a fraction; with an
    /// offset, the local time there and the offset (`2024-01-15T10:20:30-05:00`, as Shopify writes).
    public static func string(unix seconds: Double, offsetSeconds: Int = 0) -> String? {
        guard validRange.contains(seconds) else { return nil }
        let floor = Int(seconds.rounded(.down))
        let millis = Int(((seconds - Double(floor)) * 1000).rounded())
        let whole = floor + offsetSeconds
        let days = floorDivide(whole, 86_400)
        let secondOfDay = whole - days * 86_400
        var bytes = dateBytes(days: days)
        bytes.reserveCapacity(24)
        bytes.append(UInt8(ascii: "T"))
        append(secondOfDay / 3600, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        append(secondOfDay % 3600 / 60, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        append(secondOfDay % 60, width: 2, to: &bytes)
        if millis > 0 {
            bytes.append(UInt8(ascii: "."))
            append(min(millis, 999), width: 3, to: &bytes)
        }
        if offsetSeconds == 0 {
            bytes.append(UInt8(ascii: "Z"))
        } else {
            bytes.append(UInt8(ascii: offsetSeconds < 0 ? "-" : "+"))
            append(abs(offsetSeconds) / 3600, width: 2, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            append(abs(offsetSeconds) % 3600 / 60, width: 2, to: &bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `2024-01-15`: the UTC calendar day of an instant.
    static func dateString(unix seconds: Double) -> String? {
        guard validRange.contains(seconds) else { return nil }
        return String(decoding: dateBytes(days: floorDivide(Int(seconds.rounded(.down)), 86_400)), as: UTF8.self)
    }

    /// Unix seconds of `YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM|±HHMM]` (a space may stand for `T`; no
    /// offset means UTC); nil for anything else, a bare date included.
    public static func unix(iso text: String) -> Double? {
        var text = text
        return text.withUTF8 { bytes -> Double? in
            guard bytes.count >= 16, let days = days(bytes, from: 0),
                bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " ")
                    || bytes[10] == UInt8(ascii: "t"),
                let hour = number(bytes, 11, 2), bytes[13] == UInt8(ascii: ":"), let minute = number(bytes, 14, 2),
                hour < 24, minute < 60
            else { return nil }
            var position = 16
            var second = 0.0
            if position < bytes.count, bytes[position] == UInt8(ascii: ":") {
                guard let whole = number(bytes, position + 1, 2), whole < 61 else { return nil }
                second = Double(whole)
                position += 3
                if position < bytes.count, bytes[position] == UInt8(ascii: ".") || bytes[position] == UInt8(ascii: ",") {
                    position += 1
                    var scale = 0.1
                    let start = position
                    while position < bytes.count, let digit = digit(bytes[position]) {
                        second += Double(digit) * scale
                        scale /= 10
                        position += 1
                    }
                    guard position > start else { return nil }
                }
            }
            var offset = 0
            if position < bytes.count {
                let sign = bytes[position]
                if sign == UInt8(ascii: "Z") || sign == UInt8(ascii: "z") {
                    position += 1
                } else if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                    guard let hours = number(bytes, position + 1, 2) else { return nil }
                    position += 3
                    if position < bytes.count, bytes[position] == UInt8(ascii: ":") { position += 1 }
                    guard let minutes = number(bytes, position, 2), hours < 24, minutes < 60 else { return nil }
                    position += 2
                    offset = (hours * 3600 + minutes * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
                } else {
                    return nil
                }
            }
            guard position == bytes.count else { return nil }
            return Double(days * 86_400 + hour * 3600 + minute * 60 - offset) + second
        }
    }

    /// Unix seconds of midnight UTC of `YYYY-MM-DD`; nil for anything else.
    static func unix(date text: String) -> Double? {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count == 10, let days = days(bytes, from: 0) else { return nil }
            return Double(days * 86_400)
        }
    }

    // MARK: Civil dates

    private static func days(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard bytes.count >= start + 10, let year = number(bytes, start, 4), bytes[start + 4] == UInt8(ascii: "-"),
            let month = number(bytes, start + 5, 2), bytes[start + 7] == UInt8(ascii: "-"), let day = number(bytes, start + 8, 2),
            (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year)
        else { return nil }
        return HTTPDate.daysSinceEpoch(year: year, month: month, day: day)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func dateBytes(days: Int) -> [UInt8] {
        let shifted = days + 719_468
        let era = floorDivide(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        append(year, width: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        append(month, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        append(day, width: 2, to: &bytes)
        return bytes
    }

    // MARK: Digits

    private static func floorDivide(_ value: Int, _ divisor: Int) -> Int {
        value >= 0 ? value / divisor : (value - divisor + 1) / divisor
    }

    private static func append(_ value: Int, width: Int, to bytes: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
            rest %= divisor
            divisor /= 10
        }
    }

    private static func digit(_ byte: UInt8) -> Int? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
    }

    private static func number(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int? {
        guard start + count <= bytes.count else { return nil }
        var value = 0
        for index in start..<(start + count) {
            guard let digit = digit(bytes[index]) else { return nil }
            value = value * 10 + digit
        }
        return value
    }
}
