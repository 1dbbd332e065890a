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

    // MARK: A listing's elements

    static func texts(_ page: String, _ key: String = "data") -> [String]? {
        JSONReader.parse(Array(page.utf8), elementsOf: key)?.elements.map { String(decoding: $0, as: UTF8.self) }
    }

    func testKeepsTheTextOfEachElementOfTheListingsArray() throws {
        let page = #"{"object":"list","data":[{"id":"a","n":1.50},{"z":[1,2],"id":"b"},7,"s"],"has_more":false}"#
        let (value, elements) = try XCTUnwrap(JSONReader.parse(Array(page.utf8), elementsOf: "data"))
        XCTAssertEqual(value, JSONReader.parse(Array(page.utf8)), "the page reads as it does without the texts")
        XCTAssertEqual(elements.count, 4)
        XCTAssertEqual(Self.texts(page), [#"{"id":"a","n":1.50}"#, #"{"z":[1,2],"id":"b"}"#, "7", #""s""#])
    }

    func testAnElementsTextLosesOnlyTheWhitespaceBetweenTokens() throws {
        let page = #"""
            {
              "data" : [
                {
                  "name" : "Ada  \"Q\" \\",
                  "tags" : [ 1 , "a b\t" ]
                } , {"id":"x"}
              ]
            }
            """#
        let (value, elements) = try XCTUnwrap(JSONReader.parse(Array(page.utf8), elementsOf: "data"))
        XCTAssertEqual(Self.texts(page), [#"{"name":"Ada  \"Q\" \\","tags":[1,"a b\t"]}"#, #"{"id":"x"}"#])
        XCTAssertEqual(elements.compactMap { JSONReader.parse(Array($0)) }, value["data"]?.arrayValue, "each text reads as its element")
    }

    func testOnlyAnArrayAtTheTopLevelKeyIsKept() {
        XCTAssertEqual(Self.texts(#"{"inner":{"data":[1]},"b":[2]}"#), [], "a nested key of that name")
        XCTAssertEqual(Self.texts(#"{"data":{"x":[1,2]},"b":[3]}"#), [], "an object under the key")
        XCTAssertEqual(Self.texts(#"{"data":"x","b":[3]}"#), [], "a string under the key")
        XCTAssertEqual(Self.texts(#"{"data":[[1],[2]]}"#), ["[1]", "[2]"], "only the outer array's elements")
        XCTAssertEqual(Self.texts(#"{"data":[1,2],"data":[3]}"#), ["3"], "a repeated key keeps its last value")
        XCTAssertEqual(Self.texts(#"{"data":[1,2],"data":5}"#), [], "even when it is not an array")
        XCTAssertEqual(Self.texts(#"[{"data":[1]}]"#), [], "a page that is not an object")
        XCTAssertEqual(Self.texts(#"{"data":[]}"#), [])
        XCTAssertNil(Self.texts(#"{"data":[1,]}"#), "bytes that are not JSON")
    }
}
