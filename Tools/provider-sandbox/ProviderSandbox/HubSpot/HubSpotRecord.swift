import Foundation
import HubConnectors
import HubCore

/// One CRM object as the sandbox holds it: its property values (HubSpot answers every value as
/// a string), when it was made and last changed (milliseconds), the objects it is associated
/// with by type, and which of them carries the "Primary" label (a contact's or deal's company).
struct HubSpotRecord: Sendable, Equatable {
    var id: Int64
    var properties: [String: String]
    var createdAt: Int64
    var updatedAt: Int64
    var associations: [HubSpotObjectType: [Int64]] = [:]
    var primary: [HubSpotObjectType: Int64] = [:]
    var archivedAt: Int64?

    static func iso(_ milliseconds: Int64) -> String {
        ISOTimestamp.string(unix: Double(milliseconds) / 1000) ?? "1970-01-01T00:00:00Z"
    }

    /// HubSpot's shape: `{"id","properties","createdAt","updatedAt","archived"}`, with only the
    /// asked-for properties (or the type's defaults) and the asked-for associations.
    func json(_ type: HubSpotObjectType, properties asked: [String]?, associations: [HubSpotObjectType] = []) -> JSONObject {
        let names = asked ?? type.defaultProperties
        var values: JSONObject = [:]
        for name in names {
            values[name] = properties[name].map(JSONValue.string) ?? .null
        }
        var object: JSONObject = [
            "id": .string(String(id)), "properties": .object(values), "createdAt": .string(Self.iso(createdAt)),
            "updatedAt": .string(Self.iso(updatedAt)), "archived": .bool(archivedAt != nil),
        ]
        if let archivedAt { object["archivedAt"] = .string(Self.iso(archivedAt)) }
        var linked: JSONObject = [:]
        for target in associations {
            let ids = self.associations[target] ?? []
            guard !ids.isEmpty else { continue }
            // Listed once per label, as HubSpot's v3 reads do: a primary company both as
            // `contact_to_company` and `contact_to_company_unlabeled`, a pair with an unlabeled
            // type of its own (any other company, company to contact) under that one.
            let kind = "\(type.singular)_to_\(target.singular)"
            let unlabeled = type.defaultAssociationTypeID(to: target) != type.associationTypeID(to: target) ? kind + "_unlabeled" : kind
            let entries = ids.flatMap { linkedID -> [JSONValue] in
                let id = JSONValue.string(String(linkedID))
                let listed: JSONValue = ["id": id, "type": .string(unlabeled)]
                return primary[target] == linkedID ? [["id": id, "type": .string(kind)], listed] : [listed]
            }
            linked[target.rawValue] = ["results": .array(entries)]
        }
        if !linked.isEmpty { object["associations"] = .object(linked) }
        return object
    }

    /// The v4 `associationTypes` of this object's association with `linkedID`: a primary one with
    /// its "Primary" label and the unlabeled type, any other pair that can be primary unlabeled.
    func associationTypes(_ type: HubSpotObjectType, to target: HubSpotObjectType, _ linkedID: Int64) -> JSONValue {
        // From a company the sandbox keeps no primary labels: its contacts and deals are listed
        // with the unlabeled type (280, 342), which every such association has.
        let unlabeled: JSONValue = ["category": "HUBSPOT_DEFINED", "typeId": .int(type.defaultAssociationTypeID(to: target)), "label": .null]
        guard primary[target] == linkedID else { return [unlabeled] }
        return [["category": "HUBSPOT_DEFINED", "typeId": .int(type.associationTypeID(to: target)), "label": "Primary"], unlabeled]
    }
}

/// The objects a portal starts with, each generated from its type and index alone, so any volume
/// costs nothing until read: contact i works at company i, deal i is with company i and contact i
/// and has line items 2i and 2i+1, line item j sells product j/2. Seeded objects changed on
/// 1 January 2026 at one-second steps, so time filters can split them exactly.
enum HubSpotSeed {
    /// 2026-01-01T00:00:00Z.
    static let epochMilliseconds: Int64 = 1_767_225_600_000

    static func count(_ type: HubSpotObjectType, volume: Int) -> Int {
        type == .lineItems ? volume * 2 : volume
    }

