import Foundation
import HubConnectors
import Synchronization
import Testing

@testable import HubConnections

/// Webhook signature checks arriving together go to oauth-service in one call per batch, each
/// caller gets its own check's verdict, and a failed call fails only the checks it carried.
struct SignatureCheckBatcherTests {
    /// Stands in for oauth-service: a check is valid when its body says "good"; each call waits
    /// `delay` and is recorded.
    final class FakeVerifier: Sendable {
        let calls = Mutex<[[String]]>([])
        let delay: Duration
        let failing: @Sendable ([String]) -> Bool

        init(delay: Duration = .milliseconds(20), failing: @escaping @Sendable ([String]) -> Bool = { _ in false }) {
            self.delay = delay
            self.failing = failing
        }

        func send(_ provider: String, _ requests: [SignedWebhookRequest]) async -> Result<[Bool], WebhookVerificationError> {
            let bodies = requests.map { String(decoding: $0.body, as: UTF8.self) }
            calls.withLock { $0.append(bodies) }
            try? await Task.sleep(for: delay)
            // As an HTTP call would: a cancelled one gives no verdicts.
            if Task.isCancelled || failing(bodies) { return .failure(.verifierUnavailable) }
            return .success(bodies.map { $0.hasPrefix("good") })
        }
    }

    static func request(_ body: String) -> SignedWebhookRequest {
        SignedWebhookRequest(method: "POST", url: "", headers: [:], body: Array(body.utf8))
    }

    @Test func aLoneCheckGoesAtOnceAndChecksArrivingMeanwhileShareCalls() async throws {
        let verifier = FakeVerifier()
        let batcher = SignatureCheckBatcher(limit: 10, bodyBytes: 1 << 20, send: verifier.send)
        #expect(try await batcher.check(provider: "shopify", request: Self.request("good-alone")))
        #expect(verifier.calls.withLock { $0 } == [["good-alone"]])

        let bodies = (0..<60).map { $0 % 3 == 0 ? "bad-\($0)" : "good-\($0)" }
        let verdicts = try await withThrowingTaskGroup(of: (String, Bool).self) { group in
            for body in bodies {
                group.addTask { (body, try await batcher.check(provider: "shopify", request: Self.request(body))) }
            }
            return try await group.reduce(into: [String: Bool]()) { $0[$1.0] = $1.1 }
        }
        #expect(verdicts.count == 60)
        for body in bodies { #expect(verdicts[body] == body.hasPrefix("good"), "\(body)") }
        let calls = verifier.calls.withLock { $0 }.dropFirst()
        #expect(calls.map(\.count).reduce(0, +) == 60, "every check sent once")
        #expect(calls.allSatisfy { $0.count <= 10 }, "\(calls.map(\.count))")
        #expect(calls.count <= 12, "60 checks at once went in \(calls.count) calls: \(calls.map(\.count))")
    }

    @Test func aCallCarriesBodiesUpToItsBudgetAndALargerOneAlone() async throws {
        let verifier = FakeVerifier()
        let batcher = SignatureCheckBatcher(limit: 100, bodyBytes: 1_000, send: verifier.send)
        let first = Task { try await batcher.check(provider: "shopify", request: Self.request("good-first")) }
        while verifier.calls.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(1)) }
        // Waiting together: 400 + 400 fit a call, a third 400 does not; 1,500 goes alone.
        var waiting: [Task<Bool, any Error>] = []
        for body in ["good-a", "good-b", "good-c", "good-big"] {
            let padded = body + String(repeating: " ", count: (body == "good-big" ? 1_500 : 400) - body.count)
            waiting.append(Task { try await batcher.check(provider: "shopify", request: Self.request(padded)) })
            try await Task.sleep(for: .milliseconds(2))
        }
        #expect(try await first.value)
        for task in waiting { #expect(try await task.value) }
        let sizes = verifier.calls.withLock { $0.map { $0.map(\.utf8.count) } }
        #expect(sizes == [[10], [400, 400], [400], [1_500]], "\(sizes)")
    }

    @Test func providersAreBatchedApart() async throws {
        let verifier = FakeVerifier()
        let batcher = SignatureCheckBatcher(limit: 10, bodyBytes: 1 << 20, send: verifier.send)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<20 {
                let provider = index.isMultiple(of: 2) ? "shopify" : "hubspot"
                group.addTask { _ = try await batcher.check(provider: provider, request: Self.request("good-\(provider)-\(index)")) }
            }
            try await group.waitForAll()
        }
        for call in verifier.calls.withLock({ $0 }) {
            #expect(Set(call.map { $0.split(separator: "-")[1] }).count == 1, "one provider per call: \(call)")
        }
    }

    @Test func aFailedCallFailsOnlyTheChecksItCarried() async throws {
        let verifier = FakeVerifier(failing: { $0.contains("good-poison") })
        let batcher = SignatureCheckBatcher(limit: 100, bodyBytes: 1 << 20, send: verifier.send)
        // The poisoned check leads the first call; the others arrive while it is out.
        let poisoned = Task { try await batcher.check(provider: "shopify", request: Self.request("good-poison")) }
        while verifier.calls.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(1)) }
        let others = (0..<5).map { index in Task { try await batcher.check(provider: "shopify", request: Self.request("good-\(index)")) } }
        await #expect(throws: WebhookVerificationError.verifierUnavailable) { try await poisoned.value }
        for other in others { #expect(try await other.value) }
        #expect(verifier.calls.withLock { $0.map(\.count) } == [1, 5])
    }

    @Test func aLeaderWhoseRequestIsCancelledStillAnswersTheChecksThatJoinedIt() async throws {
        let verifier = FakeVerifier(delay: .milliseconds(100))
        let batcher = SignatureCheckBatcher(limit: 100, bodyBytes: 1 << 20, send: verifier.send)
        let first = Task { try await batcher.check(provider: "shopify", request: Self.request("good-first")) }
        while verifier.calls.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(1)) }
        // These wait for the first call; the second of them leads the next and is cancelled mid-call.
        let second = Task { try await batcher.check(provider: "shopify", request: Self.request("good-second")) }
        try await Task.sleep(for: .milliseconds(10))
        let third = Task { try await batcher.check(provider: "shopify", request: Self.request("bad-third")) }
        #expect(try await first.value)
        while verifier.calls.withLock({ $0.count < 2 }) { try await Task.sleep(for: .milliseconds(1)) }
        second.cancel()
        #expect(try await third.value == false)
        #expect(try await second.value)
        #expect(verifier.calls.withLock { $0 } == [["good-first"], ["good-second", "bad-third"]])
    }
}
