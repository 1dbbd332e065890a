import Synchronization
import Testing

@testable import HubCore

/// `DeadlineWatch` expires what has not ended by its deadline, in order, and nothing that ended;
/// it forgets what ended, and watches again after it ran dry.
@Suite struct DeadlineWatchTests {
    /// Counts its expiries and says when it was expired.
    final class Subject: Expiring {
        let ended = Atomic(false)
        let expiries = Atomic(0)
        let expired: AsyncStream<ContinuousClock.Instant>
        private let continuation: AsyncStream<ContinuousClock.Instant>.Continuation

        init() {
            (expired, continuation) = AsyncStream.makeStream()
        }

        var hasEnded: Bool { ended.load(ordering: .acquiring) }

        func expire() {
            expiries.add(1, ordering: .relaxed)
            continuation.yield(.now)
        }

        func firstExpiry() async -> ContinuousClock.Instant? {
            var iterator = expired.makeAsyncIterator()
            return await iterator.next()
        }
    }

    @Test(.timeLimit(.minutes(1))) func whatHasNotEndedExpiresAtItsDeadlineAndWhatEndedDoesNot() async throws {
        // Long enough that the test cannot stall past it between adding `ended` and ending it.
        let watch = DeadlineWatch(.seconds(2))
        let running = Subject()
        let ended = Subject()
        let added = ContinuousClock.now
        watch.add(ended)
        watch.add(running)
        ended.ended.store(true, ordering: .releasing)

        let expiredAt = try #require(await running.firstExpiry())
        #expect(expiredAt - added >= .seconds(2), "expired before its deadline")
        #expect(expiredAt - added < .seconds(20), "expired long after its deadline")  // a loaded CI stalls seconds
        try await Task.sleep(for: .milliseconds(100))
        #expect(running.expiries.load(ordering: .relaxed) == 1, "expired more than once")
        #expect(ended.expiries.load(ordering: .relaxed) == 0, "an ended subject was expired")
        #expect(watch.count == 0)
    }

    @Test(.timeLimit(.minutes(1))) func deadlinesFallDueInTheOrderTheyWereAddedEachAtItsOwn() async throws {
        let watch = DeadlineWatch(.milliseconds(100))
        let first = Subject()
        let firstAdded = ContinuousClock.now
        watch.add(first)
        try await Task.sleep(for: .milliseconds(60))
        let second = Subject()
        let secondAdded = ContinuousClock.now
        watch.add(second)
        let firstAt = try #require(await first.firstExpiry())
        let secondAt = try #require(await second.firstExpiry())
        #expect(firstAt - firstAdded >= .milliseconds(100))
        #expect(secondAt - secondAdded >= .milliseconds(100), "the second was expired with the first, before its deadline")
        #expect(secondAt >= firstAt)
    }

    @Test(.timeLimit(.minutes(1))) func endedSubjectsAreForgottenWithoutWaitingForTheirDeadline() async throws {
        let watch = DeadlineWatch(.seconds(60))
        let subjects = (0..<100).map { _ in Subject() }
        for subject in subjects { watch.add(subject) }
        #expect(watch.count == 100)
        for subject in subjects { subject.ended.store(true, ordering: .releasing) }
        let next = Subject()
        watch.add(next)
        #expect(watch.count == 1, "ended subjects were kept until their deadline")
        next.ended.store(true, ordering: .releasing)
    }

    @Test(.timeLimit(.minutes(1))) func theWatchWatchesAgainAfterItRanDry() async throws {
        let watch = DeadlineWatch(.milliseconds(50))
        let first = Subject()
        watch.add(first)
        #expect(await first.firstExpiry() != nil)
        try await Task.sleep(for: .milliseconds(100))
        let second = Subject()
        watch.add(second)
        #expect(await second.firstExpiry() != nil)
    }

    @Test(.timeLimit(.minutes(1))) func manyAddsAtOnceExpireEachSubjectOnce() async throws {
        let watch = DeadlineWatch(.milliseconds(20))
        let subjects = await withTaskGroup(of: [Subject].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var added: [Subject] = []
                    for round in 0..<200 {
                        let subject = Subject()
                        watch.add(subject)
                        added.append(subject)
                        // Now and then the queue runs dry, so the watch ends and starts again.
                        if round % 50 == 49 { try? await Task.sleep(for: .milliseconds(40)) }
                    }
                    return added
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        let limit = ContinuousClock.now + .seconds(30)
        while subjects.contains(where: { $0.expiries.load(ordering: .relaxed) == 0 }), ContinuousClock.now < limit {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(subjects.allSatisfy { $0.expiries.load(ordering: .relaxed) == 1 }, "a subject was expired never or twice")
        #expect(watch.count == 0)
    }

    @Test func oneWatchServesEachDuration() {
        #expect(DeadlineWatch.shared(.seconds(7)) === DeadlineWatch.shared(.seconds(7)))
        #expect(DeadlineWatch.shared(.seconds(7)) !== DeadlineWatch.shared(.seconds(8)))
    }
}
