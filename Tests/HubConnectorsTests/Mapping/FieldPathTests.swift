import HubCore
import XCTest

@testable import HubConnectors

final class FieldPathTests: XCTestCase {
    private let invoice = JSONValue.parse(
        #"{"id": "in_1", "customer": {"address": {"city": "Ottawa"}}, "lines": {"data": [{"amount": 500}, {"amount": 250, "sku": "B"}]}}"#
    )

    func testValidPathsParse() {
        for text in ["id", "address.city", "lines.data[0].amount", "items[].sku", "a[1][2]", "balances.iso_currency_code", "matrix[][0]"] {
            XCTAssertNotNil(FieldPath(text), text)
        }
    }

    func testMalformedPathsAreRefused() {
        for text in ["", "lines..x", ".id", "id.", "a[", "a]", "a[x]", "a[-1]", "[0]", "a b", "items[].lines[].sku", "a[0]b"] {
            XCTAssertNil(FieldPath(text), text)
        }
    }

    func testReadsNestedObjectsAndArrayElements() throws {
        XCTAssertEqual(try XCTUnwrap(FieldPath("customer.address.city")).readPrefix(invoice), "Ottawa")
        XCTAssertEqual(try XCTUnwrap(FieldPath("lines.data[1].amount")).readPrefix(invoice), 250)
        // Paths that parse but lead nowhere (a nil from a path that failed to parse would prove nothing).
        XCTAssertNil(try XCTUnwrap(FieldPath("lines.data[2].amount")).readPrefix(invoice))
        XCTAssertNil(try XCTUnwrap(FieldPath("customer.name")).readPrefix(invoice))
        XCTAssertNil(try XCTUnwrap(FieldPath("id.length")).readPrefix(invoice), "a string has no members")
    }

    func testWildcardReadGivesOneEntryPerElementWithNullForGaps() {
        let mapping = FieldMapping(rules: [.field("skus", "lines.data[].sku"), .field("amounts", "lines.data[].amount")])
        XCTAssertEqual(mapping.map(invoice).canonical, ["skus": [.null, "B"], "amounts": [500, 250]])
    }

    func testWritesCreateNestedObjectsAndArrays() {
        var root = JSONValue.object([:])
        FieldPath("address.city")?.write("Paris", into: &root)
        FieldPath("address.country")?.write("FR", into: &root)
        FieldPath("lines.data[1].amount")?.write(5, into: &root)
        FieldPath("items[].sku")?.write(["A", "B"], into: &root)
        FieldPath("items[].quantity")?.write([1, 2], into: &root)
        XCTAssertEqual(
            root,
            [
                "address": ["city": "Paris", "country": "FR"],
                "lines": ["data": [.null, ["amount": 5]]],
                "items": [["sku": "A", "quantity": 1], ["sku": "B", "quantity": 2]],
            ]
        )
    }
}
