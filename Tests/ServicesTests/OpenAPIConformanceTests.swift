import CatalogService
import ConnectionService
import HubCore
import HubTestSupport
import Hummingbird
import OAuthService
import SyncWorker
import WebhookService
import XCTest

/// Each service's published OpenAPI document lists exactly the routes its router serves.
final class OpenAPIConformanceTests: XCTestCase {
    func testEveryServiceDocumentMatchesItsRoutes() async throws {
        let hub = try await TestHub.make(service: .connection)
        let services: [(String, OpenAPIDocument, (HubRoutes) throws -> Void)] = [
            ("catalog-service", try CatalogService.openAPI(), { try CatalogService.addRoutes(to: $0) }),
            ("connection-service", try ConnectionService.openAPI(), { ConnectionService.addRoutes(to: $0, dependencies: hub.dependencies) }),
            ("oauth-service", try OAuthService.openAPI(), { OAuthService.addRoutes(to: $0, dependencies: hub.dependencies) }),
            ("sync-worker", try SyncWorker.openAPI(), { _ in }),  // probes and metrics only
            ("webhook-service", try WebhookService.openAPI(), { try WebhookService.addRoutes(to: $0, dependencies: hub.dependencies) }),
        ]
        for (name, document, addRoutes) in services {
            let router = try HubApplication.buildRouter(dependencies: hub.dependencies, openAPI: document, routes: addRoutes)
            let served = Set(router.routes.map { RouteKey(method: $0.method.rawValue, path: $0.path.description) })
            let documented = try document.operations()
            XCTAssertEqual(
                served.subtracting(documented).map(\.description).sorted(),
                [],
                "\(name): routes missing from openapi.json"
            )
            XCTAssertEqual(
                documented.subtracting(served).map(\.description).sorted(),
                [],
                "\(name): documented routes that do not exist"
            )
            XCTAssertTrue(documented.contains(RouteKey(method: "GET", path: "/readyz")), name)
        }
    }
}
