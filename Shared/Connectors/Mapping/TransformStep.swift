import HubCore

/// A `FieldTransform` checked and compiled: parameters parsed once, so applying it per record is
/// a `switch` and the work itself.
enum TransformStep: Sendable {
    /// Where a money transform finds its exponent: the record's currency, else a fixed one.
    struct Scale: Sendable {
        var exponent: Int?
        var currency: FieldPath?
    }

    case minorToDecimal(Scale, asString: Bool)
    case decimalToMinor(Scale, asString: Bool)
    case unixToISO, isoToUnix, unixToDate, dateToUnix, isoToUTC, msDateToUnix, unixToMSDate
    case upper, lower, trim
    case constant(JSONValue)
    case defaultValue(JSONValue)
    case lookup([String: JSONValue], fallback: JSONValue?)
    case toString, toNumber, negate
    /// The inverse of a normalizing step (`upper`, `trim`, `iso_to_utc`): the canonical value is
    /// already one the provider accepts.
    case identity

    /// Why a value could not be transformed; the caller prefixes the field.
    struct Failure: Error {
        var message: String
    }

    // MARK: Compiling

    /// Compiles `transform`, or throws naming `path` (`rules[0].transforms[1]`) and the parameter.
    init(_ transform: FieldTransform, at path: String) throws(FieldMappingError) {
        guard let kind = FieldTransform.Kind(rawValue: transform.type) else {
            let known = FieldTransform.Kind.allCases.map(\.rawValue).joined(separator: ", ")
            throw FieldMappingError(path: "\(path).type", message: "unknown transform '\(transform.type)'; known: \(known)")
        }
        switch kind {
        case .minorToDecimal, .decimalToMinor:
            let scale = try Self.scale(transform, at: path)
            let asString = transform.asString ?? false
            self = kind == .minorToDecimal ? .minorToDecimal(scale, asString: asString) : .decimalToMinor(scale, asString: asString)
        case .constant, .default:
            guard let value = transform.value else {
                throw FieldMappingError(path: "\(path).value", message: "'\(kind.rawValue)' needs a value")
            }
            self = kind == .constant ? .constant(value) : .defaultValue(value)
        case .lookup:
            guard let table = transform.table else {
                throw FieldMappingError(path: "\(path).table", message: "'lookup' needs a table")
            }
            self = .lookup(table, fallback: transform.fallback)
        case .unixToISO: self = .unixToISO
        case .isoToUnix: self = .isoToUnix
        case .unixToDate: self = .unixToDate
        case .dateToUnix: self = .dateToUnix
        case .isoToUTC: self = .isoToUTC
        case .msDateToUnix: self = .msDateToUnix
        case .unixToMSDate: self = .unixToMSDate
        case .upper: self = .upper
        case .lower: self = .lower
        case .trim: self = .trim
        case .toString: self = .toString
        case .toNumber: self = .toNumber
        case .negate: self = .negate
        }
    }

    private static func scale(_ transform: FieldTransform, at path: String) throws(FieldMappingError) -> Scale {
        if let exponent = transform.exponent, !(0...DecimalAmount.maxExponent).contains(exponent) {
            throw FieldMappingError(path: "\(path).exponent", message: "exponent must be between 0 and \(DecimalAmount.maxExponent)")
        }
        var currency: FieldPath?
        if let text = transform.currencyPath {
            guard let parsed = FieldPath(text), !parsed.hasWildcard else {
                throw FieldMappingError(path: "\(path).currency_path", message: "'\(text)' is not a valid field path")
            }
            currency = parsed
        }
        guard transform.exponent != nil || currency != nil else {
            throw FieldMappingError(path: "\(path).exponent", message: "'\(transform.type)' needs an exponent or a currency_path")
        }
        return Scale(exponent: transform.exponent, currency: currency)
    }

    // MARK: Inverting

    /// The step that undoes this one for `unmap`, or nil when it cannot be undone (`constant`, a
    /// lookup whose table maps two keys to one value or has a fallback). `currency` is where the
    /// currency sits in the canonical object, for the money steps.
    func inverse(currency: FieldPath?) -> TransformStep? {
        switch self {
        case .minorToDecimal(let scale, let asString):
            return .decimalToMinor(scale.reading(currency), asString: asString)
        case .decimalToMinor(let scale, let asString):
            return .minorToDecimal(scale.reading(currency), asString: asString)
        case .unixToISO: return .isoToUnix
        case .isoToUnix: return .unixToISO
        case .msDateToUnix: return .unixToMSDate
        case .unixToMSDate: return .msDateToUnix
        case .unixToDate: return .dateToUnix
        case .dateToUnix: return .unixToDate
        case .toString: return .toNumber
        case .toNumber: return .toString
        case .negate: return .negate
        case .isoToUTC, .upper, .lower, .trim, .defaultValue, .identity: return .identity
        case .constant: return nil
        case .lookup(let table, let fallback):
            guard fallback == nil else { return nil }
            var reversed: [String: JSONValue] = [:]
            for (key, value) in table {
                guard let text = Self.lookupKey(value), reversed.updateValue(.string(key), forKey: text) == nil else { return nil }
            }
            return .lookup(reversed, fallback: nil)
        }
    }

    // MARK: Applying

