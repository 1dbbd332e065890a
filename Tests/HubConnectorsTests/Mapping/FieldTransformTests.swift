import HubConnectors
import HubCore
import XCTest

/// Each transform through `map`, the way a sync applies it.
final class FieldTransformTests: XCTestCase {
    private func mapped(_ transforms: [FieldTransform], _ payload: JSONValue, source: String = "value") -> MappedRecord {
        FieldMapping(rules: [FieldRule(target: "out", source: source, transforms: transforms)]).map(payload)
    }

    private func value(_ transforms: [FieldTransform], _ payload: JSONValue, source: String = "value") -> JSONValue? {
        mapped(transforms, payload, source: source).canonical["out"]
    }

    // MARK: Money

    func testDecimalToMinorFollowsTheCurrencyExponent() {
        let toMinor = [FieldTransform.decimalToMinor(currencyPath: "currency")]
        XCTAssertEqual(value(toMinor, ["value": "19.99", "currency": "USD"]), 1999)
        XCTAssertEqual(value(toMinor, ["value": "1999", "currency": "jpy"]), 1999)
        XCTAssertEqual(value(toMinor, ["value": "19.999", "currency": "KWD"]), 19999)
        XCTAssertEqual(value(toMinor, ["value": .number(0.29), "currency": "EUR"]), 29, "no binary rounding: 0.29 is 29 cents")
        XCTAssertEqual(value(toMinor, ["value": .number(1.005), "currency": "USD"]), 101, "half away from zero")
        XCTAssertEqual(value(toMinor, ["value": .number(-12.5), "currency": "USD"]), -1250)
        XCTAssertEqual(value(toMinor, ["value": "-0.015", "currency": "USD"]), -2)
    }

    func testDecimalToMinorUsesTheFixedExponentWithoutACurrency() {
        XCTAssertEqual(value([.decimalToMinor(exponent: 2)], ["value": "7.5"]), 750)
        XCTAssertEqual(value([.decimalToMinor(exponent: 3, currencyPath: "currency")], ["value": "7.5"]), 7500, "fallback exponent")
        let missing = mapped([.decimalToMinor(currencyPath: "currency")], ["value": "7.5"])
        XCTAssertNil(missing.canonical["out"])
        XCTAssertEqual(missing.errors.count, 1)
        XCTAssertTrue(missing.errors[0].hasPrefix("out: no currency at 'currency'"), missing.errors[0])
    }

    func testMinorToDecimalAsNumberOrText() {
        XCTAssertEqual(value([.minorToDecimal(currencyPath: "currency")], ["value": 1999, "currency": "usd"]), .number(19.99))
        XCTAssertEqual(value([.minorToDecimal(currencyPath: "currency")], ["value": 1999, "currency": "JPY"]), 1999)
        XCTAssertEqual(value([.minorToDecimal(exponent: 3, asString: true)], ["value": 5]), "0.005")
        XCTAssertEqual(value([.minorToDecimal(exponent: 2, asString: true)], ["value": -1990]), "-19.90")
    }

    func testABadAmountIsLeftOutAndReported() {
        let result = FieldMapping(rules: [
            .field("id", "id"), FieldRule(target: "amount", source: "price", transforms: [.decimalToMinor(exponent: 2)]),
        ]).map(["id": "p_1", "price": "abc"])
        XCTAssertEqual(result.canonical, ["id": "p_1"])
        XCTAssertEqual(result.errors, ["amount: 'abc' is not a decimal amount (rules[1], source 'price')"])
    }

    // MARK: Time

    func testUnixTimesBecomeUTCInstantsAndDates() {
        XCTAssertEqual(value([.unixToISO], ["value": 1_705_332_030]), "2024-01-15T15:20:30Z")
        XCTAssertEqual(value([.unixToISO], ["value": .number(1_705_332_030.25)]), "2024-01-15T15:20:30.250Z")
        XCTAssertEqual(value([.unixToISO], ["value": 0]), "1970-01-01T00:00:00Z")
        XCTAssertEqual(value([.unixToISO], ["value": -86_401]), "1969-12-30T23:59:59Z")
        XCTAssertEqual(value([.unixToDate], ["value": 1_709_251_199]), "2024-02-29")
        XCTAssertEqual(value([.dateToUnix], ["value": "2024-02-29"]), 1_709_164_800)
    }

