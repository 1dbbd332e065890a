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
        // Positions, not records: a dictionary of records copies each one in and out.
        var byID: [String: Int] = [:]
        byID.reserveCapacity(records.count)
        for (position, record) in records.enumerated() { byID[record.externalID] = position }
        let connectionText = connection.uuidString.lowercased()
        // One clock reading for the page's ids: they still order by time across pages, and within
        // a page by their random bits, as ids of one millisecond do.
        let now = Date()
        let created = type(entity: entity, change: .created)
        let updated = type(entity: entity, change: .updated)
        let deleted = type(entity: entity, change: .deleted)
        func eventType(_ kind: RecordStore.PageResult.Change.Kind) -> String {
            switch kind {
            case .created: created
            case .updated: updated
            case .deleted: deleted
            }
        }
        return result.changes.map { change in
            let record = change.kind == .deleted ? nil : byID[change.externalID].map { records[$0] }
            return OutboxEvent(
                id: .timeOrdered(at: now),
                organizationID: organization,
                type: eventType(change.kind),
                dataText: encodedData(
                    connection: connectionText,
                    entity: entity,
                    externalID: change.externalID,
                    provider: provider,
                    canonicalText: record?.canonicalText,
                    recordID: change.id
                )
            )
        }
    }

    /// The bytes `JSONValue.encoded()` writes for an event's data (keys sorted), with the record's
    /// canonical fields spliced in as the text `PreparedRecord` already serialized for the store.
    static func encodedData(
        connection: String,
        entity: String,
        externalID: String,
        provider: String,
        canonicalText: String?,
        recordID: UUID
    ) -> String {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(160 + (canonicalText?.utf8.count ?? 0))
        func field(_ key: String, _ value: String, first: Bool = false) {
            buffer.append(contentsOf: (first ? "{\"" : ",\"").utf8)
            buffer.appendUTF8(key)
            buffer.append(contentsOf: "\":".utf8)
            JSONValue.writeString(value, into: &buffer)
        }
        field("connection_id", connection, first: true)
        field("entity", entity)
        field("external_id", externalID)
        field("provider", provider)
        if let canonicalText {
            buffer.append(contentsOf: ",\"record\":".utf8)
            buffer.appendUTF8(canonicalText)
        }
        buffer.append(contentsOf: ",\"record_id\":\"".utf8)
        recordID.appendLowercaseText(to: &buffer)
        buffer.append(UInt8(ascii: "\""))
        buffer.append(UInt8(ascii: "}"))
        return String(decoding: buffer, as: UTF8.self)
    }
}
