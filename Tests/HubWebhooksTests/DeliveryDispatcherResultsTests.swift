import XCTest

@testable import HubWebhooks

/// When the results writer takes its next batch: results of a moment are gathered into one
/// commit, but a full batch, a stop or a quiet moment never waits.
final class DeliveryDispatcherResultsTests: XCTestCase {
    let start = ContinuousClock.now

    func gather(lastWriteAgo: Duration?, pending: Int, stopping: Bool = false) -> ContinuousClock.Instant? {
        DeliveryDispatcher.gatherUntil(
            lastWrite: lastWriteAgo.map { start - $0 },
            now: start,
            pending: pending,
            stopping: stopping
        )
    }

    func testResultsSoonAfterAWriteWaitUntilTheIntervalHasPassed() {
        let ago = DeliveryDispatcher.writeInterval / 4
        XCTAssertEqual(gather(lastWriteAgo: ago, pending: 3), start - ago + DeliveryDispatcher.writeInterval)
    }

    func testAFullBatchAStopTheFirstWriteOrALateOneIsTakenAtOnce() {
        let soon = DeliveryDispatcher.writeInterval / 4
        XCTAssertNil(gather(lastWriteAgo: soon, pending: DeliveryDispatcher.writeBatch), "a full batch waited")
        XCTAssertNil(gather(lastWriteAgo: soon, pending: 3, stopping: true), "a stopping dispatcher waited")
        XCTAssertNil(gather(lastWriteAgo: nil, pending: 3), "the first write waited")
        XCTAssertNil(gather(lastWriteAgo: DeliveryDispatcher.writeInterval, pending: 3), "a write past the interval waited")
        XCTAssertNil(gather(lastWriteAgo: soon, pending: 0), "nothing to write, yet a wait")
    }
}
