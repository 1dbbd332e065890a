import Foundation
import HubCore
import XCTest

final class RetryAfterTests: XCTestCase {
    func testDeltaSecondsIncludingFractionsAndSpaces() {
        XCTAssertEqual(RetryAfter.seconds("120"), 120)
        XCTAssertEqual(RetryAfter.seconds(" 2.0 "), 2, "Shopify sends 2.0")
    }

    func testAnHTTPDateCountsFromNowAndNeverGoesNegative() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        XCTAssertEqual(RetryAfter.seconds("Tue, 14 Nov 2023 22:14:20 GMT", now: now), 60)
        XCTAssertEqual(RetryAfter.seconds("Tue, 14 Nov 2023 22:12:20 GMT", now: now), 0, "a date in the past means now")
    }

    func testUnreadableOrNegativeValuesAreIgnored() {
        XCTAssertNil(RetryAfter.seconds("soon"))
        XCTAssertNil(RetryAfter.seconds("-5"))
        XCTAssertNil(RetryAfter.seconds(""))
        XCTAssertNil(RetryAfter.seconds("inf"), "not a wait anyone can honour")
        XCTAssertNil(RetryAfter.seconds("nan"))
        XCTAssertEqual(RetryAfter.seconds("1e300"), 1e300, "finite: the caller's limit applies")
    }
}
