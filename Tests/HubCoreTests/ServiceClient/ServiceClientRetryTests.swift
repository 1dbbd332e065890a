import AsyncHTTPClient
import Foundation
import HubCore
import HubTestSupport
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// Idempotent calls to another service are repeated with backoff while the peer is unreachable
/// or answers 502/503/504, under one request id and within one deadline; other calls are sent once.
struct ServiceClientRetryTests {
    /// A peer whose routes fail `failures` times with 503 before answering, counting every hit
    /// and the request ids it saw.
    final class Peer: Sendable {
        let hits = Mutex<[String: Int]>([:])
        let requestIDs = Mutex<Set<String>>([])
        let failures: Int

        init(failures: Int) { self.failures = failures }

        func application() -> some ApplicationProtocol {
            let router = Router()
            for method in [HTTPRequest.Method.get, .post] {
                router.on("internal/flaky", method: method) { request, _ -> Response in
                    let hit = self.hits.withLock { hits in
                        hits[method.rawValue, default: 0] += 1
                        return hits[method.rawValue]!
                    }
                    self.requestIDs.withLock { _ = $0.insert(request.headers[.requestID] ?? "") }
                    return Response(status: hit <= self.failures ? .serviceUnavailable : .ok)
                }
            }
            return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        }

        func hits(_ method: String) -> Int { hits.withLock { $0[method] ?? 0 } }
    }

    static let propagation = ServiceClient.Propagation(requestID: "req-7", trace: nil)

    @Test func anIdempotentCallIsRepeatedUntilThePeerAnswers() async throws {
        let peer = Peer(failures: 2)
        try await peer.application().test(.live) { client in
            var services = ServiceClient(httpClient: .shared, baseURLs: [.oauth: "http://127.0.0.1:\(client.port!)"], internalToken: "t")
            services.retry = .init(maxAttempts: 3, baseDelay: .milliseconds(5), maxDelay: .milliseconds(20))
            let reply = try await services.send(.GET, to: .oauth, path: "/internal/flaky", propagation: Self.propagation)
            #expect(reply.status == 200)
            #expect(peer.hits("GET") == 3)
            #expect(peer.requestIDs.withLock { $0 } == ["req-7"], "every attempt is the same request")
        }
    }

    @Test func aPostIsSentOnceUnlessTheCallerSaysItIsIdempotent() async throws {
        let peer = Peer(failures: 1)
        try await peer.application().test(.live) { client in
            var services = ServiceClient(httpClient: .shared, baseURLs: [.oauth: "http://127.0.0.1:\(client.port!)"], internalToken: "t")
            services.retry = .init(maxAttempts: 3, baseDelay: .milliseconds(5), maxDelay: .milliseconds(20))
            let once = try await services.send(.POST, to: .oauth, path: "/internal/flaky", propagation: Self.propagation)
            #expect(once.status == 503, "the peer's answer comes back as it is")
            #expect(peer.hits("POST") == 1)
            let repeated = try await services.send(.POST, to: .oauth, path: "/internal/flaky", propagation: Self.propagation, idempotent: true)
            #expect(repeated.status == 200)
            #expect(peer.hits("POST") == 2)
        }
    }

    @Test func aPeerThatIsDownEndsInATypedFailureWithinTheDeadline() async throws {
        var services = ServiceClient(httpClient: .shared, baseURLs: [.oauth: "http://127.0.0.1:\(try freePort())"], internalToken: "t")
        services.retry = .init(maxAttempts: 3, baseDelay: .milliseconds(5), maxDelay: .milliseconds(20))
        let started = ContinuousClock.now
        // async-http-client itself keeps reconnecting to a refusing peer until the deadline.
        await #expect {
            _ = try await services.send(.GET, to: .oauth, path: "/internal/x", propagation: Self.propagation, timeout: .seconds(1))
        } throws: { error in
            switch error as? ServiceCallError {
            case .unreachable(.oauth, _), .timeout(.oauth): true
            default: false
            }
        }
        // Ignoring the deadline would take the shared client's 10 s connect timeout; a loaded
        // machine has taken 3.04 s to give up at the 1 s deadline, and CI has stalled 5 s.
        #expect(ContinuousClock.now - started < .seconds(9), "ended near its 1 s deadline, not at the 10 s connect timeout")
    }

    /// With the services' own client a refused connection ends each attempt within two seconds,
    /// so a call to a peer that is down fails after its retries, not at its deadline.
    @Test func aPeerThatIsDownFailsBeforeALongDeadline() async throws {
        var services = ServiceClient(
            httpClient: ServiceClient.peerHTTPClient,
            baseURLs: [.oauth: "http://127.0.0.1:\(try freePort())"],
            internalToken: "t"
        )
        services.retry = .init(maxAttempts: 3, baseDelay: .milliseconds(5), maxDelay: .milliseconds(20))
        let started = ContinuousClock.now
        await #expect(throws: ServiceCallError.self) {
            _ = try await services.send(.GET, to: .oauth, path: "/internal/x", propagation: Self.propagation, timeout: .seconds(30))
        }
        // About 6 s; 20 s leaves a loaded machine room and is still well short of the deadline.
        #expect(ContinuousClock.now - started < .seconds(20), "three attempts of about two seconds each, not the 30 s deadline")
    }

    @Test func theDeadlineCoversEveryAttempt() async throws {
        var services = ServiceClient(httpClient: .shared, baseURLs: [.oauth: "http://127.0.0.1:\(try freePort())"], internalToken: "t")
        // 200 attempts at 50-100 ms apart would take 10 s at least: seconds apart from a 300 ms deadline.
        services.retry = .init(maxAttempts: 200, baseDelay: .milliseconds(50), maxDelay: .milliseconds(100))
        let started = ContinuousClock.now
        await #expect(throws: ServiceCallError.self) {
            _ = try await services.send(.GET, to: .oauth, path: "/internal/x", propagation: Self.propagation, timeout: .milliseconds(300))
        }
        // Under the 10 s the attempts would take, over a loaded CI's stalls (5 s seen).
        #expect(ContinuousClock.now - started < .seconds(9), "200 attempts were not all made past the deadline")
    }
}
