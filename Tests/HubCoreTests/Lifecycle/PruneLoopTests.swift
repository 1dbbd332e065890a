import HubCore
import HubTestSupport
import Logging
import Synchronization
import Testing

/// A retention pass that fails is logged as an error and the loop goes on; a pass cut short
/// because the service is stopping ends the loop without one.
@Suite struct PruneLoopTests {
    struct Refused: Error {}

    @Test func aFailedPassIsLoggedAndTheNextOneComes() async throws {
        let recorded = LogRecorder()
        let passes = Mutex(0)
        let loop = Task {
            await PruneLoop(every: .milliseconds(10), logger: recorded.logger(label: "prune-loop-tests")).run(pruning: "rows") {
                let pass = passes.withLock { count in
                    count += 1
                    return count
                }
                if pass == 1 { throw Refused() }
                return nil
            }
        }
        while passes.withLock({ $0 }) < 3 { try await Task.sleep(for: .milliseconds(5)) }
        loop.cancel()
        await loop.value
        #expect(recorded.messages(at: .error) == ["pruning rows failed"])
    }

    @Test func aPassCutShortByTheStopIsNotAnError() async throws {
        let recorded = LogRecorder()
        let started = Mutex(false)
        let loop = Task {
            await PruneLoop(every: .seconds(600), logger: recorded.logger(label: "prune-loop-tests")).run(pruning: "rows") {
                started.withLock { $0 = true }
                try await Task.sleep(for: .seconds(60))  // a statement the stop cancels
                return nil
            }
        }
        while !started.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
        loop.cancel()
        await loop.value
        #expect(recorded.messages(at: .error).isEmpty, "a cancelled pass was logged: \(recorded.messages(at: .error))")
    }

    @Test func aPassThatNeverReturnsIsAbandonedAndTheNextOneComes() async throws {
        let recorded = LogRecorder()
        let passes = Mutex(0)
        let stuck = Mutex<CheckedContinuation<Void, Never>?>(nil)
        let loop = Task {
            await PruneLoop(every: .milliseconds(10), deadline: .milliseconds(100), logger: recorded.logger(label: "prune-loop-tests")).run(
                pruning: "rows"
            ) {
                let pass = passes.withLock { count in
                    count += 1
                    return count
                }
                // The first pass waits on something its cancellation does not end (a statement
                // on a connection that died with its server).
                if pass == 1 { await withCheckedContinuation { continuation in stuck.withLock { $0 = continuation } } }
                return nil
            }
        }
        let waited = ContinuousClock.now
        // Long enough for a starved test process; it ends as soon as the next pass comes.
        while passes.withLock({ $0 }) < 2 && ContinuousClock.now - waited < .seconds(30) { try await Task.sleep(for: .milliseconds(5)) }
        #expect(passes.withLock { $0 } >= 2, "the next pass came")
        loop.cancel()
        stuck.withLock { $0?.resume() }
        await loop.value
        #expect(recorded.messages(at: .error).first == "pruning rows failed", "the stuck pass failed")
    }
}