    func testISOTimesWithOffsetsAreReadAsTheirInstant() {
        XCTAssertEqual(value([.isoToUTC], ["value": "2024-01-15T10:20:30-05:00"]), "2024-01-15T15:20:30Z")
        XCTAssertEqual(value([.isoToUTC], ["value": "2024-01-15T23:30:00+0130"]), "2024-01-15T22:00:00Z")
        XCTAssertEqual(value([.isoToUnix], ["value": "2024-01-15T15:20:30Z"]), 1_705_332_030)
        XCTAssertEqual(value([.isoToUnix], ["value": "2024-01-15T15:20:30.500Z"]), .number(1_705_332_030.5))
        for bad in ["2024-02-30T00:00:00Z", "2024-01-15", "yesterday", "2024-01-15T25:00:00Z"] {
            XCTAssertEqual(mapped([.isoToUTC], ["value": .string(bad)]).errors.count, 1, bad)
        }
    }

    // MARK: Text, constants, defaults, lookups

    func testCaseAndTrim() {
        XCTAssertEqual(value([.upper], ["value": "usd"]), "USD")
        XCTAssertEqual(value([.trim, .lower], ["value": "  Ann@Example.COM \n"]), "ann@example.com")
        XCTAssertEqual(mapped([.upper], ["value": 5]).errors, ["out: 5 is not text (rules[0], source 'value')"])
    }

    func testConstantAndDefault() {
        XCTAssertEqual(value([.constant("EUR")], ["value": "USD"]), "EUR")
        XCTAssertEqual(FieldMapping(rules: [FieldRule(target: "out", source: nil, transforms: [.constant(true)])]).map([:]).canonical, ["out": true])
        XCTAssertEqual(value([.defaultValue("none")], [:]), "none")
        XCTAssertEqual(value([.defaultValue("none")], ["value": .null]), "none")
        XCTAssertEqual(value([.defaultValue("none")], ["value": "exempt"]), "exempt")
    }

    func testMissingSourceIsLeftOutAndNullStaysNull() {
        XCTAssertEqual(mapped([.upper], [:]).canonical, [:])
        XCTAssertEqual(mapped([.upper], ["value": .null]).canonical, ["out": .null])
    }

    func testLookupWithAndWithoutFallback() {
        let table: [String: JSONValue] = ["active": true, "archived": false, "1": "one", "true": "yes"]
        XCTAssertEqual(value([.lookup(table)], ["value": "archived"]), false)
        XCTAssertEqual(value([.lookup(table)], ["value": 1]), "one", "numbers are looked up by their text")
        XCTAssertEqual(value([.lookup(table)], ["value": true]), "yes")
        XCTAssertEqual(value([.lookup(table, fallback: .null)], ["value": "draft"]), .null)
        XCTAssertEqual(mapped([.lookup(table)], ["value": "draft"]).errors, ["out: 'draft' is not in the lookup table (rules[0], source 'value')"])
    }

    func testNumbersAndText() {
        XCTAssertEqual(value([.toString], ["value": 4_503_599_627_370_496]), "4503599627370496")
        XCTAssertEqual(value([.toNumber], ["value": "42"]), 42)
        XCTAssertEqual(value([.negate], ["value": .number(12.5)]), .number(-12.5))
    }

    func testWildcardAppliesTransformsPerElement() {
        let order: JSONValue = .parse(#"{"currency": "USD", "line_items": [{"price": "19.99"}, {"price": "5.00"}, {}]}"#)
        XCTAssertEqual(value([.decimalToMinor(currencyPath: "currency")], order, source: "line_items[].price"), [1999, 500, .null])
    }
}
