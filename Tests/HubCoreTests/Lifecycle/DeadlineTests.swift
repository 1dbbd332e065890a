import HubCore
import Synchronization
import Testing

/// `withDeadline` answers by its deadline even when the operation ignores cancellation, answers
/// at once when its caller is cancelled (unless detached), and passes results and errors through
/// otherwise.
@Suite struct DeadlineTests {
    struct Refused: Error, Equatable {}

    @Test(.timeLimit(.minutes(1))) func aStuckOperationIsAbandonedAtTheDeadline() async throws {
        let started = ContinuousClock.now
        let value: Int? = await withDeadline(.milliseconds(100)) {
            await withCheckedContinuation { (_: CheckedContinuation<Void, Never>) in }  // never resumes
            return 1
        }
        #expect(value == nil)
        #expect(ContinuousClock.now - started < .seconds(20), "not abandoned at the deadline")  // a loaded CI stalled 5 s
        await #expect(throws: DeadlineExceeded.self) {
            try await withDeadline(.milliseconds(100), "a stuck statement") { () async throws -> Int in
                await withCheckedContinuation { (_: CheckedContinuation<Void, Never>) in }
                return 1
            }
        }
    }

    @Test func resultsAndErrorsPassThrough() async throws {
        #expect(await withDeadline(.seconds(5)) { 42 } == 42)
        #expect(try await withDeadline(.seconds(5), "an answer") { 7 } == 7)
        await #expect(throws: Refused.self) {
            try await withDeadline(.seconds(5), "a refusal") { () async throws -> Int in throw Refused() }
        }
    }

    @Test(.timeLimit(.minutes(1))) func theCallersCancellationEndsTheWaitAndCancelsTheOperation() async throws {
        let operationStarted = AsyncStream<Void>.makeStream()
        let operationCancelled = AsyncStream<Void>.makeStream()
        let started = ContinuousClock.now
        let caller = Task { () -> Int? in
            await withDeadline(.seconds(60)) {
                operationStarted.continuation.yield()
                // Sleeps until cancelled, then says so.
                try? await Task.sleep(for: .seconds(60))
                operationCancelled.continuation.yield()
                return 1
            }
        }
        var starts = operationStarted.stream.makeAsyncIterator()
        #expect(await starts.next() != nil)  // cancelled only once the operation runs
        caller.cancel()
        #expect(await caller.value == nil)
        var signals = operationCancelled.stream.makeAsyncIterator()
        #expect(await signals.next() != nil)
        #expect(ContinuousClock.now - started < .seconds(30))

        let throwing = Task {
            try await withDeadline(.seconds(60), "a statement on a store that is down") { () async throws -> Int in
                await withCheckedContinuation { (_: CheckedContinuation<Void, Never>) in }  // never resumes
                return 1
            }
        }
        try await Task.sleep(for: .milliseconds(50))
        throwing.cancel()
        await #expect(throws: CancellationError.self) { try await throwing.value }
        #expect(ContinuousClock.now - started < .seconds(30))
    }

    @Test func aCallerCancelledBeforeItBeganIsAnsweredAtOnceAndNothingRuns() async throws {
        let ran = Mutex(false)
        let caller = Task { () -> Int? in
            withUnsafeCurrentTask { $0?.cancel() }
            return await withDeadline(.seconds(60)) {
                ran.withLock { $0 = true }
                try? await Task.sleep(for: .seconds(60))
                return 1
            }
        }
        let started = ContinuousClock.now
        #expect(await caller.value == nil)
        #expect(ContinuousClock.now - started < .seconds(30))
        try await Task.sleep(for: .milliseconds(100))
        #expect(!ran.withLock { $0 }, "the operation began for a caller cancelled before it")
    }

    @Test func detachedWorkOutlivesItsCallersCancellation() async throws {
        let caller = Task { () -> Int? in
            await withDeadline(.seconds(60), detachedFromCancellation: true) {
                try? await Task.sleep(for: .milliseconds(300))
                return Task.isCancelled ? 0 : 1
            }
        }
        try await Task.sleep(for: .milliseconds(50))
        caller.cancel()
        #expect(await caller.value == 1)
    }
}
