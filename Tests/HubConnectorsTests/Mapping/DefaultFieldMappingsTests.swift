import HubConnectors
import HubCore
import XCTest

/// Every entity Stripe, Shopify and Plaid declare has a default mapping that validates, maps a
/// real-shaped payload without errors into every required canonical field, and pushes only
/// fields the provider lets a client write.
final class DefaultFieldMappingsTests: XCTestCase {
    private let providers: [(type: any DataConnector.Type, fixtures: [String: JSONValue])] = [
        (StripeConnector.self, StripeFixtures.all), (ShopifyConnector.self, ShopifyFixtures.all), (PlaidConnector.self, PlaidFixtures.all),
    ]

    func testEveryDeclaredEntityHasACanonicalShapeAndADefaultMapping() {
        for (type, fixtures) in providers {
            let declared = Set(type.definition.entities.map(\.name))
            XCTAssertEqual(Set(type.defaultFieldMappings.keys), declared, type.definition.id)
            XCTAssertEqual(Set(fixtures.keys), declared, "\(type.definition.id) fixtures")
            for entity in declared {
                XCTAssertNotNil(CanonicalSchema.entity(entity), "\(type.definition.id) \(entity)")
            }
        }
    }

    func testDefaultsValidate() {
        for (type, _) in providers {
            for (entity, mapping) in type.defaultFieldMappings {
                XCTAssertNoThrow(try mapping.validate(entity: entity), "\(type.definition.id) \(entity)")
            }
        }
    }

    func testDefaultsMapTheirFixturesWithoutErrorsAndFillRequiredFields() throws {
        for (type, fixtures) in providers {
            for (entity, payload) in fixtures {
                let label = "\(type.definition.id) \(entity)"
                let result = try XCTUnwrap(type.defaultFieldMappings[entity], label).map(payload)
                XCTAssertEqual(result.errors, [], label)
                let canonical = try XCTUnwrap(CanonicalSchema.entity(entity), label)
                for field in canonical.fields where field.required {
                    let value = result.canonical[field.name]
                    XCTAssertTrue(value != nil && value != .null, "\(label): required '\(field.name)' is empty")
                }
            }
        }
    }

    func testPushedFieldsAreWritableAtTheProvider() throws {
        for (type, fixtures) in providers {
            for (entity, payload) in fixtures {
                let definition = try XCTUnwrap(type.definition.entity(entity))
                let writable = Set(definition.fields.filter { !$0.readOnly }.map(\.name))
                let mapping = try XCTUnwrap(type.defaultFieldMappings[entity])
                let pushed = mapping.unmap(mapping.map(payload).canonical).objectValue ?? [:]
                let refused = Set(pushed.keys).subtracting(writable)
                XCTAssertEqual(refused, [], "\(type.definition.id) \(entity) would push read-only fields")
            }
        }
    }

    func testCanonicalEntitiesAreUniqueAndCoverTheDesignedTypes() {
        let names = CanonicalSchema.all.map(\.name)
        XCTAssertEqual(names.count, Set(names).count)
        for name in [
            "customers", "invoices", "payments", "products", "projects", "expenses", "contacts", "bank_accounts", "bank_transactions",
            "vendors", "accounts", "tax_rates", "bills", "bill_payments", "credit_notes",
        ] {
            XCTAssertNotNil(CanonicalSchema.entity(name), name)
        }
        for entity in CanonicalSchema.all {
            let fields = entity.fields.map(\.name)
            XCTAssertEqual(fields.count, Set(fields).count, entity.name)
            if entity.fields.contains(where: { $0.type == .money }) {
                XCTAssertNotNil(entity.field("currency"), "\(entity.name) has money without a currency")
            }
        }
        XCTAssertNil(CanonicalSchema.entity("widgets"))
    }
}
