import Synchronization

/// Something a `DeadlineWatch` expires: told once, when its deadline passes, unless it ended
/// first.
public protocol Expiring: AnyObject, Sendable {
    /// True once it no longer needs its deadline; the watch then forgets it without a word.
    var hasEnded: Bool { get }
    /// Its deadline passed before it ended.
    func expire()
}

/// Deadlines of one length, all watched by one task. Each deadline falls `duration` after it was
/// added, so they fall due in the order they were added: the watch keeps them in a queue and
/// sleeps until the oldest one still running. A deadline costs a queue entry instead of a timer:
/// `Task.sleep` on Linux arms a libdispatch timer that cancelling the sleep does not disarm, so a
/// timer per request woke libdispatch's threads to arm it and again to fire it, long after the
/// request had ended (docs/performance.md).
public final class DeadlineWatch: Sendable {
    public let duration: Duration

    private struct Entry {
        let deadline: ContinuousClock.Instant
        let subject: any Expiring
    }

    /// Only ended entries at the front are dropped: one long-running operation keeps those added
    /// after it (at most `duration`'s worth) until it ends or expires.
    private struct State {
        var entries: [Entry] = []
        /// Entries before this index are done with; dropped in bulk.
        var head = 0
        /// Whether a task is watching; it ends when nothing is left to watch.
        var watching = false

        mutating func dropEnded() {
            while head < entries.count, entries[head].subject.hasEnded { head += 1 }
            if head == entries.count {
                entries.removeAll(keepingCapacity: true)
                head = 0
            } else if head > 1024, head * 2 > entries.count {
                entries.removeFirst(head)
                head = 0
            }
        }
    }

    private let state = Mutex(State())

    public init(_ duration: Duration) {
        self.duration = duration
    }

    private static let shared = Mutex<[Duration: DeadlineWatch]>([:])

    /// The process's one watch for deadlines of `duration`. For the few fixed lengths a process
    /// uses (each keeps its watch for the process's life), not for lengths computed per call.
    public static func shared(_ duration: Duration) -> DeadlineWatch {
        shared.withLock { watches in
            if let watch = watches[duration] { return watch }
            let watch = DeadlineWatch(duration)
            watches[duration] = watch
            return watch
        }
    }

    /// Expires `subject` `duration` from now unless it has ended by then.
    public func add(_ subject: any Expiring) {
        let startWatching = state.withLock { state -> Bool in
            state.dropEnded()
            // The time read under the lock, so the queue stays in deadline order.
            state.entries.append(Entry(deadline: .now + duration, subject: subject))
            guard !state.watching else { return false }
            state.watching = true
            return true
        }
        if startWatching {
            // Detached: the watch serves every caller, and no caller's cancellation may end it.
            Task.detached { await self.watch() }
        }
    }

    /// Deadlines not yet passed or ended (for tests).
    var count: Int { state.withLock { $0.entries.count - $0.head } }

    private func watch() async {
        while true {
            let (due, next) = state.withLock { state -> ([any Expiring], ContinuousClock.Instant?) in
                let now = ContinuousClock.now
                var due: [any Expiring] = []
                while true {
                    state.dropEnded()
                    guard state.head < state.entries.count, state.entries[state.head].deadline <= now else { break }
                    due.append(state.entries[state.head].subject)
                    state.head += 1
                }
                guard state.head < state.entries.count else {
                    state.watching = false
                    return (due, nil)
                }
                return (due, state.entries[state.head].deadline)
            }
            for subject in due { subject.expire() }
            guard let next else { return }
            try? await Task.sleep(until: next, clock: .continuous)
        }
    }
}
