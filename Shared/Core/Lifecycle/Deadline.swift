import Synchronization

/// Runs `operation` and returns its result, or nil once `duration` has passed — without waiting
/// for an operation that ignores its cancellation to end: it is cancelled and left to finish on
/// its own. For callers that must never hang behind one stuck call (a query the driver never
/// completes after its connection died); `withTimeout`, being structured, would wait for it. The
/// operation's own task is the price of that; the deadline is an entry in the process's
/// `DeadlineWatch` for `duration`, not a timer of its own.
///
/// The caller's cancellation ends the wait the same way, at once (nil), unless
/// `detachedFromCancellation`: a service stopping must not sit out a deadline behind a store
/// that is down. Detached is for work done on behalf of others too (a batch whose leader's
/// request went away still commits the other requests' rows).
public func withDeadline<T: Sendable>(
    _ duration: Duration,
    detachedFromCancellation: Bool = false,
    _ operation: @escaping @Sendable () async -> T
) async -> T? {
    let race = DeadlineRace<T>()
    return await withTaskCancellationHandler {
        await withCheckedContinuation { continuation in
            // A caller cancelled before it began is answered without starting the operation.
            guard race.start(continuation) else { return }
            let work = Task {
                let value = await operation()
                race.finish(value)
            }
            race.attach(work: work)
            DeadlineWatch.shared(duration).add(race)
        }
    } onCancel: {
        if !detachedFromCancellation { race.finish(nil) }
    }
}

/// The one resumption of a `withDeadline` continuation, by whichever side comes first: the
/// operation's value, or nil (the deadline, or the caller cancelled). Nil cancels the operation.
/// A race decided before the continuation arrives (the caller was cancelled already) answers it
/// at once and starts nothing.
final class DeadlineRace<T: Sendable>: Expiring {
    private struct State {
        var continuation: CheckedContinuation<T?, Never>?
        var decided = false
        var work: Task<Void, Never>?
    }

    private let state = Mutex(State())

    /// Takes the continuation; false (and answered nil) when the race was decided already.
    func start(_ continuation: CheckedContinuation<T?, Never>) -> Bool {
        let decided = state.withLock { state -> Bool in
            if !state.decided { state.continuation = continuation }
            return state.decided
        }
        if decided { continuation.resume(returning: nil) }
        return !decided
    }

    /// The operation's task; cancelled at once if the race is decided already.
    func attach(work: Task<Void, Never>) {
        let decided = state.withLock { state -> Bool in
            if !state.decided { state.work = work }
            return state.decided
        }
        if decided { work.cancel() }
    }

    var hasEnded: Bool { state.withLock { $0.decided } }

    func expire() { finish(nil) }

    /// Resumes with `value` if nothing did yet; true when this call decided the race.
    @discardableResult
    func finish(_ value: T?) -> Bool {
        let taken = state.withLock { state -> (CheckedContinuation<T?, Never>?, Task<Void, Never>?)? in
            guard !state.decided else { return nil }
            state.decided = true
            defer { (state.continuation, state.work) = (nil, nil) }
            return (state.continuation, state.work)
        }
        guard let (continuation, work) = taken else { return false }
        continuation?.resume(returning: value)
        if value == nil { work?.cancel() }
        return true
    }
}

/// `withDeadline` for a throwing operation: its result or error, `DeadlineExceeded` naming
/// `what` once `duration` has passed, or `CancellationError` when the caller was cancelled.
public func withDeadline<T: Sendable>(
    _ duration: Duration,
    _ what: String,
    _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    let outcome = await withDeadline(duration) { () async -> Result<T, any Error> in
        do {
            return .success(try await operation())
        } catch {
            return .failure(error)
        }
    }
    guard let outcome else {
        if Task.isCancelled { throw CancellationError() }
        throw DeadlineExceeded(what, deadline: duration)
    }
    return try outcome.get()
}
