import HubCore

/// One step a value goes through on its way to a canonical field, stored as JSON
/// `{"type": "decimal_to_minor", "currency_path": "currency"}`.
///
/// Decoding accepts any `type` and any combination of parameters, so that a stored or submitted
/// mapping always decodes and `FieldMapping.validate(entity:)` can name what is wrong and where.
public struct FieldTransform: Codable, Sendable, Equatable {
    /// The transforms a mapping may name.
    public enum Kind: String, Sendable, CaseIterable {
        /// Integer minor units → decimal (`1999` → `19.99` in USD). Needs `exponent` or `currency_path`.
        case minorToDecimal = "minor_to_decimal"
        /// Decimal number or decimal text → integer minor units (`"19.99"` → `1999`). Needs
        /// `exponent` or `currency_path`; rounds half away from zero past the currency's digits.
        case decimalToMinor = "decimal_to_minor"
        /// Unix seconds → `2024-01-15T15:20:30Z`.
        case unixToISO = "unix_to_iso"
        /// An ISO 8601 instant with any offset → unix seconds.
        case isoToUnix = "iso_to_unix"
        /// Unix seconds → the UTC day, `2024-01-15`.
        case unixToDate = "unix_to_date"
        /// `2024-01-15` → unix seconds of its midnight UTC.
        case dateToUnix = "date_to_unix"
        /// An ISO 8601 instant with any offset (`…T10:20:30-05:00`) → the same instant in UTC.
        case isoToUTC = "iso_to_utc"
        /// A Microsoft JSON date (`/Date(1552326816230+0000)/`, Xero) → unix seconds.
        case msDateToUnix = "ms_date_to_unix"
        /// Unix seconds → a Microsoft JSON date.
        case unixToMSDate = "unix_to_ms_date"
        case upper
        case lower
        /// Strips leading and trailing white space.
        case trim
        /// Always `value`, whatever the source holds.
        case constant
        /// `value` when the source is missing or null.
        case `default`
        /// `table[value]`; `fallback` (when given) for values not in the table, otherwise an error.
        case lookup
        /// A number or boolean as text (`123` → `"123"`): numeric provider ids.
        case toString = "to_string"
        /// Numeric text → a number.
        case toNumber = "to_number"
        /// Flips the sign of a number: for providers whose sign convention is the canonical one's opposite.
        case negate
    }

    /// The `Kind`'s raw value; kept as text so unknown kinds reach validation.
    public var type: String
    /// Digits of the minor unit, for `minor_to_decimal` and `decimal_to_minor`; with
    /// `currency_path`, used when the record has no currency.
    public var exponent: Int?
    /// Where the record's currency is (`currency`, `balances.iso_currency_code`): the exponent
    /// then follows the currency (JPY 0, USD 2, KWD 3).
    public var currencyPath: String?
    /// For `minor_to_decimal` (and as the inverse of `decimal_to_minor`): write the decimal as
    /// text with exactly the currency's digits (`"19.90"`), as Shopify does.
    public var asString: Bool?
    /// For `constant` and `default`; may be JSON `null`.
    public var value: JSONValue?
    /// For `lookup`: text (a number or boolean as its text) → the value to use.
    public var table: [String: JSONValue]?
    /// For `lookup`; may be JSON `null`.
    public var fallback: JSONValue?

    enum CodingKeys: String, CodingKey {
        case type, exponent, value, table, fallback
        case currencyPath = "currency_path"
        case asString = "as_string"
    }

    public init(
        type: String,
        exponent: Int? = nil,
        currencyPath: String? = nil,
        asString: Bool? = nil,
        value: JSONValue? = nil,
        table: [String: JSONValue]? = nil,
        fallback: JSONValue? = nil
    ) {
        self.type = type
        self.exponent = exponent
        self.currencyPath = currencyPath
        self.asString = asString
        self.value = value
        self.table = table
        self.fallback = fallback
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(String.self, forKey: .type)
        exponent = try container.decodeIfPresent(Int.self, forKey: .exponent)
        currencyPath = try container.decodeIfPresent(String.self, forKey: .currencyPath)
        asString = try container.decodeIfPresent(Bool.self, forKey: .asString)
        table = try container.decodeIfPresent([String: JSONValue].self, forKey: .table)
        // `decodeIfPresent` reads JSON null as absent; a null constant or fallback is a real value.
        value = container.contains(.value) ? try container.decode(JSONValue.self, forKey: .value) : nil
        fallback = container.contains(.fallback) ? try container.decode(JSONValue.self, forKey: .fallback) : nil
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encodeIfPresent(exponent, forKey: .exponent)
        try container.encodeIfPresent(currencyPath, forKey: .currencyPath)
        try container.encodeIfPresent(asString, forKey: .asString)
        try container.encodeIfPresent(value, forKey: .value)
        try container.encodeIfPresent(table, forKey: .table)
        try container.encodeIfPresent(fallback, forKey: .fallback)
    }
}

// MARK: - Building transforms in code

extension FieldTransform {
    public init(_ kind: Kind) {
        self.init(type: kind.rawValue)
    }

    public static func minorToDecimal(exponent: Int? = nil, currencyPath: String? = nil, asString: Bool? = nil) -> Self {
        Self(type: Kind.minorToDecimal.rawValue, exponent: exponent, currencyPath: currencyPath, asString: asString)
    }

    /// `asString` says how the inverse (`unmap`) writes the decimal back.
    public static func decimalToMinor(exponent: Int? = nil, currencyPath: String? = nil, asString: Bool? = nil) -> Self {
        Self(type: Kind.decimalToMinor.rawValue, exponent: exponent, currencyPath: currencyPath, asString: asString)
    }

    public static let unixToISO = Self(.unixToISO)
    public static let isoToUnix = Self(.isoToUnix)
    public static let unixToDate = Self(.unixToDate)
    public static let dateToUnix = Self(.dateToUnix)
    public static let isoToUTC = Self(.isoToUTC)
    public static let msDateToUnix = Self(.msDateToUnix)
    public static let unixToMSDate = Self(.unixToMSDate)
    public static let upper = Self(.upper)
    public static let lower = Self(.lower)
    public static let trim = Self(.trim)
    public static let toString = Self(.toString)
    public static let toNumber = Self(.toNumber)
    public static let negate = Self(.negate)

    public static func constant(_ value: JSONValue) -> Self {
        Self(type: Kind.constant.rawValue, value: value)
    }

    public static func defaultValue(_ value: JSONValue) -> Self {
        Self(type: Kind.default.rawValue, value: value)
    }

    public static func lookup(_ table: [String: JSONValue], fallback: JSONValue? = nil) -> Self {
        Self(type: Kind.lookup.rawValue, table: table, fallback: fallback)
    }
}
