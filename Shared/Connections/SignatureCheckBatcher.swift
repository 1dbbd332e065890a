import HubConnectors
import Synchronization

/// Coalesces the webhook signature checks one process sends oauth-service, per provider: while a
/// call is out, the checks that arrive wait and go together in the next one (at most `limit`
/// checks, and bodies of at most `bodyBytes` together unless one alone is larger). An idle hub
/// sends a check at once; a busy one pays a round trip per batch instead of per webhook (the relay
/// cost oauth-service about 150 µs of CPU a webhook).
///
/// No task of its own: the caller whose check finds no call out sends it (the leader); when its
/// call returns, it hands the next waiting batch to that batch's first caller, then answers its
/// own. A batch's call carries its leader's request id and trace context.
final class SignatureCheckBatcher: Sendable {
    typealias Send = @Sendable (_ provider: String, _ requests: [SignedWebhookRequest]) async -> Result<[Bool], WebhookVerificationError>

    let limit: Int
    let bodyBytes: Int
    /// A check that waited this long for a call to carry it is answered unavailable instead: the
    /// provider, which waits about 5 s for its answer, gets a 503 in time and sends the webhook
    /// again (oauth-service slow or down holds each call up to its 3 s deadline).
    let maxWait: Duration
    private let send: Send
    private let state = Mutex(State())

    private struct Waiter {
        var request: SignedWebhookRequest
        var since: ContinuousClock.Instant
        var continuation: CheckedContinuation<Turn, Never>
    }

    private enum Turn {
        case verdict(Result<Bool, WebhookVerificationError>)
        /// Send your check with these waiters' checks.
        case lead([Waiter])
    }

    private struct State {
        var sending: Set<String> = []
        var waiting: [String: [Waiter]] = [:]
    }

    init(limit: Int, bodyBytes: Int, maxWait: Duration = .seconds(2), send: @escaping Send) {
        precondition(limit >= 1)
        self.limit = limit
        self.bodyBytes = bodyBytes
        self.maxWait = maxWait
        self.send = send
    }

    /// Checks waiting for a call to carry them, for tests.
    func waiting(_ provider: String) -> Int {
        state.withLock { $0.waiting[provider]?.count ?? 0 }
    }

    func check(provider: String, request: SignedWebhookRequest) async throws(WebhookVerificationError) -> Bool {
        let turn = await withCheckedContinuation { continuation in
            let leads = state.withLock { state in
                guard state.sending.insert(provider).inserted else {
                    state.waiting[provider, default: []].append(Waiter(request: request, since: .now, continuation: continuation))
                    return false
                }
                return true
            }
            if leads { continuation.resume(returning: .lead([])) }
        }
        switch turn {
        case .verdict(let result):
            return try result.get()
        case .lead(let followers):
            let requests = [request] + followers.map(\.request)
            // In a task of its own: the leader's request being cancelled (its client went away)
            // must not fail the checks of the webhooks that joined it.
            let verdicts = await Task { [send] () -> Result<[Bool], WebhookVerificationError> in
                let result = await send(provider, requests)
                if case .success(let verdicts) = result, verdicts.count != requests.count { return .failure(.verifierUnavailable) }
                return result
            }.value
            handOver(provider)
            for (index, follower) in followers.enumerated() {
                follower.continuation.resume(returning: .verdict(verdicts.map { $0[index + 1] }))
            }
            return try verdicts.get()[0]
        }
    }

    /// Starts the next batch of `provider`'s waiting checks, or marks no call out. Checks that
    /// waited past `maxWait` are answered unavailable, not sent.
    private func handOver(_ provider: String) {
        let deadline = ContinuousClock.now - maxWait
        let (expired, next) = state.withLock { state -> ([Waiter], [Waiter]) in
            let queue = state.waiting.removeValue(forKey: provider) ?? []
            let fresh = queue.drop(while: { $0.since < deadline })
            let expired = Array(queue[..<fresh.startIndex])
            guard !fresh.isEmpty else {
                state.sending.remove(provider)
                return (expired, [])
            }
            var end = fresh.startIndex + 1
            var bytes = fresh.first!.request.body.count
            while end < fresh.endIndex, end - fresh.startIndex < limit, bytes + queue[end].request.body.count <= bodyBytes {
                bytes += queue[end].request.body.count
                end += 1
            }
            if end < queue.endIndex { state.waiting[provider] = Array(queue[end...]) }
            return (expired, Array(queue[fresh.startIndex..<end]))
        }
        for waiter in expired { waiter.continuation.resume(returning: .verdict(.failure(.verifierUnavailable))) }
        guard let first = next.first else { return }
        first.continuation.resume(returning: .lead(Array(next.dropFirst())))
    }
}
