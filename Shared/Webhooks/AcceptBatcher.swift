import Foundation
import HubCore
import Synchronization

enum AcceptBatcherDefaults {
    /// Batches in flight at once: one per core, at least two (one slow commit does not hold up
    /// every accept), at most eight. More batches at once means smaller ones, and smaller batches
    /// accept fewer events a second (docs/performance.md).
    static let transactionsInFlight = min(8, max(2, ProcessInfo.processInfo.activeProcessorCount))
    /// Longest a batch's transaction may take; a healthy one takes milliseconds.
    static let deadline = Duration.seconds(10)
}

/// Gathers the events accepted at the same moment into one transaction (a group commit): one
/// statement and one commit for many requests instead of one each. Each request still returns
/// only after the transaction holding its event committed.
///
/// No task of its own: up to `maxBatches` callers at a time lead a batch (their own event plus
/// those waiting, up to `maxEvents`); the others wait, and a leader that finishes passes the lead
/// to the first one still waiting.
final class AcceptBatcher<Request: Sendable, Output: Sendable>: Sendable {
    typealias Outcome = Result<Output, any Error>

    private enum Turn: Sendable {
        case lead
        case done(Outcome)
    }

    private struct Waiting {
        var request: Request
        var continuation: CheckedContinuation<Turn, Never>
    }

    private struct State {
        var waiting: [Waiting] = []
        var leaders = 0
    }

    private let state = Mutex(State())
    private let maxBatches: Int
    private let maxEvents: Int
    /// How long a batch may take before its requests are answered with `DeadlineExceeded` and
    /// the lead passes on: a transaction stuck on a connection that died must not hold every
    /// later request behind it. Its outcome, if it ever comes, is dropped (a request retried with
    /// its idempotency key then finds the event that did commit).
    private let deadline: Duration
    /// Runs one batch; one outcome per request, in order.
    private let run: @Sendable ([Request]) async -> [Outcome]

    init(
        maxBatches: Int = AcceptBatcherDefaults.transactionsInFlight,
        maxEvents: Int,
        deadline: Duration = AcceptBatcherDefaults.deadline,
        run: @escaping @Sendable ([Request]) async -> [Outcome]
    ) {
        precondition(maxBatches > 0 && maxEvents > 0)
        self.maxBatches = maxBatches
        self.maxEvents = maxEvents
        self.deadline = deadline
        self.run = run
    }

    func submit(_ request: Request) async throws -> Output {
        let turn = await withCheckedContinuation { (continuation: CheckedContinuation<Turn, Never>) in
            let lead = state.withLock { state -> Bool in
                guard state.leaders < maxBatches else {
                    state.waiting.append(Waiting(request: request, continuation: continuation))
                    return false
                }
                state.leaders += 1
                return true
            }
            if lead { continuation.resume(returning: .lead) }
        }
        if case .done(let outcome) = turn { return try outcome.get() }
        let others = state.withLock { state -> [Waiting] in
            let taken = Array(state.waiting.prefix(maxEvents - 1))
            state.waiting.removeFirst(taken.count)
            return taken
        }
        let batch = [request] + others.map(\.request)
        let outcomes =
            await withDeadline(deadline, detachedFromCancellation: true) { [run] in await run(batch) }
            ?? Array(repeating: .failure(DeadlineExceeded("an accepting transaction", deadline: deadline)), count: batch.count)
        for (index, waiting) in others.enumerated() { waiting.continuation.resume(returning: .done(outcomes[index + 1])) }
        let next = state.withLock { state -> Waiting? in
            guard !state.waiting.isEmpty else {
                state.leaders -= 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.continuation.resume(returning: .lead)
        return try outcomes[0].get()
    }
}
