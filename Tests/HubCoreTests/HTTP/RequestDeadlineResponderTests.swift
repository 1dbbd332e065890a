import Foundation
import HubCore
import Hummingbird
import HummingbirdTesting
import Logging
import NIOEmbedded
import Testing

/// A request whose handler never returns (and ignores cancellation, as a query on a dead
/// PostgreSQL connection can) is answered 503 `deadline_exceeded` by its deadline, and the
/// service keeps answering other requests. A request cut off by the service's shutdown (its task
/// cancelled once the grace ran out) is answered 503 `shutting_down`, not an empty 500.
@Suite struct RequestDeadlineResponderTests {
    func makeApp(deadline: Duration) -> some ApplicationProtocol {
        let router = Router(context: HubRequestContext.self)
        router.get("stuck") { _, _ -> String in
            await withCheckedContinuation { (_: CheckedContinuation<Void, Never>) in }  // never resumes
            return "never"
        }
        router.get("quick") { _, _ in "fine" }
        router.get("refused") { _, _ -> String in throw HTTPError(.conflict) }
        let responder = RequestDeadlineResponder(router.buildResponder(), deadline: deadline, logger: Logger(label: "test"))
        return Application(responder: responder)
    }

    @Test(.timeLimit(.minutes(1))) func aStuckHandlerIsAnswered503WithRetryAfterByItsDeadline() async throws {
        let app = makeApp(deadline: .milliseconds(300))
        try await app.test(.router) { client in
            let started = ContinuousClock.now
            let response = try await client.execute(uri: "/stuck", method: .get, headers: [.requestID: "req-stuck-1"])
            #expect(ContinuousClock.now - started < .seconds(20), "not answered at the deadline")  // a loaded CI stalled 5.3 s
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.retryAfter] == "1")
            #expect(response.headers[.requestID] == "req-stuck-1")
            let body = try JSONDecoder().decode([String: [String: String]].self, from: Data(buffer: response.body))
            #expect(body["error"]?["code"] == "deadline_exceeded")

            let after = try await client.execute(uri: "/quick", method: .get)
            #expect(after.status == .ok)
            #expect(String(buffer: after.body) == "fine")
        }
    }

    @Test func answersAndErrorsWithinTheDeadlinePassThrough() async throws {
        let app = makeApp(deadline: .seconds(10))
        try await app.test(.router) { client in
            let quick = try await client.execute(uri: "/quick", method: .get)
            #expect(quick.status == .ok)
            let refused = try await client.execute(uri: "/refused", method: .get)
            #expect(refused.status == .conflict)
        }
    }

    @Test func aRequestCutOffByTheShutdownIsAnswered503() async throws {
        let router = Router(context: HubRequestContext.self)
        router.get("waiting") { _, _ -> String in
            try await Task.sleep(for: .seconds(60))
            return "late"
        }
        let responder = RequestDeadlineResponder(router.buildResponder(), deadline: .seconds(60), logger: Logger(label: "test"))
        let started = ContinuousClock.now
        let handler = Task {
            let context = HubRequestContext(source: .init(channel: EmbeddedChannel(), logger: Logger(label: "test")))
            let request = Request(
                head: .init(method: .get, scheme: "http", authority: "localhost", path: "/waiting", headerFields: [.requestID: "req-cut-1"]),
                body: .init(buffer: ByteBuffer())
            )
            return try await responder.respond(to: request, context: context)
        }
        try await Task.sleep(for: .milliseconds(100))
        handler.cancel()
        let response = try await handler.value
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(response.status == .serviceUnavailable)
        #expect(response.headers[.retryAfter] == "1")
        #expect(response.headers[.requestID] == "req-cut-1")
    }
}
