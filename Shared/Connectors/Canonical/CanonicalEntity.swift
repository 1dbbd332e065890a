/// The hub's provider-neutral shape of one entity type (`customers`, `invoices`, …): the fields
/// field mappings may target and the record store holds as a record's canonical fields.
public struct CanonicalEntity: Codable, Sendable, Hashable {
    public let name: String
    public let fields: [CanonicalField]

    public init(name: String, fields: [CanonicalField]) {
        self.name = name
        self.fields = fields
    }

    public func field(_ name: String) -> CanonicalField? {
        fields.first { $0.name == name }
    }
}
