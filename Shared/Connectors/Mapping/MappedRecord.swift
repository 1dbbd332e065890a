import HubCore

/// One provider payload mapped to canonical fields. A field whose transform failed is left out
/// of `canonical` and explained in `errors` (`"amount: 'abc' is not a decimal amount"`), so one
/// bad value never loses the rest of the record.
public struct MappedRecord: Sendable, Equatable {
    /// A JSON object of canonical fields.
    public var canonical: JSONValue
    public var errors: [String]

    public init(canonical: JSONValue, errors: [String] = []) {
        self.canonical = canonical
        self.errors = errors
    }
}

/// One provider payload mapped straight to its canonical object's JSON text: the bytes
/// `canonical.encoded()` of the `MappedRecord` would be, and the same errors.
public struct MappedText: Sendable, Equatable {
    public var text: [UInt8]
    public var errors: [String]

    public init(text: [UInt8], errors: [String] = []) {
        self.text = text
        self.errors = errors
    }
}
