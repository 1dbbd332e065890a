import Foundation
import HubConnections
import HubConnectors
import HubCore

/// What every route under `…/connections/{id}` starts with: the caller's connection named in the
/// path, whether it may still change, and an entity its provider has.
struct ConnectionLookup {
    let repository: ConnectionRepository
    let registry: ConnectorRegistry

    /// The caller's connection named by the `:id` path parameter, or a 404.
    func connection(_ context: HubRequestContext) async throws -> Connection {
        try await repository.require(organization: try context.requireIdentity().organizationID, id: try context.pathID("id", of: "connection"))
    }

    /// The caller's connection, or a 409 when it was disconnected: a disconnected connection is history.
    func live(_ context: HubRequestContext) async throws -> Connection {
        let connection = try await connection(context)
        try Self.requireLive(connection)
        return connection
    }

    static func requireLive(_ connection: Connection) throws {
        guard connection.status != .disconnected else {
            throw APIError.conflict("the connection is disconnected; connect again", code: "connection_disconnected")
        }
    }

    /// Checks an entity its provider has; a write (`operation`) also needs the connection live and
    /// the provider to allow it on the entity.
    func check(_ entity: String, of connection: Connection, allowing operation: EntityOperation?) throws {
        let definition = try self.entity(entity, of: connection)
        guard let operation else { return }
        try Self.requireLive(connection)
        guard definition.operations.contains(operation) else {
            let provider = registry.definition(id: connection.provider)?.displayName ?? connection.provider
            throw APIError.validation("\(provider) does not allow \(operation.rawValue) on \(entity)", field: "entity")
        }
    }

    /// The entity's definition at the connection's provider, or a 422 naming what it supports.
    func entity(_ entity: String, of connection: Connection) throws -> EntityDefinition {
        guard let provider = registry.definition(id: connection.provider) else { throw ConnectionError.notFound }
        guard let definition = provider.entity(entity) else {
            throw APIError.validation(
                "\(provider.displayName) has no '\(entity.excerpt())'; it supports: \(provider.entities.map(\.name).joined(separator: ", "))",
                field: "entity"
            )
        }
        return definition
    }
}
