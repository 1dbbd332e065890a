import HubCore

/// HubSpot's objects in the hub's canonical shapes. Values live under `properties` as text:
/// amounts are decimal strings (→ integer minor units, in the deal's `deal_currency_code`, two
/// decimals where an object carries no currency), times ISO 8601. A contact's `customer_id` and
/// a deal's are their primary company (listed first: `HubSpotConnector.record`), a deal's
/// `contact_ids` all its associated
/// contacts; its line items map element by element into canonical document lines. Associations
/// are pushed too (HubSpotConnector+Associations); line items are read, not pushed.
extension HubSpotConnector {
    public static var defaultFieldMappings: [String: FieldMapping] { HubSpotMappings.all }
}

enum HubSpotMappings {
    static let all: [String: FieldMapping] = [
        "customers": customers, "contacts": contacts, "opportunities": opportunities, "products": products,
    ]

    private static let envelope: [FieldRule] = [
        .readOnly("id", "id"),
        .readOnly("created_at", "createdAt", .isoToUTC),
        .readOnly("updated_at", "updatedAt", .isoToUTC),
    ]

    private static func money(_ target: String, _ source: String, currency: String? = nil) -> FieldRule {
        currency.map { .field(target, source, .decimalToMinor(currencyPath: $0, asString: true)) }
            ?? .field(target, source, .decimalToMinor(exponent: 2, asString: true))
    }

    static let customers = FieldMapping(
        rules: envelope + [
            .field("name", "properties.name"),
            .field("phone", "properties.phone"),
            .field("description", "properties.description"),
            .field("website", "properties.domain"),
            .field("address.city", "properties.city"),
            .field("address.country", "properties.country"),
        ]
    )

    static let contacts = FieldMapping(
        rules: envelope + [
            .field("first_name", "properties.firstname"),
            .field("last_name", "properties.lastname"),
            .field("email", "properties.email"),
            .field("phone", "properties.phone"),
            .field("company", "properties.company"),
            .field("job_title", "properties.jobtitle"),
            .field("customer_id", "associations.companies.results[0].id"),
        ]
    )

    /// Deal stages HubSpot's default pipeline closes with.
    private static let closed = FieldTransform.lookup(["closedwon": true, "closedlost": true], fallback: false)
    private static let won = FieldTransform.lookup(["closedwon": true], fallback: false)

    static let opportunities = FieldMapping(
        rules: envelope + [
            .field("name", "properties.dealname"),
            .field("stage", "properties.dealstage"),
            .field("pipeline", "properties.pipeline"),
            .field("currency", "properties.deal_currency_code", .upper),
            money("amount", "properties.amount", currency: "properties.deal_currency_code"),
            .field("close_date", "properties.closedate", .isoToUnix, .unixToDate),
            .readOnly("is_closed", "properties.dealstage", closed),
            .readOnly("is_won", "properties.dealstage", won),
            .field("owner_id", "properties.hubspot_owner_id"),
            .field("customer_id", "associations.companies.results[0].id"),
            .field("contact_ids", "associations.contacts.results[].id"),
            .elements(
                "line_items",
                "line_items",
                direction: .pull,
                [
                    .readOnly("description", "properties.name"),
                    .readOnly("quantity", "properties.quantity", .toNumber),
                    .readOnly("unit_amount", "properties.price", .decimalToMinor(exponent: 2)),
                    .readOnly("amount", "properties.amount", .decimalToMinor(exponent: 2)),
                    .readOnly("product_id", "properties.hs_product_id"),
                ]
            ),
        ]
    )

    static let products = FieldMapping(
        rules: envelope + [
            .field("name", "properties.name"),
            .field("description", "properties.description"),
            .field("sku", "properties.hs_sku"),
            money("price", "properties.price"),
        ]
    )
}
