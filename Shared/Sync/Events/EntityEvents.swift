import Foundation
import HubCore

/// The hub's event types for changes a pull made to synced records: `customer.created`,
/// `invoice.updated`, `payment.received`, … — the entity type in the singular, then what happened.
public enum EntityEvents {
    /// The singular an entity type's events are named with.
    public static func subject(of entity: String) -> String {
        switch entity {
        case "bank_transactions", "transactions": "transaction"
        case "bank_accounts": "bank_account"
        case "inventory_levels": "inventory_level"
        case "balance_transactions": "balance_transaction"
        case "payment_intents": "payment_intent"
        default: singular(entity)
        }
    }

    /// English singular of a plural snake_case name, by its last word: `companies` → `company`,
    /// `addresses` → `address`, `invoices` → `invoice`, `expenses` → `expense`.
    static func singular(_ plural: String) -> String {
        for (suffix, replacement) in [("ies", "y"), ("sses", "ss"), ("shes", "sh"), ("ches", "ch"), ("xes", "x"), ("zzes", "zz")]
        where plural.hasSuffix(suffix) && plural.count > suffix.count {
            return plural.dropLast(suffix.count) + replacement
        }
        if plural.hasSuffix("ss") || plural.hasSuffix("us") { return plural }
        return plural.hasSuffix("s") ? String(plural.dropLast()) : plural
    }

    /// The event type for a change; a new payment is `payment.received`.
    public static func type(entity: String, change: RecordStore.PageResult.Change.Kind) -> String {
        let subject = subject(of: entity)
        if subject == "payment" && change == .created { return "payment.received" }
        return "\(subject).\(change.rawValue)"
    }

    /// The entity types syncs emit events for, with every type each can produce (the webhook
    /// catalog lists them).
    public static func types(entity: String) -> [String] {
        [RecordStore.PageResult.Change.Kind.created, .updated, .deleted].map { type(entity: entity, change: $0) }
    }
}

extension EntityEvents {
    /// The hub events for what a write to the store changed (a pull page, an inbound webhook):
    /// `customer.created`, `invoice.updated`, … with the record's canonical fields.
    public static func events(
        for result: RecordStore.PageResult,
        organization: UUID,
        connection: UUID,
        provider: String,
        entity: String,
        records: [PreparedRecord]
    ) -> [OutboxEvent] {
        guard !result.changes.isEmpty else { return [] }
        let canonical = Dictionary(records.map { ($0.externalID, $0.canonical) }, uniquingKeysWith: { $1 })
        let connectionID = JSONValue.string(connection.uuidString.lowercased())
        return result.changes.map { change in
            var data: [String: JSONValue] = [
                "connection_id": connectionID, "provider": .string(provider), "entity": .string(entity),
                "record_id": .string(change.id.uuidString.lowercased()), "external_id": .string(change.externalID),
            ]
            if change.kind != .deleted, let record = canonical[change.externalID] { data["record"] = record }
            return OutboxEvent(organizationID: organization, type: type(entity: entity, change: change.kind), data: .object(data))
        }
    }
}
