import HubCore
import Synchronization
import Testing

@testable import HubWebhooks

/// The group commit never holds requests behind a batch that does not end: after the deadline
/// the batch's requests fail with `DeadlineExceeded` and the next request leads a batch of its own.
@Suite struct AcceptBatcherTests {
    /// Batches whose first request is "stuck" never return, even when cancelled (as a query on a
    /// connection that died may not); the others answer their requests doubled. `stuckBegan` is
    /// called as a stuck batch begins.
    static func batcher(deadline: Duration, stuckBegan: @escaping @Sendable () -> Void = {}) -> AcceptBatcher<String, String> {
        AcceptBatcher(maxBatches: 1, maxEvents: 8, deadline: deadline) { requests in
            if requests.first == "stuck" {
                stuckBegan()
                await withCheckedContinuation { (_: CheckedContinuation<Void, Never>) in }
            }
            return requests.map { .success($0 + $0) }
        }
    }

    @Test(.timeLimit(.minutes(1))) func aStuckBatchFailsItsRequestsAtTheDeadlineAndTheNextOneLeads() async throws {
        let batcher = Self.batcher(deadline: .milliseconds(200))
        let started = ContinuousClock.now
        await #expect(throws: DeadlineExceeded.self) { try await batcher.submit("stuck") }
        #expect(ContinuousClock.now - started < .seconds(20), "the stuck batch was waited for")  // a loaded CI stalled 5 s
        #expect(try await batcher.submit("ok") == "okok", "the lead passed on")
    }

    @Test func requestsWaitingBehindAStuckBatchAreServedAfterIt() async throws {
        let (began, signal) = AsyncStream<Void>.makeStream()
        // The waiting requests' own batches get the same deadline: 300 ms failed one of them once,
        // in a full run whose parallel suites stalled the machine longer than that.
        let batcher = Self.batcher(deadline: .seconds(2)) { signal.yield() }
        let stuck = Task { try await batcher.submit("stuck") }
        for await _ in began { break }  // the stuck batch holds the only slot before the others come
        let answers = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<5 { group.addTask { try await batcher.submit("r\(index)") } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(answers == ["r0r0", "r1r1", "r2r2", "r3r3", "r4r4"])
        await #expect(throws: DeadlineExceeded.self) { try await stuck.value }
    }

    @Test func aBatchWithinItsDeadlineAnswersEveryRequest() async throws {
        let batcher = Self.batcher(deadline: .seconds(5))
        let answers = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<20 { group.addTask { try await batcher.submit("\(index)") } }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(Set(answers) == Set((0..<20).map { "\($0)\($0)" }))
    }
}
