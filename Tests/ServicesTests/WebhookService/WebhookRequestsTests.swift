import Foundation
import XCTest

@testable import HubCore
@testable import WebhookService

/// `PublishEventRequest` is read in one pass (`JSONObjectDecodable`); its answers, right or wrong
/// body, must be those of its `Decodable` form, which every other body type goes through.
final class WebhookRequestsTests: XCTestCase {
    static let bodies = [
        #"{"type":"invoice.paid","data":{"id":"inv_1","amount":1250,"lines":[{"n":1.5},null,true]},"idempotency_key":"k-1"}"#,
        #"{"type":"invoice.paid"}"#,
        #"{"type":"invoice.paid","data":null,"idempotency_key":null}"#,
        #"{"type":"invoice.paid","data":[1,2]}"#,
        #"{"type":"invoice.paid","data":"text"}"#,
        #"  {"data":{},"type":"x.y"}  "#,
        #"{"data":{}}"#,
        #"{"type":null}"#,
        #"{"type":5}"#,
        #"{"type":{"a":1}}"#,
        #"{"type":"invoice.paid","idempotency_key":7}"#,
        #"{"type":"invoice.paid","idempotency_key":["k"]}"#,
        #"{"type":"invoice.paid","typo":1,"another":2}"#,
        #"{"typo":1}"#,
        #"{"type":"invoice.paid","data":{"big":1e300,"neg":-0.5,"esc":"a\"b\\c\u00e9\n"}}"#,
        #"{"type":"invoice.paid""#,
        #"{"type":'x'}"#,
        #"[{"type":"invoice.paid"}]"#,
        #""invoice.paid""#,
        "42",
        "null",
        "{}",
    ]

    func testTheOnePassReadingAnswersAsTheDecodablePathDoes() throws {
        for body in Self.bodies {
            let data = Data(body.utf8)
            let fast = Result { try RequestBodyDecoder.decode(PublishEventRequest.self, from: data) }
            let codable = Result { try RequestBodyDecoder.decodeWithCodable(PublishEventRequest.self, from: data) }
            switch (fast, codable) {
            case (.success(let a), .success(let b)):
                XCTAssertEqual(a.type, b.type, body)
                XCTAssertEqual(a.data, b.data, body)
                XCTAssertEqual(a.idempotencyKey, b.idempotencyKey, body)
            case (.failure(let a as APIError), .failure(let b as APIError)):
                XCTAssertEqual(a.status, b.status, body)
                XCTAssertEqual(a.code, b.code, body)
                XCTAssertEqual(a.message, b.message, body)
                XCTAssertEqual(a.details, b.details, body)
            default:
                XCTFail("\(body): one pass gave \(fast), Decodable gave \(codable)")
            }
        }
    }

    /// Foundation's decoder lets a trailing comma through; the one-pass reader holds to RFC 8259.
    func testATrailingCommaIsMalformed() {
        XCTAssertThrowsError(try RequestBodyDecoder.decode(PublishEventRequest.self, from: Data(#"{"type":"invoice.paid",}"#.utf8))) {
            XCTAssertEqual(($0 as? APIError)?.code, "malformed_json")
        }
    }

    func testAWellFormedBodyIsReadWhole() throws {
        let request = try RequestBodyDecoder.decode(
            PublishEventRequest.self,
            from: Data(#"{"type":"invoice.paid","data":{"id":"inv_1"},"idempotency_key":"k"}"#.utf8)
        )
        XCTAssertEqual(request.type, "invoice.paid")
        XCTAssertEqual(request.data, ["id": "inv_1"])
        XCTAssertEqual(request.idempotencyKey, "k")
    }
}
