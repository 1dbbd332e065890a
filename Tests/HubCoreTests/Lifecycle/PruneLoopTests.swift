import HubCore
import Logging
import Synchronization
import Testing

/// A retention pass that fails is logged as an error and the loop goes on; a pass cut short
/// because the service is stopping ends the loop without one.
@Suite struct PruneLoopTests {
    /// Keeps every message logged at error level.
    struct ErrorRecorder: LogHandler {
        let recorded: Recorded
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            if event.level == .error { recorded.errors.withLock { $0.append(event.message.description) } }
        }
    }

    final class Recorded: Sendable {
        let errors = Mutex<[String]>([])
        var logger: Logger { Logger(label: "prune-loop-tests") { _ in ErrorRecorder(recorded: self) } }
        var all: [String] { errors.withLock { $0 } }
    }

    struct Refused: Error {}

    @Test func aFailedPassIsLoggedAndTheNextOneComes() async throws {
        let recorded = Recorded()
        let passes = Mutex(0)
        let loop = Task {
            await PruneLoop(every: .milliseconds(10), logger: recorded.logger).run(pruning: "rows") {
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
        #expect(recorded.all == ["pruning rows failed"])
    }

    @Test func aPassCutShortByTheStopIsNotAnError() async throws {
        let recorded = Recorded()
        let started = Mutex(false)
        let loop = Task {
            await PruneLoop(every: .seconds(600), logger: recorded.logger).run(pruning: "rows") {
                started.withLock { $0 = true }
                try await Task.sleep(for: .seconds(60))  // a statement the stop cancels
                return nil
            }
        }
        while !started.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
        loop.cancel()
        await loop.value
        #expect(recorded.all.isEmpty, "a cancelled pass was logged: \(recorded.all)")
    }

    @Test func aPassThatNeverReturnsIsAbandonedAndTheNextOneComes() async throws {
        let recorded = Recorded()
        let passes = Mutex(0)
        let stuck = Mutex<CheckedContinuation<Void, Never>?>(nil)
        let loop = Task {
            await PruneLoop(every: .milliseconds(10), deadline: .milliseconds(100), logger: recorded.logger).run(pruning: "rows") {
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
        while passes.withLock({ $0 }) < 2 && ContinuousClock.now - waited < .seconds(5) { try await Task.sleep(for: .milliseconds(5)) }
        #expect(passes.withLock { $0 } >= 2, "the next pass came")
        loop.cancel()
        stuck.withLock { $0?.resume() }
        await loop.value
        #expect(recorded.all.first == "pruning rows failed", "the stuck pass failed")
    }
}
