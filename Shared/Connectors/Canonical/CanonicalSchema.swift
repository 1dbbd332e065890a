/// Every canonical entity the hub knows: the entity types of the design documents plus every
/// entity a supported connector declares, so each connector entity has a shape to map into.
///
/// Conventions shared by all entities: `id` is the provider's id as a string; money is an integer
/// in the currency's minor unit beside the entity's `currency` (upper-case ISO 4217); instants
/// are ISO 8601 in UTC (`2024-01-15T15:20:30Z`) and end in `_at`; calendar dates are
/// `YYYY-MM-DD`; references to other records end in `_id`; `address` objects hold `line1`,
/// `line2`, `city`, `region`, `postal_code` and `country` (ISO 3166 alpha-2).
public enum CanonicalSchema {
    public static let all: [CanonicalEntity] =
        coreEntities + accountingEntities + bankingEntities + paymentEntities + commerceEntities
        + crmEntities

    private static let byName: [String: CanonicalEntity] = Dictionary(
        all.map { ($0.name, $0) },
        uniquingKeysWith: { first, _ in first }
    )

    public static func entity(_ name: String) -> CanonicalEntity? {
        byName[name]
    }
}
