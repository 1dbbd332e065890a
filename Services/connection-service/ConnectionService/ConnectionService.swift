import Hummingbird
import HubCore

/// Connections, credentials, sync configurations and synced records.
///
/// Today it serves only the operational routes every service has; its own routes arrive with the
/// issue that builds it.
public enum ConnectionService {
    public static func buildApplication(dependencies: HubDependencies) throws -> some ApplicationProtocol {
        HubApplication.build(dependencies: dependencies, openAPI: try openAPI()) { routes in
            addRoutes(to: routes)
        }
    }

    /// The service's own routes, on the groups `HubApplication` prepared.
    public static func addRoutes(to routes: HubRoutes) {}

    /// The service's published OpenAPI document.
    public static func openAPI() throws -> OpenAPIDocument {
        try OpenAPIDocument(bundle: .module)
    }
}
