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
        default: entity.hasSuffix("s") ? String(entity.dropLast()) : entity
        }
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
