/// Sales pipelines (Salesforce, HubSpot): the deals a sales team works, which become the
/// accounting side's invoices once won. Accounts/companies map onto `customers` and people onto
/// `contacts`, so a CRM company lands in the same shape as an accounting customer.
extension CanonicalSchema {
    static let crmEntities = [opportunities]

    static let opportunities = CanonicalEntity(
        name: "opportunities",
        fields: [
            .id,
            CanonicalField("name", .string, required: true),
            CanonicalField("stage", .string, description: "The pipeline stage as the provider names it."),
            CanonicalField("pipeline", .string),
            .currency,
            .money("amount"),
            CanonicalField("probability", .decimal, description: "0 to 100."),
            CanonicalField("close_date", .date),
            CanonicalField("is_closed", .boolean),
            CanonicalField("is_won", .boolean),
            .reference("customer_id"),
            CanonicalField("contact_ids", .array, description: "The people on the deal, by contact id."),
            CanonicalField("line_items", .array, description: "Each line in the canonical document-line shape."),
            CanonicalField("description", .string),
            .reference("owner_id"),
            .metadata,
            .createdAt,
            .updatedAt,
        ]
    )
}
