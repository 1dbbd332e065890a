import Foundation
import HubConnections
import HubConnectors
import HubCore
import Hummingbird
import HummingbirdCore

/// The canonical record store of a connection, per entity:
///
/// - `GET …/connections/{id}/records/{entity}`: oldest local change first; `updated_since`
///   (ISO 8601), `include_deleted`, `limit`, `cursor`
/// - `GET …/connections/{id}/records/{entity}/{record}`
/// - `POST …/records/{entity}`, `PATCH …/records/{entity}/{record}`, `DELETE …/records/{entity}/{record}`:
///   local writes, sent to the provider by the next push (or bidirectional) sync of the entity
struct RecordRoutes {
    let connections: ConnectionRepository
    let records: RecordStore
    let registry: ConnectorRegistry

    func add(to api: RouterGroup<HubRequestContext>) {
        api.get("integrations/connections/:id/records/:entity") { request, context -> Page<SyncRecord> in
            let (connection, entity) = try await target(context, allowing: nil)
            let page = try PageRequest(query: request.uri)
            let filter = try Self.filter(request.uri)
            let rows = try await records.list(
                organization: connection.organizationID, connection: connection.id, entity: entity, filter: filter, page: page)
            return Page(rows: rows, limit: page.limit, key: \.cursorKey)
        }
        api.get("integrations/connections/:id/records/:entity/:record") { _, context -> SyncRecord in
            let (connection, entity) = try await target(context, allowing: nil)
            guard let record = try await records.record(
                organization: connection.organizationID, connection: connection.id, entity: entity, id: try Self.recordID(context))
            else { throw APIError.notFound("record") }
            return record
        }
        api.post("integrations/connections/:id/records/:entity") { request, context -> EditedResponse<SyncRecord> in
            let (connection, entity) = try await target(context, allowing: .create)
            let body = try await request.decodeJSON(as: RecordWriteRequest.self, context: context)
            let record = try await records.createLocal(
                organization: connection.organizationID, connection: connection.id, entity: entity, fields: try Self.fields(body))
            return EditedResponse(status: .created, response: record)
        }
        api.patch("integrations/connections/:id/records/:entity/:record") { request, context -> SyncRecord in
            let (connection, entity) = try await target(context, allowing: .update)
            let body = try await request.decodeJSON(as: RecordWriteRequest.self, context: context)
            guard let record = try await records.updateLocal(
                organization: connection.organizationID, connection: connection.id, entity: entity, id: try Self.recordID(context),
                fields: try Self.fields(body))
            else { throw APIError.notFound("record") }
            return record
        }
        api.delete("integrations/connections/:id/records/:entity/:record") { _, context -> SyncRecord in
            let (connection, entity) = try await target(context, allowing: .delete)
            guard let record = try await records.deleteLocal(
                organization: connection.organizationID, connection: connection.id, entity: entity, id: try Self.recordID(context))
            else { throw APIError.notFound("record") }
            return record
        }
    }

    /// The organization's connection and an entity its provider has (and allows `operation` on).
    func target(_ context: HubRequestContext, allowing operation: EntityOperation?) async throws -> (Connection, String) {
        let connection = try await connections.require(
            organization: try context.requireIdentity().organizationID, id: try context.parameters.require("id"))
        let entity = try context.parameters.require("entity")
        guard let provider = registry.definition(id: connection.provider) else { throw APIError.notFound("connection") }
        guard let definition = provider.entity(entity) else {
            throw APIError.validation(
                "\(provider.displayName) has no '\(entity)'; it supports: \(provider.entities.map(\.name).joined(separator: ", "))",
                field: "entity")
        }
        if let operation {
            guard connection.status != .disconnected else {
                throw APIError.conflict("the connection is disconnected", code: "connection_disconnected")
            }
            guard definition.operations.contains(operation) else {
                throw APIError.validation("\(provider.displayName) does not allow \(operation.rawValue) on \(entity)", field: "entity")
            }
        }
        return (connection, entity)
    }

    static func recordID(_ context: HubRequestContext) throws -> UUID {
        guard let id = UUID(uuidString: try context.parameters.require("record")) else { throw APIError.notFound("record") }
        return id
    }

    static func fields(_ body: RecordWriteRequest) throws -> JSONValue {
        guard let fields = body.fields.objectValue, !fields.isEmpty else {
            throw APIError.validation("'fields' must be a non-empty JSON object of canonical fields", field: "fields")
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
