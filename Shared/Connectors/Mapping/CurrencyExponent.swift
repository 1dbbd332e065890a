/// How many digits a currency's minor unit has (ISO 4217): what turns `19.99` into `1999` for
/// USD but `1999` into `1999` for JPY and `19.999` into `19999` for KWD.
enum CurrencyExponent {
    private static let zero: Set<String> = [
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF",
    ]
    private static let three: Set<String> = ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]
    private static let four: Set<String> = ["CLF", "UYW"]

    /// The exponent of a currency code in either case; 2, the common case, for codes not listed.
    static func of(_ code: String) -> Int {
        let upper = code.uppercased()
        if zero.contains(upper) { return 0 }
        if three.contains(upper) { return 3 }
        if four.contains(upper) { return 4 }
        return 2
    }
}
