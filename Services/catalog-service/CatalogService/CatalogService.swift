import Foundation
import HubConnectors
import HubCore
import Hummingbird
import Metrics

/// The provider catalog: what can be connected, how, and what it holds. Everything it serves is
/// derived from the connectors' own definitions (`ConnectorRegistry`), never a list kept here.
public enum CatalogService {
    public static func buildApplication(dependencies: HubDependencies) throws -> some ApplicationProtocol {
        let catalog = try Catalog(registry: .standard)
        return HubApplication.build(dependencies: dependencies, openAPI: try openAPI()) { routes in
            addRoutes(to: routes, catalog: catalog)
        }
    }

    /// The service's own routes, on the groups `HubApplication` prepared.
    public static func addRoutes(to routes: HubRoutes) throws {
        addRoutes(to: routes, catalog: try Catalog(registry: .standard))
    }

    static func addRoutes(to routes: HubRoutes, catalog: Catalog) {
        Gauge(label: "hub_catalog_providers").record(catalog.providerByID.count)
        CatalogRoutes(catalog: catalog).add(to: routes.api)
    }

    /// The service's published OpenAPI document.
    public static func openAPI() throws -> OpenAPIDocument {
        try OpenAPIDocument(bundle: .module)
    }
}
