import HubCore
import XCTest

@testable import HubConnectors

/// A list page's records carry Stripe's text of each object, and none when the texts cannot be
/// matched to the objects one for one.
final class StripeListPageTests: XCTestCase {
    let customers = StripeEntityRoute.route(for: "customers")!

    static func page(_ body: String) throws -> StripeListPage {
        let (page, texts) = try XCTUnwrap(JSONReader.parse(Array(body.utf8), elementsOf: "data"))
        return StripeListPage(page: page, texts: texts)
    }

    func testEachRecordCarriesItsObjectsText() throws {
        let page = try Self.page(#"{"object":"list","data":[{"id":"cus_a","object":"customer"},{"id":"cus_b","name":"B"}],"has_more":true}"#)
        let records = try page.records(customers)
        XCTAssertEqual(records.map(\.externalID), ["cus_a", "cus_b"])
        XCTAssertEqual(
            records.map { $0.payloadText.map { String(decoding: $0, as: UTF8.self) } },
            [
                #"{"id":"cus_a","object":"customer"}"#, #"{"id":"cus_b","name":"B"}"#,
            ]
        )
        XCTAssertTrue(page.hasMore)
    }

    func testTextsThatDoNotMatchTheObjectsAreNotUsed() throws {
        var page = try Self.page(#"{"data":[{"id":"cus_a"},{"id":"cus_b"}]}"#)
        page.texts.removeLast()
        let records = try page.records(customers)
        XCTAssertEqual(records.map(\.externalID), ["cus_a", "cus_b"])
        XCTAssertEqual(records.map(\.payloadText), [nil, nil], "no text rather than another object's")
        XCTAssertFalse(page.hasMore)
    }
}
