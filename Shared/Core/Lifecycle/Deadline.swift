import Synchronization

/// Runs `operation` and returns its result, or nil once `duration` has passed — without waiting
/// for an operation that ignores its cancellation to end: it is cancelled and left to finish on
/// its own. For callers that must never hang behind one stuck call (a query the driver never
/// completes after its connection died); `withTimeout`, being structured, would wait for it. The
/// two tasks here are the price of that: they end when the operation does, or at the deadline.
public func withDeadline<T: Sendable>(_ duration: Duration, _ operation: @escaping @Sendable () async -> T) async -> T? {
    let race = DeadlineRace<T>()
    return await withCheckedContinuation { continuation in
        race.start(continuation)
        let work = Task {
            let value = await operation()
            race.finish(value)
        }
        let timer = Task {
            try? await Task.sleep(for: duration)
            if race.finish(nil) { work.cancel() }
        }
        race.onFinish { timer.cancel() }
    }
}

/// The one resumption of a `withDeadline` continuation, by whichever side comes first.
final class DeadlineRace<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T?, Never>?
        var finished = false
        var cleanup: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    func start(_ continuation: CheckedContinuation<T?, Never>) {
        state.withLock { $0.continuation = continuation }
    }

    /// Runs `cleanup` when the race is decided (at once if it is already).
    func onFinish(_ cleanup: @escaping @Sendable () -> Void) {
        let now = state.withLock { state -> Bool in
            if state.finished { return true }
            state.cleanup = cleanup
            return false
        }
        if now { cleanup() }
    }

    /// Resumes with `value` if nothing did yet; true when this call decided the race.
    @discardableResult
    func finish(_ value: T?) -> Bool {
        let taken = state.withLock { state -> (CheckedContinuation<T?, Never>, (@Sendable () -> Void)?)? in
            guard !state.finished, let continuation = state.continuation else { return nil }
            state.finished = true
            state.continuation = nil
            defer { state.cleanup = nil }
            return (continuation, state.cleanup)
        }
        guard let (continuation, cleanup) = taken else { return false }
        continuation.resume(returning: value)
        cleanup?()
        return true
    }
}

/// `withDeadline` for a throwing operation: its result or error, or `DeadlineExceeded` naming
/// `what` once `duration` has passed.
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
    guard let outcome else { throw DeadlineExceeded(what, deadline: duration) }
    return try outcome.get()
}
