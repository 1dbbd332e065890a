import Foundation
import HubConnectors
import HubCore
import Testing

/// Rules with `each`: an array of objects mapped element by element, undone element by element,
/// checked when submitted and stored as JSON.
@Suite struct FieldMappingElementsTests {
    static let mapping = FieldMapping(rules: [
        .field("currency", "CurrencyRef.value", .upper),
        .elements(
            "lines",
            "Line",
            skip: FieldRule.ElementFilter(source: "DetailType", values: ["SubTotalLineDetail"]),
            [
                .field("description", "Description"),
                .field("quantity", "Detail.Qty"),
                .field("unit_amount", "Detail.UnitPrice", .decimalToMinor(currencyPath: "CurrencyRef.value")),
                .field("amount", "Amount", .decimalToMinor(currencyPath: "CurrencyRef.value")),
                .readOnly("tax", "Tax", .decimalToMinor(currencyPath: "CurrencyRef.value")),
                .field("product_id", "Detail.ItemRef.value", .toString),
            ]
        ),
    ])

    static let payload: JSONValue = [
        "CurrencyRef": ["value": "kwd"],
        "Line": [
            [
                "Description": "Hours", "Amount": .number(12.345), "Tax": .number(1.5), "DetailType": "SalesItemLineDetail",
                "Detail": ["Qty": .number(1.5), "UnitPrice": .number(8.23), "ItemRef": ["value": 7]],
            ],
            ["Amount": .number(12.345), "DetailType": "SubTotalLineDetail"],
            ["Description": "Note only"],
        ],
    ]

