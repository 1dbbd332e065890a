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
///
/// A record's answers carry its version in `ETag`; a `PATCH` or `DELETE` with `If-Match` changes
/// it only at that version (412 otherwise), so two writers cannot silently undo each other.
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
        records.get(":record") { _, context -> EditedResponse<SyncRecord> in
            let (connection, entity) = try await target(context, allowing: nil)
            guard
                let record = try await self.records.record(
                    organization: connection.organizationID,
                    connection: connection.id,
                    entity: entity,
                    id: try Self.recordID(context)
                )
            else { throw APIError.notFound("record") }
            return Self.tagged(record)
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
            return Self.tagged(record, status: .created)
        }
        records.patch(":record") { request, context -> EditedResponse<SyncRecord> in
            let (connection, entity) = try await target(context, allowing: .update)
            let body = try await request.decodeJSON(as: RecordWriteRequest.self, context: context)
            let versions = Self.ifMatch(request)
            let updated = try await self.records.updateLocal(
                organization: connection.organizationID,
                connection: connection.id,
                entity: entity,
                id: try Self.recordID(context),
                fields: try Self.fields(body, of: entity),
                ifVersions: versions
            )
            return Self.tagged(try await written(updated, versions: versions, connection: connection, entity: entity, context: context))
        }
        records.delete(":record") { request, context -> EditedResponse<SyncRecord> in
            let (connection, entity) = try await target(context, allowing: .delete)
            let versions = Self.ifMatch(request)
            let deleted = try await self.records.deleteLocal(
                organization: connection.organizationID,
                connection: connection.id,
                entity: entity,
                id: try Self.recordID(context),
                ifVersions: versions
            )
            return Self.tagged(try await written(deleted, versions: versions, connection: connection, entity: entity, context: context))
        }
    }

    /// A record with its version in `ETag`.
    static func tagged(_ record: SyncRecord, status: HTTPResponse.Status? = nil) -> EditedResponse<SyncRecord> {
        EditedResponse(status: status, headers: [.eTag: record.etag], response: record)
    }

    /// The versions `If-Match` allows, nil without one (or with `*`: the record must only exist,
    /// which a write requires anyway). Only strong tags can match; a weak one or one this API
    /// never made matches nothing, so the write is refused with 412.
    static func ifMatch(_ request: Request) -> [Int64]? {
        guard let header = request.headers[.ifMatch]?.trimmingWhitespace(), header != "*" else { return nil }
        return header.split(separator: ",").compactMap { tag in
            let tag = tag.trimmingWhitespace()
            guard tag.count > 2, tag.hasPrefix("\""), tag.hasSuffix("\"") else { return nil }
            return Int64(tag.dropFirst().dropLast())
        }
    }

    /// The written record, or why there is none: 412 with the current `ETag` when the record
    /// exists (still writable) but `If-Match` named another version, else 404.
    func written(
        _ record: SyncRecord?,
        versions: [Int64]?,
        connection: Connection,
        entity: String,
        context: HubRequestContext
    ) async throws -> SyncRecord {
        if let record { return record }
        if versions != nil,
            let current = try await records.record(
                organization: connection.organizationID,
                connection: connection.id,
                entity: entity,
                id: try Self.recordID(context)
            ),
            current.deletedAt == nil, current.pendingOperation != "delete"
        {
            throw APIError(
                .preconditionFailed,
                code: "precondition_failed",
                message: "the record has changed since the version If-Match names; read it again (its ETag) and retry",
                details: ["etag": .string(current.etag)]
            )
        }
        throw APIError.notFound("record")
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

    /// The body's fields, each a field of the entity's canonical shape holding a value that fits
    /// it (`CanonicalEntity.check(write:)`, members of addresses and lines included).
    static func fields(_ body: RecordWriteRequest, of entity: String) throws -> JSONValue {
        guard let fields = body.fields.objectValue, !fields.isEmpty else {
            throw APIError.validation("'fields' must be a non-empty JSON object of canonical fields", field: "fields")
        }
        // The provider gives a record its id when the record reaches it.
        if fields["id"] != nil {
            throw APIError.validation("'id' is the provider's id of the record, given when it is pushed; it cannot be written", field: "fields.id")
        }
        do {
            try CanonicalSchema.entity(entity)?.check(write: fields)
        } catch {
            throw APIError.validation(error.message, field: error.place)
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
