/// HubSpot's CRM objects under the hub's names (`/crm/v3/objects/{object}`). Delete archives the
/// record (restorable for 90 days).
enum HubSpotEntities {
    static let all = [contacts, companies, deals, products]

    /// The envelope every CRM record shares around its `properties`.
    private static func record(_ properties: [EntityField]) -> [EntityField] {
        [EntityField("id", .id, readOnly: true)]
            + properties
            + [
                EntityField("createdAt", .datetime, readOnly: true),
                EntityField("updatedAt", .datetime, readOnly: true),
                EntityField("archived", .boolean, readOnly: true),
            ]
    }

    static let contacts = EntityDefinition(
        name: "contacts",
        providerObject: "contacts",
        fields: record([
            EntityField("properties.email", .email, description: "Unique among contacts."),
            EntityField("properties.firstname", .string),
            EntityField("properties.lastname", .string),
            EntityField("properties.phone", .string),
            EntityField("properties.company", .string),
            EntityField("properties.jobtitle", .string),
            EntityField("properties.lifecyclestage", .string),
            EntityField("properties.lastmodifieddate", .datetime, readOnly: true),
        ]),
        operations: [.read, .create, .update, .delete],
        incremental: true
    )

    static let companies = EntityDefinition(
        name: "companies",
        providerObject: "companies",
        fields: record([
            EntityField("properties.name", .string),
            EntityField("properties.domain", .string),
            EntityField("properties.phone", .string),
            EntityField("properties.industry", .string),
            EntityField("properties.city", .string),
            EntityField("properties.country", .string),
            EntityField("properties.annualrevenue", .decimal),
            EntityField("properties.hs_lastmodifieddate", .datetime, readOnly: true),
        ]),
        operations: [.read, .create, .update, .delete],
        incremental: true
    )

    static let deals = EntityDefinition(
        name: "deals",
        providerObject: "deals",
        fields: record([
            EntityField("properties.dealname", .string, required: true),
            EntityField("properties.dealstage", .string, required: true),
            EntityField("properties.pipeline", .string, description: "Needed when the portal has more than one deal pipeline."),
            EntityField("properties.amount", .decimal),
            EntityField("properties.deal_currency_code", .currency),
            EntityField("properties.closedate", .datetime),
            EntityField("properties.hubspot_owner_id", .id),
            EntityField("properties.hs_lastmodifieddate", .datetime, readOnly: true),
        ]),
        operations: [.read, .create, .update, .delete],
        incremental: true
    )

    static let products = EntityDefinition(
        name: "products",
        providerObject: "products",
        fields: record([
            EntityField("properties.name", .string),
            EntityField("properties.description", .string),
            EntityField("properties.price", .decimal),
            EntityField("properties.hs_sku", .string),
            EntityField("properties.hs_cost_of_goods_sold", .decimal),
            EntityField("properties.hs_lastmodifieddate", .datetime, readOnly: true),
        ]),
        operations: [.read, .create, .update, .delete],
        incremental: true
    )
}
