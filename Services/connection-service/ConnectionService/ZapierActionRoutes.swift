import Foundation
import HubConnections
import HubConnectors
import HubCore
import HubSync
import Hummingbird
import ServiceEdge

/// Zapier actions, authenticated by the organization's Zapier API key (see docs/zapier.md):
///
/// - `POST /api/v1/integrations/zapier/actions/{entity}` with `connection_id`, `fields` and, to
///   update rather than create, the record's `id`: a local write of the connection's canonical
///   record (`customers`, `invoices`, any entity its provider lets the hub write), which the
///   connection's push (or bidirectional) sync sends to the provider as any local write.
///   201 for a created record, 200 for an updated one.
///
/// With an `Idempotency-Key` header, the same request again answers the first one's record and
/// writes nothing (`Idempotent-Replayed: true`); another request under the key is a 422.
struct ZapierActionRoutes {
    let lookup: ConnectionLookup
    let records: RecordStore

    static let replayedHeader: HTTPFields.Element.Name = .init("Idempotent-Replayed")!
    static let idempotencyHeader: HTTPFields.Element.Name = .init("Idempotency-Key")!

    /// `zapier` is the API-key group `…/integrations/zapier`.
    func add(to zapier: RouterGroup<HubRequestContext>) {
        zapier.post("actions/:entity") { request, context -> EditedResponse<SyncRecord> in
            let identity = try context.requireIdentity()
            let entity = try context.parameters.require("entity")
            let key = try Self.idempotencyKey(request)
            let body = try await request.decodeJSON(as: ZapierActionRequest.self, context: context)
            let (connectionID, recordID) = try body.ids()
            let connection = try await lookup.repository.require(organization: identity.organizationID, id: connectionID)
            try lookup.check(entity, of: connection, allowing: recordID == nil ? .create : .update)
            let fields = try body.validatedFields(of: entity)
            let write = RecordStore.LocalWrite(connection: connection.id, entity: entity, recordID: recordID, fields: fields)
            guard let outcome = try await records.writeLocal(organization: identity.organizationID, write, idempotencyKey: key) else {
                throw APIError.notFound("record")
            }
            var headers = HTTPFields()
            if outcome.replayed { headers[Self.replayedHeader] = "true" }
            return EditedResponse(status: outcome.created ? .created : .ok, headers: headers, response: outcome.record)
        }
    }

    static func idempotencyKey(_ request: Request) throws -> String? {
        guard let key = request.headers[idempotencyHeader] else { return nil }
        guard (1...255).contains(key.count) else {
            throw APIError.validation("'Idempotency-Key' must be 1 to 255 characters", field: "Idempotency-Key")
        }
        return key
    }
}

/// The body of a Zapier action.
struct ZapierActionRequest: StrictDecodable {
    static let allowedFields: Set<String> = ["connection_id", "id", "fields"]
    var connectionID: String
    var id: String?
    var fields: JSONValue

    enum CodingKeys: String, CodingKey {
        case id, fields
        case connectionID = "connection_id"
    }

    /// The connection and (for an update) the record, or a 422 naming the field that is no id.
    func ids() throws -> (connection: UUID, record: UUID?) {
        guard let connection = UUID(uuidString: connectionID) else {
            throw APIError.validation("'connection_id' must be the id of one of your connections", field: "connection_id")
        }
        guard let id, !id.isEmpty else { return (connection, nil) }
        guard let record = UUID(uuidString: id) else {
            throw APIError.validation("'id' must be the id of a record of the connection (omit it to create one)", field: "id")
        }
        return (connection, record)
    }

    /// The fields, checked as the records API checks them.
    func validatedFields(of entity: String) throws -> JSONValue {
        try RecordRoutes.fields(RecordWriteRequest(fields: fields), of: entity)
    }
}
