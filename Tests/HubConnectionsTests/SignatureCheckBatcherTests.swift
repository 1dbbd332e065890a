import Foundation
import HubConnectors
import HubTestSupport
import Synchronization
import Testing

@testable import HubConnections

/// Webhook signature checks arriving together go to oauth-service in one call per batch, each
/// caller gets its own check's verdict, a failed call fails only the checks it carried, and a
/// check that waited too long is answered unavailable rather than sent late.
struct SignatureCheckBatcherTests {
    /// Stands in for oauth-service: a check is valid when its body starts with "good". With
    /// `holding`, each call answers only once `release(upTo:)` let it, so a test decides what
    /// waits while a call is out instead of guessing at timing.
    final class FakeVerifier: Sendable {
        private struct State {
            var calls: [[String]] = []
            var released = 0
            var held: [Int: CheckedContinuation<Void, Never>] = [:]
        }
        private let state = Mutex(State())
        let holding: Bool
        let failing: @Sendable ([String]) -> Bool

        init(holding: Bool = true, failing: @escaping @Sendable ([String]) -> Bool = { _ in false }) {
            self.holding = holding
            self.failing = failing
        }

        var calls: [[String]] { state.withLock { $0.calls } }

        func send(_ provider: String, _ requests: [SignedWebhookRequest]) async -> Result<[Bool], WebhookVerificationError> {
            let bodies = requests.map { String(decoding: $0.body, as: UTF8.self) }
            let index = state.withLock { state in
                state.calls.append(bodies)
                return state.calls.count - 1
            }
            if holding {
                await withCheckedContinuation { continuation in
                    let go = state.withLock { state in
                        if index < state.released { return true }
                        state.held[index] = continuation
                        return false
                    }
                    if go { continuation.resume() }
                }
            }
            // As an HTTP call would: a cancelled one gives no verdicts.
            if Task.isCancelled || failing(bodies) { return .failure(.verifierUnavailable) }
            return .success(bodies.map { $0.hasPrefix("good") })
        }

        /// Lets the first `count` calls answer (those made and those to come).
        func release(upTo count: Int) {
            let go = state.withLock { state in
                state.released = max(state.released, count)
                let go = state.held.filter { $0.key < count }
                for index in go.keys { state.held[index] = nil }
                return Array(go.values)
            }
            for continuation in go { continuation.resume() }
        }
    }

    /// Long enough that no check expires while a loaded machine starts the test's tasks (60 of
    /// them took 3.5 s in a full run); the expiry has a test of its own.
    static let patient = Duration.seconds(600)

    static func request(_ body: String) -> SignedWebhookRequest {
        SignedWebhookRequest(method: "POST", url: "", headers: [:], body: Array(body.utf8))
    }

    static func until(_ what: String, _ condition: () -> Bool) async throws {
        try #require(try await waitUntil(upTo: .seconds(10), every: .milliseconds(1)) { condition() }, "\(what)")
    }

