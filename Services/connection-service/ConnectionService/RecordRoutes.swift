import Foundation
import HubConnections
import HubConnectors
import HubCore
import HubSync
import Hummingbird
import HummingbirdCore
import ServiceEdge

/// The canonical record store of a connection, per entity:
///
/// - `GET …/connections/{id}/records/{entity}`: oldest local change first; `updated_since`
///   (ISO 8601), `include_deleted`, `limit`, `cursor`
/// - `GET …/connections/{id}/records/{entity}/{record}`
/// - `POST …/records/{entity}`, `PATCH …/records/{entity}/{record}`, `DELETE …/records/{entity}/{record}`:
///   local writes, sent to the provider by the next push (or bidirectional) sync of the entity
struct RecordRoutes {
    let lookup: ConnectionLookup
    let records: RecordStore

    /// `records` is the group `…/connections/:id/records/:entity`.
    func add(to records: RouterGroup<HubRequestContext>) {
        records.get { request, context -> Page<SyncRecord> in
            let (connection, entity) = try await target(context, allowing: nil)
            let page = try PageRequest(query: request.uri)
            let filter = try Self.filter(request.uri)
            let rows = try await self.records.list(
                organization: connection.organizationID,
                connection: connection.id,
                entity: entity,
                filter: filter,
                page: page
            )
            return Page(rows: rows, limit: page.limit, key: \.cursorKey)
        }
        records.get(":record") { _, context -> SyncRecord in
            let (connection, entity) = try await target(context, allowing: nil)
            guard
                let record = try await self.records.record(
                    organization: connection.organizationID,
                    connection: connection.id,
                    entity: entity,
                    id: try Self.recordID(context)
                )
            else { throw APIError.notFound("record") }
            return record
        }
        records.post { request, context -> EditedResponse<SyncRecord> in
            let (connection, entity) = try await target(context, allowing: .create)
            let body = try await request.decodeJSON(as: RecordWriteRequest.self, context: context)
            let record = try await self.records.createLocal(
                organization: connection.organizationID,
                connection: connection.id,
                entity: entity,
                fields: try Self.fields(body, of: entity)
            )
            return EditedResponse(status: .created, response: record)
        }
        records.patch(":record") { request, context -> SyncRecord in
            let (connection, entity) = try await target(context, allowing: .update)
            let body = try await request.decodeJSON(as: RecordWriteRequest.self, context: context)
            guard
                let record = try await self.records.updateLocal(
                    organization: connection.organizationID,
                    connection: connection.id,
                    entity: entity,
                    id: try Self.recordID(context),
                    fields: try Self.fields(body, of: entity)
                )
            else { throw APIError.notFound("record") }
            return record
        }
        records.delete(":record") { _, context -> SyncRecord in
            let (connection, entity) = try await target(context, allowing: .delete)
            guard
                let record = try await self.records.deleteLocal(
                    organization: connection.organizationID,
                    connection: connection.id,
                    entity: entity,
                    id: try Self.recordID(context)
                )
            else { throw APIError.notFound("record") }
            return record
        }
    }

    /// The organization's connection and an entity its provider has; a write (`operation`) also
    /// needs the connection live and the provider to allow it on the entity.
    func target(_ context: HubRequestContext, allowing operation: EntityOperation?) async throws -> (Connection, String) {
        let connection = try await lookup.connection(context)
        let entity = try context.parameters.require("entity")
        try lookup.check(entity, of: connection, allowing: operation)
        return (connection, entity)
    }

    static func recordID(_ context: HubRequestContext) throws -> UUID {
        try context.pathID("record", of: "record")
    }

    /// The body's fields, each a field of the entity's canonical shape holding a value that
    /// fits it: a push would otherwise fail on it later, or drop a field the entity lacks.
    static func fields(_ body: RecordWriteRequest, of entity: String) throws -> JSONValue {
        guard let fields = body.fields.objectValue, !fields.isEmpty else {
            throw APIError.validation("'fields' must be a non-empty JSON object of canonical fields", field: "fields")
        }
        if let canonical = CanonicalSchema.entity(entity) {
            for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
                guard let field = canonical.field(name) else {
                    throw APIError.validation("'\(name)' is not a field of \(entity)", field: "fields.\(name)")
                }
                // The provider gives a record its id when the record reaches it.
                guard name != "id" else {
                    throw APIError.validation(
                        "'id' is the provider's id of the record, given when it is pushed; it cannot be written",
                        field: "fields.id"
                    )
                }
                if let problem = value.misfit(field) { throw APIError.validation(problem, field: "fields.\(name)") }
            }
        }
        return body.fields
    }

    static func filter(_ uri: URI) throws -> RecordStore.RecordFilter {
        let query = uri.queryParameters
        var filter = RecordStore.RecordFilter()
        if let since = query["updated_since"] {
            guard let date = ISO8601DateFormatter().date(from: String(since)) else {
                throw APIError.validation("'updated_since' must be an ISO 8601 time like 2026-01-31T12:00:00Z", field: "updated_since")
            }
            filter.updatedSince = date
        }
        if let deleted = query["include_deleted"] {
            guard ["true", "false"].contains(String(deleted)) else {
                throw APIError.validation("'include_deleted' must be true or false", field: "include_deleted")
            }
            filter.includeDeleted = deleted == "true"
        }
        return filter
    }
}
