/// HubSpot's CRM objects under the hub's entity types (`/crm/v3/objects/{object}`): companies are
/// `customers`, contacts `contacts`, deals `opportunities` (with their line items) and products
/// `products`. Delete archives the record (restorable for 90 days). Every object also takes the
/// custom unique property `logiaccounting_id`, the hub's id for it, which makes creates safe to retry.
enum HubSpotEntities {
    static let all = [contacts, customers, opportunities, products]

    /// The envelope every CRM record shares around its `properties`.
    private static func record(_ properties: [EntityField]) -> [EntityField] {
        [EntityField("id", .id, readOnly: true)]
            + properties
            + [
                EntityField("properties.logiaccounting_id", .string, description: "The hub's id: a custom unique property."),
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
            EntityField("associations.companies.results", .array, description: "The contact's companies, set after the contact is written."),
        ]),
        operations: [.read, .create, .update, .delete],
        incremental: true
    )

    static let customers = EntityDefinition(
        name: "customers",
        providerObject: "companies",
        fields: record([
            EntityField("properties.name", .string),
            EntityField("properties.domain", .string),
            EntityField("properties.description", .string),
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

    static let opportunities = EntityDefinition(
        name: "opportunities",
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
            EntityField("associations.companies.results", .array, description: "Set after the deal is written."),
            EntityField("associations.contacts.results", .array, description: "Set after the deal is written."),
            EntityField("line_items", .array, readOnly: true, description: "The deal's line items (objects `line_items`), read with the deal."),
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

    /// The properties the hub reads of each object (HubSpot returns only the ones asked for).
    static func properties(_ entity: EntityDefinition) -> [String] {
        entity.fields.compactMap { $0.name.hasPrefix("properties.") ? String($0.name.dropFirst("properties.".count)) : nil }
    }

    static let lineItemProperties = ["name", "quantity", "price", "amount", "hs_product_id", "hs_sku", "description"]

    /// The objects a listing asks to see the associations with.
    static func associations(_ entity: EntityDefinition) -> [String] {
        switch entity.providerObject {
        case "contacts": ["companies"]
        case "deals": ["companies", "contacts", "line_items"]
        default: []
        }
    }

    /// Associated types a record has one of in the hub: its company (`customer_id`, HubSpot's
    /// primary one, or the first listed when none is primary). A push makes the one it names
    /// primary; the others HubSpot holds are kept.
    static func isSingle(_ target: String) -> Bool { target == "companies" }

    /// HubSpot's "Primary" association type from an object to `target` (a contact's or deal's
    /// company: 1 and 5); its reads list such a company once per label, as `contact_to_company`
    /// and `contact_to_company_unlabeled`.
    static func primaryTypeID(_ providerObject: String, _ target: String) -> Int? {
        switch (providerObject, target) {
        case ("contacts", "companies"): 1
        case ("deals", "companies"): 5
        default: nil
        }
    }

    /// The property that records an object's last change, which searches filter and sort on.
    static func modifiedProperty(_ providerObject: String) -> String {
        providerObject == "contacts" ? "lastmodifieddate" : "hs_lastmodifieddate"
    }
}