    @Test func eachElementIsMappedWithItsOwnRulesInTheRecordsCurrency() {
        let mapped = Self.mapping.map(Self.payload)
        #expect(mapped.errors.isEmpty)
        #expect(
            mapped.canonical == [
                "currency": "KWD",
                "lines": [
                    ["description": "Hours", "quantity": .number(1.5), "unit_amount": 8230, "amount": 12345, "tax": 1500, "product_id": "7"],
                    ["description": "Note only"],
                ],
            ]
        )
    }

    @Test func aMissingArrayIsLeftOutANullOneStaysNullAndAFailingElementFieldIsReportedWithItsPlace() {
        #expect(Self.mapping.map(["CurrencyRef": ["value": "USD"]]).canonical == ["currency": "USD"])
        #expect(Self.mapping.map(["CurrencyRef": ["value": "USD"], "Line": .null]).canonical == ["currency": "USD", "lines": .null])

        let broken = Self.mapping.map(["CurrencyRef": ["value": "USD"], "Line": [["Amount": "lots", "Description": "A"], "text"]])
        #expect(broken.canonical == ["currency": "USD", "lines": [["description": "A"], .null]])
        #expect(broken.errors.count == 1)
        #expect(broken.errors.first?.hasPrefix("lines[0].amount: ") == true, "\(broken.errors)")
        #expect(broken.errors.first?.contains("rules[1].each[3]") == true, "\(broken.errors)")

        let notAnArray = Self.mapping.map(["CurrencyRef": ["value": "USD"], "Line": "x"])
        #expect(notAnArray.canonical == ["currency": "USD"])
        #expect(notAnArray.errors.first?.hasPrefix("lines: ") == true, "\(notAnArray.errors)")
    }

    @Test func unmapUndoesEachElementIntoNestedSourcesWithTheCanonicalCurrency() {
        let canonical: JSONValue = [
            "currency": "JPY",
            "lines": [
                ["description": "Hours", "quantity": 2, "unit_amount": 500, "amount": 1000, "tax": 100, "product_id": "7"],
                ["description": "Fee", "amount": 250],
            ],
        ]
        #expect(
            Self.mapping.unmap(canonical) == [
                "CurrencyRef": ["value": "JPY"],
                "Line": [
                    ["Description": "Hours", "Amount": 1000, "Detail": ["Qty": 2, "UnitPrice": 500, "ItemRef": ["value": 7]]],
                    ["Description": "Fee", "Amount": 250],
                ],
            ],
            "JPY has no minor unit; the pull-only tax is not sent"
        )
        #expect(
            Self.mapping.unmap(["currency": "USD", "lines": [["amount": 1999]]]) == [
                "CurrencyRef": ["value": "USD"], "Line": [["Amount": .number(19.99)]],
            ]
        )
        #expect(Self.mapping.unmap(["currency": "USD"]) == ["CurrencyRef": ["value": "USD"]], "absent lines are not sent")
    }

    @Test func aPullOnlyElementRuleIsNotPushedAndAPullOnlyArrayNotAtAll() {
        let readOnly = FieldMapping(rules: [.elements("lines", "Line", direction: .pull, [.field("description", "Description")])])
        #expect(readOnly.unmap(["lines": [["description": "A"]]]) == [:])
        #expect(readOnly.map(["Line": [["Description": "A"]]]).canonical == ["lines": [["description": "A"]]])
    }

    @Test func validElementRulesPassValidation() throws {
        try Self.mapping.validate(entity: "invoices")
        for entity in ["invoices", "bills", "credit_notes"] { try QuickBooksConnector.defaultFieldMappings[entity]?.validate(entity: entity) }
        for entity in ["invoices", "bills", "credit_notes", "bank_transactions"] {
            try XeroConnector.defaultFieldMappings[entity]?.validate(entity: entity)
        }
    }

    @Test(
        arguments: [(FieldRule, String, FieldMappingError)]([
            (
                FieldRule.elements("lines", "Line", [.field("colour", "Colour")]),
                "invoices", FieldMappingError(path: "rules[0].each[0].target", message: "'colour' is not a field of invoices.lines[]")
            ),
            (
                FieldRule.elements(
                    "lines",
                    "Line",
                    [.field("description", "Description"), .field("amount", "Amount", .decimalToMinor(exponent: 2), .upper)]
                ),
                "invoices", FieldMappingError(path: "rules[0].each[1].transforms[1].type", message: "this transform needs text but gets a number")
            ),
            (
                FieldRule.elements("lines", "Line", [.field("amount", "Amount"), .field("amount", "Total")]),
                "invoices", FieldMappingError(path: "rules[0].each[1].target", message: "'amount' is already mapped by rules[0].each[0]")
            ),
            (
                FieldRule.elements("lines", "Line", [.field("quantity", "Qty", .unixToISO)]),
                "invoices",
                FieldMappingError(
                    path: "rules[0].each[0].target",
                    message: "'quantity' of invoices.lines[] is decimal but the transforms produce text"
                )
            ),
            (
                FieldRule.elements("number", "Line", [.field("amount", "Amount")]),
                "invoices", FieldMappingError(path: "rules[0].target", message: "'number' of invoices is string; only an array has elements to map")
            ),
            (
                FieldRule.elements("components", "Rates", [.field("name", "Name")]),
                "tax_rates",
                FieldMappingError(path: "rules[0].each", message: "the elements of 'components' of tax_rates have no canonical shape to map into")
            ),
            (
                FieldRule.elements("lines", "Line[].Detail", [.field("amount", "Amount")]),
                "invoices", FieldMappingError(path: "rules[0].source", message: "a rule with 'each' needs a source naming one array, without '[]'")
            ),
            (
                FieldRule(target: "lines", source: "Line", transforms: [.upper], each: [.field("amount", "Amount")]),
                "invoices",
                FieldMappingError(path: "rules[0].transforms", message: "a rule with 'each' transforms its elements' fields, not the array")
            ),
            (
                FieldRule.elements("lines", "Line", [.elements("amount", "Parts", [.field("amount", "Amount")])]),
                "invoices", FieldMappingError(path: "rules[0].each[0].each", message: "element rules cannot have element rules of their own")
            ),
            (
                FieldRule(target: "number", source: "DocNumber", skip: FieldRule.ElementFilter(source: "DetailType", values: ["X"])),
                "invoices", FieldMappingError(path: "rules[0].skip", message: "'skip' filters the elements of a rule with 'each'")
            ),
            (
                FieldRule.elements(
                    "lines",
                    "Line",
                    skip: FieldRule.ElementFilter(source: "Detail Type", values: ["X"]),
                    [.field("amount", "Amount")]
                ),
                "invoices", FieldMappingError(path: "rules[0].skip.source", message: "'Detail Type' is not a field path without '[]'")
            ),
        ])
    )
    func brokenElementRulesAreRefusedWithTheirPlace(rule: FieldRule, entity: String, expected: FieldMappingError) {
        #expect(throws: expected) { try FieldMapping(rules: [rule]).validate(entity: entity) }
    }

    @Test func elementRulesAreStoredAsJSONAndMappingsWithoutThemDecodeAsBefore() throws {
        let json = #"""
            {"rules":[{"target":"lines","source":"LineItems","skip":{"source":"Kind","values":["sub"]},
            "each":[{"target":"amount","source":"LineAmount","transforms":[{"type":"decimal_to_minor","exponent":2}]},
            {"target":"tax","source":"TaxAmount","direction":"pull","transforms":[{"type":"decimal_to_minor","exponent":2}]}]},
            {"target":"number","source":"InvoiceNumber"}]}
            """#
        let decoded = try JSONDecoder().decode(FieldMapping.self, from: Data(json.utf8))
        #expect(decoded.rules[0].each?.count == 2)
        #expect(decoded.rules[0].each?[1].direction == .pull)
        #expect(decoded.rules[0].skip == FieldRule.ElementFilter(source: "Kind", values: ["sub"]))
        #expect(decoded.rules[1].each == nil)
        try decoded.validate(entity: "invoices")
        #expect(
            decoded.map([
                "InvoiceNumber": "INV-1",
                "LineItems": [["LineAmount": .number(10.5), "TaxAmount": .number(1.05)], ["Kind": "sub", "LineAmount": .number(10.5)]],
            ]).canonical
                == ["number": "INV-1", "lines": [["amount": 1050, "tax": 105]]]
        )
        let reencoded = try JSONDecoder().decode(FieldMapping.self, from: JSONEncoder().encode(decoded))
        #expect(reencoded == decoded)

        let plain = try JSONEncoder().encode(FieldMapping(rules: [.field("number", "InvoiceNumber")]))
        #expect(!String(decoding: plain, as: UTF8.self).contains("each"), "a rule without elements is stored as before")
    }

    @Test func anOverrideReplacesTheWholeLinesRule() {
        let override = FieldMapping(rules: [.elements("lines", "Line", [.field("description", "Description")])])
        let merged = Self.mapping.overriding(with: override)
        #expect(merged.rules.count == 2)
        #expect(
            merged.map(Self.payload).canonical == ["currency": "KWD", "lines": [["description": "Hours"], [:], ["description": "Note only"]]],
            "the override's rule has no skip, so the sub-total line is an (empty) line"
        )
    }
}
