import Foundation
import HubCore
import PostgresNIO

extension SyncRecord: PostgresRowDecodable {
    /// A row of `RecordStore.recordColumns`. A record never filled (a local create's canonical
    /// is set at once) reads as no fields.
    public init(row: PostgresRow) throws {
        let (
            id, connectionID, entity, externalID, fields, providerPayload, remoteUpdatedAt, localUpdatedAt, deletedAt, pendingOperation,
            pushedAt
        ) = try row.decode((UUID, UUID, String, String?, JSONValue?, JSONValue?, Date?, Date, Date?, String?, Date?).self)
        self.init(
            id: id,
            connectionID: connectionID,
            entity: entity,
            externalID: externalID,
            fields: fields ?? [:],
            providerPayload: providerPayload,
            remoteUpdatedAt: remoteUpdatedAt,
            localUpdatedAt: localUpdatedAt,
            deletedAt: deletedAt,
            pendingOperation: pendingOperation,
            pushedAt: pushedAt
        )
    }
}
