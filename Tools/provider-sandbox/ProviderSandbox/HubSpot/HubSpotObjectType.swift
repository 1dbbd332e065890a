/// The CRM objects the sandbox holds (`/crm/v3/objects/{type}`), each with its own id range, the
/// property that records its last change (`lastmodifieddate` for contacts, `hs_lastmodifieddate`
/// for the rest, as HubSpot names them) and the properties a listing returns when none are asked for.
enum HubSpotObjectType: String, CaseIterable, Sendable {
    case contacts, companies, deals, products
    case lineItems = "line_items"

    static func named(_ name: String) -> HubSpotObjectType? {
        switch name.lowercased() {
        case "contacts", "contact", "0-1": .contacts
        case "companies", "company", "0-2": .companies
        case "deals", "deal", "0-3": .deals
        case "products", "product", "0-7": .products
        case "line_items", "line_item", "lineitems", "0-8": .lineItems
        default: nil
        }
    }

    /// HubSpot's object type id (`0-1` for contacts), as v4 answers name types.
    var objectTypeID: String {
        switch self {
        case .contacts: "0-1"
        case .companies: "0-2"
        case .deals: "0-3"
        case .products: "0-7"
        case .lineItems: "0-8"
        }
    }

    /// Seeded ids are `base + index + 1`; objects created through the API start at `base + createdOffset`.
    var idBase: Int64 {
        switch self {
        case .contacts: 10_000_000
        case .companies: 20_000_000
        case .deals: 30_000_000
        case .products: 40_000_000
        case .lineItems: 50_000_000
        }
    }

    static let createdOffset: Int64 = 9_000_001

    var modifiedProperty: String { self == .contacts ? "lastmodifieddate" : "hs_lastmodifieddate" }

    /// The singular a webhook's `subscriptionType` and an association type use (`contact.creation`).
    var singular: String {
        switch self {
        case .contacts: "contact"
        case .companies: "company"
        case .deals: "deal"
        case .products: "product"
        case .lineItems: "line_item"
        }
    }

    /// HubSpot's object type name in error messages (`CONTACT`).
    var errorName: String { singular.uppercased() }

    var defaultProperties: [String] {
        let common = ["createdate", modifiedProperty, "hs_object_id"]
        switch self {
        case .contacts: return ["email", "firstname", "lastname"] + common
        case .companies: return ["name", "domain"] + common
        case .deals: return ["dealname", "dealstage", "pipeline", "amount", "closedate"] + common
        case .products: return ["name", "description", "price"] + common
        case .lineItems: return ["name", "quantity", "price", "amount", "hs_product_id"] + common
        }
    }

    /// Every property the portal defines for the type; writing another is `PROPERTY_DOESNT_EXIST`.
    /// `logiaccounting_id` is the custom unique property an integration keeps its own id in.
    var knownProperties: Set<String> {
        let common: Set = ["createdate", modifiedProperty, "hs_object_id", "logiaccounting_id"]
        switch self {
        case .contacts: return common.union(["email", "firstname", "lastname", "phone", "company", "jobtitle", "lifecyclestage"])
        case .companies: return common.union(["name", "domain", "description", "phone", "industry", "city", "country", "annualrevenue"])
        case .deals:
            return common.union(["dealname", "dealstage", "pipeline", "amount", "deal_currency_code", "closedate", "hubspot_owner_id"])
        case .products: return common.union(["name", "description", "price", "hs_sku", "hs_cost_of_goods_sold"])
        case .lineItems: return common.union(["name", "quantity", "price", "amount", "hs_product_id", "hs_sku", "description"])
        }
    }

    /// Properties whose values are unique within the type (a second object with one is a conflict).
    var uniqueProperties: [String] {
        self == .contacts ? ["email", "logiaccounting_id"] : ["logiaccounting_id"]
    }

    /// Properties HubSpot requires to create one.
    var requiredProperties: [String] {
        switch self {
        case .deals: ["dealname", "dealstage"]
        case .products, .lineItems: ["name"]
        default: []
        }
    }

    /// HubSpot-defined association type ids, from this type to another (`deal_to_company` is 5).
    func associationTypeID(to other: HubSpotObjectType) -> Int {
        switch (self, other) {
        case (.contacts, .companies): 1
        case (.companies, .contacts): 2
        case (.deals, .contacts): 3
        case (.contacts, .deals): 4
        case (.deals, .companies): 5
        case (.companies, .deals): 6
        case (.deals, .lineItems): 19
        case (.lineItems, .deals): 20
        default: 0
        }
    }

    /// Whether an association from this type to `other` may carry HubSpot's "Primary" label (a
    /// contact's or a deal's company: `associationTypeID` is the primary type, and
    /// `defaultAssociationTypeID` the unlabeled one every such association has).
    func hasPrimary(to other: HubSpotObjectType) -> Bool {
        (self == .contacts || self == .deals) && other == .companies
    }

    /// The object type HubSpot-defined association type ids lead to from this type, and whether
    /// one of them is the primary label; nil when none is known.
    func association(_ typeIDs: [Int]) -> (target: HubSpotObjectType, primary: Bool)? {
        for typeID in typeIDs {
            if let target = HubSpotObjectType.allCases.first(where: { associationTypeID(to: $0) == typeID }) {
                return (target, hasPrimary(to: target))
            }
        }
        for typeID in typeIDs {
            if let target = HubSpotObjectType.allCases.first(where: { defaultAssociationTypeID(to: $0) == typeID }) { return (target, false) }
        }
        return nil
    }

    /// The type `associate/default` makes: HubSpot's unlabeled one where a pair also has a
    /// primary type (a contact's or deal's company), the only one otherwise.
    func defaultAssociationTypeID(to other: HubSpotObjectType) -> Int {
        switch (self, other) {
        case (.contacts, .companies): 279
        case (.companies, .contacts): 280
        case (.deals, .companies): 341
        case (.companies, .deals): 342
        default: associationTypeID(to: other)
        }
    }
}