    @Test func aLoneCheckGoesAtOnceAndChecksArrivingMeanwhileShareCalls() async throws {
        let verifier = FakeVerifier()
        let batcher = SignatureCheckBatcher(limit: 10, bodyBytes: 1 << 20, maxWait: Self.patient, send: verifier.send)
        verifier.release(upTo: 1)
        #expect(try await batcher.check(provider: "shopify", request: Self.request("good-alone")))
        #expect(verifier.calls == [["good-alone"]])

        let bodies = (0..<60).map { $0 % 3 == 0 ? "bad-\($0)" : "good-\($0)" }
        let verdicts = try await withThrowingTaskGroup(of: (String, Bool).self) { group in
            for body in bodies {
                group.addTask { (body, try await batcher.check(provider: "shopify", request: Self.request(body))) }
            }
            // The first to arrive is out alone; the other 59 wait for it.
            try await Self.until("59 waiting") { verifier.calls.count == 2 && batcher.waiting("shopify") == 59 }
            verifier.release(upTo: 100)
            return try await group.reduce(into: [String: Bool]()) { $0[$1.0] = $1.1 }
        }
        #expect(verdicts.count == 60)
        for body in bodies { #expect(verdicts[body] == body.hasPrefix("good"), "\(body)") }
        #expect(verifier.calls.map(\.count) == [1, 1, 10, 10, 10, 10, 10, 9])
    }

    @Test func aCallCarriesBodiesUpToItsBudgetAndALargerOneAlone() async throws {
        let verifier = FakeVerifier()
        let batcher = SignatureCheckBatcher(limit: 100, bodyBytes: 1_000, maxWait: Self.patient, send: verifier.send)
        let first = Task { try await batcher.check(provider: "shopify", request: Self.request("good-first")) }
        try await Self.until("first call out") { verifier.calls.count == 1 }
        // Waiting together: 400 + 400 fit a call, a third 400 does not; 1,500 goes alone.
        var waiting: [Task<Bool, any Error>] = []
        for (index, body) in ["good-a", "good-b", "good-c", "good-big"].enumerated() {
            let padded = body + String(repeating: " ", count: (body == "good-big" ? 1_500 : 400) - body.count)
            waiting.append(Task { try await batcher.check(provider: "shopify", request: Self.request(padded)) })
            try await Self.until("\(index + 1) waiting") { batcher.waiting("shopify") == index + 1 }
        }
        verifier.release(upTo: 10)
        #expect(try await first.value)
        for task in waiting { #expect(try await task.value) }
        #expect(verifier.calls.map { $0.map(\.utf8.count) } == [[10], [400, 400], [400], [1_500]])
    }

    @Test func providersAreBatchedApart() async throws {
        let verifier = FakeVerifier(holding: false)
        let batcher = SignatureCheckBatcher(limit: 10, bodyBytes: 1 << 20, maxWait: Self.patient, send: verifier.send)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<20 {
                let provider = index.isMultiple(of: 2) ? "shopify" : "hubspot"
                group.addTask { _ = try await batcher.check(provider: provider, request: Self.request("good-\(provider)-\(index)")) }
            }
            try await group.waitForAll()
        }
        for call in verifier.calls {
            #expect(Set(call.map { $0.split(separator: "-")[1] }).count == 1, "one provider per call: \(call)")
        }
    }

    @Test func aFailedCallFailsOnlyTheChecksItCarried() async throws {
        let verifier = FakeVerifier(failing: { $0.contains("good-poison") })
        let batcher = SignatureCheckBatcher(limit: 100, bodyBytes: 1 << 20, maxWait: Self.patient, send: verifier.send)
        // The poisoned check leads the first call; the others arrive while it is out.
        let poisoned = Task { try await batcher.check(provider: "shopify", request: Self.request("good-poison")) }
        try await Self.until("first call out") { verifier.calls.count == 1 }
        let others = (0..<5).map { index in Task { try await batcher.check(provider: "shopify", request: Self.request("good-\(index)")) } }
        try await Self.until("5 waiting") { batcher.waiting("shopify") == 5 }
        verifier.release(upTo: 10)
        await #expect(throws: WebhookVerificationError.verifierUnavailable) { try await poisoned.value }
        for other in others { #expect(try await other.value) }
        #expect(verifier.calls.map(\.count) == [1, 5])
    }

    @Test func aLeaderWhoseRequestIsCancelledStillAnswersTheChecksThatJoinedIt() async throws {
        let verifier = FakeVerifier()
        let batcher = SignatureCheckBatcher(limit: 100, bodyBytes: 1 << 20, maxWait: Self.patient, send: verifier.send)
        let first = Task { try await batcher.check(provider: "shopify", request: Self.request("good-first")) }
        try await Self.until("first call out") { verifier.calls.count == 1 }
        // These wait for the first call; the second of them leads the next and is cancelled mid-call.
        let second = Task { try await batcher.check(provider: "shopify", request: Self.request("good-second")) }
        try await Self.until("second waiting") { batcher.waiting("shopify") == 1 }
        let third = Task { try await batcher.check(provider: "shopify", request: Self.request("bad-third")) }
        try await Self.until("third waiting") { batcher.waiting("shopify") == 2 }
        verifier.release(upTo: 1)
        #expect(try await first.value)
        try await Self.until("second call out") { verifier.calls.count == 2 }
        second.cancel()
        verifier.release(upTo: 2)
        #expect(try await third.value == false)
        #expect(try await second.value)
        #expect(verifier.calls == [["good-first"], ["good-second", "bad-third"]])
    }

    @Test func aCheckThatWaitedTooLongIsAnsweredUnavailableNotSentLate() async throws {
        let verifier = FakeVerifier()
        // The fresh check must be let through within maxWait of queueing: 5 s, past the stalls of a
        // loaded machine's parallel test run (3.5 s seen).
        let batcher = SignatureCheckBatcher(limit: 100, bodyBytes: 1 << 20, maxWait: .seconds(5), send: verifier.send)
        let first = Task { try await batcher.check(provider: "shopify", request: Self.request("good-first")) }
        try await Self.until("first call out") { verifier.calls.count == 1 }
        let stale = Task { try await batcher.check(provider: "shopify", request: Self.request("good-stale")) }
        try await Self.until("stale waiting") { batcher.waiting("shopify") == 1 }
        try await Task.sleep(for: .milliseconds(5_500))
        let fresh = Task { try await batcher.check(provider: "shopify", request: Self.request("good-fresh")) }
        try await Self.until("fresh waiting") { batcher.waiting("shopify") == 2 }
        verifier.release(upTo: 10)
        #expect(try await first.value)
        await #expect(throws: WebhookVerificationError.verifierUnavailable) { try await stale.value }
        #expect(try await fresh.value)
        #expect(verifier.calls == [["good-first"], ["good-fresh"]])
    }
}
