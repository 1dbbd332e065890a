/// One field of a canonical entity: what a mapping's `target` names and what the record store
/// keeps. Types reuse the catalog's `FieldType`, so money is integer minor units beside a
/// `currency`, instants are ISO 8601 UTC strings and dates are `YYYY-MM-DD`.
public struct CanonicalField: Codable, Sendable, Hashable {
    public var name: String
    public var type: FieldType
    /// Whether every mapped record must carry it (the identity, the amount of a money movement).
    public var required: Bool
    public var description: String?

    public init(_ name: String, _ type: FieldType, required: Bool = false, description: String? = nil) {
        self.name = name
        self.type = type
        self.required = required
        self.description = description
    }
}
