import Hummingbird
import HubCore

/// Connections, credentials, sync configurations and synced records.
///
/// Today it serves the operational routes and the organization's audit log; connections arrive
/// with the issue that builds them.
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
    }

    /// The service's published OpenAPI document.
    public static func openAPI() throws -> OpenAPIDocument {
        try OpenAPIDocument(bundle: .module)
    }
}
