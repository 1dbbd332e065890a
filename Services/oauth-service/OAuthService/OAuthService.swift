import HubConnections
import HubCore
import Hummingbird

/// OAuth 2.0 authorization, callbacks, Plaid Link and token refresh.
///
/// Serves the authorization-code flow for every OAuth provider (`OAuthRoutes`); Plaid Link,
/// the internal token endpoint and the background refresh are next.
public enum OAuthService {
    public static func buildApplication(dependencies: HubDependencies) throws -> some ApplicationProtocol {
        HubApplication.build(dependencies: dependencies, openAPI: try openAPI()) { routes in
            addRoutes(to: routes, dependencies: dependencies)
        }
    }

    /// The service's own routes, on the groups `HubApplication` prepared.
    public static func addRoutes(to routes: HubRoutes, dependencies: HubDependencies) {
        OAuthRoutes(
            lifecycle: ConnectionLifecycle(dependencies: dependencies), states: OAuthStateStore(redis: dependencies.redis),
            uiOrigin: dependencies.configuration.uiOrigin, logger: dependencies.logger
        ).add(to: routes)
    }

    /// The service's published OpenAPI document.
    public static func openAPI() throws -> OpenAPIDocument {
        try OpenAPIDocument(bundle: .module)
    }
}
