import HubConnections
import HubCore
import Hummingbird

/// OAuth 2.0 authorization, callbacks, Plaid Link and token refresh.
///
/// Serves the authorization-code flow for every OAuth provider (`OAuthRoutes`), public-token
/// widgets such as Plaid Link (`PublicTokenRoutes`), valid access tokens for other services
/// (`TokenRoutes`), calls and webhook checks that need a client secret for them
/// (`ProviderRelayRoutes`), and refreshes tokens ahead of expiry in the background (`TokenRefreshService`).
public enum OAuthService {
    public static func buildApplication(dependencies: HubDependencies) throws -> some ApplicationProtocol {
        let configuration = dependencies.configuration
        let refresher = TokenRefreshService(
            lifecycle: ConnectionLifecycle(dependencies: dependencies),
            interval: .seconds(configuration.tokenRefreshIntervalSeconds),
            window: Double(configuration.tokenRefreshWindowSeconds),
            logger: dependencies.logger
        )
        return HubApplication.build(dependencies: dependencies, openAPI: try openAPI(), backgroundServices: [refresher]) { routes in
            addRoutes(to: routes, dependencies: dependencies)
        }
    }

    /// The service's own routes, on the groups `HubApplication` prepared.
    public static func addRoutes(to routes: HubRoutes, dependencies: HubDependencies) {
        let lifecycle = ConnectionLifecycle(dependencies: dependencies)
        OAuthRoutes(
            lifecycle: lifecycle,
            states: OAuthStateStore(redis: dependencies.redis, lifetime: .seconds(dependencies.configuration.oauthStateTTLSeconds)),
            uiOrigin: dependencies.configuration.uiOrigin,
            logger: dependencies.logger
        ).add(to: routes)
        PublicTokenRoutes(lifecycle: lifecycle).add(to: routes.api.group("integrations/oauth/:provider"))
        TokenRoutes(lifecycle: lifecycle).add(to: routes.internal)
        ProviderRelayRoutes(factory: lifecycle.factory).add(to: routes.internal)
    }

    /// The service's published OpenAPI document.
    public static func openAPI() throws -> OpenAPIDocument {
        try OpenAPIDocument(bundle: .module)
    }
}
