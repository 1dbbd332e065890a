import Foundation
import HubCore
import NIOCore
import PostgresNIO

/// The insert of `InboundEventStore.insert`, prepared once per connection: every acknowledged
/// batch of provider webhooks sends it. Returns the (connection, event id) pairs that were new.
struct InboundEventInsert: PostgresPreparedStatement {
    static let name = "hub_inbound_events_insert_v1"
    typealias Row = (UUID, String)
    static let bindingDataTypes: [PostgresDataType] = [.uuidArray, .uuidArray, .uuidArray, .textArray, .textArray, .textArray, .byteaArray]
    static let sql = """
        INSERT INTO inbound_events (id, org_id, connection_id, provider, event_id, event_type, body)
        SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::bytea[])
        ON CONFLICT (connection_id, event_id) DO NOTHING
        RETURNING connection_id, event_id
        """

    var events: [InboundEventStore.Received]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: Self.bindingDataTypes.count)
        bindings.append(events.map { _ in UUID.timeOrdered() })
        bindings.append(events.map(\.organizationID))
        bindings.append(events.map(\.connectionID))
        bindings.append(events.map(\.provider))
        bindings.append(events.map(\.eventID))
        bindings.append(events.map(\.eventType))
        bindings.append(events.map { ByteBuffer(bytes: $0.body) })
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        try row.decode(Row.self)
    }
}
