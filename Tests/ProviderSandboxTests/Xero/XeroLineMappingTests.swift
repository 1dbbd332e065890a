import Foundation
import HubConnectors
import HubCore
import ProviderSandbox
import Testing

/// Xero's `LineItems` through the default mappings: read from the sandbox into canonical lines in
/// the document currency's minor unit, and canonical lines written back so an approved (not only
/// a draft) invoice can be created from them.
@Suite struct XeroLineMappingTests {
    static let invoices = XeroConnector.defaultFieldMappings["invoices"] ?? FieldMapping(rules: [])

    @Test func seededInvoiceLinesMapToCanonicalLinesInCents() async throws {
        try await XeroSandboxHarness.run(volume: 4) { harness in
            let connector = harness.connector()
            let first = Self.invoices.map(try await connector.get("invoices", id: XeroSeedIDs.invoice(0)).payload)
            #expect(first.errors.isEmpty, "\(first.errors)")
            #expect(first.canonical["currency"] == "NZD")
            #expect(
                first.canonical["lines"] == [
                    [
                        "description": "Seeded line 1", "quantity": 1, "unit_amount": 1_000, "amount": 1_000, "tax": 150,
                        "tax_rate_id": "OUTPUT2", "product_id": "ITEM-1", "account_id": "200",
                    ]
                ]
            )
            let second = Self.invoices.map(try await connector.get("invoices", id: XeroSeedIDs.invoice(1)).payload)
            #expect(element(second.canonical["lines"], 0)?["quantity"] == 2)
            #expect(element(second.canonical["lines"], 0)?["unit_amount"] == 1_100)
            #expect(element(second.canonical["lines"], 0)?["amount"] == 2_200)
            #expect(element(second.canonical["lines"], 0)?["tax"] == 330)
            #expect(second.canonical["subtotal"] == 2_200)
        }
    }

    @Test func anAuthorisedInvoiceIsCreatedFromCanonicalLines() async throws {
        try await XeroSandboxHarness.run(volume: 4) { harness in
            let connector = harness.connector()
            let lines: JSONValue = [
                ["description": "Consulting", "quantity": 2, "unit_amount": 5_000, "amount": 10_000, "tax_rate_id": "OUTPUT2", "account_id": "200"],
                ["description": "Travel", "quantity": 1, "unit_amount": 1_234, "amount": 1_234, "tax_rate_id": "NONE", "account_id": "200"],
            ]
            let canonical: JSONValue = [
                "customer_id": .string(XeroSeedIDs.contact(0)), "currency": "NZD", "status": "AUTHORISED", "lines": lines,
            ]
            let fields = Self.invoices.unmap(canonical)
            #expect(
                element(fields["LineItems"], 1) == [
                    "Description": "Travel", "Quantity": 1, "UnitAmount": .number(12.34), "LineAmount": .number(12.34), "TaxType": "NONE",
                    "AccountCode": "200",
                ]
            )
            let created = try await connector.create("invoices", fields: fields, idempotencyKey: "lines-1")
            #expect(created.payload["Status"] == "AUTHORISED")
            let mapped = Self.invoices.map(try await connector.get("invoices", id: created.externalID).payload)
            #expect(mapped.errors.isEmpty, "\(mapped.errors)")
            #expect(element(mapped.canonical["lines"], 0)?["tax"] == 1_500)
            #expect(element(mapped.canonical["lines"], 1)?["tax"] == 0)
            #expect(element(mapped.canonical["lines"], 0)?["amount"] == 10_000)
            #expect(element(mapped.canonical["lines"], 1)?["amount"] == 1_234)
            #expect(mapped.canonical["subtotal"] == 11_234)
            #expect(mapped.canonical["total"] == 12_734)
        }
    }
}

/// Element `index` of an array value, or nil.
private func element(_ array: JSONValue?, _ index: Int) -> JSONValue? {
    guard let elements = array?.arrayValue, elements.indices.contains(index) else { return nil }
    return elements[index]
}