    static func id(_ type: HubSpotObjectType, _ index: Int) -> Int64 {
        type.idBase + Int64(index) + 1
    }

    static func index(_ type: HubSpotObjectType, id: Int64, volume: Int) -> Int? {
        let index = id - type.idBase - 1
        return index >= 0 && index < Int64(count(type, volume: volume)) ? Int(index) : nil
    }

    static func record(_ type: HubSpotObjectType, _ index: Int, volume: Int) -> HubSpotRecord {
        let updated = epochMilliseconds + Int64(index) * 1000
        let created = epochMilliseconds - 86_400_000 * Int64(1 + index % 300)
        let n = index + 1
        let other = max(volume, 1)
        var properties: [String: String]
        var associations: [HubSpotObjectType: [Int64]] = [:]
        switch type {
        case .contacts:
            properties = [
                "email": "contact\(n)@example.com", "firstname": "First\(n)", "lastname": "Last\(n)", "phone": "+1 555 \(1000 + index % 9000)",
                "company": "Company \(index % other + 1)", "jobtitle": "Buyer", "lifecyclestage": "customer",
            ]
            associations[.companies] = [id(.companies, index % other)]
        case .companies:
            properties = [
                "name": "Company \(n)", "domain": "company\(n).example.com", "description": "Seeded company \(n)",
                "phone": "+1 555 \(2000 + index % 8000)",
                "industry": "COMPUTER_SOFTWARE", "city": "Boston", "country": "United States", "annualrevenue": String(100_000 + index * 10),
            ]
        case .deals:
            let stages = ["appointmentscheduled", "qualifiedtobuy", "closedwon", "closedlost"]
            let lines = [line(2 * index, volume: volume), line(2 * index + 1, volume: volume)]
            let amount = lines.reduce(0) { $0 + $1.quantity * $1.cents }
            properties = [
                "dealname": "Deal \(n)", "dealstage": stages[index % 4], "pipeline": "default", "amount": money(amount),
                "deal_currency_code": "USD", "closedate": HubSpotRecord.iso(epochMilliseconds + Int64(index % 60) * 86_400_000),
            ]
            associations = [
                .companies: [id(.companies, index % other)], .contacts: [id(.contacts, index % other)],
                .lineItems: [id(.lineItems, 2 * index), id(.lineItems, 2 * index + 1)],
            ]
        case .products:
            let cents = (10 + index % 50) * 100
            properties = [
                "name": "Product \(n)", "description": "Seeded product \(n)", "price": money(cents), "hs_sku": "SKU-\(n)",
                "hs_cost_of_goods_sold": money(cents * 6 / 10),
            ]
        case .lineItems:
            let item = line(index, volume: volume)
            properties = [
                "name": "Product \(item.product + 1)", "quantity": String(item.quantity), "price": money(item.cents),
                "amount": money(item.quantity * item.cents), "hs_product_id": String(id(.products, item.product)),
                "hs_sku": "SKU-\(item.product + 1)",
            ]
            associations[.deals] = [id(.deals, index / 2)]
        }
        properties["createdate"] = HubSpotRecord.iso(created)
        properties[type.modifiedProperty] = HubSpotRecord.iso(updated)
        properties["hs_object_id"] = String(id(type, index))
        // A seeded contact's or deal's one company is its primary one.
        let primary = associations[.companies].flatMap(\.first).map { [HubSpotObjectType.companies: $0] } ?? [:]
        return HubSpotRecord(
            id: id(type, index),
            properties: properties,
            createdAt: created,
            updatedAt: updated,
            associations: associations,
            primary: type.hasPrimary(to: .companies) ? primary : [:]
        )
    }

    /// Line item `index`: quantity 1–3 of a 10.00–59.00 product.
    static func line(_ index: Int, volume: Int) -> (quantity: Int, cents: Int, product: Int) {
        (1 + index % 3, (10 + (index / 2) % 50) * 100, (index / 2) % max(volume, 1))
    }

    /// A decimal string as HubSpot writes amounts (`1250.5`, `30`).
    static func money(_ cents: Int) -> String {
        cents % 100 == 0 ? String(cents / 100) : String(format: "%d.%02d", cents / 100, cents % 100)
    }
}
