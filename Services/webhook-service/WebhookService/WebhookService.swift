import Hummingbird
import HubCore

/// Inbound provider webhooks and signed outbound deliveries.
///
/// Today it serves only the operational routes every service has; its own routes arrive with the
/// issue that builds it.
public enum WebhookService {
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
