import Foundation
import XCTest

@testable import HubConnectors

final class ConnectorRegistryTests: XCTestCase {
    private let registry = ConnectorRegistry.standard

    func testStandardRegistryHasExactlyTheTenProviders() {
        XCTAssertEqual(
            Set(registry.ids),
            ["stripe", "paypal", "quickbooks", "xero", "zapier", "slack", "shopify", "plaid", "salesforce", "hubspot"]
        )
        XCTAssertEqual(registry.definitions.count, 10)
    }

    func testDefinitionsAreSortedByID() {
        let ids = registry.definitions.map(\.id)
        XCTAssertEqual(ids, ids.sorted())
        XCTAssertEqual(registry.ids, ids)
    }

    func testDefinitionLooksUpByIDAndMissesUnknownIDs() {
        XCTAssertEqual(registry.definition(id: "stripe")?.displayName, "Stripe")
        XCTAssertEqual(registry.definition(id: "quickbooks")?.displayName, "QuickBooks Online")
        XCTAssertNil(registry.definition(id: "dropbox"))
        XCTAssertNil(registry.definition(id: "Stripe"), "ids are case-sensitive")
        XCTAssertNil(registry.definition(id: ""))
    }

    func testConnectorLooksUpTheDeclaringType() throws {
        let connector = try XCTUnwrap(registry.connector(id: "shopify"))
        XCTAssertTrue(connector == ShopifyConnector.self)
        XCTAssertNil(registry.connector(id: "woocommerce"))
    }

    func testEveryDefinitionIsFoundUnderItsOwnID() {
        for definition in registry.definitions {
            XCTAssertEqual(registry.definition(id: definition.id), definition)
        }
    }

    func testCategoriesHoldTheRightProviders() {
        let members = Dictionary(grouping: registry.definitions, by: \.category).mapValues { $0.map(\.id) }
        XCTAssertEqual(members[.payments], ["paypal", "stripe"])
        XCTAssertEqual(members[.accounting], ["quickbooks", "xero"])
        XCTAssertEqual(members[.automation], ["zapier"])
        XCTAssertEqual(members[.communication], ["slack"])
        XCTAssertNil(members[.storage])
        XCTAssertEqual(members[.crm], ["hubspot", "salesforce"])
        XCTAssertEqual(members[.ecommerce], ["shopify"])
        XCTAssertEqual(members[.banking], ["plaid"])
        XCTAssertNil(members[.shipping])
    }

    func testRegistryBuiltFromAnyListIndexesOnlyThoseConnectors() throws {
        let registry = try ConnectorRegistry(validating: [XeroConnector.self, PlaidConnector.self])
        XCTAssertEqual(registry.ids, ["plaid", "xero"])
        XCTAssertNil(registry.definition(id: "stripe"))
    }

    func testAnEmptyRegistryStillListsEveryCategory() throws {
        let registry = try ConnectorRegistry(validating: [])
        XCTAssertTrue(registry.definitions.isEmpty)
        XCTAssertTrue(registry.ids.isEmpty)
    }

    func testTwoConnectorsWithTheSameIDAreRejected() {
        XCTAssertThrowsError(try ConnectorRegistry(validating: [StripeConnector.self, ImpostorStripe.self])) { error in
            XCTAssertEqual(error as? ConnectorRegistry.ValidationError, .duplicateID("stripe"))
        }
    }

    func testTheSameConnectorListedTwiceIsRejected() {
        XCTAssertThrowsError(try ConnectorRegistry(validating: [SlackConnector.self, SlackConnector.self])) { error in
            XCTAssertEqual(error as? ConnectorRegistry.ValidationError, .duplicateID("slack"))
        }
    }

    func testIDsThatAreNotLowercaseSnakeCaseAreRejected() {
        for id in ["", "Stripe", "pay pal", "1password", "quick-books", "_hidden"] {
            XCTAssertThrowsError(try ConnectorRegistry(validating: [FakeConnector.with(id: id)])) { error in
                XCTAssertEqual(error as? ConnectorRegistry.ValidationError, .invalidID(id))
            }
        }
        XCTAssertNoThrow(try ConnectorRegistry(validating: [FakeConnector.with(id: "google_drive2")]))
    }

    func testValidationErrorsDescribeTheProblem() {
        XCTAssertTrue(ConnectorRegistry.ValidationError.duplicateID("stripe").description.contains("'stripe'"))
        XCTAssertTrue(ConnectorRegistry.ValidationError.invalidID("Bad").description.contains("'Bad'"))
    }
}

// MARK: - Fakes

/// A second connector claiming Stripe's id.
private struct ImpostorStripe: Connector {
    static let definition = ProviderDefinition(
        id: "stripe",
        displayName: "Not Stripe",
        category: .payments,
        description: "",
        docsURL: "https://example.com",
        auth: AuthDefinition(kind: .apiKey),
        capabilities: [.apiKey],
        entities: [],
        webhookEvents: []
    )
}

/// Connectors with arbitrary ids, one type per id (a connector's definition is static).
private enum FakeConnector {
    static func with(id: String) -> any Connector.Type {
        switch id {
        case "": Empty.self
        case "Stripe": Capitalised.self
        case "pay pal": Spaced.self
        case "1password": Digit.self
        case "quick-books": Dashed.self
        case "_hidden": Underscored.self
        default: Valid.self
        }
    }

    private static func definition(_ id: String) -> ProviderDefinition {
        ProviderDefinition(
            id: id,
            displayName: id,
            category: .storage,
            description: "",
            docsURL: "https://example.com",
            auth: AuthDefinition(kind: .apiKey),
            capabilities: [.apiKey],
            entities: [],
            webhookEvents: []
        )
    }

    struct Empty: Connector { static let definition = FakeConnector.definition("") }
    struct Capitalised: Connector { static let definition = FakeConnector.definition("Stripe") }
    struct Spaced: Connector { static let definition = FakeConnector.definition("pay pal") }
    struct Digit: Connector { static let definition = FakeConnector.definition("1password") }
    struct Dashed: Connector { static let definition = FakeConnector.definition("quick-books") }
    struct Underscored: Connector { static let definition = FakeConnector.definition("_hidden") }
    struct Valid: Connector { static let definition = FakeConnector.definition("google_drive2") }
}
