import Foundation
import HubConnectors
import HubCore
import Testing

@testable import HubSync

/// A pull's events carry the record's canonical text as serialized once for the store: the text
/// stored must be exactly what writing the event's data would give.
struct EntityEventsTests {
    static let mapping = StripeConnector.defaultFieldMappings["customers"] ?? FieldMapping(rules: [])

    static func prepared(_ id: String, name: String) -> PreparedRecord {
        let payload: JSONValue = [
            "id": .string(id), "object": "customer", "name": .string(name), "email": "a@example.com", "created": 1_700_000_000,
            "balance": -250, "currency": "eur", "metadata": ["tier": "gold", "note": "line\nbreak \"quoted\" \\ ünïcode"],
            "address": ["city": "Zürich", "country": "CH", "line1": .null],
        ]
        return PreparedRecord(
            ProviderRecord(externalID: id, updatedAt: Date(timeIntervalSince1970: 1_700_000_000), payload: payload),
            mapping: mapping
        )
    }

    @Test func eventTextIsTheDataWrittenOut() throws {
        let records = [Self.prepared("cus_1", name: "Ada"), Self.prepared("cus_\"2\"\t", name: "Bé\u{1}b"), Self.prepared("cus_3", name: "Cy")]
        let ids = (0..<4).map { _ in UUID() }
        var result = RecordStore.PageResult()
        result.changes = [
            .init(kind: .created, id: ids[0], externalID: "cus_1"),
            .init(kind: .updated, id: ids[1], externalID: "cus_\"2\"\t"),
            .init(kind: .deleted, id: ids[2], externalID: "cus_3"),
            // A change for a record not in the page (a sweep's deletion): no record field.
            .init(kind: .deleted, id: ids[3], externalID: "cus_gone"),
        ]
        let events = EntityEvents.events(
            for: result,
            organization: UUID(),
            connection: UUID(),
            provider: "stripe",
            entity: "customers",
            records: records
        )
        #expect(events.map(\.type) == ["customer.created", "customer.updated", "customer.deleted", "customer.deleted"])
        for event in events {
            let data = try #require(JSONReader.parse(Array(event.dataText.utf8)), "the text is JSON")
            #expect(event.dataText == String(decoding: data.encoded(), as: UTF8.self), "written as the writer writes it, keys sorted")
        }
        #expect(events[0].data["record"] == JSONReader.parse(Array(records[0].canonicalText.utf8)))
        #expect(events[1].data["record"] == JSONReader.parse(Array(records[1].canonicalText.utf8)))
        #expect(events[2].data["record"] == nil)
        #expect(events[3].data["record"] == nil)
        #expect(events[1].data["external_id"] == .string("cus_\"2\"\t"))
        #expect(events.map { $0.data["record_id"] } == ids.map { .string($0.uuidString.lowercased()) }, "the record's id, lower case")
        #expect(Set(events.map(\.id)).count == events.count, "an id of its own each")
        #expect(events.allSatisfy { $0.id.uuidString.dropFirst(14).first == "7" }, "time-ordered (version 7) ids")
    }

    @Test func eventsMadeElsewhereWriteTheirData() {
        let event = OutboxEvent(organizationID: UUID(), type: "sync.completed", data: ["b": 1, "a": "x"])
        #expect(event.dataText == #"{"a":"x","b":1}"#)
    }
}
