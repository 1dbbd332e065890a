/// Exact conversions between decimal amounts and integer minor units. Decimal text is parsed
/// digit by digit rather than through `Double`, so `"0.29"` is 29 cents, never 28.999….
enum DecimalAmount {
    /// The largest magnitude a JSON number (a `Double`) holds exactly as an integer.
    static let limit = 9_007_199_254_740_992

    private static let powers = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]

    /// Minor units of a decimal written as text (`"19.99"`, `"-3"`, `"1.005"`), rounded half away
    /// from zero when it has more digits than the exponent; nil when it is not a decimal.
    static func minorUnits(text: String, exponent: Int) -> Int? {
        var utf8 = Substring(text).utf8
        var negative = false
        if let sign = utf8.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            utf8 = utf8.dropFirst()
        }
        var whole = 0
        var fraction = 0
        var fractionDigits = 0
        var roundUp = false
        var digits = 0
        var seenPoint = false
        for byte in utf8 {
            if byte == UInt8(ascii: ".") {
                guard !seenPoint else { return nil }
                seenPoint = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
                // Exponent notation and the like: rare enough to go through Double.
                return Double(text).flatMap { minorUnits(number: $0, exponent: exponent) }
            }
            let digit = Int(byte - UInt8(ascii: "0"))
            digits += 1
            if !seenPoint {
                guard whole < limit / 10 else { return nil }
                whole = whole * 10 + digit
            } else if fractionDigits < exponent {
                fraction = fraction * 10 + digit
                fractionDigits += 1
            } else if fractionDigits == exponent {
                roundUp = digit >= 5
                fractionDigits += 1
            }
        }
        guard digits > 0 else { return nil }
        let scale = powers[exponent]
        let kept = min(fractionDigits, exponent)
        var minor = whole * scale + fraction * powers[exponent - kept] + (roundUp ? 1 : 0)
        if negative { minor = -minor }
        return abs(minor) < limit ? minor : nil
    }

    /// Minor units of a decimal number. Goes through the number's shortest text, which is the
    /// decimal the sender wrote (`1.005`), rather than multiplying the binary approximation.
    static func minorUnits(number: Double, exponent: Int) -> Int? {
        guard number.isFinite, abs(number) < Double(limit) / Double(powers[exponent]) else { return nil }
        if number == number.rounded(), abs(number) < 1e15 { return Int(number) * powers[exponent] }
        let text = number.description
        guard !text.contains("e") else { return Int((number * Double(powers[exponent])).rounded(.toNearestOrAwayFromZero)) }
        return minorUnits(text: text, exponent: exponent)
    }

    /// `1999` at exponent 2 → `"19.99"`; `-5` → `"-0.05"`; exponent 0 → `"1999"`.
    static func text(minor: Int, exponent: Int) -> String {
        guard exponent > 0 else { return String(minor) }
        let magnitude = String(minor.magnitude)
        let padded = magnitude.count > exponent ? magnitude : String(repeating: "0", count: exponent + 1 - magnitude.count) + magnitude
        let point = padded.index(padded.endIndex, offsetBy: -exponent)
        return (minor < 0 ? "-" : "") + padded[..<point] + "." + padded[point...]
    }

    /// A decimal number from minor units: division of two exact integers, correctly rounded.
    static func number(minor: Int, exponent: Int) -> Double {
        Double(minor) / Double(powers[exponent])
    }

    static let maxExponent = 6
}
