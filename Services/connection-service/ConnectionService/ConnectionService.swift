import HubConnections
import HubCore
import Hummingbird

/// Connections, credentials, sync configurations and synced records.
///
/// Serves the organization's connections (API-key connect, test, edit, disconnect, history) and
/// its audit log, sync configurations, sync triggers and the job history, and the synced records
/// with their local writes.
public enum ConnectionService {
    public static func buildApplication(dependencies: HubDependencies) throws -> some ApplicationProtocol {
        HubApplication.build(dependencies: dependencies, openAPI: try openAPI()) { routes in
            addRoutes(to: routes, dependencies: dependencies)
        }
    }

    /// The service's own routes, on the groups `HubApplication` prepared.
    public static func addRoutes(to routes: HubRoutes, dependencies: HubDependencies) {
        AuditLogRoutes(repository: AuditLogRepository(client: dependencies.postgres, logger: dependencies.logger))
            .add(to: routes.api)
        let lifecycle = ConnectionLifecycle(dependencies: dependencies)
        ConnectionRoutes(lifecycle: lifecycle).add(to: routes.api)
        SyncRoutes(
            connections: lifecycle.repository, syncs: SyncRepository(client: dependencies.postgres, logger: dependencies.logger),
            registry: lifecycle.factory.registry, redis: dependencies.redis
        ).add(to: routes.api)
        RecordRoutes(
            connections: lifecycle.repository, records: RecordStore(client: dependencies.postgres, logger: dependencies.logger),
            registry: lifecycle.factory.registry
        ).add(to: routes.api)
    }

    /// The service's published OpenAPI document.
    public static func openAPI() throws -> OpenAPIDocument {
        try OpenAPIDocument(bundle: .module)
    }
}
