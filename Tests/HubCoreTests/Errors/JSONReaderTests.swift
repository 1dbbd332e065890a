import Foundation
import XCTest

@testable import HubCore

/// The one-pass JSON reader agrees with Foundation on valid input and refuses invalid input.
final class JSONReaderTests: XCTestCase {
    func testReadsWhatJSONDecoderReads() throws {
        let samples = [
            #"{"id":"cus_1","object":"customer","balance":-250,"created":1700000000,"livemode":false,"email":null,"#
                + #""metadata":{"a":"1"},"tags":[1,2.5,-3e2,0,true],"name":"Ad\u00e9 \"Q\" \\ \/ \n\t","emoji":"\ud83d\ude00"}"#,
            "  [ ]  ", "{}", "0", "-0.5", "\"x\"", "1E+3", "123456789012345678901",
            #"{"a":{"b":{"c":1},"d":[{"e":2},{},{"f":{"g":[{"h":3}]}}],"i":{}},"j":[[{"k":4}]],"l":5}"#,
        ]
        for sample in samples {
            let expected = try JSONDecoder().decode(JSONValue.self, from: Data(sample.utf8))
            XCTAssertEqual(JSONReader.parse(Array(sample.utf8)), expected, sample)
        }
    }

    func testARepeatedKeyKeepsItsLastValue() {
        XCTAssertEqual(JSONReader.parse(Array(#"{"a":1,"b":{"a":2,"a":3},"a":4}"#.utf8)), ["a": 4, "b": ["a": 3]])
    }

    func testRefusesMalformedInput() {
        let bad = [
            "", "{", "}", "[1,]", "{\"a\":}", "{\"a\" 1}", "{'a':1}", "01", "1.", ".5", "-", "+1", "1e", "tru", "nul",
            "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"a\u{01}b\"", "[1] [2]", "{\"a\":1,}", "NaN",
            String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000),
        ]
        for sample in bad {
            XCTAssertNil(JSONReader.parse(Array(sample.utf8)), String(sample.prefix(40)))
        }
    }
}
