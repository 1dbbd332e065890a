import HubCore
import NIOHTTP1
import XCTest

@testable import HubConnectors

/// Stripe's error responses become typed cases by status and code, never by message text.
final class StripeErrorMapperTests: XCTestCase {
    let mapper = StripeErrorMapper(entity: "customers", id: "cus_1")

    func response(_ status: Int, _ error: String, headers: HTTPHeaders = [:]) -> ProviderResponse {
        ProviderResponse(status: status, headers: headers, body: Array(#"{"error":\#(error)}"#.utf8))
    }

    func testStatusesMapToTheirCases() {
        XCTAssertEqual(
            mapper.classify(response(401, #"{"type":"invalid_request_error","message":"Invalid API Key provided: sk_test_****"}"#)),
            .authenticationFailed("Invalid API Key provided: sk_test_****")
        )
        XCTAssertEqual(
            mapper.classify(response(403, #"{"type":"invalid_request_error","message":"The provided key does not have the required permissions"}"#)),
            .permissionDenied("The provided key does not have the required permissions")
        )
        XCTAssertEqual(
            mapper.classify(
                response(404, #"{"type":"invalid_request_error","code":"resource_missing","message":"No such customer: 'cus_1'","param":"id"}"#)
            ),
            .notFound(entity: "customers", id: "cus_1")
        )
        XCTAssertEqual(
            mapper.classify(
                response(
                    400,
                    #"{"type":"invalid_request_error","code":"parameter_missing","message":"Missing required param: currency.","param":"currency"}"#
                )
            ),
            .validation(message: "Missing required param: currency.", field: "currency")
        )
        XCTAssertEqual(
            mapper.classify(
                response(
                    402,
                    #"{"type":"card_error","code":"card_declined","decline_code":"insufficient_funds","message":"Your card has insufficient funds."}"#
                )
            ),
            .validation(message: "Your card has insufficient funds. (insufficient_funds)", field: nil)
        )
        XCTAssertEqual(
            mapper.classify(
                response(400, #"{"type":"idempotency_error","message":"Keys for idempotent requests can only be used with the same parameters"}"#)
            ),
            .conflict("Keys for idempotent requests can only be used with the same parameters")
        )
        XCTAssertEqual(mapper.classify(response(500, #"{"type":"api_error","message":"boom"}"#)), .unavailable(status: 500, message: "boom"))
        XCTAssertEqual(
            mapper.classify(ProviderResponse(status: 503, headers: [:], body: Array("<html>".utf8))),
            .unavailable(status: 503, message: "Stripe answered HTTP 503")
        )
    }

    func testRateLimitCarriesStripesWaitWhenItSendsOne() {
        let limited = #"{"type":"invalid_request_error","code":"rate_limit","message":"Request rate limit exceeded."}"#
        XCTAssertEqual(mapper.classify(response(429, limited, headers: ["Retry-After": "2"])), .rateLimited(retryAfter: .seconds(2)))
        XCTAssertEqual(mapper.classify(response(429, limited, headers: ["Stripe-Should-Retry": "true"])), .rateLimited(retryAfter: nil))
        XCTAssertTrue(mapper.classify(response(429, limited)).isRetryable)
    }

    func testConcurrentUseOfAKeyIsRetriedButAConflictIsNot() {
        let inUse = #"{"type":"idempotency_error","code":"idempotency_key_in_use","message":"in progress"}"#
        XCTAssertEqual(
            mapper.classify(response(409, inUse, headers: ["Stripe-Should-Retry": "true"])),
            .unavailable(status: 409, message: "in progress")
        )
        XCTAssertEqual(mapper.classify(response(409, inUse)), .conflict("in progress"))
    }

    func testUnrecognizedURLIsUnsupportedAndOddStatusesAreInvalid() {
        let unknown = #"{"type":"invalid_request_error","message":"Unrecognized request URL (GET: /v1/widgets)."}"#
        XCTAssertEqual(mapper.classify(response(404, unknown)), .unsupported("Unrecognized request URL (GET: /v1/widgets)."))
        XCTAssertEqual(mapper.classify(ProviderResponse(status: 302, headers: [:], body: [])), .invalidResponse("Stripe answered HTTP 302"))
    }
}
