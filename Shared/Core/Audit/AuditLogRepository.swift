import Foundation
import Logging
import PostgresNIO

/// The audit log's SQL. Every read is scoped by the organization: another organization's entry
/// is indistinguishable from one that does not exist.
public struct AuditLogRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Appends an entry; use `record(on:)` to write it in the transaction of the change it audits.
    @discardableResult
    public func record(
        organization: UUID,
        actor: String,
        action: String,
        resourceType: String,
        resourceID: String?,
        details: JSONValue = [:],
        requestID: String? = nil
    ) async throws -> Int64 {
        try await client.withConnection { connection in
            try await Self.record(
                on: connection,
                organization: organization,
                actor: actor,
                action: action,
                resourceType: resourceType,
                resourceID: resourceID,
                details: details,
                requestID: requestID,
                logger: logger
            )
        }
    }

    /// Appends an entry for a change `actor` made, on `connection` (in the change's transaction).
    @discardableResult
    public static func record(
        on connection: PostgresConnection,
        by actor: AuditActor,
        action: String,
        resourceType: String,
        resourceID: UUID,
        details: JSONValue = [:],
        logger: Logger
    ) async throws -> Int64 {
        try await record(
            on: connection,
            organization: actor.organizationID,
            actor: actor.subject,
            action: action,
            resourceType: resourceType,
            resourceID: resourceID.uuidString.lowercased(),
            details: details,
            requestID: actor.requestID,
            logger: logger
        )
    }

    public static func record(
        on connection: PostgresConnection,
        organization: UUID,
        actor: String,
        action: String,
        resourceType: String,
        resourceID: String?,
        details: JSONValue,
        requestID: String?,
        logger: Logger
    ) async throws -> Int64 {
        let detailsText = String(decoding: try JSONEncoder.hub.encode(details), as: UTF8.self)
        let rows = try await connection.query(
            """
            INSERT INTO audit_log (org_id, actor, action, resource_type, resource_id, details, request_id)
            VALUES (\(organization), \(actor), \(action), \(resourceType), \(resourceID), \(detailsText)::jsonb, \(requestID))
            RETURNING id
            """,
            logger: logger
        )
        for try await id in rows.decode(Int64.self) { return id }
        throw PostgresDecodingError.Code.missingData
    }

    /// Up to `limit + 1` of the organization's entries, newest first, those older than `before`
    /// (the id of the previous page's last entry); with `resource`, only that resource's (type and
    /// id), so a busy organization's log still shows one connection's history.
    public func list(
        organization: UUID,
        before: Int64? = nil,
        limit: Int,
        resource: (type: String, id: String)? = nil
    ) async throws -> [AuditEntry] {
        let before = before ?? Int64.max
        let rows = try await client.query(
            """
            SELECT id, org_id, actor, action, resource_type, resource_id, details, request_id, created_at
            FROM audit_log WHERE org_id = \(organization) AND id < \(before)
              AND (\(resource?.type)::text IS NULL OR (resource_type = \(resource?.type) AND resource_id = \(resource?.id)))
            ORDER BY id DESC LIMIT \(limit + 1)
            """,
            logger: logger
        )
        return try await Self.decode(rows)
    }

    public func get(organization: UUID, id: Int64) async throws -> AuditEntry? {
        let rows = try await client.query(
            """
            SELECT id, org_id, actor, action, resource_type, resource_id, details, request_id, created_at
            FROM audit_log WHERE org_id = \(organization) AND id = \(id)
            """,
            logger: logger
        )
        return try await Self.decode(rows).first
    }

    static func decode(_ rows: PostgresRowSequence) async throws -> [AuditEntry] {
        var entries: [AuditEntry] = []
        for try await (id, org, actor, action, type, resourceID, details, requestID, createdAt) in rows.decode(
            (Int64, UUID, String, String, String, String?, JSONValue, String?, Date).self
        ) {
            entries.append(
                AuditEntry(
                    id: id,
                    organizationID: org,
                    actor: actor,
                    action: action,
                    resourceType: type,
                    resourceID: resourceID,
                    details: details,
                    requestID: requestID,
                    createdAt: createdAt
                )
            )
        }
        return entries
    }
}
