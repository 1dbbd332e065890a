/// Salesforce record ids: a three-character key prefix, a two-character instance, a reserved
/// character and a nine-character base-62 number (15 characters, case-sensitive), then the
/// three-character suffix that encodes the case of the first fifteen, so the 18-character form
/// survives case-insensitive systems. The numbers use the ASCII-ordered alphabet, so ids sort in
/// creation order.
enum SalesforceID {
    static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
    static let suffixAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345")

    /// The 18-character id of the `number`-th record with `prefix`.
    static func make(_ prefix: String, _ number: Int) -> String {
        var digits: [Character] = []
        var rest = number
        for _ in 0..<9 {
            digits.append(alphabet[rest % 62])
            rest /= 62
        }
        return eighteen(prefix + "Hb0" + String(digits.reversed()))
    }

    /// The 18-character form of a 15-character id.
    static func eighteen(_ id: String) -> String {
        let characters = Array(id)
        guard characters.count == 15 else { return id }
        var suffix = ""
        for chunk in 0..<3 {
            var bits = 0
            for offset in 0..<5 where characters[chunk * 5 + offset].isUppercase {
                bits |= 1 << offset
            }
            suffix.append(suffixAlphabet[bits])
        }
        return id + suffix
    }

    /// The 15-character key of an id given in either form; nil when it is not one.
    static func key(_ id: String) -> String? {
        guard id.count == 15 || id.count == 18, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return nil }
        return String(id.prefix(15))
    }
}
