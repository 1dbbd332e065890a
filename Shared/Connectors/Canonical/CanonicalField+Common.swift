/// Fields most canonical entities share, spelled once so every entity names them alike.
extension CanonicalField {
    static let id = CanonicalField("id", .id, required: true, description: "The provider's id, as a string.")
    static let createdAt = CanonicalField("created_at", .datetime)
    static let updatedAt = CanonicalField("updated_at", .datetime)
    static let metadata = CanonicalField("metadata", .object, description: "Free-form key-value pairs the provider keeps.")
    static let currency = CanonicalField("currency", .currency, description: "Upper-case ISO 4217; the currency of every money field.")
    static let address = CanonicalField("address", .object, description: "line1, line2, city, region, postal_code, country.")

    static func money(_ name: String, required: Bool = false, description: String? = nil) -> CanonicalField {
        CanonicalField(name, .money, required: required, description: description)
    }

    static func reference(_ name: String, required: Bool = false) -> CanonicalField {
        CanonicalField(name, .id, required: required)
    }
}
