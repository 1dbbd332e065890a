import Testing

@testable import HubWebhooks

/// `DeliveryWakeup.wait` ends on a signal, on its timeout, or when its task is cancelled; a
/// signal nobody waited for ends the next wait; a timeout leaves nothing behind.
@Suite struct DeliveryWakeupTests {
    @Test(.timeLimit(.minutes(1))) func aWaitEndsAtItsTimeout() async {
        let wakeup = DeliveryWakeup()
        let started = ContinuousClock.now
        await wakeup.wait(timeout: .milliseconds(100))
        let waited = ContinuousClock.now - started
        #expect(waited >= .milliseconds(100), "ended before its timeout")
        #expect(waited < .seconds(20))  // a loaded CI stalls seconds
        #expect(wakeup.expiredMarks == 0)
    }

    @Test(.timeLimit(.minutes(1))) func aSignalEndsEveryWait() async throws {
        let wakeup = DeliveryWakeup()
        let started = ContinuousClock.now
        async let first: Void = wakeup.wait(timeout: .seconds(60))
        async let second: Void = wakeup.wait(timeout: .seconds(60))
        while wakeup.waiting < 2 { try await Task.sleep(for: .milliseconds(5)) }
        wakeup.signal()
        _ = await (first, second)
        #expect(ContinuousClock.now - started < .seconds(30), "a wait sat out its timeout after a signal")
    }

    @Test(.timeLimit(.minutes(1))) func aSignalWithNobodyWaitingEndsTheNextWaitOnly() async {
        let wakeup = DeliveryWakeup()
        wakeup.signalHandoff()
        let started = ContinuousClock.now
        await wakeup.wait(timeout: .seconds(60))
        #expect(ContinuousClock.now - started < .seconds(30), "the kept signal did not end the wait")
        let again = ContinuousClock.now
        await wakeup.wait(timeout: .milliseconds(100))
        #expect(ContinuousClock.now - again >= .milliseconds(100), "one signal ended two waits")
    }

    @Test(.timeLimit(.minutes(1))) func cancellingTheWaitingTaskEndsTheWait() async throws {
        let wakeup = DeliveryWakeup()
        let started = ContinuousClock.now
        let waiting = Task { await wakeup.wait(timeout: .seconds(60)) }
        while wakeup.waiting < 1 { try await Task.sleep(for: .milliseconds(5)) }
        waiting.cancel()
        await waiting.value
        #expect(ContinuousClock.now - started < .seconds(30), "a cancelled wait sat out its timeout")
        let cancelledFirst = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            await wakeup.wait(timeout: .seconds(60))
        }
        await cancelledFirst.value
        #expect(ContinuousClock.now - started < .seconds(30), "a wait begun cancelled sat out its timeout")
        #expect(wakeup.expiredMarks == 0)
    }

    @Test(.timeLimit(.minutes(1))) func aTimeoutAfterASignalLeavesNoMark() async throws {
        let wakeup = DeliveryWakeup()
        async let waited: Void = wakeup.wait(timeout: .milliseconds(100))
        try await Task.sleep(for: .milliseconds(20))
        wakeup.signal()
        await waited
        try await Task.sleep(for: .milliseconds(300))  // the ended wait's timeout passes
        #expect(wakeup.expiredMarks == 0)
    }
}
