import CatalogService
import Foundation
import HubConnectors
import HubCore
import HubTestSupport
import Hummingbird
import HummingbirdTesting
import XCTest

final class CatalogRoutesTests: XCTestCase {
    struct ProviderList: Decodable {
        var data: [ProviderDefinition]
    }

    struct CategoryList: Decodable {
        struct Category: Decodable {
            var id: String
            var provider_count: Int
            var providers: [String]
        }
        var data: [Category]
    }

    func makeApp() async throws -> (some ApplicationProtocol, TestHub) {
        let hub = try await TestHub.make(service: .catalog)
        let router = try HubApplication.buildRouter(dependencies: hub.dependencies, openAPI: try CatalogService.openAPI()) {
            try CatalogService.addRoutes(to: $0)
        }
        return (Application(router: router), hub)
    }

    func testListsTheTenProvidersDerivedFromTheConnectors() async throws {
        let (app, hub) = try await makeApp()
        let token = try await hub.token()
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/integrations/providers", method: .get, headers: [.authorization: "Bearer \(token)"])
            XCTAssertEqual(response.status, .ok)
            let list = try JSONDecoder().decode(ProviderList.self, from: Data(buffer: response.body))
            XCTAssertEqual(
                Set(list.data.map(\.id)),
                ["stripe", "paypal", "quickbooks", "xero", "zapier", "slack", "shopify", "plaid", "salesforce", "hubspot"]
            )
            XCTAssertEqual(list.data.map(\.id), ConnectorRegistry.standard.definitions.map(\.id))
            // snake_case on the wire
            XCTAssertTrue(String(buffer: response.body).contains(#""display_name""#))
        }
    }

    func testCategoryFilterAndUnknownCategory() async throws {
        let (app, hub) = try await makeApp()
        let token = try await hub.token()
        try await app.test(.router) { client in
            let payments = try await client.execute(
                uri: "/api/v1/integrations/providers?category=payments",
                method: .get,
                headers: [.authorization: "Bearer \(token)"]
            )
            let list = try JSONDecoder().decode(ProviderList.self, from: Data(buffer: payments.body))
            XCTAssertEqual(Set(list.data.map(\.id)), ["stripe", "paypal"])
            XCTAssertTrue(list.data.allSatisfy { $0.category == .payments })
            let storage = try await client.execute(
                uri: "/api/v1/integrations/providers?category=storage",
                method: .get,
                headers: [.authorization: "Bearer \(token)"]
            )
            XCTAssertEqual(try JSONDecoder().decode(ProviderList.self, from: Data(buffer: storage.body)).data.count, 0)
            let bogus = try await client.execute(
                uri: "/api/v1/integrations/providers?category=bogus",
                method: .get,
                headers: [.authorization: "Bearer \(token)"]
            )
            XCTAssertEqual(bogus.status, .unprocessableContent)
            XCTAssertTrue(String(buffer: bogus.body).contains("validation_failed"))
        }
    }

    func testOneProviderAndUnknownProvider() async throws {
        let (app, hub) = try await makeApp()
        let token = try await hub.token()
        try await app.test(.router) { client in
            let stripe = try await client.execute(
                uri: "/api/v1/integrations/providers/stripe",
                method: .get,
                headers: [.authorization: "Bearer \(token)"]
            )
            XCTAssertEqual(stripe.status, .ok)
            let definition = try JSONDecoder().decode(ProviderDefinition.self, from: Data(buffer: stripe.body))
            XCTAssertEqual(definition, ConnectorRegistry.standard.definition(id: "stripe"))
            let unknown = try await client.execute(
                uri: "/api/v1/integrations/providers/nope",
                method: .get,
                headers: [.authorization: "Bearer \(token)"]
            )
            XCTAssertEqual(unknown.status, .notFound)
            XCTAssertTrue(String(buffer: unknown.body).contains(#""code":"not_found""#))
        }
    }

    func testCategoriesListAllNineWithTheirProviders() async throws {
        let (app, hub) = try await makeApp()
        let token = try await hub.token()
        try await app.test(.router) { client in
            let response = try await client.execute(
                uri: "/api/v1/integrations/categories",
                method: .get,
                headers: [.authorization: "Bearer \(token)"]
            )
            let categories = try JSONDecoder().decode(CategoryList.self, from: Data(buffer: response.body)).data
            XCTAssertEqual(
                categories.map(\.id),
                ["payments", "accounting", "automation", "communication", "storage", "crm", "ecommerce", "banking", "shipping"]
            )
            XCTAssertEqual(categories.map(\.provider_count).reduce(0, +), 10)
            XCTAssertEqual(categories.first { $0.id == "accounting" }?.providers, ["quickbooks", "xero"])
            XCTAssertEqual(categories.first { $0.id == "shipping" }?.provider_count, 0)
        }
    }

    func testETagAnswers304WhenUnchanged() async throws {
        let (app, hub) = try await makeApp()
        let token = try await hub.token()
        try await app.test(.router) { client in
            let first = try await client.execute(
                uri: "/api/v1/integrations/providers/plaid",
                method: .get,
                headers: [.authorization: "Bearer \(token)"]
            )
            let etag = try XCTUnwrap(first.headers[.eTag])
            let second = try await client.execute(
                uri: "/api/v1/integrations/providers/plaid",
                method: .get,
                headers: [.authorization: "Bearer \(token)", .ifNoneMatch: etag]
            )
            XCTAssertEqual(second.status, .notModified)
            XCTAssertEqual(second.body.readableBytes, 0)
            let other = try await client.execute(
                uri: "/api/v1/integrations/providers/stripe",
                method: .get,
                headers: [.authorization: "Bearer \(token)", .ifNoneMatch: etag]
            )
            XCTAssertEqual(other.status, .ok)
        }
    }

    /// No token, a bad signature, an expired token: 401 on every catalog route.
    func testEveryCatalogRouteRequiresAValidToken() async throws {
        let (app, hub) = try await makeApp()
        let expired = try await hub.token(expiresIn: -30)
        let foreign = try await TestHub.make(service: .catalog).token()
        try await app.test(.router) { client in
            for uri in ["/api/v1/integrations/providers", "/api/v1/integrations/providers/stripe", "/api/v1/integrations/categories"] {
                for headers: HTTPFields in [[:], [.authorization: "Bearer \(expired)"], [.authorization: "Bearer \(foreign)"]] {
                    let response = try await client.execute(uri: uri, method: .get, headers: headers)
                    XCTAssertEqual(response.status, .unauthorized, "\(uri) \(headers)")
                    XCTAssertTrue(String(buffer: response.body).contains(#""code":"unauthorized""#))
                }
            }
        }
    }
}
