import Foundation
import HubCore
import XCTest

@testable import ProviderSandbox

/// The sandbox writes `JSONValue` byte for byte as `JSONEncoder` does with sorted keys (what its
/// Shopify and Plaid answers were before), and Stripe objects with `id` and `object` first.
final class JSONWritingTests: XCTestCase {
    func testSortedOutputIsWhatJSONEncoderWrites() throws {
        let value: JSONValue = [
            "id": .number(1_000_000_000_001), "price": "12.50", "weight": .number(0), "ratio": .number(12.5), "tiny": .number(1e-7),
            "huge": .number(1e16), "edge": .number(5e15), "negative": .number(-250), "minus_zero": .number(-0.0),
            "text": "Ad\u{e9} \"Q\" \\ / \n\r\t\u{08}\u{0C}\u{01}\u{1F}\u{7F} \u{2028} 😀", "null": .null, "flags": [true, false],
            "nested": ["b": 1, "a": ["z": [], "y": [:]]], "cancel_at": 1, "canceled_at": 2, "Upper": 3, "_under": 4, "item10": 5, "item9": 6,
            "ten": 10, "round": 1_000_000, "max_exact": .number(9_007_199_254_740_991),
            "negative_big": .number(-9_007_199_254_740_991), "one": 1, "minus_one": -1,
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let expected = String(decoding: try encoder.encode(value), as: UTF8.self)
        XCTAssertEqual(String(decoding: value.encoded(), as: UTF8.self), expected)
        // Past 2^53 JSONEncoder turns to exponents; below 10^16 the writer keeps integers.
        XCTAssertEqual(String(decoding: JSONValue.number(9_999_999_999_999_998).encoded(), as: UTF8.self), "9999999999999998")
        XCTAssertEqual(String(decoding: JSONValue.number(-9_999_999_999_999_998).encoded(), as: UTF8.self), "-9999999999999998")
    }

    func testIdentityFirstPutsIdAndObjectFirstAtEveryLevel() {
        let value: JSONValue = ["amount": 1500, "object": "charge", "id": "ch_1", "outcome": ["type": "authorized", "object": "outcome"]]
        XCTAssertEqual(
            String(decoding: value.encoded(.identityFirst), as: UTF8.self),
            #"{"id":"ch_1","object":"charge","amount":1500,"outcome":{"object":"outcome","type":"authorized"}}"#
        )
    }

    func testIntegersReadFromNumbersAndDigitStrings() {
        XCTAssertEqual(JSONValue.number(1500).integer, 1500)
        XCTAssertEqual(JSONValue.string("1500").integer, 1500)
        XCTAssertNil(JSONValue.number(12.5).integer)
        XCTAssertNil(JSONValue.string("ten").integer)
        XCTAssertEqual(JSONValue.number(1_000_000_000_001).int64, 1_000_000_000_001)
    }
}
