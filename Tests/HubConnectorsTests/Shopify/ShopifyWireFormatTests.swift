import Foundation
import HubCore
import NIOHTTP1
import XCTest

@testable import HubConnectors

/// Connector pieces that need no server: the Link header, error bodies, dates.
final class ShopifyWireFormatTests: XCTestCase {
    func testErrorsMapToTypedCases() {
        func response(_ status: Int, _ body: String, _ headers: HTTPHeaders = [:]) -> ProviderResponse {
            ProviderResponse(status: status, headers: headers, body: Array(body.utf8))
        }
        XCTAssertEqual(
            ShopifyErrorMapper.classify(response(422, #"{"errors":{"title":["can't be blank"]}}"#), entity: "products", id: nil),
            .validation(message: "title can't be blank", field: "title")
        )
        XCTAssertEqual(
            ShopifyErrorMapper.classify(response(404, #"{"errors":"Not Found"}"#), entity: "products", id: "7"),
            .notFound(entity: "products", id: "7")
        )
        XCTAssertEqual(
            ShopifyErrorMapper.classify(response(429, #"{"errors":"Exceeded"}"#, ["Retry-After": "2.0"]), entity: "products", id: nil),
            .rateLimited(retryAfter: .seconds(2))
        )
        guard
            case .authenticationFailed = ShopifyErrorMapper.classify(
                response(401, #"{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}"#),
                entity: "shop",
                id: nil
            )
        else { return XCTFail("401 is not authenticationFailed") }
        guard case .unavailable(503, _) = ShopifyErrorMapper.classify(response(503, "<html>down</html>"), entity: "shop", id: nil) else {
            return XCTFail("503 is not unavailable")
        }
    }

    func testLinkHeaderYieldsTheNextPageInfoOnly() {
        let header =
            #"<https://a.myshopify.com/admin/api/2024-01/products.json?limit=50&page_info=prev123>; rel="previous", "#
            + #"<https://a.myshopify.com/admin/api/2024-01/products.json?limit=50&page_info=next456>; rel="next""#
        XCTAssertEqual(ShopifyLinkHeader(header).next, "next456")
        XCTAssertNil(ShopifyLinkHeader(#"<https://a.myshopify.com/x.json?limit=1&page_info=p>; rel="previous""#).next)
        XCTAssertNil(ShopifyLinkHeader("garbage").next)
        XCTAssertNil(ShopifyLinkHeader(nil).next)
    }

    func testCheckpointIsTheServersDateLessTheOverlap() throws {
        let checkpoint = ShopifyConnector.checkpoint(serverDate: "Sun, 06 Nov 1994 08:49:37 GMT")
        XCTAssertEqual(checkpoint, "1994-11-06T08:49:32Z")
        XCTAssertNil(HTTPDate.parse("yesterday"))
    }
}
