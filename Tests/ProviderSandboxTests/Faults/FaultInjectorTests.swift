import ProviderSandbox
import XCTest

final class FaultInjectorTests: XCTestCase {
    func testBurstsAreServedInOrderThenRequestsPass() {
        let faults = FaultInjector()
        var settings = FaultInjector.Settings()
        settings.rateLimitNext = 2
        settings.serverErrorNext = 1
        settings.retryAfterSeconds = 2
        faults.set(settings, for: "stripe")
        XCTAssertEqual(faults.decide(for: "stripe").decision, .fault(.rateLimited(retryAfterSeconds: 2)))
        XCTAssertEqual(faults.decide(for: "stripe").decision, .fault(.rateLimited(retryAfterSeconds: 2)))
        XCTAssertEqual(faults.decide(for: "stripe").decision, .fault(.serverError))
        XCTAssertEqual(faults.decide(for: "stripe").decision, .pass)
        XCTAssertEqual(faults.decide(for: "shopify").decision, .pass, "faults are per provider")
    }

    func testSharesAreApproximatelyHonoured() {
        let faults = FaultInjector()
        var settings = FaultInjector.Settings()
        settings.rateLimitShare = 0.3
        settings.serverErrorShare = 0.1
        faults.set(settings, for: "plaid")
        var limited = 0
        var failed = 0
        for _ in 0..<10_000 {
            switch faults.decide(for: "plaid").decision {
            case .fault(.rateLimited): limited += 1
            case .fault(.serverError): failed += 1
            default: break
            }
        }
        XCTAssertEqual(Double(limited) / 10_000, 0.3, accuracy: 0.03)
        XCTAssertEqual(Double(failed) / 10_000, 0.1, accuracy: 0.02)
    }

    func testExpiredCredentialsWinOverEverythingUntilCleared() {
        let faults = FaultInjector()
        var settings = FaultInjector.Settings()
        settings.expireCredentials = true
        settings.rateLimitNext = 5
        faults.set(settings, for: "stripe")
        XCTAssertEqual(faults.decide(for: "stripe").decision, .fault(.unauthorized))
        faults.clear("stripe")
        XCTAssertEqual(faults.decide(for: "stripe").decision, .pass)
    }
}