    /// Transforms `input` (nil: the source is missing). `record` is the object the source was read
    /// from, where a money step finds the currency. Missing and null pass through every step but
    /// `constant` and `default`.
    func apply(_ input: JSONValue?, record: JSONValue) throws(Failure) -> JSONValue? {
        switch self {
        case .constant(let value): return value
        case .defaultValue(let value):
            guard let input, input != .null else { return value }
            return input
        case .identity: return input
        default: break
        }
        guard let input, input != .null else { return input }
        switch self {
        case .minorToDecimal(let scale, let asString):
            guard let minor = input.intValue else { throw Failure(message: "\(Self.describe(input)) is not a whole number of minor units") }
            let exponent = try scale.exponent(in: record)
            return asString
                ? .string(DecimalAmount.text(minor: minor, exponent: exponent)) : .number(DecimalAmount.number(minor: minor, exponent: exponent))
        case .decimalToMinor(let scale, _):
            let exponent = try scale.exponent(in: record)
            let minor: Int? =
                switch input {
                case .number(let number): DecimalAmount.minorUnits(number: number, exponent: exponent)
                case .string(let text): DecimalAmount.minorUnits(text: text, exponent: exponent)
                default: nil
                }
            guard let minor else { throw Failure(message: "\(Self.describe(input)) is not a decimal amount") }
            return .number(Double(minor))
        case .unixToISO, .unixToDate:
            guard case .number(let seconds) = input,
                let text = self.isUnixToISO ? ISOTimestamp.string(unix: seconds) : ISOTimestamp.dateString(unix: seconds)
            else { throw Failure(message: "\(Self.describe(input)) is not a unix time") }
            return .string(text)
        case .isoToUnix, .isoToUTC:
            guard case .string(let text) = input, let seconds = ISOTimestamp.unix(iso: text) else {
                throw Failure(message: "\(Self.describe(input)) is not an ISO 8601 time")
            }
            if case .isoToUnix = self { return .number(seconds) }
            return ISOTimestamp.string(unix: seconds).map(JSONValue.string)
        case .msDateToUnix:
            guard case .string(let text) = input, let seconds = MicrosoftJSONDate.unix(text) else {
                throw Failure(message: "\(Self.describe(input)) is not a /Date(…)/ time")
            }
            return .number(seconds)
        case .unixToMSDate:
            guard case .number(let seconds) = input, seconds.isFinite else { throw Failure(message: "\(Self.describe(input)) is not a unix time") }
            return .string(MicrosoftJSONDate.string(unix: seconds))
        case .dateToUnix:
            guard case .string(let text) = input, let seconds = ISOTimestamp.unix(date: text) else {
                throw Failure(message: "\(Self.describe(input)) is not a YYYY-MM-DD date")
            }
            return .number(seconds)
        case .upper, .lower, .trim:
            guard case .string(let text) = input else { throw Failure(message: "\(Self.describe(input)) is not text") }
            switch self {
            case .upper: return .string(text.uppercased())
            case .lower: return .string(text.lowercased())
            default: return .string(text.trimmingWhitespace())
            }
        case .lookup(let table, let fallback):
            if let key = Self.lookupKey(input), let value = table[key] { return value }
            if let fallback { return fallback }
            throw Failure(message: "\(Self.describe(input)) is not in the lookup table")
        case .toString:
            guard let text = Self.lookupKey(input) else { throw Failure(message: "\(Self.describe(input)) has no text form") }
            return .string(text)
        case .toNumber:
            switch input {
            case .number: return input
            case .string(let text):
                guard let number = Double(text), number.isFinite else { throw Failure(message: "\(Self.describe(input)) is not a number") }
                return .number(number)
            default: throw Failure(message: "\(Self.describe(input)) is not a number")
            }
        case .negate:
            guard case .number(let number) = input else { throw Failure(message: "\(Self.describe(input)) is not a number") }
            return .number(number == 0 ? 0 : -number)
        case .constant, .defaultValue, .identity:
            return input
        }
    }

    private var isUnixToISO: Bool {
        if case .unixToISO = self { return true }
        return false
    }

    /// The text a scalar is looked up (or written) as: `"123"` for 123, `"true"` for true.
    static func lookupKey(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let number):
            if let whole = value.intValue { return String(whole) }
            return number.isFinite ? number.description : nil
        default: return nil
        }
    }

    /// A value as an error message quotes it, cut short: payloads can be large.
    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): "'\(text.prefix(40))'"
        case .number: lookupKey(value) ?? "a number"
        case .bool(let flag): flag ? "true" : "false"
        case .null: "null"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

extension TransformStep.Scale {
    /// The same scale reading the currency at `path` (of the canonical object, for `unmap`).
    func reading(_ path: FieldPath?) -> Self {
        Self(exponent: exponent, currency: currency == nil ? nil : path)
    }

    /// The exponent of the record's currency, else the fixed one.
    func exponent(in record: JSONValue) throws(TransformStep.Failure) -> Int {
        if let currency, let code = currency.readPrefix(record)?.stringValue, !code.isEmpty {
            return CurrencyExponent.of(code)
        }
        if let exponent { return exponent }
        throw TransformStep.Failure(message: "no currency at '\(currency?.text ?? "")' to know the minor unit")
    }
}
