import Foundation
import HubConnectors
import HubCore
import Testing

/// QuickBooks' document lines through the default mappings: read from the sandbox into canonical
/// lines in cents (sub-total lines left out), and canonical lines written back as `Line`s the
/// sandbox accepts.
@Suite struct QuickBooksLineMappingTests {
    static let invoices = QuickBooksConnector.defaultFieldMappings["invoices"] ?? FieldMapping(rules: [])

    @Test func aSeededInvoicesSalesLineMapsToACanonicalLineInCents() async throws {
        try await QuickBooksSandboxHarness.run(volume: 5) { harness in
            let company = try await harness.company(["Invoice": 3])
            let record = try await harness.connector(company).get("invoices", id: "1")
            let raw = try #require(record.payload["Line"]?.arrayValue)
            #expect(raw.map { $0["DetailType"]?.stringValue } == ["SalesItemLineDetail", "SubTotalLineDetail"])
            let sales = raw[0]
            let cents = { (value: JSONValue?) in Int(((value?.numberValue ?? .nan) * 100).rounded()) }
            let mapped = Self.invoices.map(record.payload)
            #expect(mapped.errors.isEmpty, "\(mapped.errors)")
            let expected: JSONValue = [
                "description": sales["Description"] ?? .null,
                "quantity": sales["SalesItemLineDetail"]?["Qty"] ?? .null,
                "unit_amount": .number(Double(cents(sales["SalesItemLineDetail"]?["UnitPrice"]))),
                "amount": .number(Double(cents(sales["Amount"]))),
                "tax_rate_id": "NON",
                "product_id": sales["SalesItemLineDetail"]?["ItemRef"]?["value"] ?? .null,
            ]
            #expect(mapped.canonical["lines"] == [expected])
            #expect(element(mapped.canonical["lines"], 0)?["amount"] == mapped.canonical["total"], "one line, the sub-total left out")
        }
    }

    @Test func canonicalLinesAreWrittenAsLinesQuickBooksAcceptsAndReadBackTheSame() async throws {
        try await QuickBooksSandboxHarness.run(volume: 5) { harness in
            let company = try await harness.company(["Invoice": 1])
            let connector = harness.connector(company)
            let lines: JSONValue = [
                ["description": "Design", "quantity": 3, "unit_amount": 12_550, "amount": 37_650, "tax_rate_id": "NON", "product_id": "1"],
                ["description": "Rush fee", "quantity": 1, "unit_amount": 1_999, "amount": 1_999, "tax_rate_id": "NON", "product_id": "2"],
            ]
            let fields = Self.invoices.unmap(["customer_id": "1", "currency": "USD", "lines": lines])
            #expect(
                element(fields["Line"], 1) == [
                    "Description": "Rush fee", "Amount": .number(19.99),
                    "SalesItemLineDetail": [
                        "Qty": 1, "UnitPrice": .number(19.99), "TaxCodeRef": ["value": "NON"], "ItemRef": ["value": "2"],
                    ],
                ]
            )
            let created = try await connector.create("invoices", fields: fields, idempotencyKey: "lines-1")
            #expect(created.payload["Line"]?.arrayValue?.map { $0["DetailType"]?.stringValue } == ["SalesItemLineDetail", "SalesItemLineDetail"])
            let mapped = Self.invoices.map(try await connector.get("invoices", id: created.externalID).payload)
            #expect(mapped.errors.isEmpty, "\(mapped.errors)")
            #expect(mapped.canonical["lines"] == lines)
            #expect(mapped.canonical["total"] == 39_649)
        }
    }
}

/// Element `index` of an array value, or nil.
private func element(_ array: JSONValue?, _ index: Int) -> JSONValue? {
    guard let elements = array?.arrayValue, elements.indices.contains(index) else { return nil }
    return elements[index]
}
