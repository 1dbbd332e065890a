/// How many digits a currency's minor unit has (ISO 4217): what turns `19.99` into `1999` for
/// USD but `1999` into `1999` for JPY and `19.999` into `19999` for KWD.
enum CurrencyExponent {
    private static let zero: Set<String> = [
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF",
    ]
    private static let three: Set<String> = ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]
    private static let four: Set<String> = ["CLF", "UYW"]

    /// Every listed code in upper and lower case: one lookup per record, no case conversion.
    private static let exponents: [String: Int] = {
        var table: [String: Int] = [:]
        for (codes, exponent) in [(zero, 0), (three, 3), (four, 4)] {
            for code in codes {
                table[code] = exponent
                table[code.lowercased()] = exponent
            }
        }
        return table
    }()

    /// The exponent of a currency code in either case; 2, the common case, for codes not listed.
    static func of(_ code: String) -> Int {
        if let exponent = exponents[code] { return exponent }
        // Mixed case is rare enough to pay for the conversion.
        return exponents[code.uppercased()] ?? 2
    }
}
