import Synchronization

/// The latency scenario's events as they fall due, each taken by whichever publisher connection
/// asks first: one slow answer holds up only its own connection, never an event due meanwhile.
/// `finish()` ends every wait (with nil) once the schedule is done or a publisher failed.
final class DueEvents: Sendable {
    typealias Event = (index: Int, due: UInt64)

    private struct State {
        var events: [Event] = []
        var next = 0
        var waiting: [CheckedContinuation<Event?, Never>] = []
        var finished = false
    }

    private let state = Mutex(State())

    func push(_ event: Event) {
        let taker = state.withLock { state -> CheckedContinuation<Event?, Never>? in
            if !state.waiting.isEmpty { return state.waiting.removeFirst() }
            state.events.append(event)
            return nil
        }
        taker?.resume(returning: event)
    }

    func finish() {
        let waiting = state.withLock { state -> [CheckedContinuation<Event?, Never>] in
            state.finished = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for taker in waiting { taker.resume(returning: nil) }
    }

    /// The next event due, waiting for it; nil once finished and none is left.
    func next() async -> Event? {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Event?? in
                if state.next < state.events.count {
                    defer { state.next += 1 }
                    return .some(state.events[state.next])
                }
                if state.finished { return .some(nil) }
                state.waiting.append(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
